import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for a Chroma 1.x server's v2 HTTP API: the calls the `chromadb` client makes for
 * our adapter (identity, get-or-create collection, upsert, query, get, delete, delete collection),
 * with metadata `where` filters ($and, $or, $eq, $ne, $in, $nin) and cosine distance. It checks our
 * adapter's use of the client, not Chroma: the real server is tested with CHROMA_URL.
 */
interface Row {
  embedding: number[];
  document: string | null;
  metadata: Record<string, unknown> | null;
}
interface Collection {
  id: string;
  name: string;
  metadata: Record<string, unknown> | null;
  configuration: unknown;
  rows: Map<string, Row>;
}

export interface FakeChroma {
  url: string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startFakeChroma(): Promise<FakeChroma> {
  const collections = new Map<string, Collection>();
  const requests: { method: string; path: string }[] = [];
  let nextId = 1;
  const byId = (id: string) => [...collections.values()].find((c) => c.id === id);

  const server: Server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : {};
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ method: req.method ?? '', path });
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const base = '/api/v2/tenants/default_tenant/databases/default_database/collections';
    if (path === '/api/v2/heartbeat') return reply(200, { 'nanosecond heartbeat': Date.now() * 1e6 });
    if (path === '/api/v2/auth/identity') return reply(200, { user_id: '', tenant: 'default_tenant', databases: ['default_database'] });
    if (path === '/api/v2/pre-flight-checks') return reply(200, { max_batch_size: 5_000 });
    if (path === base && req.method === 'POST') {
      let c = collections.get(body.name);
      if (!c) {
        c = { id: `c${nextId++}`, name: body.name, metadata: body.metadata ?? null, configuration: body.configuration ?? {}, rows: new Map() };
        collections.set(body.name, c);
      }
      return reply(200, {
        id: c.id,
        name: c.name,
        metadata: c.metadata,
        configuration_json: c.configuration,
        tenant: 'default_tenant',
        database: 'default_database',
        schema: null,
        log_position: 0,
        version: 0,
      });
    }
    const m = /^\/api\/v2\/tenants\/default_tenant\/databases\/default_database\/collections\/([^/]+)(?:\/(\w+))?$/.exec(path);
    if (m && !m[2] && req.method === 'DELETE') {
      collections.delete(decodeURIComponent(m[1]!));
      return reply(200, {});
    }
    const c = m ? byId(m[1]!) : undefined;
    if (!m || !c) return reply(404, { error: 'NotFoundError', message: `no route ${req.method} ${path}` });
    const op = m[2];
    if (op === 'upsert') {
      (body.ids as string[]).forEach((id, i) =>
        c.rows.set(id, { embedding: body.embeddings[i], document: body.documents?.[i] ?? null, metadata: body.metadatas?.[i] ?? null }),
      );
      return reply(200, {});
    }
    const matching = () => [...c.rows].filter(([id, r]) => (!body.ids || body.ids.includes(id)) && (!body.where || matches(r.metadata ?? {}, body.where)));
    if (op === 'get') {
      const rows = matching().slice(body.offset ?? 0, (body.offset ?? 0) + (body.limit ?? Infinity));
      const inc = body.include ?? ['documents', 'metadatas'];
      return reply(200, {
        ids: rows.map(([id]) => id),
        documents: inc.includes('documents') ? rows.map(([, r]) => r.document) : null,
        metadatas: inc.includes('metadatas') ? rows.map(([, r]) => r.metadata) : null,
        embeddings: null,
        uris: null,
        include: inc,
      });
    }
    if (op === 'query') {
      const out = (body.query_embeddings as number[][]).map((q) =>
        matching()
          .map(([id, r]) => ({ id, r, d: 1 - cosine(q, r.embedding) }))
          .sort((a, b) => a.d - b.d)
          .slice(0, body.n_results ?? 10),
      );
      return reply(200, {
        ids: out.map((hits) => hits.map((h) => h.id)),
        distances: out.map((hits) => hits.map((h) => h.d)),
        documents: out.map((hits) => hits.map((h) => h.r.document)),
        metadatas: out.map((hits) => hits.map((h) => h.r.metadata)),
        embeddings: null,
        uris: null,
        include: body.include,
      });
    }
    if (op === 'delete') {
      const gone = matching();
      for (const [id] of gone) c.rows.delete(id);
      return reply(200, { deleted: gone.length });
    }
    return reply(404, { error: 'NotFoundError', message: `no route ${req.method} ${path}` });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function matches(meta: Record<string, unknown>, where: Record<string, any>): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === '$and') return (cond as any[]).every((w) => matches(meta, w));
    if (key === '$or') return (cond as any[]).some((w) => matches(meta, w));
    const v = meta[key];
    if (cond === null || typeof cond !== 'object') return v === cond;
    return Object.entries(cond).every(([op, x]) => {
      if (op === '$eq') return v === x;
      if (op === '$ne') return v !== x;
      if (op === '$in') return (x as unknown[]).includes(v);
      if (op === '$nin') return !(x as unknown[]).includes(v);
      throw new Error(`fake Chroma does not know ${op}`);
    });
  });
}

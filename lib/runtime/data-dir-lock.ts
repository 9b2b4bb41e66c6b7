import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * PGlite lets one process at a time own a data directory; two writers would corrupt it. The runner
 * (or a direct CLI command) holds this lock file while it has the directory open.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

export interface LockHolder {
  pid: number;
  url: string | null;
  since: string;
}

const lockPath = (dataDir: string) => path.join(dataDir, 'owner.lock');

export async function lockDataDir(dataDir: string, url: string | null): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  // Written whole beside the lock, then linked into place: link fails if the lock exists, and another
  // process can never read a lock file that is still empty.
  const draft = `${file}.${process.pid}`;
  await writeFile(draft, JSON.stringify({ pid: process.pid, url, since: new Date().toISOString() } satisfies LockHolder));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(draft, file);
        return { release: () => rm(file, { force: true }) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = await liveLockHolder(dataDir);
        if (holder) {
          throw new Error(
            `${dataDir} is in use by process ${holder.pid}${holder.url ? ` serving ${holder.url}` : ''} since ${holder.since}; ` +
              `stop it, point this command at it with --url, or set DATA_DIR to another directory`,
          );
        }
        // The holder died without cleaning up: the lock is stale.
        await rm(file, { force: true });
      }
    }
    throw new Error(`cannot lock ${dataDir}`);
  } finally {
    await rm(draft, { force: true });
  }
}

export async function updateLockUrl(dataDir: string, url: string): Promise<void> {
  const holder = await lockHolder(dataDir);
  if (holder?.pid !== process.pid) return;
  const draft = `${lockPath(dataDir)}.${process.pid}`;
  await writeFile(draft, JSON.stringify({ ...holder, url }));
  await rename(draft, lockPath(dataDir));
}

export async function lockHolder(dataDir: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** The holder of the lock when its process is still running. */
export async function liveLockHolder(dataDir: string): Promise<LockHolder | undefined> {
  const holder = await lockHolder(dataDir);
  return holder && isAlive(holder.pid) ? holder : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

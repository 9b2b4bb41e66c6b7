import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { blobsContract } from '../../lib/ports/blobs.contract.js';
import { FsBlobs } from '../../lib/adapters/fs-blobs.js';

blobsContract('filesystem blobs', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'blobs-'));
  return { blobs: await FsBlobs.open(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

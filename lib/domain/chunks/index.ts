export { buildChunks, type ChunkSource } from './build-chunks.js';
export { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './chunk-context.js';

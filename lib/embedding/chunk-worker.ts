import { parentPort, workerData } from 'node:worker_threads';
import { buildChunks } from '../domain/chunks/index.js';
import { unpackTradeColumns, type PackedChunkSource } from './packed-trades.js';

/** Builds a backtest's chunks on a worker thread and sends them back (see build-chunks-off-thread.ts). */
const input = workerData as PackedChunkSource;
const chunks = buildChunks(
  { backtestId: input.backtestId, accountCurrency: input.accountCurrency, trades: unpackTradeColumns(input.trades) },
  input.options,
);
parentPort!.postMessage(chunks);

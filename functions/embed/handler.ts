import { runEmbed } from '../../lib/embedding/embed-stage.js';
import { EmbedMessage } from '../../lib/embedding/messages.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/**
 * `embed`: a loaded backtest's trades, days, weeks and patterns as chunks, embedded and stored for
 * retrieval. Chained after validate (`pipeline.embed`) and callable directly: `POST /function/embed
 * {"backtestId": "..."}`.
 */
export default defineFunction({
  name: 'embed',
  input: EmbedMessage,
  handle: (req, ctx) => runEmbed(req.input, ctx),
});

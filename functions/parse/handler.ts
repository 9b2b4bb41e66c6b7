import { ParseMessage } from '../../lib/ingest/messages.js';
import { runParse } from '../../lib/ingest/stage-calls.js';
import { acceptUpload } from '../../lib/ingest/upload-call.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/**
 * `parse`: an upload (raw body or multipart, zips included) is stored and planned; a `pipeline.parse`
 * message parses one planned unit into staged trades or bars.
 */
export default defineFunction({
  name: 'parse',
  input: ParseMessage,
  acceptsStream: true,
  maxBodyBytes: (config) => config.MAX_UPLOAD_BYTES,
  handle: (req, ctx) => (req.stream ? acceptUpload(req, ctx) : runParse(req.input, ctx)),
});

import { ValidateMessage } from '../../lib/ingest/messages.js';
import { runValidate } from '../../lib/ingest/stage-calls.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/** `validate`: integrity rules over what parse staged, then one all-or-nothing load. */
export default defineFunction({
  name: 'validate',
  input: ValidateMessage,
  handle: (req, ctx) => runValidate(req.input, ctx),
});

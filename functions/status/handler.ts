import { platformStatus, StatusQuery } from '../../lib/pipeline/status.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/** `status`: jobs (all recent, or the ids asked for), uploads, dead letters, loaded data. */
export default defineFunction({
  name: 'status',
  input: StatusQuery,
  handle: async (req, ctx) => ({ body: await platformStatus(ctx.ports.store, req.input) }),
});

import type { FastifyInstance } from 'fastify';

/**
 * Once the server is closing, every response still to be sent says `Connection: close`, so a keep-alive
 * socket ends with the answer to its request in flight. Without it, close() waits for clients to hang up
 * (up to the keep-alive timeout, 72 s) and a SIGTERM ends in the shutdown grace timeout instead of exit 0.
 */
export function closeConnectionsAfterLastResponse(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}

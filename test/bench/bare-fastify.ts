import Fastify from 'fastify';

/** The baseline: a bare Fastify JSON endpoint (parse a body, answer JSON), run as its own process. */
const app = Fastify({ logger: false });
app.post('/echo', (request, reply) => {
  void reply.code(201).send({ ok: true, received: request.body });
});
app.get('/ping', () => ({ ok: true }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});

import { OnApplicationShutdown } from '@nestjs/common';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { disbursementAt, fateOf, type PayoutFaults, type SandboxDisbursement } from './sandbox-disbursement';
import { SandboxPayoutRepository } from './sandbox-payout.repository';

interface CreateBody {
  external_id?: unknown;
  amount?: unknown;
  bank_code?: unknown;
  account_holder_name?: unknown;
  account_number?: unknown;
  description?: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sandbox disbursement provider: an in-process HTTP server speaking Xendit Disbursements' shape
 * (`POST /disbursements` with `X-IDEMPOTENCY-KEY`, `GET /disbursements?external_id=`,
 * `GET /disbursements/:id`, basic auth with the secret key, `{ error_code, message }` errors). A
 * disbursement is PENDING for `settleMinutes` of the service clock, then COMPLETED or FAILED; a bounce
 * completes and turns FAILED `bounceAfterHours` later. Faults (kept in PostgreSQL): payouts that fail or
 * bounce, calls never answered (and not taken), and latency — a create is stored before its answer is
 * delayed, so a caller that dies meanwhile leaves a payout the provider has and the caller never saved.
 */
export class SandboxPayoutServer implements OnApplicationShutdown {
  private app?: FastifyInstance;
  private url?: string;
  /** The account's secret key, derived from the sandbox seed so every instance agrees. */
  readonly secretKey: string;

  constructor(
    private readonly store: SandboxPayoutRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.secretKey = `xnd_development_${createHmac('sha256', config.couriers.sandboxSeed)
      .update('payout-sandbox:secret')
      .digest('base64url')
      .slice(0, 32)}`;
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('the payout sandbox is not started');
    return this.url;
  }

  async start(): Promise<string> {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    app.addHook('onRequest', async (request, reply) => {
      if (!this.authorized(request)) {
        return reply
          .status(401)
          .send({ error_code: 'INVALID_API_KEY', message: 'API key is not authorized for this API service' });
      }
      const faults = await this.store.faults();
      const sending = request.method === 'POST';
      if (Math.random() < faults.timeoutRate || (sending && Math.random() < faults.sendTimeoutRate)) {
        // Never answered, and not taken: the caller's timeout decides. The socket closes after a minute.
        await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
        reply.raw.destroy();
        return reply;
      }
      return undefined;
    });
    app.post('/disbursements', (request, reply) => this.create(request, reply));
    app.get('/disbursements', async (request, reply) => {
      await this.delay();
      const externalId = (request.query as { external_id?: string }).external_id;
      const found = typeof externalId === 'string' ? await this.store.byExternalId(externalId) : null;
      if (!found)
        return this.error(reply, 404, 'DIRECT_DISBURSEMENT_NOT_FOUND_ERROR', 'Disbursement not found');
      return reply.send([disbursementAt(found, this.clock.now())]);
    });
    app.get('/disbursements/:id', async (request, reply) => {
      await this.delay();
      const found = await this.store.byId((request.params as { id: string }).id);
      if (!found)
        return this.error(reply, 404, 'DIRECT_DISBURSEMENT_NOT_FOUND_ERROR', 'Disbursement not found');
      return reply.send(disbursementAt(found, this.clock.now()));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    this.app = app;
    this.url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async create(request: FastifyRequest, reply: FastifyReply) {
    const b = (request.body ?? {}) as CreateBody;
    const key = request.headers['x-idempotency-key'];
    const valid =
      typeof key === 'string' &&
      key.length > 0 &&
      typeof b.external_id === 'string' &&
      b.external_id.length > 0 &&
      Number.isSafeInteger(b.amount) &&
      (b.amount as number) > 0 &&
      typeof b.bank_code === 'string' &&
      typeof b.account_holder_name === 'string' &&
      typeof b.account_number === 'string';
    if (!valid) return this.error(reply, 400, 'API_VALIDATION_ERROR', 'Invalid disbursement request');
    if (!/^\d{5,20}$/.test(b.account_number as string))
      return this.error(reply, 400, 'RECIPIENT_ACCOUNT_NUMBER_ERROR', 'Invalid recipient account number');
    const { settleMinutes, bounceAfterHours } = this.config.business.money.payouts.sandbox;
    const now = this.clock.now();
    const fate = fateOf(await this.store.faults(), Math.random());
    const settlesAt = new Date(now.getTime() + settleMinutes * 60_000);
    const d: SandboxDisbursement = {
      id: `disb-${randomBytes(12).toString('hex')}`,
      // Kirim sends one value as both the idempotency key and external_id: the store's unique external_id
      // stands in for the provider's once-only key.
      externalId: b.external_id as string,
      amount: b.amount as number,
      bankCode: b.bank_code as string,
      accountHolderName: b.account_holder_name as string,
      accountNumber: b.account_number as string,
      description: typeof b.description === 'string' ? b.description : null,
      fate,
      failureCode: fate === 'fail' ? 'INVALID_DESTINATION' : fate === 'bounce' ? 'REJECTED_BY_BANK' : null,
      createdAt: now,
      settlesAt,
      bouncesAt: fate === 'bounce' ? new Date(settlesAt.getTime() + bounceAfterHours * 3600_000) : null,
    };
    const stored = await this.store.insert(d);
    await this.delay();
    if (!stored)
      return this.error(reply, 400, 'DUPLICATE_TRANSACTION_ERROR', 'Idempotency key has been used before');
    return reply.status(200).send(disbursementAt(stored, this.clock.now()));
  }

  /** Changes the injected faults (the ones not given stay as they are); answers them all. */
  async setFaults(change: Partial<PayoutFaults>): Promise<PayoutFaults> {
    const given = Object.entries(change).filter(([, v]) => v !== undefined);
    const faults = { ...(await this.store.faults()), ...Object.fromEntries(given) };
    await this.store.setFaults(faults);
    return faults;
  }

  private async delay(): Promise<void> {
    const { latencyMs } = await this.store.faults();
    if (latencyMs > 0) await sleep(latencyMs);
  }

  private authorized(request: FastifyRequest): boolean {
    const expected = Buffer.from(`Basic ${Buffer.from(`${this.secretKey}:`).toString('base64')}`);
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private error(reply: FastifyReply, status: number, code: string, message: string) {
    return reply.status(status).send({ error_code: code, message });
  }
}

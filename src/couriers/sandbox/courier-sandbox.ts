import formbody from '@fastify/formbody';
import Fastify, { FastifyInstance, FastifyReply } from 'fastify';
import { createHmac } from 'node:crypto';
import type { CourierCode } from '../courier-adapter';
import { SandboxFaults } from './sandbox-faults';
import { SandboxWorld } from './sandbox-world.service';

export interface PushRequest {
  headers: Record<string, string>;
  body: string;
}

export interface SandboxPush extends PushRequest {
  forged: PushRequest;
  unsigned: PushRequest;
}

/**
 * A secret of the simulated courier account: every instance derives the same from the install's own
 * secret (`key`, the JWT secret they share) and the world seed. From the seed alone, which is public
 * (`kirim-sandbox` by default), anyone could sign a push and move another seller's parcel and its COD.
 */
export function sandboxSecret(key: string, seed: string, courier: CourierCode, name: string): string {
  return createHmac('sha256', key).update(`${seed}:${courier}:${name}`).digest('base64url').slice(0, 32);
}

/**
 * One courier's sandbox: an HTTP server speaking that courier's API shape (subclasses add its routes),
 * backed by the shared simulated world. Injected faults apply to every route: added latency, requests
 * that never answer, and the courier's own server errors.
 */
export abstract class CourierSandbox {
  abstract readonly code: CourierCode;
  private app?: FastifyInstance;
  private url?: string;
  inFlight = 0;
  /** Requests served since start (to see from outside whether a courier was called). */
  requests = 0;
  /** The most requests this sandbox has served at once (to check bulkheads from the outside). */
  maxInFlight = 0;

  constructor(
    protected readonly world: SandboxWorld,
    private readonly faults: SandboxFaults,
    private readonly seed: string,
    /** The install's secret the account's secrets are derived with (see sandboxSecret). */
    private readonly secretKey: string,
  ) {}

  /**
   * The push this courier would send now for the parcel's latest event, signed its way, with a forged
   * copy (wrong signature or token) and an unsigned one, for testing verification. null when nothing
   * has happened yet.
   */
  abstract webhookFor(awb: string): Promise<SandboxPush | null>;

  /** The account settings an adapter needs to talk to this sandbox (credentials, codes). */
  abstract account(): Record<string, string>;

  protected abstract routes(app: FastifyInstance): void;

  /** The courier's own answer to an internal error. */
  protected abstract serverError(reply: FastifyReply): FastifyReply;

  protected secret(name: string): string {
    // Asked on every request to check its signature: derived once per name.
    let secret = this.secrets.get(name);
    if (secret === undefined)
      this.secrets.set(name, (secret = sandboxSecret(this.secretKey, this.seed, this.code, name)));
    return secret;
  }
  private readonly secrets = new Map<string, string>();

  get baseUrl(): string {
    if (!this.url) throw new Error(`${this.code} sandbox is not started`);
    return this.url;
  }

  resetConcurrency(): void {
    this.maxInFlight = this.inFlight;
  }

  async start(port = 0): Promise<string> {
    const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024, forceCloseConnections: true });
    await app.register(formbody);
    app.addHook('onRequest', async (request, reply) => {
      this.inFlight += 1;
      this.requests += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      request.raw.once('close', () => undefined);
      reply.raw.once('close', () => (this.inFlight -= 1));
      const f = await this.faults.for(this.code);
      if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (f.timeoutRate > 0 && Math.random() < f.timeoutRate) {
        // Never answer; the caller's timeout decides. The socket is closed after a minute.
        await new Promise((r) => setTimeout(r, 60_000).unref());
        reply.raw.destroy();
        return reply;
      }
      if (f.errorRate > 0 && Math.random() < f.errorRate) return this.serverError(reply);
      return undefined;
    });
    this.routes(app);
    await app.listen({ port, host: '127.0.0.1' });
    this.app = app;
    const address = app.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedWebhook {
  path: string;
  eventId: string;
  type: string;
  signature: string;
  /** The body's bytes exactly as they arrived. */
  rawBody: Buffer;
  /** The status it was answered with; undefined while the receiver holds it open. */
  answered?: number;
}

/** A status, or a status with the body to answer (a list is sent piece by piece, a moment apart). */
export type Answer = number | { status: number; body: string | string[] };
/** What the receiver answers a request with; a promise holds the request open until it settles. */
export type Behaviour = (request: ReceivedWebhook) => Answer | Promise<Answer>;

/** A promise released by hand: for a receiver that hangs until the test lets it answer. */
export function gate(): { wait: Promise<void>; release: () => void } {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { wait, release };
}

/**
 * A seller's webhook receiver over real HTTP on 127.0.0.1: records every request (raw body included),
 * answers as `behaviour` says, counts requests open at once per path, and can go away (connections
 * refused) and come back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  behaviour: Behaviour = () => 200;
  private readonly open = new Map<string, number>();
  /** The most requests held open at once, per path. */
  readonly maxOpen = new Map<string, number>();
  private server: Server;

  private constructor(
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(0, createServer());
    await receiver.listen(0);
    return receiver;
  }

  url(path = '/hook', host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  openAt(path: string): number {
    return this.open.get(path) ?? 0;
  }

  /** Requests for an event answered 2xx. */
  deliveredCount(eventId: string): number {
    return this.received.filter((r) => r.eventId === eventId && r.answered! >= 200 && r.answered! < 300)
      .length;
  }

  /** Goes away: open requests are cut and new connections refused. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Comes back on the same port. */
  async restart(): Promise<void> {
    this.server = createServer();
    await this.listen(this.port);
  }

  private async listen(port: number): Promise<void> {
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    (this as { port: number }).port = (this.server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    const record: ReceivedWebhook = {
      path,
      eventId: String(req.headers['x-kirim-event-id'] ?? ''),
      type: String(req.headers['x-kirim-event-type'] ?? ''),
      signature: String(req.headers['x-kirim-signature'] ?? ''),
      rawBody: Buffer.concat(chunks),
    };
    this.received.push(record);
    const open = this.openAt(path) + 1;
    this.open.set(path, open);
    this.maxOpen.set(path, Math.max(open, this.maxOpen.get(path) ?? 0));
    try {
      const answer = await this.behaviour(record);
      const { status, body } = typeof answer === 'number' ? { status: answer, body: 'ok' } : answer;
      record.answered = status;
      res.writeHead(status, { 'content-type': 'text/plain' });
      const pieces = typeof body === 'string' ? [body] : body;
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        res.write(piece);
      }
      res.end();
    } finally {
      this.open.set(path, this.openAt(path) - 1);
    }
  }
}

import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Bytes } from 'src/common/ip-address';

const TYPE_A = 1;
const TYPE_AAAA = 28;
const NXDOMAIN = 3;

/** Public addresses (never contacted) for the example hosts tests use as webhook targets. */
export const EXAMPLE_HOSTS: Record<string, string[]> = {
  'example.id': ['93.184.215.14'],
  '*.example.id': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
};

/** The question's name (lower-case) and where the question ends, or null for a message we cannot read. */
function readQuestion(msg: Buffer): { name: string; type: number; end: number } | null {
  let offset = 12;
  const labels: string[] = [];
  while (offset < msg.length) {
    const len = msg[offset];
    if (len === 0) break;
    if (len > 63) return null; // no compression in a question we sent ourselves
    labels.push(msg.toString('ascii', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
  if (offset + 5 > msg.length) return null;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(offset + 1), end: offset + 5 };
}

/**
 * A tiny authoritative DNS server over UDP for tests (the machine has no DNS for public names): answers
 * A and AAAA from a table (`*.domain` matches any subdomain), NXDOMAIN for names it does not hold. The
 * table can change while it runs, to show a name that starts resolving elsewhere.
 */
export class TestDnsServer {
  private constructor(
    private readonly socket: Socket,
    private readonly table: Map<string, string[]>,
    /** `127.0.0.1:<port>`, for WEBHOOK_DNS_SERVERS. */
    readonly address: string,
  ) {}

  static async start(table: Record<string, string[]> = EXAMPLE_HOSTS): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    const entries = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    const server = new TestDnsServer(socket, entries, `127.0.0.1:${socket.address().port}`);
    socket.on('message', (msg, peer) => server.answer(msg, peer));
    return server;
  }

  /** Sets (or with undefined, removes) the addresses of a name. */
  set(name: string, addresses: string[] | undefined): void {
    if (addresses) this.table.set(name.toLowerCase(), addresses);
    else this.table.delete(name.toLowerCase());
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private lookup(name: string): string[] | undefined {
    const exact = this.table.get(name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    return dot > 0 ? this.table.get(`*${name.slice(dot)}`) : undefined;
  }

  private answer(msg: Buffer, peer: RemoteInfo): void {
    const question = readQuestion(msg);
    if (!question) return;
    const found = this.lookup(question.name);
    const records =
      found?.filter((a) =>
        question.type === TYPE_A ? isIPv4(a) : question.type === TYPE_AAAA && isIPv6(a),
      ) ?? [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    // Response, the query's opcode and recursion-desired bit, authoritative, recursion available.
    const flags = 0x8000 | (msg.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | (found ? 0 : NXDOMAIN);
    header.writeUInt16BE(flags, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const answers = records.map((address) => {
      const data = isIPv4(address) ? address.split('.').map(Number) : ipv6Bytes(address)!;
      const rr = Buffer.alloc(12 + data.length);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(question.type, 2);
      rr.writeUInt16BE(1, 4); // class IN
      rr.writeUInt32BE(0, 6); // TTL 0: nothing may cache an answer a test is about to change
      rr.writeUInt16BE(data.length, 10);
      Buffer.from(data).copy(rr, 12);
      return rr;
    });
    const reply = Buffer.concat([header, msg.subarray(12, question.end), ...answers]);
    this.socket.send(reply, peer.port, peer.address);
  }
}

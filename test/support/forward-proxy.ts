import { createServer, IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ForwardProxy {
  /** `http://user:password@127.0.0.1:port` (credentials URL-encoded). */
  url: string;
  /** The `Proxy-Authorization` header those credentials make. */
  basicAuth: string;
  /** Plain-http requests forwarded: the absolute URL asked for and the credentials sent. */
  forwarded: { url: string; auth?: string }[];
  /** CONNECT requests (every one refused with 403): the target and the credentials sent. */
  tunnels: { target: string; auth?: string }[];
  close(): Promise<void>;
}

/**
 * A real HTTP proxy for tests: it forwards absolute-URL requests, sending any host named `.test` to
 * 127.0.0.1 (a name no resolver knows, so an answer proves the call went through the proxy), and refuses
 * every tunnel.
 */
export async function startForwardProxy(user = 'kirim', password = 'pa:ss'): Promise<ForwardProxy> {
  const forwarded: ForwardProxy['forwarded'] = [];
  const tunnels: ForwardProxy['tunnels'] = [];
  const proxy = createServer((req, res) => {
    forwarded.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname.endsWith('.test') ? '127.0.0.1' : target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket) => {
    tunnels.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as AddressInfo).port;
  return {
    url: `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    basicAuth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    forwarded,
    tunnels,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    },
  };
}

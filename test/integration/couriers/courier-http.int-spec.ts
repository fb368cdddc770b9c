import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { CourierUnavailableError } from 'src/couriers/courier.errors';
import { CourierHttp } from 'src/couriers/courier-http';
import { startForwardProxy } from '../../support/forward-proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The couriers' transport against a real local HTTP server that answers what each test asks of it. */
describe('CourierHttp', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        answer(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen = [];
    answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    };
  });

  it('joins the base URL and the path, adds query parameters, sends defaults and per-call headers', async () => {
    const http = new CourierHttp('sap', { baseURL: `${base}/api/`, headers: { 'X-Key': 'k1' } });
    const res = await http.request<{ ok: boolean }>({
      method: 'GET',
      url: '/v2/shipment/tracking?lang=id',
      params: { awb_no: 'SAP 1:2,3+4', skipped: undefined, none: null, ids: ['A1', 2] },
      headers: { Authorization: 'Bearer t' },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
    expect(seen[0].method).toBe('GET');
    const url = new URL(seen[0].url, base);
    expect(url.pathname).toBe('/api/v2/shipment/tracking');
    expect(url.searchParams.get('lang')).toBe('id');
    expect(url.searchParams.get('awb_no')).toBe('SAP 1:2,3+4');
    expect(url.searchParams.has('skipped')).toBe(false);
    expect(url.searchParams.has('none')).toBe(false);
    expect(url.searchParams.getAll('ids')).toEqual(['A1', '2']);
    // A nested parameter is a programming error, refused before anything is sent, never silently dropped.
    const nested = await new CourierHttp('sap', { baseURL: base })
      .request({ url: '/x', params: { filter: { awb: 'X' } } })
      .catch((e: unknown) => e);
    expect(nested).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers['x-key']).toBe('k1');
    expect(seen[0].headers.authorization).toBe('Bearer t');
  });

  it('sends a string as a form and anything else as JSON, unless a content type is given', async () => {
    const http = new CourierHttp('jne', { baseURL: base });
    await http.post('/form', 'username=a&api_key=b');
    await http.post('/json', { a: 1 });
    await http.post('/text', '{"b":2}', { headers: { 'Content-Type': 'application/json' } });
    expect(seen.map((s) => [s.headers['content-type'], s.body])).toEqual([
      ['application/x-www-form-urlencoded', 'username=a&api_key=b'],
      ['application/json', '{"a":1}'],
      ['application/json', '{"b":2}'],
    ]);
    expect(seen.every((s) => s.headers['content-length'] === String(Buffer.byteLength(s.body)))).toBe(true);
  });

  it('answers every status as a response, does not follow redirects, and keeps bodies that are not JSON', async () => {
    const http = new CourierHttp('ninja', { baseURL: base });
    answer = (req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else {
        res.writeHead(502, { 'content-type': 'text/html', 'retry-after': '7' });
        res.end('<html>Bad Gateway</html>');
      }
    };
    const moved = await http.request({ url: '/moved' });
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe('/elsewhere');
    const bad = await http.request<string>({ url: '/down' });
    expect(bad.status).toBe(502);
    expect(bad.data).toBe('<html>Bad Gateway</html>');
    expect(bad.headers['retry-after']).toBe('7');
    expect(seen.map((s) => s.url)).toEqual(['/moved', '/down']);
  });

  it('decompresses a gzip answer, and leaves JSON text unparsed for a text client', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"awb":"JX1","history":[]}'));
    };
    const json = await new CourierHttp('jnt', { baseURL: base }).request({ url: '/t' });
    expect(json.data).toEqual({ awb: 'JX1', history: [] });
    const text = await new CourierHttp('jnt', { responseType: 'text' }).post(`${base}/t`, 'a=1');
    expect(text.data).toBe('{"awb":"JX1","history":[]}');
    expect(seen[0].headers['accept-encoding']).toContain('gzip');
  });

  it('decodes deflate with and without its zlib header, and drops a byte order mark', async () => {
    const bodies: Record<string, () => [Record<string, string>, Buffer]> = {
      '/zlib': () => [{ 'content-encoding': 'deflate' }, deflateSync('{"n":1}')],
      '/raw': () => [{ 'content-encoding': 'deflate' }, deflateRawSync('{"n":2}')],
      '/bom': () => [{}, Buffer.from('\uFEFF{"n":3}')],
      '/empty': () => [{ 'content-encoding': 'gzip' }, Buffer.alloc(0)],
    };
    answer = (req, res) => {
      const [headers, body] = bodies[req.url ?? '']();
      res.writeHead(req.url === '/empty' ? 502 : 200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const http = new CourierHttp('sap', { baseURL: base });
    expect((await http.request({ url: '/zlib' })).data).toEqual({ n: 1 });
    expect((await http.request({ url: '/raw' })).data).toEqual({ n: 2 });
    expect((await http.request({ url: '/bom' })).data).toEqual({ n: 3 });
    expect(await http.request({ url: '/empty' })).toMatchObject({ status: 502, data: '' });
    expect(seen[0].headers['user-agent']).toBe('Kirim');
  });

  it('fails, never hangs, on an answer cut short or encoded wrongly', async () => {
    answer = (req, res) => {
      if (req.url === '/corrupt') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(Buffer.from('definitely not gzip'));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const http = new CourierHttp('jnt', { baseURL: base });
    expect(await http.request({ url: '/corrupt' }).catch((e: unknown) => e)).toMatchObject({
      reason: 'network',
      rawCode: 'BAD_ENCODING',
    });
    expect(await http.request({ url: '/cut' }).catch((e: unknown) => e)).toMatchObject({ reason: 'network' });
  });

  it('types transport failures: refused connection, oversized answer, abandoned call', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await new CourierHttp('idexpress', { baseURL: `http://127.0.0.1:${port}` })
      .request({ url: '/x' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CourierUnavailableError);
    expect(refused).toMatchObject({ courier: 'idexpress', reason: 'network', rawCode: 'ECONNREFUSED' });

    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 9; i += 1) res.write(chunk);
      res.end('{}');
    };
    const huge = await new CourierHttp('sap', { baseURL: base })
      .request({ url: '/huge' })
      .catch((e: unknown) => e);
    expect(huge).toMatchObject({ reason: 'network', rawCode: 'TOO_LARGE' });

    answer = () => undefined; // never answers
    const controller = new AbortController();
    const pending = new CourierHttp('jne', { baseURL: base })
      .request({ url: '/slow', signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ reason: 'timeout', rawCode: 'ABORTED' });
  });

  it('goes through the configured proxy: absolute URLs for http, CONNECT for https, with its credentials', async () => {
    const proxy = await startForwardProxy();
    const port = new URL(base).port;
    try {
      const http = new CourierHttp('sap', { baseURL: `http://courier.test:${port}/api`, proxy: proxy.url });
      const res = await http.post<{ ok: boolean }>('/v2/rates', { weight: 1 });
      expect(res).toMatchObject({ status: 200, data: { ok: true } });
      expect(proxy.forwarded).toEqual([
        { url: `http://courier.test:${port}/api/v2/rates`, auth: proxy.basicAuth },
      ]);
      // The test before abandons a request to /slow: on a busy machine it may reach the server only now.
      expect(seen.find((s) => s.url !== '/slow')).toMatchObject({
        method: 'POST',
        url: '/api/v2/rates',
        body: '{"weight":1}',
      });

      // An https courier is reached through a tunnel. This proxy refuses it: a network failure, never a
      // 403 that would read as the courier refusing our credentials.
      const tls = new CourierHttp('jne', { baseURL: 'https://courier.test', proxy: proxy.url });
      const refused = await tls.request({ url: '/tracing' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CourierUnavailableError);
      expect(refused).toMatchObject({ courier: 'jne', reason: 'network', rawCode: 'PROXY_REFUSED' });
      expect(proxy.tunnels).toEqual([{ target: 'courier.test:443', auth: proxy.basicAuth }]);

      // Without a proxy the name does not resolve: the proxy was what reached the courier.
      const direct = await new CourierHttp('sap', { baseURL: `http://courier.test:${port}` })
        .request({ url: '/x' })
        .catch((e: unknown) => e);
      expect(direct).toMatchObject({ reason: 'network' });
    } finally {
      await proxy.close();
    }
  });
});

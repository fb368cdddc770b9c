import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from 'config';
import supertest from 'supertest';
import { FIRST_PAGE_JS_BUDGET_BYTES, measureFirstPageJs } from '../bench/first-page-js';
import { runBuilt } from '../support/process';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { WEB_ROUTES } from './route-table';

const ROOT = join(__dirname, '..', '..');
const PAGE = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the dashboard, served by the app', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let index: string;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    index = readFileSync(join(t.app.get(AppConfig).http.dashboardDir, 'index.html'), 'utf8');
  });
  afterAll(() => t.close());

  const expectPage = (res: supertest.Response) => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(index);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  };

  it('serves index.html at / with no-cache and a self-only CSP, and it loads no inline script', async () => {
    expectPage(await http.get('/').set('accept', PAGE));
    expectPage(await http.get('/').set('accept', 'application/json'));
    expect(index).toContain('<div id="root"></div>');
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers a deep SPA route a browser navigates to with index.html', async () => {
    for (const path of ['/pengiriman/123', '/keuangan/neraca', '/masuk?next=%2Fsaldo', '/x/y/z'])
      expectPage(await http.get(path).set('accept', PAGE));
  });

  it('refuses a path holding a NUL or a broken escape to a browser too, as to any client (400, not the page)', async () => {
    for (const path of ['/a%00b', '/pengiriman/%00', '/x%ED%A0%80', '/x%zz'])
      for (const accept of [PAGE, 'application/json']) {
        const res = await http.get(path).set('accept', accept);
        expect([path, accept, res.status, res.body.code]).toEqual([path, accept, 400, expect.any(String)]);
      }
  });

  it('serves hashed assets cached for a year, and the icon revalidated', async () => {
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index)![1];
    const css = /<link[^>]+href="(\/assets\/[^"]+\.css)"/.exec(index)![1];
    expect(script).toMatch(/-[\w-]{8,}\.js$/);
    const js = await http.get(script).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await http.get(css).expect(200);
    expect(style.headers['content-type']).toMatch(/^text\/css/);
    expect(style.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await http.get('/favicon.svg').expect(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('keeps the JSON 404 for unknown API, docs, health, metrics, sandbox and asset paths, even for a browser', async () => {
    for (const path of [
      '/v1/nothing-here',
      '/v1',
      '/docs-nothing',
      '/health/nothing',
      '/metrics/nothing',
      '/sandbox/nothing',
      '/assets/missing-abcdef12.js',
    ]) {
      for (const accept of [PAGE, 'application/json', '*/*']) {
        const res = await http.get(path).set('accept', accept);
        expect([path, accept, res.status, res.headers['content-type']]).toEqual([
          path,
          accept,
          404,
          expect.stringMatching(/^application\/json/),
        ]);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      }
    }
  });

  it('answers an API client (no text/html) at an unknown path with the JSON 404, not the page', async () => {
    const res = await http.get('/pengiriman').set('accept', 'application/json').expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    // Other methods never reach the dashboard.
    await http.post('/pengiriman').set('accept', PAGE).send({}).expect(404);
    // The router's own refusals stand: the fallback takes only what no route matched.
    const long = await http
      .get(`/v1/addresses/${'a'.repeat(300)}`)
      .set('accept', PAGE)
      .expect(414);
    expect(long.body.code).toBe('URI_TOO_LONG');
  });

  it('lists its routes as public web routes, none of them in the OpenAPI document', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body as { paths: Record<string, unknown> };
    for (const route of WEB_ROUTES) {
      expect(route.access).toBe('public');
      expect(doc.paths[route.path]).toBeUndefined();
      // Anyone may load the page; it asks for credentials itself through the API.
      const res = await http[route.method](route.example).set('accept', PAGE);
      expect([route.example, res.status]).toEqual([route.example, 200]);
    }
  });

  it('the committed API types are those of the OpenAPI document the app serves', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body as object;
    const dir = mkdtempSync(join(tmpdir(), 'kirim-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const check = spawnSync(process.execPath, ['config/openapi-types.cjs', '--check', '--from', file], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect([check.status, check.stderr]).toEqual([0, '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run api:types reads the same document from the CLI, without a database', async () => {
    const served = (await http.get('/docs-json').expect(200)).body as object;
    const cli = runBuilt('cli', { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }, [
      'openapi',
    ]);
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.stdout())).toEqual(served);
  });

  it('sends at most 200 KB of gzipped JavaScript for the first page', () => {
    // The bench's measure (npm run bench -- dashboard reports the figure).
    const js = measureFirstPageJs(t.app.get(AppConfig).http.dashboardDir);
    expect(js.files.length).toBeGreaterThan(0);
    expect(js.files.every((f) => f.src.startsWith('/assets/'))).toBe(true);
    expect(js.gzipBytes).toBeGreaterThan(10_000); // React is in it: the count is real
    expect(js.gzipBytes).toBeLessThanOrEqual(FIRST_PAGE_JS_BUDGET_BYTES);
  });
});

describe('the app without a dashboard build', () => {
  let t: TestApp;
  let empty: string;
  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'kirim-no-dashboard-'));
    t = await startTestApp({ DASHBOARD_DIR: empty });
  });
  afterAll(async () => {
    await t.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers a page with 503 DASHBOARD_NOT_BUILT and the API as usual', async () => {
    for (const path of ['/', '/pengiriman/123']) {
      const res = await t.http().get(path).set('accept', PAGE).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'DASHBOARD_NOT_BUILT' });
      expect(res.body.message).toContain('npm run build');
    }
    await t.http().get('/health').expect(200);
    await t.http().get('/v1/me').expect(401);
    const missing = await t.http().get('/v1/nothing').set('accept', PAGE).expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });
});

import fastifyStatic, { type SetHeadersResponse } from '@fastify/static';
import { unsafeTextReason } from './hostile-input';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors/app-error';
import { toErrorResponse } from './errors/http-error.filter';

/** Paths that belong to the API and operations: an unknown one is a JSON 404, never the dashboard. */
export const NOT_DASHBOARD = /^\/(v1|docs|health|metrics|sandbox|assets)(\/|$|\?|-)/;

/** Vite names every built asset by its content hash: a changed file is a new URL, so it may be kept for a year. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * Only the dashboard's own files run: no inline script or style, no framing, API calls to this origin only
 * (the token is in localStorage, so an injected script is what must be stopped).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HTML_HEADERS: Record<string, string> = {
  'cache-control': 'no-cache',
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function setFileHeaders(assets: string, res: SetHeadersResponse, path: string): void {
  if (path.startsWith(assets)) {
    res.setHeader('cache-control', HASHED_ASSET_CACHE);
    res.setHeader('x-content-type-options', 'nosniff');
    return;
  }
  // index.html and unhashed files (the icon): always revalidated, so a new build shows at once.
  const headers = path.endsWith('.html') ? HTML_HEADERS : { 'cache-control': 'no-cache' };
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** Whether the URL's path decodes to text the API would take (no NUL, no lone surrogate). */
function readablePath(url: string): boolean {
  const mark = url.indexOf('?');
  try {
    const path = decodeURIComponent(mark >= 0 ? url.slice(0, mark) : url);
    return unsafeTextReason(path) === null;
  } catch {
    return false;
  }
}

/** A browser navigating (not a script, an image or an API client asking for JSON). */
function wantsPage(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html') && !NOT_DASHBOARD.test(request.url);
}

/**
 * Serves the built dashboard at `/` from `dir`: its files (hashed assets cached for a year, `index.html`
 * never cached) and `index.html` for every other page a browser navigates to (the SPA's own routes such
 * as `/pengiriman/123`: any GET no route matched that accepts text/html). API, docs, health, metrics and sandbox paths keep their JSON 404. Without a build
 * the API runs as usual and a page answers 503 DASHBOARD_NOT_BUILT. None of these routes is in the
 * OpenAPI document: they are not API.
 */
export async function serveDashboard(
  fastify: FastifyInstance,
  dir: string,
  warn: (message: string) => void,
): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  if (built) {
    await fastify.register(fastifyStatic, {
      root: dir,
      // One route per built file (read at startup), so the fallback below is the only wildcard.
      wildcard: false,
      cacheControl: false,
      setHeaders: (res: SetHeadersResponse, path: string) =>
        setFileHeaders(join(dir, 'assets', '/'), res, path),
    });
  } else {
    warn(
      `the dashboard is not built (no ${join(dir, 'index.html')}): run npm run build; the API runs without it`,
    );
  }
  // The fallback runs only for requests no route matched (Fastify marks them is404), so the router's own
  // answers (414 for an over-long id, 400 for a bad URL) and Nest's JSON 404 stay as they were.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const page = request.method === 'GET' || request.method === 'HEAD';
    if (!request.is404 || !page || (request.url !== '/' && !wantsPage(request))) return done();
    // A path the request edge refuses (a NUL, a lone surrogate, a broken escape) gets that refusal, as it
    // does when no browser asks: not the page.
    if (!readablePath(request.url)) return done();
    if (built) {
      void reply.sendFile('index.html');
      return;
    }
    const { status, body } = toErrorResponse(
      new AppError(
        'unavailable',
        'DASHBOARD_NOT_BUILT',
        'The dashboard is not built on this server (npm run build); the API under /v1 works',
      ),
      String(request.id),
    );
    void reply.code(status).header('cache-control', 'no-store').send(body);
  });
}

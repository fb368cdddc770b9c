import Fastify, { FastifyInstance } from 'fastify';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoPageErrors,
  axeCheck,
  chromiumExecutable,
  launchChromium,
  PageWidth,
  screenshot,
  takePageErrors,
  useBrowser,
} from '../support/browser';
import { waitUntil } from '../support/wait';

/** The page tests' harness (test/support/browser.ts) on static pages, before the dashboard exists. */

const page = (title: string, body: string) =>
  `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${title}</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>${body}</body></html>`;

const PAGES: Record<string, string> = {
  '/good': page(
    'Beranda',
    `<main><h1>Halo, Toko Uji</h1><p id="saldo"></p><p id="waktu"></p>
     <form><label for="cari">Cari pengiriman</label><input id="cari" name="cari"><button>Cari</button></form></main>
     <script>
       document.getElementById('saldo').textContent =
         'Saldo: ' + new Intl.NumberFormat(undefined, { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(150000);
       document.getElementById('waktu').textContent = new Date(Date.UTC(2025, 0, 1, 17, 30)).toLocaleString();
     </script>`,
  ),
  '/bad': page(
    'Buruk',
    `<main><h1>Buruk</h1><img src="/pixel.png"><input name="tanpa-label">
     <p style="color:#bbb;background:#fff">teks pucat</p></main>`,
  ),
  '/throws': page(
    'Lempar',
    `<main><h1>Lempar</h1></main><script>throw new Error('boom from the page')</script>`,
  ),
  '/logs': page(
    'Log',
    `<main><h1>Log</h1></main><script>console.error('logged failure'); Promise.reject(new Error('nobody caught this'))</script>`,
  ),
};

/** Width and height from a PNG's signature and IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!b.subarray(0, 8).equals(signature) || b.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error(`${path} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Processes whose command line starts with the packaged Chromium, and whether each is still running. */
function chromiumProcesses(executable: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
        const state = /\) (\w)/.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1];
        return cmd.startsWith(executable) && state !== undefined;
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

/** Whether `pid` is a child of `ancestor`, or a child's child, and so on (read from /proc). */
function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops += 1) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'latin1');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
    if (p === ancestor) return true;
  }
  return false;
}

describe('browser harness', () => {
  let server: FastifyInstance;
  let base: string;
  const browser = useBrowser();

  beforeAll(async () => {
    server = Fastify();
    for (const [path, html] of Object.entries(PAGES))
      server.get(path, (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
    // 1×1 transparent PNG for the image without alt text.
    server.get('/pixel.png', (_req, reply) =>
      reply
        .type('image/png')
        .send(
          Buffer.from(
            'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
            'base64',
          ),
        ),
    );
    base = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  it.each([360, 1280] as PageWidth[])(
    'renders the page at %i px in Bahasa Indonesia and Jakarta time and writes a PNG screenshot that wide',
    async (width) => {
      const p = await browser.openPage(`${base}/good`, { width });
      await expect(p.getByRole('heading', { name: 'Halo, Toko Uji' }).isVisible()).resolves.toBe(true);
      // id-ID groups thousands with dots; 17:30 UTC is half past midnight the next day in Jakarta.
      expect((await p.locator('#saldo').textContent())?.replace(/\s/g, ' ')).toBe('Saldo: Rp 150.000');
      expect(await p.locator('#waktu').textContent()).toMatch(/^2\/1\/2025,? 00[.:]30[.:]00$/);

      const expected = join(__dirname, 'screenshots', `harness-good-${width}.png`);
      rmSync(expected, { force: true });
      const path = await screenshot(p, 'harness-good');
      expect(path).toBe(expected);
      const size = pngSize(path);
      expect(size.width).toBe(width);
      expect(size.height).toBeGreaterThan(0);
    },
  );

  it('axeCheck passes a page with labels, alt text and contrast', async () => {
    const p = await browser.openPage(`${base}/good`, { width: 360 });
    const violations = await axeCheck(p);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('axeCheck fails a page with an image without alt text, a field without a label and low contrast, naming each', async () => {
    const p = await browser.openPage(`${base}/bad`, { width: 1280 });
    const failure = await axeCheck(p).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(failure).toMatch(/serious or critical violation/);
    expect(failure).toMatch(/^- image-alt \(critical\): .*: img$/m);
    expect(failure).toMatch(/^- label \(critical\): .*: input$/m);
    expect(failure).toMatch(/^- color-contrast \(serious\): .*: p$/m);
  });

  it('an uncaught error on the page fails it: reported, and failing the test unless taken', async () => {
    const p = await browser.openPage(`${base}/throws`, { width: 360 });
    expect(() => assertNoPageErrors(p)).toThrow(/uncaught Error: boom from the page/);
    await expect(browser.closePages()).rejects.toThrow(/\/throws: uncaught Error: boom from the page/);
  });

  it('console.error and an unhandled rejection are reported too', async () => {
    const p = await browser.openPage(`${base}/logs`, { width: 1280 });
    const seen: string[] = [];
    await waitUntil(() => {
      seen.push(...takePageErrors(p));
      return seen.length >= 2;
    }, 'both errors are reported');
    expect(seen.sort()).toEqual(['console.error: logged failure', 'uncaught Error: nobody caught this']);
  });

  it('a page without errors closes cleanly', async () => {
    const p = await browser.openPage(`${base}/good`, { width: 1280 });
    expect(takePageErrors(p)).toEqual([]);
    await expect(browser.closePages()).resolves.toBeUndefined();
  });

  it('closing the browser leaves no Chromium process behind', async () => {
    const executable = await chromiumExecutable();
    const before = new Set(chromiumProcesses(executable));
    const own = await launchChromium();
    const context = await own.newContext();
    await (await context.newPage()).goto(`${base}/good`);
    // Only this test's: another worker (or anyone on the machine) may start a Chromium meanwhile.
    const started = chromiumProcesses(executable).filter(
      (pid) => !before.has(pid) && descendsFrom(pid, process.pid),
    );
    expect(started.length).toBeGreaterThan(1); // a browser and its renderer, at least
    await own.close();
    expect(chromiumProcesses(executable).filter((pid) => started.includes(pid))).toEqual([]);
  });
});

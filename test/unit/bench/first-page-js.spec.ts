import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { measureFirstPageJs } from '../../bench/first-page-js';

/** The dashboard bench's first-page JavaScript measurement, on a build laid out as Vite lays it out. */
describe('measureFirstPageJs', () => {
  let dir: string;
  const entry = `import './vendor.js';\n${'console.log("kirim");\n'.repeat(500)}`;
  const vendor = Array.from({ length: 2000 }, (_, i) => `export const v${i} = ${i * 7919};`).join('\n');
  const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kirim-first-page-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-abc.js'), entry);
    writeFileSync(join(dir, 'assets', 'vendor-def.js'), vendor);
    writeFileSync(join(dir, 'assets', 'lazy-route.js'), 'export default 1;');
    writeFileSync(join(dir, 'assets', 'index.css'), 'body{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the module entry and its modulepreloads, each gzipped at level 9, and nothing else', () => {
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html><head>
        <script type="module" crossorigin src="/assets/index-abc.js"></script>
        <link rel="modulepreload" crossorigin href='/assets/vendor-def.js'>
        <link rel="stylesheet" href="/assets/index.css">
        <script type="application/json" id="data">{"a":1}</script>
      </head><body><div id="root"></div></body></html>`,
    );
    const r = measureFirstPageJs(dir);
    expect(r.files.map((f) => f.src)).toEqual(['/assets/index-abc.js', '/assets/vendor-def.js']);
    expect(r.gzipBytes).toBe(gz(entry) + gz(vendor));
    expect(r.bytes).toBe(Buffer.byteLength(entry) + Buffer.byteLength(vendor));
    expect(r.gzipBytes).toBeLessThan(r.bytes);
  });

  it('counts a file named twice once, and inline scripts too', () => {
    writeFileSync(
      join(dir, 'index.html'),
      `<script type=module src=assets/index-abc.js></script><link rel="modulepreload" href="/assets/index-abc.js">
       <script>window.boot = true;</script>`,
    );
    const r = measureFirstPageJs(dir);
    expect(r.files.map((f) => f.src)).toEqual(['assets/index-abc.js', 'inline #1']);
    expect(r.gzipBytes).toBe(gz(entry) + gz('window.boot = true;'));
  });

  it.each(['https://cdn.example.com/react.js', '/assets/missing.js', '/../../etc/passwd'])(
    'refuses a script that is not a file of the build: %s',
    (src) => {
      writeFileSync(join(dir, 'index.html'), `<script type="module" src="${src}"></script>`);
      expect(() => measureFirstPageJs(dir)).toThrow(/not a file of/);
    },
  );
});

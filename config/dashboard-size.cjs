/**
 * The dashboard's size budget: the JavaScript a browser loads for the first page (the entry script of
 * dist/dashboard/index.html and the modules it preloads), gzipped, must stay within 200 KB. Lazy chunks
 * loaded later are listed but do not count.
 *
 *   node config/dashboard-size.cjs          print the sizes; exit 1 over budget (npm run dashboard:size)
 *   node config/dashboard-size.cjs --json   the same as JSON (the bench reads it)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: runs on the built files */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const DIST = join(__dirname, '..', 'dist', 'dashboard');
/** Bytes: 200 KB of gzipped JavaScript for the first page (issue 11). */
const FIRST_PAGE_JS_BUDGET = 200 * 1024;

/** The gzipped size (zlib's default level, as a web server sends it) of a built file. */
const gzipped = (dir, file) => gzipSync(readFileSync(join(dir, file))).length;

/** Paths of the files index.html loads at once, by kind (script src, modulepreload and stylesheet href). */
function firstPageFiles(html) {
  const attr = (tag, name) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const js = [];
  const css = [];
  for (const tag of tags) {
    if (tag.startsWith('<script') && attr(tag, 'src')) js.push(attr(tag, 'src'));
    else if (/rel="modulepreload"/.test(tag)) js.push(attr(tag, 'href'));
    else if (/rel="stylesheet"/.test(tag)) css.push(attr(tag, 'href'));
  }
  const local = (path) => path.replace(/^\//, '');
  return { js: js.map(local), css: css.map(local) };
}

/** Sizes of the built dashboard in `dir`: first-page JS and CSS (gzipped), and every other chunk. */
function dashboardSizes(dir = DIST) {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(`no dashboard build at ${dir} (npm run build)`);
  const first = firstPageFiles(readFileSync(index, 'utf8'));
  const sized = (files) => files.map((file) => ({ file, gzipBytes: gzipped(dir, file) }));
  const js = sized(first.js);
  const assets = existsSync(join(dir, 'assets')) ? readdirSync(join(dir, 'assets')) : [];
  const later = sized(
    assets.map((f) => `assets/${f}`).filter((f) => f.endsWith('.js') && !first.js.includes(f)),
  );
  const firstPageJsGzipBytes = js.reduce((sum, f) => sum + f.gzipBytes, 0);
  return {
    firstPageJs: js,
    firstPageCss: sized(first.css),
    lazyJs: later,
    firstPageJsGzipBytes,
    budgetBytes: FIRST_PAGE_JS_BUDGET,
    withinBudget: firstPageJsGzipBytes <= FIRST_PAGE_JS_BUDGET,
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

module.exports = { dashboardSizes, firstPageFiles, FIRST_PAGE_JS_BUDGET };

if (require.main === module) {
  try {
    const sizes = dashboardSizes();
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(sizes, null, 2)}\n`);
    else {
      for (const f of sizes.firstPageJs)
        process.stdout.write(`first page  ${f.file}  ${kb(f.gzipBytes)} gzip\n`);
      for (const f of sizes.firstPageCss)
        process.stdout.write(`first page  ${f.file}  ${kb(f.gzipBytes)} gzip\n`);
      for (const f of sizes.lazyJs) process.stdout.write(`later       ${f.file}  ${kb(f.gzipBytes)} gzip\n`);
      process.stdout.write(
        `first page JavaScript: ${kb(sizes.firstPageJsGzipBytes)} gzipped of ${kb(sizes.budgetBytes)} allowed\n`,
      );
    }
    process.exit(sizes.withinBudget ? 0 : 1);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

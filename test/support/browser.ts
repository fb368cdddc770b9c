import AxeBuilder from '@axe-core/playwright';
import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Browser, BrowserContext, chromium, errors, Locator, Page } from 'playwright-core';

/**
 * Headless Chromium for the dashboard's page tests: the browser comes with `npm install`
 * (`@sparticuz/chromium`, driven by `playwright-core`), nothing is downloaded at test time.
 *
 *   const browser = useBrowser();           // in a describe: closes pages after each test, the browser after all
 *   const page = await browser.openPage(`${t.url}/shipments`, { width: 360 });
 *   await screenshot(page, 'shipments');    // test/e2e/screenshots/shipments-360.png
 *   await axeCheck(page);                   // throws on serious or critical violations
 *
 * A page that throws (uncaught error, unhandled rejection), logs with `console.error` or crashes fails the
 * test in the `afterEach` of `useBrowser` (`takePageErrors` consumes the expected ones first).
 */

/** The widths the dashboard is tested at: a phone and a desktop. */
export type PageWidth = 360 | 1280;

export interface OpenPageOptions {
  width: PageWidth;
  /** `id-ID` unless told: the dashboard speaks Bahasa Indonesia by default. */
  locale?: string;
  /** `Asia/Jakarta` unless told: the dashboard shows dates in Jakarta time. */
  timezoneId?: string;
  /** Runs on the blank page before it goes to the URL (cookies, `addInitScript`, routes). */
  beforeLoad?: (page: Page) => Promise<void>;
}

export const SCREENSHOT_DIR = join(__dirname, '..', 'e2e', 'screenshots');

const HEIGHT: Record<PageWidth, number> = { 360: 780, 1280: 800 };
/** The package's folder (its exports hide package.json): build/cjs/index.cjs → ../.. */
const CHROMIUM_PACKAGE = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
const CHROMIUM_VERSION = (
  JSON.parse(readFileSync(join(CHROMIUM_PACKAGE, 'package.json'), 'utf8')) as { version: string }
).version;
/** Where the packaged Chromium is unpacked once per machine and version, shared by every worker. */
const CHROMIUM_DIR = join(tmpdir(), `kirim-chromium-${CHROMIUM_VERSION}`);
const EXTRACT_TIMEOUT_MS = 120_000;
/** The Debian `chromium` package: used only where the packaged build cannot be unpacked. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const errorsOf = new WeakMap<Page, string[]>();

/**
 * The path of the packaged Chromium, unpacked on first use. The package unpacks into `os.tmpdir()` and
 * trusts whatever file it finds there, so a half-written binary of a crashed or concurrent run would be
 * taken for a whole one: it is unpacked in a child process into a private folder that is renamed into
 * place when complete, under a lock file that keeps parallel jest workers from unpacking it twice.
 */
export async function chromiumExecutable(): Promise<string> {
  const binary = join(CHROMIUM_DIR, 'chromium');
  if (existsSync(binary)) return binary;
  const lock = `${CHROMIUM_DIR}.lock`;
  const deadline = Date.now() + EXTRACT_TIMEOUT_MS;
  for (;;) {
    if (existsSync(binary)) return binary;
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        writeFileSync(fd, String(process.pid));
        if (!existsSync(binary)) await unpackChromium();
        return binary;
      } finally {
        closeSync(fd);
        rmSync(lock, { force: true });
      }
    }
    // Another worker is unpacking; a lock older than the timeout is a crashed one's.
    if (Date.now() - lockAge(lock) > EXTRACT_TIMEOUT_MS) rmSync(lock, { force: true });
    if (Date.now() > deadline) throw new Error(`Chromium was not unpacked into ${CHROMIUM_DIR} in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

async function unpackChromium(): Promise<void> {
  mkdirSync(dirname(CHROMIUM_DIR), { recursive: true });
  const partial = mkdtempSync(`${CHROMIUM_DIR}.partial-`);
  try {
    const script = `require(${JSON.stringify(require.resolve('@sparticuz/chromium'))}).executablePath()
      .then((p) => process.stdout.write(p), (e) => { console.error(e); process.exit(1); })`;
    await promisify(execFile)(process.execPath, ['-e', script], {
      env: { ...process.env, TMPDIR: partial },
      timeout: EXTRACT_TIMEOUT_MS,
    });
    if (!existsSync(join(partial, 'chromium'))) throw new Error(`no chromium binary in ${partial}`);
    renameSync(partial, CHROMIUM_DIR);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * Chromium's arguments: the package's, less `--single-process` and its GPU emulation. Single-process
 * Chromium serves one page per browser; with separate renderer processes one browser serves a fresh context
 * per page, which was measured faster here (four pages: 0.6 s against 0.9 s with a browser each). The
 * package draws through SwiftShader, a GPU emulated on the CPU; with the GPU off Chromium rasterizes in
 * software directly, and a browser suite cost a quarter less CPU (75 against 57 CPU-seconds), pages alike.
 */
export function chromiumArgs(): string[] {
  // The package is an ES module to TypeScript's eyes, a CommonJS class to require().
  const packaged = createRequire(__filename)('@sparticuz/chromium') as { args: string[] };
  const dropped = new Set([
    '--single-process',
    '--use-gl=angle',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--in-process-gpu',
    '--ignore-gpu-blocklist',
  ]);
  return [...packaged.args.filter((a) => !dropped.has(a)), '--disable-gpu'];
}

/** Launches headless Chromium: the packaged build, or the Debian one where that cannot run. */
export async function launchChromium(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = await chromiumExecutable();
  } catch (e) {
    if (!existsSync(SYSTEM_CHROMIUM)) throw e;
    return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: ['--no-sandbox'], headless: true });
  }
  return chromium.launch({ executablePath, args: chromiumArgs(), headless: true });
}

export interface BrowserHarness {
  /** A new page (its own context: no cookies or storage shared with other pages) loaded at `url`. */
  openPage(url: string, options: OpenPageOptions): Promise<Page>;
  /** Closes the open pages; throws, listing them, if any reported errors (run after each test). */
  closePages(): Promise<void>;
}

/**
 * One browser for the describe block that calls it, launched on first use: each page gets a context
 * of its own, closed after the test, once its errors have been checked; the browser is closed after all.
 */
export function useBrowser(): BrowserHarness {
  let browser: Promise<Browser> | undefined;
  const open: { context: BrowserContext; page: Page }[] = [];

  const harness: BrowserHarness = {
    async closePages() {
      const pages = open.splice(0);
      const errors = pages.flatMap(({ page }) => takePageErrors(page).map((e) => `${page.url()}: ${e}`));
      await Promise.all(pages.map(({ context }) => context.close().catch(() => undefined)));
      if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
    },
    async openPage(url, options) {
      browser ??= launchChromium();
      const context = await (
        await browser
      ).newContext({
        viewport: { width: options.width, height: HEIGHT[options.width] },
        deviceScaleFactor: 1,
        isMobile: options.width === 360,
        hasTouch: options.width === 360,
        locale: options.locale ?? 'id-ID',
        timezoneId: options.timezoneId ?? 'Asia/Jakarta',
      });
      const page = await context.newPage();
      open.push({ context, page });
      captureErrors(page);
      await options.beforeLoad?.(page);
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
  };
  afterEach(() => harness.closePages());
  afterAll(async () => {
    await harness.closePages().catch(() => undefined);
    if (browser) await (await browser).close();
  });
  return harness;
}

function captureErrors(page: Page): void {
  const errors: string[] = [];
  errorsOf.set(page, errors);
  page.on('pageerror', (e) => errors.push(`uncaught ${e.name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('crash', () => errors.push('the page crashed'));
}

/** The errors the page reported since it opened (or since the last call), which no longer fail the test. */
export function takePageErrors(page: Page): string[] {
  const errors = errorsOf.get(page);
  if (!errors) throw new Error('not a page of useBrowser().openPage');
  return errors.splice(0);
}

/** Throws, listing them, when the page has reported errors (they stay reported). */
export function assertNoPageErrors(page: Page): void {
  const errors = errorsOf.get(page) ?? [];
  if (errors.length) throw new Error(`${page.url()} reported errors:\n${errors.join('\n')}`);
}

/** Whether the element has the keyboard's focus. */
export async function isFocused(element: Locator): Promise<boolean> {
  return element.evaluate((el) => el === el.ownerDocument.activeElement);
}

/** Writes the whole page as `test/e2e/screenshots/<name>-<width>.png` (git-ignored) and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}": use a-z, 0-9 and -`);
  const width = page.viewportSize()?.width;
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // On a loaded machine a full-page capture has hung past Playwright's 30 s once in many runs (the test
  // passed alone): a capture gets 15 s, then one more try, rather than failing the test's page checks.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path, fullPage: true, animations: 'disabled', timeout: 15_000 });
      return path;
    } catch (e) {
      if (!(e instanceof errors.TimeoutError) || attempt === 2) throw e;
    }
  }
}

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

/**
 * Runs axe-core on the page and throws, one line a violation with the elements it found, when any
 * violation is serious or critical; returns all violations (the minor and moderate ones too).
 */
export async function axeCheck(
  page: Page,
  options: { exclude?: string[]; disableRules?: string[] } = {},
): Promise<{ id: string; impact: AxeImpact; help: string; targets: string[] }[]> {
  // Legacy mode runs axe in the page itself: the default runs each frame apart and then opens a blank page
  // to merge them, which doubled every check's time (1.3 s against 2.4 s here, the same findings). It
  // misses only cross-origin frames, and the dashboard has none. Only violations are collected in full:
  // every rule still runs, but the elements that pass are not gathered (a quarter of each check's time).
  let builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  const results = await builder.analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'minor',
    help: v.help,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length)
    throw new Error(
      `axe-core: ${bad.length} serious or critical violation(s) on ${page.url()}:\n` +
        bad
          .map(
            (v) =>
              `- ${v.id} (${v.impact}): ${v.help}: ${v.targets.slice(0, 5).join(', ')}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ''}`,
          )
          .join('\n'),
    );
  return violations;
}

/**
 * What runs past its box in the page's money tables and other `selector` cells: a cell wider than its
 * content box allows (its text cut or spilling), a cell past its row's right edge (a phone's card), or a
 * table's scroller wider than itself. One line each, with the cell's text; none is what a test wants.
 */
export async function overflowingCells(
  page: Page,
  selector = '.money-table :is(tbody, tfoot) :is(td, th)',
): Promise<string[]> {
  // A script, not a function: the tests' TypeScript has no DOM types.
  return page.evaluate<string[]>(`(() => {
    const found = [];
    const name = (e) => (e.textContent ?? '').trim().slice(0, 60);
    for (const cell of document.querySelectorAll(${JSON.stringify(selector)})) {
      if (!cell.offsetParent) continue;
      const row = cell.closest('tr');
      if (cell.scrollWidth > cell.clientWidth + 1) found.push('cell wider than its box: ' + name(cell));
      if (row && cell.getBoundingClientRect().right > row.getBoundingClientRect().right + 1)
        found.push('cell past its row: ' + name(cell));
    }
    for (const scroller of document.querySelectorAll('.table-scroll'))
      if (scroller.scrollWidth > scroller.clientWidth + 1)
        found.push('table wider than its scroller (' + scroller.scrollWidth + ' > ' + scroller.clientWidth + '): ' +
          scroller.getAttribute('aria-label'));
    return found;
  })()`);
}

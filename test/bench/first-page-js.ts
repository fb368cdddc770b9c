import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The dashboard's budget for JavaScript sent with the first page, gzipped (issue 11). */
export const FIRST_PAGE_JS_BUDGET_BYTES = 200 * 1024;

export interface FirstPageJs {
  /** Each script the first page loads, as `index.html` names it (`inline #n` for inline scripts). */
  files: { src: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find(Boolean);

/**
 * The JavaScript a browser fetches for the built SPA's first page: every `<script src>` and
 * `<link rel="modulepreload">` of `index.html` in `dir` (what Vite emits for the entry and the chunks it
 * imports statically; lazily loaded routes are not sent), plus inline scripts, each gzipped at level 9.
 * Throws when a script is not a file of the build (the dashboard serves its own scripts).
 */
export function measureFirstPageJs(dir: string): FirstPageJs {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const sources: { src: string; text: Buffer }[] = [];
  const seen = new Set<string>();
  const add = (src: string) => {
    const path = normalize(join(dir, decodeURI(src.split(/[?#]/)[0])));
    const inside = relative(dir, path);
    if (/^[a-z]+:|^\/\//i.test(src) || inside.startsWith(`..${sep}`) || !existsSync(path))
      throw new Error(`index.html loads ${src}, which is not a file of ${dir}`);
    if (seen.has(path)) return;
    seen.add(path);
    sources.push({ src, text: readFileSync(path) });
  };
  let inline = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const src = attr(`<script ${m[1]}>`, 'src');
    const type = attr(`<script ${m[1]}>`, 'type');
    if (src) add(src);
    else if (m[2].trim() && (!type || /module|javascript/i.test(type)))
      sources.push({ src: `inline #${++inline}`, text: Buffer.from(m[2]) });
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attr(m[0], 'rel')?.toLowerCase().split(/\s+/) ?? [];
    const href = attr(m[0], 'href');
    if (href && rel.includes('modulepreload')) add(href);
  }
  const files = sources.map(({ src, text }) => ({
    src,
    bytes: text.length,
    gzipBytes: gzipSync(text, { level: 9 }).length,
  }));
  return {
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0),
  };
}

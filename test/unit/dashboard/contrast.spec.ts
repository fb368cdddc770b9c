import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CSS = readFileSync(join(__dirname, '../../../src/dashboard/styles.css'), 'utf8');

/** The colour custom properties of :root, by name (`--ink` → `#1b1f1d`). */
const colours = Object.fromEntries(
  [...CSS.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(([, name, hex]) => [name, hex.toLowerCase()]),
);
const colour = (ref: string) => (ref.startsWith('#') ? ref : colours[ref]);

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe('the dashboard’s colours meet WCAG AA', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  // Every text colour on every background it is used on (styles.css), 4.5:1 for normal text.
  const TEXT: [string, string][] = [
    ['--ink', '--paper'],
    ['--ink', '--panel'],
    ['--muted', '--paper'],
    ['--muted', '--panel'],
    ['--brand', '--paper'],
    ['--brand', '--panel'],
    ['--caution', '--paper'],
    ['--caution', '--panel'],
    ['#ffffff', '--brand'],
    ['#ffffff', '--brand-dark'],
    ['--error', '--paper'],
    ['--error', '--panel'],
  ];

  it.each(TEXT)('text %s on %s is at least 4.5:1', (fg, bg) => {
    expect(colour(fg)).toMatch(/^#[0-9a-f]{6}$/);
    expect(colour(bg)).toMatch(/^#[0-9a-f]{6}$/);
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it('the focus ring and field borders stand out from the page (3:1 for non-text)', () => {
    for (const bg of ['--paper', '--panel']) {
      expect(contrast(colours['--focus'], colours[bg])).toBeGreaterThanOrEqual(3);
      expect(contrast(colours['--muted'], colours[bg])).toBeGreaterThanOrEqual(3);
    }
  });
});

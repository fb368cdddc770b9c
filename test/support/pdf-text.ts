import { inflateSync } from 'node:zlib';

/** WinAnsi bytes pdfkit writes for the standard fonts that differ from Latin-1 (the en dash). */
const WIN_ANSI: Record<number, string> = { 0x85: '…', 0x96: '–', 0x97: '—' };

/**
 * The text a PDF made by pdfkit shows with its standard fonts, one string per text run (`[…] TJ`), in the
 * order written: its content streams inflated, each run's hex strings decoded and joined. Enough to check
 * what a document says without a PDF library.
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const runs: string[] = [];
  const raw = pdf.toString('latin1');
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const text = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)]
        .map((h) =>
          Buffer.from(h[1], 'hex')
            .toString('latin1')
            .replace(/[\x85\x96\x97]/g, (c) => WIN_ANSI[c.charCodeAt(0)]),
        )
        .join('');
      runs.push(text);
    }
    streams.lastIndex = end + 'endstream'.length;
  }
  return runs;
}

/** How many pages a PDF has (its page objects). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

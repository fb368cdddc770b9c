import fc from 'fast-check';
import { delimiterOfHeader, headerLine } from 'src/common/csv-lines';
import { delimiterOf } from 'src/dashboard/pages/kirim/csv';

/** What the header row was before: correct, but in time the square of a long blank line's length. */
const headerByRegex = (text: string) => /[^\r\n]*\S[^\r\n]*/.exec(text)?.[0] ?? '';

describe('the header row of a CSV', () => {
  it('is the first line with a visible character, as the regular expression before found it', () => {
    // Blanks of every kind JavaScript knows (\u00a0, \ufeff, \u2028 are blanks but no line ends to CSV).
    const char = fc.constantFrom(' ', '\t', '\r', '\n', '\u00a0', '\ufeff', '\u2028', ',', ';', 'a');
    fc.assert(
      fc.property(
        fc.array(char, { maxLength: 40 }).map((c) => c.join('')),
        (text) => {
          expect(headerLine(text)).toBe(headerByRegex(text));
        },
      ),
      { numRuns: 2000, seed: 20261207 },
    );
  });

  it('is found after a megabyte of blank line, by the API and the dashboard alike', () => {
    // The regular expression before took about twenty minutes here: the test's time limit fails it.
    const text = `${' \t'.repeat(500_000)}\r\na;b;c\n1;2;3`;
    expect(headerLine(text)).toBe('a;b;c');
    expect(delimiterOfHeader(text)).toBe(';');
    expect(delimiterOf(text)).toBe(';');
  });
});

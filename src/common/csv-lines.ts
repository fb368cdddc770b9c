/**
 * Every line ending a CSV may use, mixed in one file. Left to itself csv-parse takes the first line's ending
 * for the whole file, so a header ending in CRLF (a spreadsheet) with rows ending in LF (an editor, a script
 * appending) read as one long row and was refused for its column count.
 */
export const ANY_LINE_ENDING = ['\r\n', '\n', '\r'];

/** A field separator a spreadsheet's text file may use. */
export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The field separator of a CSV, told by its header row (the first line that is not blank): a tab when it
 * has more tabs than commas and semicolons (a spreadsheet saved as tab-separated text, or rows copied out
 * of one), else `;` when it has more semicolons than commas (what Excel writes in an Indonesian locale,
 * where the comma is the decimal mark), otherwise `,`.
 */
export function delimiterOfHeader(text: string): CsvDelimiter {
  const header = headerLine(text);
  const count = (c: string) => header.split(c).length - 1;
  const tabs = count('\t');
  if (tabs > count(',') && tabs > count(';')) return '\t';
  return count(';') > count(',') ? ';' : ',';
}

/**
 * The first line with a visible character ('' when none), found in one pass: a regular expression for it
 * (any run of non-line-ends around a non-blank) was tried again from every place of a long blank line, in
 * time the square of its length (80 KB of spaces: 7 s, the service's one thread held for all of it).
 */
export function headerLine(text: string): string {
  const first = text.search(/\S/);
  if (first < 0) return '';
  const start = Math.max(text.lastIndexOf('\n', first), text.lastIndexOf('\r', first)) + 1;
  const lineEnd = /[\r\n]/g;
  lineEnd.lastIndex = first;
  return text.slice(start, lineEnd.exec(text)?.index ?? text.length);
}

/** The place (1-based) of the header's last column with a name; 0 when none has one. */
export function lastNamedColumn(header: readonly string[]): number {
  return header.reduce((last, h, i) => (h === '' ? last : i + 1), 0);
}

/** A separator as a reader names it, in the message that says it must be quoted inside a value. */
const DELIMITER_NAME: Record<CsvDelimiter, string> = { ',': 'a comma', ';': 'a semicolon', '\t': 'a tab' };

/**
 * Why a row's cells cannot be put under the header's columns, or null: a row short of the header's last named
 * column, or with a value past the header's last column (a delimiter missing, or one inside an unquoted
 * value, shifts every value after it). Empty cells past the last column, or unnamed columns left off the
 * end, are what spreadsheets leave: no problem. `delimiter` is the file's own, named in the advice (a
 * tab-separated file told of commas sent the seller looking for the wrong thing). `named` is
 * lastNamedColumn(header), given when many rows are checked against one wide header.
 */
export function cellCountProblem(
  cells: readonly string[],
  header: readonly string[],
  delimiter: CsvDelimiter,
  named = lastNamedColumn(header),
): string | null {
  const short = cells.length < named;
  if (!short && cells.slice(header.length).every((c) => c === '')) return null;
  const why = short
    ? 'a delimiter missing?'
    : `a value past the last column: ${DELIMITER_NAME[delimiter]} inside a value needs the value in double quotes`;
  return `has ${cells.length} cells where the header has ${short ? named : header.length} (${why})`;
}

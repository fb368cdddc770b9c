/**
 * Every line ending a CSV may use, mixed in one file. Left to itself csv-parse takes the first line's ending
 * for the whole file, so a header ending in CRLF (a spreadsheet) with rows ending in LF (an editor, a script
 * appending) read as one long row and was refused for its column count.
 */
export const ANY_LINE_ENDING = ['\r\n', '\n', '\r'];

/**
 * The field separator of a CSV, told by its header row (the first line that is not blank): `;` when it has
 * more semicolons than commas (what Excel writes in an Indonesian locale, where the comma is the decimal
 * mark), otherwise `,`.
 */
export function delimiterOfHeader(text: string): ';' | ',' {
  const header = /[^\r\n]*\S[^\r\n]*/.exec(text)?.[0] ?? '';
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

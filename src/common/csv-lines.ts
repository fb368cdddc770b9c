/**
 * Every line ending a CSV may use, mixed in one file. Left to itself csv-parse takes the first line's ending
 * for the whole file, so a header ending in CRLF (a spreadsheet) with rows ending in LF (an editor, a script
 * appending) read as one long row and was refused for its column count.
 */
export const ANY_LINE_ENDING = ['\r\n', '\n', '\r'];

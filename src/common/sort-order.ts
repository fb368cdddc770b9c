/**
 * Strings in plain code-unit order, not the locale's: the order in which transactions take shared rows, so
 * two of them never lock the same rows in opposite orders.
 */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

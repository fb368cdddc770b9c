import { ValueTransformer } from 'typeorm';

/** An amount of Indonesian rupiah, always an integer (safe-integer range). */
export type Rupiah = number;

export function assertRupiah(value: number, what = 'amount'): Rupiah {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of rupiah`);
  return value;
}

/** Maps a PostgreSQL bigint column (read by pg as a string) to a Rupiah number and back. */
export const rupiahColumn: ValueTransformer = {
  to: (value: Rupiah | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : assertRupiah(Number(value), 'bigint column')),
};

const ID_GROUPING = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0, useGrouping: true });

/** `Rp 1.234.567` (Indonesian grouping); a negative amount as `-Rp 1.500`. */
export function formatRupiah(amount: Rupiah): string {
  return `${amount < 0 ? '-' : ''}Rp ${ID_GROUPING.format(Math.abs(amount))}`;
}

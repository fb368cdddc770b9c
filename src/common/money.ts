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

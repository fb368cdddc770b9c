import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PROVINCE_NAMES } from 'src/common/indonesia';
import { DataSource } from 'typeorm';
import type { Area } from './courier-adapter';

/**
 * The courier location mapping ("the spreadsheet each courier exchanges at onboarding"): a place's
 * code in each courier's scheme. Codes carry the province (its index in PROVINCE_NAMES), so a code
 * can be read back; for the one name-keyed API (J&T's tariff) the names are remembered in a table.
 */
const PROVINCE_PREFIX = PROVINCE_NAMES.map(
  (_, i) => String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)),
);

const digits = (text: string, n: number) =>
  (createHash('sha256').update(text.toUpperCase()).digest().readUInt32BE(0) % 10 ** n)
    .toString()
    .padStart(n, '0');

function provinceIndex(province: string): number {
  const i = PROVINCE_NAMES.indexOf(province);
  if (i < 0) throw new RangeError(`unknown province ${province}`);
  return i;
}

export const locationCodes = {
  /** JNE tariff code, 8 characters like CGK10000: province prefix, city letter, 5 digits. */
  jne: (a: Area) =>
    `${PROVINCE_PREFIX[provinceIndex(a.province)]}${String.fromCharCode(65 + (Number(digits(a.city, 2)) % 26))}${digits(`${a.city}|${a.district}`, 5)}`,
  /** J&T 3-letter city code and ≤10-character area code (city code + 4 digits). */
  jntCity: (a: Area) =>
    `${PROVINCE_PREFIX[provinceIndex(a.province)]}${String.fromCharCode(65 + (Number(digits(a.city, 2)) % 26))}`,
  jntArea: (a: Area) => `${locationCodes.jntCity(a)}${digits(`${a.city}|${a.district}`, 4)}`,
  /** SAP district code, 6 characters like JK1007. */
  sap: (a: Area) => `${PROVINCE_PREFIX[provinceIndex(a.province)]}${digits(`${a.city}|${a.district}`, 4)}`,
  /** ID Express numeric ids: province index × 10⁶ + a number for the city or district. */
  idexpressCity: (a: Area) => (provinceIndex(a.province) + 1) * 1_000_000 + Number(digits(a.city, 5)),
  idexpressDistrict: (a: Area) =>
    (provinceIndex(a.province) + 1) * 1_000_000 + Number(digits(`${a.city}|${a.district}`, 5)),
};

/** The province a code of any scheme above belongs to, or null for a code no mapping produced. */
export function provinceOfCode(code: string | number): string | null {
  if (typeof code === 'number' || /^\d+$/.test(String(code))) {
    const i = Math.floor(Number(code) / 1_000_000) - 1;
    return PROVINCE_NAMES[i] ?? null;
  }
  const i = PROVINCE_PREFIX.indexOf(String(code).slice(0, 2).toUpperCase());
  return i >= 0 ? PROVINCE_NAMES[i] : null;
}

/** Remembers place names for name-keyed courier APIs and finds their province again. */
@Injectable()
export class LocationDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async remember(...areas: Area[]): Promise<void> {
    for (const a of areas) {
      await this.dataSource.query(
        'INSERT INTO courier_locations (province, city, district) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [a.province, a.city, a.district],
      );
    }
  }

  async provinceOfCity(name: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ province: string }[]>(
      'SELECT province FROM courier_locations WHERE upper(city) = upper($1) LIMIT 1',
      [name],
    );
    return rows[0]?.province ?? null;
  }

  async placeOfDistrict(name: string): Promise<{ province: string; city: string } | null> {
    const rows = await this.dataSource.query<{ province: string; city: string }[]>(
      'SELECT province, city FROM courier_locations WHERE upper(district) = upper($1) LIMIT 1',
      [name],
    );
    return rows[0] ?? null;
  }
}

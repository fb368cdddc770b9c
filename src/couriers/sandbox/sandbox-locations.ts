import type { CourierCode } from '../courier-adapter';
import type { LocationRow } from '../location-file';

/** A district of the area directory, as the generator reads it (AreasService.districts or the tables). */
export interface DirectoryDistrict {
  code: string;
  name: string;
  regency: { code: string; name: string };
  province: { code: string; name: string };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** n (0-based) as `width` letters, AAA, AAB, …: unique while n < 26^width. */
function letters(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i += 1) {
    out = LETTERS[n % 26] + out;
    n = Math.floor(n / 26);
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const upper = (text: string) => text.toUpperCase();

/**
 * A sandbox courier's COMPLETE location mapping, made from the area directory in that courier's style, the
 * way its onboarding spreadsheet would look (couriers/README.md §2.3). Deterministic: the same directory
 * always gives the same codes, and every code is unique within its courier. Ordinals come from the
 * directory's code order (provinces, regencies within the country, districts within their regency):
 *  - JNE: 8-character tariff code `CGK10000`-style — 3 letters for the regency, "1", 4 digits for the district.
 *  - J&T: 3-letter city code per regency, area code = city code + 3 digits (`JKT001`); the tariff's names
 *    (district and city, upper case) as the labels.
 *  - SAP: 6-character district code `JK1007`-style — 2 letters for the province, 2 digits for the regency
 *    within it, 2 for the district within the regency; city code = its first 4 characters.
 *  - ID Express: numeric ids — city 10000 + regency ordinal, district 100000 + district ordinal.
 *  - Ninja: its L1/L2/L3 names (province, city, district: the directory's own spelling).
 * Nothing here is a real courier's code: a courier with real credentials uses only what the operator loads.
 */
export function sandboxLocationRows(
  courier: CourierCode,
  districts: readonly DirectoryDistrict[],
): LocationRow[] {
  const sorted = [...districts].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const rows: LocationRow[] = [];
  let province = -1;
  let regency = -1;
  let regencyInProvince = -1;
  let districtInRegency = 0;
  let lastProvince = '';
  let lastRegency = '';
  sorted.forEach((d, ordinal) => {
    if (d.province.code !== lastProvince) {
      province += 1;
      regencyInProvince = -1;
      lastProvince = d.province.code;
    }
    if (d.regency.code !== lastRegency) {
      regency += 1;
      regencyInProvince += 1;
      districtInRegency = 0;
      lastRegency = d.regency.code;
    }
    districtInRegency += 1;
    rows.push({
      districtCode: d.code,
      ...codesOf(courier, d, { province, regency, regencyInProvince, districtInRegency, ordinal }),
    });
  });
  return rows;
}

function codesOf(
  courier: CourierCode,
  d: DirectoryDistrict,
  n: {
    province: number;
    regency: number;
    regencyInProvince: number;
    districtInRegency: number;
    ordinal: number;
  },
): Omit<LocationRow, 'districtCode'> {
  const none = { label: null, cityCode: null, cityLabel: null, provinceLabel: null };
  switch (courier) {
    case 'jne':
      return { ...none, code: `${letters(n.regency, 3)}1${pad(n.districtInRegency, 4)}` };
    case 'jnt': {
      // Offset so J&T's city letters do not read as JNE's for the same regency.
      const city = letters(n.regency + 7_000, 3);
      return {
        ...none,
        code: `${city}${pad(n.districtInRegency, 3)}`,
        cityCode: city,
        label: upper(d.name),
        cityLabel: upper(d.regency.name),
      };
    }
    case 'sap': {
      const city = `${letters(n.province, 2)}${pad(n.regencyInProvince, 2)}`;
      return { ...none, code: `${city}${pad(n.districtInRegency, 2)}`, cityCode: city };
    }
    case 'idexpress':
      return { ...none, code: String(100_000 + n.ordinal), cityCode: String(10_000 + n.regency) };
    case 'ninja':
      return {
        ...none,
        code: d.name,
        label: d.name,
        cityLabel: d.regency.name,
        provinceLabel: d.province.name,
      };
  }
}

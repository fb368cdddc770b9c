/**
 * Indonesia's island groups and the distance zones between provinces: how far a parcel travels,
 * which drives price levels and transit days (the sandbox world's tariffs, and ETA estimates for
 * couriers that publish none).
 */
export type Region = 'sumatra' | 'java' | 'bali_nusa' | 'kalimantan' | 'sulawesi' | 'maluku_papua';

const REGIONS: Record<Region, string[]> = {
  sumatra: [
    'Aceh',
    'Sumatera Utara',
    'Sumatera Barat',
    'Riau',
    'Kepulauan Riau',
    'Jambi',
    'Sumatera Selatan',
    'Kepulauan Bangka Belitung',
    'Bengkulu',
    'Lampung',
  ],
  java: ['DKI Jakarta', 'Jawa Barat', 'Banten', 'Jawa Tengah', 'DI Yogyakarta', 'Jawa Timur'],
  bali_nusa: ['Bali', 'Nusa Tenggara Barat', 'Nusa Tenggara Timur'],
  kalimantan: [
    'Kalimantan Barat',
    'Kalimantan Tengah',
    'Kalimantan Selatan',
    'Kalimantan Timur',
    'Kalimantan Utara',
  ],
  sulawesi: [
    'Sulawesi Utara',
    'Gorontalo',
    'Sulawesi Tengah',
    'Sulawesi Barat',
    'Sulawesi Selatan',
    'Sulawesi Tenggara',
  ],
  maluku_papua: [
    'Maluku',
    'Maluku Utara',
    'Papua',
    'Papua Barat',
    'Papua Barat Daya',
    'Papua Tengah',
    'Papua Pegunungan',
    'Papua Selatan',
  ],
};
const REGION_OF = new Map<string, Region>(
  Object.entries(REGIONS).flatMap(([r, ps]) => ps.map((p) => [p, r as Region])),
);

export function regionOf(province: string): Region {
  const region = REGION_OF.get(province);
  if (!region) throw new RangeError(`unknown province ${province}`);
  return region;
}

/** 0 same province, 1 same island group, 2 neighbouring groups (Java with Sumatra/Bali-Nusa/Kalimantan), 3 farther, 4 to or from Maluku/Papua. */
export function zoneOf(originProvince: string, destinationProvince: string): number {
  if (originProvince === destinationProvince) return 0;
  const a = regionOf(originProvince);
  const b = regionOf(destinationProvince);
  if (a === 'maluku_papua' || b === 'maluku_papua') return a === b ? 3 : 4;
  if (a === b) return 1;
  const near = new Set([
    'java:sumatra',
    'java:bali_nusa',
    'java:kalimantan',
    'sumatra:java',
    'bali_nusa:java',
    'kalimantan:java',
  ]);
  return near.has(`${a}:${b}`) ? 2 : 3;
}

/**
 * Indonesia's three time zones by island group: WIT is Maluku and Papua; WITA is Bali and Nusa Tenggara,
 * Sulawesi, and the south, east and north of Kalimantan (its west and centre keep WIB, as Java and Sumatra).
 */
const WITA = new Set([
  ...REGIONS.bali_nusa,
  ...REGIONS.sulawesi,
  'Kalimantan Selatan',
  'Kalimantan Timur',
  'Kalimantan Utara',
]);
const WIT = new Set(REGIONS.maluku_papua);

/** The time zone a province lives by: WIB (Asia/Jakarta), WITA (Asia/Makassar) or WIT (Asia/Jayapura). */
export function timezoneOf(province: string): string {
  if (WITA.has(province)) return 'Asia/Makassar';
  if (WIT.has(province)) return 'Asia/Jayapura';
  return 'Asia/Jakarta';
}

/** Hours ahead of UTC of Indonesia's time zones (none keeps summer time). */
const ZONE_HOURS: Readonly<Record<string, number>> = {
  'Asia/Jakarta': 7,
  'Asia/Makassar': 8,
  'Asia/Jayapura': 9,
};

/** Hours ahead of UTC of a zone timezoneOf names; WIB for any other. */
export function utcOffsetHours(timezone: string): number {
  return ZONE_HOURS[timezone] ?? 7;
}

import type { CourierLocations, LocationRow, RouteCodes } from 'src/couriers/locations';

/** A courier's row for a district, as an operator's mapping would hold it (unit tests of the mappers). */
export const locationRow = (
  districtCode: string,
  row: Partial<LocationRow> & { code: string },
): LocationRow => ({
  districtCode,
  label: null,
  cityCode: null,
  cityLabel: null,
  provinceLabel: null,
  ...row,
});

/** Codes in each courier's real style, for Bandung (Sumur Bandung) → Jakarta Pusat (Menteng). */
export const ROUTE_CODES: Record<'jne' | 'jnt' | 'sap' | 'idexpress', RouteCodes> = {
  jne: {
    from: locationRow('32.73.19', { code: 'BDO10000' }),
    to: locationRow('31.71.06', { code: 'CGK10000' }),
  },
  jnt: {
    from: locationRow('32.73.19', {
      code: 'BDO001',
      cityCode: 'BDO',
      label: 'SUMUR BANDUNG',
      cityLabel: 'BANDUNG',
    }),
    to: locationRow('31.71.06', { code: 'JKT001', cityCode: 'JKT', label: 'MENTENG', cityLabel: 'JAKARTA' }),
  },
  sap: {
    from: locationRow('32.73.19', { code: 'JB0401', cityCode: 'JB04' }),
    to: locationRow('31.71.06', { code: 'JK1007', cityCode: 'JK10' }),
  },
  idexpress: {
    from: locationRow('32.73.19', { code: '320401', cityCode: '3204' }),
    to: locationRow('31.71.06', { code: '310106', cityCode: '3101' }),
  },
};

/** For adapters whose tested paths read no location codes (webhooks, decoding). */
export const NO_LOCATIONS = undefined as unknown as CourierLocations;

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DirectoryRow, VillageRow } from './area-index';
import type { RegencyKind } from './area-words';

/** The area directory's tables (loaded by migrations 1795473000000 and 1795484000000, read-only at run time). */
@Injectable()
export class AreasRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every district with its regency and province, in code order. */
  async directory(): Promise<DirectoryRow[]> {
    const rows = await this.dataSource.query<
      {
        code: string;
        name: string;
        search_name: string;
        regency_code: string;
        regency_name: string;
        regency_kind: RegencyKind;
        regency_search_name: string;
        province_code: string;
        province_name: string;
        province_official_name: string;
      }[]
    >(
      `SELECT d.code, d.name, d.search_name, r.code AS regency_code, r.name AS regency_name,
              r.kind AS regency_kind, r.search_name AS regency_search_name, p.code AS province_code,
              p.name AS province_name, p.official_name AS province_official_name
         FROM area_districts d
         JOIN area_regencies r ON r.code = d.regency_code
         JOIN area_provinces p ON p.code = r.province_code
        ORDER BY d.code`,
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      searchName: r.search_name,
      regencyCode: r.regency_code,
      regencyName: r.regency_name,
      regencyKind: r.regency_kind,
      regencySearchName: r.regency_search_name,
      provinceCode: r.province_code,
      provinceName: r.province_name,
      provinceOfficialName: r.province_official_name,
    }));
  }

  /** Every village with the district it lies in. */
  async villages(): Promise<VillageRow[]> {
    const rows = await this.dataSource.query<{ district_code: string; name: string }[]>(
      'SELECT district_code, name FROM area_villages ORDER BY code',
    );
    return rows.map((r) => ({ districtCode: r.district_code, name: r.name }));
  }
}

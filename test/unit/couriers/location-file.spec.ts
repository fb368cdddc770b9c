import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import {
  LOCATION_COLUMNS,
  LocationRow,
  MAX_LOCATION_ROWS,
  readLocationFile,
} from 'src/couriers/location-file';
import { DirectoryDistrict, sandboxLocationRows } from 'src/couriers/sandbox/sandbox-locations';
import { keysFor } from 'src/scoring/delivery-stats.service';

const known = new Set(['32.73.19', '31.71.06', '35.78.04']);
const isDistrict = (code: string) => known.has(code);

describe('a courier location file (docs/courier-locations.md)', () => {
  it('reads every row of a good file, in any column order, trimming values and leaving empty optional ones null', () => {
    const file = [
      'code,district_code,city_code,label,city_label',
      'BDO001,32.73.19,BDO,SUMUR BANDUNG,BANDUNG',
      ' JKT001 , 31.71.06 ,JKT,MENTENG,"JAKARTA, PUSAT"',
      '',
    ].join('\r\n');
    expect(readLocationFile('jnt', file, isDistrict)).toEqual({
      ok: true,
      rows: [
        {
          districtCode: '32.73.19',
          code: 'BDO001',
          cityCode: 'BDO',
          label: 'SUMUR BANDUNG',
          cityLabel: 'BANDUNG',
          provinceLabel: null,
        },
        {
          districtCode: '31.71.06',
          code: 'JKT001',
          cityCode: 'JKT',
          label: 'MENTENG',
          cityLabel: 'JAKARTA, PUSAT',
          provinceLabel: null,
        },
      ],
    });
    expect(
      readLocationFile('jne', '\ufeffdistrict_code,code\n32.73.19,BDO10000\n', isDistrict),
    ).toMatchObject({
      ok: true,
      rows: [{ districtCode: '32.73.19', code: 'BDO10000', label: null, cityCode: null }],
    });
    // A header ending in CRLF and rows in LF or CR: each line is a row.
    expect(
      readLocationFile('jne', 'district_code,code\r\n32.73.19,BDO10000\n31.71.06,CGK10000\r', isDistrict),
    ).toMatchObject({ ok: true, rows: [{ code: 'BDO10000' }, { code: 'CGK10000' }] });
  });

  it('refuses the whole file naming each bad row (the header is row 1)', () => {
    const file = [
      'district_code,code',
      '32.73.19,BDO10000', // row 2: fine
      '99.99.99,XXX10000', // row 3: not a district
      '31.71.06,', // row 4: empty code
      '35.78.04,CGK1000000000', // row 5: too long for JNE
      '32.73.19,BDO10001', // row 6: district again
      '31.71.06,CGK10000,extra', // row 7: column count
      '31.71.06,CG\u0000K', // row 8: control character
      'not-a-code,CGK10000', // row 9: malformed district code
    ].join('\n');
    const read = readLocationFile('jne', file, isDistrict);
    expect(read).toEqual({
      ok: false,
      problems: [
        'row 3: district_code "99.99.99" is not a district',
        'row 4: code is empty',
        'row 5: code "CGK1000000000" is not up to 10 capital letters or digits',
        'row 6: district_code 32.73.19 is already given in row 2',
        'row 7: 3 columns, the header has 2',
        'row 8: code contains a control or invisible character',
        'row 9: district_code "not-a-code" is not a district',
      ],
    });
  });

  it('refuses a value of invisible characters (zero-width space, direction override, U+FFFE) as a control one', () => {
    const file = [
      'district_code,code,city_label,province_label',
      '31.71.06,\u200b,Jakarta Pusat,DKI Jakarta', // row 2: a code of a zero-width space only
      '32.73.19,Sumur Bandung,Kota \u202eBandung,Jawa Barat', // row 3: a direction override in a label
      '35.78.01,Genteng,Surabaya,\ufffe', // row 4: a non-character
    ].join('\n');
    expect(readLocationFile('ninja', file, () => true)).toEqual({
      ok: false,
      problems: [
        'row 2: code contains a control or invisible character',
        'row 3: city_label contains a control or invisible character',
        'row 4: province_label contains a control or invisible character',
      ],
    });
  });

  it('refuses a value of letters that show nothing (Hangul filler, blank Braille) and one of two lines (U+2028)', () => {
    const file = [
      'district_code,code,city_label,province_label',
      '31.71.06,\u3164,Jakarta Pusat,DKI Jakarta', // row 2: a code of a Hangul filler only
      '32.73.19,Sumur Bandung,\u2800\u2800,Jawa Barat', // row 3: a label of blank Braille
      '35.78.01,Genteng,Kota\u2028Surabaya,Jawa Timur', // row 4: a line separator in a label
      '35.78.04,Tegalsari,Surabaya,Jawa\u2029Timur', // row 5: a paragraph separator
      '35.78.05,Bubutan\u3164,Surabaya,Jawa Timur', // row 6: a filler beside letters is no harm
    ].join('\n');
    expect(readLocationFile('ninja', file, () => true)).toEqual({
      ok: false,
      problems: [
        'row 2: code has only invisible characters',
        'row 3: city_label has only invisible characters',
        'row 4: city_label must be one line: no line breaks',
        'row 5: province_label must be one line: no line breaks',
      ],
    });
  });

  it('lists the first 20 problems, then says from which row nothing was checked', () => {
    const file = `district_code,code\n${'99.99.99,CGK10000\n'.repeat(30)}`;
    const read = readLocationFile('jne', file, isDistrict);
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems).toHaveLength(21);
    expect(problems[19]).toBe('row 21: district_code "99.99.99" is not a district');
    expect(problems[20]).toBe('… and rows after row 21 not checked: the first 20 problems are listed');
  });

  it('refuses a file of more rows than a mapping can have once it has read that many, not after reading all', () => {
    const file = `district_code,code\n${'x\n'.repeat(MAX_LOCATION_ROWS + 1)}`;
    expect(readLocationFile('jne', file, isDistrict)).toEqual({
      ok: false,
      problems: [
        `the file has more than ${MAX_LOCATION_ROWS} rows: a mapping has one row per district (the directory has 7,277)`,
      ],
    });
    // Exactly that many is read, and judged row by row.
    const full = readLocationFile(
      'jne',
      `district_code,code\n${'x\n'.repeat(MAX_LOCATION_ROWS)}`,
      isDistrict,
    );
    expect(full.ok === false && full.problems[0]).toMatch(/^row 2: /);
  });

  it('names the row a record starts on when a quoted cell spans lines (LF or CRLF), blank lines counted', () => {
    const file = [
      'district_code,label,code', // row 1
      '', // row 2
      '32.73.19,"SUMUR', // row 3: a label over three lines (a line break is a control character)
      'BANDUNG\r',
      'KOTA",BDO10000',
      '',
      '31.71.06,"MENTENG\r\nJAKARTA",CGK10000', // row 7, over rows 7-8
      '99.99.99,X,XXX10000', // row 9
    ].join('\n');
    expect(readLocationFile('jne', file, isDistrict)).toEqual({
      ok: false,
      problems: [
        'row 3: label contains a control or invisible character',
        'row 7: label contains a control or invisible character',
        'row 9: district_code "99.99.99" is not a district',
      ],
    });
  });

  it('refuses a file separated by semicolons or tabs (as the docs ask for commas), saying to save it with commas', () => {
    expect(readLocationFile('jne', '\ufeffdistrict_code;code\r\n32.73.19;BDO10000\r\n', isDistrict)).toEqual({
      ok: false,
      problems: [
        'row 1: the columns are separated by semicolons; save the file as CSV separated by commas (docs/courier-locations.md)',
      ],
    }); // Tab-separated (a spreadsheet saved as text): refused as such, not as one unknown column.
    expect(readLocationFile('jne', 'district_code\tcode\r\n32.73.19\tBDO10000\r\n', isDistrict)).toEqual({
      ok: false,
      problems: [
        'row 1: the columns are separated by tabs; save the file as CSV separated by commas (docs/courier-locations.md)',
      ],
    });
  });

  it('refuses a header without the courier’s columns, unknown or repeated columns, and a file without rows', () => {
    expect(readLocationFile('jnt', 'district_code,code\n32.73.19,BDO001\n', isDistrict)).toEqual({
      ok: false,
      problems: [
        'row 1: the header has no city_code column (needed for jnt)',
        'row 1: the header has no label column (needed for jnt)',
        'row 1: the header has no city_label column (needed for jnt)',
      ],
    });
    expect(readLocationFile('sap', 'district_code,code,code,colour\n', isDistrict)).toEqual({
      ok: false,
      problems: [
        'row 1: column code given twice',
        `row 1: unknown column "colour" (columns: ${LOCATION_COLUMNS.join(', ')})`,
      ],
    });
    expect(readLocationFile('sap', 'district_code,code\n', isDistrict)).toMatchObject({ ok: false });
    expect(readLocationFile('sap', '', isDistrict)).toMatchObject({ ok: false });
    expect(readLocationFile('sap', 'district_code,code\n"32.73.19,JB0401\n', isDistrict)).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^not a CSV file: /)],
    });
  });

  it('holds each courier to its codes’ shape: ID Express ids are numbers', () => {
    const file = 'district_code,code,city_code\n32.73.19,32A,3273\n';
    expect(readLocationFile('idexpress', file, isDistrict)).toEqual({
      ok: false,
      problems: ['row 2: code "32A" is not a number (up to 12 digits)'],
    });
  });
});

describe('the sandbox couriers’ generated mappings', () => {
  const dir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');
  const read = (file: string) =>
    parse<Record<string, string>>(readFileSync(join(dir, file), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
    });
  const provinces = new Map(read('provinces.csv').map((p) => [p.code, p.name]));
  const regencies = new Map(read('regencies.csv').map((r) => [r.code, r]));
  const districts: DirectoryDistrict[] = read('districts.csv').map((d) => {
    const r = regencies.get(d.regency_code)!;
    return {
      code: d.code,
      name: d.name,
      regency: { code: r.code, name: r.name },
      province: { code: r.province_code, name: provinces.get(r.province_code)! },
    };
  });
  const all = new Set(districts.map((d) => d.code));
  const csv = (rows: LocationRow[]) =>
    [
      LOCATION_COLUMNS.join(','),
      ...rows.map((r) =>
        [r.districtCode, r.code, r.label, r.cityCode, r.cityLabel, r.provinceLabel]
          .map((v) => `"${(v ?? '').replace(/"/g, '""')}"`)
          .join(','),
      ),
    ].join('\n');

  it.each(COURIER_CODES)(
    '%s: every district once, a code unique to it, and a file of them the CLI would accept as it is',
    (courier) => {
      const rows = sandboxLocationRows(courier, districts);
      expect(rows).toHaveLength(districts.length);
      expect(new Set(rows.map((r) => r.districtCode)).size).toBe(districts.length);
      if (courier !== 'ninja') expect(new Set(rows.map((r) => r.code)).size).toBe(districts.length);
      expect(readLocationFile(courier, csv(rows), (code) => all.has(code))).toEqual({ ok: true, rows });
      // Deterministic: the directory in another order gives the same codes.
      expect(sandboxLocationRows(courier, [...districts].reverse())).toEqual(rows);
    },
  );

  it('writes codes in each courier’s style', () => {
    const sumurBandung = (courier: (typeof COURIER_CODES)[number]) =>
      sandboxLocationRows(courier, districts).find((r) => r.districtCode === '32.73.19')!;
    expect(sumurBandung('jne').code).toMatch(/^[A-Z]{3}1\d{4}$/);
    expect(sumurBandung('sap')).toMatchObject({ code: expect.stringMatching(/^[A-Z]{2}\d{4}$/) });
    expect(sumurBandung('sap').code.startsWith(sumurBandung('sap').cityCode!)).toBe(true);
    const jnt = sumurBandung('jnt');
    expect(jnt).toMatchObject({ label: 'SUMUR BANDUNG', cityLabel: 'KOTA BANDUNG' });
    expect(jnt.code).toMatch(new RegExp(`^${jnt.cityCode}\\d{3}$`));
    expect(sumurBandung('idexpress').code).toMatch(/^\d+$/);
    // (The raw dataset writes regencies in capitals; the directory's tables in title case.)
    expect(sumurBandung('ninja')).toMatchObject({ code: 'Sumur Bandung', cityLabel: 'KOTA BANDUNG' });
  });
});

describe('the delivery statistics lane', () => {
  it('is origin regency → destination regency when both places have district codes, names otherwise', () => {
    const lane = (o: object, d: object) => keysFor('jne', 'REG', o as never, d as never)[0];
    expect(
      lane(
        { city: 'Kota Surabaya', province: 'Jawa Timur', districtCode: '35.78.04' },
        { city: 'Bandung', province: 'Jawa Barat', districtCode: '32.73.19' },
      ),
    ).toEqual({ level: 'lane', key: 'jne|REG|R35.78|R32.73' });
    expect(
      lane(
        { city: ' kota  surabaya', province: 'Jawa Timur' },
        { city: 'Bandung', province: 'Jawa Barat', districtCode: '32.73.19' },
      ),
    ).toEqual({ level: 'lane', key: 'jne|REG|Jawa Timur|KOTA SURABAYA|Jawa Barat|BANDUNG' });
  });
});

import { ValidationFailedError } from 'src/common/errors/app-error';
import { parseShipmentsCsv } from 'src/shipments/bulk-import/shipments-csv';

const header =
  'reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams,codAmount,courierCode,courierService';

describe('shipments CSV', () => {
  it('maps columns to the JSON shape, integers to numbers, empty cells to absent', () => {
    const { rows } = parseShipmentsCsv(
      `${header}\nA-1,uuid-1,"Budi, S.",0812 9876 5432,Jl. Mawar 1,Bandung,jabar,40111,1200,150000,,\nA-2,uuid-1,Sari,0812,Jl. Melati,Bandung,Jawa Barat,40111,heavy,,jne,REG\n`,
    );
    expect(rows[0]).toEqual({
      reference: 'A-1',
      originAddressId: 'uuid-1',
      recipient: {
        name: 'Budi, S.',
        phone: '0812 9876 5432',
        address: 'Jl. Mawar 1',
        city: 'Bandung',
        province: 'jabar',
        postalCode: '40111',
      },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
    });
    expect(rows[1]).toMatchObject({
      parcel: { weightGrams: 'heavy' },
      courier: { code: 'jne', service: 'REG' },
    });
    expect(rows[1]).not.toHaveProperty('codAmount');
  });

  it('reads a file a spreadsheet saved with semicolons (an Indonesian locale), dots grouping thousands', () => {
    const { rows, lines } = parseShipmentsCsv(
      `\r\n${header.replaceAll(',', ';')}\r\nA-1;uuid-1;"Budi; S., Toko";0812;Jl. Mawar 1, RT 2;Bandung;Jawa Barat;40111;1.200;150.000;;\r\nA-2;uuid-1;Sari;0812;Jl. Melati;Bandung;Jawa Barat;40111;1200,5;1.50.000;;\r\n`,
    );
    expect(lines).toEqual([3, 4]);
    expect(rows[0]).toMatchObject({
      recipient: { name: 'Budi; S., Toko', address: 'Jl. Mawar 1, RT 2' },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
    });
    // Not whole numbers grouped by thousands: left as text, for validation to name.
    expect(rows[1]).toMatchObject({ parcel: { weightGrams: '1200,5' }, codAmount: '1.50.000' });
    // With commas between fields a dot is not a thousands mark.
    const comma = parseShipmentsCsv(
      `${header}\nA-3,uuid-1,Sari,0812,Jl. Melati,Bandung,Jawa Barat,40111,1.200,,,\n`,
    );
    expect(comma.rows[0]).toMatchObject({ parcel: { weightGrams: '1.200' } });
  });

  it('names unknown and missing columns, and unreadable CSV, as the body field', () => {
    const problems = (text: string) => {
      try {
        parseShipmentsCsv(text);
        return [];
      } catch (e) {
        return (e as ValidationFailedError).details.map((d) => d.field);
      }
    };
    expect(problems('reference,colour\nx,red\n')).toEqual(
      expect.arrayContaining(['body.colour', 'body.originAddressId', 'body.weightGrams']),
    );
    expect(problems(`${header}\n"unterminated,1,2\n`)).toEqual(['body']);
  });

  it('matches header names whatever their letter case, surrounding spaces, or spaces and underscores', () => {
    const written =
      ' Reference ,ORIGINADDRESSID,recipient name,Recipient_Phone,recipientaddress,Recipient City,recipient_province,RECIPIENT POSTAL CODE,Weight Grams,cod_amount';
    const { rows } = parseShipmentsCsv(
      `${written}\nA-1,uuid-1,Budi,0812,Jl. Mawar 1,Bandung,Jawa Barat,40111,1200,150000\n`,
    );
    expect(rows).toEqual([
      {
        reference: 'A-1',
        originAddressId: 'uuid-1',
        recipient: {
          name: 'Budi',
          phone: '0812',
          address: 'Jl. Mawar 1',
          city: 'Bandung',
          province: 'Jawa Barat',
          postalCode: '40111',
        },
        parcel: { weightGrams: 1200 },
        codAmount: 150_000,
      },
    ]);
    // Still refused: a name no column has (as written), and one column written two ways.
    const refusal = (csv: string) => {
      try {
        parseShipmentsCsv(csv);
      } catch (e) {
        return (e as ValidationFailedError).details;
      }
      throw new Error('read');
    };
    expect(refusal(`${written},Recipient Nickname\n`)).toEqual([
      { field: 'body.Recipient Nickname', message: 'is not a known column' },
    ]);
    expect(refusal(`${written},reference\n`)).toEqual([
      { field: 'body.reference', message: 'column is given twice' },
    ]);
  });

  it('reads line endings mixed in one file: a spreadsheet header in CRLF, rows in LF or CR', () => {
    const row = (ref: string) => `${ref},uuid-1,Budi,0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,`;
    const { rows, lines } = parseShipmentsCsv(`${header}\r\n${row('A-1')}\n${row('A-2')}\r${row('A-3')}\r\n`);
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(lines).toEqual([2, 3, 4]);
  });

  it('numbers each row as a spreadsheet does: blank lines count, a cell spanning lines stays in its row', () => {
    const row = (ref: string, name = 'Budi') =>
      `${ref},uuid-1,${name},0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,`;
    const { rows, lines } = parseShipmentsCsv(
      `${header}\n${row('A-1')}\n\n${row('A-2', '"Budi\r\nSantoso\nJr"')}\n${row('A-3')}\n`,
    );
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(lines).toEqual([2, 4, 5]);
  });

  it('says an empty file is empty, rather than naming every required column', () => {
    for (const text of ['', '\n\n', '\uFEFF', '  \r\n'])
      expect(() => parseShipmentsCsv(text)).toThrow(
        expect.objectContaining({
          details: [
            { field: 'body', message: expect.stringMatching(/^is empty: the first line must be the header/) },
          ],
        }),
      );
  });

  it('refuses a column given twice rather than keeping the last', () => {
    const twice = () =>
      parseShipmentsCsv(
        `${header},reference\nA-1,uuid-1,Budi,0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,,A-2\n`,
      );
    let refused: unknown = null;
    try {
      twice();
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ValidationFailedError);
    expect((refused as ValidationFailedError).details).toEqual([
      { field: 'body.reference', message: 'column is given twice' },
    ]);
    // A header-only file too: its columns are read from the header as written.
    expect(() => parseShipmentsCsv(`${header}, weightGrams\n`)).toThrow(ValidationFailedError);
  });

  it('stops reading at the first row past the limit: a 10 MB file of short rows is not read to its end', () => {
    const row = (ref: string) => `${ref},uuid-1,Budi,0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,`;
    const rows = Array.from({ length: 5001 }, (_, i) => row(`A-${i}`));
    // An unclosed quote after the row too many: a reader that went on would call the file unreadable.
    const text = [header, ...rows, `"B-1,uuid-1`].join('\n');
    expect(() => parseShipmentsCsv(text)).toThrow(
      expect.objectContaining({
        details: [{ field: 'body', message: 'has more than 5000 rows; at most 5000 per request' }],
      }),
    );
    expect(parseShipmentsCsv([header, ...rows.slice(1)].join('\n')).rows).toHaveLength(5000);
  });

  it('stops reading at the blank row past the limit: 10 MB of `,` lines, which no row limit counted, are not read', () => {
    const row = (ref: string) => `${ref},uuid-1,Budi,0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,`;
    // An unclosed quote after the blank row too many: a reader that went on would call the file unreadable.
    const text = [header, row('A-1'), ...Array<string>(5001).fill(','), `"B-1,uuid-1`].join('\n');
    expect(() => parseShipmentsCsv(text)).toThrow(
      expect.objectContaining({
        details: [
          {
            field: 'body',
            message: "has more than 5000 blank rows; a sheet's rows of empty cells count here",
          },
        ],
      }),
    );
    // As many blank rows as a file may have rows are passed over, as before.
    const parsed = parseShipmentsCsv(
      [header, row('A-1'), ...Array<string>(5000).fill(','), row('A-2')].join('\n'),
    );
    expect(parsed.rows.map((r) => r.reference)).toEqual(['A-1', 'A-2']);
  });

  it('passes over what a spreadsheet leaves past its data: rows of empty cells, columns without a name', () => {
    const row = (ref: string) => `${ref};uuid-1;Budi;0812;Jl. Mawar 1;Bandung;jabar;40111;1.200;150.000;;`;
    // Excel saves a row that once held something as separators alone, and a formatted column past the
    // last as an empty header cell: neither is a shipment or a column.
    const excel = [
      `${header.replaceAll(',', ';')};;`,
      `${row('A-1')};;`,
      ';'.repeat(13),
      `${row('A-2')};;`,
      ` ; ;"";${';'.repeat(10)}`,
      ';'.repeat(13),
    ].join('\r\n');
    const { rows, lines } = parseShipmentsCsv(`${excel}\r\n`);
    expect(rows.map((r) => [r.reference, r.codAmount])).toEqual([
      ['A-1', 150_000],
      ['A-2', 150_000],
    ]);
    expect(lines).toEqual([2, 4]);
    // A value under a column without a name is refused, naming the column: it belongs to no field.
    expect(() =>
      parseShipmentsCsv(
        `${header},,\nA-1,uuid-1,Budi,0812,Jl. Mawar 1,Bandung,jabar,40111,1200,,,,,150000\n`,
      ),
    ).toThrow(
      expect.objectContaining({
        details: [{ field: 'body', message: 'column 14 has no name in the header row but holds a value' }],
      }),
    );
    // Rows of empty cells are not counted against the limit either.
    expect(
      parseShipmentsCsv(`${header}\n${row('A-1').replaceAll(';', ',')}\n${',,,,,,,,,,,\n'.repeat(5)}`, 1)
        .rows,
    ).toHaveLength(1);
  });
});

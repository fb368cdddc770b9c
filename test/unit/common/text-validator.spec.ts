import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { VALIDATION_PIPE_OPTIONS } from 'src/common/errors/validation';
import { CreateApiKeyDto } from 'src/auth/auth.dto';
import { VoidRemittanceDto } from 'src/remittances/remittances.dto';
import { CreateBankAccountDto } from 'src/sellers/bank-accounts.dto';
import { SignupDto } from 'src/sellers/sellers.dto';
import { CreateAddressDto } from 'src/sellers/addresses.dto';
import { ActionAddressDto } from 'src/tracking/shipment-actions.dto';
import { ListShipmentsQueryDto, RecipientDto } from 'src/shipments/shipments.dto';
import { AreaSearchQueryDto } from 'src/areas/areas.dto';

const pipe = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
/** The refusal (with its fields' messages), or the value the DTO was given. */
const answer = async (dto: new () => object, body: object): Promise<unknown> => {
  try {
    return await pipe.transform(body, { type: 'body', metatype: dto });
  } catch (e) {
    return (e as { getResponse?: () => unknown }).getResponse?.() ?? e;
  }
};
const check = (reason: unknown) => answer(VoidRemittanceDto, { reason });

describe('free text a person types (the shared Text rule)', () => {
  it('holds for a seller’s name, a bank account’s name and an API key’s name too', async () => {
    for (const [dto, field, value] of [
      [SignupDto, 'sellerName', '\u200b\u200b'],
      [CreateBankAccountDto, 'accountName', '\u3164\u3164'],
      [CreateApiKeyDto, 'name', '\u2800'],
    ] as const) {
      const refused = JSON.stringify(await answer(dto, { [field]: value }));
      expect(refused).toContain(`${field} must have a letter, digit or sign in it`);
    }
  });

  it('refuses a value with nothing to read in it: zero-width, joiner or word-joiner characters alone', async () => {
    for (const reason of [
      '\u200b',
      '\u200b \u2060',
      '\ufeff\u200d',
      '\u3164',
      '\u115f\u1160',
      '\uffa0',
      '\u2800\u2800',
    ])
      expect(JSON.stringify(await check(reason))).toContain(
        'reason must have a letter, digit or sign in it, not only invisible characters',
      );
  });

  it('takes words, digits, signs and emoji, trimmed', async () => {
    for (const reason of ['Salah kurir', '42', '?', '🙂'])
      expect(await check(` ${reason} `)).toEqual(expect.objectContaining({ reason }));
  });
});

describe('text printed on one line (the LineText rule)', () => {
  it('refuses a line break, tab or Unicode line separator inside a recipient’s or an address’s fields', async () => {
    for (const [dto, field] of [
      [RecipientDto, 'name'],
      [RecipientDto, 'district'],
      [RecipientDto, 'city'],
      [CreateAddressDto, 'contactName'],
      [CreateAddressDto, 'label'],
    ] as const)
      for (const value of [
        'Budi\r\nSantoso',
        'Budi\nSantoso',
        'Budi\rSantoso',
        'Budi\tSantoso',
        'Budi\u2028Santoso',
      ])
        expect(JSON.stringify(await answer(dto, { [field]: value }))).toContain(
          `${field} must be one line: no line breaks or tabs`,
        );
  });

  it('refuses a line break or tab in a seller’s, a bank account holder’s or an API key’s name, and in a search', async () => {
    for (const [dto, field] of [
      [SignupDto, 'sellerName'],
      [CreateBankAccountDto, 'accountName'],
      [CreateApiKeyDto, 'name'],
      [ListShipmentsQueryDto, 'q'],
      [AreaSearchQueryDto, 'q'],
    ] as const)
      for (const value of ['Toko\r\nSekar', 'Toko\tSekar', 'Toko\u2029Sekar'])
        expect(JSON.stringify(await answer(dto, { [field]: value }))).toContain(
          `${field} must be one line: no line breaks or tabs`,
        );
  });

  it('takes one line with line breaks around it trimmed, and leaves notes free to span lines', async () => {
    const trimmed = JSON.stringify(await answer(RecipientDto, { name: '\r\nBudi Santoso\n' }));
    expect(trimmed).not.toContain('name must be one line');
    // A note for finance is read, not printed on a label: its lines are kept.
    expect(await check('Salah kurir.\nLaporan SAP, bukan JNE')).toEqual(
      expect.objectContaining({ reason: 'Salah kurir.\nLaporan SAP, bukan JNE' }),
    );
  });
});

describe('a street address spanning lines (the StreetAddress rule)', () => {
  it('joins its lines with ", ": line breaks and tabs in runs, blank lines dropped, each line trimmed', async () => {
    const place = { city: 'Surabaya', province: 'jatim', postalCode: '60111' };
    const bodies = [
      [RecipientDto, { name: 'Budi', phone: '081298765432', ...place }],
      [
        CreateAddressDto,
        { label: 'Gudang', contactName: 'Sekar', phone: '081298765432', district: 'Gubeng', ...place },
      ],
      [ActionAddressDto, place],
    ] as const;
    for (const [dto, body] of bodies)
      for (const [typed, joined] of [
        ['Jl. Merdeka 1\r\nRT 02/RW 03', 'Jl. Merdeka 1, RT 02/RW 03'],
        ['Jl. Merdeka 1\nRT 02/RW 03', 'Jl. Merdeka 1, RT 02/RW 03'],
        ['\r\nJl. Merdeka 1 \r\n\r\n \t RT 02\u2028Gubeng\n', 'Jl. Merdeka 1, RT 02, Gubeng'],
        // A line ending in a comma is not given a second one; a line of a comma alone is blank.
        ['Jl. Merdeka 1,\nRT 02 ,\r\n,\nGubeng', 'Jl. Merdeka 1, RT 02, Gubeng'],
        ['Jl. Merdeka 1\tNo. 5', 'Jl. Merdeka 1, No. 5'],
        [' Jl. Merdeka 1, No. 5 ', 'Jl. Merdeka 1, No. 5'],
      ])
        expect([dto.name, await answer(dto, { ...body, address: typed })]).toEqual([
          dto.name,
          expect.objectContaining({ address: joined }),
        ]);
  });

  it('refuses an address of line breaks alone, and one whose joined lines are too long', async () => {
    expect(JSON.stringify(await answer(RecipientDto, { address: '\r\n\t \n' }))).toContain(
      'address must be longer than or equal to 1 characters',
    );
    expect(
      JSON.stringify(await answer(CreateAddressDto, { address: `${'x'.repeat(150)}\n${'y'.repeat(149)}` })),
    ).toContain('address must be shorter than or equal to 300 characters');
  });

  it('still refuses line breaks in a name, district and city beside it', async () => {
    const refused = JSON.stringify(
      await answer(RecipientDto, { name: 'Budi\nSantoso', address: 'Jl. A\nRT 1', city: 'Sura\nbaya' }),
    );
    expect(refused).toContain('name must be one line');
    expect(refused).toContain('city must be one line');
    expect(refused).not.toContain('address must');
  });
});

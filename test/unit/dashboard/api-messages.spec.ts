import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChangePasswordDto, CreateUserDto } from 'src/auth/auth.dto';
import { EmailTakenError, PasswordUnchangedError, WrongPasswordError } from 'src/auth/auth.errors';
import {
  AddressNotMappedError,
  AddressOutsideCityError,
  CodSettlementAlertChangedError,
} from 'src/tracking/tracking.errors';
import { AreaUnresolvedError } from 'src/areas/areas.errors';
import { ValidationFailedError } from 'src/common/errors/app-error';
import { checkTimeRange } from 'src/common/time-range';
import { inspectJson, unlistedProblem } from 'src/common/hostile-input';
import { cellCountProblem } from 'src/common/csv-lines';
import { parseCsv } from 'src/dashboard/pages/kirim/csv';
import { VALIDATION_PIPE_OPTIONS } from 'src/common/errors/validation';
import { FastValidationPipe } from 'src/common/validation-fast-path';
import { apiErrorText, ERRORS_ID, fieldErrorText, knowsFieldMessage } from 'src/dashboard/i18n/api-messages';
import { whyNotTheLinesParcel } from 'src/remittances/remittance-matching';
import { MAX_REPORTED_PROBLEMS, parseRemittanceReport } from 'src/remittances/remittance-report';
import {
  RemittanceLineAlreadyResolvedError,
  RemittanceResolutionAlreadyCreditedError,
  RemittanceResolutionReversedTwiceError,
  RemittanceResolutionAmountDiffersError,
  RemittanceResolutionNotTheParcelError,
  RemittanceResolutionShipmentNotFoundError,
} from 'src/remittances/remittances.errors';
import { CreateAddressDto } from 'src/sellers/addresses.dto';
import { CreateBankAccountDto } from 'src/sellers/bank-accounts.dto';
import { ListEntriesQueryDto } from 'src/ledger/ledger.dto';
import {
  AddressNotFoundError,
  BankAccountNotFoundError,
  DuplicateBankAccountError,
  WebhookHostUnresolvableError,
  WebhookTargetForbiddenError,
  WebhookUrlInvalidError,
} from 'src/sellers/sellers.errors';
import { SignupDto, UpdateSettingsDto } from 'src/sellers/sellers.dto';
import { parseShipmentsCsv } from 'src/shipments/bulk-import/shipments-csv';
import { CreateShipmentDto, ListShipmentsQueryDto } from 'src/shipments/shipments.dto';
import { CreateWithdrawalDto, RejectWithdrawalDto } from 'src/withdrawals/withdrawals.dto';
import {
  WithdrawalAmountTooSmallError,
  WithdrawalInsufficientFundsError,
} from 'src/withdrawals/withdrawals.errors';

/** What the API really answers for bad input to the forms the dashboard has (its own pipe, both paths). */
async function refusals(dto: new () => object, body: object): Promise<string[]> {
  const messages: string[] = [];
  for (const fast of [true, false]) {
    try {
      await new FastValidationPipe(VALIDATION_PIPE_OPTIONS, fast).transform(body, {
        type: 'body',
        metatype: dto,
      });
    } catch (e) {
      messages.push(...(e as ValidationFailedError).details.map((d) => d.message));
    }
  }
  return messages;
}

const FORMS: [new () => object, object][] = [
  [SignupDto, { sellerName: '', email: 'x', password: 'short' }],
  [SignupDto, { sellerName: 'a'.repeat(300), email: 'a@b.co', password: '          aaaaaaaaaa' }],
  [SignupDto, { sellerName: 'Toko\u202e', email: 'a b@c.id', password: 'x'.repeat(500) }],
  [ChangePasswordDto, { currentPassword: 5, newPassword: 'aaaaaaaaaaaa' }],
  [CreateUserDto, { email: 'x@y.id', password: 'correct horse battery', role: 'boss' }],
  [
    CreateAddressDto,
    { label: '', contactName: 'x', phone: '123', address: '', city: 'x', province: 'y', postalCode: 'abc' },
  ],
  [CreateAddressDto, { contactName: 'Sekar\r\nAyu' }],
  [CreateBankAccountDto, { bankCode: 'XXX', accountNumber: 'abc', accountName: '' }],
  [CreateWithdrawalDto, { amount: 1.5, bankAccountId: 'x' }],
  [CreateWithdrawalDto, { amount: -5, bankAccountId: '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60' }],
  [RejectWithdrawalDto, { reason: '' }],
  [ListEntriesQueryDto, { from: '0001-01-01', to: 'tomorrow' }],
  [ListShipmentsQueryDto, { from: '2026-13-45' }],
  [UpdateSettingsDto, { webhookUrl: 'notaurl', lostMarginPerFailure: -1, scoringPreset: 'x' }],
  [
    CreateShipmentDto,
    {
      reference: '',
      originAddressId: 'x',
      recipient: { name: '', phone: '12' },
      parcel: { weightGrams: 0 },
      codAmount: 'x',
      extra: 1,
    },
  ],
];

/** The refusal of a window that ends before it starts. */
function rangeError(): ValidationFailedError {
  try {
    checkTimeRange(new Date('2026-12-02'), new Date('2026-12-01'));
  } catch (e) {
    return e as ValidationFailedError;
  }
  throw new Error('checkTimeRange accepted a window ending before it starts');
}

const sourceOf = (path: string) => readFileSync(join(__dirname, '../../../src', path), 'utf8');

/** Every problem the webhook policy refuses a URL's shape with, as its source raises them. */
const WEBHOOK_URL_PROBLEMS = [
  ...sourceOf('sellers/webhook-target-policy.ts').matchAll(/new WebhookUrlInvalidError\(\s*'([^']+)'/g),
].map((m) => m[1]);

/** Every reason an address is refused or private (the latter refused where private networks are not allowed). */
const WEBHOOK_TARGET_REASONS = [
  ...sourceOf('sellers/network-ranges.ts').matchAll(/(?:forbidden|privateAddress)\('([^']+)'\)/g),
].map((m) => m[1]);

/** What the API answers for a remittance report (its reader, as the upload calls it): `field: message` each. */
function reportProblems(csv: string): { field: string; message: string }[] {
  try {
    parseRemittanceReport(csv, '2099-12-31');
  } catch (e) {
    return (e as ValidationFailedError).details;
  }
  throw new Error(`the report was read: ${csv}`);
}

const REPORTS = [
  'awb;cod_amount;tgl_setor\n',
  'awb,cod_amount\n8800000000000001,150000\n',
  'awb,no_resi,cod_amount,tanggal\n1,2,150000,2026-11-24\n',
  'awb,cod_amount,tanggal\n"8800,150000,2026-11-24\n',
  [
    'CNOTE_NO;COD_AMOUNT;TGL_SETOR',
    // Not a row of empty cells (passed over): a date with nothing beside it.
    ';;besok',
    `${'8'.repeat(65)};-5;31/02/2026`,
    'AWB 1;abc;2026-11-24',
    '8800000000000004;150.000,50;2026-11-24',
    '8800000000000005;9999999999999999;2026-11-24',
    '8800000000000006;Rp 60.000.000;2026-11-24',
    '8800000000000007;0;kemarin',
  ].join('\n'),
  // Three problems a row: more than one answer lists.
  ['awb,cod_amount,tanggal', ...Array.from({ length: MAX_REPORTED_PROBLEMS + 1 }, () => ',,besok')].join(
    '\n',
  ),
].map(reportProblems);

const SUGGESTION = {
  code: '32.73.01',
  district: 'Sukasari',
  regency: 'Kota Bandung',
  province: 'Jawa Barat',
};

describe('the dashboard says the API’s refusals in Indonesian', () => {
  it('knows every field message the dashboard’s forms can be answered with', async () => {
    const messages = new Set<string>();
    for (const [dto, body] of FORMS) for (const m of await refusals(dto, body)) messages.add(m);
    for (const e of [
      new WithdrawalAmountTooSmallError(50_000),
      new WithdrawalInsufficientFundsError(120_000),
      new WithdrawalInsufficientFundsError(),
      // Every wording a place can be refused with: the field, the reason, suggestions or none, the district given.
      ...(['recipient.district', 'recipient.city'] as const).flatMap((field) =>
        (['unknown', 'ambiguous'] as const).flatMap((reason) =>
          [[], [SUGGESTION]].flatMap((suggestions) =>
            [true, false].map(
              (districtGiven) => new AreaUnresolvedError(field, reason, suggestions, districtGiven),
            ),
          ),
        ),
      ),
      new WrongPasswordError(),
      new PasswordUnchangedError(),
      // A remittance line resolved to a seller's parcel: every reason the parcel is refused.
      new RemittanceLineAlreadyResolvedError('write_off'),
      new RemittanceResolutionShipmentNotFoundError(),
      new RemittanceResolutionAmountDiffersError(50_000, 55_000),
      new RemittanceResolutionAlreadyCreditedError(),
      new RemittanceResolutionReversedTwiceError(),
      new CodSettlementAlertChangedError(),
      new ValidationFailedError([
        { field: 'shipmentId', message: 'is given only with resolution credit_seller' },
      ]),
      ...[
        { codAmount: 0, courier: 'jne', awb: 'A1', status: 'delivered', bookedBefore: false },
        { codAmount: 1, courier: 'jne', awb: 'A1', status: 'in_transit', bookedBefore: false },
        { codAmount: 1, courier: 'sap', awb: 'B1', status: 'booked', bookedBefore: false },
        { codAmount: 1, courier: 'sap', awb: 'B1', status: 'booked', bookedBefore: true },
      ].map(
        (p) =>
          new RemittanceResolutionNotTheParcelError(whyNotTheLinesParcel(p, { courier: 'jne', awb: 'A1' })!),
      ),
      new AddressOutsideCityError('Kota Administrasi Jakarta Pusat'),
      new AddressNotMappedError('J&T Express', true),
      new AddressNotMappedError('J&T Express', false),
      new EmailTakenError(),
      new DuplicateBankAccountError(),
      new AddressNotFoundError('originAddressId'),
      new BankAccountNotFoundError('bankAccountId'),
      rangeError(),
      ...WEBHOOK_URL_PROBLEMS.map((problem) => new WebhookUrlInvalidError(problem)),
      ...WEBHOOK_TARGET_REASONS.map((why) => new WebhookTargetForbiddenError(why)),
      new WebhookHostUnresolvableError('hooks.toko.example'),
    ])
      for (const d of e.details) messages.add(d.message);
    for (const problems of REPORTS) for (const d of problems) messages.add(d.message);
    // A bulk import of too many rows, as JSON (the edge counts them) and as CSV (read up to one too many).
    messages.add('has 5001 rows; at most 5000 per request');
    try {
      parseShipmentsCsv(`reference\n${'x\n'.repeat(3)}`, 2);
    } catch (e) {
      for (const d of (e as ValidationFailedError).details) messages.add(d.message);
    }
    try {
      parseShipmentsCsv(
        `reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams,\n,,,,,,,,,150000\n`,
      );
    } catch (e) {
      for (const d of (e as ValidationFailedError).details) messages.add(d.message);
    }
    // Too many blank rows in a bulk CSV, too many rows in a report, too many problems to list them all.
    for (const read of [
      () => parseShipmentsCsv(`reference\nx\n${',\n'.repeat(5001)}`),
      () => parseRemittanceReport(`awb,amount,date\n${'x\n'.repeat(100_001)}`, '2026-12-07'),
    ])
      try {
        read();
      } catch (e) {
        for (const d of (e as ValidationFailedError).details) messages.add(d.message);
      }
    messages.add(unlistedProblem(inspectJson(Array<string>(101).fill('\u0000')).unlisted, 'body')[0].message);
    // A bulk CSV row short of the header, and one with a value past it.
    const header =
      'reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams';
    for (const p of parseShipmentsCsv(`${header}\na,b\n${'x,'.repeat(9)}y\n`).problems)
      for (const d of p ?? []) messages.add(d.message);
    // The one a test cannot reach (more rupiah than a safe integer), read from the reader's source.
    const report = sourceOf('remittances/remittance-report.ts');
    messages.add(/message: '(the amounts add up [^']+)'/.exec(report)![1]);
    expect(messages.size).toBeGreaterThan(50);
    expect([...messages].filter((m) => !knowsFieldMessage(m))).toEqual([]);
  });

  it('says each rule with its figures, without the field’s name, and leaves English as the API said it', () => {
    expect(fieldErrorText('id', 'password must be longer than or equal to 10 characters')).toBe(
      'Minimal 10 karakter.',
    );
    expect(fieldErrorText('id', 'sellerName must be shorter than or equal to 120 characters')).toBe(
      'Maksimal 120 karakter.',
    );
    expect(fieldErrorText('id', 'label must be longer than or equal to 1 characters')).toBe('Wajib diisi.');
    expect(fieldErrorText('id', 'recipient.city is required')).toBe('Wajib diisi.');
    expect(fieldErrorText('id', 'must be at least 50000 rupiah')).toBe('Minimal Rp 50.000.');
    expect(fieldErrorText('id', 'must be at most the withdrawable balance (1250000 rupiah)')).toBe(
      'Melebihi saldo yang bisa ditarik (Rp 1.250.000).',
    );
    expect(fieldErrorText('id', 'accountNumber must be 5 to 20 digits')).toBe('Harus 5 sampai 20 angka.');
    expect(fieldErrorText('id', 'is already registered')).toBe('Sudah terdaftar.');
    expect(fieldErrorText('id', 'is already registered for this bank')).toBe(
      'Sudah terdaftar untuk bank ini.',
    );
    expect(fieldErrorText('id', rangeError().details[0].message)).toBe('Harus sebelum tanggal akhir.');
    expect(
      fieldErrorText('id', 'from must be an ISO 8601 date-time (e.g. 2026-12-01T00:00:00+07:00) or date'),
    ).toBe('Harus tanggal yang benar (mis. 2026-12-01).');
    expect(fieldErrorText('id', 'has more than 5000 rows; at most 5000 per request')).toBe(
      'Lebih dari 5.000 baris; maksimal 5.000 baris sekali kirim.',
    );
    expect(fieldErrorText('id', 'is not one of your pickup addresses')).toBe(
      'Bukan salah satu alamat pickup Anda.',
    );
    // Unknown wording is shown as it came rather than hidden; English readers get the API's words.
    // A place's advice follows what the seller can do (suggestions when there are some, the district).
    const city = 'is not a city or regency we know in that province';
    expect(fieldErrorText('id', city)).toBe('Kota atau kabupaten ini tidak kami kenal di provinsi itu.');
    expect(fieldErrorText('id', `${city}: check the suggestions`)).toBe(
      'Kota atau kabupaten ini tidak kami kenal di provinsi itu: lihat sarannya.',
    );
    expect(fieldErrorText('id', `${city}: give the district too`)).toBe(
      'Kota atau kabupaten ini tidak kami kenal di provinsi itu: isi juga kecamatannya.',
    );
    expect(fieldErrorText('id', `${city}: give the district too, or choose one of the suggestions`)).toBe(
      'Kota atau kabupaten ini tidak kami kenal di provinsi itu: isi juga kecamatannya, atau pilih salah satu saran.',
    );
    expect(fieldErrorText('id', 'is not a district we know in that city and province')).toBe(
      'Kecamatan ini tidak kami kenal di kota dan provinsi itu.',
    );
    expect(fieldErrorText('id', 'something new the API says')).toBe('something new the API says');
    expect(fieldErrorText('en', 'password must be longer than or equal to 10 characters')).toBe(
      'password must be longer than or equal to 10 characters',
    );
  });

  it('says an amount’s bounds as Indonesians write numbers, and a blank one as required', async () => {
    const bank = '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60';
    const say = async (dto: new () => object, body: object) =>
      [...new Set(await refusals(dto, body))].map((m) => fieldErrorText('id', m));
    // What the dashboard sends for a blank amount, 9007199254740993 typed, and a COD of -5.
    expect(await say(CreateWithdrawalDto, { bankAccountId: bank })).toEqual(['Wajib diisi.']);
    expect(
      await say(CreateWithdrawalDto, { amount: Number('9007199254740993'), bankAccountId: bank }),
    ).toEqual(['Maksimal 9.007.199.254.740.991.']);
    expect(await say(CreateWithdrawalDto, { amount: -5, bankAccountId: bank })).toEqual(['Minimal 1.']);
    const shipment = (await refusals(CreateShipmentDto, { codAmount: -5 })).filter((m) =>
      m.startsWith('codAmount'),
    );
    expect([...new Set(shipment.map((m) => fieldErrorText('id', m)))]).toEqual(['Harus 0 atau lebih.']);
  });

  it('says why a webhook URL is refused, each reason the policy has', () => {
    expect(WEBHOOK_URL_PROBLEMS).toHaveLength(5);
    const said = WEBHOOK_URL_PROBLEMS.map((problem) =>
      fieldErrorText('id', new WebhookUrlInvalidError(problem).details[0].message),
    );
    expect(said).toEqual([
      'Harus URL yang benar, mis. https://toko-anda.id/webhook.',
      'Harus URL yang diawali https://.',
      'Tidak boleh memuat nama pengguna dan kata sandi (user:password@).',
      'Harus menyebut nama server, mis. https://toko-anda.id/webhook.',
      'Harus URL yang diawali https:// (http:// hanya untuk penerima di jaringan pribadi).',
    ]);
    // Each reason an address is refused is said in Indonesian, not passed on in the API's English.
    expect(WEBHOOK_TARGET_REASONS.length).toBeGreaterThan(15);
    for (const why of WEBHOOK_TARGET_REASONS) {
      const text = fieldErrorText('id', new WebhookTargetForbiddenError(why).details[0].message);
      expect(text).toMatch(/^Mengarah ke .+; webhook hanya dikirim ke alamat internet publik\.$/);
      expect(text).not.toContain(why);
    }
    expect(
      fieldErrorText('id', new WebhookTargetForbiddenError('a loopback address').details[0].message),
    ).toBe(
      'Mengarah ke alamat loopback (server itu sendiri); webhook hanya dikirim ke alamat internet publik.',
    );
    expect(
      fieldErrorText('id', new WebhookHostUnresolvableError('hooks.toko.example').details[0].message),
    ).toBe('Server hooks.toko.example tidak ditemukan di internet publik. Periksa ejaannya.');
    for (const code of [
      'SELLERS_WEBHOOK_TARGET_FORBIDDEN',
      'SELLERS_WEBHOOK_HOST_UNRESOLVABLE',
      'SELLERS_WEBHOOK_DNS_UNAVAILABLE',
    ])
      expect(apiErrorText('id', code, 'English')).not.toBe('English');
  });

  it('says a bulk file’s header and row problems in Indonesian, a required column not as a blank field', () => {
    const say = (message: string) => fieldErrorText('id', message);
    expect(say('column is required')).toBe('Kolom ini wajib ada.');
    expect(say('is not a known column')).toBe('Bukan kolom yang dikenal.');
    expect(say('column is given twice')).toBe('Kolom ini ditulis dua kali.');
    expect(say('appears again (first in row 3)')).toBe('Sudah ada di baris 3.');
    expect(say('J&T Express has no service ZZZ')).toBe('Kurir J&T Express tidak punya layanan ZZZ.');
    expect(say('is larger than 2097152 bytes')).toBe('Berkas lebih besar dari 2.097.152 byte.');
    expect(say('recipientName is required')).toBe('Wajib diisi.');
    // The separator that must be quoted inside a value is the file's own, in the API's and the page's words.
    const past = (delimiter: ',' | ';' | '\t') =>
      say(cellCountProblem(['a', 'b', 'c'], ['x', 'y'], delimiter) ?? '');
    expect([past(','), past(';'), past('\t')]).toEqual(
      ['koma', 'titik koma', 'tab'].map(
        (s) =>
          `Baris ini punya 3 sel, padahal header punya 2 kolom: ada nilai setelah kolom terakhir. Nilai yang memuat ${s} harus diapit tanda kutip ganda.`,
      ),
    );
    const tsv = parseCsv('x\ty\na\tb\tc\n');
    expect(tsv.misaligned[0]).toBe(cellCountProblem(['a', 'b', 'c'], ['x', 'y'], '\t'));
  });

  it('says a remittance report’s problems in Indonesian', () => {
    const [header, , doubled, unreadable, rows, many] = REPORTS;
    const say = (problems: { message: string }[]) => problems.map((d) => fieldErrorText('id', d.message));
    expect(say(header)).toEqual(['Tidak ada baris data di bawah judul kolom.']);
    expect(say(doubled)[0]).toBe('Muncul 2 kali (awb, no_resi).');
    // The parser's English is left out; the line it stopped at is kept.
    expect(say(unreadable)[0]).toMatch(
      /^Bukan CSV yang dapat dibaca \(baris ke-\d+ dalam berkas, termasuk judul kolom\): periksa tanda kutip dan jumlah kolom tiap baris\.$/,
    );
    expect(rows.map((d) => `${d.field}: ${fieldErrorText('id', d.message)}`)).toEqual([
      'row 1: awb: Kosong.',
      'row 1: amount: Kosong.',
      'row 1: remitted date: Harus tanggal: YYYY-MM-DD, DD/MM/YYYY atau ISO 8601.',
      'row 2: awb: Lebih dari 64 karakter.',
      'row 2: amount: Harus jumlah rupiah lebih dari 0.',
      'row 2: remitted date: Harus tanggal: YYYY-MM-DD, DD/MM/YYYY atau ISO 8601.',
      'row 3: awb: Hanya boleh huruf, angka dan tanda hubung (-).',
      'row 3: amount: Bukan jumlah rupiah (mis. 150000, 150.000 atau Rp 150.000).',
      'row 4: amount: Ada pecahan rupiah; jumlah harus rupiah bulat.',
      'row 5: amount: Terlalu besar.',
      'row 6: amount: Melebihi COD satu paket (maksimal Rp 50.000.000).',
      'row 7: amount: Harus jumlah rupiah lebih dari 0.',
      'row 7: remitted date: Harus tanggal: YYYY-MM-DD, DD/MM/YYYY atau ISO 8601.',
    ]);
    expect(say(many).at(-1)).toBe('Dan 203 masalah lain.');
    expect(say(reportProblems('awb;amount;tanggal\nA1;1000;2100-01-01\n'))).toEqual([
      'Setelah hari ini (2099-12-31): laporan hanya memuat dana yang sudah disetor.',
    ]);
    expect(say(reportProblems('awb;tanggal\n1;2026-11-24\n'))).toEqual([
      'Wajib ada: judul kolom salah satu dari cod_amount, nilai_cod, cod_value, amount.',
    ]);
  });

  it('names errors by code, each code one the API really has', () => {
    expect(apiErrorText('id', 'AUTH_INVALID_CREDENTIALS', 'Invalid email or password')).toBe(
      'Email atau kata sandi salah.',
    );
    expect(apiErrorText('en', 'AUTH_INVALID_CREDENTIALS', 'Invalid email or password')).toBe(
      'Invalid email or password',
    );
    expect(apiErrorText('id', 'SOMETHING_NEW', 'A new refusal')).toBe('A new refusal');
    const source: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'dashboard') walk(path);
        } else if (name.endsWith('.ts')) source.push(readFileSync(path, 'utf8'));
      }
    };
    walk(join(__dirname, '../../../src'));
    const all = source.join('\n');
    expect(Object.keys(ERRORS_ID).filter((code) => !all.includes(`'${code}'`))).toEqual([]);
    // And every domain error the API raises by its own code has its Indonesian.
    const raised = new Set([...all.matchAll(/super\(\s*'([A-Z][A-Z_]+)'/g)].map((m) => m[1]));
    expect([...raised].filter((code) => !(code in ERRORS_ID))).toEqual([]);
  });
});

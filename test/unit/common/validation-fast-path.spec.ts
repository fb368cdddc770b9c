import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ChangePasswordDto, CreateApiKeyDto, CreateUserDto, LoginDto, LogoutDto } from 'src/auth/auth.dto';
import { VALIDATION_PIPE_OPTIONS } from 'src/common/errors/validation';
import { DtoFastPath, FastValidationPipe, fastPathReproduces } from 'src/common/validation-fast-path';
import { AdvanceDto, ClockDto, FaultsDto, ScriptDto } from 'src/couriers/sandbox/sandbox.dto';
import { RunInvoicingDto } from 'src/invoicing/invoicing.dto';
import { RunJobDto } from 'src/operations/jobs/jobs.dto';
import { QuoteRequestDto } from 'src/scoring/quotes.dto';
import { CreateAddressDto, UpdateAddressDto } from 'src/sellers/addresses.dto';
import { CreateBankAccountDto } from 'src/sellers/bank-accounts.dto';
import { SignupDto, UpdateSettingsDto } from 'src/sellers/sellers.dto';
import { CreatePickupDto } from 'src/shipments/pickups.dto';
import { ResolveRemittanceLineDto, VoidRemittanceDto } from 'src/remittances/remittances.dto';
import { SettleCodDiscrepancyDto } from 'src/tracking/tracking.dto';
import { CreateShipmentDto } from 'src/shipments/shipments.dto';
import { CreateShipmentActionDto } from 'src/tracking/shipment-actions.dto';
import { CreateWithdrawalDto, PayoutFaultsDto, RejectWithdrawalDto } from 'src/withdrawals/withdrawals.dto';
import { validAddress, validBankAccount, validShipment } from '../../support/factories/sellers';

type Dto = new () => object;
const ID = '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60';

/** Each request DTO with a body its route accepts. */
const CASES: [Dto, Record<string, unknown>][] = [
  [
    QuoteRequestDto,
    {
      originAddressId: ID,
      destination: {
        district: ' Menteng ',
        city: 'Jakarta Pusat',
        province: 'dki jakarta',
        postalCode: '10340',
      },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
      preset: 'safest',
    },
  ],
  [CreateShipmentDto, { ...validShipment(ID, 'ORD-1'), courier: { code: 'sap', service: 'UDRREG' } }],
  [
    CreateShipmentActionDto,
    {
      action: 'update_address',
      note: ' Pagar hijau, titip ke satpam ',
      address: {
        address: 'Jl. Raya Darmo No. 12',
        district: 'Wonokromo',
        city: 'Surabaya',
        province: 'jawa timur',
        postalCode: 60241,
        phone: '0812-9876-5432',
      },
      confirmedWithBuyer: true,
      alertId: ID,
    },
  ],
  [CreatePickupDto, { shipmentIds: [ID, '7f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f61'], pickupDate: '2026-11-24' }],
  [CreateAddressDto, validAddress()],
  [UpdateAddressDto, { label: 'Gudang 2', phone: '+62 812 3456 7890' }],
  [CreateBankAccountDto, validBankAccount()],
  [SignupDto, { sellerName: '  Toko Batik  ', email: 'Owner@Tokoku.ID', password: 'correct horse battery' }],
  [LoginDto, { email: 'owner@tokoku.id', password: 'correct horse battery' }],
  [LogoutDto, { everywhere: true }],
  [ChangePasswordDto, { currentPassword: 'correct horse battery', newPassword: 'a brand new secret' }],
  [CreateUserDto, { email: 'staff@tokoku.id', password: 'correct horse battery', role: 'seller_staff' }],
  [CreateApiKeyDto, { name: 'Shop plugin' }],
  [FaultsDto, { errorRate: 0.5, timeoutRate: 0, latencyMs: 100 }],
  [AdvanceDto, { to: 'delivery_failed', reason: 'consignee_absent' }],
  [ScriptDto, { script: 'refused_rts' }],
  [ClockDto, { advanceHours: 1.5 }],
  [RunJobDto, { asOf: '2026-11-24T10:00:00Z' }],
  [RunInvoicingDto, { asOf: '2026-12-21T00:00:00+07:00' }],
  [CreateWithdrawalDto, { amount: 500_000, bankAccountId: ID }],
  [RejectWithdrawalDto, { reason: '  Nama rekening tidak sesuai  ' }],
  [VoidRemittanceDto, { reason: ' Laporan SAP, diunggah sebagai JNE ' }],
  [
    ResolveRemittanceLineDto,
    { resolution: 'credit_seller', note: ' Kredit dibatalkan keliru ', shipmentId: ID },
  ],
  [SettleCodDiscrepancyDto, { decision: 'reverse', reason: ' Kurir mengonfirmasi uang COD tidak diterima ' }],
  [PayoutFaultsDto, { failRate: 0.2, timeoutRate: 0, sendTimeoutRate: 0.5, bounceRate: 0.1, latencyMs: 250 }],
  [
    UpdateSettingsDto,
    { scoringPreset: 'cheapest', webhookUrl: null, lostMarginPerFailure: 5000, rotateWebhookSecret: true },
  ],
];

const pipe = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
const slow = async (dto: Dto, body: unknown): Promise<unknown> => {
  try {
    return await pipe.transform(structuredClone(body), { type: 'body', metatype: dto });
  } catch {
    return undefined;
  }
};

/** Same values and the same classes all the way down. */
function sameInstance(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    ka.join() === kb.join() &&
    ka.every((k) => sameInstance((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** A JSON value of any kind, edge cases included. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -10, max: 10 }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, 1_000_001, 100_000_001, 5_000_001),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '',
    '   ',
    ' x ',
    'Jawa Barat',
    'sap',
    ID,
    '2026-02-30',
    '0812-3456-7890',
    'https://x.id/h',
    'x'.repeat(301),
  ),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(ID)), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('a', 'city', 'weightGrams', 'code'),
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
    { maxKeys: 2 },
  ),
);

/** Paths to every field of a body, nested ones included. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return [
    prefix,
    ...Object.keys(value).flatMap((k) => paths((value as Record<string, unknown>)[k], [...prefix, k])),
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** One change at `path` (set a value, delete the field, or add an unknown field next to it); a path an earlier change broke is skipped. */
function mutate(
  body: Record<string, unknown>,
  path: string[],
  change: { kind: 'set' | 'delete' | 'add'; value: unknown },
): unknown {
  const copy = structuredClone(body);
  if (!path.length)
    return change.kind === 'set'
      ? change.value
      : change.kind === 'add'
        ? { ...copy, extra: change.value }
        : copy;
  let parent: unknown = copy;
  for (const k of path.slice(0, -1)) parent = isObject(parent) ? parent[k] : undefined;
  if (!isObject(parent)) return copy;
  const last = path[path.length - 1];
  if (change.kind === 'delete') delete parent[last];
  else if (change.kind === 'add') (isObject(parent[last]) ? parent[last] : parent).extra = change.value;
  else parent[last] = change.value;
  return copy;
}

/** Every DTO a route of the app takes as its body, found from the controllers on disk. */
function bodyDtos(): Dto[] {
  const root = join(__dirname, '../../../src');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) =>
    f.endsWith('.controller.ts'),
  );
  const found = new Set<Dto>();
  for (const file of files) {
    // Loaded by path at run time (jest runs CommonJS; a dynamic import() would need its VM-modules flag).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(join(root, file)) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (typeof exported !== 'function' || Reflect.getMetadata(PATH_METADATA, exported) === undefined)
        continue;
      const proto = exported.prototype as object;
      for (const method of Object.getOwnPropertyNames(proto)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, exported, method) ?? {}) as Record<
          string,
          { index: number; pipes: unknown[] }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', proto, method) ?? []) as unknown[];
        for (const [key, arg] of Object.entries(args)) {
          const type = types[arg.index];
          // A DTO class; `unknown` bodies (bulk) and bodies with their own pipe (NoBody) are not the fast path's.
          if (
            key.startsWith(`${RouteParamtypes.BODY}:`) &&
            !arg.pipes.length &&
            typeof type === 'function' &&
            type !== Object
          ) {
            found.add(type as Dto);
          }
        }
      }
    }
  }
  return [...found];
}

describe('the validation fast path', () => {
  it('has a differential case for every body DTO a route takes (a new one cannot be forgotten)', () => {
    const dtos = bodyDtos()
      .map((d) => d.name)
      .sort();
    expect(dtos.length).toBeGreaterThan(10);
    expect(CASES.map(([dto]) => dto.name).sort()).toEqual(dtos);
  });

  it('runs only under pipe options it reproduces, and can be switched off', () => {
    expect(fastPathReproduces(VALIDATION_PIPE_OPTIONS)).toBe(true);
    expect(fastPathReproduces({ ...VALIDATION_PIPE_OPTIONS, transform: false })).toBe(false);
    expect(fastPathReproduces({ ...VALIDATION_PIPE_OPTIONS, groups: ['admin'] })).toBe(false);
    expect(fastPathReproduces({ ...VALIDATION_PIPE_OPTIONS, always: true })).toBe(false);
    expect(
      fastPathReproduces({
        ...VALIDATION_PIPE_OPTIONS,
        transformOptions: { enableImplicitConversion: true },
      }),
    ).toBe(false);
    expect(new FastValidationPipe(VALIDATION_PIPE_OPTIONS).fastPathOn).toBe(true);
    expect(new FastValidationPipe(VALIDATION_PIPE_OPTIONS, false).fastPathOn).toBe(false);
    expect(new FastValidationPipe({ ...VALIDATION_PIPE_OPTIONS, transform: false }).fastPathOn).toBe(false);
  });

  it('builds the same instances with the switch off (the pipe alone)', async () => {
    const off = new FastValidationPipe(VALIDATION_PIPE_OPTIONS, false);
    const on = new FastValidationPipe(VALIDATION_PIPE_OPTIONS);
    for (const [dto, body] of CASES) {
      const a = await off.transform(structuredClone(body), { type: 'body', metatype: dto });
      const b = await on.transform(structuredClone(body), { type: 'body', metatype: dto });
      expect(sameInstance(a, b)).toBe(true);
    }
  });

  it.each(CASES.map(([dto, body]) => [dto.name, dto, body] as const))(
    '%s: accepts a valid body with the very instance the pipe builds',
    async (_name, dto, body) => {
      const build = new DtoFastPath().for(dto);
      expect(build).not.toBeNull();
      const fast = build!(structuredClone(body));
      expect(fast).toBeInstanceOf(dto);
      expect(sameInstance(fast, await slow(dto, body))).toBe(true);
    },
  );

  it.each(CASES.map(([dto, body]) => [dto.name, dto, body] as const))(
    '%s: never accepts what the pipe refuses, and builds the same instance when it accepts',
    async (_name, dto, body) => {
      const build = new DtoFastPath().for(dto)!;
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.constantFrom(...paths(body)),
              fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
              anyJson,
            ),
            { minLength: 1, maxLength: 3 },
          ),
          async (changes) => {
            let mutated: unknown = body;
            for (const [path, kind, value] of changes) {
              if (mutated === null || typeof mutated !== 'object' || Array.isArray(mutated)) break;
              mutated = mutate(mutated as Record<string, unknown>, path, { kind, value });
            }
            const fast = build(structuredClone(mutated));
            const expected = await slow(dto, mutated);
            if (fast === undefined) {
              refused += 1;
              return true; // the pipe decides: nothing to compare
            }
            accepted += 1;
            return expected !== undefined && sameInstance(fast, expected);
          },
        ),
        { numRuns: Number(process.env.FAST_PATH_RUNS ?? 300) },
      );
      // Both outcomes were exercised: the property compared real acceptances.
      expect(accepted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
  );

  it('leaves bodies it does not handle exactly to the pipe', () => {
    const build = new DtoFastPath().for(QuoteRequestDto)!;
    const [, body] = CASES[0];
    expect(build(JSON.parse(JSON.stringify(body).replace('{', '{"__proto__":{"x":1},')))).toBeUndefined();
    expect(build({ ...body, destination: 'Jakarta' })).toBeUndefined();
    expect(build([body])).toBeUndefined();
    expect(build(null)).toBeUndefined();
  });
});

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPrepared } from 'src/database/prepared';
import type { CourierCode } from '../courier-adapter';
import type { ActionRecord, PlanStep } from './world';

export interface SandboxParcel {
  courier: CourierCode;
  awb: string;
  reference: string;
  service: string;
  originCity: string;
  originProvince: string;
  destinationCity: string;
  destinationProvince: string;
  /** The recipient's phone as the courier received it (undefined for parcels from before it was kept). */
  recipientPhone?: string;
  /** Regency codes of the places when the courier's request named them by code (else found by name). */
  originRegency?: string;
  destinationRegency?: string;
  weightGrams: number;
  codAmount: number;
  price: number;
  pickup: boolean;
  /** The request as the courier received it (its own field names). */
  request: Record<string, unknown>;
  plan: PlanStep[];
  /** Seller actions the courier took, oldest first. */
  actions: ActionRecord[];
  createdAt: Date;
}

export interface Faults {
  errorRate: number;
  timeoutRate: number;
  latencyMs: number;
}

interface ParcelRow {
  courier: CourierCode;
  awb: string;
  reference: string;
  service: string;
  origin_city: string;
  origin_province: string;
  destination_city: string;
  destination_province: string;
  recipient_phone: string | null;
  origin_regency: string | null;
  destination_regency: string | null;
  weight_grams: number;
  cod_amount: string;
  price: string;
  pickup: boolean;
  request: Record<string, unknown>;
  plan: PlanStep[];
  actions: ActionRecord[];
  created_at: Date;
}

const toParcel = (r: ParcelRow): SandboxParcel => ({
  courier: r.courier,
  awb: r.awb,
  reference: r.reference,
  service: r.service,
  originCity: r.origin_city,
  originProvince: r.origin_province,
  destinationCity: r.destination_city,
  destinationProvince: r.destination_province,
  ...(r.recipient_phone ? { recipientPhone: r.recipient_phone } : {}),
  ...(r.origin_regency ? { originRegency: r.origin_regency } : {}),
  ...(r.destination_regency ? { destinationRegency: r.destination_regency } : {}),
  weightGrams: r.weight_grams,
  codAmount: Number(r.cod_amount),
  price: Number(r.price),
  pickup: r.pickup,
  request: r.request,
  plan: r.plan,
  actions: r.actions,
  createdAt: r.created_at,
});

/** The sandbox couriers' storage (schema "sandbox"), so a restart loses nothing. */
@Injectable()
export class SandboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Reserves the next `count` numbers of a courier's AWB sequence (one row per courier, advanced
   * atomically) and answers the last of them: the block is `last - count + 1` to `last`.
   */
  async reserveAwbNumbers(courier: CourierCode, count: number): Promise<number> {
    const [row] = await queryPrepared<{ last: string }>(
      this.dataSource.manager,
      'sandbox_awb_reserve',
      `INSERT INTO sandbox.awb_sequences (courier, last) VALUES ($1, $2)
       ON CONFLICT (courier) DO UPDATE SET last = sandbox.awb_sequences.last + $2 RETURNING last`,
      [courier, count],
    );
    return Number(row.last);
  }

  async insert(p: SandboxParcel): Promise<void> {
    await queryPrepared(
      this.dataSource.manager,
      'sandbox_parcel_insert',
      `INSERT INTO sandbox.parcels (courier, awb, reference, service, origin_city, origin_province, destination_city,
         destination_province, weight_grams, cod_amount, price, pickup, request, plan, created_at, recipient_phone,
         origin_regency, destination_regency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        p.courier,
        p.awb,
        p.reference,
        p.service,
        p.originCity,
        p.originProvince,
        p.destinationCity,
        p.destinationProvince,
        p.weightGrams,
        p.codAmount,
        p.price,
        p.pickup,
        JSON.stringify(p.request),
        JSON.stringify(p.plan),
        p.createdAt,
        p.recipientPhone ?? null,
        p.originRegency ?? null,
        p.destinationRegency ?? null,
      ],
    );
  }

  async find(courier: CourierCode, awb: string): Promise<SandboxParcel | null> {
    const rows = await queryPrepared<ParcelRow>(
      this.dataSource.manager,
      'sandbox_parcel',
      'SELECT * FROM sandbox.parcels WHERE courier = $1 AND awb = $2',
      [courier, awb],
    );
    return rows[0] ? toParcel(rows[0]) : null;
  }

  async findMany(courier: CourierCode, awbs: string[]): Promise<SandboxParcel[]> {
    const rows = await queryPrepared<ParcelRow>(
      this.dataSource.manager,
      'sandbox_parcels',
      'SELECT * FROM sandbox.parcels WHERE courier = $1 AND awb = ANY($2)',
      [courier, awbs],
    );
    return rows.map(toParcel);
  }

  /** Any courier's parcel by AWB (the control routes address parcels by AWB alone). */
  async findAnyCourier(awb: string): Promise<SandboxParcel | null> {
    const rows = await this.dataSource.query<ParcelRow[]>(
      'SELECT * FROM sandbox.parcels WHERE awb = $1 LIMIT 1',
      [awb],
    );
    return rows[0] ? toParcel(rows[0]) : null;
  }

  /** Parcels created with a reference, oldest first. */
  async findByReference(courier: CourierCode, reference: string): Promise<SandboxParcel[]> {
    const rows = await queryPrepared<ParcelRow>(
      this.dataSource.manager,
      'sandbox_parcels_by_reference',
      'SELECT * FROM sandbox.parcels WHERE courier = $1 AND reference = $2 ORDER BY created_at, awb',
      [courier, reference],
    );
    return rows.map(toParcel);
  }

  async savePlan(courier: CourierCode, awb: string, plan: PlanStep[]): Promise<void> {
    await this.dataSource.query('UPDATE sandbox.parcels SET plan = $3 WHERE courier = $1 AND awb = $2', [
      courier,
      awb,
      JSON.stringify(plan),
    ]);
  }

  /**
   * Decides about one parcel with its row locked, so two requests about it apply one after the other:
   * `decide` sees the parcel as stored and returns its answer, with the plan and the action to record
   * when there is something to record. null when the parcel does not exist.
   */
  async changeLocked<T>(
    courier: CourierCode,
    awb: string,
    decide: (parcel: SandboxParcel) => { answer: T; plan?: PlanStep[]; action?: ActionRecord },
  ): Promise<T | null> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<ParcelRow[]>(
        'SELECT * FROM sandbox.parcels WHERE courier = $1 AND awb = $2 FOR UPDATE',
        [courier, awb],
      );
      if (!rows[0]) return null;
      const { answer, plan, action } = decide(toParcel(rows[0]));
      if (plan && action)
        await m.query(
          'UPDATE sandbox.parcels SET plan = $3, actions = actions || $4::jsonb WHERE courier = $1 AND awb = $2',
          [courier, awb, JSON.stringify(plan), JSON.stringify([action])],
        );
      return answer;
    });
  }

  /**
   * The courier's COD parcels first delivered (cash taken) in [from, to) and by `now`, in delivery order. Plan
   * times are ISO strings in UTC, so they compare as text. A scan of the courier's parcels: the sandbox world
   * is small.
   */
  async deliveredCod(
    courier: CourierCode,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<{ awb: string; codAmount: number; deliveredAt: Date }[]> {
    const rows = await this.dataSource.query<{ awb: string; cod_amount: string; delivered_at: string }[]>(
      `SELECT awb, cod_amount, delivered_at FROM (
         SELECT p.awb, p.cod_amount,
                (SELECT min(s->>'at') FROM jsonb_array_elements(p.plan) s
                  WHERE s->>'status' = 'delivered' AND coalesce((s->>'codCollected')::boolean, true)) AS delivered_at
           FROM sandbox.parcels p WHERE p.courier = $1 AND p.cod_amount > 0) d
        WHERE delivered_at >= $2 AND delivered_at < $3 AND delivered_at <= $4
        ORDER BY delivered_at, awb`,
      [courier, from.toISOString(), to.toISOString(), now.toISOString()],
    );
    return rows.map((r) => ({
      awb: r.awb,
      codAmount: Number(r.cod_amount),
      deliveredAt: new Date(r.delivered_at),
    }));
  }

  async faults(): Promise<Map<CourierCode, Faults>> {
    const rows = await this.dataSource.query<
      { courier: CourierCode; error_rate: number; timeout_rate: number; latency_ms: number }[]
    >('SELECT courier, error_rate, timeout_rate, latency_ms FROM sandbox.faults');
    return new Map(
      rows.map((r) => [
        r.courier,
        { errorRate: r.error_rate, timeoutRate: r.timeout_rate, latencyMs: r.latency_ms },
      ]),
    );
  }

  async setFaults(courier: CourierCode, f: Faults): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sandbox.faults (courier, error_rate, timeout_rate, latency_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (courier) DO UPDATE SET error_rate = $2, timeout_rate = $3, latency_ms = $4`,
      [courier, f.errorRate, f.timeoutRate, f.latencyMs],
    );
  }

  /** The shared clock: its offset and, for a stepped clock, the instant the offset counts from. */
  async clock(): Promise<SandboxClockRow> {
    const rows = await this.dataSource.query<RawClock[]>(
      'SELECT offset_ms, stepped_from_ms FROM sandbox.clock WHERE id = 1',
    );
    return clockRow(rows[0]);
  }

  /**
   * Starts the shared clock as `mode` says, at `nowMs` (real time): a stepped clock keeps the instant it
   * already counts from, carries a running clock on from where it is, or (never started) starts from
   * `firstStartMs`, now unless given; a running clock that was stepped carries on from the stepped time or
   * real time, whichever is later (the clock only moves forward).
   */
  async startClock(
    mode: 'running' | 'stepped',
    nowMs: number,
    firstStartMs: number = nowMs,
  ): Promise<SandboxClockRow> {
    const [row] = await this.dataSource.query<RawClock[]>(
      mode === 'stepped'
        ? `INSERT INTO sandbox.clock (id, offset_ms, stepped_from_ms) VALUES (1, 0, $2)
           ON CONFLICT (id) DO UPDATE SET stepped_from_ms = COALESCE(sandbox.clock.stepped_from_ms, $1)
           RETURNING offset_ms, stepped_from_ms`
        : `INSERT INTO sandbox.clock (id, offset_ms) VALUES (1, 0)
           ON CONFLICT (id) DO UPDATE SET
             offset_ms = CASE WHEN sandbox.clock.stepped_from_ms IS NULL THEN sandbox.clock.offset_ms
               ELSE GREATEST(0, sandbox.clock.offset_ms + sandbox.clock.stepped_from_ms - $1) END,
             stepped_from_ms = NULL
           RETURNING offset_ms, stepped_from_ms`,
      mode === 'stepped' ? [nowMs, firstStartMs] : [nowMs],
    );
    return clockRow(row);
  }

  /** Moves the shared clock forward by `ms` and returns it. */
  async advanceClock(ms: number): Promise<SandboxClockRow> {
    const [row] = await this.dataSource.query<RawClock[]>(
      `INSERT INTO sandbox.clock (id, offset_ms) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET offset_ms = sandbox.clock.offset_ms + $1
       RETURNING offset_ms, stepped_from_ms`,
      [ms],
    );
    return clockRow(row);
  }
}

export interface SandboxClockRow {
  offsetMs: number;
  /** A stepped clock's instant the offset counts from (epoch ms); null: it runs with real time. */
  steppedFromMs: number | null;
}

interface RawClock {
  offset_ms: string;
  stepped_from_ms: string | null;
}

function clockRow(row: RawClock | undefined): SandboxClockRow {
  return {
    offsetMs: row ? Number(row.offset_ms) : 0,
    steppedFromMs: row?.stepped_from_ms == null ? null : Number(row.stepped_from_ms),
  };
}

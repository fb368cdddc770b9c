import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { wibDate } from 'src/common/wib';
import { AreasService } from 'src/areas/areas.service';
import type {
  CourierCode,
  CourierReason,
  CourierServiceInfo,
  CourierStatus,
  ParcelActionKind,
} from '../courier-adapter';
import { CourierLocations, LocationField } from '../locations';
import { SandboxParcel, SandboxRepository } from './sandbox.repository';
import { codFee } from '../cod-fee';
import { RegencyLookup } from './regency-lookup';
import { zoneOf } from '../zones';
import { normalizePhone } from './world-model';
import {
  actionRefusal,
  ActionRefusal,
  coverage,
  etaDays,
  isHeld,
  isPickedUp,
  parcelStage,
  planAfterAction,
  PlanStep,
  planJourney,
  Script,
  scriptSteps,
  stepsBy,
  tariff,
  WorldSettings,
} from './world';

/** AWB numbers an instance reserves at a time (SandboxWorld.nextAwbNumber). */
const AWB_BLOCK = 100;

export type WorldRejection =
  'unknown_service' | 'unserviceable_route' | 'cod_not_allowed' | 'too_heavy' | 'cod_over_limit';

export interface WorldQuote {
  service: CourierServiceInfo;
  price: number;
  codFee: number;
  etaDays: { min: number; max: number };
  codAvailable: boolean;
}

/** A seller action as a sandbox received it, in normalized terms plus the courier's own fields. */
export interface ActionAtCourier {
  kind: ParcelActionKind;
  confirmedWithBuyer?: boolean;
  note?: string;
  /** The fields as sent, in the courier's names (kept with the action: the new address, for one). */
  request?: Record<string, unknown>;
}

export type ActionAnswer =
  | { accepted: true; reference: string; parcel: SandboxParcel }
  | { accepted: false; why: ActionRefusal; parcel: SandboxParcel };

export interface NewParcel {
  courier: CourierCode;
  awb: string;
  reference: string;
  service: string;
  originCity: string;
  originProvince: string;
  destinationCity: string;
  destinationProvince: string;
  /** The recipient's phone from the courier's request: the world's recipients behave by phone. */
  recipientPhone?: string;
  /** Regency codes when the request names places by the courier's codes (regencyOfCode); else found by name. */
  originRegency?: string;
  destinationRegency?: string;
  weightGrams: number;
  codAmount: number;
  pickup: boolean;
  request: Record<string, unknown>;
}

/** What every courier sandbox shares: prices, coverage, parcels and their journeys in the simulated world. */
@Injectable()
export class SandboxWorld {
  readonly settings: WorldSettings;
  private readonly logger = new Logger(SandboxWorld.name);
  private lookup: Promise<RegencyLookup> | null = null;
  /** Places already logged as unknown: each is logged once. */
  private readonly unknownPlaces = new Set<string>();

  constructor(
    private readonly repository: SandboxRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    /** Each courier's location mapping: how a sandbox reads the codes it is sent back to a place. */
    readonly locations: CourierLocations,
    private readonly areas: AreasService,
  ) {
    this.settings = { ...config.business.sandbox, world: config.couriers.sandboxWorld };
  }

  /** The regency lookup from the area directory, loaded once (a failed load is retried by the next call). */
  private regencies(): Promise<RegencyLookup> {
    this.lookup ??= this.areas.regencies().then(
      (rows) => new RegencyLookup(rows),
      (e: unknown) => {
        this.lookup = null;
        throw e;
      },
    );
    return this.lookup;
  }

  /**
   * A place's regency code, or undefined when its names name no single regency: the world then uses its
   * province's behaviour (logged once per place; degrade, never refuse a parcel for it).
   */
  private regencyOf(lookup: RegencyLookup, city: string, province: string): string | undefined {
    const code = lookup.codeOf(city, province);
    if (code) return code;
    const place = `${city}, ${province}`;
    if (!this.unknownPlaces.has(place)) {
      this.unknownPlaces.add(place);
      this.logger.warn(`no single regency is named "${place}": the sandbox world uses the province's odds`);
    }
    return undefined;
  }

  /**
   * The regency codes the world uses for a parcel's places, from its canonical city and province names
   * (undefined: no single regency is named, and the world uses the province's behaviour).
   */
  async regenciesOf(
    p: Pick<NewParcel, 'originCity' | 'originProvince' | 'destinationCity' | 'destinationProvince'>,
  ): Promise<{ origin?: string; destination?: string }> {
    const lookup = await this.regencies();
    return {
      origin: this.regencyOf(lookup, p.originCity, p.originProvince),
      destination: this.regencyOf(lookup, p.destinationCity, p.destinationProvince),
    };
  }

  /** A stored parcel's route and recipient, as the world model takes them. */
  private context(lookup: RegencyLookup, parcel: SandboxParcel | NewParcel, createdAt: Date) {
    const originRegency =
      parcel.originRegency ?? this.regencyOf(lookup, parcel.originCity, parcel.originProvince);
    const destinationRegency =
      parcel.destinationRegency ?? this.regencyOf(lookup, parcel.destinationCity, parcel.destinationProvince);
    // One order's draws, whichever courier and Kirim book it: its buyer, destination, amounts and booking day
    // (a booking shipped again on a later day draws afresh). Without a phone, the parcel's own.
    const draws =
      this.config.couriers.sandboxDraws === 'per_order' && parcel.recipientPhone
        ? [
            'order',
            normalizePhone(parcel.recipientPhone),
            destinationRegency ?? `${parcel.destinationCity}/${parcel.destinationProvince}`,
            parcel.codAmount,
            parcel.weightGrams,
            wibDate(createdAt),
          ].join(':')
        : undefined;
    return {
      ...(draws ? { draws } : {}),
      seed: this.config.couriers.sandboxSeed,
      courier: parcel.courier,
      awb: parcel.awb,
      service: this.services(parcel.courier).find((s) => s.code === parcel.service)!,
      originCity: parcel.originCity,
      originProvince: parcel.originProvince,
      destinationCity: parcel.destinationCity,
      destinationProvince: parcel.destinationProvince,
      ...(originRegency ? { originRegency } : {}),
      ...(destinationRegency ? { destinationRegency } : {}),
      ...(parcel.recipientPhone ? { recipientPhone: parcel.recipientPhone } : {}),
      codAmount: parcel.codAmount,
    };
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * The province of the district a courier's code (or name, for name-keyed calls) stands for in that
   * courier's mapping; null for a code the mapping does not hold, which the sandbox refuses as the courier would.
   */
  async provinceOfCode(
    courier: CourierCode,
    value: unknown,
    field: LocationField = 'code',
  ): Promise<string | null> {
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (!text.trim()) return null;
    return (await this.locations.placeOf(courier, field, text))?.province ?? null;
  }

  /**
   * The regency of the district a courier's code stands for in its mapping (the world's lanes are per
   * regency); undefined for a code the mapping does not hold.
   */
  async regencyOfCode(
    courier: CourierCode,
    value: unknown,
    field: LocationField = 'code',
  ): Promise<string | undefined> {
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (!text.trim()) return undefined;
    return (await this.locations.placeOf(courier, field, text))?.districtCode.slice(0, 5);
  }

  /** The world's seed: every journey (and report) it plans follows from it. */
  get seed(): string {
    return this.config.couriers.sandboxSeed;
  }

  services(courier: CourierCode): CourierServiceInfo[] {
    return this.config.business.couriers.catalogue[courier].services;
  }

  /** Every service that serves the route, priced for the parcel. */
  quote(
    courier: CourierCode,
    originProvince: string,
    destinationProvince: string,
    weightGrams: number,
    codAmount: number,
  ): WorldQuote[] {
    const zone = zoneOf(originProvince, destinationProvince);
    return this.services(courier)
      .filter((s) => coverage(courier, s.code, originProvince, destinationProvince).served)
      .filter((s) => weightGrams >= s.minWeightGrams && weightGrams <= s.maxWeightGrams)
      .map((s) => {
        const codAvailable = s.cod && coverage(courier, s.code, originProvince, destinationProvince).cod;
        return {
          service: s,
          price: tariff(this.settings, courier, s.code, zone, weightGrams),
          codFee: codAmount && codAvailable ? codFee(s, codAmount) : 0,
          etaDays: etaDays(this.settings, s, zone),
          codAvailable,
        };
      });
  }

  /** Why the courier would refuse this order, or null when it accepts it. */
  check(
    courier: CourierCode,
    service: string,
    originProvince: string,
    destinationProvince: string,
    weightGrams: number,
    codAmount: number,
  ): WorldRejection | null {
    const info = this.services(courier).find((s) => s.code === service);
    if (!info) return 'unknown_service';
    const cover = coverage(courier, service, originProvince, destinationProvince);
    if (!cover.served) return 'unserviceable_route';
    if (weightGrams > info.maxWeightGrams || weightGrams < info.minWeightGrams) return 'too_heavy';
    if (codAmount > 0 && !(info.cod && cover.cod)) return 'cod_not_allowed';
    if (codAmount > info.codMaxAmount && codAmount > 0) return 'cod_over_limit';
    return null;
  }

  /**
   * The next number of a courier's AWB sequence. Numbers are reserved in blocks of AWB_BLOCK, so the
   * sequence row is written once per block instead of once per parcel; numbers are unique across instances
   * (each reserves its own blocks) and a restart skips the rest of its block, as a real courier's do.
   */
  async nextAwbNumber(courier: CourierCode): Promise<number> {
    for (;;) {
      const block = this.awbBlocks.get(courier);
      if (block && block.next <= block.last) return block.next++;
      let reserving = this.awbReserving.get(courier);
      if (!reserving) {
        reserving = this.repository
          .reserveAwbNumbers(courier, AWB_BLOCK)
          .then((last) => {
            this.awbBlocks.set(courier, { next: last - AWB_BLOCK + 1, last });
          })
          .finally(() => this.awbReserving.delete(courier));
        this.awbReserving.set(courier, reserving);
      }
      await reserving;
    }
  }
  private readonly awbBlocks = new Map<CourierCode, { next: number; last: number }>();
  private readonly awbReserving = new Map<CourierCode, Promise<void>>();

  /** Stores a new parcel with its whole journey planned from the seed. */
  async create(p: NewParcel): Promise<SandboxParcel> {
    const lookup = await this.regencies();
    const createdAt = this.now();
    const zone = zoneOf(p.originProvince, p.destinationProvince);
    const plan = planJourney(this.settings, {
      ...this.context(lookup, p, createdAt),
      pickup: p.pickup,
      createdAt,
    });
    const parcel: SandboxParcel = {
      ...p,
      price: tariff(this.settings, p.courier, p.service, zone, p.weightGrams),
      plan,
      actions: [],
      createdAt,
    };
    await this.repository.insert(parcel);
    return parcel;
  }

  find(courier: CourierCode, awb: string): Promise<SandboxParcel | null> {
    return this.repository.find(courier, awb);
  }

  findMany(courier: CourierCode, awbs: string[]): Promise<SandboxParcel[]> {
    return this.repository.findMany(courier, awbs);
  }

  findByReference(courier: CourierCode, reference: string): Promise<SandboxParcel[]> {
    return this.repository.findByReference(courier, reference);
  }

  /** What has happened to the parcel by now (the service clock's now). */
  happened(parcel: SandboxParcel): PlanStep[] {
    return stepsBy(parcel.plan, this.now());
  }

  /** Books a pickup for a parcel created as drop-off; a no-op when it already has one. */
  async requestPickup(parcel: SandboxParcel): Promise<'requested' | 'already' | 'picked_up' | 'cancelled'> {
    const done = this.happened(parcel);
    if (done.some((s) => s.status === 'cancelled')) return 'cancelled';
    if (isPickedUp(done)) return 'picked_up';
    if (done.some((s) => s.status === 'pickup_requested')) return 'already';
    const at = this.now().toISOString();
    await this.repository.savePlan(parcel.courier, parcel.awb, [
      ...done,
      { at, status: 'pickup_requested', location: parcel.originCity },
      ...parcel.plan.filter((s) => s.at > at && s.status !== 'created'),
    ]);
    return 'requested';
  }

  /** Cancels before the first physical scan. */
  async cancel(parcel: SandboxParcel): Promise<'cancelled' | 'picked_up' | 'already_cancelled'> {
    const done = this.happened(parcel);
    if (done.some((s) => s.status === 'cancelled')) return 'already_cancelled';
    if (isPickedUp(done)) return 'picked_up';
    await this.repository.savePlan(parcel.courier, parcel.awb, [
      ...done,
      { at: this.now().toISOString(), status: 'cancelled', location: parcel.originCity },
    ]);
    return 'cancelled';
  }

  /**
   * The courier takes (or refuses) a seller action about a parcel now: the parcel's future is re-planned
   * (world.ts planAfterAction) and the action kept with it, under a row lock. `reference` words the
   * courier's ticket number from the action's sequence number on the parcel. null for an unknown parcel.
   */
  async requestAction(
    courier: CourierCode,
    awb: string,
    action: ActionAtCourier,
    reference: (sequence: number) => string,
  ): Promise<ActionAnswer | null> {
    const lookup = await this.regencies();
    const now = this.now();
    return this.repository.changeLocked<ActionAnswer>(courier, awb, (parcel) => {
      const done = stepsBy(parcel.plan, now);
      const why = actionRefusal(action.kind, parcelStage(done), isHeld(parcel.actions));
      if (why) return { answer: { accepted: false, why, parcel } };
      const plan = planAfterAction(
        this.settings,
        this.context(lookup, parcel, parcel.createdAt),
        parcel.plan,
        parcel.actions,
        action,
        now,
      );
      const record = {
        kind: action.kind,
        at: now.toISOString(),
        reference: reference(parcel.actions.length + 1),
        ...(action.confirmedWithBuyer ? { confirmedWithBuyer: true } : {}),
        ...(action.note ? { note: action.note } : {}),
        ...(action.request ? { request: action.request } : {}),
      };
      return {
        answer: {
          accepted: true,
          reference: record.reference,
          parcel: { ...parcel, plan, actions: [...parcel.actions, record] },
        },
        plan,
        action: record,
      };
    });
  }

  /** Drives a parcel by hand: records `to` now and drops the planned future (it stays until driven again). */
  async advance(parcel: SandboxParcel, to: CourierStatus, reason?: CourierReason): Promise<PlanStep[]> {
    const done = this.happened(parcel);
    const atHome = to === 'picked_up' || to === 'returned';
    const step: PlanStep = {
      at: this.now().toISOString(),
      status: to,
      location: atHome ? parcel.originCity : parcel.destinationCity,
      ...(reason ? { reason } : {}),
      ...(to === 'delivered' ? { codCollected: parcel.codAmount > 0 } : {}),
      ...(to === 'returning_to_sender' || to === 'returned' ? { returnLeg: true } : {}),
    };
    const plan = [...done, step];
    await this.repository.savePlan(parcel.courier, parcel.awb, plan);
    return plan;
  }

  /** Replaces the parcel's future with a named script. */
  async script(parcel: SandboxParcel, script: Script): Promise<PlanStep[]> {
    const done = this.happened(parcel);
    const plan = [
      ...done,
      ...scriptSteps(
        script,
        this.now(),
        done.map((s) => s.status),
        { origin: parcel.originCity, destination: parcel.destinationCity },
        parcel.codAmount,
      ),
    ];
    await this.repository.savePlan(parcel.courier, parcel.awb, plan);
    return plan;
  }
}

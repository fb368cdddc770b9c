import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { TtlCache } from 'src/common/ttl-cache';
import type { Rupiah } from 'src/common/money';
import { codFee } from 'src/couriers/cod-fee';
import type { Area, CourierServiceInfo, Parcel, ServiceQuote } from 'src/couriers/courier-adapter';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { CourierRegistry, ResilientCourier } from 'src/couriers/courier-registry';
import { CourierLocations } from 'src/couriers/locations';
import { serviceRefusal } from 'src/couriers/service-limits';
import type { ScoringPreset } from 'src/sellers/seller-settings.entity';
import { DeliveryStatsService } from './delivery-stats.service';
import { Candidate, IneligibleReason, rankCandidates, Ranking } from './scoring.model';

export interface ShipmentToRank {
  origin: Area;
  destination: Area;
  parcel: Parcel;
  codAmount: Rupiah;
  recipientPhone?: string;
}

export interface RankingContext {
  preset: ScoringPreset;
  lostMarginPerFailure: Rupiah;
}

export interface RankedShipment extends Ranking {
  preset: ScoringPreset;
  modelVersion: string;
  /** Per option: the observed transit percentiles when Kirim has enough deliveries, else null. */
  observed: Map<string, { p50: number; p90: number } | null>;
  /** Per option: the courier's promised days for the route. */
  promised: Map<string, { min: number; max: number }>;
  /** Which options had a live or cached price (ineligible ones may have none). */
  priced: Set<string>;
}

/** What is cached of a courier's rate: not the COD fee, which depends on each shipment's COD amount. */
type CachedRate = Omit<ServiceQuote, 'codFee'>;
type Rates = { rates: CachedRate[] } | { failed: IneligibleReason };

export const optionKey = (courier: string, service: string) => `${courier}:${service}`;

const place = (a: Area) =>
  `${a.province}|${a.city.trim().toUpperCase()}|${(a.district ?? '').trim().toUpperCase()}|${a.districtCode ?? ''}`;

/**
 * Which courier service should carry a shipment, and why: eligibility, rates (cached per route and
 * what of the parcel each courier prices by, its `rateKey`; fetched in parallel under each courier's policies when cold), learned delivery
 * odds, and the expected-cost model.
 */
@Injectable()
export class ScoringService {
  /**
   * Courier rates by route, weight band and payment (COD or not) for rateCacheTtlSeconds of the service
   * clock. Rates change rarely and a stale one only moves a ranking; a booking is charged as ranked.
   */
  private readonly cache: TtlCache<string, CachedRate[]>;
  private readonly rankings: TtlCache<
    string,
    { ranked: RankedShipment; generation: number; validUntil: number }
  >;

  constructor(
    private readonly registry: CourierRegistry,
    private readonly stats: DeliveryStatsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly locations: CourierLocations,
  ) {
    const s = config.business.scoring;
    this.cache = new TtlCache(s.rateCacheTtlSeconds * 1000, s.rateCacheMaxEntries, () =>
      this.clock.now().getTime(),
    );
    this.rankings = new TtlCache(config.business.caches.statistics * 1000, 20_000);
  }

  /**
   * Every courier service for the shipment, scored and ranked; ineligible ones say why. The same inputs
   * give the same ranking until a rate or the statistics behind it change, so a ranking made wholly from
   * rates is kept (per instance, no longer than the statistics cache) and served again.
   */
  async rank(shipment: ShipmentToRank, ctx: RankingContext): Promise<RankedShipment> {
    const route = `${place(shipment.origin)}>${place(shipment.destination)}`;
    // Which couriers have codes for both ends (in memory; a courier without them is not asked).
    const couriers = this.registry.all();
    const mapped = await Promise.all(
      couriers.map((c) => this.locations.covers(c.code, shipment.origin, shipment.destination)),
    );
    // A courier's rates are kept for what it prices by (its rounding of the weight): a band of our own
    // would show a 2.2 kg parcel the price another courier's 2.8 kg parcel was quoted. And for the codes it
    // was sent (its mapping's version): after a new mapping, a rate for a district's old code is not kept.
    const versions = await Promise.all(couriers.map((c) => this.locations.versionOf(c.code)));
    // And for COD or not: the courier is asked under another account (SAP's COD customer code) or with the
    // amount (Ninja), and answers whether COD is served under the account it was asked with.
    const payment = shipment.codAmount > 0 ? 'cod' : 'prepaid';
    const rateKeys = couriers.map(
      (c, i) => `${c.code}@${versions[i]}>${route}>${c.rateKey(shipment.parcel)}>${payment}`,
    );
    // A courier whose circuit is open is ineligible, its rates cached or not: a ranking made before is not.
    const open = couriers.map((c) => (c.circuit === 'open' ? '!' : '.')).join('');
    const memoKey = `${rateKeys.join('|')}|${open}|${shipment.parcel.weightGrams}|${shipment.codAmount}|${shipment.recipientPhone ?? ''}|${ctx.preset}|${ctx.lostMarginPerFailure}|${this.locations.generation}`;
    const now = this.clock.now().getTime();
    const memo = this.rankings.get(memoKey);
    if (memo && memo.generation === this.stats.generation && memo.validUntil > now) return memo.ranked;
    const generation = this.stats.generation;

    const rates: Rates[] = [];
    let validUntil = Number.POSITIVE_INFINITY;
    const cold: number[] = [];
    couriers.forEach((c, i) => {
      if (!mapped[i]) {
        rates[i] = { failed: 'area_not_mapped' };
        return;
      }
      if (couriers[i].circuit === 'open') {
        rates[i] = { failed: 'circuit_open' };
        return;
      }
      const cached = this.cache.entry(rateKeys[i]);
      if (cached) {
        rates[i] = { rates: cached.value };
        validUntil = Math.min(validUntil, cached.expiresAt);
      } else cold.push(i);
    });
    if (cold.length) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), this.config.quoteDeadlineMs)),
      );
      try {
        const asked = await Promise.all(
          cold.map((i) => this.ratesOf(couriers[i], rateKeys[i], shipment, deadline)),
        );
        cold.forEach((i, j) => (rates[i] = asked[j]));
      } finally {
        clearTimeout(timer);
      }
      // Fresh answers: kept as long as the shortest-lived cached rate, failures not at all.
      // (An unmapped area is no failure: it stands until the mapping changes, which the memo key follows.)
      validUntil = rates.every((r) => 'rates' in r || r.failed === 'area_not_mapped')
        ? Math.min(validUntil, now + this.config.business.scoring.rateCacheTtlSeconds * 1000)
        : now;
    }
    const ranked = await this.score(shipment, ctx, couriers, rates);
    if (validUntil > now) this.rankings.set(memoKey, { ranked, generation, validUntil });
    return ranked;
  }

  private async score(
    shipment: ShipmentToRank,
    ctx: RankingContext,
    couriers: ResilientCourier[],
    rates: Rates[],
  ): Promise<RankedShipment> {
    const services = couriers.flatMap((c, i) =>
      c.services().map((s) => ({ courier: c, info: s, rates: rates[i] })),
    );
    const estimates = await this.stats.estimates(
      {
        origin: shipment.origin,
        destination: shipment.destination,
        recipientPhone: shipment.recipientPhone,
        cod: shipment.codAmount > 0,
      },
      services.map(({ courier, info, rates: r }) => ({
        courier: courier.code,
        service: info.code,
        promised:
          ('rates' in r ? r.rates.find((q) => q.service === info.code)?.etaDays : undefined) ?? info.slaDays,
      })),
    );

    const terms = this.config.business.couriers.terms;
    const observed = new Map<string, { p50: number; p90: number } | null>();
    const promised = new Map<string, { min: number; max: number }>();
    const priced = new Set<string>();
    const candidates: Candidate[] = services.map(({ courier, info, rates: r }, i) => {
      const key = optionKey(courier.code, info.code);
      const rate = 'rates' in r ? r.rates.find((q) => q.service === info.code) : undefined;
      const e = estimates[i];
      const price = rate?.price ?? 0;
      if (rate) priced.add(key);
      promised.set(key, rate?.etaDays ?? info.slaDays);
      observed.set(
        key,
        e.transitDays.source === 'promised' ? null : { p50: e.transitDays.p50, p90: e.transitDays.p90 },
      );
      const t = terms[courier.code];
      return {
        courier: courier.code,
        service: info.code,
        serviceName: rate?.serviceName ?? info.name,
        ineligibleReason: this.ineligibility(info, shipment, r, rate),
        price,
        codFee: codFee(info, shipment.codAmount),
        cashback: Math.round((price * t.cashbackBasisPoints) / 10_000),
        returnFee: Math.round((price * t.returnFeeBasisPoints) / 10_000),
        failureRate: e.failureRate,
        pickupFailureRate: e.pickupFailureRate,
        transitDays: { p50: e.transitDays.p50, p90: e.transitDays.p90 },
      };
    });

    const ranking = rankCandidates(candidates, {
      weights: this.config.business.scoring.presets[ctx.preset],
      lostMarginPerFailure: ctx.lostMarginPerFailure,
      pickupFailureCost: this.config.business.scoring.pickupFailureCost,
    });
    return {
      ...ranking,
      preset: ctx.preset,
      modelVersion: this.config.business.scoring.modelVersion,
      observed,
      promised,
      priced,
    };
  }

  private ineligibility(
    info: CourierServiceInfo,
    s: ShipmentToRank,
    r: Rates,
    rate: CachedRate | undefined,
  ): IneligibleReason | undefined {
    const refusal = serviceRefusal(info, s.parcel.weightGrams, s.codAmount);
    if (refusal) return refusal;
    if ('failed' in r) return r.failed;
    if (!rate) return 'route_not_served';
    if (s.codAmount > 0 && !rate.codAvailable) return 'cod_not_supported';
    return undefined;
  }

  /** A courier's rates for the route, asked now (a late answer still fills the cache). */
  private async ratesOf(
    courier: ResilientCourier,
    key: string,
    s: ShipmentToRank,
    deadline: Promise<'timeout'>,
  ): Promise<Rates> {
    const asked = courier
      .quote({ origin: s.origin, destination: s.destination, parcel: s.parcel, codAmount: s.codAmount })
      .then((quotes): Rates => {
        const rates = quotes.map(({ codFee: _fee, ...rest }) => rest);
        this.cache.set(key, rates);
        return { rates };
      });
    try {
      const answer = await Promise.race([asked, deadline]);
      return answer === 'timeout' ? { failed: 'courier_timeout' } : answer;
    } catch (e) {
      if (e instanceof CourierUnavailableError)
        return {
          failed:
            e.reason === 'circuit_open'
              ? 'circuit_open'
              : e.reason === 'timeout'
                ? 'courier_timeout'
                : 'courier_error',
        };
      if (e instanceof CourierRejectedError && e.reason !== 'auth') return { failed: 'route_not_served' };
      return { failed: 'courier_error' };
    } finally {
      asked.catch(() => undefined); // a late failure after the deadline is already accounted for
    }
  }
}

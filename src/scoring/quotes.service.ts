import { Injectable } from '@nestjs/common';
import { AreasService } from 'src/areas/areas.service';
import { AddressesService } from 'src/sellers/addresses.service';
import { SellersService } from 'src/sellers/sellers.service';
import { QuoteOptionDto, QuoteRequestDto, QuoteResponseDto } from './quotes.dto';
import { optionKey, RankedShipment, ScoringService } from './scoring.service';

/** POST /v1/quotes: the seller's origin and settings, then the ranking, in the API's shape. */
@Injectable()
export class QuotesService {
  private readonly answers = new WeakMap<RankedShipment, Omit<QuoteResponseDto, 'destination'>>();

  constructor(
    private readonly scoring: ScoringService,
    private readonly addresses: AddressesService,
    private readonly sellers: SellersService,
    private readonly areas: AreasService,
  ) {}

  /**
   * Ranks the courier services for a parcel to a destination resolved against the area directory.
   * @throws AddressNotFoundError SELLERS_ADDRESS_NOT_FOUND for an unknown or another seller's origin.
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422, `destination.district`/`destination.city`, with suggestions)
   */
  async quote(sellerId: string, q: QuoteRequestDto): Promise<QuoteResponseDto> {
    const [origin, settings] = await Promise.all([
      this.addresses.find(sellerId, q.originAddressId, 'originAddressId'),
      this.sellers.settings(sellerId),
    ]);
    const place = await this.areas.resolve(q.destination, 'destination');
    const ranked = await this.scoring.rank(
      {
        origin,
        destination: {
          ...q.destination,
          district: place.district,
          city: place.city,
          province: place.province,
          districtCode: place.districtCode,
        },
        parcel: q.parcel,
        codAmount: q.codAmount ?? 0,
      },
      { preset: q.preset ?? settings.scoringPreset, lostMarginPerFailure: settings.lostMarginPerFailure },
    );
    // A ranking served again (kept by scoring) gives the same options: built once per ranking. The
    // destination is this request's (another spelling of the same place can share the ranking).
    let answer = this.answers.get(ranked);
    if (!answer) {
      answer = {
        options: quoteOptions(ranked),
        recommended: ranked.winner
          ? { courier: ranked.winner.courier, service: ranked.winner.service }
          : null,
        preset: ranked.preset,
        modelVersion: ranked.modelVersion,
      };
      this.answers.set(ranked, answer);
    }
    const { districtCode, district, city, province } = place;
    return {
      destination: { districtCode, district, city, province, postalCode: q.destination.postalCode },
      ...answer,
    };
  }
}

/**
 * The options in the API's shape. An option with no price (the courier gave none: route not served, timed
 * out) has no expected cost, score or breakdown either: they would be computed from a price of 0.
 */
export function quoteOptions(ranked: RankedShipment): QuoteOptionDto[] {
  return ranked.options.map((o) => {
    const key = optionKey(o.courier, o.service);
    const priced = ranked.priced.has(key);
    return {
      courier: o.courier,
      service: o.service,
      serviceName: o.serviceName,
      price: priced ? o.price : null,
      codFee: o.codFee,
      cashback: priced ? o.cashback : null,
      etaDays: ranked.promised.get(key)!,
      observedTransitDays: ranked.observed.get(key) ?? null,
      successRate: Math.round(o.successRate * 10_000) / 10_000,
      expectedCost: priced ? o.expectedCost : null,
      score: priced ? o.score : null,
      rank: o.rank,
      eligible: o.eligible,
      ...(o.ineligibleReason ? { ineligibleReason: o.ineligibleReason } : {}),
      breakdown: priced ? (o.breakdown as unknown as Record<string, unknown>) : null,
    };
  });
}

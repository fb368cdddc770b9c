import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { AreasService } from 'src/areas/areas.service';
import { TtlCache } from 'src/common/ttl-cache';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { Page, PageQueryDto, paginate } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { AddressDto, CreateAddressDto, UpdateAddressDto } from './addresses.dto';
import { PickupAddress } from './pickup-address.entity';
import { AddressNotFoundError } from './sellers.errors';

export function addressView(a: PickupAddress): AddressDto {
  return {
    id: a.id,
    label: a.label,
    contactName: a.contactName,
    phone: a.phone,
    address: a.address,
    district: a.district,
    city: a.city,
    province: a.province,
    postalCode: a.postalCode,
    districtCode: a.districtCode,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

@Injectable()
export class AddressesService {
  /** Quotes and bookings read the origin on every call: kept briefly, dropped here on change. */
  private readonly cache: TtlCache<string, PickupAddress | null>;

  constructor(
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly areas: AreasService,
    config: AppConfig,
  ) {
    this.cache = new TtlCache(config.business.caches.addresses * 1000);
  }

  /**
   * A pickup address, its place resolved to a district and answered with the directory's names.
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422, field `district` or `city`, with suggestions)
   */
  async create(sellerId: string, input: CreateAddressDto): Promise<AddressDto> {
    const place = await this.areas.resolve(input);
    const now = this.clock.now();
    const address: PickupAddress = {
      ...input,
      district: place.district,
      city: place.city,
      province: place.province,
      districtCode: place.districtCode,
      id: randomUUID(),
      sellerId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.tx.manager.insert(PickupAddress, address);
    return addressView(address);
  }

  list(sellerId: string, query: PageQueryDto): Promise<Page<AddressDto>> {
    const qb = this.tx.manager
      .createQueryBuilder(PickupAddress, 'a')
      .where('a.sellerId = :sellerId AND a.deletedAt IS NULL', { sellerId });
    return paginate(qb, 'a', query, addressView);
  }

  /**
   * The seller's live pickup address; other modules use it to resolve an origin (`field`: the body field
   * that named it, which the error names).
   * @throws AddressNotFoundError SELLERS_ADDRESS_NOT_FOUND (also for another seller's address)
   */
  async find(sellerId: string, id: string, field?: string): Promise<PickupAddress> {
    const address = await this.cache.getOr(cacheKey(sellerId, id), () =>
      this.tx.manager.findOne(PickupAddress, { where: { id, sellerId } }),
    );
    if (!address || address.deletedAt) throw new AddressNotFoundError(field);
    return address;
  }

  /**
   * The seller's live pickup addresses among `ids` (UUIDs, in either letter case), by id as stored (lower
   * case), in one query: a bulk import names thousands, and one lookup each took seconds. Another seller's,
   * a deleted or an unknown id is absent.
   */
  async findMany(sellerId: string, ids: readonly string[]): Promise<Map<string, PickupAddress>> {
    if (!ids.length) return new Map();
    const found = await this.tx.manager
      .createQueryBuilder(PickupAddress, 'a')
      .where('a.sellerId = :sellerId AND a.id = ANY(:ids) AND a.deletedAt IS NULL', { sellerId, ids })
      .getMany();
    return new Map(found.map((a) => [a.id, a]));
  }

  async get(sellerId: string, id: string): Promise<AddressDto> {
    return addressView(await this.find(sellerId, id));
  }

  /**
   * Changes an address; a changed district, city or province is resolved again (as in create).
   * @throws AddressNotFoundError SELLERS_ADDRESS_NOT_FOUND
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422)
   */
  async update(sellerId: string, id: string, patch: UpdateAddressDto): Promise<AddressDto> {
    const view = await this.tx.run(async (m) => {
      const address = await m.findOne(PickupAddress, {
        where: { id, sellerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!address || address.deletedAt) throw new AddressNotFoundError();
      Object.assign(address, patch, { updatedAt: this.clock.now() });
      if (patch.district !== undefined || patch.city !== undefined || patch.province !== undefined) {
        const place = await this.areas.resolve(address);
        Object.assign(address, place);
      }
      await m.save(PickupAddress, address);
      return addressView(address);
    });
    this.cache.delete(cacheKey(sellerId, id)); // after the commit (see SellersService.updateSettings)
    return view;
  }

  /** Hides the address from lists and new shipments; past shipments keep it. @throws AddressNotFoundError */
  async remove(sellerId: string, id: string): Promise<void> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(PickupAddress)
      .set({ deletedAt: this.clock.now() })
      .where('id = :id AND seller_id = :sellerId AND deleted_at IS NULL', { id, sellerId })
      .execute();
    if (!result.affected) throw new AddressNotFoundError();
    this.cache.delete(cacheKey(sellerId, id));
  }
}

/**
 * An address's place in the cache: by its id in lower case, as stored. A body may name it in capitals (UUIDs
 * are read in either case); kept under those, it outlived the address's change or removal for the cache's time.
 */
const cacheKey = (sellerId: string, id: string) => `${sellerId}:${id.toLowerCase()}`;

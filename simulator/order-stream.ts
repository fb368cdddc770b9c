import { randomStream } from 'src/couriers/sandbox/world';
import { regencies, type Regency } from './places';

/** A seller in the simulation: its shop's name and where its parcels are picked up. */
export interface SimSeller {
  name: string;
  /** Pickup address: a real district of a real regency. */
  origin: { regencyCode: string; district: string };
  /** Its share of the day's orders. */
  share: number;
  /**
   * What a failed COD parcel costs it beyond the fees, rupiah, as it tells Kirim: its margin on a typical
   * order (a quarter to a third of the basket) plus repacking and the stock held up on the road.
   */
  lostMarginPerFailure: number;
}

/** Sellers in the big shipping cities, weighted roughly by where Indonesian online sellers ship from. */
export const SELLERS: SimSeller[] = [
  {
    name: 'Toko Tanah Abang',
    origin: { regencyCode: '31.71', district: 'Tanah Abang' },
    share: 0.3,
    lostMarginPerFailure: 60_000,
  },
  {
    name: 'Bandung Fashion',
    origin: { regencyCode: '32.73', district: 'Coblong' },
    share: 0.2,
    lostMarginPerFailure: 60_000,
  },
  {
    name: 'Surabaya Gadget',
    origin: { regencyCode: '35.78', district: 'Tegalsari' },
    share: 0.2,
    lostMarginPerFailure: 120_000,
  },
  {
    name: 'Medan Herbal',
    origin: { regencyCode: '12.71', district: 'Medan Kota' },
    share: 0.1,
    lostMarginPerFailure: 50_000,
  },
  {
    name: 'Makassar Kopi',
    origin: { regencyCode: '73.71', district: 'Panakkukang' },
    share: 0.1,
    lostMarginPerFailure: 40_000,
  },
  {
    name: 'Jogja Batik',
    origin: { regencyCode: '34.04', district: 'Depok' },
    share: 0.1,
    lostMarginPerFailure: 80_000,
  },
];

export interface Recipient {
  name: string;
  /** E.164: the same buyer keeps the same phone (repeat buyers). */
  phone: string;
  address: string;
  district: string;
  regencyCode: string;
  city: string;
  province: string;
  postalCode: string;
}

export interface Order {
  /** Unique in the stream: `d<day>-<n>`; also the shipment's reference. */
  id: string;
  /** 0-based simulated day. */
  day: number;
  /** Minutes after 00:00 Asia/Jakarta of that day that the order comes in. */
  minuteOfDay: number;
  seller: number;
  recipient: Recipient;
  codAmount: number;
  weightGrams: number;
  /** The buyer ordered before (same phone and address). */
  repeat: boolean;
}

export interface StreamOptions {
  seed: string;
  days: number;
  ordersPerDay: number;
  /** Chance an order comes from a buyer who ordered before. */
  repeatShare?: number;
}

const FIRST = [
  'Andi',
  'Budi',
  'Citra',
  'Dewi',
  'Eko',
  'Fitri',
  'Gilang',
  'Hana',
  'Indra',
  'Joko',
  'Kartika',
  'Lestari',
  'Made',
  'Nur',
  'Putri',
  'Rizky',
  'Sari',
  'Taufik',
  'Wahyu',
  'Yanti',
];
const LAST = [
  'Pratama',
  'Saputra',
  'Wijaya',
  'Hidayat',
  'Lubis',
  'Siregar',
  'Nasution',
  'Santoso',
  'Kurniawan',
  'Rahmawati',
  'Setiawan',
  'Gunawan',
  'Hutapea',
  'Daeng',
  'Putra',
];

/** Picks by cumulative weights with a binary search (514 regencies, tens of thousands of draws). */
function weightedPicker<T>(items: T[], weight: (t: T) => number): (r: number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += weight(item)));
  return (r) => {
    const x = r * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
}

/** The directory has no postal codes: a well-formed stand-in from the regency's code (`32.73` → `32730`). */
export const postalCodeOf = (regencyCode: string) => `${regencyCode.replace('.', '')}0`;

/**
 * The order stream: the same seed gives the same orders, so every policy ships exactly the same stream.
 * Destinations are weighted by population over all real regencies, a district drawn within; COD amounts
 * are log-uniform from Rp 50.000 to Rp 1.500.000 (rounded to Rp 1.000); a share of orders come from
 * repeat buyers, who keep their phone and address.
 */
export function orderStream(o: StreamOptions): Order[] {
  const rng = randomStream(`${o.seed}:orders`);
  const all = regencies();
  const pickRegency = weightedPicker(all, (r) => r.population);
  const pickSeller = weightedPicker(
    SELLERS.map((s, i) => ({ s, i })),
    (x) => x.s.share,
  );
  const buyers: Recipient[] = [];
  const repeatShare = o.repeatShare ?? 0.2;
  const orders: Order[] = [];
  const newBuyer = (regency: Regency): Recipient => {
    const district = regency.districts[Math.floor(rng() * regency.districts.length)];
    const phone = `+628${String(1_000_000_000 + Math.floor(rng() * 8_999_999_999)).slice(0, 10)}`;
    return {
      name: `${FIRST[Math.floor(rng() * FIRST.length)]} ${LAST[Math.floor(rng() * LAST.length)]}`,
      phone,
      address: `Jl. Merdeka No. ${1 + Math.floor(rng() * 200)}`,
      district,
      regencyCode: regency.code,
      city: regency.name,
      province: regency.province,
      postalCode: postalCodeOf(regency.code),
    };
  };
  for (let day = 0; day < o.days; day += 1) {
    for (let n = 0; n < o.ordersPerDay; n += 1) {
      const repeat = buyers.length > 0 && rng() < repeatShare;
      const recipient = repeat ? buyers[Math.floor(rng() * buyers.length)] : newBuyer(pickRegency(rng()));
      if (!repeat) buyers.push(recipient);
      const cod = Math.round(Math.exp(Math.log(50_000) + rng() * Math.log(1_500_000 / 50_000)) / 1000) * 1000;
      orders.push({
        id: `d${String(day).padStart(2, '0')}-${String(n).padStart(4, '0')}`,
        day,
        minuteOfDay: 8 * 60 + Math.floor(rng() * 12 * 60),
        seller: pickSeller(rng()).i,
        recipient,
        codAmount: cod,
        weightGrams: 200 + Math.floor(rng() ** 2 * 2800),
        repeat,
      });
    }
  }
  return orders.sort((a, b) => a.day - b.day || a.minuteOfDay - b.minuteOfDay);
}

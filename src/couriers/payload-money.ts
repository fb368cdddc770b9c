import { Logger } from '@nestjs/common';
import { payloadText } from './payload-text';

/** "Rp", "Rp.", "IDR" before the amount, and a trailing ",-" (Indonesian for "no cents"). */
const CURRENCY = /^(?:rp\.?|idr)\s*/i;
/** Indonesian grouping: dots between thousands, an optional comma and its cents ("1.250.000", "10.500,00"). */
const GROUPED = /^([1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/;
/** Digits with an optional decimal point or comma and its decimals ("10500", "10500.00", "10500,00"). */
const PLAIN = /^(\d+)(?:([.,])(\d+))?$/;
/** Below this, an amount with a fraction is refused rather than rounded (see rupiahAmount). */
const MIN_FRACTIONAL_RUPIAH = 100;
/** A decimal in exponent form, as Java's BigDecimal writes a zero ("0E-8", ID Express). */
const EXPONENT = /^\d+(?:\.\d+)?E[+-]?\d+$/i;

/**
 * What a fraction of a rupiah means: a charge (price, fee) may be worked out to one and is rounded up; cash
 * (a COD amount) is counted in whole rupiah, so a fraction there is a misread.
 */
export type Fractions = 'refuse' | 'round_up';

/**
 * A money amount a courier wrote (rupiah) as an integer, or undefined where it is absent, blank or cannot
 * be read for sure. Read: a number; digits; Indonesian grouping ("10.500", "1.250.000", "10.500,00",
 * "Rp 10.500", "Rp10.500,-"); a plain decimal ("10500.00", "290000.00000000"); with
 * `round_up`, a charge's fraction ("3737.5" → 3738, "10.500,50" → 10501). Refused: any other fraction ("10.5",
 * "0.500", cash's "150.5": a misread amount or not money at all), a single comma before three digits ("10,500": ten thousand in English, ten and a half in Indonesian), a
 * negative amount, and anything else. Number() read "10.500" as 10.5 and "Rp 10.500" as nothing.
 */
export function rupiahAmount(value: unknown, fractions: Fractions = 'refuse'): number | undefined {
  let amount: number;
  if (typeof value === 'number') amount = value;
  else {
    const text = payloadText(value).trim().replace(CURRENCY, '').replace(/,-$/, '');
    const grouped = GROUPED.exec(text);
    const plain = PLAIN.exec(text);
    if (grouped) amount = Number(grouped[1].replace(/\./g, '')) + Number(`0.${grouped[2] ?? '0'}`);
    else if (plain) {
      // "10,500": ten thousand five hundred written in English, ten and a half in Indonesian.
      if (plain[2] === ',' && plain[3].length === 3 && plain[1].length <= 3) return undefined;
      amount = Number(plain[1]) + Number(`0.${plain[3] ?? '0'}`);
    } else if (EXPONENT.test(text)) amount = Number(text);
    else return undefined;
  }
  if (!Number.isFinite(amount) || amount < 0) return undefined;
  if (Number.isInteger(amount)) return Number.isSafeInteger(amount) ? amount : undefined;
  // A charge worked out as a share of the COD amount can end in a fraction ("3737.5"): rounded up, so a cost
  // is never understated. Under a hundred rupiah a fraction is no charge but a misread ("10.5": ten thousand
  // five hundred with its zeros lost, or a weight in kilograms).
  if (fractions === 'refuse' || amount < MIN_FRACTIONAL_RUPIAH) return undefined;
  const whole = Math.ceil(amount);
  return Number.isSafeInteger(whole) ? whole : undefined;
}

const logger = new Logger('CourierMoney');
const reported = new Set<string>();

/**
 * A courier payload's money field (`field`, as the courier names it) as integer rupiah, as rupiahAmount
 * reads it (a charge with `round_up`). A value given that cannot be read is undefined, as an absent one, and is logged once per
 * courier and field: the caller degrades as for any unknown (no quote from that line, nothing said of the
 * cash), and an operator learns the courier writes its amounts another way.
 */
export function courierRupiah(
  courier: string,
  field: string,
  value: unknown,
  fractions: Fractions = 'refuse',
): number | undefined {
  const amount = rupiahAmount(value, fractions);
  if (amount !== undefined) return amount;
  const text = typeof value === 'number' ? String(value) : payloadText(value).trim();
  const key = `${courier}\u0000${field}`;
  if (text && !reported.has(key)) {
    reported.add(key);
    logger.warn({ courier, field, value: text.slice(0, 40) }, 'unreadable courier money amount: ignored');
  }
  return undefined;
}

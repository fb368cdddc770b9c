import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type QuoteRequest = Schemas['QuoteRequestDto'];
export type QuoteOption = Schemas['QuoteOptionDto'];
export type CreateShipment = Schemas['CreateShipmentDto'];

/** The new-shipment form's inputs, named by their path in the create body (so the API's errors land on them). */
export const SHIPMENT_FIELDS = [
  'originAddressId',
  'reference',
  'recipient.name',
  'recipient.phone',
  'recipient.address',
  'recipient.district',
  'recipient.city',
  'recipient.province',
  'recipient.postalCode',
  'parcel.weightGrams',
  'parcel.lengthCm',
  'parcel.widthCm',
  'parcel.heightCm',
  'parcel.itemValue',
  'parcel.description',
  'codAmount',
] as const;
export type ShipmentField = (typeof SHIPMENT_FIELDS)[number];
export type ShipmentFields = Record<ShipmentField, string>;

export const emptyShipmentFields = (originAddressId = ''): ShipmentFields => ({
  ...(Object.fromEntries(SHIPMENT_FIELDS.map((f) => [f, ''])) as ShipmentFields),
  originAddressId,
});

/** Digits, or digits grouped in threes by dots as Indonesians write them (`150.000`), signed or not. */
const WHOLE = /^-?(\d+|\d{1,3}(\.\d{3})+)$/;

/**
 * A whole number typed by the seller (`150000`, `150.000`, `-5`: the API says a negative one's minimum);
 * what is not one is sent as typed, so the API names the field; empty is absent (the API says it is required).
 */
export function whole(value: string): number | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return WHOLE.test(v) ? Number(v.replace(/\./g, '')) : (v as unknown as number);
}

const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** Only the entries with a value (the API takes an absent field as "not given"). */
const present = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The parcel as both the quote and the create take it. */
function parcel(f: ShipmentFields) {
  return present({
    weightGrams: whole(f['parcel.weightGrams']) as number,
    lengthCm: whole(f['parcel.lengthCm']),
    widthCm: whole(f['parcel.widthCm']),
    heightCm: whole(f['parcel.heightCm']),
    itemValue: whole(f['parcel.itemValue']),
  });
}

const POSTAL_CODE = /^\d{5}$/;

/**
 * The quote request for what is typed so far, or null while it cannot be quoted yet: an origin, the
 * destination's city, province and a five-digit postal code, and a whole positive weight are needed.
 */
export function quoteRequest(f: ShipmentFields): QuoteRequest | null {
  const weight = whole(f['parcel.weightGrams']);
  if (
    !f.originAddressId ||
    !text(f['recipient.city']) ||
    !text(f['recipient.province']) ||
    !POSTAL_CODE.test(f['recipient.postalCode'].trim()) ||
    typeof weight !== 'number' ||
    weight < 1
  )
    return null;
  const cod = whole(f.codAmount);
  return present({
    originAddressId: f.originAddressId,
    destination: present({
      district: text(f['recipient.district']),
      city: f['recipient.city'].trim(),
      province: f['recipient.province'].trim(),
      postalCode: f['recipient.postalCode'].trim(),
    }),
    parcel: parcel(f),
    codAmount: cod,
  });
}

/** The create body for the form, with the courier service the seller picked (none: Kirim chooses). */
export function createShipmentBody(
  f: ShipmentFields,
  courier?: { code: string; service: string },
): CreateShipment {
  return present({
    reference: f.reference.trim(),
    originAddressId: f.originAddressId,
    recipient: present({
      name: f['recipient.name'].trim(),
      phone: f['recipient.phone'].trim(),
      address: f['recipient.address'].trim(),
      district: text(f['recipient.district']),
      city: f['recipient.city'].trim(),
      province: f['recipient.province'].trim(),
      postalCode: f['recipient.postalCode'].trim(),
    }),
    parcel: present({ ...parcel(f), description: text(f['parcel.description']) }),
    codAmount: whole(f.codAmount),
    courier: courier as CreateShipment['courier'],
  });
}

/** The form's input for a field the quote refused (`destination.city` is the recipient's city). */
export function formFieldOfQuote(field: string): string {
  return field.startsWith('destination.') ? `recipient.${field.slice('destination.'.length)}` : field;
}

/** The recommended option and the runner-up (the next eligible by rank), when there are such. */
export function recommendationOf(options: readonly QuoteOption[]): {
  best?: QuoteOption;
  runnerUp?: QuoteOption;
} {
  const ranked = options.filter((o) => o.eligible && o.rank !== null).sort((a, b) => a.rank! - b.rank!);
  return { best: ranked[0], runnerUp: ranked[1] };
}

/** The terms of an expected cost and score, in the order the comparison shows them. */
export const BREAKDOWN_TERMS = [
  'price',
  'codFee',
  'cashback',
  'failureCost',
  'pickupCost',
  'expectedCost',
  'speedCost',
  'uncertaintyCost',
  'score',
] as const;
export type BreakdownTerm = (typeof BREAKDOWN_TERMS)[number];

/** A term of an option's breakdown in rupiah, or null when the option has none (no price). */
export function breakdownTerm(option: QuoteOption, term: BreakdownTerm): number | null {
  const value = (option.breakdown as Record<string, unknown> | null)?.[term];
  return typeof value === 'number' ? value : null;
}

/** The same service of a quote option and a courier choice. */
export const optionKey = (o: { courier: string; service: string }): string => `${o.courier}/${o.service}`;

import type { paths, components } from '../api/schema';

type ListQuery = NonNullable<paths['/v1/shipments']['get']['parameters']['query']>;
export type ShipmentStatus = NonNullable<ListQuery['status']>;
export type CourierCode = NonNullable<ListQuery['courier']>;
export type ActionKind = components['schemas']['CreateShipmentActionDto']['action'];

/** Every status, in the order a parcel lives them (the filter's options). */
export const SHIPMENT_STATUSES = [
  'ready',
  'booking',
  'booked',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning',
  'returned',
  'cancelled',
  'booking_failed',
  'lost',
] as const satisfies readonly ShipmentStatus[];

export const COURIERS = ['jne', 'jnt', 'sap', 'ninja', 'idexpress'] as const satisfies readonly CourierCode[];

/**
 * The lists above are the API's own enums (from the generated schema): a status or courier the API adds
 * and these lists lack fails the dashboard's type check here, instead of going missing from the filters.
 */
type Complete<All, Listed> = [Exclude<All, Listed>] extends [never]
  ? true
  : { missing: Exclude<All, Listed> };
export const LISTS_ARE_COMPLETE: [
  Complete<ShipmentStatus, (typeof SHIPMENT_STATUSES)[number]>,
  Complete<CourierCode, (typeof COURIERS)[number]>,
] = [true, true];

/** The list's filters as kept in the page's URL: dates are Jakarta calendar days (YYYY-MM-DD). */
export interface ShipmentFilters {
  status?: ShipmentStatus;
  atRisk: boolean;
  courier?: CourierCode;
  from?: string;
  to?: string;
  q?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const validDay = (value: string | null): string | undefined => {
  if (!value || !DAY.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? value : undefined;
};

/** `value` when it is one of `values`, else undefined (a query parameter read as a filter). */
export const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/** The filters in a URL query; anything unknown or malformed (a hand-edited link) is left out. */
export function filtersFromSearch(search: URLSearchParams): ShipmentFilters {
  const q = search.get('q')?.trim();
  return {
    status: oneOf(SHIPMENT_STATUSES, search.get('status')),
    atRisk: search.get('risk') === 'at_risk',
    courier: oneOf(COURIERS, search.get('courier')),
    from: validDay(search.get('from')),
    to: validDay(search.get('to')),
    q: q ? q : undefined,
  };
}

/** The URL query for the filters (only the ones set), so a filtered list can be reloaded or shared. */
export function searchFromFilters(filters: ShipmentFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.q) search.set('q', filters.q);
  if (filters.status) search.set('status', filters.status);
  if (filters.atRisk) search.set('risk', 'at_risk');
  if (filters.courier) search.set('courier', filters.courier);
  if (filters.from) search.set('from', filters.from);
  if (filters.to) search.set('to', filters.to);
  return search;
}

/** The next Jakarta calendar day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The API's query for the filters: the dates become instants in Jakarta (WIB, UTC+7, no daylight
 * saving), `to` inclusive of its whole day (the API's `to` is exclusive).
 */
export function apiQuery(filters: ShipmentFilters, cursor?: string, limit = 50): ListQuery {
  return {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.atRisk ? { risk: 'at_risk' as const } : {}),
    ...(filters.courier ? { courier: filters.courier } : {}),
    ...(filters.from ? { from: `${filters.from}T00:00:00+07:00` } : {}),
    ...(filters.to ? { to: `${nextDay(filters.to)}T00:00:00+07:00` } : {}),
  };
}

const IN_CUSTODY: readonly ShipmentStatus[] = [
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
];

/** Where the seller's actions leave the parcel, as GET /v1/shipments/{id} and each alert say it. */
export interface ActionStanding {
  /** The seller holds it (`heldBy`). */
  held?: boolean;
  /** A return was asked (`returnAskedAt`). */
  returnAsked?: boolean;
  /** The courier never answered that return (`returnUnconfirmed`). */
  returnUnconfirmed?: boolean;
  /** The re-attempt answering the current failed attempt was asked (`reattemptAskedAt`). */
  reattemptAsked?: boolean;
}

/**
 * The actions worth offering for a status, as the API's rules take them (a re-attempt after a failed
 * attempt; a return or a hold while the courier carries the parcel). A parcel the seller holds is offered
 * the re-attempt that releases it wherever the courier carries it, and no second hold (the API answers
 * 409). Once a return was asked nothing is, before any poll shows the parcel returning: the API refuses a
 * hold or a re-attempt (422) and a second return (409), but for the return again when the courier never
 * answered it (the courier's answer then tells whether it had the first). Once the current failed attempt's
 * re-attempt was asked, another is not offered until the next attempt fails (the API answers 409). The API
 * decides: its refusal is shown.
 */
export function offeredActions(status: ShipmentStatus, standing: ActionStanding = {}): ActionKind[] {
  const { held = false, returnAsked = false, returnUnconfirmed = false, reattemptAsked = false } = standing;
  const offered: ActionKind[] = [];
  const carried = IN_CUSTODY.includes(status);
  if (returnAsked) return returnUnconfirmed && carried ? ['return'] : offered;
  if ((status === 'delivery_failed' && !reattemptAsked) || (held && carried)) offered.push('reattempt');
  if (carried) offered.push('return');
  if (carried && !held) offered.push('hold');
  return offered;
}

/**
 * Whether the seller may correct the delivery address: from booking until the parcel ends or starts back,
 * or a return was asked (`returnAskedAt`: the API refuses it, 422).
 */
export const canFixAddress = (status: ShipmentStatus, returnAsked = false): boolean =>
  !returnAsked && (status === 'booked' || IN_CUSTODY.includes(status));

/** How sellers know the couriers. */
export const COURIER_NAMES: Readonly<Record<string, string>> = {
  jne: 'JNE',
  jnt: 'J&T Express',
  sap: 'SAP Express',
  ninja: 'Ninja Xpress',
  idexpress: 'ID Express',
};

/** A courier's name for a code (the code itself for one the dashboard does not know yet). */
export const courierName = (code: string): string => COURIER_NAMES[code] ?? code;

/** What the list hands the shipment's page it opens: its filters (the URL's search), to link back to. */
export interface ListState {
  list: string;
}

/** The list's search from a page's navigation state (`?status=…`), or '' when not opened from the list. */
export function listSearch(state: unknown): string {
  const list = (state as Partial<ListState> | null)?.list;
  return typeof list === 'string' && list.startsWith('?') ? list : '';
}

import type { components, paths } from '../api/schema';
import { offeredActions, oneOf, type ActionKind } from './shipment-query';

type Alert = components['schemas']['InboxAlertDto'];
type AlertQuery = NonNullable<paths['/v1/alerts']['get']['parameters']['query']>;
export type Rule = NonNullable<AlertQuery['rule']>;
export type Severity = NonNullable<AlertQuery['severity']>;

export const RULES = [
  'failed_attempt',
  'return_started',
  'stale_no_scan',
  'late_vs_lane',
  'held_or_misrouted',
  'pickup_not_made',
  'risky_recipient',
  'delivery_contradicted',
  'rebooked_parcel_scanned',
] as const satisfies readonly Rule[];
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[];

/** The filter lists are the API's whole enums: one the API adds and these lack fails the type check. */
type Complete<All, Listed> = [Exclude<All, Listed>] extends [never]
  ? true
  : { missing: Exclude<All, Listed> };
export const ALERT_LISTS_ARE_COMPLETE: [
  Complete<Rule, (typeof RULES)[number]>,
  Complete<Severity, (typeof SEVERITIES)[number]>,
] = [true, true];

const ACTION_KINDS: readonly string[] = ['reattempt', 'return', 'hold'] satisfies ActionKind[];

/**
 * The courier actions worth offering by an alert (POST /v1/shipments/{id}/actions): of those the shipment's
 * page would offer for where the parcel stands (offeredActions: its status, the seller's hold, an asked
 * return), the release of a held parcel first, then the suggested one when it is an action, then what
 * usually helps for the rule (after a failed attempt, a re-attempt or a return; a parcel stuck or late, a
 * return or a hold). The API still decides: its refusal is shown by the alert.
 */
export function alertActions(
  alert: Pick<Alert, 'rule' | 'suggestedAction' | 'resolvedAt' | 'shipment'>,
): ActionKind[] {
  if (alert.resolvedAt) return [];
  const { status, heldBy, returnAskedAt, returnUnconfirmed, reattemptAskedAt } = alert.shipment;
  const held = heldBy !== null;
  const offered = offeredActions(status, {
    held,
    returnAsked: returnAskedAt !== null,
    returnUnconfirmed: returnUnconfirmed !== null,
    reattemptAsked: reattemptAskedAt !== null,
  });
  const byRule: Partial<Record<Rule, ActionKind[]>> = {
    failed_attempt: ['reattempt', 'return'],
    held_or_misrouted: ['return', 'hold'],
    stale_no_scan: ['return', 'hold'],
    late_vs_lane: ['return', 'hold'],
  };
  const release: ActionKind[] = held ? ['reattempt'] : [];
  const suggested = ACTION_KINDS.includes(alert.suggestedAction) ? [alert.suggestedAction as ActionKind] : [];
  const helping = [...new Set([...release, ...suggested, ...(byRule[alert.rule] ?? [])])];
  return helping.filter((a) => offered.includes(a));
}

/** The Peringatan list's filters. */
export interface AlertFilters {
  rule?: Rule;
  severity?: Severity;
  resolved: boolean;
}

/**
 * The filters a URL's query names (what is not one of the API's values is no filter): kept in the URL, a
 * seller who opens an alert's shipment and comes back finds the list as it was.
 */
export function alertFiltersFromSearch(search: URLSearchParams): AlertFilters {
  return {
    rule: oneOf(RULES, search.get('rule')),
    severity: oneOf(SEVERITIES, search.get('severity')),
    resolved: search.get('resolved') === '1',
  };
}

/** The URL query for the filters (only those set). */
export function searchFromAlertFilters(f: AlertFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (f.rule) search.set('rule', f.rule);
  if (f.severity) search.set('severity', f.severity);
  if (f.resolved) search.set('resolved', '1');
  return search;
}

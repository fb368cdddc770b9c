import type { CourierCode } from './courier-adapter';

/**
 * Couriers whose pushed lines are read with less than a poll reads them with, so a poll's reading of a line a
 * push stored first is the better one: J&T pushes its newest line alone, ID Express each line alone (a
 * `Problem On Shipment scan` is a failed attempt only after a `Delivery Scan`, idexpress.md §4, which a push
 * of the problem alone cannot see), and SAP's pushes carry none of its `pod_*` codes (sap.md §3.7), so an
 * undelivered line's reason comes from its words. JNE pushes the whole history, read as a poll reads it;
 * Ninja's pushes are its primary channel, as full as its tracking answer or fuller.
 */
export const POLL_READS_PUSHED_LINES_BETTER: ReadonlySet<CourierCode> = new Set(['jnt', 'idexpress', 'sap']);

import { randomUUID } from 'node:crypto';
import { Role } from 'src/common/auth/principal';
import { validAddress, validBankAccount } from '../support/factories/sellers';

/** What a seller owns and can be asked for by id. */
export type Resource =
  | 'address'
  | 'bankAccount'
  | 'apiKey'
  | 'user'
  | 'shipment'
  | 'alert'
  | 'webhookDelivery'
  | 'withdrawal'
  | 'invoice';

export interface RouteCase {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As in the OpenAPI document: /v1/addresses/{id}. */
  path: string;
  /** Who may call it: 'public' needs nothing, 'any' any authenticated caller, else these roles. */
  access: 'public' | 'any' | Role[];
  /** An API key is refused though its role is let in (a key is no session to log out or re-password). */
  noApiKey?: true;
  /**
   * How tenant isolation is checked: 'by-id' (another seller's id → 404), 'list' (another seller's
   * items never listed), 'create' (what B creates never shows in A's list), 'singleton' (B's change
   * leaves A's untouched), 'none' (not seller data).
   */
  isolation: 'by-id' | 'list' | 'create' | 'singleton' | 'none';
  resource?: Resource;
  /** The list route where created items appear (for 'create'). */
  listPath?: string;
  body?: () => object;
  /** Headers the route requires besides credentials (a withdrawal's Idempotency-Key). */
  headers?: () => Record<string, string>;
  /**
   * The status an allowed caller gets when the route is called with an id nobody has and `body()` (or no
   * body): exactly this, so a 500 never passes for "allowed". Defaults to 404 for a route with `{id}`.
   */
  allowedStatus?: number;
}

const SELLER: Role[] = ['seller_owner', 'seller_staff'];
const OWNER: Role[] = ['seller_owner'];
const ADMIN: Role[] = ['admin'];
const FINANCE: Role[] = ['finance', 'admin'];

/**
 * Every route of the app. The test fails when the app has a route this table lacks, so a new
 * seller-scoped route cannot be forgotten by the isolation and permission checks.
 */
export const ROUTES: RouteCase[] = [
  { method: 'get', path: '/health', access: 'public', isolation: 'none' },
  { method: 'get', path: '/health/ready', access: 'public', isolation: 'none' },
  { method: 'get', path: '/metrics', access: 'public', isolation: 'none' },
  { method: 'post', path: '/v1/auth/signup', access: 'public', isolation: 'none' },
  { method: 'post', path: '/v1/auth/login', access: 'public', isolation: 'none' },
  { method: 'get', path: '/v1/me', access: 'any', isolation: 'none', allowedStatus: 200 },
  // Called with a body they refuse (400), so the permission checks log nobody out and change no password.
  {
    method: 'post',
    path: '/v1/auth/logout',
    access: 'any',
    noApiKey: true,
    isolation: 'none',
    body: () => ({ unexpected: true }),
    allowedStatus: 400,
  },
  {
    method: 'post',
    path: '/v1/auth/password',
    access: 'any',
    noApiKey: true,
    isolation: 'none',
    body: () => ({}),
    allowedStatus: 400,
  },
  { method: 'get', path: '/v1/couriers', access: 'any', isolation: 'none', allowedStatus: 200 },
  // The public area directory: any caller; without `q` the allowed caller gets 400.
  { method: 'get', path: '/v1/areas', access: 'any', isolation: 'none', allowedStatus: 400 },
  // Reads the seller's own origin address from the body: isolation checked in quotes.e2e-spec.ts.
  { method: 'post', path: '/v1/quotes', access: SELLER, isolation: 'none', allowedStatus: 400 },
  // Sandbox mode only: faults, the clock and jobs are operator controls; a seller drives only its own
  // parcels (another seller's AWB → 404: tested in sandbox.e2e-spec.ts).
  {
    method: 'post',
    path: '/sandbox/couriers/{code}/faults',
    access: ADMIN,
    isolation: 'none',
    allowedStatus: 404,
  },
  {
    method: 'post',
    path: '/sandbox/parcels/{awb}/advance',
    access: [...SELLER, 'admin'],
    isolation: 'none',
    allowedStatus: 400,
  },
  {
    method: 'post',
    path: '/sandbox/parcels/{awb}/script',
    access: [...SELLER, 'admin'],
    isolation: 'none',
    allowedStatus: 400,
  },
  { method: 'post', path: '/sandbox/clock', access: ADMIN, isolation: 'none', allowedStatus: 400 },
  { method: 'post', path: '/sandbox/jobs/{name}/run', access: ADMIN, isolation: 'none', allowedStatus: 404 },
  { method: 'get', path: '/v1/settings', access: SELLER, isolation: 'singleton', allowedStatus: 200 },
  {
    method: 'patch',
    path: '/v1/settings',
    access: OWNER,
    isolation: 'singleton',
    body: () => ({ scoringPreset: 'cheapest' }),
    allowedStatus: 200,
  },
  {
    method: 'post',
    path: '/v1/users',
    access: OWNER,
    isolation: 'create',
    listPath: '/v1/users',
    allowedStatus: 201,
    body: () => ({
      email: `staff-${Math.random().toString(36).slice(2)}@example.id`,
      password: 'staff password 1',
      role: 'seller_staff',
    }),
  },
  {
    method: 'get',
    path: '/v1/users',
    access: OWNER,
    isolation: 'list',
    resource: 'user',
    allowedStatus: 200,
  },
  { method: 'delete', path: '/v1/users/{id}', access: OWNER, isolation: 'by-id', resource: 'user' },
  {
    method: 'post',
    path: '/v1/api-keys',
    access: OWNER,
    isolation: 'create',
    listPath: '/v1/api-keys',
    body: () => ({ name: 'k' }),
    allowedStatus: 201,
  },
  {
    method: 'get',
    path: '/v1/api-keys',
    access: OWNER,
    isolation: 'list',
    resource: 'apiKey',
    allowedStatus: 200,
  },
  { method: 'delete', path: '/v1/api-keys/{id}', access: OWNER, isolation: 'by-id', resource: 'apiKey' },
  {
    method: 'post',
    path: '/v1/addresses',
    access: SELLER,
    isolation: 'create',
    listPath: '/v1/addresses',
    body: () => validAddress(),
    allowedStatus: 201,
  },
  {
    method: 'get',
    path: '/v1/addresses',
    access: SELLER,
    isolation: 'list',
    resource: 'address',
    allowedStatus: 200,
  },
  { method: 'get', path: '/v1/addresses/{id}', access: SELLER, isolation: 'by-id', resource: 'address' },
  {
    method: 'patch',
    path: '/v1/addresses/{id}',
    access: SELLER,
    isolation: 'by-id',
    resource: 'address',
    body: () => ({ label: 'Taken over' }),
  },
  { method: 'delete', path: '/v1/addresses/{id}', access: SELLER, isolation: 'by-id', resource: 'address' },
  {
    method: 'post',
    path: '/v1/bank-accounts',
    access: OWNER,
    isolation: 'create',
    listPath: '/v1/bank-accounts',
    body: () => validBankAccount(String(Math.floor(1e9 + Math.random() * 9e9))),
    allowedStatus: 201,
  },
  {
    method: 'get',
    path: '/v1/bank-accounts',
    access: OWNER,
    isolation: 'list',
    resource: 'bankAccount',
    allowedStatus: 200,
  },
  { method: 'post', path: '/v1/shipments', access: SELLER, isolation: 'none', allowedStatus: 400 }, // needs the caller's own origin: tested in shipments.e2e-spec.ts
  { method: 'post', path: '/v1/shipments/bulk', access: SELLER, isolation: 'none', allowedStatus: 400 }, // rows name the caller's own origins: tested in shipments.e2e-spec.ts
  {
    method: 'get',
    path: '/v1/shipments',
    access: SELLER,
    isolation: 'list',
    resource: 'shipment',
    allowedStatus: 200,
  },
  { method: 'get', path: '/v1/shipments/{id}', access: SELLER, isolation: 'by-id', resource: 'shipment' },
  {
    method: 'get',
    path: '/v1/shipments/{id}/events',
    access: SELLER,
    isolation: 'by-id',
    resource: 'shipment',
  },
  { method: 'get', path: '/v1/monitoring', access: SELLER, isolation: 'none', allowedStatus: 200 },
  { method: 'get', path: '/v1/ops/unmapped-codes', access: ADMIN, isolation: 'none', allowedStatus: 200 },
  {
    method: 'get',
    path: '/v1/ops/cod-discrepancies',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 200,
  },
  // A courier push: verified by the courier's own signature, not a Kirim credential (tracking-webhooks.e2e).
  {
    method: 'post',
    path: '/v1/webhooks/couriers/{code}',
    access: 'public',
    isolation: 'none',
    allowedStatus: 404,
  },
  {
    method: 'post',
    path: '/v1/shipments/{id}/cancel',
    access: SELLER,
    isolation: 'by-id',
    resource: 'shipment',
  },
  // Another seller's shipment → 404 before anything is checked or recorded (an unknown one too).
  {
    method: 'post',
    path: '/v1/shipments/{id}/actions',
    access: SELLER,
    isolation: 'by-id',
    resource: 'shipment',
    body: () => ({ action: 'hold', note: 'Tahan dulu di hub' }),
  },
  // The caller's own address in its example row (shipments.e2e-spec.ts).
  {
    method: 'get',
    path: '/v1/shipments/bulk/template',
    access: SELLER,
    isolation: 'none',
    allowedStatus: 200,
  },
  { method: 'post', path: '/v1/pickups', access: SELLER, isolation: 'none', allowedStatus: 400 }, // another seller's shipment ids: tested in pickups.e2e-spec.ts
  { method: 'get', path: '/v1/pickups/{id}', access: SELLER, isolation: 'none' }, // tested in pickups.e2e-spec.ts
  {
    method: 'get',
    path: '/v1/alerts',
    access: SELLER,
    isolation: 'list',
    resource: 'alert',
    allowedStatus: 200,
  },
  {
    method: 'post',
    path: '/v1/alerts/{id}/acknowledge',
    access: SELLER,
    isolation: 'by-id',
    resource: 'alert',
  },
  {
    method: 'delete',
    path: '/v1/bank-accounts/{id}',
    access: OWNER,
    isolation: 'by-id',
    resource: 'bankAccount',
  },
  {
    method: 'get',
    path: '/v1/webhook-deliveries',
    access: SELLER,
    isolation: 'list',
    resource: 'webhookDelivery',
    allowedStatus: 200,
  },
  {
    method: 'post',
    path: '/v1/webhook-deliveries/{id}/retry',
    access: SELLER,
    isolation: 'by-id',
    resource: 'webhookDelivery',
  },
  // A seller's own entries only: another seller's never listed (money.e2e-spec.ts).
  { method: 'get', path: '/v1/ledger/entries', access: SELLER, isolation: 'none', allowedStatus: 200 },
  {
    method: 'get',
    path: '/v1/finance/ledger/trial-balance',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 200,
  },
  // Not seller data: finance's view of couriers' remittances (remittances.e2e-spec.ts).
  {
    method: 'post',
    path: '/v1/finance/remittances',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 400,
  },
  { method: 'get', path: '/v1/finance/remittances', access: FINANCE, isolation: 'none', allowedStatus: 200 },
  { method: 'get', path: '/v1/finance/remittances/{id}', access: FINANCE, isolation: 'none' },
  {
    method: 'post',
    path: '/v1/finance/remittances/{id}/void',
    access: FINANCE,
    isolation: 'none',
    body: () => ({ reason: 'Diunggah untuk kurir yang salah' }),
  },
  {
    method: 'post',
    path: '/v1/finance/remittances/{id}/lines/{row}/resolve',
    access: FINANCE,
    isolation: 'none',
    body: () => ({ resolution: 'write_off', note: 'Kurir tidak dapat dihubungi' }),
  },
  // Any seller's delivery taken back, settled by finance (cod-credit-settlement.e2e-spec.ts).
  {
    method: 'post',
    path: '/v1/finance/cod-discrepancies/{id}/settle',
    access: FINANCE,
    isolation: 'none',
    body: () => ({ decision: 'release', reason: 'Kurir mengonfirmasi uang COD diterima' }),
  },
  {
    method: 'get',
    path: '/v1/finance/reconciliation',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 200,
  },
  // A courier's remittance report from the simulated world: an operator control, like faults.
  {
    method: 'get',
    path: '/sandbox/couriers/{code}/remittance',
    access: ADMIN,
    isolation: 'none',
    allowedStatus: 400,
  },
  { method: 'get', path: '/v1/balance', access: SELLER, isolation: 'none', allowedStatus: 200 }, // the caller's own (withdrawals.e2e-spec.ts)
  // Needs money and the caller's own bank account: another seller's account → 404 (withdrawals.e2e-spec.ts).
  {
    method: 'post',
    path: '/v1/withdrawals',
    access: OWNER,
    isolation: 'none',
    body: () => ({ amount: 50_000, bankAccountId: randomUUID() }),
    headers: () => ({ 'Idempotency-Key': randomUUID() }),
    allowedStatus: 404,
  },
  {
    method: 'get',
    path: '/v1/withdrawals',
    access: SELLER,
    isolation: 'list',
    resource: 'withdrawal',
    allowedStatus: 200,
  },
  { method: 'get', path: '/v1/withdrawals/{id}', access: SELLER, isolation: 'by-id', resource: 'withdrawal' },
  {
    method: 'get',
    path: '/v1/finance/withdrawals',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 200,
  },
  // Any seller's withdrawal, by finance: the resource names what the fuzzer spoils the route with.
  {
    method: 'get',
    path: '/v1/finance/withdrawals/{id}',
    access: FINANCE,
    isolation: 'none',
    resource: 'withdrawal',
  },
  {
    method: 'post',
    path: '/v1/finance/withdrawals/{id}/approve',
    access: FINANCE,
    isolation: 'none',
    resource: 'withdrawal',
  },
  {
    method: 'post',
    path: '/v1/finance/withdrawals/{id}/reject',
    access: FINANCE,
    isolation: 'none',
    resource: 'withdrawal',
    body: () => ({ reason: 'Nama rekening tidak sesuai' }),
  },
  // While payouts go to the sandbox provider (no PAYOUT_PROVIDER_URL): its faults, an operator control.
  {
    method: 'post',
    path: '/sandbox/payouts/faults',
    access: ADMIN,
    isolation: 'none',
    body: () => ({}),
    allowedStatus: 200,
  },
  {
    method: 'get',
    path: '/v1/invoices',
    access: SELLER,
    isolation: 'list',
    resource: 'invoice',
    allowedStatus: 200,
  },
  { method: 'get', path: '/v1/invoices/{id}', access: SELLER, isolation: 'by-id', resource: 'invoice' },
  { method: 'get', path: '/v1/invoices/{id}/pdf', access: SELLER, isolation: 'by-id', resource: 'invoice' },
  { method: 'get', path: '/v1/invoices/{id}/csv', access: SELLER, isolation: 'by-id', resource: 'invoice' },
  // Finance sees every seller's invoices; without periodStart the request is invalid.
  { method: 'get', path: '/v1/finance/invoices', access: FINANCE, isolation: 'none', allowedStatus: 400 },
  {
    method: 'get',
    path: '/v1/finance/invoices/export',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 400,
  },
  {
    method: 'get',
    path: '/v1/finance/invoicing/periods',
    access: FINANCE,
    isolation: 'none',
    allowedStatus: 200,
  },
  {
    method: 'post',
    path: '/v1/finance/invoicing/run',
    access: FINANCE,
    isolation: 'none',
    body: () => ({}),
    allowedStatus: 200,
  },
  // Sends to the caller's own webhook URL (none set: 422); what it writes is the caller's own delivery,
  // listed only to that seller (seller-webhooks.e2e-spec.ts).
  {
    method: 'post',
    path: '/v1/settings/webhook/test',
    access: SELLER,
    isolation: 'none',
    allowedStatus: 422,
  },
];

/** The route of a resource's list (where A checks its item survived). */
export const LIST_OF: Record<Resource, string> = {
  address: '/v1/addresses',
  bankAccount: '/v1/bank-accounts',
  apiKey: '/v1/api-keys',
  user: '/v1/users',
  shipment: '/v1/shipments',
  alert: '/v1/alerts',
  webhookDelivery: '/v1/webhook-deliveries',
  invoice: '/v1/invoices',
  withdrawal: '/v1/withdrawals',
};

export const withId = (path: string, id: string) => path.replace('{id}', id);

/** What the dashboard answers (static files and the SPA's pages): not API, so not in the OpenAPI document. */
export interface WebRoute {
  method: 'get';
  /** A Fastify route, or the fallback for what no route matched. */
  path: string;
  access: 'public';
  /** A URL it answers. */
  example: string;
}

/**
 * The dashboard's routes (src/common/dashboard-serving.ts): its built files (one route each, e.g.
 * /assets/index-<hash>.js) and, for any GET no route matched that a browser navigates to, index.html.
 * Public: the page asks for credentials itself, through the API. Checked in dashboard.e2e-spec.ts.
 */
export const WEB_ROUTES: WebRoute[] = [
  { method: 'get', path: '/', access: 'public', example: '/' },
  { method: 'get', path: '/index.html', access: 'public', example: '/index.html' },
  { method: 'get', path: '(no route: a page)', access: 'public', example: '/pengiriman/123' },
];

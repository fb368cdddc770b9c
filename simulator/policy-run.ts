import { createHash } from 'node:crypto';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { eachLimited, KirimApi } from './kirim-api';
import { BUYER_ANSWERS, type HiddenWorld } from './hidden-world';
import { type Order, SELLERS } from './order-stream';
import { regency } from './places';
import { SHIPMENT_STATUSES, TERMINAL } from 'src/shipments/shipment-status';

/** Statuses a shipment may still move on from (a failed booking is the simulated seller's to ship again). */
const TRAVELLING = SHIPMENT_STATUSES.filter((s) => !TERMINAL.has(s) && s !== 'booking_failed');

/** How a policy picks the courier of an order it ships through Kirim. */
export type Chooser = { kind: 'kirim' } | { kind: 'cheapest' } | { kind: 'single'; courier: CourierCode };

export interface ServicePolicy {
  name: string;
  chooser: Chooser;
  /** Sellers answer alerts the way a diligent seller would. */
  actsOnAlerts: boolean;
  /**
   * Ask Kirim for a quote before each order even when Kirim chooses, for the oracle to choose from (when no
   * `cheapest` run quotes). Read-only for Kirim: its choice and its learning do not change.
   */
  quotesForOracle?: boolean;
}

/** One eligible quote option, as POST /v1/quotes answers it (rupiah). */
export interface QuotedOption {
  courier: CourierCode;
  service: string;
  price: number;
  codFee: number;
  cashback: number;
}

interface QuoteAnswer {
  options: {
    courier: CourierCode;
    service: string;
    price: number | null;
    codFee: number;
    cashback: number | null;
    eligible: boolean;
  }[];
}

interface ShipmentView {
  id: string;
  reference: string;
  status: string;
  attempts: number;
  codAmount: number;
  codCollected: boolean;
  courier: { code: string; service: string } | null;
  charges: { shipping: number; codFee: number; cashback: number; returnFee: number } | null;
}

interface AlertView {
  id: string;
  shipmentId: string;
  rule: string;
  reason: string;
  suggestedAction: string;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

/** What became of one order under a policy, read back from Kirim's API at the end. */
export interface FinalOrder {
  orderId: string;
  /** The shipment's last status, or `unshippable` when Kirim found no courier for it. */
  status: string;
  courier: string | null;
  service: string | null;
  attempts: number;
  codAmount: number;
  /** The courier reported the COD cash taken (Kirim credited the seller). */
  codCollected: boolean;
  charges: ShipmentView['charges'];
  /** For a failed booking: each courier tried and what it answered. */
  note?: string;
}

/** An alert Kirim raised for an order, and what the simulated seller did about it. */
export interface AlertRecord {
  orderId: string;
  rule: string;
  reason: string;
  openedAt: string;
  /**
   * The seller's answers, in order: the action asked of the courier, `cancel`, or `none` (acknowledged
   * only). More than one when the alert asked again (a further failed attempt clears its acknowledgement).
   */
  answers: string[];
  /** Hours from this alert to the parcel's return beginning (returned parcels only). */
  hoursBeforeReturn: number | null;
  /** Why a seller who acts on alerts never answered this one; null when answered or not acting. */
  unanswered: Unanswered | null;
}

/**
 * Why the simulated seller never answered an alert. The seller looks only at the simulation's steps (twice a
 * day by default), and answers once the alert's delay has passed: an alert can close before the seller is
 * due (`closed_before_due`), or after but before the seller's next look (`closed_before_next_look`), or be
 * open when the run ends. `missed` means it was open and due at a look and still went unanswered: a fault
 * of the simulator's seller, counted so that it shows.
 */
export type Unanswered = 'closed_before_due' | 'closed_before_next_look' | 'open_at_end' | 'missed';

/**
 * One look of the seller at open alerts: `at` is the step's moment, against which delays are counted, and
 * `listedBy` the service's clock once the alerts were listed (the clock runs on while a step works).
 */
export interface SellerLook {
  at: number;
  listedBy: number;
}

/** Classifies one unanswered alert from its times (epoch ms) and the seller's looks, in order. */
export function whyUnanswered(
  openedAt: number,
  resolvedAt: number | null,
  delayHours: number,
  looks: readonly SellerLook[],
): Unanswered {
  const due = openedAt + delayHours * 3600_000;
  if (resolvedAt !== null && resolvedAt <= due) return 'closed_before_due';
  const nextLook = looks.find((l) => l.at >= due);
  if (nextLook === undefined) return resolvedAt === null ? 'open_at_end' : 'closed_before_next_look';
  if (resolvedAt !== null && resolvedAt <= nextLook.listedBy) return 'closed_before_next_look';
  return 'missed';
}

interface SellerAccount {
  apiKey: string;
  addressId: string;
}

/** The figures a run of one policy produces. */
export interface PolicyOutcome {
  policy: string;
  orders: FinalOrder[];
  alerts: AlertRecord[];
  /** Single: orders its courier could not carry, shipped by the cheapest eligible service instead. */
  fallbacks: number;
  /** Quotes collected for each order (cheapest, single, or kirim for the oracle): what the oracle chooses from. */
  quotes: Map<string, QuotedOption[]>;
}

/**
 * One policy shipping the order stream through its own Kirim: sellers sign up, orders become shipments
 * (chosen by Kirim, or pinned by the policy after a quote), pickups are requested, and the seller answers
 * alerts after a delay. Kirim is reached only through its HTTP API; its jobs run through the sandbox's
 * job route when the simulator's clock says so.
 */
export class PolicyRun {
  private readonly sellers: SellerAccount[] = [];
  private readonly shipmentOfOrder = new Map<string, string>();
  private readonly orderOfShipment = new Map<string, string>();
  private readonly unshippable = new Set<string>();
  /** Orders shipped again after their booking failed, and how many times. */
  private readonly reshipped = new Map<string, number>();
  private readonly answers = new Map<string, string[]>();
  /** When an answered alert was seen asking again (its acknowledgement cleared), for the seller's delay. */
  private readonly askedAgainAt = new Map<string, number>();
  /** Each alert's name for the seller's draws, and how many alerts each order had per rule. */
  private readonly alertDraws = new Map<string, string>();
  private readonly alertsPerRule = new Map<string, number>();
  /** The seller's looks at open alerts, in order (epoch ms, the service's clock). */
  private readonly looks: SellerLook[] = [];
  private readonly orders = new Map<string, Order>();
  readonly quotes = new Map<string, QuotedOption[]>();
  private fallbacks = 0;
  /**
   * Settled: nothing travelling, nothing to ship again and no alert asking its seller (open and not
   * acknowledged), with every order placed. Later steps would change nothing of its orders or alerts: an
   * acknowledged alert asks again only on a new cause, and nothing travels to bring one.
   */
  settled = false;

  constructor(
    readonly policy: ServicePolicy,
    readonly api: KirimApi,
    private readonly world: HiddenWorld,
    private readonly concurrency = 8,
  ) {}

  /**
   * Signs the sellers up with their pickup addresses, lost margins and API keys. Their addresses name the run
   * by a digest of `runId`: any seed the command line takes (up to 64 of letters, digits, . _ -) makes an
   * address Kirim takes, where the seed itself could not (a local part over 64 characters, or with `..`).
   */
  async setup(runId: string): Promise<void> {
    const run = createHash('sha256').update(runId).digest('hex').slice(0, 16);
    for (const [i, s] of SELLERS.entries()) {
      const signup = await this.api.call<{ accessToken: string }>(
        'POST',
        '/v1/auth/signup',
        {},
        {
          sellerName: s.name,
          email: `seller-${i}-${run}@simulator.kirim.id`,
          password: 'simulator seller password',
        },
      );
      const token = signup.body.accessToken;
      const r = regency(s.origin.regencyCode);
      const address = await this.api.call<{ id: string }>(
        'POST',
        '/v1/addresses',
        { token },
        {
          label: `Gudang ${s.name}`,
          contactName: s.name,
          phone: `+62811${String(1000000 + i).padStart(7, '0')}`,
          address: 'Jl. Pahlawan No. 1',
          district: s.origin.district,
          city: r.name,
          province: r.province,
          postalCode: `${r.code.replace('.', '')}0`,
        },
      );
      await this.api.call(
        'PATCH',
        '/v1/settings',
        { token },
        { lostMarginPerFailure: s.lostMarginPerFailure },
      );
      const key = await this.api.call<{ key: string }>(
        'POST',
        '/v1/api-keys',
        { token },
        { name: 'simulator' },
      );
      this.sellers.push({ apiKey: key.body.key, addressId: address.body.id });
    }
  }

  /** Creates the orders' shipments and requests their pickups (`bookAllDue` then books them). */
  async ship(orders: Order[]): Promise<void> {
    const created: { seller: number; shipmentId: string }[] = [];
    await eachLimited(orders, this.concurrency, async (o) => {
      this.orders.set(o.id, o);
      const id = await this.createShipment(o);
      if (id) created.push({ seller: o.seller, shipmentId: id });
    });
    for (const [seller, account] of this.sellers.entries()) {
      const ids = created.filter((c) => c.seller === seller).map((c) => c.shipmentId);
      for (let i = 0; i < ids.length; i += 500)
        await this.api.call(
          'POST',
          '/v1/pickups',
          { apiKey: account.apiKey },
          { shipmentIds: ids.slice(i, i + 500) },
        );
    }
  }

  /**
   * Runs the pickup worker until it finds nothing due. One run stops after a few seconds of real time (a
   * deployed worker runs again a second later); a step stands for twelve hours, in which the worker would
   * have booked everything, so a single run per step left a slow Kirim's bookings days behind. Its time is
   * added to `jobTimes` under `label`.
   */
  async bookAllDue(label: string): Promise<void> {
    const t = Date.now();
    for (;;) {
      const res = await this.api.runJob('pickups');
      const handled = (res.body as { result?: unknown } | null)?.result;
      if (typeof handled !== 'number')
        throw new Error(`pickups job answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (handled === 0) break;
    }
    this.jobTimes.set(label, (this.jobTimes.get(label) ?? 0) + Date.now() - t);
  }

  private async createShipment(o: Order): Promise<string | null> {
    const account = this.sellers[o.seller];
    const auth = { apiKey: account.apiKey };
    const { recipient: r } = o;
    const place = { district: r.district, city: r.city, province: r.province, postalCode: r.postalCode };
    let pin: { code: string; service: string } | undefined;
    const chooser = this.policy.chooser;
    if (chooser.kind !== 'kirim' || this.policy.quotesForOracle) {
      const quote = await this.api.call<QuoteAnswer>('POST', '/v1/quotes', auth, {
        originAddressId: account.addressId,
        destination: place,
        parcel: { weightGrams: o.weightGrams },
        codAmount: o.codAmount,
      });
      const eligible: QuotedOption[] = quote.body.options
        .filter((x) => x.eligible && x.price !== null)
        .map((x) => ({
          courier: x.courier,
          service: x.service,
          price: x.price!,
          codFee: x.codFee,
          cashback: x.cashback ?? 0,
        }));
      // The oracle chooses from the quote of the day the order was placed, which every policy met; a quote
      // asked again when a failed booking is shipped again is this policy's alone.
      if (!this.quotes.has(o.id)) this.quotes.set(o.id, eligible);
      if (chooser.kind !== 'kirim') {
        // Equal costs go by courier and service code, not by the quote's order (Kirim's ranking, which
        // a baseline must not borrow, and which moves with what that Kirim has learned).
        const byCost = [...eligible].sort(
          (a, b) =>
            a.price + a.codFee - a.cashback - (b.price + b.codFee - b.cashback) ||
            `${a.courier}/${a.service}`.localeCompare(`${b.courier}/${b.service}`),
        );
        const pick =
          chooser.kind === 'single' ? (byCost.find((x) => x.courier === chooser.courier) ?? null) : null;
        if (chooser.kind === 'single' && !pick) this.fallbacks += 1;
        const chosen = pick ?? byCost[0];
        if (!chosen) {
          this.unshippable.add(o.id);
          return null;
        }
        pin = { code: chosen.courier, service: chosen.service };
      }
    }
    const res = await this.api.call<{ id: string; code?: string }>(
      'POST',
      '/v1/shipments',
      auth,
      {
        reference: this.reshipped.has(o.id) ? `${o.id}-r${this.reshipped.get(o.id)}` : o.id,
        originAddressId: account.addressId,
        recipient: { name: r.name, phone: r.phone, address: r.address, ...place },
        parcel: { weightGrams: o.weightGrams },
        codAmount: o.codAmount,
        ...(pin ? { courier: pin } : {}),
      },
      [201, 422],
    );
    if (res.status === 422) {
      this.unshippable.add(o.id);
      return null;
    }
    this.shipmentOfOrder.set(o.id, res.body.id);
    this.orderOfShipment.set(res.body.id, o.id);
    return res.body.id;
  }

  /**
   * A booking that failed (the courier cancelled a pickup it missed, or every courier refused) is shipped
   * again the way the policy ships, as a seller would, at most twice per order.
   */
  async reshipFailedBookings(): Promise<number> {
    const again = await this.failedBookingsToShipAgain();
    for (const o of again) this.reshipped.set(o.id, (this.reshipped.get(o.id) ?? 0) + 1);
    if (again.length) {
      await this.ship(again);
      await this.bookAllDue('pickups (shipping)');
    }
    return again.length;
  }

  /** Orders whose latest shipment failed to book and that may still be shipped again. */
  private async failedBookingsToShipAgain(): Promise<Order[]> {
    const again: Order[] = [];
    for (const account of this.sellers)
      for (const s of await this.list<{ id: string }>('/v1/shipments?status=booking_failed', account)) {
        const orderId = this.orderOfShipment.get(s.id);
        if (!orderId || this.shipmentOfOrder.get(orderId) !== s.id) continue;
        if ((this.reshipped.get(orderId) ?? 0) < 2) again.push(this.orders.get(orderId)!);
      }
    return again;
  }

  /** Kirim's own work for a moment of the simulated clock: tracking, alert rules, retried actions. */
  async runJobs(): Promise<void> {
    await this.bookAllDue('pickups');
    for (const job of ['tracking-poll', 'tracking-inbox', 'alerts-sweep', 'shipment-actions-retry']) {
      const t = Date.now();
      const res = await this.api.runJob(job);
      if (Date.now() - t > 1000 && process.env.SIMULATOR_SLOW_JOBS)
        process.stderr.write(`${job} ${Date.now() - t} ms: ${JSON.stringify(res.body)}\n`);
      this.jobTimes.set(job, (this.jobTimes.get(job) ?? 0) + Date.now() - t);
      const figures = (res.body ?? {}) as { result?: Record<string, unknown> };
      for (const [k, v] of Object.entries(figures.result ?? figures))
        if (typeof v === 'number')
          this.jobFigures.set(`${job}.${k}`, (this.jobFigures.get(`${job}.${k}`) ?? 0) + v);
    }
  }
  readonly jobTimes = new Map<string, number>();
  /** The jobs' own counts summed over the run (tracking-poll.requests, …): where the service's time went. */
  readonly jobFigures = new Map<string, number>();

  /**
   * The diligent seller: each open alert not yet acknowledged, once its delay has passed (1 to 6 hours,
   * seeded, after it opened or was seen asking again), is answered: so a further failed attempt, which
   * clears the alert's acknowledgement, is answered too, as the world's odds assume. A failed attempt:
   * the seller calls the buyer; one who refuses COD says so and the parcel is returned, one who answers
   * agrees a re-attempt (confirmed with the buyer), one who does not answer is left to the courier. A
   * risky recipient: a refusing buyer's parcel is cancelled while it has not been picked up. Other rules
   * are acknowledged (the seller keeps the buyer informed; nothing to ask the courier).
   */
  async answerAlerts(now: Date): Promise<void> {
    if (!this.policy.actsOnAlerts) return;
    const due: { alert: AlertView; account: SellerAccount; round: string }[] = [];
    for (const account of this.sellers) {
      // Only what still asks: an acknowledged alert waits until a new cause clears its acknowledgement.
      for (const alert of await this.list<AlertView>('/v1/alerts?state=open&acknowledged=false', account)) {
        const answered = this.answers.get(alert.id)?.length ?? 0;
        // Each time the alert asks, the seller's delay and the buyer's answer are drawn afresh.
        const round = answered ? `:${answered}` : '';
        let since = new Date(alert.openedAt).getTime();
        if (answered) {
          since = this.askedAgainAt.get(alert.id) ?? now.getTime();
          this.askedAgainAt.set(alert.id, since);
        }
        if (since + this.sellerDelayHours(alert, round) * 3600_000 <= now.getTime())
          due.push({ alert, account, round });
      }
    }
    this.looks.push({ at: now.getTime(), listedBy: Date.parse(await this.api.advanceClock(0)) });
    await eachLimited(due, this.concurrency, async ({ alert, account, round }) => {
      this.askedAgainAt.delete(alert.id);
      const orderId = this.orderOfShipment.get(alert.shipmentId);
      const order = orderId ? this.orders.get(orderId) : undefined;
      const auth = { apiKey: account.apiKey };
      const refuses = order ? this.world.buyerRefusesCod(order.recipient.phone) : false;
      const answers = order
        ? this.world.chance(`answers:${this.drawsOf(alert)}${round}`) < BUYER_ANSWERS
        : false;
      let answer = 'none';
      // An action Kirim took acknowledges the alert it answers; anything else the seller acknowledges.
      let acknowledged = false;
      if (alert.rule === 'failed_attempt' && answers) {
        answer = refuses ? 'return' : 'reattempt';
        const res = await this.api.call<{ code?: string; status?: string }>(
          'POST',
          `/v1/shipments/${alert.shipmentId}/actions`,
          auth,
          { action: answer, confirmedWithBuyer: !refuses, alertId: alert.id },
          [202, 409, 422],
        );
        // The courier may not take it any more (the parcel moved on); say why in the report.
        acknowledged = res.status === 202;
        if (res.status !== 202)
          answer = `${answer}:refused:${res.body?.code ?? res.status}${/while the shipment is (\w+)/.exec(String((res.body as { message?: string })?.message))?.[1] ?? ''}`;
        else if (res.body?.status && res.body.status !== 'sent') answer = `${answer}:${res.body.status}`;
      } else if (alert.rule === 'risky_recipient' && answers && refuses) {
        const res = await this.api.call(
          'POST',
          `/v1/shipments/${alert.shipmentId}/cancel`,
          auth,
          undefined,
          [200, 202, 409, 422],
        );
        answer = res.status < 300 ? 'cancel' : 'cancel:refused';
      }
      if (!acknowledged)
        await this.api.call('POST', `/v1/alerts/${alert.id}/acknowledge`, auth, undefined, [200, 201, 409]);
      this.answers.set(alert.id, [...(this.answers.get(alert.id) ?? []), answer]);
    });
  }

  /** How long the seller takes to answer an alert each time it asks (1 to 6 hours, seeded). */
  private sellerDelayHours(alert: AlertView, round: string): number {
    return 1 + this.world.chance(`delay:${this.drawsOf(alert)}${round}`) * 5;
  }

  /**
   * Names the seller's draws for an alert by its order, rule and how many alerts of that rule the order had
   * before, not by its id (another in every Kirim): the same trouble on the same order is answered alike under
   * every policy, as the sandbox draws the order's luck alike (SANDBOX_DRAWS).
   */
  private drawsOf(alert: AlertView): string {
    let name = this.alertDraws.get(alert.id);
    if (!name) {
      const orderId = this.orderOfShipment.get(alert.shipmentId);
      if (!orderId) return alert.id;
      const earlier = `${orderId}:${alert.rule}`;
      const n = this.alertsPerRule.get(earlier) ?? 0;
      this.alertsPerRule.set(earlier, n + 1);
      name = `${earlier}:${n}`;
      this.alertDraws.set(alert.id, name);
    }
    return name;
  }

  /**
   * Counts the shipments still open (openCount) and settles the run when none is and no alert asks a
   * seller who answers alerts; the caller asks once every order is placed. Answers the count (0 for a run
   * settled before). A lost parcel counts as ended, as it does for the run's end: the sandbox world loses
   * none, though Kirim would follow one for lostFollowDays.
   */
  async settleIfDone(): Promise<number> {
    if (this.settled) return 0;
    const open = await this.openCount();
    if (open > 0) return open;
    // A seller who never answers (no-actions) changes nothing by looking: its open alerts never hold it.
    if (this.policy.actsOnAlerts)
      for (const account of this.sellers)
        if ((await this.list<AlertView>('/v1/alerts?state=open&acknowledged=false', account)).length)
          return 0;
    this.settled = true;
    return 0;
  }

  /**
   * Shipments not yet finished (delivered, returned, cancelled, lost or failed to book), counting one that
   * failed to book as open while its order may still be shipped again: the run must not stop before it is.
   */
  private async openCount(): Promise<number> {
    let open = (await this.failedBookingsToShipAgain()).length;
    for (const account of this.sellers)
      for (const status of TRAVELLING)
        open += (await this.list<{ id: string }>(`/v1/shipments?status=${status}`, account)).length;
    return open;
  }

  /** Every order's end, and every alert with the seller's answer and its lead time before a return. */
  async collect(orders: Order[]): Promise<PolicyOutcome> {
    const shipments = new Map<string, ShipmentView>();
    const alerts: AlertView[] = [];
    for (const account of this.sellers) {
      for (const s of await this.list<ShipmentView>('/v1/shipments', account)) shipments.set(s.id, s);
      for (const state of ['open', 'resolved'])
        alerts.push(...(await this.list<AlertView>(`/v1/alerts?state=${state}`, account)));
    }
    const final: FinalOrder[] = orders.map((o) => {
      const s = shipments.get(this.shipmentOfOrder.get(o.id) ?? '');
      if (!s)
        return {
          orderId: o.id,
          status: 'unshippable',
          courier: null,
          service: null,
          attempts: 0,
          codAmount: o.codAmount,
          codCollected: false,
          charges: null,
        };
      return {
        orderId: o.id,
        status: s.status,
        courier: s.courier?.code ?? null,
        service: s.courier?.service ?? null,
        attempts: s.attempts,
        codAmount: s.codAmount,
        codCollected: s.codCollected,
        charges: s.charges,
      };
    });
    await eachLimited(
      final.filter((f) => f.status === 'booking_failed'),
      this.concurrency,
      async (f) => {
        const id = this.shipmentOfOrder.get(f.orderId)!;
        const account = this.sellers[this.orders.get(f.orderId)?.seller ?? 0];
        const detail = await this.api.call<{
          pickupAttempts: { courier: string; service: string; outcome: string }[];
        }>('GET', `/v1/shipments/${id}`, { apiKey: account.apiKey });
        f.note = detail.body.pickupAttempts.map((a) => `${a.courier}/${a.service}: ${a.outcome}`).join('; ');
      },
    );
    const returnedAlerted = [...new Set(alerts.map((a) => a.shipmentId))].filter(
      (id) => shipments.get(id)?.status === 'returned',
    );
    const returnBegan = new Map<string, number>();
    await eachLimited(returnedAlerted, this.concurrency, async (id) => {
      const account = this.sellers[this.orders.get(this.orderOfShipment.get(id) ?? '')?.seller ?? 0];
      const events = await this.api.call<{ items: { at: string; status: string }[] }>(
        'GET',
        `/v1/shipments/${id}/events`,
        {
          apiKey: account.apiKey,
        },
      );
      const first = events.body.items.find(
        (e) => e.status === 'returning_to_sender' || e.status === 'returning',
      );
      if (first) returnBegan.set(id, new Date(first.at).getTime());
    });
    return {
      policy: this.policy.name,
      orders: final,
      fallbacks: this.fallbacks,
      quotes: this.quotes,
      alerts: alerts.map((a) => {
        const began = returnBegan.get(a.shipmentId);
        const opened = new Date(a.openedAt).getTime();
        const answers = this.answers.get(a.id) ?? [];
        return {
          orderId: this.orderOfShipment.get(a.shipmentId) ?? 'unknown',
          rule: a.rule,
          reason: a.reason,
          openedAt: a.openedAt,
          answers,
          hoursBeforeReturn: began !== undefined && began >= opened ? (began - opened) / 3600_000 : null,
          unanswered:
            this.policy.actsOnAlerts && !answers.length
              ? whyUnanswered(
                  opened,
                  a.resolvedAt ? new Date(a.resolvedAt).getTime() : null,
                  this.sellerDelayHours(a, ''),
                  this.looks,
                )
              : null,
        };
      }),
    };
  }

  /** Every item of a cursor-paged list, 500 a page. */
  private async list<T>(path: string, account: SellerAccount): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await this.api.call<{ items: T[]; nextCursor: string | null }>('GET', url, {
        apiKey: account.apiKey,
      });
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }
}

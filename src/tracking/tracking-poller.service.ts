import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomInt } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { COURIER_CODES, CourierCode, TrackResult } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { TrackedShipment, TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { GroupCommit } from './group-commit';
import { claimSize, courierBackoffAt, nextPollAt } from './poll-cadence';
import { RequestBudget } from './request-budget';
import { TrackingService } from './tracking.service';

export interface CourierPollFigures {
  /** Shipments claimed and polled. */
  polled: number;
  /** Tracking requests made to the courier. */
  requests: number;
  /** Shipments whose poll failed (courier unavailable): polled again after the backoff. */
  failed: number;
  /** Status moves the events made. */
  moved: number;
  /** Booked shipments found picked up (by their events or the pickup watch). */
  pickedUp: number;
  /** Booked shipments the pickup watch sent back for re-booking (courier cancelled or missed the pickup). */
  rebooked: number;
  /** Pinned shipments whose booking the pickup watch failed (their courier cancelled or missed the pickup). */
  bookingFailed: number;
}

const FIGURES = ['polled', 'requests', 'failed', 'moved', 'pickedUp', 'rebooked', 'bookingFailed'] as const;

export interface PollResult extends CourierPollFigures {
  couriers: Record<CourierCode, CourierPollFigures>;
}

/** One tracking request's answer, waiting to be recorded. */
interface Answer {
  shipments: TrackedShipment[];
  results: TrackResult[];
}

/** How often one shipment may be asked about outside its polls (service clock). */
const REFRESH_WINDOW_MS = 5 * 60_000;

const random = () => randomInt(1_000_000) / 1_000_000;

/**
 * The tracking poller: every courier has its own loop that claims its due shipments (FOR UPDATE SKIP
 * LOCKED with a lease, so any number of instances share the work and a crashed one's shipments come
 * back), asks the courier in batches of its batch size within its request budget, and hands the answers
 * to the tracker. A courier that fails is backed off (its shipments' next poll pushed out, doubling per
 * failure in a row); its circuit breaker answers at once meanwhile, so there is no hot loop. Booked
 * shipments are polled like the rest: the pickup watch runs on the same answer.
 */
@Injectable()
export class TrackingPoller {
  private readonly logger = new Logger(TrackingPoller.name);
  private readonly budgets = new Map<CourierCode, RequestBudget>();
  private readonly failuresInARow = new Map<CourierCode, number>();

  constructor(
    private readonly tracked: TrackedShipments,
    private readonly tracking: TrackingService,
    private readonly registry: CourierRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    for (const code of COURIER_CODES) {
      const b = config.business.tracking.budgets[code];
      this.budgets.set(code, new RequestBudget(b.concurrency, b.perMinute));
    }
  }

  /**
   * Polls every shipment due by `asOf` (default now), each once: a due shipment's next poll is later. Without
   * `asOf`, what the pass writes is stamped when it is written (claim leases, back-offs; the moves and their
   * outcomes once their shipments are locked): a pass can wait on a slow courier, or on a shipment's lock, for
   * longer than the invoicing's grace, and a delivery stamped before would fall in a period already invoiced,
   * so on no invoice.
   */
  async pollDue(asOf?: Date): Promise<PollResult> {
    const dueBy = asOf ?? this.clock.now();
    const now = asOf ? () => asOf : () => this.clock.now();
    const figures = await Promise.all(COURIER_CODES.map((c) => this.pollCourier(c, dueBy, now, asOf)));
    const total = Object.fromEntries(
      FIGURES.map((k) => [k, figures.reduce((sum, f) => sum + f[k], 0)]),
    ) as unknown as CourierPollFigures;
    return {
      ...total,
      couriers: Object.fromEntries(COURIER_CODES.map((c, i) => [c, figures[i]])) as PollResult['couriers'],
    };
  }

  /**
   * Asks the courier now about one followed shipment's parcel and records the answer as a poll: for a
   * decision that should not rest on the last poll's news (a re-attempt that looks like a repeat may answer
   * a failed attempt not polled yet). Asked once per shipment in REFRESH_WINDOW_MS at most (across
   * instances), and only when the courier's request budget has room at once: a seller repeating a request
   * neither streams courier calls nor waits behind the polls. False when it was not asked or the answer was
   * not recorded; the caller then decides on what Kirim knew.
   */
  async refresh(shipment: { id: string; courier: CourierCode; awb: string }): Promise<boolean> {
    const { id, courier, awb } = shipment;
    const release = this.budgets.get(courier)!.tryAcquire();
    if (!release) return false;
    let results: TrackResult[];
    try {
      if (!(await this.tracked.claimRefresh(id, this.clock.now(), REFRESH_WINDOW_MS))) return false;
      results = await this.registry.get(courier).track([awb]);
    } catch (e) {
      this.logger.warn({ courier, err: e }, 'tracking refresh: the courier was not asked or did not answer');
      return false;
    } finally {
      release();
    }
    try {
      await this.tracking.recordPoll(courier, [{ awb }], results);
      return true;
    } catch (e) {
      // As a poll's recording that fails: logged, and the next poll brings the same news.
      this.logger.error({ err: e, courier }, 'tracking refresh: recording failed');
      return false;
    }
  }

  /**
   * One courier's due shipments: a claimer keeps a queue of batches filled while `concurrency` senders
   * ask the courier, and the answers are recorded off the senders' path with group commit (answers that
   * arrive while the recordings run go together in the next transaction), so the courier's budget, not
   * the database round trips, sets the pace. When the recordings fall behind, the senders wait for them:
   * a slow database slows the polling instead of piling answers up in memory.
   */
  private async pollCourier(
    courier: CourierCode,
    dueBy: Date,
    now: () => Date,
    asOf: Date | undefined,
  ): Promise<CourierPollFigures> {
    const figures: CourierPollFigures = {
      polled: 0,
      requests: 0,
      failed: 0,
      moved: 0,
      pickedUp: 0,
      rebooked: 0,
      bookingFailed: 0,
    };
    const adapter = this.registry.get(courier);
    const budget = this.budgets.get(courier)!;
    const settings = this.config.business.tracking;
    const batchSize = Math.max(1, adapter.trackBatchSize);
    const perClaim = claimSize(settings.claimBatch, batchSize, budget.concurrency);

    const queue: TrackedShipment[][] = [];
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    const refill = (): Promise<void> =>
      (claiming ??= (async () => {
        try {
          // One statement, committed on its own: no BEGIN and COMMIT round trips around it.
          const leaseUntil = new Date(now().getTime() + settings.leaseSeconds * 1000);
          const due = await this.tracked.claimDue(courier, dueBy, leaseUntil, perClaim);
          for (let i = 0; i < due.length; i += batchSize) queue.push(due.slice(i, i + batchSize));
          if (due.length < perClaim) exhausted = true;
        } catch (e) {
          exhausted = true;
          this.logger.error({ err: e, courier }, 'tracking poll: claiming failed');
        } finally {
          claiming = null;
        }
      })());

    const recorder = new GroupCommit<Answer>((answers) => this.record(courier, answers, asOf, figures), {
      groupSize: Math.max(1, Math.floor(settings.claimBatch / batchSize)),
      concurrent: settings.recordingsPerCourier,
      maxWaiting: budget.concurrency * 2,
    });
    const sender = async () => {
      for (;;) {
        if (queue.length < budget.concurrency && !exhausted) void refill();
        if (!queue.length) {
          if (exhausted && !claiming) return;
          await (claiming ?? refill());
          continue;
        }
        const answer = await this.ask(courier, queue.shift()!, now, budget, figures);
        if (answer) await recorder.add(answer);
      }
    };
    await Promise.all(Array.from({ length: budget.concurrency }, sender));
    await recorder.drained();
    return figures;
  }

  /**
   * One tracking request within the budget; null when the courier failed (the shipments are then
   * backed off, doubling per failure in a row). A request the courier refused is asked again in halves
   * (refusedRequest): what comes back is then the answers of the parcels it did answer for.
   */
  private async ask(
    courier: CourierCode,
    shipments: TrackedShipment[],
    now: () => Date,
    budget: RequestBudget,
    figures: CourierPollFigures,
  ): Promise<Answer | null> {
    figures.polled += shipments.length;
    const release = await budget.acquire();
    let refused: CourierRejectedError | undefined;
    try {
      figures.requests += 1;
      const results = await this.registry.get(courier).track(shipments.map((s) => s.awb!));
      this.failuresInARow.set(courier, 0);
      return { shipments, results };
    } catch (e) {
      // Refused credentials are every parcel's problem: backed off as an outage, and the run fails loudly.
      if (e instanceof CourierRejectedError && e.reason !== 'auth') refused = e;
      else {
        figures.failed += shipments.length;
        const failures = (this.failuresInARow.get(courier) ?? 0) + 1;
        this.failuresInARow.set(courier, failures);
        const at = courierBackoffAt(failures, now(), this.config.business.tracking.courierBackoff, random());
        release();
        await this.tracked.schedule(shipments.map((s) => ({ id: s.id, at })));
        if (!(e instanceof CourierUnavailableError)) throw e;
        await this.reassess(courier, shipments);
        if (failures === 1 || e.reason !== 'circuit_open')
          this.logger.warn(
            { courier, reason: e.reason, failures },
            'tracking poll: courier unavailable, backing off',
          );
        return null;
      }
    } finally {
      release();
    }
    return this.refusedRequest(courier, shipments, refused, now, budget, figures);
  }

  /**
   * The courier refused a request for these parcels (an airway bill it will not answer for): the courier
   * is up, so this is no outage. Thrown, one such parcel stopped the courier's polls for the whole run;
   * backed off together, the others of its batch (50 at ID Express and Ninja) waited with it for good. So
   * the batch is asked again in halves until the refused parcel stands alone, and that one is asked again
   * at its status's usual pace: no more often than any parcel like it.
   */
  private async refusedRequest(
    courier: CourierCode,
    shipments: TrackedShipment[],
    refusal: CourierRejectedError,
    now: () => Date,
    budget: RequestBudget,
    figures: CourierPollFigures,
  ): Promise<Answer | null> {
    if (shipments.length === 1) {
      const [s] = shipments;
      figures.failed += 1;
      // A delivered parcel is polled once, to confirm its delivery: refused, it is not asked again.
      const at =
        s.status === 'delivered'
          ? null
          : nextPollAt(s.status, now(), this.config.business.tracking.cadence, random());
      if (at) await this.tracked.schedule([{ id: s.id, at }]);
      else await this.tracked.stopFollowing([s.id]);
      await this.reassess(courier, shipments);
      this.logger.warn(
        {
          courier,
          reason: refusal.reason,
          rawCode: refusal.rawCode,
          awb: s.awb,
          nextPollAt: at,
        },
        at
          ? 'tracking poll: the courier refused to answer for this parcel; asked again at its usual pace'
          : 'tracking poll: the courier refused to answer for this delivered parcel; its delivery stands unconfirmed',
      );
      return null;
    }
    // Its halves are counted as they are asked.
    figures.polled -= shipments.length;
    const half = Math.ceil(shipments.length / 2);
    const answers: Answer[] = [];
    for (const part of [shipments.slice(0, half), shipments.slice(half)]) {
      const answer = await this.ask(courier, part, now, budget, figures);
      if (answer) answers.push(answer);
    }
    return answers.length
      ? {
          shipments: answers.flatMap((a) => a.shipments),
          results: answers.flatMap((a) => a.results),
        }
      : null;
  }

  /** The tracker's judgement of parcels their courier did not answer for (reassessUnanswered), logged if it fails. */
  private async reassess(courier: CourierCode, shipments: TrackedShipment[]): Promise<void> {
    try {
      await this.tracking.reassessUnanswered(
        courier,
        shipments.map((s) => s.awb!),
      );
    } catch (e) {
      this.logger.error(
        { err: e, courier, shipments: shipments.length },
        'tracking poll: judging unanswered parcels failed',
      );
    }
  }

  /**
   * Answers handed to the tracker together, recorded as of `asOf` or else when the tracker holds their
   * shipments; a failure leaves them claimed (polled after the lease).
   */
  private async record(
    courier: CourierCode,
    answers: Answer[],
    asOf: Date | undefined,
    figures: CourierPollFigures,
  ): Promise<void> {
    const shipments = answers.flatMap((a) => a.shipments);
    try {
      const applied = await this.tracking.recordPoll(
        courier,
        shipments,
        answers.flatMap((a) => a.results),
        asOf,
      );
      figures.moved += applied.moved;
      figures.pickedUp += applied.pickedUp;
      figures.rebooked += applied.rebooked;
      figures.bookingFailed += applied.bookingFailed;
    } catch (e) {
      this.logger.error({ err: e, courier, shipments: shipments.length }, 'tracking poll: applying failed');
    }
  }
}

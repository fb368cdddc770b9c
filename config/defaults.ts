/**
 * Business defaults: tunable numbers and catalogues that are not secrets and rarely differ per deployment.
 * Amounts are integer rupiah.
 */
export const defaults = {
  pagination: { defaultLimit: 50, maxLimit: 500 },
  password: { minLength: 10, maxLength: 200, minDistinct: 5 },
  /** The most COD a request may name, rupiah (couriers' own ceilings are lower: see the catalogue). */
  maxCodAmount: 50_000_000,
  /** Seller settings applied at signup. */
  sellerSettings: {
    scoringPreset: 'balanced' as const,
    /** Rupiah a seller loses on a failed COD parcel beyond the fees (goods, packing, opportunity). */
    lostMarginPerFailure: 15000,
  },
  /** Banks sellers can withdraw to (codes as used by Indonesian transfer networks). */
  bankCodes: [
    'BCA',
    'BNI',
    'BRI',
    'MANDIRI',
    'BSI',
    'BTN',
    'CIMB',
    'PERMATA',
    'DANAMON',
    'OCBC',
    'MAYBANK',
    'PANIN',
    'MEGA',
    'BJB',
    'BTPN',
    'JAGO',
    'SEABANK',
    'BLU',
    'SINARMAS',
    'BUKOPIN',
  ] as const,
  apiKeys: { lastUsedWriteIntervalSeconds: 60 },
  /**
   * How long hot-path reads are kept per instance (seconds). This instance drops what it changes at
   * once; another instance's change is seen within these times (a removed user within `users`, a revoked
   * API key within `apiKeys`).
   */
  caches: { users: 5, apiKeys: 5, addresses: 30, settings: 10, statistics: 10 },
  couriers: {
    /**
     * Each courier's services as Kirim offers them: COD fee (basis points of the COD amount, with a
     * minimum), COD ceiling, weight limits and the promised SLA within one province (farther zones add
     * days, see sandbox zones). These are contract terms; couriers publish none of them.
     */
    catalogue: {
      jne: {
        name: 'JNE',
        services: [
          {
            code: 'REG',
            name: 'JNE Reguler',
            cod: true,
            codFee: { basisPoints: 300, minimum: 2500 },
            codMaxAmount: 5_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 50_000,
            slaDays: { min: 1, max: 2 },
          },
          {
            code: 'YES',
            name: 'JNE Yakin Esok Sampai',
            cod: false,
            codFee: { basisPoints: 0, minimum: 0 },
            codMaxAmount: 0,
            minWeightGrams: 1,
            maxWeightGrams: 30_000,
            slaDays: { min: 1, max: 1 },
          },
          {
            code: 'OKE',
            name: 'JNE Ongkos Kirim Ekonomis',
            cod: true,
            codFee: { basisPoints: 300, minimum: 2500 },
            codMaxAmount: 5_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 50_000,
            slaDays: { min: 2, max: 3 },
          },
        ],
      },
      jnt: {
        name: 'J&T Express',
        services: [
          {
            code: 'EZ',
            name: 'J&T EZ (Reguler)',
            cod: true,
            codFee: { basisPoints: 300, minimum: 2000 },
            codMaxAmount: 5_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 100_000,
            slaDays: { min: 1, max: 2 },
          },
        ],
      },
      sap: {
        name: 'SAP Express',
        services: [
          {
            code: 'UDRREG',
            name: 'SATRIA REG',
            cod: true,
            codFee: { basisPoints: 250, minimum: 2000 },
            codMaxAmount: 3_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 50_000,
            slaDays: { min: 1, max: 3 },
          },
          {
            code: 'UDRONS',
            name: 'SATRIA ONS (One Day)',
            cod: true,
            codFee: { basisPoints: 250, minimum: 2000 },
            codMaxAmount: 3_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 30_000,
            slaDays: { min: 1, max: 1 },
          },
          {
            code: 'DRGREG',
            name: 'SATRIA Cargo Darat',
            cod: false,
            codFee: { basisPoints: 0, minimum: 0 },
            codMaxAmount: 0,
            minWeightGrams: 10_000,
            maxWeightGrams: 500_000,
            slaDays: { min: 3, max: 5 },
          },
        ],
      },
      ninja: {
        name: 'Ninja Xpress',
        services: [
          {
            code: 'STANDARD',
            name: 'Ninja Standard',
            cod: true,
            codFee: { basisPoints: 280, minimum: 2000 },
            codMaxAmount: 5_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 50_000,
            slaDays: { min: 1, max: 3 },
          },
          {
            code: 'EXPRESS',
            name: 'Ninja Express',
            cod: true,
            codFee: { basisPoints: 280, minimum: 2000 },
            codMaxAmount: 5_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 30_000,
            slaDays: { min: 1, max: 2 },
          },
        ],
      },
      idexpress: {
        name: 'ID Express',
        services: [
          {
            code: '00',
            name: 'iDexpress Standard',
            cod: true,
            codFee: { basisPoints: 250, minimum: 1500 },
            codMaxAmount: 3_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 50_000,
            slaDays: { min: 2, max: 3 },
          },
          {
            code: '03',
            name: 'iDlite',
            cod: true,
            codFee: { basisPoints: 250, minimum: 1500 },
            codMaxAmount: 1_000_000,
            minWeightGrams: 1,
            maxWeightGrams: 5_000,
            slaDays: { min: 2, max: 4 },
          },
          {
            code: '06',
            name: 'iDtruck',
            cod: false,
            codFee: { basisPoints: 0, minimum: 0 },
            codMaxAmount: 0,
            minWeightGrams: 5_000,
            maxWeightGrams: 1_000_000,
            slaDays: { min: 3, max: 6 },
          },
        ],
      },
    },
    /**
     * Money terms per courier (contract terms, basis points of the shipping price): the cashback Kirim
     * earns back on shipping, and the return fee charged when a parcel comes back.
     */
    terms: {
      jne: { cashbackBasisPoints: 1000, returnFeeBasisPoints: 10_000 },
      jnt: { cashbackBasisPoints: 1200, returnFeeBasisPoints: 10_000 },
      sap: { cashbackBasisPoints: 1500, returnFeeBasisPoints: 5000 },
      ninja: { cashbackBasisPoints: 1000, returnFeeBasisPoints: 10_000 },
      idexpress: { cashbackBasisPoints: 1500, returnFeeBasisPoints: 7500 },
    },
    /** cockatiel policies, one set per courier. */
    resilience: {
      timeoutMs: 5000,
      retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2000 },
      breaker: { failureRatio: 0.5, windowSize: 20, minimumCalls: 10, halfOpenAfterMs: 15_000 },
      bulkhead: { limit: 10, queue: 50 },
      /** Calls kept for the health figures (error rate, latency). */
      healthWindow: 100,
    },
    /** A courier push whose event is older (or newer) than this is refused as a replay. */
    webhookMaxAgeSeconds: 6 * 3600,
    /**
     * How often an instance asks whether a courier's location mapping changed (couriers:locations run
     * from another process); the mapping itself is held in memory, so quotes never query it.
     */
    locationsRefreshSeconds: 30,
  },
  scoring: {
    /**
     * Preset weights over the expected-cost terms (all in rupiah). `dayValue` prices one day of median
     * transit, `tailDayValue` one day between the median and the 90th percentile. `balanced`, the default,
     * ranks by the seller's money: what slowness costs in refused and returned parcels is already in the
     * learned failure rate of the lane, so a day adds only enough to prefer the faster of two services
     * that cost about the same. Sellers who value speed for its own sake choose `fastest`.
     */
    presets: {
      cheapest: { cost: 1, failure: 0, pickup: 0, dayValue: 0, tailDayValue: 0 },
      fastest: { cost: 0.25, failure: 1, pickup: 1, dayValue: 20_000, tailDayValue: 10_000 },
      safest: { cost: 1, failure: 3, pickup: 2, dayValue: 500, tailDayValue: 1000 },
      balanced: { cost: 1, failure: 1, pickup: 1, dayValue: 250, tailDayValue: 250 },
    },
    /** What a pickup the courier fails or misses costs the seller (a day lost, re-booking), rupiah. */
    pickupFailureCost: 10_000,
    /**
     * How strongly thin data is pulled toward the level above (pseudo-outcomes): a lane toward the courier
     * in its destination regency, that toward the destination province, a province toward the courier's
     * national rate, the national rate toward the configured prior, and a recipient's own record toward the
     * lane. Couriers differ a lot between regencies of one province (the last mile), so the regency level
     * speaks after a few dozen parcels rather than a few hundred. The configured prior is a guess, worth
     * fifty parcels: held harder, a courier the guess ranks low is seldom chosen and so never shows it.
     */
    shrinkage: { lane: 30, area: 30, province: 100, national: 50, recipient: 3 },
    /**
     * A parcel's failure is learned as P(first attempt fails) × P(not delivered | first attempt failed)
     * (delivery-estimator.ts). The second factor is mostly the recipient's and the courier's re-attempts,
     * and varies less between places: each level pulls it toward the level above this many times harder.
     */
    shrinkageAfterFailedAttempt: 3,
    /** Delivered parcels needed before observed transit days replace the promised SLA. */
    minTransitSamples: 20,
    /**
     * What Kirim assumes of a courier before it has outcomes. The same for every courier: Kirim has no
     * evidence that one fails more than another until its own parcels say so, and a guess that ranked
     * couriers would steer the first weeks' parcels away from the ones it guessed low, so they would be
     * learned last. The first parcels are chosen on price and speed; from then on each courier is pulled
     * toward what Kirim sees of all couriers until it has enough outcomes of its own.
     */
    priors: {
      jne: { failureRate: 0.13, firstAttemptFailureRate: 0.25, pickupFailureRate: 0.04 },
      jnt: { failureRate: 0.13, firstAttemptFailureRate: 0.25, pickupFailureRate: 0.04 },
      sap: { failureRate: 0.13, firstAttemptFailureRate: 0.25, pickupFailureRate: 0.04 },
      ninja: { failureRate: 0.13, firstAttemptFailureRate: 0.25, pickupFailureRate: 0.04 },
      idexpress: { failureRate: 0.13, firstAttemptFailureRate: 0.25, pickupFailureRate: 0.04 },
    },
    // v2: couriers pulled toward every courier's record; the same prior for all; `balanced` by money first.
    // v3: the failure chance learned as a failed first attempt × no delivery after it.
    modelVersion: 'expected-cost-v3',
    /** Courier rates are kept this long per route, weight band and service (a warm quote calls no courier). */
    rateCacheTtlSeconds: 600,
    rateCacheMaxEntries: 50_000,
  },
  pickups: {
    /** How often a booked shipment's courier is asked whether the pickup happened (and at its deadline). */
    checkEveryMinutes: 60,
    /** Booked shipments checked per watch step. */
    checkBatch: 200,
    /**
     * How long a cancellation at the courier is claimed (seller cancel or overdue pickup): far longer than
     * a cancel call with its retries may take, so only a crashed caller's claim ever runs out.
     */
    cancelClaimSeconds: 120,
  },
  /**
   * Seller actions on a shipment (re-attempt, return, address correction, hold), sent to the courier.
   * While the courier is asked, the action is `pending` under a claim far longer than the call may take;
   * a claim that runs out belongs to a sender that died, and the `shipment-actions-retry` job sends the
   * action again (at most `maxSends` times in all, then it is `failed`).
   */
  sellerActions: {
    claimSeconds: 120,
    maxSends: 3,
    /** Abandoned actions the job takes per claim. */
    resumeBatch: 50,
  },
  /**
   * Signed webhooks to sellers (the outbox worker). A failed delivery is tried again after a delay drawn
   * uniformly below min(cap, base × 2^(attempt − 1)) ("full jitter"), until `retryWindowHours` after the
   * first attempt; then it is `failed`. The timeout and concurrency limits are env settings (WEBHOOK_*).
   */
  sellerWebhooks: {
    retryBaseSeconds: 10,
    retryCapSeconds: 3600,
    retryWindowHours: 24,
    /** How far a receiver should accept the signature's `t` from its own clock (documented for sellers). */
    signatureToleranceSeconds: 300,
    /** Characters of a failing receiver's answer kept as the delivery's last error. */
    responseSnippetChars: 200,
    /** A claim lasts the timeout plus this long; a worker that dies leaves its deliveries due again after it. */
    leaseMarginSeconds: 60,
    /** How long one worker run keeps claiming new work (what it started still finishes). */
    runBudgetMs: 5000,
    /**
     * A seller whose receiver failed an attempt from this instance (dead, hanging, erring) is struggling
     * until it answers 2xx, or for this long: its deliveries then go one at a time, and all struggling
     * sellers' together take at most half of WEBHOOK_CONCURRENCY (at least one, after the others' due
     * work), so however many receivers hang, the others' webhooks always have half the pool.
     */
    strugglingMinutes: 60,
    /**
     * Finished deliveries past WEBHOOK_DELIVERY_RETENTION_DAYS deleted per statement: a run after a long
     * downtime deletes in many short statements, never one that holds a huge delete.
     */
    cleanupBatch: 5000,
  },
  /**
   * The risk rules (src/tracking/risk-rules.ts) that flag parcels at risk while the seller can still act.
   * Staleness follows couriers/README.md §5.3; no courier publishes these numbers.
   */
  risk: {
    /**
     * Hours without any courier scan before a parcel counts as stuck, by its status and destination:
     * Java, or the outer islands where hub-to-hub legs take longer.
     */
    staleHours: {
      picked_up: { java: 48, outer: 96 },
      in_transit: { java: 48, outer: 96 },
      delivery_failed: { java: 48, outer: 72 },
      returning: { java: 96, outer: 168 },
    },
    /**
     * A parcel out for delivery must be delivered or reported failed by the end of this many days after
     * the day it went out (Asia/Jakarta): 1 is "by the end of the next day".
     */
    outForDeliveryDays: 1,
    /** A stale parcel's severity rises to high once it is silent this many times its threshold. */
    staleEscalationFactor: 2,
    /** Hours after booking with no pickup scan before the pickup counts as not made. */
    pickupScanHours: 24,
    /** Failed delivery attempts at which a failed-attempt alert is at least high, then critical. */
    failedAttempts: { high: 2, critical: 3 },
    /** Hours past the lane's p90 transit (or the promised SLA) before a parcel is late; days more for high. */
    late: { graceHours: 12, highAfterDays: 2 },
    /** Hours a parcel may stay held at a hub before the alert becomes high. */
    held: { highAfterHours: 48 },
    /**
     * A recipient (by salted phone hash) whose finished parcels failed this often makes a return likely:
     * at least `minOutcomes` finished parcels and a failure share of `failureRate` (high from
     * `highFailureRate`). Only COD parcels when `codOnly` (a prepaid buyer has little reason to refuse).
     */
    recipient: { minOutcomes: 2, failureRate: 0.5, highFailureRate: 0.75, codOnly: true },
  },
  /** Following parcels after handover: the poller, its cadence and the couriers' request budgets. */
  tracking: {
    /**
     * Shipments claimed per claim (a cycle claims as many times as there are due shipments); also the most
     * one recording of poll answers takes.
     */
    claimBatch: 500,
    /**
     * Recordings of poll answers (a transaction each) running at once per courier. Answers that arrive
     * meanwhile go together in the next one, so a slow database gets fewer, larger transactions.
     */
    recordingsPerCourier: 2,
    /** How long a claimed shipment is held before another instance may poll it (a crashed poll comes back). */
    leaseSeconds: 300,
    /**
     * Minutes between polls by status: often out for delivery or after a failed attempt, rarely in long-haul
     * transit (the transit rules count in days: stuck after 48 h silent, late 12 h past the lane's p90) and
     * on the way back (nothing left to save; the return fee is known when it arrives).
     */
    cadence: {
      everyMinutes: {
        picked_up: 360,
        in_transit: 720,
        out_for_delivery: 30,
        delivery_failed: 60,
        returning: 1440,
        // Still asked about once a day for lostFollowDays: couriers find some lost parcels again.
        lost: 1440,
      } as Partial<Record<string, number>>,
      defaultMinutes: 240,
      jitter: 0.15,
      arrivingMinutes: 240,
    },
    /**
     * Days a parcel its courier reported lost is still polled (at the cadence's `lost` pace): one found
     * again is then delivered, returned or returning, and its COD credited, even from a courier that does
     * not push.
     */
    lostFollowDays: 30,
    /** A pushed event pushes the next poll back this far: the courier is telling us itself. */
    pushPostponeMinutes: 360,
    /**
     * Hours an event may say it happened before the booking that gave the parcel its airway bill began
     * (a courier's clock, a time zone written wrongly). An older one, or one stored before that booking,
     * is not taken as this parcel's: an airway bill used before, or a push for one not issued yet.
     */
    eventsBeforeBookingHours: 24,
    /**
     * Each courier's request budget for tracking, per instance: calls at once and calls per minute. The
     * poller never exceeds them; with the batch size, they are the poll throughput's ceiling.
     */
    budgets: {
      jne: { concurrency: 4, perMinute: 600 },
      jnt: { concurrency: 4, perMinute: 600 },
      sap: { concurrency: 4, perMinute: 600 },
      ninja: { concurrency: 4, perMinute: 300 },
      idexpress: { concurrency: 4, perMinute: 300 },
    },
    /** A courier that fails is asked again after this (doubling per failure in a row, jittered). */
    courierBackoff: { baseSeconds: 60, maxSeconds: 1800 },
    /** Pushed events applied per inbox step. */
    inboxBatch: 200,
    /**
     * Courier pushes deleted, or events' raw lines cleared, per statement past COURIER_PUSH_RETENTION_DAYS and
     * TRACKING_RAW_RETENTION_DAYS: a run after a long downtime works in many short statements.
     */
    cleanupBatch: 5000,
  },
  /** Money (DESIGN.md "Money" and "Flows"): integer rupiah, Asia/Jakarta calendar. */
  money: {
    /** Days after delivery (the courier's event time) that COD cash stays `pending` before it is `available`. */
    codHoldDays: 3,
    /** Holds released per step of the `ledger-holds` job. */
    releaseBatch: 500,
    invoicing: {
      /** A period starts at 00:00 Asia/Jakarta on this date and every `periodDays` after (and before) it. */
      anchorDate: '2026-01-05',
      periodDays: 14,
      /** Invoice numbers: `<prefix>/<year>/<month>/<sequence, 6 digits>` by the issue date (Asia/Jakarta). */
      numberPrefix: 'INV',
      /**
       * Minutes after a period ends before it is invoiced: an outcome recorded just before the end (its
       * transaction still committing) is in. Invoices take outcomes by when Kirim recorded them.
       */
      closeGraceMinutes: 15,
      /** Invoices one run issues at once (each its own transaction; they share only the number counter). */
      parallelism: 4,
      /** Shipments read (and lines written) per statement while issuing one seller's invoice. */
      lineBatch: 20_000,
      /** Lines read per statement by the CSV and PDF exports (memory stays flat whatever the period). */
      exportBatch: 2500,
    },
    withdrawals: {
      /** The fee Kirim keeps from each withdrawal, rupiah (the bank receives the amount less the fee). */
      fee: 2500,
      /** The smallest amount a seller may withdraw, rupiah (must exceed the fee). */
      minAmount: 10_000,
      /** Withdrawals up to this amount are approved without finance, rupiah (0: finance approves all). */
      autoApproveUpTo: 1_000_000,
      /**
       * What one seller's auto-approved withdrawals may add up to in a day (Jakarta time), rupiah: past it
       * finance approves, so a stolen login cannot drain a balance in many withdrawals each under the limit.
       */
      autoApproveDailyUpTo: 3_000_000,
    },
    payouts: {
      /** Approved withdrawals the payout job sends per step. */
      batch: 50,
      /** How long a payout being sent is claimed (a crashed sender's claim runs out and is asked again). */
      claimSeconds: 120,
      /** Minutes between asking the provider about a payout it accepted but has not finished. */
      statusCheckMinutes: 10,
      /** Minutes before a payout whose send got no answer (timeout, 5xx) is asked about and sent again. */
      retryMinutes: 2,
      /**
       * Hours a payout may go unanswered (every send timed out and the provider knows nothing of it) before
       * it fails as `timed_out` and the seller's money comes back.
       */
      giveUpHours: 24,
      /**
       * Minutes a send may still reach the provider after its answer was given up on (a request held in a
       * queue on the way). Past `giveUpHours` nothing is sent again, and the payout fails only this long
       * after its last send, if the provider still has nothing: a late send is then followed, not paid on
       * top of the money given back.
       */
      lateSendMinutes: 60,
      /**
       * Days a paid payout is still asked about (every `bounceCheckMinutes`): a bank may return a transfer
       * after the provider reported it completed (a bounce), which gives the seller's money back.
       */
      bounceWatchDays: 3,
      bounceCheckMinutes: 360,
      /** How long one call to the disbursement provider may take before its outcome counts as unknown. */
      requestTimeoutMs: 10_000,
      /** The sandbox provider: minutes a disbursement stays PENDING, and hours after completing that a bounce comes. */
      sandbox: { settleMinutes: 5, bounceAfterHours: 24 },
    },
    remittance: {
      /** A delivered COD parcel not remitted this many days after delivery is listed as overdue. */
      overdueDays: 7,
      /**
       * Largest remittance report accepted, bytes: about 80,000 lines (a larger one is split). It is parsed
       * on the event loop every request shares: 300,000 lines (7 MB) held it for four seconds.
       */
      maxReportBytes: 2 * 1024 * 1024,
      /**
       * Unmatched lines uploaded this many days ago at most are decided again when their parcel turns out
       * delivered (couriers remit days after a delivery, not months): older ones are finance's to explain,
       * and the job's reading stays bounded however many unknown AWBs pile up.
       */
      lateMatchDays: 60,
    },
  },
  /** The simulated courier world behind the sandboxes (ignored for couriers with real credentials). */
  sandbox: {
    seed: 'kirim-sandbox',
    /** Price level of each courier relative to the reference tariff, and its services' multipliers. */
    priceLevel: { jne: 1.0, jnt: 0.95, sap: 0.9, ninja: 0.93, idexpress: 0.85 },
    serviceMultiplier: {
      YES: 1.8,
      OKE: 0.8,
      UDRONS: 1.7,
      DRGREG: 0.6,
      EXPRESS: 1.5,
      '03': 0.8,
      '06': 0.5,
    } as Record<string, number>,
    /** Reference tariff by zone (0 same province … 4 Maluku/Papua): first kg and each further kg, rupiah. */
    tariff: {
      firstKg: [9000, 11000, 18000, 28000, 45000],
      nextKg: [3000, 5000, 9000, 16000, 30000],
    },
    /** Extra transit days by zone on top of a service's SLA. */
    zoneExtraDays: [0, 1, 2, 3, 5],
    /**
     * What happens to parcels (delivery odds per courier and regency, transit delays, pickup misses,
     * recipients, the value of a seller's action) is not here: it is drawn from the seed and the world file
     * (SANDBOX_WORLD_FILE, default config/worlds/default.json; docs/sandbox-world.md).
     * After a missed pickup, the chance the courier voids the order on its own.
     */
    courierCancelsMissedPickup: 0.5,
  },
};

export type BusinessDefaults = typeof defaults;

import fc from 'fast-check';
import { defaults } from 'config/defaults';
import { COURIER_REASONS, COURIER_STATUSES, type CourierReason } from 'src/couriers/courier-adapter';
import { isHandover } from 'src/shipments/pickup-sla';
import { SHIPMENT_STATUSES, TERMINAL, type ShipmentStatus } from 'src/shipments/shipment-status';
import {
  evaluateRisk,
  deliveryWithCashAfterAll,
  RISK_RULES,
  RULE_VERSIONS,
  SEVERITIES,
  SUGGESTED_ACTIONS,
  type EarlierBooking,
  type RiskEvent,
  type RiskFinding,
  type RiskInput,
} from 'src/tracking/risk-rules';
import type { StoredEvent } from 'src/tracking/tracking-status';

const HOUR = 3600_000;
/** Monday 2026-11-02 08:00 WIB. */
const T0 = Date.parse('2026-11-02T01:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

function ev(hours: number, status: RiskEvent['status'], extra: Partial<RiskEvent> = {}): RiskEvent {
  return {
    status,
    rawCode: status ?? 'X',
    rawText: '',
    occurredAt: at(hours),
    isReturnLeg: false,
    ...extra,
  };
}

/** A COD parcel to Surabaya (Java) picked up at T0, by J&T Express. */
function input(o: {
  status: ShipmentStatus;
  events?: RiskEvent[];
  nowHours: number;
  province?: string;
  codAmount?: number;
  bookedAt?: Date | null;
  pickupDueAt?: Date | null;
  pickupFrom?: Date;
  pickedUpAt?: Date | null;
  lane?: RiskInput['lane'];
  recipient?: RiskInput['recipient'];
  pinned?: boolean;
  earlierBookings?: EarlierBooking[];
  sellerInstruction?: { held: boolean; at: Date };
}): RiskInput {
  return {
    now: at(o.nowHours),
    shipment: {
      status: o.status,
      codAmount: o.codAmount ?? 150_000,
      courier: 'jnt',
      courierName: 'J&T Express',
      service: 'EZ',
      createdAt: at(-3),
      bookedAt: o.bookedAt === undefined ? at(-2) : o.bookedAt,
      pickupDueAt: o.pickupDueAt === undefined ? at(22) : o.pickupDueAt,
      pickedUpAt: o.pickedUpAt === undefined ? at(0) : o.pickedUpAt,
      recipientProvince: o.province ?? 'Jawa Timur',
      ...(o.pinned ? { pinned: true } : {}),
      ...(o.pickupFrom ? { pickupFrom: o.pickupFrom } : {}),
      ...(o.sellerInstruction ? { sellerInstruction: o.sellerInstruction } : {}),
    },
    events: o.events ?? [],
    ...(o.earlierBookings ? { earlierBookings: o.earlierBookings } : {}),
    lane: o.lane ?? { p90TransitDays: null, promisedMaxDays: null },
    recipient: o.recipient ?? null,
    config: defaults.risk,
  };
}

const rules = (findings: RiskFinding[]) => findings.map((f) => f.rule);
const only = (findings: RiskFinding[], rule: RiskFinding['rule']) => {
  const found = findings.filter((f) => f.rule === rule);
  expect(found).toHaveLength(1);
  return found[0];
};

/** Picked up, two hub scans, out for delivery on day 2 at 08:00 WIB. */
const journey = (): RiskEvent[] => [
  ev(0, 'picked_up'),
  ev(4, 'in_transit'),
  ev(20, 'in_transit'),
  ev(48, 'out_for_delivery'),
];

describe('failed attempts', () => {
  it('raises one with the courier’s reason and words, caused by the failure', () => {
    const failed = ev(52, 'delivery_failed', {
      reason: 'consignee_absent',
      rawCode: '152',
      rawText: 'PENERIMA TIDAK DI TEMPAT',
    });
    const f = only(
      evaluateRisk(input({ status: 'delivery_failed', events: [...journey(), failed], nowHours: 53 })),
      'failed_attempt',
    );
    expect(f).toEqual({
      rule: 'failed_attempt',
      version: RULE_VERSIONS.failed_attempt,
      severity: 'medium',
      reason: 'consignee_absent',
      message:
        'J&T Express could not deliver the parcel on attempt 1: nobody was at the address (courier\'s note: "PENERIMA TIDAK DI TEMPAT").',
      messageIndonesian:
        'J&T Express gagal mengantar paket pada percobaan ke-1: tidak ada orang di alamat (catatan kurir: "PENERIMA TIDAK DI TEMPAT").',
      suggestedAction: 'contact',
      causeAt: at(52),
    });
  });

  it.each<[CourierReason, string, string]>([
    ['consignee_unreachable', 'medium', 'contact'],
    ['consignee_refused', 'high', 'contact'],
    ['consignee_refused_no_money', 'high', 'contact'],
    ['consignee_refused_did_not_order', 'critical', 'contact'],
    ['address_problem', 'high', 'update_address'],
    ['max_attempts', 'critical', 'contact'],
    ['attempt_failed', 'medium', 'contact'],
  ])('%s: severity %s, suggests %s', (reason, severity, action) => {
    const events = [...journey(), ev(52, 'delivery_failed', { reason })];
    const f = only(
      evaluateRisk(input({ status: 'delivery_failed', events, nowHours: 53 })),
      'failed_attempt',
    );
    expect([f.reason, f.severity, f.suggestedAction]).toEqual([reason, severity, action]);
  });

  it('a failure without a reason is a plain failed attempt', () => {
    const events = [...journey(), ev(52, 'delivery_failed')];
    const f = only(
      evaluateRisk(input({ status: 'delivery_failed', events, nowHours: 53 })),
      'failed_attempt',
    );
    expect(f.reason).toBe('attempt_failed');
  });

  it('rises with the number of attempts: high at two, critical at three', () => {
    const absent = (h: number) => ev(h, 'delivery_failed', { reason: 'consignee_absent' });
    const second = [...journey(), absent(52), ev(72, 'out_for_delivery'), absent(76)];
    const f2 = only(
      evaluateRisk(input({ status: 'delivery_failed', events: second, nowHours: 77 })),
      'failed_attempt',
    );
    expect([f2.severity, f2.causeAt]).toEqual(['high', at(76)]);
    expect(f2.message).toContain('attempt 2');
    const third = [...second, ev(96, 'out_for_delivery'), absent(100)];
    const f3 = only(
      evaluateRisk(input({ status: 'delivery_failed', events: third, nowHours: 101 })),
      'failed_attempt',
    );
    expect(f3.severity).toBe('critical');
  });

  it('counts a failure scanned twice within the hour as one attempt, and one a visit later as another', () => {
    const scan = (h: number, reason: CourierReason) => ev(h, 'delivery_failed', { reason });
    // The courier's second scan corrects the first's reason 20 minutes later: the same knock on the door.
    const rescanned = [...journey(), scan(52, 'consignee_absent'), scan(52 + 1 / 3, 'consignee_unreachable')];
    const once = only(
      evaluateRisk(input({ status: 'delivery_failed', events: rescanned, nowHours: 53 })),
      'failed_attempt',
    );
    expect([once.severity, once.reason]).toEqual(['medium', 'consignee_unreachable']);
    expect(once.message).toContain('attempt 1:');
    expect(once.messageIndonesian).toContain('percobaan ke-1:');
    // The afternoon's run, not announced by a dispatch scan, is another attempt.
    const later = [...rescanned, scan(57, 'consignee_absent')];
    const twice = only(
      evaluateRisk(input({ status: 'delivery_failed', events: later, nowHours: 58 })),
      'failed_attempt',
    );
    expect([twice.severity, twice.message]).toEqual(['high', expect.stringContaining('attempt 2:')]);
    const back = [...rescanned, ev(56, 'returning_to_sender', { isReturnLeg: true })];
    const returned = only(
      evaluateRisk(input({ status: 'returning', events: back, nowHours: 57 })),
      'return_started',
    );
    expect(returned.message).toContain(
      'after 1 failed attempt (last: the recipient could not be reached by phone)',
    );
    expect(returned.messageIndonesian).toContain('setelah 1 kali gagal antar');
  });

  it('stays open through a re-dispatch, saying so, until the outcome', () => {
    const events = [
      ...journey(),
      ev(52, 'delivery_failed', { reason: 'consignee_unreachable' }),
      ev(72, 'out_for_delivery'),
    ];
    const f = only(
      evaluateRisk(input({ status: 'out_for_delivery', events, nowHours: 73 })),
      'failed_attempt',
    );
    expect(f.message).toMatch(/It is out for delivery again\.$/);
    expect(f.causeAt).toEqual(at(52));
    expect(
      evaluateRisk(input({ status: 'delivered', events: [...events, ev(75, 'delivered')], nowHours: 76 })),
    ).toEqual([]);
  });

  it('a courier-side failure (misrouted) is not the buyer’s failed attempt', () => {
    const events = [...journey(), ev(52, 'delivery_failed', { reason: 'misroute', rawCode: 'MR' })];
    const found = evaluateRisk(input({ status: 'delivery_failed', events, nowHours: 53 }));
    expect(rules(found)).toEqual(['held_or_misrouted']);
    expect(found[0].reason).toBe('misroute');
  });

  it('one step more severe for a recipient whose history is risky', () => {
    const events = [...journey(), ev(52, 'delivery_failed', { reason: 'consignee_absent' })];
    const f = only(
      evaluateRisk(
        input({
          status: 'delivery_failed',
          events,
          nowHours: 53,
          recipient: { outcomes: 4, failures: 3 },
        }),
      ),
      'failed_attempt',
    );
    expect(f.severity).toBe('high');
  });
});

describe('returns', () => {
  const refusedThenReturn = () => [
    ...journey(),
    ev(52, 'delivery_failed', { reason: 'consignee_refused' }),
    ev(56, 'returning_to_sender', {
      reason: 'rts_initiated',
      isReturnLeg: true,
      rawText: 'RETUR KE PENGIRIM',
    }),
  ];

  it('a started return replaces the failed attempt, names why, and suggests contacting the buyer', () => {
    const found = evaluateRisk(input({ status: 'returning', events: refusedThenReturn(), nowHours: 57 }));
    expect(rules(found)).toEqual(['return_started']);
    expect(found[0]).toMatchObject({
      severity: 'high',
      reason: 'rts_initiated',
      suggestedAction: 'contact',
      causeAt: at(56),
      message:
        'J&T Express started returning the parcel to you after 1 failed attempt (last: the recipient refused the parcel) (courier\'s note: "RETUR KE PENGIRIM").',
      messageIndonesian:
        'J&T Express mulai mengembalikan paket kepada Anda setelah 1 kali gagal antar (terakhir: penerima menolak paket) (catatan kurir: "RETUR KE PENGIRIM").',
    });
  });

  it('a return the seller asked for raises nothing: it is their choice, not a risk to act on', () => {
    const asked = input({ status: 'returning', events: refusedThenReturn(), nowHours: 57 });
    asked.shipment.returnAsked = true;
    expect(evaluateRisk(asked)).toEqual([]);
  });

  it('once the return leg moves on, there is only waiting; the cause stays the first return scan', () => {
    const events = [...refusedThenReturn(), ev(70, 'in_transit', { isReturnLeg: true })];
    const f = only(evaluateRisk(input({ status: 'returning', events, nowHours: 71 })), 'return_started');
    expect([f.suggestedAction, f.causeAt]).toEqual(['wait', at(56)]);
  });

  it('is seen from the events even before the shipment’s status caught up', () => {
    const found = evaluateRisk(
      input({ status: 'delivery_failed', events: refusedThenReturn(), nowHours: 57 }),
    );
    expect(rules(found)).toEqual(['return_started']);
  });

  it('returned: nothing left to do', () => {
    const events = [...refusedThenReturn(), ev(120, 'returned', { isReturnLeg: true })];
    expect(evaluateRisk(input({ status: 'returned', events, nowHours: 121 }))).toEqual([]);
  });
});

describe('no scan for too long', () => {
  const inTransit = (province: string, nowHours: number) =>
    evaluateRisk(
      input({
        status: 'in_transit',
        events: [ev(0, 'picked_up'), ev(4, 'in_transit')],
        nowHours,
        province,
      }),
    ).filter((f) => f.rule === 'stale_no_scan');

  it('in transit to Java: 48 hours, high from twice that', () => {
    expect(inTransit('Jawa Timur', 4 + 47.9)).toEqual([]);
    const f = inTransit('Jawa Timur', 4 + 48);
    expect(f).toEqual([
      {
        rule: 'stale_no_scan',
        version: RULE_VERSIONS.stale_no_scan,
        severity: 'medium',
        reason: 'stale_no_scan',
        message:
          'No scan from J&T Express since 2026-11-02 12:00 WIB while the parcel is in transit: more than the 48 hours expected to Jawa Timur.',
        messageIndonesian:
          'Belum ada pemindaian dari J&T Express sejak 2 Nov 2026 12.00 WIB selama paket dalam perjalanan: lebih dari 48 jam yang wajar ke Jawa Timur.',
        suggestedAction: 'wait',
        causeAt: null,
      },
    ]);
    expect(inTransit('Jawa Timur', 4 + 96)[0].severity).toBe('high');
    // The message names no running clock: it does not change while the parcel stays silent.
    expect(inTransit('Jawa Timur', 4 + 60)[0].message).toBe(f[0].message);
  });

  it('in transit to the outer islands: 96 hours', () => {
    expect(inTransit('Papua', 4 + 95)).toEqual([]);
    expect(inTransit('Papua', 4 + 96)[0]).toMatchObject({ severity: 'medium' });
    expect(inTransit('Sulawesi Selatan', 4 + 96)).toHaveLength(1);
  });

  it('an unknown province gets the longer threshold rather than a crash', () => {
    expect(inTransit('Atlantis', 4 + 50)).toEqual([]);
    expect(inTransit('Atlantis', 4 + 97)).toHaveLength(1);
  });

  it('not while the seller holds the parcel, nor late; released, the silence counts from the release', () => {
    const events = [ev(0, 'picked_up'), ev(4, 'in_transit')];
    const found = (nowHours: number, sellerInstruction: { held: boolean; at: Date }) =>
      rules(
        evaluateRisk(
          input({
            status: 'in_transit',
            events,
            nowHours,
            lane: { p90TransitDays: 2, promisedMaxDays: 3 },
            sellerInstruction,
          }),
        ),
      );
    expect(found(200, { held: true, at: at(10) })).toEqual([]);
    // Released at hour 150: 48 hours from then, not from the last scan.
    expect(found(197, { held: false, at: at(150) })).toEqual(['late_vs_lane']);
    expect(found(198, { held: false, at: at(150) })).toEqual(['stale_no_scan', 'late_vs_lane']);
    // Out for delivery when held: released, the next day's end counts from the release.
    const out = [ev(0, 'picked_up'), ev(4, 'in_transit'), ev(10, 'out_for_delivery')];
    const ofd = (nowHours: number, sellerInstruction: { held: boolean; at: Date }) =>
      rules(evaluateRisk(input({ status: 'out_for_delivery', events: out, nowHours, sellerInstruction })));
    expect(ofd(100, { held: true, at: at(11) })).toEqual([]);
    expect(ofd(100, { held: false, at: at(99) })).toEqual([]);
    expect(ofd(100, { held: false, at: at(11) })).toEqual(['stale_no_scan']);
  });

  it('any later scan, even one without a status change, resets the clock', () => {
    const events = [ev(0, 'picked_up'), ev(4, 'in_transit'), ev(40, null, { reason: 'weight_changed' })];
    expect(
      evaluateRisk(input({ status: 'in_transit', events, nowHours: 60 })).filter(
        (f) => f.rule === 'stale_no_scan',
      ),
    ).toEqual([]);
  });

  it('out for delivery: by the end of the next day (Asia/Jakarta), then high and the COD cash named', () => {
    // Out at 2026-11-04 08:00 WIB; the next day ends 2026-11-05 24:00 WIB = 2026-11-05T17:00Z.
    const events = journey();
    const deadline = (Date.parse('2026-11-05T17:00:00Z') - T0) / HOUR;
    const stale = (h: number) =>
      evaluateRisk(input({ status: 'out_for_delivery', events, nowHours: h })).filter(
        (f) => f.rule === 'stale_no_scan',
      );
    expect(stale(deadline - 0.01)).toEqual([]);
    expect(stale(deadline)[0]).toMatchObject({
      severity: 'high',
      suggestedAction: 'contact',
      message:
        'The parcel went out for delivery at 2026-11-04 08:00 WIB and J&T Express has reported neither a delivery nor a failed attempt since; the courier may be holding the COD cash.',
      messageIndonesian:
        'Paket dibawa untuk diantar sejak 4 Nov 2026 08.00 WIB dan J&T Express belum melaporkan paket terkirim maupun gagal antar; uang COD mungkin masih dipegang kurir.',
    });
    const prepaid = evaluateRisk(
      input({ status: 'out_for_delivery', events, nowHours: deadline, codAmount: 0 }),
    ).find((f) => f.rule === 'stale_no_scan');
    expect(prepaid?.message).not.toContain('COD');
    expect(prepaid?.messageIndonesian).not.toContain('COD');
  });

  it("out for delivery: the next day is the recipient's own (WIT in Papua, WITA in Bali)", () => {
    // Out at 01:00 WIT on 5 Nov, which is still 4 Nov 23:00 WIB: the courier's day there is the 5th, so
    // "nothing by the end of the next day" ends at 24:00 WIT on 6 Nov (6 Nov 15:00Z), not 24:00 WIB on 5 Nov.
    const outAt = (Date.parse('2026-11-04T16:00:00Z') - T0) / HOUR;
    const events = [ev(0, 'picked_up'), ev(outAt, 'out_for_delivery')];
    const stale = (province: string, iso: string) =>
      evaluateRisk(
        input({ status: 'out_for_delivery', events, province, nowHours: (Date.parse(iso) - T0) / HOUR }),
      ).filter((f) => f.rule === 'stale_no_scan');
    expect(stale('Papua', '2026-11-05T17:00:00Z')).toEqual([]);
    expect(stale('Papua', '2026-11-06T14:59:00Z')).toEqual([]);
    expect(stale('Papua', '2026-11-06T15:00:00Z')).toHaveLength(1);
    // The same moment is 5 Nov 00:00 WITA: Bali's next day ends 24:00 WITA on 6 Nov (6 Nov 16:00Z).
    expect(stale('Bali', '2026-11-06T15:59:00Z')).toEqual([]);
    expect(stale('Bali', '2026-11-06T16:00:00Z')).toHaveLength(1);
    // In Jakarta it is still the 4th: its next day ends 24:00 WIB on 5 Nov.
    expect(stale('Jawa Timur', '2026-11-05T17:00:00Z')).toHaveLength(1);
  });

  it('silent after a failed attempt, and on the way back', () => {
    const failed = [...journey(), ev(52, 'delivery_failed', { reason: 'consignee_absent' })];
    expect(
      rules(evaluateRisk(input({ status: 'delivery_failed', events: failed, nowHours: 52 + 48 }))),
    ).toEqual(['failed_attempt', 'stale_no_scan']);
    const back = [
      ...journey(),
      ev(52, 'returning_to_sender', { reason: 'rts_initiated', isReturnLeg: true }),
    ];
    expect(rules(evaluateRisk(input({ status: 'returning', events: back, nowHours: 52 + 95 })))).toEqual([
      'return_started',
    ]);
    expect(rules(evaluateRisk(input({ status: 'returning', events: back, nowHours: 52 + 96 })))).toEqual([
      'return_started',
      'stale_no_scan',
    ]);
  });
});

describe('late against the lane', () => {
  const late = (nowHours: number, lane: RiskInput['lane'], status: ShipmentStatus = 'in_transit') =>
    evaluateRisk(
      input({ status, events: [ev(0, 'picked_up'), ev(nowHours - 1, 'in_transit')], nowHours, lane }),
    ).filter((f) => f.rule === 'late_vs_lane');

  it('past the observed p90 plus the grace hours, counted from pickup; high two days over', () => {
    const lane = { p90TransitDays: 4, promisedMaxDays: 2 };
    expect(late(4 * 24 + 12, lane)).toEqual([]);
    expect(late(4 * 24 + 13, lane)[0]).toMatchObject({
      severity: 'medium',
      reason: 'late_vs_sla',
      suggestedAction: 'contact',
      causeAt: null,
      message:
        'The parcel was picked up at 2026-11-02 08:00 WIB and is now past the 4 days within which 90% of parcels on this lane arrive.',
      messageIndonesian:
        'Paket diambil kurir pada 2 Nov 2026 08.00 WIB dan kini melewati 4 hari, waktu tiba 90% paket di rute ini.',
    });
    expect(late(6 * 24, lane)[0].severity).toBe('high');
  });

  it('falls back to the promised SLA without lane data, and says so', () => {
    const f = late(3 * 24 + 13, { p90TransitDays: null, promisedMaxDays: 3 });
    expect(f[0].message).toContain('the 3 days J&T Express promises');
    expect(f[0].messageIndonesian).toContain('3 hari yang dijanjikan J&T Express');
    expect(late(10 * 24, { p90TransitDays: null, promisedMaxDays: null })).toEqual([]);
  });

  it('counts from the first pickup scan when the shipment has no pickup time', () => {
    const lane = { p90TransitDays: 4, promisedMaxDays: null };
    const found = (nowHours: number) =>
      rules(
        evaluateRisk(
          input({
            status: 'in_transit',
            events: [ev(24, 'picked_up'), ev(nowHours - 1, 'in_transit')],
            nowHours,
            lane,
            pickedUpAt: null,
          }),
        ),
      );
    expect(found(4 * 24 + 13)).not.toContain('late_vs_lane');
    expect(found(24 + 4 * 24 + 13)).toContain('late_vs_lane');
  });

  it('a returning parcel is not late', () => {
    expect(late(10 * 24, { p90TransitDays: 2, promisedMaxDays: 2 }, 'returning')).toEqual([]);
  });
});

describe('held at a hub, misrouted, damaged', () => {
  it('open until a later scan shows the parcel moving; high after two days held', () => {
    const held = ev(10, 'exception', {
      reason: 'held_at_hub',
      rawCode: '150',
      rawText: 'Paket ditahan',
      location: 'Surabaya Hub',
    });
    const events = [ev(0, 'picked_up'), ev(4, 'in_transit'), held];
    const f = only(evaluateRisk(input({ status: 'in_transit', events, nowHours: 11 })), 'held_or_misrouted');
    expect(f).toMatchObject({
      severity: 'medium',
      reason: 'held_at_hub',
      suggestedAction: 'wait',
      causeAt: at(10),
      message:
        'J&T Express is holding the parcel at a hub in Surabaya Hub since 2026-11-02 18:00 WIB (courier\'s note: "Paket ditahan").',
      messageIndonesian:
        'J&T Express menahan paket di Surabaya Hub sejak 2 Nov 2026 18.00 WIB (catatan kurir: "Paket ditahan").',
    });
    expect(
      only(evaluateRisk(input({ status: 'in_transit', events, nowHours: 58 })), 'held_or_misrouted').severity,
    ).toBe('high');
    const moving = [...events, ev(30, 'in_transit')];
    expect(rules(evaluateRisk(input({ status: 'in_transit', events: moving, nowHours: 31 })))).toEqual([]);
  });

  it('a hold scanned again each day dates from its first scan: it rises to high, and asks again for no new cause', () => {
    const held = (h: number) =>
      ev(h, 'exception', { reason: 'held_at_hub', rawCode: '150', rawText: 'Paket ditahan' });
    const events = [ev(0, 'picked_up'), held(10), held(34), held(58)];
    const f = only(evaluateRisk(input({ status: 'in_transit', events, nowHours: 59 })), 'held_or_misrouted');
    expect(f).toMatchObject({ severity: 'high', causeAt: at(10) });
    // Held, then misrouted: a new cause, dated from its own scan.
    const misrouted = [...events, ev(60, 'exception', { reason: 'misroute' })];
    expect(
      only(
        evaluateRisk(input({ status: 'in_transit', events: misrouted, nowHours: 61 })),
        'held_or_misrouted',
      ),
    ).toMatchObject({ reason: 'misroute', causeAt: at(60) });
  });

  it('a hold the seller asked for is no hub holding the parcel: no alert while it is in place', () => {
    const events = [
      ev(0, 'picked_up'),
      ev(10, 'exception', { reason: 'held_at_hub', rawText: 'HELD AS SHIPPERS REQUEST' }),
    ];
    const asked = { held: true, at: at(9) };
    expect(
      rules(evaluateRisk(input({ status: 'in_transit', events, nowHours: 70, sellerInstruction: asked }))),
    ).not.toContain('held_or_misrouted');
    // Released (a re-attempt asked since), a hold is the courier's again.
    expect(
      rules(
        evaluateRisk(
          input({
            status: 'in_transit',
            events,
            nowHours: 70,
            sellerInstruction: { held: false, at: at(9) },
          }),
        ),
      ),
    ).toContain('held_or_misrouted');
    // A damaged or misrouted parcel is alerted, hold or not.
    const damaged = [...events, ev(20, 'exception', { reason: 'damaged' })];
    expect(
      rules(
        evaluateRisk(
          input({ status: 'in_transit', events: damaged, nowHours: 21, sellerInstruction: asked }),
        ),
      ),
    ).toContain('held_or_misrouted');
  });

  it('a damaged parcel is high at once', () => {
    const events = [ev(0, 'picked_up'), ev(10, 'exception', { reason: 'damaged' })];
    expect(
      only(evaluateRisk(input({ status: 'in_transit', events, nowHours: 11 })), 'held_or_misrouted'),
    ).toMatchObject({ severity: 'high', reason: 'damaged' });
  });
});

describe('pickups not made', () => {
  const booked = (o: { nowHours: number; events?: RiskEvent[]; pickupDueAt?: Date | null }) =>
    evaluateRisk(
      input({ status: 'booked', pickedUpAt: null, bookedAt: at(0), pickupDueAt: at(24), ...o }),
    ).filter((f) => f.rule === 'pickup_not_made');

  it('nothing within the first hours of booking', () => {
    expect(booked({ nowHours: 5, events: [ev(0, 'pickup_requested')] })).toEqual([]);
  });

  it('a pickup-failure scan, with the courier’s words', () => {
    const failed = ev(6, 'exception', { reason: 'pickup_failed', rawText: 'Gagal pickup: toko tutup' });
    expect(booked({ nowHours: 7, events: [ev(0, 'pickup_requested'), failed] })[0]).toMatchObject({
      severity: 'medium',
      reason: 'pickup_failed',
      suggestedAction: 'wait',
      causeAt: at(6),
      message:
        'J&T Express reported a failed pickup at 2026-11-02 14:00 WIB (courier\'s note: "Gagal pickup: toko tutup").',
      messageIndonesian:
        'J&T Express melaporkan pickup gagal pada 2 Nov 2026 14.00 WIB (catatan kurir: "Gagal pickup: toko tutup").',
    });
  });

  it('no pickup scan within 24 hours of booking, then past the pickup deadline (high)', () => {
    expect(booked({ nowHours: 24, pickupDueAt: at(30) })[0]).toMatchObject({
      severity: 'medium',
      causeAt: null,
      messageIndonesian:
        'J&T Express belum memindai paket sebagai sudah diambil dalam 24 jam sejak pemesanan.',
    });
    expect(booked({ nowHours: 30, pickupDueAt: at(30) })[0]).toMatchObject({
      severity: 'high',
      message:
        'J&T Express did not pick the parcel up by 2026-11-03 14:00 WIB; Kirim re-books it with the next-best courier.',
      messageIndonesian:
        'J&T Express tidak mengambil paket sampai 3 Nov 2026 14.00 WIB; Kirim memesan ulang ke kurir terbaik berikutnya.',
    });
  });

  it('a pickup booked for a later day is waited on until that day’s window has run, not 24 hours from booking', () => {
    // Booked at hour 0 for a pickup day starting at hour 72: its deadline is hour 96.
    const scheduled = (nowHours: number) =>
      evaluateRisk(
        input({
          status: 'booked',
          pickedUpAt: null,
          bookedAt: at(0),
          pickupFrom: at(72),
          pickupDueAt: at(96),
          nowHours,
        }),
      ).filter((f) => f.rule === 'pickup_not_made');
    expect(scheduled(24)).toEqual([]);
    expect(scheduled(90)).toEqual([]);
    expect(scheduled(96)).toEqual([expect.objectContaining({ severity: 'high' })]);
  });

  it('past the deadline of a service the seller pinned: no other courier is promised, the seller is asked to book again', () => {
    const pinned = evaluateRisk(
      input({
        status: 'booked',
        pickedUpAt: null,
        bookedAt: at(0),
        pickupDueAt: at(24),
        nowHours: 24,
        pinned: true,
      }),
    ).filter((f) => f.rule === 'pickup_not_made');
    expect(pinned).toEqual([
      expect.objectContaining({
        severity: 'high',
        suggestedAction: 'rebook',
        message:
          'J&T Express did not pick the parcel up by 2026-11-03 08:00 WIB; you pinned this courier service, so Kirim cancels the booking and books no other courier: request the pickup again, or cancel the shipment and create it with another courier.',
        messageIndonesian:
          'J&T Express tidak mengambil paket sampai 3 Nov 2026 08.00 WIB; Anda memilih layanan kurir ini, jadi Kirim membatalkan pemesanan tanpa memesan kurir lain: minta pickup lagi, atau batalkan pengiriman dan buat ulang dengan kurir lain.',
      }),
    ]);
    // Before the deadline a pinned pickup is waited on like any other.
    const early = evaluateRisk(
      input({
        status: 'booked',
        pickedUpAt: null,
        bookedAt: at(0),
        pickupDueAt: at(30),
        nowHours: 24,
        pinned: true,
      }),
    ).filter((f) => f.rule === 'pickup_not_made');
    expect(early).toEqual([expect.objectContaining({ severity: 'medium', suggestedAction: 'wait' })]);
  });

  it('closes once the parcel is picked up', () => {
    const found = evaluateRisk(
      input({ status: 'picked_up', events: [ev(0, 'pickup_requested'), ev(30, 'picked_up')], nowHours: 31 }),
    );
    expect(rules(found)).not.toContain('pickup_not_made');
  });
});

describe('risky recipients, before pickup only', () => {
  const risky = (o: Partial<Parameters<typeof input>[0]>) =>
    evaluateRisk(input({ status: 'booked', nowHours: 1, bookedAt: at(0), pickedUpAt: null, ...o })).filter(
      (f) => f.rule === 'risky_recipient',
    );

  it('flags a COD recipient whose parcels mostly failed, high from 75 %', () => {
    expect(risky({ recipient: { outcomes: 4, failures: 3 } })[0]).toEqual({
      rule: 'risky_recipient',
      version: RULE_VERSIONS.risky_recipient,
      severity: 'high',
      reason: 'risky_recipient',
      message:
        "3 of this recipient's 4 earlier parcels failed or came back; confirm the order with the buyer before pickup.",
      messageIndonesian:
        '3 dari 4 paket sebelumnya untuk penerima ini gagal atau kembali; konfirmasi pesanan dengan pembeli sebelum pickup.',
      suggestedAction: 'contact',
      causeAt: null,
    });
    expect(risky({ recipient: { outcomes: 2, failures: 1 } })[0].severity).toBe('medium');
    expect(risky({ status: 'ready', bookedAt: null, recipient: { outcomes: 2, failures: 1 } })).toHaveLength(
      1,
    );
  });

  it('not for thin or good history, prepaid parcels, or once the courier has the parcel', () => {
    expect(risky({ recipient: { outcomes: 1, failures: 1 } })).toEqual([]);
    expect(risky({ recipient: { outcomes: 3, failures: 1 } })).toEqual([]);
    expect(risky({ recipient: null })).toEqual([]);
    expect(risky({ recipient: { outcomes: 4, failures: 4 }, codAmount: 0 })).toEqual([]);
    expect(
      risky({ status: 'in_transit', events: [ev(0, 'picked_up')], recipient: { outcomes: 4, failures: 4 } }),
    ).toEqual([]);
  });
});

describe('terminal shipments', () => {
  it.each([...TERMINAL].filter((s) => s !== 'delivered'))(
    '%s: no findings, whatever the events say',
    (status) => {
      const events = [
        ...journey(),
        ev(52, 'delivery_failed', { reason: 'consignee_refused' }),
        ev(53, 'exception', { reason: 'held_at_hub' }),
      ];
      expect(
        evaluateRisk(
          input({
            status,
            events,
            nowHours: 500,
            lane: { p90TransitDays: 1, promisedMaxDays: 1 },
            recipient: { outcomes: 5, failures: 5 },
          }),
        ),
      ).toEqual([]);
    },
  );
});

describe('delivery_contradicted', () => {
  const delivered = (events: RiskEvent[], codAmount?: number) =>
    evaluateRisk(
      input({
        status: 'delivered',
        events: [...journey(), ev(50, 'delivered'), ...events],
        nowHours: 500,
        codAmount,
        lane: { p90TransitDays: 1, promisedMaxDays: 1 },
        recipient: { outcomes: 5, failures: 5 },
      }),
    );

  it('a delivery its courier took back: high, the COD cash named, caused by the line that took it back', () => {
    const returned = ev(70, 'returned', { rawText: 'RETURN DELIVERED TO [SHIPPER]' });
    const found = delivered([ev(60, 'returning_to_sender', { reason: 'consignee_refused' }), returned]);
    expect(rules(found)).toEqual(['delivery_contradicted']);
    expect(found[0]).toMatchObject({
      severity: 'high',
      reason: 'consignee_refused',
      suggestedAction: 'contact',
      causeAt: at(60),
    });
    expect(found[0].message).toBe(
      'J&T Express reported the parcel delivered at 2026-11-04 10:00 WIB, then at 2026-11-04 20:00 WIB that it was ' +
        'not: the COD cash credited on the delivery may not be remitted. Ask the courier which is true.',
    );
    expect(found[0].messageIndonesian).toMatch(
      /^J&T Express melaporkan paket terkirim pada .+, lalu pada .+ bahwa paket tidak terkirim: uang COD/,
    );
    // A failed attempt after it says the same; a prepaid parcel has no cash to name.
    expect(rules(delivered([ev(55, 'delivery_failed', { reason: 'consignee_absent' })], 0))).toEqual([
      'delivery_contradicted',
    ]);
    expect(delivered([ev(55, 'delivery_failed')], 0)[0].message).not.toMatch(/COD/);
  });

  it('a COD delivery is not cleared by a later one saying no cash was taken, and one saying so takes the cash back', () => {
    const noCash = (h: number) => ({ ...ev(h, 'delivered'), codCollected: false }) as RiskEvent;
    // Taken back, then delivered without the cash: still contradicted, by the line that took it back.
    const after = delivered([ev(60, 'returning_to_sender'), noCash(80)]);
    expect(after).toEqual([expect.objectContaining({ rule: 'delivery_contradicted', causeAt: at(60) })]);
    // The courier correcting its delivery to "cash not collected": the cash credited is taken back.
    const corrected = delivered([noCash(60)]);
    expect(corrected).toEqual([expect.objectContaining({ rule: 'delivery_contradicted', causeAt: at(60) })]);
    expect(corrected[0].message).toBe(
      'J&T Express reported the parcel delivered with its COD cash at 2026-11-04 10:00 WIB, then at ' +
        '2026-11-04 20:00 WIB that the cash was not collected: the COD cash credited on the delivery may not be ' +
        'remitted. Ask the courier which is true.',
    );
    // Delivered again with the cash: cleared. A prepaid parcel's deliveries carry no cash to take back.
    expect(delivered([noCash(60), ev(80, 'delivered')])).toEqual([]);
    expect(delivered([noCash(60)], 0)).toEqual([]);
  });

  it('nothing for a delivery left standing: later scans that take nothing back, or a second delivery after', () => {
    expect(delivered([])).toEqual([]);
    expect(delivered([ev(60, 'in_transit'), ev(61, null)])).toEqual([]);
    // Delivered again after a failed attempt: the last word is a delivery.
    expect(delivered([ev(60, 'delivery_failed', { reason: 'rts_initiated' }), ev(80, 'delivered')])).toEqual(
      [],
    );
    // A return-leg line of the same instant as the delivery is not after it.
    expect(delivered([ev(50, 'returning_to_sender')])).toEqual([]);
    // SAP's lines say their leg: a delivery after the return began is the buyer's, the return called off.
    const sap = input({
      status: 'delivered',
      events: [...journey(), ev(50, 'delivered'), ev(60, 'returning_to_sender'), ev(80, 'delivered')],
      nowHours: 500,
    });
    expect(
      evaluateRisk({ ...sap, shipment: { ...sap.shipment, courier: 'sap', courierName: 'SAP' } }),
    ).toEqual([]);
  });

  it('a delivery after the return began, from a courier that may end a return with its delivery code: its end', () => {
    // Delivered, taken back, then the return's end read alone as a delivery: still taken back.
    const again = delivered([
      ev(60, 'returning_to_sender', { reason: 'consignee_refused' }),
      ev(80, 'delivered'),
    ]);
    expect(again).toEqual([expect.objectContaining({ rule: 'delivery_contradicted', causeAt: at(60) })]);
    // The return's lines lost before a delivery pushed alone, then polled: the delivery came after them.
    const pushedAlone = evaluateRisk(
      input({
        status: 'delivered',
        events: [
          ...journey(),
          ev(52, 'delivery_failed', { reason: 'consignee_refused' }),
          ev(60, 'returning_to_sender', { reason: 'consignee_refused' }),
          ev(80, 'delivered'),
        ],
        nowHours: 500,
      }),
    );
    expect(pushedAlone).toEqual([
      expect.objectContaining({
        rule: 'delivery_contradicted',
        severity: 'high',
        reason: 'consignee_refused',
      }),
    ]);
    expect(pushedAlone[0]).toMatchObject({ causeAt: at(60), suggestedAction: 'contact' });
    expect(pushedAlone[0].message).toBe(
      'J&T Express reported the parcel delivered at 2026-11-05 16:00 WIB, but its lines say the parcel was on its ' +
        "way back to you from 2026-11-04 20:00 WIB: that was probably the return's end, not the buyer's delivery, " +
        'and the COD cash credited on the delivery may not be remitted. Ask the courier which is true.',
    );
    expect(pushedAlone[0].messageIndonesian).toMatch(
      /^J&T Express melaporkan paket terkirim pada .+ akhir retur/,
    );
    // Nothing at stake, nothing to settle: a prepaid parcel, or a delivery the courier says took no cash.
    const returnThenDelivery = [...journey(), ev(60, 'returning_to_sender'), ev(80, 'delivered')];
    expect(
      evaluateRisk(input({ status: 'delivered', events: returnThenDelivery, nowHours: 500, codAmount: 0 })),
    ).toEqual([]);
    const noCash = [
      ...journey(),
      ev(60, 'returning_to_sender'),
      ev(80, 'delivered', { codCollected: false }),
    ];
    expect(evaluateRisk(input({ status: 'delivered', events: noCash, nowHours: 500 }))).toEqual([]);
    // Delivered with nothing of a return among its lines: nothing.
    expect(evaluateRisk(input({ status: 'delivered', events: journey(), nowHours: 500 }))).toEqual([]);
  });
});

describe('rebooked_parcel_scanned', () => {
  /** A JNE booking cancelled when JNE missed the pickup (its pickup requested, then the cancel confirmed). */
  const jne = (events: RiskEvent[], awb = 'JNE123'): EarlierBooking => ({
    courier: 'jne',
    courierName: 'JNE',
    awb,
    events: [ev(-30, 'pickup_requested'), ev(-5, 'cancelled'), ...events],
  });
  /** Re-booked with J&T Express, not picked up yet. */
  const rebooked = (earlierBookings: EarlierBooking[], status: ShipmentStatus = 'booked') =>
    evaluateRisk(input({ status, events: [], nowHours: 6, pickedUpAt: null, earlierBookings }));

  it('the courier of an earlier booking has the parcel: high, naming it, its bill, its latest scan and the courier booked now; caused by the first scan', () => {
    const found = rebooked([jne([ev(1, 'picked_up'), ev(3, 'in_transit', { rawText: 'TIBA DI HUB' })])]);
    expect(found).toEqual([
      {
        rule: 'rebooked_parcel_scanned',
        version: RULE_VERSIONS.rebooked_parcel_scanned,
        severity: 'high',
        reason: 'rebooked_parcel_scanned',
        message:
          'JNE scanned the parcel under its earlier airway bill JNE123 (in transit) at 2026-11-02 11:00 WIB, after ' +
          'Kirim re-booked it with J&T Express: the parcel may be with JNE. Ask JNE and J&T Express which one has ' +
          'it, so it is not shipped twice.',
        messageIndonesian:
          'JNE memindai paket dengan resi lamanya JNE123 (dalam perjalanan) pada 2 Nov 2026 11.00 WIB, setelah ' +
          'Kirim memesan ulang ke J&T Express: paket mungkin ada di JNE. Tanyakan kepada JNE dan J&T Express ' +
          'siapa yang membawanya, agar paket tidak dikirim dua kali.',
        suggestedAction: 'contact',
        causeAt: at(1),
      },
    ]);
    // Delivered by it, on its way back, or scanned with a problem: the courier has, or had, the parcel.
    for (const status of [
      'delivered',
      'returning_to_sender',
      'returned',
      'exception',
      'delivery_failed',
    ] as const)
      expect(rules(rebooked([jne([ev(2, status)])]))).toEqual(['rebooked_parcel_scanned']);
  });

  it('nothing for an earlier courier confirming its cancellation, reporting a failed pickup, or a line without a status', () => {
    expect(
      rebooked([
        jne([
          ev(1, 'cancelled'),
          ev(2, 'exception', { reason: 'pickup_failed' }),
          ev(3, 'pickup_requested', { reason: 'pickup_failed' }),
          ev(4, null),
        ]),
      ]),
    ).toEqual([]);
    expect(rebooked([])).toEqual([]);
    // A handover scan after them is what it takes.
    const late = rebooked([
      jne([ev(1, 'cancelled'), ev(2, 'exception', { reason: 'pickup_failed' }), ev(3, 'picked_up')]),
    ]);
    expect([rules(late), late[0].causeAt]).toEqual([['rebooked_parcel_scanned'], at(3)]);
  });

  it('says how the shipment is booked now: being booked again, or with the same courier under a new bill', () => {
    const scanned = [jne([ev(1, 'picked_up')])];
    for (const status of ['booking', 'booking_failed', 'ready'] as const) {
      const [f] = rebooked(scanned, status);
      expect(f.message).toContain('after Kirim cancelled that booking to book another courier');
      expect(f.message).not.toContain('J&T');
      expect(f.messageIndonesian).toContain('membatalkan pemesanan itu');
    }
    const sameCourier = rebooked([
      { ...jne([ev(1, 'picked_up')]), courier: 'jnt', courierName: 'J&T Express' },
    ]);
    expect(sameCourier[0].message).toContain(
      'after Kirim re-booked it with J&T Express under a new airway bill: ask J&T Express which bill carries it',
    );
  });

  it('several earlier bills: the latest scan is said, caused by its own bill’s first scan', () => {
    const found = rebooked([
      jne([ev(1, 'picked_up'), ev(2, 'in_transit')]),
      {
        ...jne([ev(3, 'picked_up'), ev(4, 'delivered')], 'SAP9'),
        courier: 'sap',
        courierName: 'SAP Express',
      },
    ]);
    expect(found[0].message).toMatch(
      /^SAP Express scanned the parcel under its earlier airway bill SAP9 \(delivered\)/,
    );
    expect(found[0].causeAt).toEqual(at(3));
  });

  it('stays while the shipment travels; an ended one, delivered too, has none', () => {
    const scanned = [jne([ev(1, 'picked_up')])];
    for (const status of [
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
      'returning',
    ] as const)
      expect(rules(rebooked(scanned, status))).toContain('rebooked_parcel_scanned');
    for (const status of TERMINAL) expect(rebooked(scanned, status)).toEqual([]);
  });

  it('asked alone, the other rules say nothing', () => {
    const i = input({
      status: 'booked',
      nowHours: 100,
      pickedUpAt: null,
      earlierBookings: [jne([ev(1, 'picked_up')])],
    });
    expect(rules(evaluateRisk(i))).toEqual(['pickup_not_made', 'rebooked_parcel_scanned']);
    expect(rules(evaluateRisk(i, ['rebooked_parcel_scanned']))).toEqual(['rebooked_parcel_scanned']);
    expect(evaluateRisk(i, [])).toEqual([]);
  });
});

describe('deliveryWithCashAfterAll', () => {
  let n = 0;
  const stored = (
    hours: number,
    status: StoredEvent['status'],
    extra: Partial<StoredEvent> = {},
  ): StoredEvent => ({
    id: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`,
    status,
    reason: null,
    rawCode: `${status ?? 'NOTE'}-${hours}`,
    rawText: '',
    occurredAt: at(hours),
    location: null,
    isReturnLeg: false,
    codCollected: null,
    ...extra,
  });
  const delivered = stored(50, 'delivered');
  /** As SAP's lines are read: each says its leg, so a delivery after the return began is the buyer's. */
  const afterAll_ = (events: StoredEvent[]) => deliveryWithCashAfterAll(events, { deliveryEndsReturn: true });

  it('the first delivery, with the cash, after the last line that took a delivery back', () => {
    const again = stored(80, 'delivered');
    expect(afterAll_([delivered, stored(60, 'delivery_failed'), again, stored(90, 'delivered')])).toBe(again);
    // Taken back twice: only a delivery after the second counts.
    const last = stored(95, 'delivered', { codCollected: true });
    expect(
      afterAll_([
        delivered,
        stored(60, 'returning_to_sender'),
        stored(70, 'delivered'),
        stored(75, 'returned', { isReturnLeg: true }),
        last,
      ]),
    ).toBe(last);
  });

  it('the first delivery with the cash after a delivery without it, taken back in between or not', () => {
    const noCash = stored(50, 'delivered', { codCollected: false });
    const withCash = stored(70, 'delivered', { codCollected: true });
    expect(afterAll_([noCash, withCash])).toBe(withCash);
    // The courier saying "no cash" again after it: only a later line with the cash counts.
    const last = stored(90, 'delivered');
    expect(afterAll_([noCash, withCash, stored(80, 'delivered', { codCollected: false }), last])).toBe(last);
    // A line with the cash dated at or before the one without it came late, or repeats: no cash after all.
    expect(afterAll_([noCash, stored(50, 'delivered', { codCollected: true })])).toBeNull();
    expect(afterAll_([stored(40, 'delivered'), noCash])).toBeNull();
  });

  it('none without a denial, before it, on the return leg, at its instant or without the cash', () => {
    expect(afterAll_([delivered, stored(90, 'delivered')])).toBeNull();
    // A failure before the first delivery takes nothing back.
    expect(afterAll_([stored(40, 'delivery_failed'), delivered])).toBeNull();
    // A delivery line dated before the taking back (arrived late, or repeated) is no delivery again.
    expect(afterAll_([delivered, stored(55, 'delivered'), stored(60, 'returned')])).toBeNull();
    expect(
      afterAll_([delivered, stored(60, 'returned'), stored(80, 'delivered', { isReturnLeg: true })]),
    ).toBeNull();
    expect(afterAll_([delivered, stored(60, 'delivery_failed'), stored(60, 'delivered')])).toBeNull();
    expect(
      afterAll_([delivered, stored(60, 'delivery_failed'), stored(80, 'delivered', { codCollected: false })]),
    ).toBeNull();
  });

  it('none after the return began where a delivery may be the return’s end (J&T, JNE, ID Express, Ninja)', () => {
    const jnt = (events: StoredEvent[]) => deliveryWithCashAfterAll(events, { deliveryEndsReturn: false });
    const returning = stored(60, 'returning_to_sender');
    expect(jnt([delivered, returning, stored(80, 'delivered')])).toBeNull();
    expect(jnt([delivered, stored(60, 'delivery_failed'), returning, stored(80, 'delivered')])).toBeNull();
    // Read by SAP's rule, the same lines bring the cash.
    expect(afterAll_([delivered, returning, stored(80, 'delivered')])).toMatchObject({ occurredAt: at(80) });
    // Taken back by a failed attempt alone, delivered again: the cash after all, whoever the courier.
    const again = stored(80, 'delivered');
    expect(jnt([delivered, stored(60, 'delivery_failed'), again])).toBe(again);
  });

  it('the same answer whatever order the lines came in', () => {
    const statuses = [
      'delivered',
      'delivery_failed',
      'returned',
      'returning_to_sender',
      'in_transit',
    ] as const;
    const line = fc.record({
      hours: fc.integer({ min: 0, max: 20 }),
      status: fc.constantFrom(...statuses),
      returnLeg: fc.boolean(),
      cash: fc.constantFrom(null, true, false),
    });
    const histories = fc
      .array(line, { maxLength: 8 })
      .map((lines) =>
        lines.map((l) => stored(l.hours, l.status, { isReturnLeg: l.returnLeg, codCollected: l.cash })),
      )
      .chain((events) =>
        fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
      );
    fc.assert(
      fc.property(histories, ([events, shuffled]) => {
        for (const deliveryEndsReturn of [true, false])
          expect(deliveryWithCashAfterAll(shuffled, { deliveryEndsReturn })).toBe(
            deliveryWithCashAfterAll(events, { deliveryEndsReturn }),
          );
      }),
    );
  });
});

describe('courier words in messages', () => {
  it('are one line without control or format characters, and bounded', () => {
    const rawText = `PENERIMA\u0000 TIDAK\n\u202eDI TEMPAT ${'x'.repeat(500)}`;
    const events = [...journey(), ev(52, 'delivery_failed', { reason: 'consignee_absent', rawText })];
    const f = only(
      evaluateRisk(input({ status: 'delivery_failed', events, nowHours: 53 })),
      'failed_attempt',
    );
    expect(f.message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(f.message).toContain('"PENERIMA TIDAK DI TEMPAT xxx');
    expect(f.message.length).toBeLessThan(200);
  });
});

// ---- properties ----

const PROVINCES = ['Jawa Barat', 'DKI Jakarta', 'Papua', 'Sulawesi Selatan', 'Bali', 'Atlantis'];
const eventArb: fc.Arbitrary<RiskEvent> = fc.record({
  status: fc.constantFrom(...COURIER_STATUSES, null),
  reason: fc.option(fc.constantFrom(...COURIER_REASONS), { nil: undefined }),
  rawCode: fc.constantFrom('100', '150', '152', 'U01', 'D01', 'X'),
  rawText: fc.string({ maxLength: 30 }),
  occurredAt: fc.integer({ min: 0, max: 20 * 24 }).map(at),
  // A hub's name as couriers send it, and as a hostile or broken one might: lines, direction overrides, length.
  location: fc.option(
    fc.constantFrom('Bandung', 'Surabaya Hub', 'Hub\nJakarta\u202e', `Gudang ${'Sortir '.repeat(80)}`),
    { nil: undefined },
  ),
  isReturnLeg: fc.boolean(),
});
const maybeAt = fc.option(fc.integer({ min: -48, max: 20 * 24 }).map(at), { nil: null });
const inputArb: fc.Arbitrary<RiskInput> = fc
  .record({
    status: fc.constantFrom(...SHIPMENT_STATUSES),
    events: fc.array(eventArb, { maxLength: 12 }),
    after: fc.integer({ min: 0, max: 10 * 24 }),
    province: fc.constantFrom(...PROVINCES),
    codAmount: fc.constantFrom(0, 150_000),
    bookedAt: maybeAt,
    pickupDueAt: maybeAt,
    pickedUpAt: maybeAt,
    lane: fc.record({
      p90TransitDays: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
      promisedMaxDays: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    }),
    recipient: fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))
        .map(([a, b]) => ({ outcomes: Math.max(a, b), failures: Math.min(a, b) })),
      { nil: null },
    ),
    // An earlier booking's bill, and what its courier sent for it.
    earlier: fc.option(fc.array(eventArb, { maxLength: 4 }), { nil: undefined }),
  })
  .map(({ earlier, ...r }) => {
    const last = Math.max(
      0,
      ...[...r.events, ...(earlier ?? [])].map((e) => (e.occurredAt.getTime() - T0) / HOUR),
    );
    return input({
      ...r,
      nowHours: last + r.after,
      ...(earlier
        ? { earlierBookings: [{ courier: 'jne', courierName: 'JNE', awb: 'JNE0001', events: earlier }] }
        : {}),
    });
  });

/** The events a rule's cause is among: an earlier booking's for the rebooked rule, else the current one's. */
const causePool = (i: RiskInput, rule: RiskFinding['rule']): RiskEvent[] =>
  rule === 'rebooked_parcel_scanned' ? (i.earlierBookings ?? []).flatMap((b) => b.events) : i.events;

/** Which stored event can be a finding's cause, per event-caused rule. */
const CAUSE_OF: Record<string, (e: RiskEvent, f: RiskFinding) => boolean> = {
  failed_attempt: (e, f) => e.status === 'delivery_failed' && (e.reason ?? 'attempt_failed') === f.reason,
  return_started: (e) => e.status === 'returning_to_sender' || e.reason === 'rts_initiated' || e.isReturnLeg,
  held_or_misrouted: (e, f) => e.reason === f.reason,
  pickup_not_made: (e) => e.reason === 'pickup_failed',
  delivery_contradicted: (e) =>
    (e.status === 'delivered' && e.codCollected === false) ||
    e.status === 'returning_to_sender' ||
    e.status === 'returned' ||
    e.status === 'delivery_failed' ||
    e.reason === 'rts_initiated' ||
    e.isReturnLeg,
  rebooked_parcel_scanned: (e) => isHandover(e),
};

describe('properties', () => {
  it('run on inputs that reach every rule, with and without a cause event', () => {
    const seen = new Set<string>();
    for (const i of fc.sample(inputArb, { numRuns: 3000, seed: 9 }))
      for (const f of evaluateRisk(i)) seen.add(`${f.rule}:${f.causeAt ? 'event' : 'time'}`);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'delivery_contradicted:event',
        'failed_attempt:event',
        'held_or_misrouted:event',
        'late_vs_lane:time',
        'pickup_not_made:event',
        'pickup_not_made:time',
        'rebooked_parcel_scanned:event',
        'return_started:event',
        'risky_recipient:time',
        'stale_no_scan:time',
      ]),
    );
  });

  it('a returned, cancelled or lost shipment has no findings; a delivered one at most its delivery taken back', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...TERMINAL), (i, status) => {
        const found = evaluateRisk({ ...i, shipment: { ...i.shipment, status } });
        if (status === 'delivered')
          expect(rules(found).every((r) => r === 'delivery_contradicted')).toBe(true);
        else expect(found).toEqual([]);
      }),
    );
  });

  it('is deterministic, whatever order the events arrive in', () => {
    fc.assert(
      fc.property(inputArb, fc.infiniteStream(fc.nat()), (i, seeds) => {
        const first = evaluateRisk(i);
        expect(evaluateRisk(structuredClone(i))).toEqual(first);
        const shuffled = i.events
          .map((e) => ({ e, k: seeds.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map(({ e }) => e);
        expect(evaluateRisk({ ...i, events: shuffled })).toEqual(first);
      }),
    );
  });

  it('answers well-formed findings: one per rule, in rule order, current versions, one-line messages', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const found = evaluateRisk(i);
        const order = found.map((f) => RISK_RULES.indexOf(f.rule));
        expect(order).toEqual([...new Set(order)].sort((a, b) => a - b));
        for (const f of found) {
          expect(f.version).toBe(RULE_VERSIONS[f.rule]);
          expect(SEVERITIES).toContain(f.severity);
          expect(SUGGESTED_ACTIONS).toContain(f.suggestedAction);
          expect(f.message).toMatch(/^\S.*\.$/);
          expect(f.message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
          // The Indonesian twin: one line too, and no English sentence left in it (courier words aside).
          const own = f.messageIndonesian.replace(/\(catatan kurir: ".*"\)/u, '');
          expect(f.messageIndonesian).toMatch(/^\S.*\.$/);
          expect(f.messageIndonesian).not.toMatch(/[\p{Cc}\p{Cf}]/u);
          expect(own).not.toMatch(/\b(the|parcel|courier|since|was|has|attempt|hours|days)\b/i);
          // Every reason said in words, in both: no code (`consignee_absent`) left in either.
          for (const m of [f.message, f.messageIndonesian])
            expect(m.replace(/\(\S+ note: ".*"\)|\(catatan kurir: ".*"\)/u, '')).not.toMatch(/_/);
          // A location is bounded too.
          expect(f.messageIndonesian.length).toBeLessThan(400);
          if (f.causeAt)
            expect(causePool(i, f.rule).map((e) => e.occurredAt.getTime())).toContain(f.causeAt.getTime());
        }
      }),
    );
  });

  it('adding a later event of the same kind as a finding’s cause never loses the finding or moves its cause back', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 120 }), (i, minutes) => {
        for (const f of evaluateRisk(i)) {
          if (!f.causeAt) continue;
          const pool = causePool(i, f.rule);
          const cause = pool.find(
            (e) => e.occurredAt.getTime() === f.causeAt!.getTime() && CAUSE_OF[f.rule](e, f),
          );
          expect(cause).toBeDefined();
          const latest = Math.max(...pool.map((e) => e.occurredAt.getTime()));
          const again = { ...cause!, occurredAt: new Date(latest + minutes * 60_000) };
          const now = new Date(Math.max(i.now.getTime(), again.occurredAt.getTime()));
          const after = evaluateRisk(
            f.rule === 'rebooked_parcel_scanned'
              ? {
                  ...i,
                  now,
                  earlierBookings: i.earlierBookings!.map((b) => ({ ...b, events: [...b.events, again] })),
                }
              : { ...i, now, events: [...i.events, again] },
          );
          const same = after.find((g) => g.rule === f.rule);
          expect(same).toBeDefined();
          expect(same!.causeAt!.getTime()).toBeGreaterThanOrEqual(f.causeAt.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });
});

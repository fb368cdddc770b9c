import supertest from 'supertest';
import { Accounts } from 'src/ledger/ledger-accounts';
import { Transactions } from 'src/database/transaction';
import { LedgerService } from 'src/ledger/ledger.service';
import { RemittancesRepository } from 'src/remittances/remittances.repository';
import { RemittancesService } from 'src/remittances/remittances.service';
import { endPinned, EndedShipment } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { wibDate } from 'src/common/wib';

type Auth = { id?: string; auth: { authorization: string } };
interface Line {
  awb: string;
  row: number;
  amount: number;
  outcome: string;
  reason: string | null;
  shipmentId: string | null;
  expectedAmount: number | null;
}

const JNE = PINNED.find((p) => p.code === 'jne')!;
const JNT = PINNED.find((p) => p.code === 'jnt')!;
const MAX_REPORT_BYTES = 64 * 1024;

describe('courier remittance: reports settle COD receivables once; what does not match is listed', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;
  let finance: Auth;
  let admin: Auth;
  let ledger: LedgerService;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, {
      configure: (c) => {
        c.business.money.remittance.maxReportBytes = MAX_REPORT_BYTES;
      },
    });
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
    finance = await createOperator(t, http, 'finance');
    admin = await createOperator(t, http, 'admin');
    ledger = t.app.get(LedgerService);
  });
  afterAll(() => t.close());
  // Whatever a test did (upload, late match, void, a duplicate settling anew), each shipment says it was
  // remitted exactly when a line of a report not voided settles it: the overdue list reads only that.
  afterEach(async () => {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM shipments s
        WHERE s.cod_remitted <> EXISTS (
          SELECT 1 FROM remittance_lines l WHERE l.shipment_id = s.id AND l.outcome = 'matched' AND NOT l.voided)`,
    );
    expect(n).toBe(0);
  });

  const balance = async (code: string) => {
    const kind = code.startsWith('platform:courier_cod_receivable')
      ? 'courier_cod_receivable'
      : (code.split(':')[1] as 'bank');
    return (await ledger.balances([{ code, kind, sellerId: null }])).get(code)!;
  };
  /**
   * A day of the test clock in Jakarta, `YYYY-MM-DD` or as JNE writes it (`DD/MM/YYYY`): a report's lines are
   * dated on or before the day it is uploaded.
   */
  const today = (style: 'iso' | 'dmy' = 'iso', offsetDays = 0) => {
    const ymd = wibDate(new Date(t.clock.now().getTime() + offsetDays * 86_400_000));
    return style === 'iso' ? ymd : ymd.split('-').reverse().join('/');
  };
  const receivable = (courier: string) => balance(Accounts.courierCodReceivable(courier).code);
  const upload = (courier: string, csv: string, auth: Auth = finance) =>
    http
      .post(`/v1/finance/remittances?courier=${courier}`)
      .set(auth.auth)
      .set('content-type', 'text/csv')
      .send(csv);
  const sandboxReport = (courier: string, from: Date, to: Date, discrepancies?: string) =>
    http
      .get(`/sandbox/couriers/${courier}/remittance`)
      .query({ from: from.toISOString(), to: to.toISOString(), ...(discrepancies ? { discrepancies } : {}) })
      .set(admin.auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => done(null, text));
      });
  const reconciliation = async (query: Record<string, string | number> = {}) =>
    (await http.get('/v1/finance/reconciliation').query(query).set(finance.auth).expect(200)).body as {
      unmatched: Line[];
      amountMismatches: Line[];
      duplicates: Line[];
      notRemitted: { shipmentId: string; awb: string; codAmount: number; daysSinceDelivery: number }[];
      notRemittedCursor: string | null;
      totals: Record<string, { count: number; amount: number }>;
      receivable: Record<string, number>;
      suspense: number;
    };
  const settledLines = async (shipmentIds: string[]) =>
    (
      await t.dataSource.query<{ shipment_id: string; n: number }[]>(
        `SELECT shipment_id, count(*)::int AS n FROM remittance_lines
          WHERE outcome = 'matched' AND shipment_id = ANY($1::uuid[]) GROUP BY shipment_id`,
        [shipmentIds],
      )
    ).reduce((m, r) => m.set(r.shipment_id, r.n), new Map<string, number>());
  /**
   * The overdue parcels and their totals as read from the lines themselves (as the list was before shipments
   * kept whether each was remitted): delivered COD parcels of the courier ended before the cutoff, oldest
   * first, that no line of a report not voided settled.
   */
  const overdueFromLines = async (courier: string, overdueDays: number) => {
    const rows = await t.dataSource.query<{ id: string; cod_amount: string }[]>(
      `SELECT s.id, s.cod_amount FROM shipments s
        WHERE s.status = 'delivered' AND s.cod_collected AND s.courier = $1 AND s.ended_at < $2
          AND NOT EXISTS (SELECT 1 FROM remittance_lines l
                           WHERE l.shipment_id = s.id AND l.outcome = 'matched' AND NOT l.voided)
        ORDER BY s.ended_at, s.id`,
      [courier, new Date(t.clock.now().getTime() - overdueDays * 86_400_000)],
    );
    return {
      ids: rows.map((r) => r.id),
      totals: { count: rows.length, amount: rows.reduce((a, r) => a + Number(r.cod_amount), 0) },
    };
  };
  const remittanceCount = async () =>
    (await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM remittances'))[0].n;

  let delivered: EndedShipment[];
  let report: string;

  it('a report with a missing AWB, a wrong amount and a duplicate line: each listed, nothing double-settled', async () => {
    const from = t.clock.now();
    delivered = await endPinned(t, http, seller, origin, [JNE, JNE, JNE, JNE], {
      overrides: { codAmount: 175_000 },
    });
    const to = new Date(t.clock.now().getTime() + 3600_000);
    const owed = await receivable('jne');
    expect(owed).toBe(4 * 175_000);

    const res = await sandboxReport('jne', from, to, 'true').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    report = res.body as string;
    expect(report.split('\r\n')[0]).toBe('CNOTE_NO;COD_AMOUNT;TGL_SETOR');
    const said = Object.fromEntries(
      String(res.headers['x-sandbox-discrepancies'])
        .split(';')
        .map((kv) => kv.split('=') as [string, string]),
    );
    const awbs = delivered.map((d) => d.awb);
    expect(awbs).toEqual(expect.arrayContaining([said.missing, said.wrong_amount, said.duplicate]));
    expect(awbs).not.toContain(said.unknown);
    const untouched = awbs.find((a) => ![said.missing, said.wrong_amount, said.duplicate].includes(a))!;
    const idOf = (awb: string) => delivered.find((d) => d.awb === awb)!.id;

    const bankBefore = await balance('platform:bank');
    const suspenseBefore = await balance('platform:remittance_suspense');
    const created = (await upload('jne', report).expect(201)).body;
    const wrongAmount = report
      .split('\r\n')
      .find((l) => l.startsWith(said.wrong_amount))!
      .split(';')[1];
    const unknownAmount = Number(
      report
        .split('\r\n')
        .find((l) => l.startsWith(said.unknown))!
        .split(';')[1],
    );
    expect(created).toEqual(
      expect.objectContaining({
        courier: 'jne',
        uploadedBy: finance.id,
        lineCount: 5,
        matched: { count: 2, amount: 350_000 },
        amountMismatches: { count: 1, amount: Number(wrongAmount) },
        unmatched: { count: 1, amount: unknownAmount },
        duplicates: { count: 1, amount: 175_000 },
        totalAmount: 350_000 + Number(wrongAmount) + unknownAmount + 175_000,
      }),
    );

    // Matched cash settles the receivable; the rest waits in suspense; the bank got all of it.
    expect(await receivable('jne')).toBe(owed - 350_000);
    expect((await balance('platform:bank')) - bankBefore).toBe(created.totalAmount);
    expect((await balance('platform:remittance_suspense')) - suspenseBefore).toBe(
      created.totalAmount - 350_000,
    );

    const r = await reconciliation({ courier: 'jne', overdueDays: 0 });
    expect(r.unmatched).toEqual([
      expect.objectContaining({
        awb: said.unknown,
        reason: 'unknown_awb',
        shipmentId: null,
        amount: unknownAmount,
      }),
    ]);
    expect(r.amountMismatches).toEqual([
      expect.objectContaining({
        awb: said.wrong_amount,
        amount: Number(wrongAmount),
        expectedAmount: 175_000,
        shipmentId: idOf(said.wrong_amount),
      }),
    ]);
    expect(r.duplicates).toEqual([
      expect.objectContaining({ awb: said.duplicate, shipmentId: idOf(said.duplicate), amount: 175_000 }),
    ]);
    // Not remitted: the missing parcel and the mismatched one (its receivable is still open).
    expect(r.notRemitted.map((n) => n.awb).sort()).toEqual([said.missing, said.wrong_amount].sort());
    expect(r.notRemitted.every((n) => n.codAmount === 175_000 && n.daysSinceDelivery === 0)).toBe(true);
    expect(r.totals.notRemitted).toEqual({ count: 2, amount: 350_000 });
    expect(r.receivable).toEqual({ jne: owed - 350_000 });

    // Each parcel settled at most once: the duplicated one and the untouched one, once each.
    const settled = await settledLines(delivered.map((d) => d.id));
    expect(Object.fromEntries(settled)).toEqual({ [idOf(said.duplicate)]: 1, [idOf(untouched)]: 1 });
    expect((await ledger.verify()).ok).toBe(true);

    // The same file again settles nothing: refused, and the money stays where it is.
    const again = await upload('jne', report).expect(409);
    expect(again.body.code).toBe('REMITTANCE_ALREADY_UPLOADED');
    expect(again.body.message).toContain(created.id);
    // So is the same report saved again in other bytes: CRLF line ends, a BOM, commas and quotes for
    // semicolons. Its cash was counted into the bank a second time.
    const resaved = `\uFEFF${report
      .split(/\r?\n/)
      .filter(Boolean)
      .map((line) =>
        line
          .split(';')
          .map((cell) => `"${cell}"`)
          .join(','),
      )
      .join('\r\n')}\r\n`;
    expect(resaved).not.toBe(report);
    const resent = await upload('jne', resaved).expect(409);
    expect(resent.body.code).toBe('REMITTANCE_ALREADY_UPLOADED');
    expect(resent.body.message).toContain(created.id);
    // And the same report sorted otherwise (a spreadsheet's sort by amount): its lines are the report's.
    const [header, ...rows] = report.split(/\r?\n/).filter(Boolean);
    const resorted = [header, ...[...rows].reverse()].join('\n');
    expect(rows.length).toBeGreaterThan(1);
    const sorted = await upload('jne', resorted).expect(409);
    expect(sorted.body.message).toContain(created.id);
    expect(await receivable('jne')).toBe(owed - 350_000);
    expect((await balance('platform:bank')) - bankBefore).toBe(created.totalAmount);

    // A corrected report: the missing parcel and the right amount settle; the settled parcels are duplicates.
    const corrected = [
      'CNOTE_NO;COD_AMOUNT;TGL_SETOR',
      `${said.missing};175000;${today('dmy')}`,
      `${said.wrong_amount};175000;${today('dmy')}`,
      `${said.duplicate};175000;${today('dmy')}`,
      `${untouched};175000;${today('dmy')}`,
    ].join('\n');
    const second = (await upload('jne', corrected).expect(201)).body;
    expect(second.matched).toEqual({ count: 2, amount: 350_000 });
    expect(second.duplicates).toEqual({ count: 2, amount: 350_000 });
    expect(await receivable('jne')).toBe(owed - 700_000);
    expect([...(await settledLines(delivered.map((d) => d.id))).values()]).toEqual([1, 1, 1, 1]);
    const after = await reconciliation({ courier: 'jne', overdueDays: 0 });
    expect(after.notRemitted).toEqual([]);
    expect(after.totals.notRemitted).toEqual({ count: 0, amount: 0 });
    expect(after.totals.duplicates).toEqual({ count: 3, amount: 525_000 });
    expect(after.suspense).toBe(await balance('platform:remittance_suspense'));
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('lists another courier’s AWB, an unknown AWB and a parcel not delivered as unmatched, settling none', async () => {
    const [jnt] = await endPinned(t, http, seller, origin, [JNT], { overrides: { codAmount: 120_000 } });
    const [booked] = await bookPinned(t, http, seller, origin, [JNE], { codAmount: 80_000 });
    const [returned] = await endPinned(t, http, seller, origin, [JNE], { to: 'returned' });
    const [prepaid] = await endPinned(t, http, seller, origin, [JNE], { overrides: { codAmount: 0 } });
    const jneOwed = await receivable('jne');
    const jntOwed = await receivable('jnt');

    const res = await upload(
      'jne',
      [
        'awb,cod_amount,tanggal',
        `${jnt.awb},120000,${today()}`,
        `8899999999999999,50000,${today()}`,
        `${booked.awb},80000,${today()}`,
        `${returned.awb},150000,${today()}`,
        `${prepaid.awb},10000,${today()}`,
      ].join('\n'),
    ).expect(201);
    expect(res.body.unmatched).toEqual({ count: 5, amount: 410_000 });
    expect(res.body.matched).toEqual({ count: 0, amount: 0 });
    expect(await receivable('jne')).toBe(jneOwed);
    expect(await receivable('jnt')).toBe(jntOwed);

    const detail = (await http.get(`/v1/finance/remittances/${res.body.id}`).set(finance.auth).expect(200))
      .body as { lines: Line[] };
    expect(detail.lines.map((l) => [l.row, l.outcome, l.reason, l.shipmentId])).toEqual([
      [1, 'unmatched', 'unknown_awb', null],
      [2, 'unmatched', 'unknown_awb', null],
      [3, 'unmatched', 'not_delivered_cod', booked.id],
      [4, 'unmatched', 'not_delivered_cod', returned.id],
      [5, 'unmatched', 'not_delivered_cod', prepaid.id],
    ]);
    // The J&T parcel is still owed by J&T.
    const r = await reconciliation({ courier: 'jnt', overdueDays: 0 });
    expect(r.notRemitted.map((n) => n.shipmentId)).toEqual([jnt.id]);
    expect((await ledger.verify()).ok).toBe(true);
    // Held in transit for good: delivered on its courier's own schedule as later tests move the clock, its
    // line would be decided again (as it should) under their feet.
    await http
      .post(`/sandbox/parcels/${booked.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'in_transit' })
      .expect(200);
  });

  it('settles a parcel once when two reports naming it are uploaded at the same time', async () => {
    const [d] = await endPinned(t, http, seller, origin, [JNT], { overrides: { codAmount: 60_000 } });
    const owed = await receivable('jnt');
    // Four reports dated on the four days since the delivery: each another report, each the parcel's cash.
    t.clock.advance(3 * 86_400_000);
    const reports = [0, 1, 2, 3].map((i) =>
      ['waybill,cod_value,remitted_at', `${d.awb},60000,${today('iso', -i)}`].join('\n'),
    );
    // Two finance users, two reports each: one caller may have two uploads running at once.
    const colleague = await createOperator(t, http, 'finance');
    const answers = await Promise.all(
      reports.map((csv, i) => upload('jnt', csv, i % 2 ? colleague : finance)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(answers.map((a) => a.body.matched.count).sort()).toEqual([0, 0, 0, 1]);
    expect(answers.map((a) => a.body.duplicates.count).sort()).toEqual([0, 1, 1, 1]);
    expect(await receivable('jnt')).toBe(owed - 60_000);
    expect(Object.fromEntries(await settledLines([d.id]))).toEqual({ [d.id]: 1 });
    expect((await ledger.verify()).ok).toBe(true);
  });

  const lateMatches = async () =>
    (await http.post('/sandbox/jobs/remittance-late-matches/run').set(admin.auth).send({}).expect(200)).body
      .result as { matched: number; redecided: number };
  /** Polls until Kirim has seen each parcel delivered. */
  const hearDelivered = async (booked: { id: string }[]) => {
    const status = async (id: string) =>
      (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status as string;
    for (let round = 0; round < 12; round += 1) {
      if ((await Promise.all(booked.map((b) => status(b.id)))).every((s) => s === 'delivered')) return;
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    throw new Error('not delivered');
  };
  /** Delivers booked parcels at their sandbox courier and polls until Kirim has seen it. */
  const deliver = async (booked: { id: string; awb: string }[]) => {
    for (const b of booked)
      await http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(seller.auth)
        .send({ to: 'delivered' })
        .expect(200);
    await hearDelivered(booked);
  };

  it('lists a delivered COD parcel as not remitted once the configured days have passed, oldest first, paged', async () => {
    const parcels = await endPinned(t, http, seller, origin, [JNT, JNT, JNT], {
      overrides: { codAmount: 45_000 },
    });
    const ids = parcels.map((p) => p.id);
    /** Every page of the overdue list, followed through its cursor. */
    const walk = async (q: Record<string, string | number>) => {
      const seen: { shipmentId: string; daysSinceDelivery: number; deliveredAt: string }[] = [];
      let cursor: string | null = null;
      let requests = 0;
      do {
        const page = await reconciliation({ courier: 'jnt', ...q, ...(cursor ? { cursor } : {}) });
        expect(page.notRemitted.length).toBeLessThanOrEqual(Number(q.limit ?? 100));
        seen.push(...(page.notRemitted as unknown as typeof seen));
        cursor = page.notRemittedCursor;
        requests += 1;
      } while (cursor && requests < 50);
      expect(cursor).toBeNull();
      return { seen, requests };
    };
    const mine = <T extends { shipmentId: string }>(list: T[]) =>
      list.filter((n) => ids.includes(n.shipmentId));
    expect(mine((await walk({})).seen)).toEqual([]); // delivered just now: not overdue yet (7 days by default)
    t.clock.advance(8 * 86_400_000);

    const all = await walk({});
    expect(
      mine(all.seen)
        .map((n) => n.shipmentId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(mine(all.seen).every((n) => n.daysSinceDelivery === 8)).toBe(true);
    const times = all.seen.map((n) => n.deliveredAt);
    expect([...times].sort()).toEqual(times);
    // Only parcels not remitted are read: every one overdue fits the default page, and no cursor follows it.
    expect(all.requests).toBe(1);
    const totals = (await reconciliation({ courier: 'jnt' })).totals.notRemitted;
    expect(totals.count).toBe(all.seen.length);
    const fromLines = await overdueFromLines('jnt', 7);
    expect(all.seen.map((n) => n.shipmentId)).toEqual(fromLines.ids);
    expect(totals).toEqual(fromLines.totals);
    expect(mine((await walk({ overdueDays: 9 })).seen)).toEqual([]);

    // One at a time: the same parcels in the same order, the last page without a cursor.
    const single = await walk({ limit: 1 });
    expect(single.seen.map((n) => n.shipmentId)).toEqual(all.seen.map((n) => n.shipmentId));
    expect(single.requests).toBe(all.seen.length);
    // Two at a time, and settling one parcel of the next page meanwhile: the cursor goes on past it.
    const first = await reconciliation({ courier: 'jnt', limit: 2 });
    const settledMeanwhile = all.seen[2];
    const paid = await t.dataSource.query<{ awb: string; cod_amount: string }[]>(
      'SELECT awb, cod_amount FROM shipments WHERE id = $1',
      [settledMeanwhile.shipmentId],
    );
    await upload('jnt', `awb,amount,date\n${paid[0].awb},${Number(paid[0].cod_amount)},${today()}\n`).expect(
      201,
    );
    const rest = await walk({ limit: 2, cursor: first.notRemittedCursor! });
    expect([...first.notRemitted, ...rest.seen].map((n) => n.shipmentId)).toEqual(
      all.seen.filter((n) => n !== settledMeanwhile).map((n) => n.shipmentId),
    );
  });

  it('decides a line again once Kirim learns its parcel was delivered: the report came first', async () => {
    const [early, wrong, other] = await bookPinned(t, http, seller, origin, [JNT, JNT, JNT], {
      codAmount: 95_000,
    });
    const suspense = await balance('platform:remittance_suspense');
    const res = await upload(
      'jnt',
      [
        'waybill,cod_value,remitted_at',
        `${early.awb},95000,${today()}`,
        `${wrong.awb},90000,${today()}`,
        `${other.awb},95000,2026-10-01`,
      ].join('\n'),
    ).expect(201);
    expect(res.body.unmatched).toEqual({ count: 3, amount: 280_000 });
    expect(await balance('platform:remittance_suspense')).toBe(suspense + 280_000);
    // Not delivered yet: nothing to decide.
    expect(await lateMatches()).toEqual({ matched: 0, redecided: 0 });

    await deliver([early, wrong, other]);
    const owed = await receivable('jnt');

    expect(await lateMatches()).toEqual({ matched: 1, redecided: 2 });
    const detail = (await http.get(`/v1/finance/remittances/${res.body.id}`).set(finance.auth).expect(200))
      .body as { lines: Line[]; matched: unknown; amountMismatches: unknown; unmatched: unknown };
    expect(detail.lines.map((l) => [l.row, l.outcome, l.reason, l.shipmentId, l.expectedAmount])).toEqual([
      [1, 'matched', null, early.id, 95_000],
      [2, 'amount_mismatch', null, wrong.id, 95_000],
      // Remitted a month before the parcel was delivered: not that parcel's cash, left for finance.
      [3, 'unmatched', 'not_delivered_cod', other.id, 95_000],
    ]);
    expect([detail.matched, detail.amountMismatches, detail.unmatched]).toEqual([
      { count: 1, amount: 95_000 },
      { count: 1, amount: 90_000 },
      { count: 1, amount: 95_000 },
    ]);
    // The matched cash leaves suspense for the courier's receivable; the wrong amount waits for finance.
    expect(await receivable('jnt')).toBe(owed - 95_000);
    expect(await balance('platform:remittance_suspense')).toBe(suspense + 185_000);
    expect(Object.fromEntries(await settledLines([early.id, wrong.id, other.id]))).toEqual({ [early.id]: 1 });
    const r = await reconciliation({ courier: 'jnt', overdueDays: 0 });
    expect(r.notRemitted.map((n) => n.shipmentId)).not.toContain(early.id);

    // Decided once: again, nothing moves.
    expect(await lateMatches()).toEqual({ matched: 0, redecided: 0 });
    expect(await receivable('jnt')).toBe(owed - 95_000);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('voids a report taken by mistake: its cash reversed as it now stands, its parcels owed again, its file taken again', async () => {
    const paid = await endPinned(t, http, seller, origin, [JNE, JNE], { overrides: { codAmount: 120_000 } });
    const [late] = await bookPinned(t, http, seller, origin, [JNE], { codAmount: 80_000 });
    const csv = [
      'awb;cod_amount;tgl_setor',
      `${paid[0].awb};120000;${today('dmy')}`,
      `${paid[1].awb};120000;${today('dmy')}`,
      `JNEVOID00000001;50000;${today('dmy')}`,
      `${late.awb};80000;${today('dmy')}`,
    ].join('\n');
    const taken = (await upload('jne', csv).expect(201)).body as { id: string; matched: unknown };
    expect(taken.matched).toEqual({ count: 2, amount: 240_000 });
    // Delivered after the report: a late match settles its line too, before the void.
    await deliver([late]);
    expect(await lateMatches()).toEqual({ matched: 1, redecided: 1 });
    const ids = [paid[0].id, paid[1].id, late.id];
    const before = {
      bank: await balance('platform:bank'),
      owed: await receivable('jne'),
      suspense: await balance('platform:remittance_suspense'),
    };

    const voided = (
      await http
        .post(`/v1/finance/remittances/${taken.id}/void`)
        .set(finance.auth)
        .send({ reason: 'Laporan SAP, diunggah sebagai JNE' })
        .expect(200)
    ).body;
    expect(voided).toMatchObject({
      id: taken.id,
      voidedBy: finance.id,
      voidReason: 'Laporan SAP, diunggah sebagai JNE',
      voidedAt: t.clock.now().toISOString(),
    });
    // Reversed as it stood: all 370.000 out of the bank, the three settled parcels owed again, 50.000 out of suspense.
    expect(await balance('platform:bank')).toBe(before.bank - 370_000);
    expect(await receivable('jne')).toBe(before.owed + 320_000);
    expect(await balance('platform:remittance_suspense')).toBe(before.suspense - 50_000);
    expect((await ledger.verify()).ok).toBe(true);
    const settled = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM remittance_lines
        WHERE outcome = 'matched' AND NOT voided AND shipment_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(settled[0].n).toBe(0);
    const r = await reconciliation({ courier: 'jne', overdueDays: 0, limit: 500 });
    expect(r.unmatched.map((l) => l.awb)).not.toContain('JNEVOID00000001');
    let owedAgain: string[] = [];
    for (let cursor: string | null | undefined, page = 0; page === 0 || (cursor && page < 50); page += 1) {
      const next = await reconciliation({ courier: 'jne', overdueDays: 0, ...(cursor ? { cursor } : {}) });
      owedAgain = [...owedAgain, ...next.notRemitted.map((n) => n.shipmentId)];
      cursor = next.notRemittedCursor;
    }
    expect(owedAgain).toEqual(expect.arrayContaining(ids));
    const fromLines = await overdueFromLines('jne', 0);
    expect(owedAgain).toEqual(fromLines.ids);
    expect(r.totals.notRemitted).toEqual(fromLines.totals);
    // The report and its lines stay, marked, as they were decided.
    const detail = (await http.get(`/v1/finance/remittances/${taken.id}`).set(finance.auth).expect(200)).body;
    expect(detail.voidedAt).toBe(voided.voidedAt);
    expect(detail.lines.map((l: Line) => l.outcome)).toEqual(['matched', 'matched', 'unmatched', 'matched']);

    // Once: a second void is refused and moves nothing.
    const again = await http
      .post(`/v1/finance/remittances/${taken.id}/void`)
      .set(finance.auth)
      .send({ reason: 'lagi' })
      .expect(409);
    expect(again.body.code).toBe('REMITTANCE_ALREADY_VOIDED');
    expect(await balance('platform:bank')).toBe(before.bank - 370_000);

    // The same file again is a new report, and settles the parcels again.
    const retaken = (await upload('jne', csv).expect(201)).body;
    expect([retaken.matched, retaken.unmatched]).toEqual([
      { count: 3, amount: 320_000 },
      { count: 1, amount: 50_000 },
    ]);
    expect(await receivable('jne')).toBe(before.owed);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('voiding a report settles the parcels it had settled by the next report that named them (a duplicate there)', async () => {
    const [p] = await endPinned(t, http, seller, origin, [JNE], { overrides: { codAmount: 66_000 } });
    const [q] = await endPinned(t, http, seller, origin, [JNE], { overrides: { codAmount: 44_000 } });
    // The mistaken report settled p; the right one names p (a duplicate there, its cash in suspense) and q.
    const wrong = (await upload('jne', `awb,amount,date\n${p.awb},66000,${today('iso', -1)}\n`).expect(201))
      .body;
    const right = (
      await upload('jne', `awb,amount,date\n${p.awb},66000,${today()}\n${q.awb},40000,${today()}\n`).expect(
        201,
      )
    ).body;
    expect([right.duplicates, right.amountMismatches]).toEqual([
      { count: 1, amount: 66_000 },
      { count: 1, amount: 40_000 },
    ]);
    const owed = await receivable('jne');
    const suspense = await balance('platform:remittance_suspense');
    await http
      .post(`/v1/finance/remittances/${wrong.id}/void`)
      .set(finance.auth)
      .send({ reason: 'Dobel' })
      .expect(200);
    // p is owed again by the void, and settled at once by the right report's line: its cash leaves suspense.
    expect(await receivable('jne')).toBe(owed);
    expect(await balance('platform:remittance_suspense')).toBe(suspense - 66_000);
    const detail = (await http.get(`/v1/finance/remittances/${right.id}`).set(finance.auth).expect(200)).body;
    expect(detail.lines.map((l: Line) => [l.awb, l.outcome])).toEqual([
      [p.awb, 'matched'],
      [q.awb, 'amount_mismatch'],
    ]);
    expect([detail.matched, detail.duplicates]).toEqual([
      { count: 1, amount: 66_000 },
      { count: 0, amount: 0 },
    ]);
    const settled = await t.dataSource.query<{ remittance_id: string }[]>(
      `SELECT remittance_id FROM remittance_lines WHERE shipment_id = $1 AND outcome = 'matched' AND NOT voided`,
      [p.id],
    );
    expect(settled.map((r) => r.remittance_id)).toEqual([right.id]);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('a late match whose page was read before a void leaves the voided line out: the live report settles the parcel', async () => {
    const [b] = await bookPinned(t, http, seller, origin, [JNE], { codAmount: 40_000 });
    const voidedLater = (
      await upload('jne', `awb,amount,date\n${b.awb},40000,${today('iso', -1)}\n`).expect(201)
    ).body;
    t.clock.advance(60_000);
    const live = (await upload('jne', `awb,amount,date\n${b.awb},40000,${today()}\n`).expect(201)).body;
    await deliver([b]);
    // The job's page, as it read it before taking the lock; a void commits in between.
    const repository = t.app.get(RemittancesRepository);
    const page = (await repository.unmatchedLines('jne', new Date(0), null, 500)).filter(
      (l) => l.awb === b.awb,
    );
    expect(page.map((l) => l.remittanceId)).toEqual([voidedLater.id, live.id]);
    await http
      .post(`/v1/finance/remittances/${voidedLater.id}/void`)
      .set(finance.auth)
      .send({ reason: 'Salah unggah' })
      .expect(200);
    const parcels = new Map([
      [b.awb, { shipmentId: b.id, codAmount: 40_000, codDelivered: true, deliveredAt: t.clock.now() }],
    ]);
    // The job's step under the lock, given the page it read (a private method: the race is between its steps).
    const job: { redecide: (courier: string, lines: unknown[], parcels: unknown) => Promise<unknown> } =
      t.app.get<unknown>(RemittancesService) as never;
    await t.app.get(Transactions).run(() => job.redecide('jne', page, parcels));
    const detail = (await http.get(`/v1/finance/remittances/${live.id}`).set(finance.auth).expect(200)).body;
    expect(detail.lines.map((l: Line) => l.outcome)).toEqual(['matched']);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('voids a report once when two finance users void it at the same time, and refuses bad voids', async () => {
    // A parcel not delivered yet: its line waits for a late match that a void must stop.
    const [waiting] = await bookPinned(t, http, seller, origin, [JNE], { codAmount: 10_000 });
    const taken = (await upload('jne', `awb,amount,date\n${waiting.awb},10000,${today()}\n`).expect(201))
      .body;
    const bank = await balance('platform:bank');
    const voids = await Promise.all(
      [1, 2].map(() =>
        http
          .post(`/v1/finance/remittances/${taken.id}/void`)
          .set(finance.auth)
          .send({ reason: 'Salah kurir' }),
      ),
    );
    expect(voids.map((v) => v.status).sort()).toEqual([200, 409]);
    expect(await balance('platform:bank')).toBe(bank - 10_000);
    const postings = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1',
      [`remittance-void:${taken.id}`],
    );
    expect(postings[0].n).toBe(1);
    await deliver([waiting]);
    expect(await lateMatches()).toEqual({ matched: 0, redecided: 0 });

    const other = (await upload('jne', `awb,amount,date\nJNEVOID00000003,10000,${today()}\n`).expect(201))
      .body;
    const voidOther = (body: object, auth: Auth = finance) =>
      http.post(`/v1/finance/remittances/${other.id}/void`).set(auth.auth).send(body);
    expect((await voidOther({})).body.details).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await voidOther({ reason: 'a\u0000b' }).expect(400)).body.details).toEqual([
      expect.objectContaining({ field: 'reason' }),
    ]);
    await voidOther({ reason: 'x'.repeat(501) }).expect(400);
    await voidOther({ reason: 'Salah kurir' }, seller).expect(403);
    await http
      .post('/v1/finance/remittances/6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60/void')
      .set(finance.auth)
      .send({ reason: 'Salah kurir' })
      .expect(404);
    expect(
      (await http.get(`/v1/finance/remittances/${other.id}`).set(finance.auth).expect(200)).body.voidedAt,
    ).toBe(null);
  });

  it('reads airway bills in any case, and a line remitted before its parcel was delivered is not that parcel’s', async () => {
    const [p, early] = await endPinned(t, http, seller, origin, [JNT, JNT], {
      overrides: { codAmount: 33_000 },
    });
    expect(p.awb).toMatch(/[A-Z]/);
    const lower = (
      await upload(
        'jnt',
        `waybill,cod_value,remitted_date\n${p.awb.toLowerCase()},33000,${today()}\n`,
      ).expect(201)
    ).body;
    expect(lower.matched).toEqual({ count: 1, amount: 33_000 });
    // The same report in capitals is the same report.
    const again = await upload('jnt', `waybill,cod_value,remitted_date\n${p.awb},33000,${today()}\n`).expect(
      409,
    );
    expect(again.body.message).toContain(lower.id);
    // Remitted months before this parcel was delivered: an airway bill typed wrong or used again, left to finance.
    const old = (
      await upload('jnt', `waybill,cod_value,remitted_date\n${early.awb},33000,2026-01-15\n`).expect(201)
    ).body;
    expect([old.matched, old.unmatched]).toEqual([
      { count: 0, amount: 0 },
      { count: 1, amount: 33_000 },
    ]);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('rejects a report with a bad row whole, naming the row and field, and stores nothing', async () => {
    const before = await remittanceCount();
    const bank = await balance('platform:bank');
    const res = await upload(
      'jne',
      `awb;amount;date\n8800000000000001;150000;${today()}\n8800000000000002;150.000,50;${today()}\n`,
    ).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([
      { field: 'row 2: amount', message: expect.stringMatching(/fraction/) },
    ]);
    // Dated tomorrow: cash not remitted yet cannot be reported (it would match any parcel delivered by then).
    const ahead = await upload('jne', `awb;amount;date\n8800000000000001;150000;${today('iso', 1)}\n`).expect(
      400,
    );
    expect(ahead.body.details).toEqual([
      {
        field: 'row 1: remitted date',
        message: `is after today (${today()}): a report lists cash already remitted`,
      },
    ]);

    const header = await upload('jne', 'resi,jumlah\n1,2\n').expect(400);
    expect(header.body.details.map((d: { field: string }) => d.field)).toEqual([
      'body.awb',
      'body.amount',
      'body.remitted date',
    ]);
    const tooBig = await upload(
      'jne',
      `awb,amount,date\n${`8800000000000001,1,${today()}\n`.repeat(3000)}`,
    ).expect(413);
    expect(tooBig.body.code).toBe('REMITTANCE_REPORT_TOO_LARGE');
    const json = await http
      .post('/v1/finance/remittances?courier=jne')
      .set(finance.auth)
      .send({ awb: '1' })
      .expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // The report as a JSON string is no CSV either; and the answer says what this route reads.
    for (const [type, body] of [
      ['application/json', JSON.stringify(`awb;amount;date\n8800000000000001;1;${today()}\n`)],
      ['text/plain', `awb;amount;date\n8800000000000001;1;${today()}\n`],
    ]) {
      const refused = await http
        .post('/v1/finance/remittances?courier=jne')
        .set(finance.auth)
        .set('content-type', type)
        .send(body)
        .expect(415);
      expect(refused.body.message).toBe('Send the report as text/csv (its header row first)');
    }
    const empty = await http.post('/v1/finance/remittances?courier=jne').set(finance.auth).expect(400);
    expect(empty.body.details).toEqual([{ field: 'body', message: expect.stringMatching(/^is empty/) }]);
    const noCourier = await http
      .post('/v1/finance/remittances?courier=pos')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,amount,date\n1,1,${today()}\n`)
      .expect(400);
    expect(noCourier.body.details).toEqual([expect.objectContaining({ field: 'courier' })]);
    await upload('jne', `awb,amount,date\n1\u0000,1,${today()}\n`).expect(400);
    await upload('jne', `awb,amount,date\n1,1,${today()}\n`, { auth: seller.auth }).expect(403);

    expect(await remittanceCount()).toBe(before);
    expect(await balance('platform:bank')).toBe(bank);
  });

  it('replays an upload repeated with its Idempotency-Key instead of refusing it', async () => {
    const csv = `awb,amount,date\n8800000000000777,5000,${today()}\n`;
    const key = `remit-${Date.now()}`;
    const first = await upload('sap', csv).set('idempotency-key', key).expect(201);
    const replay = await upload('sap', csv).set('idempotency-key', key).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const list = (await http.get('/v1/finance/remittances?courier=sap').set(finance.auth).expect(200)).body;
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
  });

  it('takes the courier and outcome filters in any letter case, as GET /v1/shipments takes its own', async () => {
    const awb = '8800000000000913';
    // Before, each of these was a 400: `SAP` is not `sap`.
    const taken = await upload('%20SAP%20', `awb,amount,date\n${awb},7000,${today()}\n`).expect(201);
    expect(taken.body).toMatchObject({ courier: 'sap', unmatched: { count: 1, amount: 7000 } });
    const list = (
      await http.get('/v1/finance/remittances?courier=Sap&limit=500').set(finance.auth).expect(200)
    ).body;
    expect(list.items.map((r: { id: string }) => r.id)).toContain(taken.body.id);
    expect(list.items.every((r: { courier: string }) => r.courier === 'sap')).toBe(true);
    const detail = (
      await http
        .get(`/v1/finance/remittances/${taken.body.id}?outcome=UNMATCHED`)
        .set(finance.auth)
        .expect(200)
    ).body;
    expect(detail.lines.map((l: Line) => [l.awb, l.outcome])).toEqual([[awb, 'unmatched']]);
    const r = await reconciliation({ courier: 'SAP' });
    expect(r.unmatched.map((l) => l.awb)).toContain(awb);
    expect(Object.keys(r.receivable)).toEqual(['sap']);
  });

  it('lists reports newest first and pages a report’s lines by outcome', async () => {
    const page1 = (await http.get('/v1/finance/remittances?limit=2').set(admin.auth).expect(200)).body;
    expect(page1.items).toHaveLength(2);
    const page2 = (
      await http.get(`/v1/finance/remittances?limit=2&cursor=${page1.nextCursor}`).set(admin.auth).expect(200)
    ).body;
    const ids = [...page1.items, ...page2.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const times = [...page1.items, ...page2.items].map((r: { createdAt: string }) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const jne = (await http.get('/v1/finance/remittances?courier=jne').set(finance.auth).expect(200)).body;
    const first = jne.items.find(
      (r: { lineCount: number; matched: { count: number } }) => r.lineCount === 5 && r.matched.count === 2,
    );
    const lines = async (q: string) =>
      (await http.get(`/v1/finance/remittances/${first.id}?${q}`).set(finance.auth).expect(200)).body;
    expect((await lines('outcome=duplicate')).lines.map((l: Line) => l.outcome)).toEqual(['duplicate']);
    const a = await lines('limit=3');
    const b = await lines(`limit=3&cursor=${a.nextCursor}`);
    expect([...a.lines, ...b.lines].map((l: Line) => l.row)).toEqual([1, 2, 3, 4, 5]);
    expect(b.nextCursor).toBeNull();
    // A forged cursor with a row beyond any integer column: an empty page, never a 5xx.
    for (const row of [2 ** 31, Number.MAX_SAFE_INTEGER, -(2 ** 31) - 1]) {
      const forged = Buffer.from(JSON.stringify(['remittance-lines', row])).toString('base64url');
      const page = await lines(`limit=1&cursor=${forged}`);
      expect(page.lines.map((l: Line) => l.row)).toEqual(row > 0 ? [] : [1]);
    }
    await http
      .get('/v1/finance/remittances/6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60')
      .set(finance.auth)
      .expect(404);
    await http.get('/v1/finance/remittances?cursor=nonsense').set(finance.auth).expect(400);
    // A report reads up to 2 MB (other routes 1 MB): 1.5 MB of unknown AWBs is read, its rows judged.
    const big = `awb,amount,remitted_on\n${Array.from({ length: 60_000 }, (_, i) => `ZZBIG${String(i).padStart(8, '0')},1000,${today()}`).join('\n')}\n`;
    expect(big.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const read = await http
      .post('/v1/finance/remittances?courier=jne')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(big);
    // Read past the 1 MB edge: judged by the service (its own limit here, or its rows), not the edge's 413.
    expect(read.body.code).not.toBe('PAYLOAD_TOO_LARGE');
    expect(read.status).toBeLessThan(500);
  });

  it('serves each sandbox courier’s report for its window only, to operators', async () => {
    const from = t.clock.now();
    const [d] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'sap')!]);
    const to = new Date(t.clock.now().getTime() + 60_000);
    const res = await sandboxReport('sap', from, to).expect(200);
    expect(res.headers['x-sandbox-discrepancies']).toBeUndefined();
    const lines = (res.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('No Resi;Nilai COD;Tanggal');
    expect(lines.slice(1).map((l) => l.split(';').slice(0, 2))).toEqual([[d.awb, 'Rp 150.000']]);
    const before = await sandboxReport('sap', new Date(from.getTime() - 86_400_000), from).expect(200);
    expect(before.body).not.toContain(d.awb);

    const withToken = await http
      .get('/sandbox/couriers/sap/remittance')
      .query({ from: '2026-11-01', to: '2026-11-02' })
      .set(seller.auth);
    expect(withToken.status).toBe(403);
    await http
      .get('/sandbox/couriers/pos/remittance')
      .query({ from: '2026-11-01', to: '2026-11-02' })
      .set(admin.auth)
      .expect(404);
    const backwards = await http
      .get('/sandbox/couriers/sap/remittance')
      .query({ from: '2026-11-02', to: '2026-11-01' })
      .set(admin.auth)
      .expect(400);
    expect(backwards.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
    // A date alone in `to` takes its whole day: one day's report is asked for by naming it twice.
    await http
      .get('/sandbox/couriers/sap/remittance')
      .query({ from: '2026-11-01', to: '2026-11-01' })
      .set(admin.auth)
      .expect(200);
  });

  // Last: it moves the clock two months on.
  it('leaves a line uploaded more than lateMatchDays ago to finance, however its parcel ends', async () => {
    const [old] = await bookPinned(t, http, seller, origin, [JNE], { codAmount: 70_000 });
    const res = await upload(
      'jne',
      ['awb,cod_amount,tanggal', `${old.awb},70000,${today()}`].join('\n'),
    ).expect(201);
    // Delivered the day of the line, as the courier says; Kirim hears of it two months on (no poll between).
    await http
      .post(`/sandbox/parcels/${old.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    t.clock.advance(61 * 86_400_000);
    await hearDelivered([old]);
    const [{ ended_at: deliveredAt }] = await t.dataSource.query<{ ended_at: Date }[]>(
      'SELECT ended_at FROM shipments WHERE id = $1',
      [old.id],
    );
    // The line would be this parcel's by its dates: only its age leaves it to finance.
    expect(wibDate(deliveredAt)).toBe(today('iso', -61));
    expect(await lateMatches()).toEqual({ matched: 0, redecided: 0 });
    const detail = (await http.get(`/v1/finance/remittances/${res.body.id}`).set(finance.auth).expect(200))
      .body as { lines: Line[] };
    expect(detail.lines.map((l) => [l.outcome, l.reason])).toEqual([['unmatched', 'not_delivered_cod']]);
  });
});

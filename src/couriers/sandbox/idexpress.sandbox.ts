import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CourierReason, ParcelActionKind } from '../courier-adapter';
import { payloadText } from '../payload-text';
import { CourierSandbox, SandboxPush } from './courier-sandbox';
import type { SandboxParcel } from './sandbox.repository';
import type { ActionAtCourier } from './sandbox-world.service';
import { coverage, type PlanStep } from './world';

/**
 * Error codes of the simulated open API. ID Express publishes no catalogue (idexpress.md §5): all assumed,
 * like the texts, which the adapter reads.
 */
const ERR = { params: 1001, appId: 1002, sign: 1003, refused: 2001, notFound: 2002, state: 2003 } as const;
/** Per-order failure in a create answer; -1 is the documented duplicate. */
const ITEM_FAILED = 1;

/** How the simulated ID Express explains a problem (`problemCode` + text; codes assumed, idexpress.md §4). */
const PROBLEM_BY_REASON: Partial<Record<CourierReason, [string, string]>> = {
  address_problem: ['01', 'Incomplete or incorrect address'],
  consignee_absent: ['02', 'Consignee not at home'],
  consignee_unreachable: ['03', 'Consignee phone cannot be reached'],
  consignee_refused: ['04', 'Consignee refused the parcel'],
  consignee_refused_no_money: ['05', 'Consignee refused, no money to pay COD'],
  consignee_refused_did_not_order: ['06', 'Consignee refused, did not order'],
  held_at_hub: ['07', 'Parcel held at branch'],
  misroute: ['08', 'Parcel missorted to another branch'],
  damaged: ['09', 'Parcel damaged'],
  lost: ['10', 'Parcel lost'],
  attempt_failed: ['11', 'Delivery postponed'],
  max_attempts: ['11', 'Delivery postponed'],
};
const PICKUP_PROBLEM: [string, string] = ['P01', 'Shipper not available at pickup address'];

interface Line {
  operationType: string;
  at: number;
  branch: string;
  nextBranch: string;
  description: string;
  problemCode: string;
  problemText: string;
  signer: string;
  relation: string;
  proof: string;
}

/** The scan lines the simulated ID Express writes for each world step (idexpress.md §4), oldest first. */
function linesOf(parcel: SandboxParcel, steps: PlanStep[]): Line[] {
  const lines: Line[] = [];
  const r = parcel.request;
  let pickedUp = false;
  let transits = 0;
  let returns = 0;
  for (const s of steps) {
    const branch = s.location.toUpperCase();
    const line: Line = {
      operationType: '',
      at: Date.parse(s.at),
      branch,
      nextBranch: '',
      description: '',
      problemCode: '',
      problemText: '',
      signer: '',
      relation: '',
      proof: '',
    };
    const problem = (p: [string, string]) => {
      [line.problemCode, line.problemText] = p;
      line.description = `Problem on shipment due to ${p[1]}`;
    };
    switch (s.status) {
      case 'created':
        continue; // an order without scans until the first event
      case 'pickup_requested':
        [line.operationType, line.description] = [
          'Pickup Request',
          'Pickup has been requested, waiting for courier',
        ];
        break;
      case 'picked_up':
        pickedUp = true;
        [line.operationType, line.description] = parcel.pickup
          ? ['Pick up scan', 'Parcel has been picked up by courier']
          : ['Dropped Off at Store', 'Parcel has been dropped off at store'];
        break;
      case 'in_transit':
        transits += 1;
        if (transits === 1 && pickedUp && !branch.startsWith('HUB '))
          [line.operationType, line.description] = ['Loading scan', `Parcel loaded at ${branch}`];
        else if (branch.startsWith('HUB '))
          [line.operationType, line.description] = ['Arrival scan', `Parcel arrived at ${branch}`];
        else if (transits === 1)
          [line.operationType, line.description] = ['Sending scan', `Parcel sent from ${branch}`];
        else [line.operationType, line.description] = ['Unloading scan', `Parcel unloaded at ${branch}`];
        break;
      case 'out_for_delivery':
        [line.operationType, line.description] = ['Delivery Scan', 'Parcel is out for delivery'];
        break;
      case 'delivery_failed':
        line.operationType = 'Problem On Shipment scan';
        problem(PROBLEM_BY_REASON[s.reason ?? 'consignee_absent'] ?? PROBLEM_BY_REASON.consignee_absent!);
        break;
      case 'delivered':
        [line.operationType, line.description, line.signer, line.relation] = [
          'POD scan',
          'Parcel has been delivered',
          payloadText(r.recipientName),
          'Self',
        ];
        line.proof = `https://pod.idexpress.sandbox.invalid/${parcel.awb}.jpg`;
        break;
      case 'returning_to_sender':
        returns += 1;
        [line.operationType, line.description] =
          returns === 1
            ? ['Create Return Bill', 'Return to sender requested']
            : ['Confirm Return Bill', 'Return to sender confirmed'];
        break;
      case 'returned':
        [line.operationType, line.description, line.signer, line.relation] = [
          'Return POD Scan',
          'Parcel returned to shipper',
          payloadText(r.senderName),
          'Self',
        ];
        break;
      case 'cancelled':
        [line.operationType, line.description] = ['Cancel Order', 'Order has been cancelled'];
        break;
      case 'exception':
        if (!pickedUp || s.reason === 'pickup_failed') {
          line.operationType = 'Pickup Failure';
          problem(PICKUP_PROBLEM);
        } else {
          line.operationType = 'Problem On Shipment scan';
          problem(PROBLEM_BY_REASON[s.reason ?? 'held_at_hub'] ?? PROBLEM_BY_REASON.held_at_hub!);
        }
        break;
    }
    lines.push(line);
  }
  return lines;
}

type Body = Record<string, unknown>;

/** The assumed problem-handle call (see idexpress.actions.ts): `handleType` → action. */
const HANDLE_KIND: Record<string, ParcelActionKind> = { '01': 'reattempt', '02': 'return', '03': 'hold' };
const RECIPIENT_FIELDS = ['recipientName', 'recipientCellphone', 'recipientAddress', 'recipientDistrictId'];
const ACTION_VERB: Record<ParcelActionKind, string> = {
  reattempt: 're-delivery',
  return: 'return',
  update_address: 'recipient update',
  hold: 'hold',
};

/** ID Express open API: form fields `appId`, `sign`, `data`; `{code, desc, data}` envelope with HTTP 200 (idexpress.md). */
export class IdExpressSandbox extends CourierSandbox {
  readonly code = 'idexpress' as const;

  /** A numeric app id, derived like the secrets so every instance agrees. */
  private get appId(): string {
    return String(100_000 + (Buffer.from(this.secret('app_id')).readUInt32BE(0) % 900_000));
  }

  account() {
    return {
      IDEXPRESS_BASE_URL: this.baseUrl,
      IDEXPRESS_APP_ID: this.appId,
      IDEXPRESS_SECRET_KEY: this.secret('secret_key'),
      WEBHOOK_TOKEN: this.secret('webhook_token'),
    };
  }

  protected serverError(reply: FastifyReply) {
    return reply.code(500).send({ code: 500, desc: 'Internal Server Error', data: null });
  }

  private ok(data: unknown, total?: number) {
    return { code: 0, desc: 'success', ...(total === undefined ? {} : { total }), data };
  }

  private fail(reply: FastifyReply, code: number, desc: string) {
    return reply.code(200).send({ code, desc, data: null });
  }

  /** The signed `data` field, as sent. */
  private dataOf(request: FastifyRequest): string {
    return payloadText(((request.method === 'GET' ? request.query : request.body) as Body | undefined)?.data);
  }

  private json(request: FastifyRequest): unknown {
    try {
      return JSON.parse(this.dataOf(request));
    } catch {
      return undefined;
    }
  }

  /** Origin by its city id, destination by its district id (idexpress.md §3.1), read in the mapping. */
  private async provinces(d: Body, originField: string, destinationField: string) {
    const field = (name: string) => (/CityId$/.test(name) ? 'cityCode' : 'code');
    return {
      origin: await this.world.provinceOfCode('idexpress', payloadText(d[originField]), field(originField)),
      destination: await this.world.provinceOfCode(
        'idexpress',
        payloadText(d[destinationField]),
        field(destinationField),
      ),
    };
  }

  /** Hands an action to the world and answers in the envelope; a refusal names the last scan. */
  private async handle(reply: FastifyReply, awb: string, action: ActionAtCourier) {
    if ((action.note ?? '').length > 200) return this.fail(reply, ERR.params, 'remark too long');
    const answer = await this.world.requestAction(
      'idexpress',
      awb,
      action,
      (n) => `PH${awb.slice(3)}${String(n).padStart(2, '0')}`,
    );
    if (!answer) return this.fail(reply, ERR.notFound, 'waybillNo not found');
    if (!answer.accepted) {
      const lines = linesOf(answer.parcel, this.world.happened(answer.parcel));
      const last = lines[lines.length - 1]?.operationType ?? 'Order Created';
      return this.fail(
        reply,
        ERR.state,
        `Waybill status is ${last}, ${ACTION_VERB[action.kind]} not allowed`,
      );
    }
    return this.ok({ waybillNo: awb, ticketNo: answer.reference });
  }

  private tracking(p: SandboxParcel) {
    const r = p.request;
    const info = (prefix: 'sender' | 'recipient', province: string) => ({
      [`${prefix}Name`]: r[`${prefix}Name`],
      [`${prefix}Cellphone`]: r[`${prefix}Cellphone`],
      [`${prefix}PhoneNumber`]: r[`${prefix}PhoneNumber`] ?? '',
      [`${prefix}Email`]: r[`${prefix}Email`] ?? '',
      [`${prefix}Address`]: r[`${prefix}Address`],
      [`${prefix}Province`]: province,
      [`${prefix}City`]: '',
      [`${prefix}District`]: '',
      [`${prefix}ZipCode`]: r[`${prefix}ZipCode`] ?? '',
    });
    return {
      basicInfo: { orderNo: p.reference, orderTime: r.orderTime, waybillNo: p.awb },
      historys: linesOf(p, this.world.happened(p)).map((l) => ({
        waybillNo: p.awb,
        operationType: l.operationType,
        operationTime: l.at,
        courierName: 'Kurir iDexpress',
        currentBranch: l.branch,
        nextBranchName: l.nextBranch,
        description: l.description,
        problemCode: l.problemCode,
        signer: l.signer,
        relation: l.relation,
        proofOfStatus: l.proof,
      })),
      itemInfo: {
        itemName: r.itemName,
        itemQuantity: r.itemQuantity,
        itemCategory: r.itemCategory,
        itemRemarks: r.itemRemarks ?? '',
        itemValue: r.itemValue ?? '0',
        insured: r.insured ?? '0',
        insuranceAmount: 0,
        weight: (p.weightGrams / 1000).toFixed(2),
        length: r.length ?? 0,
        width: r.width ?? 0,
        height: r.height ?? 0,
        // Assumed field: lets Kirim tell a COD POD from a prepaid one.
        codAmount: String(p.codAmount),
      },
      senderInfo: info('sender', p.originProvince),
      recipientInfo: info('recipient', p.destinationProvince),
    };
  }

  private async createOne(o: Body) {
    const orderNo = payloadText(o.orderNo);
    const item = (code: number, msg: string, waybillNo = '') => ({
      code,
      orderNo,
      waybillNo,
      sortingCode: '',
      msg,
    });
    const pickup = o.serviceType === '00';
    const required = [
      'orderNo',
      'orderTime',
      'expressType',
      'serviceType',
      'itemName',
      'itemQuantity',
      'itemCategory',
      'weight',
      'paymentType',
      'senderName',
      'senderCellphone',
      'senderAddress',
      'senderCityId',
      'senderDistrictId',
      'recipientName',
      'recipientCellphone',
      'recipientAddress',
      'recipientCityId',
      'recipientDistrictId',
      ...(pickup ? ['pickupStartTime', 'pickupEndTime'] : []),
    ];
    const missing = required.filter((f) => o[f] === undefined || o[f] === null || o[f] === '');
    if (missing.length) return item(ITEM_FAILED, `${missing.join(', ')} can not be empty`);
    const [existing] = await this.world.findByReference('idexpress', orderNo);
    if (existing) return item(-1, `orderNo ${orderNo} already exists`, existing.awb);
    if (!['00', '01'].includes(payloadText(o.serviceType))) return item(ITEM_FAILED, 'serviceType invalid');
    if (payloadText(o.paymentType) !== '01') return item(ITEM_FAILED, 'paymentType invalid');
    if (pickup && !(Number(o.pickupEndTime) > Number(o.pickupStartTime)))
      return item(ITEM_FAILED, 'pickupEndTime must be later than pickupStartTime');
    const { origin, destination } = await this.provinces(o, 'senderDistrictId', 'recipientDistrictId');
    if (!origin || !destination)
      return item(ITEM_FAILED, 'senderDistrictId or recipientDistrictId not found');
    const weightGrams = Math.round(Number(o.weight) * 1000);
    if (!(weightGrams > 0)) return item(ITEM_FAILED, 'weight invalid');
    const cod = o.codAmount === undefined || o.codAmount === '' ? 0 : Number(o.codAmount);
    if (!Number.isFinite(cod) || cod < 0) return item(ITEM_FAILED, 'codAmount invalid');
    const rejection = this.world.check(
      'idexpress',
      payloadText(o.expressType),
      origin,
      destination,
      weightGrams,
      cod,
    );
    if (rejection === 'unknown_service') return item(ITEM_FAILED, 'expressType invalid');
    if (rejection === 'unserviceable_route')
      return item(ITEM_FAILED, 'Route not covered by this expressType');
    if (rejection === 'too_heavy') return item(ITEM_FAILED, 'Weight out of range for this expressType');
    if (rejection === 'cod_not_allowed')
      return item(ITEM_FAILED, 'COD is not available for this destination and expressType');
    if (rejection === 'cod_over_limit')
      return item(ITEM_FAILED, 'COD amount exceeds the limit of this expressType');
    const awb = `IDE${String(await this.world.nextAwbNumber('idexpress')).padStart(12, '0')}`;
    const parcel = await this.world.create({
      courier: 'idexpress',
      awb,
      reference: orderNo,
      service: payloadText(o.expressType),
      // The create carries location ids, not names: scans name the province.
      originCity: origin,
      originProvince: origin,
      destinationCity: destination,
      destinationProvince: destination,
      weightGrams,
      codAmount: cod,
      pickup,
      recipientPhone: payloadText(o.recipientCellphone),
      originRegency: await this.world.regencyOfCode('idexpress', o.senderDistrictId),
      destinationRegency: await this.world.regencyOfCode('idexpress', o.recipientDistrictId),
      request: o,
    });
    return {
      code: 0,
      orderNo,
      waybillNo: parcel.awb,
      sortingCode: `${payloadText(o.recipientDistrictId).slice(0, 2)}-${payloadText(o.recipientDistrictId).slice(-3)}`,
      msg: 'success',
    };
  }

  protected routes(app: FastifyInstance): void {
    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const fields = ((request.method === 'GET' ? request.query : request.body) ?? {}) as Body;
      const appId = payloadText(fields.appId);
      const sign = payloadText(fields.sign);
      const data = this.dataOf(request);
      if (!appId || !sign || !data)
        return this.fail(reply, ERR.params, 'appId, sign and data can not be empty');
      if (appId !== this.appId) return this.fail(reply, ERR.appId, 'appId not exist');
      const expected = createHash('md5')
        .update(`${data}${appId}${this.secret('secret_key')}`, 'utf8')
        .digest('hex');
      const a = Buffer.from(sign);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return this.fail(reply, ERR.sign, 'sign error');
      return undefined;
    });

    app.post('/open/v1/waybill/get-standard-fee', async (request, reply) => {
      const d = this.json(request) as Body | undefined;
      if (!d || typeof d !== 'object') return this.fail(reply, ERR.params, 'data format error');
      const weightKg = Number(d.weight);
      if (!d.senderCityId || !d.recipientDistrictId || !d.expressType || !(weightKg > 0)) {
        return this.fail(
          reply,
          ERR.params,
          'senderCityId, recipientDistrictId, weight and expressType are required',
        );
      }
      const { origin, destination } = await this.provinces(d, 'senderCityId', 'recipientDistrictId');
      if (!origin || !destination) return this.fail(reply, ERR.refused, 'Area not found');
      const service = payloadText(d.expressType);
      const weightGrams = Math.round(weightKg * 1000);
      const rejection = this.world.check('idexpress', service, origin, destination, weightGrams, 0);
      if (rejection === 'unknown_service') return this.fail(reply, ERR.params, 'expressType invalid');
      if (rejection === 'too_heavy')
        return this.fail(reply, ERR.refused, 'Weight out of range for this expressType');
      const quote = this.world
        .quote('idexpress', origin, destination, weightGrams, 0)
        .find((q) => q.service.code === service);
      if (rejection === 'unserviceable_route' || !quote)
        return this.fail(reply, ERR.refused, 'Route not covered by this expressType');
      // The fee is a bare number (idexpress.md §3.1).
      return this.ok(quote.price);
    });

    // Assumed endpoint: COD flags per expressType for a route (the per-account location list, idexpress.md §1).
    app.post('/open/v1/area/get-cod-coverage', async (request, reply) => {
      const d = this.json(request) as Body | undefined;
      if (!d || typeof d !== 'object' || !d.senderCityId || !d.recipientDistrictId)
        return this.fail(reply, ERR.params, 'senderCityId and recipientDistrictId are required');
      const { origin, destination } = await this.provinces(d, 'senderCityId', 'recipientDistrictId');
      if (!origin || !destination) return this.fail(reply, ERR.refused, 'Area not found');
      const rows = this.world.services('idexpress').map((s) => {
        const c = coverage('idexpress', s.code, origin, destination);
        return { expressType: s.code, expressTypeName: s.name, cod: s.cod && c.served && c.cod };
      });
      return this.ok(rows, rows.length);
    });

    app.post('/open/v1/waybill/create', async (request, reply) => {
      const orders = this.json(request);
      if (!Array.isArray(orders) || !orders.length)
        return this.fail(reply, ERR.params, 'data must be an array of orders');
      const results = [];
      for (const o of orders) results.push(await this.createOne((o ?? {}) as Body));
      return this.ok(results, results.length);
    });

    // Assumed: a partial update keyed by waybillNo; `serviceType: "00"` turns a drop-off into a pickup.
    app.post('/open/v1/waybill/update', async (request, reply) => {
      const d = this.json(request) as Body | undefined;
      if (!d || typeof d !== 'object' || !d.waybillNo)
        return this.fail(reply, ERR.params, 'waybillNo can not be empty');
      const parcel = await this.world.find('idexpress', payloadText(d.waybillNo));
      if (!parcel) return this.fail(reply, ERR.notFound, 'waybillNo not found');
      if (d.serviceType === '00') {
        const outcome = await this.world.requestPickup(parcel);
        if (outcome === 'cancelled') return this.fail(reply, ERR.state, 'Waybill has been cancelled');
        if (outcome === 'picked_up')
          return this.fail(reply, ERR.state, 'Waybill has been picked up, can not be updated');
      }
      // A new recipient address: kept for the next delivery run (assumed after pickup, idexpress.actions.ts).
      if (RECIPIENT_FIELDS.some((f) => d[f] !== undefined)) {
        const missing = RECIPIENT_FIELDS.filter((f) => !payloadText(d[f]).trim());
        if (missing.length) return this.fail(reply, ERR.params, `${missing.join(', ')} can not be empty`);
        if (!(await this.world.provinceOfCode('idexpress', payloadText(d.recipientDistrictId))))
          return this.fail(reply, ERR.params, 'recipientDistrictId not found');
        const request = Object.fromEntries(
          [...RECIPIENT_FIELDS, 'recipientCityId', 'recipientZipCode'].map((f) => [f, d[f]]),
        );
        return this.handle(reply, parcel.awb, {
          kind: 'update_address',
          note: payloadText(d.remark),
          request,
        });
      }
      return this.ok(null);
    });

    // Assumed (idexpress.actions.ts): ID Express publishes no problem-handling call.
    app.post('/open/v1/waybill/problem-handle', async (request, reply) => {
      const d = this.json(request) as Body | undefined;
      if (!d || typeof d !== 'object' || !d.waybillNo)
        return this.fail(reply, ERR.params, 'waybillNo can not be empty');
      const kind = HANDLE_KIND[payloadText(d.handleType)];
      if (!kind) return this.fail(reply, ERR.params, 'handleType invalid');
      if (!['0', '1'].includes(payloadText(d.recipientConfirmed, '0')))
        return this.fail(reply, ERR.params, 'recipientConfirmed invalid');
      return this.handle(reply, payloadText(d.waybillNo), {
        kind,
        confirmedWithBuyer: payloadText(d.recipientConfirmed) === '1',
        note: payloadText(d.remark),
      });
    });

    app.post('/open/v1/waybill/cancel', async (request, reply) => {
      const d = this.json(request) as Body | undefined;
      if (!d || typeof d !== 'object' || !d.waybillNo)
        return this.fail(reply, ERR.params, 'waybillNo can not be empty');
      const parcel = await this.world.find('idexpress', payloadText(d.waybillNo));
      if (!parcel) return this.fail(reply, ERR.notFound, 'waybillNo not found');
      const outcome = await this.world.cancel(parcel);
      if (outcome === 'already_cancelled')
        return this.fail(reply, ERR.state, 'Waybill has already been cancelled');
      if (outcome === 'picked_up')
        return this.fail(reply, ERR.state, 'Waybill has been picked up, can not be cancelled');
      return this.ok(null);
    });

    // `data` is the bare waybill list, comma-separated; unknown waybills are left out (idexpress.md §3.4).
    const track = async (request: FastifyRequest) => {
      const awbs = [
        ...new Set(
          this.dataOf(request)
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        ),
      ];
      const parcels = new Map((await this.world.findMany('idexpress', awbs)).map((p) => [p.awb, p]));
      const data = awbs.flatMap((awb) => (parcels.has(awb) ? [this.tracking(parcels.get(awb)!)] : []));
      return this.ok(data, data.length);
    };
    app.get('/open/v1/waybill/get-tracking', track);
    app.post('/open/v1/waybill/get-tracking', track);

    // `[{waybillNo}]` as documented; `[{orderNo}]` is our assumed look-up by merchant order (idexpress.md §3.5).
    app.post('/open/v1/waybill/get-last-operation-waybill-with-fee', async (request, reply) => {
      const keys = this.json(request);
      if (!Array.isArray(keys) || !keys.length)
        return this.fail(reply, ERR.params, 'data must be an array of {waybillNo} or {orderNo}');
      const rows = [];
      for (const k of keys as Body[]) {
        const parcels = k?.waybillNo
          ? [await this.world.find('idexpress', payloadText(k.waybillNo))].filter(
              (p): p is SandboxParcel => !!p,
            )
          : k?.orderNo
            ? await this.world.findByReference('idexpress', payloadText(k.orderNo))
            : [];
        for (const p of parcels) {
          const last = linesOf(p, this.world.happened(p)).at(-1);
          rows.push({
            waybillNo: p.awb,
            orderNo: p.reference,
            lastStatus: last?.operationType ?? '',
            lastOperationTime: last?.at ?? null,
            lastOperationCity: last?.branch ?? '',
            description: last?.description ?? '',
            expressType: p.service,
            shippingFee: p.price,
            codAmount: p.codAmount,
          });
        }
      }
      return this.ok(rows, rows.length);
    });
  }

  /** The push ID Express would send for the parcel's latest scan: a JSON array with a shared-token header (assumed, idexpress.md §3.6). */
  async webhookFor(awb: string): Promise<SandboxPush | null> {
    const parcel = await this.world.find('idexpress', awb);
    if (!parcel) return null;
    const last = linesOf(parcel, this.world.happened(parcel)).at(-1);
    if (!last) return null;
    const body = JSON.stringify([
      {
        waybillNo: parcel.awb,
        orderNo: parcel.reference,
        operationType: last.operationType,
        lastOperationTime: Math.floor(last.at / 1000),
        courierName: 'Kurir iDexpress',
        currentBranch: last.branch,
        nextBranch: last.nextBranch,
        signer: last.signer,
        relation: last.relation,
        problemCode: last.problemCode,
        problemDescription: last.problemText,
        proofOfStatus: last.proof,
        codAmount: String(parcel.codAmount),
      },
    ]);
    const json = { 'content-type': 'application/json' };
    return {
      headers: { ...json, 'x-idexpress-token': this.secret('webhook_token') },
      body,
      forged: { headers: { ...json, 'x-idexpress-token': this.secret('not_the_token') }, body },
      unsigned: { headers: json, body },
    };
  }
}

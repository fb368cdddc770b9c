import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CourierReason } from '../courier-adapter';
import { payloadText } from '../payload-text';
import { formatWib, formatWibDayFirst } from 'src/common/wib';
import { CourierSandbox, SandboxPush } from './courier-sandbox';
import type { SandboxParcel } from './sandbox.repository';
import type { ParcelActionKind } from '../courier-adapter';
import type { ActionRefusal, PlanStep } from './world';

/**
 * How the simulated JNE words a failed attempt: JNE's own codes for each cause (an integrator's catalogue
 * of JNE codes, samples/jne-statuscodes-1.json), the cause repeated in `desc` as JNE's pages show it.
 */
const FAILURE_BY_REASON: Partial<Record<CourierReason, { code: string; text: string }>> = {
  address_problem: { code: 'U01', text: 'ALAMAT TIDAK LENGKAP/ TIDAK DIKENAL' },
  consignee_absent: { code: 'U05', text: 'RUMAH /KANTOR KOSONG (MASIH DIHUNI)' },
  consignee_unreachable: { code: 'U02', text: 'PENERIMA TIDAK DI KENAL' },
  consignee_refused: { code: 'U06', text: 'DITOLAK OLEH PENERIMA' },
  consignee_refused_no_money: { code: 'U08', text: 'PENERIMA MENOLAK BAYAR (KIRIMAN COD)' },
  consignee_refused_did_not_order: { code: 'U21', text: 'PENERIMA MENOLAK MENERIMA KIRIMAN COD (TDK PESAN)' },
  misroute: { code: 'U12', text: 'MISROUTE' },
  max_attempts: { code: 'UB2', text: 'MELAMPAUI 3 HARI' },
};

interface History {
  date: string;
  desc: string;
  code: string;
  at: Date;
}

const place = (text: string) =>
  text
    .toUpperCase()
    .replace(/[[\]|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** ISO with the WIB offset, as the tracking summary writes dates. */
const isoWib = (at: Date) => `${formatWib(at).replace(' ', 'T')}+07:00`;

function historyOf(parcel: SandboxParcel, steps: PlanStep[]): History[] {
  const out: History[] = [];
  const receiver = place(payloadText(parcel.request.OLSHOP_RECEIVER_NAME, 'PENERIMA'));
  for (const s of steps) {
    const at = new Date(s.at);
    const where = place(s.location);
    let code: string;
    let desc: string;
    switch (s.status) {
      case 'created':
        continue; // a cnote without history until the first scan
      case 'pickup_requested':
        continue; // JNE shows no scan for a booked pickup (none is known): the cnote waits for PU1
      case 'picked_up':
        [code, desc] = steps.some((x) => x.status === 'pickup_requested')
          ? ['PU1', `PICKED UP BY COURIER [${where}]`]
          : ['RC1', `SHIPMENT RECEIVED BY JNE COUNTER OFFICER AT [${where}]`];
        break;
      case 'in_transit':
        if (s.location === parcel.originCity)
          [code, desc] = ['OP2', `PROCESSED AT SORTING CENTER [${where}]`];
        else if (s.location.startsWith('HUB '))
          [code, desc] = ['OP3', `SHIPMENT FORWARDED FROM TRANSIT CITY TO DESTINATION CITY [${where}]`];
        else [code, desc] = ['IP1', `RECEIVED AT WAREHOUSE [${where}]`];
        break;
      case 'out_for_delivery':
        [code, desc] = ['IP3', `WITH DELIVERY COURIER [${where}]`];
        break;
      case 'delivered': {
        // D09 = received by family; the addressee (D01) most of the time.
        const family = Number(parcel.awb.slice(-1)) % 5 === 0;
        [code, desc] = [
          family ? 'D09' : 'D01',
          `DELIVERED TO [${receiver} | ${formatWibDayFirst(at)} | ${where}]`,
        ];
        break;
      }
      case 'delivery_failed': {
        const failure = (s.reason && FAILURE_BY_REASON[s.reason]) || {
          code: 'DP5',
          text: 'DELIVERY PROBLEM',
        };
        [code, desc] = [failure.code, `UNDELIVERED [${failure.text}] [${where}]`];
        break;
      }
      // CR1 starts a return (the codes of samples/jne-statuscodes-1.json); on the way back JNE scans
      // with its usual movement codes, and R01 names who received the parcel back.
      case 'returning_to_sender':
        [code, desc] = out.some((h) => h.code === 'CR1')
          ? ['OP3', `SHIPMENT RETURN FORWARDED TO ORIGIN [${where}]`]
          : ['CR1', `SHIPMENT RETURN [${where}]`];
        break;
      case 'returned':
        [code, desc] = ['R01', `RETURN DELIVERED TO [SHIPPER | ${formatWibDayFirst(at)} | ${where}]`];
        break;
      case 'cancelled':
        [code, desc] = ['CR2', `CANCEL BY SHIPPER [${where}]`];
        break;
      // JNE has no known code for a missed pickup or a hold at a hub: the line carries none, and Kirim
      // reads its words (status-words.ts), as it would a real line with no code.
      case 'exception':
        [code, desc] =
          s.reason === 'pickup_failed'
            ? ['', `PICKUP FAILED [${where}]`]
            : ['', `SHIPMENT ON HOLD [${where}]`];
        break;
    }
    out.push({ date: formatWibDayFirst(at), desc, code, at });
  }
  return out;
}

/** `pod_status` of the summary: DELIVERED is documented, the others are assumed (jne.md §4). */
function podStatusOf(history: History[]): string {
  const last = history[history.length - 1]?.code ?? '';
  if (/^R\d\d$/.test(last)) return 'RETURNED';
  if (last === 'CR1' || history.some((h) => h.code === 'CR1')) return 'RETURN TO SHIPPER';
  if (/^D(0|1)/.test(last)) return 'DELIVERED';
  if (/^U|^DP/.test(last)) return 'UNDELIVERED';
  if (last === 'CR2') return 'CANCELLED';
  return 'ON PROCESS';
}

type Body = Record<string, unknown>;

/** The generatecnote fields and their limits (jne.md §3.2): text length, or digits for numbers. */
const CNOTE_FIELDS: [field: string, required: boolean, max: number, kind?: 'number' | 'digits'][] = [
  ['OLSHOP_BRANCH', true, 10],
  ['OLSHOP_CUST', true, 10],
  ['OLSHOP_ORDERID', true, 20],
  ['OLSHOP_SHIPPER_NAME', true, 30],
  ['OLSHOP_SHIPPER_ADDR1', true, 30],
  ['OLSHOP_SHIPPER_ADDR2', true, 30],
  ['OLSHOP_SHIPPER_ADDR3', false, 30],
  ['OLSHOP_SHIPPER_CITY', true, 20],
  ['OLSHOP_SHIPPER_REGION', false, 20],
  ['OLSHOP_SHIPPER_ZIP', true, 5, 'digits'],
  ['OLSHOP_SHIPPER_PHONE', true, 15, 'digits'],
  ['OLSHOP_RECEIVER_NAME', true, 30],
  ['OLSHOP_RECEIVER_ADDR1', true, 30],
  ['OLSHOP_RECEIVER_ADDR2', true, 30],
  ['OLSHOP_RECEIVER_ADDR3', false, 30],
  ['OLSHOP_RECEIVER_CITY', true, 20],
  ['OLSHOP_RECEIVER_REGION', false, 20],
  ['OLSHOP_RECEIVER_ZIP', true, 5, 'digits'],
  ['OLSHOP_RECEIVER_PHONE', true, 15, 'digits'],
  ['OLSHOP_QTY', true, 5, 'number'],
  ['OLSHOP_WEIGHT', true, 3, 'number'],
  ['OLSHOP_GOODSDESC', true, 60],
  ['OLSHOP_GOODSVALUE', true, 12, 'number'],
  ['OLSHOP_GOODSTYPE', true, 1],
  ['OLSHOP_INST', false, 60],
  ['OLSHOP_INS_FLAG', true, 1],
  ['OLSHOP_ORIG', true, 10],
  ['OLSHOP_DEST', true, 10],
  ['OLSHOP_SERVICE', true, 10],
  ['OLSHOP_COD_FLAG', true, 3],
  ['OLSHOP_COD_AMOUNT', true, 12, 'number'],
];

/** The first problem with a generatecnote body, in JNE's manner of naming the field first. */
function fieldProblem(b: Body): string | null {
  for (const [field, required, max, kind] of CNOTE_FIELDS) {
    const value = payloadText(b[field]);
    if (!value) {
      if (required) return `${field} Is Required.`;
      continue;
    }
    if (kind === 'number' && !/^\d+$/.test(value)) return `${field} Must Be A Whole Number.`;
    if (kind === 'digits' && !/^\d+$/.test(value)) return `${field} Must Be Digits.`;
    if (value.length > max) return `${field} Max ${max} ${kind === 'number' ? 'Digits' : 'Characters'}.`;
  }
  if (!['YES', 'N'].includes(String(b.OLSHOP_COD_FLAG))) return 'OLSHOP_COD_FLAG Must Be YES Or N.';
  if (!['Y', 'N'].includes(String(b.OLSHOP_INS_FLAG))) return 'OLSHOP_INS_FLAG Must Be Y Or N.';
  if (!(Number(b.OLSHOP_WEIGHT) > 0)) return 'OLSHOP_WEIGHT Must Be Greater Than 0.';
  return null;
}

/** The assumed instruction call (see jne.actions.ts): its words per action, and its refusals. */
const INSTRUCTION_KIND: Record<string, ParcelActionKind> = {
  REDELIVERY: 'reattempt',
  RETURN: 'return',
  CHANGE_ADDRESS: 'update_address',
  HOLD: 'hold',
};
const INSTRUCTION_REFUSAL: Record<ActionRefusal, string> = {
  before_pickup: 'Cnote Not Yet Received By JNE, Instruction Not Allowed.',
  delivered: 'Cnote Already Delivered, Instruction Not Allowed.',
  returning: 'Cnote Already In Return Process, Instruction Not Allowed.',
  returned: 'Cnote Already Returned To Shipper, Instruction Not Allowed.',
  cancelled: 'Cnote Already Cancelled, Instruction Not Allowed.',
  no_failed_attempt: 'No Undelivered Status On Cnote, Redelivery Not Allowed.',
};
/** The new address of a CHANGE_ADDRESS, pickupcashless's receiver fields and limits (jne.md §3.3). */
const RECEIVER_FIELDS: [field: string, required: boolean, max: number, digits?: boolean][] = [
  ['RECEIVER_NAME', true, 30],
  ['RECEIVER_ADDR1', true, 30],
  ['RECEIVER_ADDR2', true, 30],
  ['RECEIVER_ADDR3', false, 30],
  ['RECEIVER_CITY', true, 20],
  ['RECEIVER_REGION', false, 20],
  ['RECEIVER_ZIP', true, 5, true],
  ['RECEIVER_PHONE', true, 15, true],
];

function receiverProblem(b: Body): string | null {
  for (const [field, required, max, digits] of RECEIVER_FIELDS) {
    const value = payloadText(b[field]);
    if (!value) {
      if (required) return `${field} Is Required For CHANGE_ADDRESS.`;
      continue;
    }
    if (digits && !/^\d+$/.test(value)) return `${field} Must Be Digits.`;
    if (value.length > max) return `${field} Max ${max} Characters.`;
  }
  return null;
}

const USERNAME = 'KIRIMDEV';
const CUSTOMER_NO = '80000100';
const COD_CUSTOMER_NO = '80000101';
const BRANCH = 'CGK000';

/**
 * JNE's API: form-encoded POSTs with `username`/`api_key` fields, HTTP 200 error bodies, string
 * prices, 16-digit cnotes and `DD-MM-YYYY HH:mm` history (couriers/jne.md). The order-id lookup,
 * the COD fields, the return/cancel codes and the push are assumed.
 */
export class JneSandbox extends CourierSandbox {
  readonly code = 'jne' as const;

  account() {
    return {
      JNE_BASE_URL: this.baseUrl,
      JNE_USERNAME: USERNAME,
      JNE_API_KEY: this.secret('api_key'),
      JNE_CUSTOMER_NO: CUSTOMER_NO,
      JNE_COD_CUSTOMER_NO: COD_CUSTOMER_NO,
      JNE_BRANCH: BRANCH,
      WEBHOOK_TOKEN: this.secret('webhook_token'),
    };
  }

  protected serverError(reply: FastifyReply) {
    return reply.code(500).send({ status: false, error: 'Internal Server Error' });
  }

  private detail(status: string, extra: Record<string, string> = {}) {
    return { detail: [{ status, ...extra }] };
  }

  private refuse(reason: string, cnote?: string) {
    return this.detail('Error', { reason, ...(cnote ? { cnote_no: cnote } : {}) });
  }

  private tracking(parcel: SandboxParcel) {
    const b = parcel.request;
    const history = historyOf(parcel, this.world.happened(parcel));
    const last = history[history.length - 1];
    const pod = podStatusOf(history);
    const delivered = pod === 'DELIVERED' ? last : undefined;
    const weight = payloadText(b.OLSHOP_WEIGHT, String(Math.max(1, Math.round(parcel.weightGrams / 1000))));
    return {
      cnote: {
        cnote_no: parcel.awb,
        reference_number: parcel.reference,
        cnote_origin: payloadText(b.OLSHOP_ORIG),
        cnote_destination: payloadText(b.OLSHOP_DEST),
        cnote_services_code: parcel.service,
        servicetype: `${parcel.service}19`,
        cnote_cust_no: payloadText(b.OLSHOP_CUST),
        cnote_date: isoWib(parcel.createdAt),
        cnote_pod_receiver: delivered ? payloadText(b.OLSHOP_RECEIVER_NAME) : '',
        cnote_receiver_name: payloadText(b.OLSHOP_RECEIVER_NAME),
        city_name: place(parcel.destinationCity),
        cnote_pod_date: delivered ? isoWib(delivered.at) : '',
        pod_status: pod,
        last_status: last?.desc ?? '',
        cust_type: parcel.codAmount > 0 ? 'COD' : 'CREDIT',
        cnote_amount: String(parcel.price),
        cnote_weight: weight,
        pod_code: last?.code ?? '',
        keterangan: delivered ? (delivered.code === 'D09' ? 'KELUARGA/SAUDARA' : 'YANG BERSANGKUTAN') : '',
        cnote_goods_descr: payloadText(b.OLSHOP_GOODSDESC),
        freight_charge: String(parcel.price),
        shippingcost: String(parcel.price),
        insuranceamount: '0',
        priceperkg: String(Math.round(parcel.price / Math.max(1, Number(weight)))),
        signature: '',
        photo: '',
        long: '',
        lat: '',
        estimate_delivery: '',
      },
      detail: [
        {
          cnote_no: parcel.awb,
          cnote_date: isoWib(parcel.createdAt),
          cnote_weight: weight,
          cnote_origin: payloadText(b.OLSHOP_ORIG),
          cnote_shipper_name: payloadText(b.OLSHOP_SHIPPER_NAME),
          cnote_shipper_addr1: payloadText(b.OLSHOP_SHIPPER_ADDR1),
          cnote_shipper_addr2: payloadText(b.OLSHOP_SHIPPER_ADDR2),
          cnote_shipper_addr3: payloadText(b.OLSHOP_SHIPPER_ADDR3),
          cnote_shipper_city: payloadText(b.OLSHOP_SHIPPER_CITY),
          cnote_receiver_name: payloadText(b.OLSHOP_RECEIVER_NAME),
          cnote_receiver_addr1: payloadText(b.OLSHOP_RECEIVER_ADDR1),
          cnote_receiver_addr2: payloadText(b.OLSHOP_RECEIVER_ADDR2),
          cnote_receiver_addr3: payloadText(b.OLSHOP_RECEIVER_ADDR3),
          cnote_receiver_city: payloadText(b.OLSHOP_RECEIVER_CITY),
        },
      ],
      history: history.map(({ date, desc, code }) => ({ date, desc, code })),
    };
  }

  protected routes(app: FastifyInstance): void {
    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!String(request.headers['user-agent'] ?? '').trim())
        return reply.code(400).send({ status: false, error: 'User-Agent Is Required.' });
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return reply
          .code(400)
          .send({ status: false, error: 'Content-Type Must Be application/x-www-form-urlencoded.' });
      }
      const b = (request.body ?? {}) as Body;
      if (b.username !== USERNAME || b.api_key !== this.secret('api_key')) {
        // generatecnote answers with the string "false", the other endpoints with a boolean (jne.md §3.2).
        const status = request.url.includes('generatecnote') ? 'false' : false;
        return reply.code(200).send({ error: 'Username Or API KEY Not Found.', status });
      }
      return undefined;
    });

    app.post('/tracing/api/pricedev', async (request) => {
      const b = (request.body ?? {}) as Body;
      const from = payloadText(b.from);
      const thru = payloadText(b.thru);
      const weightKg = Number(b.weight);
      const origin = await this.world.provinceOfCode('jne', from);
      const destination = await this.world.provinceOfCode('jne', thru);
      if (from.length > 10 || thru.length > 10 || !origin || !destination || !(weightKg > 0))
        return { error: 'Price Not Found.', status: false };
      const quotes = this.world.quote('jne', origin, destination, weightKg * 1000, 0);
      if (!quotes.length) return { error: 'Price Not Found.', status: false };
      return {
        price: quotes.map((q) => ({
          origin_name: place(origin),
          destination_name: `${place(destination)} , ${place(destination)}`,
          service_display: q.service.code,
          service_code: `${q.service.code}19`,
          goods_type: 'Document/Paket',
          currency: 'IDR',
          price: String(q.price),
          etd_from: String(q.etaDays.min),
          etd_thru: String(q.etaDays.max),
          times: 'D',
          // Assumed per-item flag: JNE's tariff does not say where COD is possible.
          cod_flag: q.codAvailable ? 'YES' : 'N',
        })),
      };
    });

    app.post('/tracing/api/generatecnote', async (request) => {
      const b = (request.body ?? {}) as Body;
      const problem = fieldProblem(b);
      if (problem) return this.refuse(problem);
      if (b.OLSHOP_BRANCH !== BRANCH) return this.refuse('OLSHOP_BRANCH Not Registered For This Customer.');
      const cod = b.OLSHOP_COD_FLAG === 'YES';
      const codAmount = Number(b.OLSHOP_COD_AMOUNT);
      if (b.OLSHOP_CUST !== (cod ? COD_CUSTOMER_NO : CUSTOMER_NO))
        return this.refuse(`OLSHOP_CUST Is Not A ${cod ? 'COD' : 'Non-COD'} Customer No.`);
      if (cod && !(codAmount > 0)) return this.refuse('OLSHOP_COD_AMOUNT Is Required For COD.');
      if (!cod && codAmount > 0) return this.refuse('OLSHOP_COD_AMOUNT Must Be 0 When OLSHOP_COD_FLAG Is N.');
      const [existing] = await this.world.findByReference('jne', String(b.OLSHOP_ORDERID));
      if (existing) return this.refuse('Order ID Already Exists.', existing.awb);
      const origin = await this.world.provinceOfCode('jne', b.OLSHOP_ORIG);
      const destination = await this.world.provinceOfCode('jne', b.OLSHOP_DEST);
      if (!origin) return this.refuse('Origin Code Not Found.');
      if (!destination) return this.refuse('Destination Code Not Found.');
      const service = String(b.OLSHOP_SERVICE);
      const weightGrams = Number(b.OLSHOP_WEIGHT) * 1000;
      const rejection = this.world.check(
        'jne',
        service,
        origin,
        destination,
        weightGrams,
        cod ? codAmount : 0,
      );
      if (rejection === 'unknown_service') return this.refuse(`Service Code ${service} Not Found.`);
      if (rejection === 'unserviceable_route')
        return this.refuse(`Route Not Available For Service ${service}.`);
      if (rejection === 'too_heavy') return this.refuse(`Weight Exceeds Limit Of Service ${service}.`);
      if (rejection === 'cod_not_allowed')
        return this.refuse(`COD Not Available For Service ${service} To This Destination.`);
      if (rejection === 'cod_over_limit') return this.refuse('COD Amount Exceeds Limit.');
      const awb = `88${String(await this.world.nextAwbNumber('jne')).padStart(14, '0')}`;
      await this.world.create({
        courier: 'jne',
        awb,
        reference: String(b.OLSHOP_ORDERID),
        service,
        originCity: String(b.OLSHOP_SHIPPER_CITY),
        originProvince: origin,
        destinationCity: String(b.OLSHOP_RECEIVER_CITY),
        destinationProvince: destination,
        weightGrams,
        codAmount: cod ? codAmount : 0,
        // generatecnote only issues the cnote; a pickup is booked through pickupcashless.
        pickup: false,
        recipientPhone: String(b.OLSHOP_RECEIVER_PHONE),
        originRegency: await this.world.regencyOfCode('jne', b.OLSHOP_ORIG),
        destinationRegency: await this.world.regencyOfCode('jne', b.OLSHOP_DEST),
        request: b,
      });
      return this.detail('sukses', { cnote_no: awb });
    });

    // Assumed to mirror generatecnote's answer (jne.md §3.3).
    app.post('/pickupcashless', async (request) => {
      const b = (request.body ?? {}) as Body;
      const required = [
        'CUST_ID',
        'BRANCH',
        'ORDER_ID',
        'TYPE',
        'AWB',
        'PICKUP_NAME',
        'PICKUP_DATE',
        'PICKUP_TIME',
        'PICKUP_PIC_PHONE',
        'PICKUP_ADDRESS',
        'PICKUP_CITY',
      ];
      const missing = required.find((f) => b[f] === undefined || b[f] === '');
      if (missing) return this.refuse(`${missing} Is Required.`);
      if (!['PICKUP', 'DROP'].includes(String(b.TYPE))) return this.refuse('TYPE Must Be PICKUP Or DROP.');
      if (!/^\d{2}-\d{2}-\d{4}$/.test(String(b.PICKUP_DATE)))
        return this.refuse('PICKUP_DATE Must Be DD-MM-YYYY.');
      if (!/^\d{2}:\d{2}$/.test(String(b.PICKUP_TIME))) return this.refuse('PICKUP_TIME Must Be HH:mm.');
      const parcel = await this.world.find('jne', String(b.AWB));
      if (!parcel) return this.refuse('Cnote No. Not Found.');
      if (parcel.reference !== String(b.ORDER_ID)) return this.refuse('ORDER_ID Does Not Match The Cnote.');
      if (b.TYPE === 'DROP') return this.detail('sukses', { cnote_no: parcel.awb });
      const outcome = await this.world.requestPickup(parcel);
      if (outcome === 'cancelled') return this.refuse('Cnote Already Cancelled.', parcel.awb);
      if (outcome === 'picked_up') return this.refuse('Shipment Already Picked Up.', parcel.awb);
      return this.detail('sukses', { cnote_no: parcel.awb });
    });

    // Path assumed beside pickupcashless (jne.md §3.5).
    app.post('/order/cancel', async (request) => {
      const b = (request.body ?? {}) as Body;
      if (!b.cnote_no || !b.pic_cancel || !b.reason_cancel)
        return { status: false, reason: 'cnote_no, pic_cancel And reason_cancel Are Required.' };
      const parcel = await this.world.find('jne', payloadText(b.cnote_no));
      if (!parcel) return { status: false, reason: 'Cnote No. Not Found.' };
      const outcome = await this.world.cancel(parcel);
      if (outcome === 'already_cancelled') return { status: false, reason: 'Cnote Already Cancelled.' };
      if (outcome === 'picked_up')
        return { status: false, reason: 'Cnote Already Picked Up, Cannot Be Cancelled.' };
      return { status: true, reason: 'Cancel Success.' };
    });

    // Assumed (jne.actions.ts): JNE publishes no instruction API; answers like order/cancel.
    app.post('/order/instruction', async (request) => {
      const b = (request.body ?? {}) as Body;
      const awb = payloadText(b.cnote_no);
      const kind = INSTRUCTION_KIND[payloadText(b.instruction)];
      if (!awb || !payloadText(b.pic_instruction))
        return { status: false, reason: 'cnote_no And pic_instruction Are Required.' };
      if (!kind)
        return { status: false, reason: 'instruction Must Be REDELIVERY, RETURN, CHANGE_ADDRESS Or HOLD.' };
      if (!['Y', 'N'].includes(payloadText(b.buyer_confirmed, 'N')))
        return { status: false, reason: 'buyer_confirmed Must Be Y Or N.' };
      const note = payloadText(b.remark);
      if (note.length > 60) return { status: false, reason: 'remark Max 60 Characters.' };
      const problem = kind === 'update_address' ? receiverProblem(b) : null;
      if (problem) return { status: false, reason: problem };
      const answer = await this.world.requestAction(
        'jne',
        awb,
        {
          kind,
          confirmedWithBuyer: b.buyer_confirmed === 'Y',
          ...(note ? { note } : {}),
          ...(kind === 'update_address'
            ? { request: Object.fromEntries(RECEIVER_FIELDS.map(([f]) => [f, payloadText(b[f])])) }
            : {}),
        },
        (n) => `INS${awb}${String(n).padStart(2, '0')}`,
      );
      if (!answer) return { status: false, reason: 'Cnote No. Not Found.' };
      if (!answer.accepted) return { status: false, reason: INSTRUCTION_REFUSAL[answer.why] };
      return { status: true, reason: 'Instruction Received.', instruction_no: answer.reference };
    });

    app.post('/tracing/api/list/v1/cnote/:awb', async (request) => {
      const { awb } = request.params as { awb: string };
      const parcel = await this.world.find('jne', awb);
      if (!parcel) return { status: false, error: 'Cnote No. Not Found.' };
      return this.tracking(parcel);
    });

    // Assumed (to confirm with JNE): JNE publishes no lookup by order id; answers like the cnote tracing.
    app.post('/tracing/api/list/v1/orderid/:orderId', async (request) => {
      const { orderId } = request.params as { orderId: string };
      const parcels = await this.world.findByReference('jne', orderId);
      const parcel = parcels[parcels.length - 1];
      if (!parcel) return { status: false, error: 'Order ID Not Found.' };
      return this.tracking(parcel);
    });
  }

  /** The push JNE would send now (assumed shape and shared-token header, jne.md §3.7): the whole history. */
  async webhookFor(awb: string): Promise<SandboxPush | null> {
    const parcel = await this.world.find('jne', awb);
    if (!parcel) return null;
    const history = historyOf(parcel, this.world.happened(parcel));
    if (!history.length) return null;
    const body = JSON.stringify({
      awb: parcel.awb,
      status: podStatusOf(history),
      order_id: parcel.reference,
      history: history.map((h) => ({ date: formatWib(h.at), status_code: h.code, status_desc: h.desc })),
    });
    const json = { 'content-type': 'application/json' };
    return {
      headers: { ...json, 'x-jne-token': this.secret('webhook_token') },
      body,
      forged: { headers: { ...json, 'x-jne-token': this.secret('not_the_token') }, body },
      unsigned: { headers: json, body },
    };
  }
}

import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { CourierReason, ParcelActionKind } from '../courier-adapter';
import { payloadText } from '../payload-text';
import { formatWib } from 'src/common/wib';
import { CourierSandbox, SandboxPush } from './courier-sandbox';
import type { SandboxParcel } from './sandbox.repository';
import { parcelStage, PlanStep } from './world';

/** The note a J&T courier writes on a failed delivery (`152`); keywords assumed, see jnt.status-table.ts. */
const FAILURE_NOTE: Partial<Record<CourierReason, string>> = {
  address_problem: 'ALAMAT TIDAK LENGKAP',
  consignee_absent: 'RUMAH KOSONG',
  consignee_unreachable: 'PENERIMA TIDAK DAPAT DIHUBUNGI',
  consignee_refused: 'PENERIMA MENOLAK PAKET',
  consignee_refused_no_money: 'PENERIMA MENOLAK, TIDAK ADA UANG',
  consignee_refused_did_not_order: 'PENERIMA TIDAK MERASA PESAN',
};

interface History {
  date_time: string;
  city_name: string;
  status: string;
  status_code: number;
  note: string;
}

/** How the simulated J&T writes each world step (jnt.md §4): numeric codes, Indonesian texts, `100` for every movement. */
function historyOf(parcel: SandboxParcel, steps: PlanStep[]): History[] {
  let transits = 0;
  return steps.map((s) => {
    const city = s.location.toUpperCase();
    const entry = (status_code: number, status: string, note = ''): History => ({
      date_time: formatWib(new Date(s.at)),
      city_name: city,
      status,
      status_code,
      note,
    });
    switch (s.status) {
      case 'created':
      case 'pickup_requested':
        return entry(101, 'Manifes');
      case 'picked_up':
        return parcel.pickup
          ? entry(100, `Paket telah dijemput oleh kurir [${city}]`)
          : entry(100, `Paket telah diterima oleh [Drop Point ${city}]`);
      case 'in_transit':
        transits += 1;
        return transits === 1
          ? entry(100, `Paket akan dikirimkan ke [Gateway ${city}]`)
          : entry(100, `Paket telah sampai di [${city}]`);
      case 'out_for_delivery':
        return entry(100, `Paket akan dikirim ke alamat penerima [${city}]`);
      case 'delivered':
        return entry(200, 'Paket telah diterima', 'YANG BERSANGKUTAN');
      case 'delivery_failed':
        return entry(
          152,
          'Paket gagal dikirim',
          FAILURE_NOTE[s.reason ?? 'consignee_absent'] ?? 'GAGAL ANTAR',
        );
      case 'returning_to_sender':
        return entry(401, 'Paket akan dikembalikan ke pengirim');
      case 'returned':
        return entry(402, 'Paket telah dikembalikan ke pengirim');
      case 'cancelled':
        return entry(162, 'Pesanan dibatalkan');
      case 'exception':
        return s.reason === 'pickup_failed'
          ? entry(151, 'Pickup gagal')
          : entry(150, 'Paket bermasalah', 'PAKET DITAHAN');
    }
  });
}

type Body = Record<string, unknown>;

/** The assumed instruction call (see jnt.actions.ts): its words per action. */
const INSTRUCTION_KIND: Record<string, ParcelActionKind> = {
  KIRIM_ULANG: 'reattempt',
  RETUR: 'return',
  UBAH_ALAMAT: 'update_address',
  TAHAN: 'hold',
};
/** The order status J&T names in a refusal ("Status pesanan adalah : GOT" once picked up, jnt.md §3.3). */
const ORDER_STATE: Record<string, string> = {
  before_pickup: 'PENDING',
  picked_up: 'GOT',
  in_transit: 'TRANSIT',
  out_for_delivery: 'DELIVERY',
  delivery_failed: 'PROBLEM',
  delivered: 'SIGNED',
  returning: 'RETURN',
  returned: 'RETURNED',
  cancelled: 'CANCEL',
};
const RECEIVER_FIELDS = ['receiver_name', 'receiver_phone', 'receiver_addr', 'receiver_zip'];

/** J&T's signature, written again here so the sandbox checks the adapter instead of agreeing with it (jnt.md §2). */
const dataSign = (json: string, key: string) =>
  Buffer.from(
    createHash('md5')
      .update(json + key)
      .digest('hex'),
  ).toString('base64');

const PHONE = /^\+62\d{6,12}$/;
const PLAIN = /^[A-Za-z0-9 ]+$/;
const WIB_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Why J&T's strict validator refuses an order item (limits of jnt.md §3.2), or null. */
function invalidField(o: Body): string | null {
  const text = (f: string) => payloadText(o[f]);
  const required = [
    'orderid',
    'shipper_name',
    'shipper_contact',
    'shipper_phone',
    'shipper_addr',
    'origin_code',
    'receiver_name',
    'receiver_phone',
    'receiver_addr',
    'receiver_zip',
    'destination_code',
    'receiver_area',
    'qty',
    'weight',
    'goodsdesc',
    'item_name',
    'servicetype',
    'expresstype',
    'orderdate',
    'sendstarttime',
    'sendendtime',
    'goodsvalue',
  ];
  const missing = required.filter((f) => !text(f).trim());
  if (missing.length) return `${missing.join(', ')} tidak boleh kosong`;
  if (text('orderid').length > 20) return 'orderid maksimal 20 karakter';
  for (const f of ['shipper_name', 'shipper_contact', 'receiver_name'])
    if (text(f).length > 30) return `${f} maksimal 30 karakter`;
  for (const f of ['shipper_phone', 'receiver_phone'])
    if (text(f).length > 15 || !PHONE.test(text(f))) return `${f} harus diawali +62, maksimal 15 karakter`;
  for (const f of ['shipper_addr', 'receiver_addr'])
    if (text(f).length > 200) return `${f} maksimal 200 karakter`;
  for (const f of ['origin_code', 'destination_code'])
    if (text(f).length !== 3) return `${f} harus 3 karakter`;
  if (text('receiver_area').length > 10) return 'receiver_area maksimal 10 karakter';
  if (!/^\d{5}$/.test(text('receiver_zip'))) return 'receiver_zip harus 5 digit';
  if (text('goodsdesc').length > 40 || !PLAIN.test(text('goodsdesc')))
    return 'goodsdesc hanya huruf, angka dan spasi, maksimal 40 karakter';
  if (text('item_name').length > 50 || !PLAIN.test(text('item_name')))
    return 'item_name hanya huruf, angka dan spasi, maksimal 50 karakter';
  const weight = Number(o.weight);
  if (!(weight > 0 && weight <= 100)) return 'weight harus lebih dari 0 dan maksimal 100 kg';
  if (!(Number.isInteger(Number(o.qty)) && Number(o.qty) > 0)) return 'qty tidak valid';
  if (!['1', '6'].includes(text('servicetype'))) return 'servicetype tidak valid';
  if (text('expresstype') !== '1') return 'expresstype tidak valid';
  for (const f of ['orderdate', 'sendstarttime', 'sendendtime'])
    if (!WIB_TIME.test(text(f))) return `${f} harus YYYY-MM-DD HH:mm:ss`;
  if (!Number.isInteger(Number(o.goodsvalue)) || Number(o.goodsvalue) < 0)
    return 'goodsvalue harus bilangan bulat';
  if (o.insurance !== undefined && !Number.isInteger(Number(o.insurance)))
    return 'insurance harus bilangan bulat';
  if (o.cod !== undefined && !/^\d{1,8}$/.test(text('cod')))
    return 'cod harus bilangan bulat, maksimal 8 digit';
  return null;
}

/**
 * J&T Express Indonesia's legacy e-commerce API (couriers/jnt.md): form posts with a signed JSON field,
 * `success`/`is_success` flags as booleans or strings, business errors in HTTP 200, and the Basic-auth
 * JSON tracking call. One server carries the paths of the tariff, order and tracking hosts.
 */
export class JntSandbox extends CourierSandbox {
  readonly code = 'jnt' as const;
  /** Alternates the tariff `content` between a list and a JSON string, as J&T does (jnt.md §3.1). */
  private tariffCalls = 0;

  account() {
    return {
      JNT_BASE_URL: this.baseUrl,
      JNT_USERNAME: 'KIRIMDEV',
      JNT_API_KEY: this.secret('api_key'),
      JNT_ORDER_KEY: this.secret('order_key'),
      JNT_TARIFF_KEY: this.secret('tariff_key'),
      JNT_CUSTOMER_NAME: 'KIRIM',
      JNT_ECCOMPANY_ID: 'KIRIM',
      JNT_TRACKING_PASSWORD: this.secret('tracking_password'),
    };
  }

  /** J&T's gateway answers an internal error with a bare 500 page. */
  protected serverError(reply: FastifyReply) {
    return reply
      .code(500)
      .type('text/html')
      .send('<html><body><h1>500 Internal Server Error</h1></body></html>');
  }

  /** The signed JSON of a form post, or null after answering J&T's own error (assumed text, jnt.md §5). */
  private signed(
    request: FastifyRequest,
    reply: FastifyReply,
    jsonField: string,
    signField: string,
    key: string,
    failure: (msg: string) => unknown,
  ): Body | null {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const json = typeof form[jsonField] === 'string' ? form[jsonField] : '';
    const sign = typeof form[signField] === 'string' ? form[signField] : undefined;
    if (!json) {
      void reply.code(200).send(failure('Kesalahan pada parameter'));
      return null;
    }
    if (sign !== dataSign(json, key)) {
      void reply.code(200).send(failure('sign error'));
      return null;
    }
    try {
      const parsed = JSON.parse(json) as unknown;
      if (parsed && typeof parsed === 'object') return parsed as Body;
    } catch {
      // answered below
    }
    void reply.code(200).send(failure('Kesalahan pada parameter'));
    return null;
  }

  private orderFailure = (desc: string) => ({ success: false, desc });
  private itemError = (orderid: unknown, reason: string, extra: Body = {}) => ({
    success: true,
    desc: 'Request berhasil',
    detail: [{ orderid, status: 'Error', reason, etd: 'No Data', ...extra }],
  });
  private credentialsOk = (item: Body) =>
    item.username === 'KIRIMDEV' && item.api_key === this.secret('api_key');

  protected routes(app: FastifyInstance): void {
    app.post('/jandt_track/inquiry.action', async (request, reply) => {
      const data = this.signed(request, reply, 'data', 'sign', this.secret('tariff_key'), (message) => ({
        is_success: 'false',
        message,
        content: null,
      }));
      if (!data) return reply;
      if (data.cusName !== 'KIRIM')
        return { is_success: 'false', message: 'cusName tidak terdaftar', content: null };
      const weightKg = Number(data.weight);
      if (!Number.isFinite(weightKg) || weightKg <= 0)
        return { is_success: 'false', message: 'weight tidak valid', content: null };
      // The tariff is keyed by J&T's names: the origin city's and the destination district's (jnt.md §3.1).
      const origin = await this.world.provinceOfCode('jnt', data.sendSiteCode, 'cityLabel');
      const destination = await this.world.locations.placeOf('jnt', 'label', payloadText(data.destAreaCode));
      if (!origin || !destination)
        return { is_success: 'false', message: 'Invalid area code', content: null };
      const productType = payloadText(data.productType, 'EZ');
      const content = this.world
        .quote('jnt', origin, destination.province, Math.round(weightKg * 1000), 0)
        .filter((q) => q.service.code === productType)
        .map((q) => ({ name: q.service.code, cost: String(q.price), productType: q.service.code }));
      this.tariffCalls += 1;
      return {
        is_success: 'true',
        message: '',
        content: this.tariffCalls % 2 ? JSON.stringify(content) : content,
      };
    });

    app.post('/jts-idn-ecommerce-api/api/order/create', async (request, reply) => {
      const data = this.signed(
        request,
        reply,
        'data_param',
        'data_sign',
        this.secret('order_key'),
        this.orderFailure,
      );
      if (!data) return reply;
      const o = (Array.isArray(data.detail) ? data.detail[0] : undefined) as Body | undefined;
      if (!o || typeof o !== 'object') return this.orderFailure('Kesalahan pada parameter');
      if (!this.credentialsOk(o)) return this.orderFailure('username atau api_key salah');
      const invalid = invalidField(o);
      if (invalid) return this.itemError(o.orderid, invalid);
      const orderid = String(o.orderid);
      const [existing] = await this.world.findByReference('jnt', orderid);
      // Some clients read the existing AWB from this error (jnt.md §3.2).
      if (existing)
        return this.itemError(orderid, 'Orderid tidak boleh sama', {
          awb_no: existing.awb,
          existing_awbno: existing.awb,
        });
      const origin = await this.world.provinceOfCode('jnt', o.origin_code, 'cityCode');
      const destination = await this.world.provinceOfCode('jnt', o.destination_code, 'cityCode');
      const area = await this.world.locations.placeOf('jnt', 'code', payloadText(o.receiver_area));
      const areaCity = area && (await this.world.locations.codeFor('jnt', area.districtCode))?.cityCode;
      if (!origin) return this.itemError(orderid, 'Kota Pengirim Error');
      // The area must lie in the destination city, as J&T's own table says.
      if (!destination || !areaCity || areaCity !== payloadText(o.destination_code).toUpperCase()) {
        return this.itemError(orderid, 'Kecamatan Penerima Error');
      }
      const weightGrams = Math.round(Number(o.weight) * 1000);
      const cod = Number(o.cod ?? 0);
      const rejection = this.world.check('jnt', 'EZ', origin, destination, weightGrams, cod);
      if (rejection === 'unserviceable_route')
        return this.itemError(orderid, 'Area tujuan di luar jangkauan');
      if (rejection === 'too_heavy') return this.itemError(orderid, 'Berat melebihi batas');
      if (rejection === 'cod_not_allowed') return this.itemError(orderid, 'Area tujuan tidak melayani COD');
      if (rejection === 'cod_over_limit') return this.itemError(orderid, 'Nilai COD melebihi batas maksimal');
      if (rejection) return this.itemError(orderid, 'expresstype tidak valid');
      const awb = `JO${String(await this.world.nextAwbNumber('jnt')).padStart(10, '0')}`;
      await this.world.create({
        courier: 'jnt',
        awb,
        reference: orderid,
        service: 'EZ',
        // The order carries codes, not names: checkpoints name the province.
        originCity: origin,
        originProvince: origin,
        destinationCity: destination,
        destinationProvince: destination,
        weightGrams,
        codAmount: cod,
        pickup: String(o.servicetype) === '1',
        recipientPhone: payloadText(o.receiver_phone),
        originRegency: await this.world.regencyOfCode('jnt', o.origin_code, 'cityCode'),
        destinationRegency: await this.world.regencyOfCode('jnt', o.destination_code, 'cityCode'),
        request: o,
      });
      const [quote] = this.world.quote('jnt', origin, destination, weightGrams, cod);
      return {
        success: true,
        desc: 'Request berhasil',
        detail: [
          {
            awb_no: awb,
            orderid,
            desCode: `${String(o.destination_code)}-${String(o.receiver_area)}`,
            etd: quote ? `${quote.etaDays.min}-${quote.etaDays.max}` : 'No Data',
            status: 'Sukses',
          },
        ],
      };
    });

    app.post('/jts-idn-ecommerce-api/api/order/cancel', async (request, reply) => {
      const data = this.signed(
        request,
        reply,
        'data_param',
        'data_sign',
        this.secret('order_key'),
        this.orderFailure,
      );
      if (!data) return reply;
      const c = (Array.isArray(data.detail) ? data.detail[0] : undefined) as Body | undefined;
      if (!c || typeof c !== 'object' || !c.orderid) return this.orderFailure('Kesalahan pada parameter');
      if (!this.credentialsOk(c)) return this.orderFailure('username atau api_key salah');
      const orderid = payloadText(c.orderid);
      const fail = (reason: string) => ({
        success: true,
        desc: 'Request berhasil',
        detail: [{ orderid, status: 'Error', reason }],
      });
      if (payloadText(c.remark).length > 30) return fail('remark maksimal 30 karakter');
      const [parcel] = await this.world.findByReference('jnt', orderid);
      if (!parcel) return fail('Orderid tidak ditemukan');
      const outcome = await this.world.cancel(parcel);
      if (outcome === 'already_cancelled')
        return fail('Pesanan tidak dapat dibatalkan. Status pesanan adalah : CANCEL');
      if (outcome === 'picked_up') return fail('Pesanan tidak dapat dibatalkan. Status pesanan adalah : GOT');
      return { success: true, desc: 'Request berhasil', detail: [{ orderid, status: 'Sukses', reason: '' }] };
    });

    // Assumed (jnt.actions.ts): J&T publishes no instruction API; signed and answered like cancel.
    app.post('/jts-idn-ecommerce-api/api/order/instruction', async (request, reply) => {
      const data = this.signed(
        request,
        reply,
        'data_param',
        'data_sign',
        this.secret('order_key'),
        this.orderFailure,
      );
      if (!data) return reply;
      const i = (Array.isArray(data.detail) ? data.detail[0] : undefined) as Body | undefined;
      if (!i || typeof i !== 'object') return this.orderFailure('Kesalahan pada parameter');
      if (!this.credentialsOk(i)) return this.orderFailure('username atau api_key salah');
      const orderid = payloadText(i.orderid);
      const awb = payloadText(i.awb_no);
      const fail = (reason: string) => ({
        success: true,
        desc: 'Request berhasil',
        detail: [{ orderid, awb_no: awb, status: 'Error', reason }],
      });
      const kind = INSTRUCTION_KIND[payloadText(i.instruction)];
      if (!awb) return fail('awb_no tidak boleh kosong');
      if (!kind) return fail('instruction tidak valid');
      if (!['Y', 'N'].includes(payloadText(i.buyer_confirmed, 'N')))
        return fail('buyer_confirmed tidak valid');
      const note = payloadText(i.remark);
      if (note.length > 100) return fail('remark maksimal 100 karakter');
      if (kind === 'update_address') {
        const missing = RECEIVER_FIELDS.filter((f) => !payloadText(i[f]).trim());
        if (missing.length) return fail(`${missing.join(', ')} tidak boleh kosong`);
        if (!/^\+62\d{6,12}$/.test(payloadText(i.receiver_phone)))
          return fail('receiver_phone harus diawali +62, maksimal 15 karakter');
        if (!/^\d{5}$/.test(payloadText(i.receiver_zip))) return fail('receiver_zip harus 5 digit');
      }
      const parcel = await this.world.find('jnt', awb);
      if (!parcel) return fail('Nomor resi tidak ditemukan');
      if (orderid && parcel.reference !== orderid) return fail('orderid tidak sesuai dengan nomor resi');
      const answer = await this.world.requestAction(
        'jnt',
        awb,
        {
          kind,
          confirmedWithBuyer: i.buyer_confirmed === 'Y',
          ...(note ? { note } : {}),
          ...(kind === 'update_address'
            ? {
                request: Object.fromEntries(
                  [...RECEIVER_FIELDS, 'destination_code', 'receiver_area'].map((f) => [f, i[f]]),
                ),
              }
            : {}),
        },
        (n) => `TK${awb.slice(2)}${n}`,
      );
      if (!answer) return fail('Nomor resi tidak ditemukan');
      if (!answer.accepted) {
        const stage = parcelStage(this.world.happened(answer.parcel));
        const what =
          answer.why === 'no_failed_attempt'
            ? 'Kirim ulang hanya untuk paket gagal kirim'
            : 'Instruksi tidak dapat diproses';
        return fail(`${what}. Status pesanan adalah : ${ORDER_STATE[stage]}`);
      }
      return {
        success: true,
        desc: 'Request berhasil',
        detail: [{ orderid, awb_no: awb, status: 'Sukses', reason: '', ticket_no: answer.reference }],
      };
    });

    app.post('/jandt_track/track/trackAction!tracking.action', async (request) => {
      const expected = `Basic ${Buffer.from(`KIRIM:${this.secret('tracking_password')}`).toString('base64')}`;
      if (request.headers.authorization !== expected)
        return { error_id: '401', error_message: 'Unauthorized' };
      let b: Body;
      try {
        // Fastify hands text/plain over as a string; old clients send the tracking JSON that way (jnt.md §3.4).
        b = (typeof request.body === 'string' ? JSON.parse(request.body) : (request.body ?? {})) as Body;
      } catch {
        return { error_id: '400', error_message: 'Invalid request' };
      }
      if (b.eccompanyid !== 'KIRIM') return { error_id: '401', error_message: 'Unauthorized' };
      let parcel: SandboxParcel | null;
      if (b.awb) parcel = await this.world.find('jnt', payloadText(b.awb));
      // Assumed (confirm with J&T): lookup by our order id on the tracking endpoint.
      else if (b.orderid)
        parcel = (await this.world.findByReference('jnt', payloadText(b.orderid)))[0] ?? null;
      else return { error_id: '400', error_message: 'awb tidak boleh kosong' };
      if (!parcel) return { error_id: '404', error_message: b.awb ? 'Invalid AWB number' : 'Data not found' };
      return this.tracking(parcel);
    });
  }

  private tracking(parcel: SandboxParcel) {
    const o = parcel.request;
    const steps = this.world.happened(parcel);
    const kg = Math.max(1, Math.round(parcel.weightGrams / 1000));
    return {
      awb: parcel.awb,
      orderid: parcel.reference,
      detail: {
        shipped_date: formatWib(parcel.createdAt),
        services_code: parcel.service,
        services_type: payloadText(o.servicetype),
        actual_amount: parcel.price,
        weight: kg,
        qty: 1,
        itemname: payloadText(o.item_name),
        note: '',
        detail_cost: {
          shipping_cost: parcel.price,
          add_cost: 0,
          insurance_cost: 0,
          cod: parcel.codAmount,
          return_cost: steps.some((s) => s.returnLeg) ? parcel.price : 0,
        },
        sender: {
          name: payloadText(o.shipper_name),
          addr: payloadText(o.shipper_addr),
          city: parcel.originCity.toUpperCase(),
          zipcode: '',
          geoloc: '',
        },
        receiver: {
          name: payloadText(o.receiver_name),
          addr: payloadText(o.receiver_addr),
          city: parcel.destinationCity.toUpperCase(),
          zipcode: payloadText(o.receiver_zip),
          geoloc: '',
        },
        driver: { name: '' },
        delivDriver: { id: '', name: '', phone: '', photo: '' },
      },
      history: historyOf(parcel, steps),
    };
  }

  /** The push J&T would send for the parcel's latest event (assumed shape and signing, jnt.md §3.6). */
  async webhookFor(awb: string): Promise<SandboxPush | null> {
    const parcel = await this.world.find('jnt', awb);
    if (!parcel) return null;
    const history = historyOf(parcel, this.world.happened(parcel));
    const last = history[history.length - 1];
    if (!last) return null;
    const dataParam = JSON.stringify({
      awb: parcel.awb,
      orderid: parcel.reference,
      status_code: last.status_code,
      status: last.status,
      date_time: last.date_time,
      city_name: last.city_name,
      note: last.note,
    });
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    return {
      headers,
      body: form({ data_param: dataParam, data_sign: dataSign(dataParam, this.secret('order_key')) }),
      forged: {
        headers,
        body: form({
          data_param: dataParam,
          data_sign: dataSign(dataParam, this.secret('not_the_order_key')),
        }),
      },
      unsigned: { headers, body: form({ data_param: dataParam }) },
    };
  }
}

import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CourierReason, ParcelActionKind } from '../courier-adapter';
import { payloadText } from '../payload-text';
import { formatWib } from 'src/common/wib';
import { CourierSandbox, SandboxPush } from './courier-sandbox';
import type { SandboxParcel } from './sandbox.repository';
import type { PlanStep } from './world';

/** How the simulated SAP writes each world step (couriers/sap.md §4): rowstate_name, numeric rowstate, POD codes. */
const POD_BY_REASON: Partial<Record<CourierReason, { pod: string; detail?: string }>> = {
  address_problem: { pod: 'O3' },
  consignee_absent: { pod: 'O5' },
  consignee_unreachable: { pod: 'N1' },
  consignee_refused: { pod: 'O7', detail: 'RJ006' },
  consignee_refused_no_money: { pod: 'O7', detail: 'RJ002' },
  consignee_refused_did_not_order: { pod: 'O7', detail: 'RJ003' },
  misroute: { pod: 'MR' },
};

function rowsOf(parcel: SandboxParcel, steps: PlanStep[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let transits = 0;
  for (const [i, s] of steps.entries()) {
    let name: string | null = null;
    let rowstate = '0';
    let pod: { pod: string; detail?: string } | undefined;
    switch (s.status) {
      case 'created':
        continue; // an AWB without rows until the first checkpoint
      case 'pickup_requested':
        [name, rowstate] = ['ENTRI (SEDANG DI PICKUP)', '1'];
        break;
      case 'picked_up':
        [name, rowstate] = ['PICKED UP', '22'];
        break;
      case 'in_transit':
        transits += 1;
        [name, rowstate] =
          transits === 1
            ? ['MANIFEST OUTGOING', '4']
            : s.location.startsWith('HUB ')
              ? ['OUTGOING SMU', '5']
              : ['INCOMING', '7'];
        break;
      case 'out_for_delivery':
        // SAP sometimes sends the checkpoint with a trailing space (sap.md §3.6).
        [name, rowstate] = [i % 2 ? 'DELIVERY ' : 'DELIVERY', '8'];
        break;
      case 'delivered':
        [name, rowstate, pod] = ['POD - DELIVERED', '9', { pod: 'DL' }];
        break;
      case 'delivery_failed':
        [name, rowstate, pod] = [
          'POD - UNDELIVERED',
          '9',
          POD_BY_REASON[s.reason ?? 'consignee_absent'] ?? { pod: 'O5' },
        ];
        break;
      case 'returning_to_sender':
        [name, rowstate] = ['OUTGOING RETURN', '11'];
        break;
      case 'returned':
        [name, rowstate] = ['SHIPMENT RETURN TO CLIENT', '12'];
        break;
      case 'cancelled':
        [name, rowstate] = ['VOID_PICKUP', '0'];
        break;
      case 'exception':
        [name, rowstate] = ['ENTRI (PENDING PICKUP)', '23'];
        break;
    }
    rows.push({
      awb_no: parcel.awb,
      reference_no: parcel.reference,
      service_type_code: parcel.service,
      origin: parcel.originCity.toUpperCase(),
      destination: parcel.destinationCity.toUpperCase(),
      origin_code: parcel.request.pickup_district_code,
      destination_code: parcel.request.destination_district_code,
      shipping_cost: String(parcel.price),
      cod_value: String(parcel.codAmount),
      shipper_name: parcel.request.shipper_name,
      receiver_name: parcel.request.receiver_name,
      rowstate,
      rowstate_name: name,
      rowstate_web: name,
      pod_status_code: pod?.pod ?? '',
      pod_status_name: pod ? (pod.pod === 'DL' ? 'DITERIMA OLEH' : 'TIDAK TERKIRIM') : '',
      pod_reason_detail_code: pod?.detail ?? '',
      description: `[${s.location.toUpperCase()}]`,
      kilo: String(Math.max(1, Math.round(parcel.weightGrams / 1000))),
      kilo_actual: String(Math.max(1, Math.round(parcel.weightGrams / 1000))),
      koli: '1',
      create_date: formatWib(new Date(s.at)),
      current_branch_name: s.location.toUpperCase(),
      photo_pod: [],
      signature_pod: [],
    });
  }
  return rows;
}

type Body = Record<string, unknown>;

/** The assumed instruction call (see sap.actions.ts): its codes per action. */
const INSTRUCTION_KIND: Record<string, ParcelActionKind> = {
  INS01: 'reattempt',
  INS02: 'return',
  INS03: 'update_address',
  INS04: 'hold',
};
const RECEIVER_FIELDS = ['receiver_name', 'receiver_address', 'receiver_phone', 'destination_district_code'];

/** SAP Express (SAPX) v2 API: JSON, `api_key` header, `{status, msg, data}` envelope with real HTTP codes. */
export class SapSandbox extends CourierSandbox {
  readonly code = 'sap' as const;

  account() {
    return {
      SAP_BASE_URL: this.baseUrl,
      SAP_API_KEY: this.secret('api_key'),
      SAP_CUSTOMER_CODE: 'DEV000',
      SAP_COD_CUSTOMER_CODE: 'DEV001',
      WEBHOOK_TOKEN: this.secret('webhook_token'),
    };
  }

  protected serverError(reply: FastifyReply) {
    return reply.code(500).send({ status: 'fail', msg: 'Internal Server Error' });
  }

  private fail(reply: FastifyReply, code: number, msg: string) {
    return reply.code(code).send({ status: 'fail', msg });
  }

  protected routes(app: FastifyInstance): void {
    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.headers['api_key'] ?? request.headers['api-key'];
      if (key !== this.secret('api_key')) return this.fail(reply, 401, 'Unauthorized');
      return undefined;
    });

    app.post('/v2/master/shipment_cost', async (request, reply) => {
      const b = (request.body ?? {}) as Body;
      const origin = await this.world.provinceOfCode('sap', b.origin);
      const destination = await this.world.provinceOfCode('sap', b.destination);
      const weightKg = Number(b.weight);
      if (!b.origin || !b.destination || !Number.isFinite(weightKg) || weightKg <= 0)
        return this.fail(reply, 422, 'Parameter tidak lengkap');
      if (!origin || !destination) return this.fail(reply, 200, 'Harga tidak ditemukan');
      const quotes = this.world.quote('sap', origin, destination, weightKg * 1000, 0);
      if (!quotes.length) return reply.code(200).send({ status: 'fail', msg: 'Harga tidak ditemukan' });
      return {
        status: 'success',
        msg: 'success',
        data: {
          origin: b.origin,
          destination: b.destination,
          coverage_cod: quotes.some((q) => q.codAvailable),
          services: quotes.map((q) => ({
            service_type_code: q.service.code,
            service_type_name: q.service.name,
            cost: String(Math.round(q.price / Math.max(1, Math.ceil(weightKg)))),
            total_cost: String(q.price),
            sla: `${q.etaDays.min} - ${q.etaDays.max} Hari`,
            minimum_kilo: '1',
            kilo_divider: '6000',
            weight: String(weightKg),
            final_weight: String(Math.max(1, Math.ceil(weightKg))),
            cod_available: q.codAvailable,
          })),
        },
      };
    });

    app.post('/v2/shipment/pickup/create', async (request, reply) => {
      const b = (request.body ?? {}) as Body;
      const required = [
        'customer_code',
        'reference_no',
        'pickup_name',
        'pickup_address',
        'pickup_phone',
        'pickup_place',
        'pickup_district_code',
        'service_type_code',
        'koli',
        'weight',
        'volumetric',
        'shipment_type_code',
        'shipment_content_code',
        'shipper_name',
        'shipper_address',
        'shipper_phone',
        'shipper_contact',
        'destination_district_code',
        'receiver_name',
        'receiver_address',
        'receiver_phone',
        'receiver_contact',
      ];
      const missing = required.filter((f) => b[f] === undefined || b[f] === '');
      if (missing.length) return this.fail(reply, 422, `Parameter ${missing.join(', ')} wajib diisi`);
      if (String(b.reference_no).length > 20 || !/^[A-Za-z0-9_-]+$/.test(String(b.reference_no)))
        return this.fail(reply, 422, 'reference_no tidak valid');
      if (String(b.shipper_name).length > 20)
        return this.fail(reply, 422, 'shipper_name maksimal 20 karakter');
      const isCodCustomer = b.customer_code === 'DEV001';
      const cod = Number(b.cod_value ?? 0);
      if (isCodCustomer && !(cod > 0))
        return this.fail(reply, 422, 'cod_value wajib diisi untuk customer COD');
      if (!isCodCustomer && cod > 0) return this.fail(reply, 422, 'customer_code bukan customer COD');
      if (!['DEV000', 'DEV001'].includes(String(b.customer_code)))
        return this.fail(reply, 401, 'customer_code tidak terdaftar');
      const origin = await this.world.provinceOfCode('sap', b.pickup_district_code);
      const destination = await this.world.provinceOfCode('sap', b.destination_district_code);
      if (!origin || !destination) return this.fail(reply, 422, 'Kode kecamatan tidak ditemukan');
      const weightGrams = Number(b.weight) * 1000;
      const rejection = this.world.check(
        'sap',
        String(b.service_type_code),
        origin,
        destination,
        weightGrams,
        cod,
      );
      if (rejection === 'unknown_service') return this.fail(reply, 422, 'service_type_code tidak valid');
      if (rejection === 'unserviceable_route') return this.fail(reply, 422, 'Rute tidak dilayani');
      if (rejection === 'too_heavy') return this.fail(reply, 422, 'Berat melebihi batas layanan');
      if (rejection === 'cod_not_allowed' || rejection === 'cod_over_limit')
        return this.fail(reply, 422, 'Area tujuan tidak melayani COD');
      // Repeating reference_no creates a new AWB, as integrators report (sap.md §3.4).
      const awb = `SAP${String(await this.world.nextAwbNumber('sap')).padStart(10, '0')}`;
      const parcel = await this.world.create({
        courier: 'sap',
        awb,
        reference: String(b.reference_no),
        service: String(b.service_type_code),
        // SAP's create carries district codes, not city names: checkpoints name the province.
        originCity: origin,
        originProvince: origin,
        destinationCity: destination,
        destinationProvince: destination,
        weightGrams,
        codAmount: cod,
        pickup: Number(b.pickup_place) === 1,
        recipientPhone: String(b.receiver_phone),
        originRegency: await this.world.regencyOfCode('sap', b.pickup_district_code),
        destinationRegency: await this.world.regencyOfCode('sap', b.destination_district_code),
        request: b,
      });
      return {
        status: 'success',
        msg: 'Pickup transfer success',
        data: {
          awb_no: parcel.awb,
          reference_no: parcel.reference,
          origin_branch_code: String(b.pickup_district_code).slice(0, 4),
          destination_branch_code: String(b.destination_district_code).slice(0, 4),
          tlc_branch_code: String(b.destination_district_code).slice(0, 2),
          label: `${this.baseUrl}/label/${parcel.awb}?api_key=${this.secret('api_key')}`,
        },
      };
    });

    app.post('/v2/shipment/pickup/cancel', async (request, reply) => {
      const b = (request.body ?? {}) as Body;
      if (!b.awb_no) return this.fail(reply, 422, 'awb_no wajib diisi');
      const parcel = await this.world.find('sap', payloadText(b.awb_no));
      if (!parcel) return this.fail(reply, 404, 'Airwaybill tidak ditemukan');
      const outcome = await this.world.cancel(parcel);
      if (outcome === 'already_cancelled') return this.fail(reply, 400, 'Airwaybill sudah dibatalkan');
      if (outcome === 'picked_up')
        return this.fail(reply, 400, 'Airwaybill sudah dipickup, tidak dapat dibatalkan');
      return { status: 'success', msg: 'Cancel pickup success', data: { awb_no: parcel.awb } };
    });

    // Assumed (sap.actions.ts): SAPX documents no instruction call.
    app.post('/v2/shipment/instruction', async (request, reply) => {
      const b = (request.body ?? {}) as Body;
      const awb = payloadText(b.awb_no);
      if (!awb) return this.fail(reply, 422, 'awb_no wajib diisi');
      const kind = INSTRUCTION_KIND[payloadText(b.instruction_code)];
      if (!kind) return this.fail(reply, 422, 'instruction_code tidak valid');
      if (!['0', '1'].includes(payloadText(b.customer_confirmed, '0')))
        return this.fail(reply, 422, 'customer_confirmed harus 0 atau 1');
      const note = payloadText(b.desc);
      if (note.length > 200) return this.fail(reply, 422, 'desc maksimal 200 karakter');
      if (kind === 'update_address') {
        const missing = RECEIVER_FIELDS.filter((f) => !payloadText(b[f]).trim());
        if (missing.length) return this.fail(reply, 422, `${missing.join(', ')} wajib diisi`);
        if (!(await this.world.provinceOfCode('sap', b.destination_district_code)))
          return this.fail(reply, 422, 'destination_district_code tidak ditemukan');
      }
      const answer = await this.world.requestAction(
        'sap',
        awb,
        {
          kind,
          confirmedWithBuyer: payloadText(b.customer_confirmed) === '1',
          ...(note ? { note } : {}),
          ...(kind === 'update_address'
            ? {
                request: Object.fromEntries(
                  [...RECEIVER_FIELDS, 'receiver_postal_code'].map((f) => [f, b[f]]),
                ),
              }
            : {}),
        },
        (n) => `INS-${awb}-${n}`,
      );
      if (!answer) return this.fail(reply, 404, 'Airwaybill tidak ditemukan');
      if (!answer.accepted) {
        // Named by the airway bill's current checkpoint, as SAPX's tracking shows it.
        const rows = rowsOf(answer.parcel, this.world.happened(answer.parcel));
        const state = payloadText(rows[rows.length - 1]?.rowstate_name, 'ENTRI').trim();
        return this.fail(reply, 400, `Instruksi tidak dapat diproses, status airwaybill: ${state}`);
      }
      return {
        status: 'success',
        msg: 'Instruksi diterima',
        data: { awb_no: awb, instruction_no: answer.reference },
      };
    });

    app.get('/v2/shipment/tracking', async (request, reply) => {
      const q = request.query as { awb_no?: string; reference_no?: string };
      if (q.reference_no) {
        const parcels = await this.world.findByReference('sap', q.reference_no);
        const rows = parcels.flatMap((p) => rowsOf(p, this.world.happened(p)));
        if (!parcels.length) return this.fail(reply, 404, 'Reference tidak ditemukan');
        return { status: 'success', msg: rows.length ? 'success' : 'Tidak ada status', data: rows };
      }
      if (!q.awb_no) return this.fail(reply, 422, 'awb_no wajib diisi');
      const parcel = await this.world.find('sap', q.awb_no);
      if (!parcel) return this.fail(reply, 404, 'Airwaybill tidak ditemukan');
      const rows = rowsOf(parcel, this.world.happened(parcel));
      return { status: 'success', msg: rows.length ? 'success' : 'Tidak ada status', data: rows };
    });
  }

  /** The push SAP would send for the parcel's latest checkpoint (one checkpoint per POST, sap.md §3.7). */
  async webhookFor(awb: string): Promise<SandboxPush | null> {
    const parcel = await this.world.find('sap', awb);
    if (!parcel) return null;
    const rows = rowsOf(parcel, this.world.happened(parcel));
    const last = rows[rows.length - 1];
    if (!last) return null;
    const body = JSON.stringify({
      reference_no: last.reference_no,
      awb_no: last.awb_no,
      rowstate_name: last.rowstate_name,
      pod_status_code: last.pod_status_code,
      pod_reason_detail_code: last.pod_reason_detail_code,
      description: last.description,
      kilo: last.kilo,
      koli: last.koli,
      volumetric: '1x1x1',
      origin_code: last.origin_code,
      destination_code: last.destination_code,
      shipping_cost: last.shipping_cost,
      cod_value: last.cod_value,
      created_at: last.create_date,
      photo_pod: [],
      signature_pod: [],
      photo_pickup: [],
      signature_pickup: [],
    });
    const json = { 'content-type': 'application/json' };
    return {
      headers: { ...json, 'x-sap-token': this.secret('webhook_token') },
      body,
      forged: { headers: { ...json, 'x-sap-token': this.secret('not_the_token') }, body },
      unsigned: { headers: json, body },
    };
  }
}

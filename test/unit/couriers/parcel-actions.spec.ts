import type { CourierOrder, ParcelActionRequest, Place } from 'src/couriers/courier-adapter';
import {
  instructionBody as jneBody,
  instructionOutcome as jneOutcome,
} from 'src/couriers/adapters/jne/jne.actions';
import {
  instructionItem as jntItem,
  instructionOutcome as jntOutcome,
} from 'src/couriers/adapters/jnt/jnt.actions';
import {
  instructionBody as sapBody,
  instructionOutcome as sapOutcome,
} from 'src/couriers/adapters/sap/sap.actions';
import {
  actionBody as ninjaBody,
  actionOutcome as ninjaOutcome,
  actionPath as ninjaPath,
  NINJA_ACTION_ROUTE,
} from 'src/couriers/adapters/ninja/ninja.actions';
import {
  actionCall as idexCall,
  actionOutcome as idexOutcome,
} from 'src/couriers/adapters/idexpress/idexpress.actions';
import { locationRow } from '../../support/location-codes';
import type { JntAccount } from 'src/couriers/adapters/jnt/jnt.mapper';

const order = (awb: string): CourierOrder => ({ courier: 'jne', awb, reference: 'KRM-1001', service: 'REG' });
const surabaya: Place = {
  name: 'Budi Santoso',
  phone: '+6281298765432',
  address: 'Jl. Raya Darmo No. 12 Blok C, belakang masjid Al Falah',
  district: 'Wonokromo',
  city: 'Surabaya',
  province: 'Jawa Timur',
  postalCode: '60241',
};
/** Each courier's codes for Wonokromo (35.78.04), as its onboarding mapping gives them. */
const wonokromo = {
  jnt: locationRow('35.78.04', {
    code: 'SUB012',
    cityCode: 'SUB',
    label: 'WONOKROMO',
    cityLabel: 'SURABAYA',
  }),
  sap: locationRow('35.78.04', { code: 'JI1012', cityCode: 'JI10' }),
  idexpress: locationRow('35.78.04', { code: '357803', cityCode: '3578' }),
  ninja: locationRow('35.78.04', {
    code: 'Wonokromo',
    label: 'Wonokromo',
    cityLabel: 'Kota Surabaya',
    provinceLabel: 'Jawa Timur',
  }),
};
const move: ParcelActionRequest = { kind: 'update_address', address: surabaya, note: 'Kantor, lantai 2' };
const notNow = { accepted: false, reason: 'not_allowed_now', rawMessage: expect.any(String) };
const notFound = { accepted: false, reason: 'not_found', rawMessage: expect.any(String) };
const refused = { accepted: false, reason: 'refused', rawMessage: expect.any(String) };

describe('seller actions in each courier’s words', () => {
  it('JNE: a form with the instruction word and the new address on three 30-character lines', () => {
    expect(jneBody(order('8800001'), { kind: 'reattempt', confirmedWithBuyer: true })).toEqual({
      cnote_no: '8800001',
      instruction: 'REDELIVERY',
      pic_instruction: 'Kirim',
      remark: '',
      buyer_confirmed: 'Y',
    });
    const body = jneBody(order('8800001'), move);
    expect(body).toMatchObject({
      instruction: 'CHANGE_ADDRESS',
      buyer_confirmed: 'N',
      RECEIVER_NAME: 'Budi Santoso',
      RECEIVER_CITY: 'Surabaya',
      RECEIVER_ZIP: '60241',
      RECEIVER_PHONE: '081298765432',
    });
    for (const f of ['RECEIVER_ADDR1', 'RECEIVER_ADDR2', 'RECEIVER_ADDR3'])
      expect(String(body[f]).length).toBeLessThanOrEqual(30);
    expect([body.RECEIVER_ADDR1, body.RECEIVER_ADDR2, body.RECEIVER_ADDR3].join(' ')).toContain(
      'Darmo No. 12',
    );
    // Only an address change carries an address.
    expect(jneBody(order('1'), { kind: 'hold', address: surabaya })).not.toHaveProperty('RECEIVER_NAME');
  });

  it('JNE: reads status true, not-found, state refusals and other refusals', () => {
    expect(jneOutcome({ status: true, reason: 'Instruction Received.', instruction_no: 'INS1' })).toEqual({
      accepted: true,
      courierReference: 'INS1',
    });
    expect(jneOutcome({ status: 'true' })).toEqual({ accepted: true });
    expect(jneOutcome({ status: false, reason: 'Cnote No. Not Found.' })).toEqual(notFound);
    expect(jneOutcome({ error: 'Sorry This is not your cnote.' })).toEqual(notFound);
    expect(
      jneOutcome({ status: false, reason: 'Cnote Already Delivered, Instruction Not Allowed.' }),
    ).toEqual(notNow);
    expect(jneOutcome({ status: 'false', reason: 'Cnote Already Returned To Shipper.' })).toEqual(notNow);
    expect(jneOutcome({ status: false, reason: 'remark Max 60 Characters.' })).toEqual({
      accepted: false,
      reason: 'refused',
      rawMessage: 'remark Max 60 Characters.',
    });
  });

  it('J&T: an item by AWB and order id, and refusals that end with the order’s status', () => {
    const account = { JNT_USERNAME: 'KIRIMDEV', JNT_API_KEY: 'k' } as JntAccount;
    expect(jntItem(order('JO0000000001'), { kind: 'return', note: 'Pembeli batal' }, account)).toEqual({
      username: 'KIRIMDEV',
      api_key: 'k',
      orderid: 'KRM-1001',
      awb_no: 'JO0000000001',
      instruction: 'RETUR',
      remark: 'Pembeli batal',
      buyer_confirmed: 'N',
    });
    expect(jntItem(order('JO1'), move, account, wonokromo.jnt)).toMatchObject({
      instruction: 'UBAH_ALAMAT',
      receiver_phone: '+6281298765432',
      receiver_zip: '60241',
      destination_code: 'SUB',
      receiver_area: 'SUB012',
    });
    const item = (status: string, reason = '', ticket_no?: string) => ({
      success: true,
      desc: 'Request berhasil',
      detail: [{ status, reason, ...(ticket_no ? { ticket_no } : {}) }],
    });
    expect(jntOutcome(item('Sukses', '', 'TK1'))).toEqual({ accepted: true, courierReference: 'TK1' });
    expect(
      jntOutcome(item('Error', 'Instruksi tidak dapat diproses. Status pesanan adalah : SIGNED')),
    ).toEqual(notNow);
    expect(jntOutcome(item('Error', 'Nomor resi tidak ditemukan'))).toEqual(notFound);
    expect(jntOutcome(item('Error', 'instruction tidak valid'))).toEqual(refused);
    expect(jntOutcome({ success: 'false', desc: 'Kesalahan pada parameter' })).toEqual(refused);
  });

  it('SAP: coded instructions, and the envelope read with its HTTP status', () => {
    expect(sapBody(order('SAP1'), { kind: 'hold', confirmedWithBuyer: true })).toEqual({
      awb_no: 'SAP1',
      instruction_code: 'INS04',
      desc: '',
      customer_confirmed: 1,
    });
    expect(sapBody(order('SAP1'), move, wonokromo.sap)).toMatchObject({
      instruction_code: 'INS03',
      receiver_phone: '081298765432',
      destination_district_code: 'JI1012',
    });
    expect(
      sapOutcome(200, { status: 'success', msg: 'Instruksi diterima', data: { instruction_no: 'INS-1' } }),
    ).toEqual({ accepted: true, courierReference: 'INS-1' });
    expect(sapOutcome(404, { status: 'fail', msg: 'Airwaybill tidak ditemukan', data: null })).toEqual(
      notFound,
    );
    expect(
      sapOutcome(400, {
        status: 'fail',
        msg: 'Instruksi tidak dapat diproses, status airwaybill: POD - DELIVERED',
        data: null,
      }),
    ).toEqual(notNow);
    expect(sapOutcome(422, { status: 'fail', msg: 'instruction_code tidak valid', data: null })).toEqual(
      refused,
    );
  });

  it('Ninja: one resource per action under the order, and its error body read by detail reason', () => {
    expect(
      Object.fromEntries(
        Object.entries(NINJA_ACTION_ROUTE).map(([k, r]) => [k, `${r.method} ${r.resource}`]),
      ),
    ).toEqual({
      reattempt: 'POST reschedule',
      return: 'POST rts',
      update_address: 'PUT delivery-address',
      hold: 'POST hold',
    });
    expect(ninjaPath(order('NVID 1/2'), 'return')).toBe('/2.0/orders/NVID%201%2F2/rts');
    expect(ninjaBody({ kind: 'reattempt', confirmedWithBuyer: true, note: 'Setelah jam 5' })).toEqual({
      customer_confirmed: true,
      delivery_instructions: 'Setelah jam 5',
    });
    expect(ninjaBody({ kind: 'hold' })).toEqual({ reason: 'Requested by shipper' });
    expect(ninjaBody(move, wonokromo.ninja)).toMatchObject({
      to: { address: { kecamatan: 'Wonokromo', city: 'Kota Surabaya', province: 'Jawa Timur' } },
    });
    // Unmapped at Ninja (it takes names): the address goes as typed.
    expect(ninjaBody(move)).toMatchObject({
      to: {
        name: 'Budi Santoso',
        phone_number: '+6281298765432',
        address: { kecamatan: 'Wonokromo', city: 'Surabaya', postcode: '60241', country: 'ID' },
      },
    });
    expect(ninjaOutcome(200, { ticket_id: 'T1', status: 'Accepted' })).toEqual({
      accepted: true,
      courierReference: 'T1',
    });
    expect(ninjaOutcome(404, undefined, { code: 'NOT_FOUND', message: 'Order X not found' })).toEqual(
      notFound,
    );
    const invalid = (reason: string, message: string) => ({
      code: 'VALIDATION_FAILED',
      title: 'Request failed validation',
      details: [{ field: 'tracking_number', reason, message }],
    });
    expect(ninjaOutcome(400, undefined, invalid('invalid_status', 'Order X is Completed'))).toEqual(notNow);
    expect(ninjaOutcome(409, undefined, { message: 'Order can no longer be rescheduled' })).toEqual(notNow);
    expect(ninjaOutcome(400, undefined, invalid('bad_address', 'address1 is required'))).toEqual(refused);
  });

  it('ID Express: the documented update for an address, the problem-handle call for the rest', () => {
    expect(idexCall(order('IDE1'), move, wonokromo.idexpress)).toEqual({
      path: '/open/v1/waybill/update',
      data: expect.objectContaining({
        waybillNo: 'IDE1',
        recipientCellphone: '081298765432',
        recipientCityId: 3578,
        recipientDistrictId: 357803,
        remark: 'Kantor, lantai 2',
      }),
    });
    expect(idexCall(order('IDE1'), { kind: 'reattempt', confirmedWithBuyer: true })).toEqual({
      path: '/open/v1/waybill/problem-handle',
      data: { waybillNo: 'IDE1', handleType: '01', recipientConfirmed: '1' },
    });
    expect(idexOutcome({ code: 0, desc: 'success', data: { ticketNo: 'PH1' } })).toEqual({
      accepted: true,
      courierReference: 'PH1',
    });
    expect(idexOutcome({ code: 2002, desc: 'waybillNo not found', data: null })).toEqual(notFound);
    expect(
      idexOutcome({ code: '2003', desc: 'Waybill status is POD scan, hold not allowed', data: null }),
    ).toEqual(notNow);
    expect(idexOutcome({ code: 1001, desc: 'handleType invalid', data: null })).toEqual(refused);
  });
});

import type { CourierCode } from 'src/couriers/courier-adapter';
import { decodeAnswer, DecodeOperation, receivedAnswer } from 'src/couriers/courier-decode';
import { instructionOutcome } from 'src/couriers/adapters/jne/jne.actions';

/**
 * Every flag an adapter reads (success, COD availability) goes through payloadFlag: a boolean, its text in
 * any case, or a digit. Each body is a real answer's shape (samples/) with only the flag's spelling changed.
 */
const decode = (courier: CourierCode, operation: DecodeOperation, body: unknown, codAmount?: number) =>
  decodeAnswer(courier, operation, receivedAnswer(JSON.stringify(body)), { codAmount });
const quotesOf = (d: ReturnType<typeof decode>) =>
  'quotes' in d ? d.quotes.map((q) => [q.service, q.price, q.codAvailable]) : d;

describe('J&T flags', () => {
  it.each([true, 'true', 'TRUE', 1, '1'])('reads a tariff answered with is_success %j as a price', (flag) => {
    // samples/jnt-tariff-2.json with its flag spelled otherwise
    const body = {
      content: [{ cost: '10000', name: 'EZ', productType: 'EZ' }],
      is_success: flag,
      message: '',
    };
    expect(quotesOf(decode('jnt', 'tariff', body))).toEqual([['EZ', 10000, true]]);
  });

  it.each([true, 'true', 1, '1'])('reads an order answered with success %j as booked', (flag) => {
    // samples/jnt-create-1.json with its flag spelled otherwise
    const body = {
      success: flag,
      desc: 'Request berhasil',
      detail: [{ awb_no: 'JO0027364832', orderid: 'ORDERID-0001', etd: '2-4', status: 'Sukses' }],
    };
    expect(decode('jnt', 'create', body)).toMatchObject({ order: { awb: 'JO0027364832' } });
  });

  it.each([false, 'false', 0, '0'])('still reads success %j as a refusal', (flag) => {
    const body = { success: flag, desc: 'Kecamatan Penerima Error' };
    expect(decode('jnt', 'create', body)).toMatchObject({ error: { kind: 'invalid_request' } });
  });
});

describe('COD availability flags of the other adapters', () => {
  const sapRate = (cod_available: unknown) => ({
    status: 'success',
    msg: '',
    data: {
      services: [
        {
          service_type_code: 'UDRREG',
          service_type_name: 'REG',
          total_cost: 10500,
          sla: '2 - 4 Hari',
          cod_available,
        },
      ],
    },
  });

  it.each<[unknown, boolean]>([
    [false, false],
    ['false', false],
    ['0', false],
    [true, true],
    ['1', true],
  ])("SAP: a service's cod_available %j is %s", (flag, cod) => {
    expect(quotesOf(decode('sap', 'tariff', sapRate(flag), 150000))).toEqual([['UDRREG', 10500, cod]]);
  });

  it.each<[unknown, boolean]>([
    [1, true],
    ['1', true],
    ['true', true],
    [true, true],
    [0, false],
    ['false', false],
  ])('ID Express: canCOD %j is %s', (flag, cod) => {
    // samples/idexpress-tariff-1.json with canCOD spelled otherwise
    const body = {
      code: 0,
      desc: '',
      data: {
        selected: {
          expressType: '00',
          publishRate: 23000,
          clientRate: 18400,
          canCOD: flag,
          minSla: 1,
          maxSla: 2,
        },
      },
    };
    expect(quotesOf(decode('idexpress', 'tariff', body, 150000))).toEqual([['00', 18400, cod]]);
  });

  it.each<[unknown, boolean]>([
    [undefined, true],
    [false, false],
    ['false', false],
    [0, false],
    ['true', true],
  ])('Ninja: cod_available %j is %s', (flag, cod) => {
    // samples/ninja-tariff-1.json, with the assumed cod_available flag
    const body = { data: { total_fee: 24400.0, ...(flag === undefined ? {} : { cod_available: flag }) } };
    const d = decodeAnswer('ninja', 'tariff', receivedAnswer(JSON.stringify(body)), {
      codAmount: 150000,
      service: 'STANDARD',
    });
    expect(quotesOf(d)).toEqual([['STANDARD', 24400, cod]]);
  });

  it.each<[unknown, boolean]>([
    [undefined, true],
    ['YES', true],
    ['Y', true],
    ['N', false],
    ['NO', false],
  ])('JNE: cod_flag %j is %s', (flag, cod) => {
    // samples/jne-tariff-2.json's REG line, with the assumed cod_flag
    const body = {
      price: [
        {
          origin_name: 'JAKARTA',
          destination_name: 'TASIKMALAYA',
          service_display: 'REG',
          service_code: 'REG19',
          goods_type: 'Document/Paket',
          currency: 'IDR',
          price: '15000',
          etd_from: '2',
          etd_thru: '3',
          times: 'D',
          ...(flag === undefined ? {} : { cod_flag: flag }),
        },
      ],
    };
    expect(quotesOf(decode('jne', 'tariff', body, 150000))).toEqual([['REG', 15000, cod]]);
  });

  it('JNE: an instruction answered with status "true", true or 1 is accepted', () => {
    for (const status of ['true', true, 1, '1'])
      expect(instructionOutcome({ status: status as string, instruction_no: 'INS-1' })).toEqual({
        accepted: true,
        courierReference: 'INS-1',
      });
  });
});

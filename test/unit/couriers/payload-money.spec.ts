import fc from 'fast-check';
import { trackingToEvents as idexpressEvents } from 'src/couriers/adapters/idexpress/idexpress.mapper';
import { trackingToEvents as jntEvents } from 'src/couriers/adapters/jnt/jnt.mapper';
import { toTrackingEvent } from 'src/couriers/adapters/ninja/ninja.mapper';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { decodeAnswer, receivedAnswer } from 'src/couriers/courier-decode';
import { courierRupiah, rupiahAmount } from 'src/couriers/payload-money';
import { nestLogs } from '../../support/nest-logs';

describe('rupiahAmount', () => {
  it.each<[unknown, number]>([
    ['10500', 10500],
    [10500, 10500],
    ['10.500', 10500],
    ['Rp 10.500', 10500],
    ['Rp10.500', 10500],
    ['Rp. 10.500,-', 10500],
    ['IDR 25.000', 25000],
    ['10.500,00', 10500],
    ['1.250.000', 1250000],
    ['10500.00', 10500],
    ['10500,00', 10500],
    ['290000.00000000', 290000], // ID Express writes decimals (samples/idexpress-tracking-1.json itemValue)
    ['0E-8', 0], // and a zero as BigDecimal prints it (insuranceAmount there)
    [24400.0, 24400], // Ninja's total_fee (samples/ninja-tariff-1.json)
    ['0', 0],
  ])('reads %j as %d rupiah', (value, rupiah) => {
    expect(rupiahAmount(value)).toBe(rupiah);
    expect(rupiahAmount(value, 'round_up')).toBe(rupiah);
  });

  // A charge worked out as a share of the COD amount may end in a fraction: rounded up, never understated.
  it.each<[unknown, number]>([
    ['10500.5', 10501],
    ['3737,5', 3738],
    ['10.500,50', 10501],
    [3737.25, 3738],
  ])('reads the charge %j as %d rupiah, and refuses it as cash', (value, rupiah) => {
    expect(rupiahAmount(value, 'round_up')).toBe(rupiah);
    expect(rupiahAmount(value)).toBeUndefined();
  });

  it.each<unknown>([
    '10.5', // a fraction under a hundred rupiah: a misread amount, or a weight in kilograms
    10.5,
    99.5,
    '0.500',
    '10,500', // ten thousand five hundred in English, ten and a half in Indonesian
    '1,250,000',
    '10 500',
    '-10500',
    -10500,
    'Rp',
    'gratis',
    'n/a',
    '',
    ' ',
    null,
    undefined,
    true,
    { amount: 10500 },
    Number.NaN,
  ])('refuses %j', (value) => {
    expect(rupiahAmount(value)).toBeUndefined();
    expect(rupiahAmount(value, 'round_up')).toBeUndefined();
  });

  it('reads an amount in any of its spellings as the same rupiah', () => {
    const grouped = (n: number) => n.toLocaleString('de-DE'); // dots between thousands, as Indonesian writes
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        for (const text of [String(n), grouped(n), `Rp ${grouped(n)}`, `${grouped(n)},00`, `${n}.00`])
          expect(rupiahAmount(text)).toBe(n);
      }),
    );
  });

  it('logs an amount it cannot read, once per courier and field', () => {
    expect(courierRupiah('jne', 'price-test', '10,500')).toBeUndefined();
    expect(courierRupiah('jne', 'price-test', 'abc')).toBeUndefined();
    expect(courierRupiah('jne', 'price-test', '')).toBeUndefined();
    expect(nestLogs.warnings('CourierMoney').map((w) => w.message)).toEqual([
      { courier: 'jne', field: 'price-test', value: '10,500' },
    ]);
  });
});

describe('money an adapter reads from a courier answer', () => {
  const quotes = (courier: CourierCode, body: unknown, service?: string) => {
    const d = decodeAnswer(courier, 'tariff', receivedAnswer(JSON.stringify(body)), { service });
    return 'quotes' in d ? d.quotes.map((q) => [q.service, q.price]) : d;
  };
  // Each body is a real answer's shape (samples/) with its price written the Indonesian way.
  const jne = (price: string) => ({
    price: [
      { service_display: 'REG', service_code: 'REG19', currency: 'IDR', price, etd_from: '2', etd_thru: '3' },
    ],
  });
  const jnt = (cost: string) => ({ content: [{ cost, name: 'EZ', productType: 'EZ' }], is_success: 'true' });
  const sap = (total_cost: string) => ({
    status: 'success',
    msg: '',
    data: {
      services: [{ service_type_code: 'UDRREG', service_type_name: 'REG', total_cost, sla: '2 - 4 Hari' }],
    },
  });
  const idexpress = (clientRate: string) => ({
    code: 0,
    desc: '',
    data: {
      selected: { expressType: '00', publishRate: 23000, clientRate, canCOD: 1, minSla: 1, maxSla: 2 },
    },
  });
  const ninja = (total_fee: string) => ({ data: { total_fee } });

  it('reads prices with thousands separators as the rupiah they say', () => {
    expect(quotes('jne', jne('10.500'))).toEqual([['REG', 10500]]);
    expect(quotes('jne', jne('1.250.000'))).toEqual([['REG', 1250000]]);
    expect(quotes('jnt', jnt('Rp 10.500'))).toEqual([['EZ', 10500]]);
    expect(quotes('sap', sap('10.500,00'))).toEqual([['UDRREG', 10500]]);
    expect(quotes('sap', sap('10500.00'))).toEqual([['UDRREG', 10500]]);
    expect(quotes('idexpress', idexpress('18.400'))).toEqual([['00', 18400]]);
    expect(quotes('ninja', ninja('Rp24.400'), 'STANDARD')).toEqual([['STANDARD', 24400]]);
    // A price with a fraction is rounded up: the seller is never quoted less than the courier bills.
    expect(quotes('sap', sap('10.500,50'))).toEqual([['UDRREG', 10501]]);
  });

  it('quotes nothing from a price it cannot read, rather than a wrong one', () => {
    expect(quotes('jne', jne('10.5'))).toEqual([]);
    expect(quotes('jnt', jnt('10,500'))).toEqual([]);
    expect(quotes('sap', sap('Rp 10.5'))).toEqual([]);
    expect(quotes('idexpress', idexpress('n/a'))).toEqual([]);
    expect(quotes('ninja', ninja('10.5'), 'STANDARD')).toEqual([]);
  });

  it('reads COD amounts and fees on deliveries written with thousands separators', () => {
    const at = '2025-03-04 10:15:00';
    // samples/jnt-tracking-2.json: detail_cost.cod is J&T's COD fee, above zero on a COD parcel
    const jntDelivered = (cod: string) =>
      jntEvents({
        awb: 'JO0000000042',
        detail: { detail_cost: { cod } },
        history: [{ date_time: at, status_code: 200, status: 'Paket telah diterima' }],
      })[0].codCollected;
    expect(jntDelivered('Rp 2.250')).toBe(true);
    expect(jntDelivered('0')).toBe(false);
    expect(jntDelivered('2,250')).toBeUndefined();

    const idexpressDelivered = (codAmount: string) =>
      idexpressEvents({
        basicInfo: { waybillNo: 'IDE000000000042' },
        historys: [
          { waybillNo: 'IDE000000000042', operationType: 'POD scan', operationTime: 1_736_042_400_000 },
        ],
        itemInfo: { codAmount },
      })[0];
    expect(idexpressDelivered('150.000')).toMatchObject({ codCollected: true, codAmount: 150000 });
    expect(idexpressDelivered('150000.00000000')).toMatchObject({ codCollected: true, codAmount: 150000 });
    expect(idexpressDelivered('0E-8')).toMatchObject({ codCollected: false, codAmount: 0 });
    expect(idexpressDelivered('150.5')).not.toHaveProperty('codAmount');

    const ninjaDelivered = (cod_amount: string) =>
      toTrackingEvent({
        tracking_id: 'NVIDKIRIM000042',
        timestamp: '2025-03-04T10:15:00+07:00',
        event: 'Delivered, Received by Customer',
        delivery_information: { cod_amount },
      }).codCollected;
    expect(ninjaDelivered('Rp 150.000')).toBe(true);
    expect(ninjaDelivered('150,000')).toBeUndefined();
  });
});

import { CourierWebhookMalformedError } from 'src/couriers/courier.errors';
import { decodeAnswer, receivedAnswer } from 'src/couriers/courier-decode';
import { decodeJneWebhook } from 'src/couriers/adapters/jne/jne.decode';
import { decodeJntWebhook } from 'src/couriers/adapters/jnt/jnt.decode';
import { decodeIdExpressWebhook } from 'src/couriers/adapters/idexpress/idexpress.decode';
import { decodeNinjaWebhook } from 'src/couriers/adapters/ninja/ninja.decode';
import { decodeSapWebhook } from 'src/couriers/adapters/sap/sap.decode';

/** What a push decoder refused, as the courier is told it: the field, then the problem. */
function refusal(decode: (raw: Buffer) => unknown, body: string): string {
  try {
    decode(Buffer.from(body));
  } catch (e) {
    if (e instanceof CourierWebhookMalformedError) return `${e.details[0].field} ${e.details[0].message}`;
    throw e;
  }
  return 'accepted';
}

const jntForm = (data: string | null) =>
  `${data === null ? '' : `data_param=${encodeURIComponent(data)}&`}data_sign=abc`;

describe('a push that is not what the courier sends names its field', () => {
  it.each([
    ['not JSON', '{"awb": ', 'body is not JSON'],
    ['a list', '[1]', 'awb is required, as text'],
    ['no AWB', '{"history": []}', 'awb is required, as text'],
    ['no scans', '{"awb": "JNE1", "history": []}', 'history must be a list of at least one scan'],
    [
      'a scan without a readable time',
      '{"awb": "JNE1", "history": [{"date": "soon", "code": "DLV", "desc": "x"}]}',
      'history holds a scan whose time cannot be read',
    ],
    ['null', 'null', 'body is not an object'],
  ])('JNE: %s', (_, body, said) => {
    expect(refusal(decodeJneWebhook, body)).toBe(said);
  });

  it.each([
    ['no data_param', jntForm(null), 'data_param is required'],
    ['data_param not JSON', jntForm('{"awb":'), 'data_param is not JSON'],
    ['data_param a number', jntForm('5'), 'data_param is not an object'],
    ['no AWB', jntForm('{"status_code": 100}'), 'data_param.awb is required, as text'],
    ['no status code', jntForm('{"awb": "JO1"}'), 'data_param.status_code is required'],
    [
      'a time it cannot read',
      jntForm('{"awb": "JO1", "status_code": 100, "date_time": "kemarin"}'),
      'data_param.date_time is not a time (YYYY-MM-DD HH:mm:ss, WIB)',
    ],
  ])('J&T: %s', (_, body, said) => {
    expect(refusal(decodeJntWebhook, body)).toBe(said);
  });

  it.each([
    ['not JSON', 'awb_no=1', 'body is not JSON'],
    ['a string', '"x"', 'body is not an object'],
    ['no AWB', '{"rowstate_name": "POD"}', 'awb_no is required, as text'],
    [
      'a list for the status',
      '{"awb_no": "SAP1", "rowstate_name": ["POD"]}',
      'rowstate_name is required, as text',
    ],
    [
      'a time it cannot read',
      '{"awb_no": "SAP1", "rowstate_name": "POD - DELIVERED", "created_at": "01/12/2026 08.00"}',
      'created_at is not a time (YYYY-MM-DD HH:mm:ss, WIB)',
    ],
    [
      'a create_date it cannot read',
      '{"awb_no": "SAP1", "rowstate_name": "POD - DELIVERED", "create_date": "besok"}',
      'create_date is not a time (YYYY-MM-DD HH:mm:ss, WIB)',
    ],
    // An empty create_date is not there: created_at gives the time.
    [
      'an empty create_date beside created_at',
      '{"awb_no": "SAP1", "rowstate_name": "POD - DELIVERED", "create_date": "", "created_at": "2026-01-01 08:00:00"}',
      'accepted',
    ],
  ])('SAP: %s', (_, body, said) => {
    expect(refusal(decodeSapWebhook, body)).toBe(said);
  });
  it('ID Express: an item whose time cannot be read is named', () => {
    expect(
      refusal(
        decodeIdExpressWebhook,
        '[{"waybillNo": "IDE1", "operationType": "Delivery Scan", "lastOperationTime": 1767225600}, {"waybillNo": "IDE2", "operationType": "POD scan", "lastOperationTime": "besok"}]',
      ),
    ).toBe('[1].lastOperationTime is not a time (epoch seconds or milliseconds)');
    expect(
      refusal(
        decodeIdExpressWebhook,
        '{"waybillNo": "IDE2", "operationType": "POD scan", "operationTime": "besok"}',
      ),
    ).toBe('operationTime is not a time (epoch seconds or milliseconds)');
  });
});

describe('a padded airway bill in a push is the parcel’s own', () => {
  it.each([
    [
      'ID Express',
      decodeIdExpressWebhook,
      '[{"waybillNo": " IDE000000000123 ", "operationType": "Delivery Scan", "lastOperationTime": 1767225600}]',
      'IDE000000000123',
    ],
    [
      'Ninja',
      decodeNinjaWebhook,
      '{"tracking_id": " NVIDKRM1 ", "event": "Delivered, Received by Customer", "timestamp": "2026-01-01T08:00:00+07:00"}',
      'NVIDKRM1',
    ],
    [
      'SAP',
      decodeSapWebhook,
      '{"awb_no": " SAP001 ", "rowstate_name": "POD - DELIVERED", "created_at": "2026-01-01 08:00:00"}',
      'SAP001',
    ],
  ])('%s', (_, decode, body, awb) => {
    expect(decode(Buffer.from(body)).map((e) => e.awb)).toEqual([awb]);
  });

  it('refuses an ID Express waybill of spaces alone, naming it', () => {
    expect(
      refusal(decodeIdExpressWebhook, '[{"waybillNo": "   ", "operationType": "x", "lastOperationTime": 1}]'),
    ).toBe('[0].waybillNo is required, as text');
  });
});

describe('couriers:decode of a push that is not what the courier sends', () => {
  it('answers it as malformed, as a push its decoder cannot read, naming the field', () => {
    for (const body of [
      '{"awb_no": ["SAP1"], "rowstate_name": "POD"}',
      '{"awb_no": "SAP1", "rowstate_name": {}}',
    ])
      expect(decodeAnswer('sap', 'webhook', receivedAnswer(body))).toEqual({
        operation: 'webhook',
        error: {
          kind: 'malformed',
          message: expect.stringMatching(/: (awb_no|rowstate_name) is required/),
          retriable: false,
        },
      });
  });
});

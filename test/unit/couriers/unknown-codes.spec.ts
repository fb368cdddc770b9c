import { reportUnknownCode } from 'src/couriers/unknown-codes';
import { nestLogs } from '../../support/nest-logs';

describe('reportUnknownCode', () => {
  it('warns once per courier and code, naming both', () => {
    reportUnknownCode('jne', 'NEW1');
    reportUnknownCode('jne', 'NEW1');
    reportUnknownCode('sap', 'NEW1');
    expect(nestLogs.warnings('CourierStatus')).toEqual([
      {
        level: 'warn',
        context: 'CourierStatus',
        message: { courier: 'jne', code: 'NEW1' },
        params: ['unknown courier status code: kept raw, no status change', 'CourierStatus'],
      },
      expect.objectContaining({ message: { courier: 'sap', code: 'NEW1' } }),
    ]);
  });
});

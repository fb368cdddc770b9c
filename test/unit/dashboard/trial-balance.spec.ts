import { groupTrialBalance } from 'src/dashboard/pages/keuangan/trial-balance';

const account = (code: string, kind: string, sellerId: string | null, debits: number, credits: number) =>
  ({ code, kind, sellerId, debits, credits, balance: credits - debits }) as Parameters<
    typeof groupTrialBalance
  >[0][number];

describe('the trial balance grouped for reading', () => {
  it('lists platform accounts one by one and sums the sellers’ by kind', () => {
    const groups = groupTrialBalance([
      account('seller:a:available', 'available', 'a', 10, 100),
      account('platform:courier_cod_receivable:jne', 'courier_cod_receivable', null, 300, 50),
      account('seller:b:available', 'available', 'b', 5, 40),
      account('seller:b:pending', 'pending', 'b', 0, 7),
      account('platform:bank', 'bank', null, 70, 0),
    ]);
    expect(groups).toEqual([
      {
        scope: 'platform',
        rows: [
          { key: 'platform:bank', kind: 'bank', courier: undefined, debits: 70, credits: 0, balance: -70 },
          {
            key: 'platform:courier_cod_receivable:jne',
            kind: 'courier_cod_receivable',
            courier: 'jne',
            debits: 300,
            credits: 50,
            balance: -250,
          },
        ],
      },
      {
        scope: 'sellers',
        sellers: 2,
        rows: [
          { key: 'sellers:available', kind: 'available', debits: 15, credits: 140, balance: 125 },
          { key: 'sellers:pending', kind: 'pending', debits: 0, credits: 7, balance: 7 },
        ],
      },
    ]);
  });

  it('leaves out a group with no accounts', () => {
    expect(groupTrialBalance([])).toEqual([]);
    expect(groupTrialBalance([account('platform:bank', 'bank', null, 1, 1)]).map((g) => g.scope)).toEqual([
      'platform',
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LedgerService } from 'src/ledger/ledger.service';
import { addBankAccount, creditAvailable } from '../support/factories/money';
import { signupSeller } from '../support/factories/sellers';
import { killAll, startService, stopCleanly, type StartedService } from '../support/process';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';
import { waitUntil } from '../support/wait';

const OPERATOR_TOKEN = 'payout-crash-operator-token-0123456789abcdef';

/**
 * The payout job of a real process killed (SIGKILL) while its payout call is in flight — after the
 * sandbox provider took the payout, before Kirim saved the answer. On restart, on the same database, the
 * job asks the provider by idempotency key and never pays twice.
 */
describe('a payout job killed mid-payout', () => {
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    killAll();
    await pg.end();
    await db.drop();
  });

  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'info',
    SANDBOX_OPERATOR_TOKEN: OPERATOR_TOKEN,
  });
  const operator = (service: StartedService, path: string, body: object) =>
    fetch(`${service.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sandbox-operator-token': OPERATOR_TOKEN },
      body: JSON.stringify(body),
    });
  const row = async (id: string) =>
    (
      await pg.query<{ status: string; payout_state: string | null; provider_id: string | null }>(
        'SELECT status, payout_state, provider_id FROM withdrawals WHERE id = $1',
        [id],
      )
    ).rows[0];
  const disbursements = async (id: string) =>
    (await pg.query<{ id: string }>('SELECT id FROM sandbox_disbursements WHERE external_id = $1', [id]))
      .rows;

  it('asks the provider by idempotency key on restart and pays once', async () => {
    // A seller with an approved withdrawal, made in-process on the same database at real time (the
    // service's clock in sandbox mode is real time plus the sandbox offset).
    const setup = await startTestApp({}, db);
    let withdrawalId: string;
    try {
      setup.clock.set(new Date());
      const http = setup.http();
      const seller = await signupSeller(http);
      await creditAvailable(setup, seller.sellerId, 500_000);
      const bankAccountId = await addBankAccount(http, seller);
      const created = await http
        .post('/v1/withdrawals')
        .set('Idempotency-Key', randomUUID())
        .set(seller.auth)
        .send({ amount: 100_000, bankAccountId })
        .expect(201);
      expect(created.body.status).toBe('approved');
      withdrawalId = created.body.id as string;
    } finally {
      await setup.close();
    }

    const first = await startService(env());
    // The provider takes each payout at once and answers 30 s later: the kill lands in between.
    expect((await operator(first, '/sandbox/payouts/faults', { latencyMs: 30_000 })).status).toBe(200);
    const run = operator(first, '/sandbox/jobs/payouts/run', {}).catch(() => 'cut');
    await waitUntil(
      async () => (await disbursements(withdrawalId)).length === 1,
      'the provider took the payout',
    );
    first.proc.child.kill('SIGKILL');
    expect(await first.proc.exited).toBe('SIGKILL');
    expect(await run).toBe('cut');
    // Kirim had marked it sending and never saved the provider's answer.
    expect(await row(withdrawalId)).toEqual({
      status: 'approved',
      payout_state: 'sending',
      provider_id: null,
    });

    const second = await startService(env());
    try {
      expect((await operator(second, '/sandbox/payouts/faults', { latencyMs: 0 })).status).toBe(200);
      // An hour on: the crashed run's lease has run out and the provider has settled the transfer.
      expect((await operator(second, '/sandbox/clock', { advanceHours: 1 })).status).toBe(200);
      const job = await operator(second, '/sandbox/jobs/payouts/run', {});
      expect(job.status).toBe(200);
      expect(((await job.json()) as { result: unknown }).result).toMatchObject({ sent: 0, paid: 1 });
      const again = await operator(second, '/sandbox/jobs/payouts/run', {});
      expect(((await again.json()) as { result: unknown }).result).toMatchObject({ sent: 0, paid: 0 });
    } finally {
      await stopCleanly(second.proc);
    }

    const [disbursement] = await disbursements(withdrawalId);
    expect(await disbursements(withdrawalId)).toHaveLength(1);
    expect(await row(withdrawalId)).toEqual({
      status: 'paid',
      payout_state: 'completed',
      provider_id: disbursement.id,
    });
    const paid = await pg.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1', [
      `withdrawal:${withdrawalId}:pay`,
    ]);
    expect(paid.rows[0].n).toBe(1);
    const check = await startTestApp({}, db);
    try {
      expect((await check.app.get(LedgerService).verify()).ok).toBe(true);
    } finally {
      await check.close();
    }
  }, 180_000);
});

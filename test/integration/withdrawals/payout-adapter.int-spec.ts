import { randomUUID } from 'node:crypto';
import { PayoutProviderUnavailableError, type PayoutRequest } from 'src/withdrawals/payout-adapter';
import { SandboxPayoutServer } from 'src/withdrawals/payout/sandbox-payout.server';
import { XenditPayoutAdapter } from 'src/withdrawals/payout/xendit-payout.adapter';
import { startTestApp, TestApp } from '../../support/test-app';

/** The Xendit-shaped adapter against the sandbox provider (real HTTP, its store in PostgreSQL). */
describe('XenditPayoutAdapter with the sandbox provider', () => {
  let t: TestApp;
  let sandbox: SandboxPayoutServer;
  let adapter: XenditPayoutAdapter;
  const request = (over: Partial<PayoutRequest> = {}): PayoutRequest => ({
    idempotencyKey: randomUUID(),
    amount: 97_500,
    bankCode: 'BCA',
    accountNumber: '1234567890',
    accountName: 'Sekar Ayu',
    description: 'Kirim withdrawal',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    sandbox = t.app.get(SandboxPayoutServer);
    adapter = new XenditPayoutAdapter(sandbox.baseUrl, sandbox.secretKey, 400);
  });
  afterAll(() => t.close());
  beforeEach(() => sandbox.setFaults({ failRate: 0, timeoutRate: 0, bounceRate: 0, latencyMs: 0 }));

  it('sends once per key: a repeat answers the first payout, found by our key and by its id', async () => {
    const r = request();
    const first = await adapter.send(r);
    expect(first).toEqual({ providerId: expect.stringMatching(/^disb-/), status: 'pending' });
    expect(await adapter.send(r)).toEqual(first);
    expect(await adapter.find(r.idempotencyKey)).toEqual(first);
    expect(await adapter.status(first.providerId)).toEqual(first);
    const rows = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM sandbox_disbursements WHERE external_id = $1',
      [r.idempotencyKey],
    );
    expect(rows[0].n).toBe(1);
    t.clock.advance(5 * 60_000);
    expect(await adapter.status(first.providerId)).toEqual({ ...first, status: 'completed' });
    expect(await adapter.find(randomUUID())).toBeNull();
  });

  it('takes a refusal of the payout itself as failed, and anything it cannot hear as unknown', async () => {
    await sandbox.setFaults({ timeoutRate: 1 });
    await expect(adapter.send(request())).rejects.toBeInstanceOf(PayoutProviderUnavailableError);
    await expect(adapter.find(randomUUID())).rejects.toBeInstanceOf(PayoutProviderUnavailableError);
    await sandbox.setFaults({ timeoutRate: 0 });

    const wrongKey = new XenditPayoutAdapter(sandbox.baseUrl, 'xnd_development_wrong', 400);
    await expect(wrongKey.send(request())).rejects.toBeInstanceOf(PayoutProviderUnavailableError);
    const nobody = new XenditPayoutAdapter('http://127.0.0.1:9', sandbox.secretKey, 400);
    await expect(nobody.status('disb-1')).rejects.toBeInstanceOf(PayoutProviderUnavailableError);
    // A malformed request is Kirim's bug: retried rather than failed.
    await expect(adapter.send(request({ amount: 0 }))).rejects.toBeInstanceOf(PayoutProviderUnavailableError);
    // A destination the provider refuses: failed for good, with its code; nothing was taken.
    const refused = request({ accountNumber: '12-34' });
    expect(await adapter.send(refused)).toEqual({
      providerId: `refused:${refused.idempotencyKey}`,
      status: 'failed',
      failureCode: 'RECIPIENT_ACCOUNT_NUMBER_ERROR',
    });
    expect(await adapter.find(refused.idempotencyKey)).toBeNull();
  });
});

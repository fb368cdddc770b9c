import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NO_PAYOUT_FAULTS, type PayoutFaults, type SandboxDisbursement } from './sandbox-disbursement';

type Row = Record<string, string | Date | null>;

function disbursement(r: Row): SandboxDisbursement {
  return {
    id: r.id as string,
    externalId: r.external_id as string,
    amount: Number(r.amount),
    bankCode: r.bank_code as string,
    accountHolderName: r.account_holder_name as string,
    accountNumber: r.account_number as string,
    description: r.description as string | null,
    fate: r.fate as SandboxDisbursement['fate'],
    failureCode: r.failure_code as string | null,
    createdAt: r.created_at as Date,
    settlesAt: r.settles_at as Date,
    bouncesAt: r.bounces_at as Date | null,
  };
}

/**
 * The sandbox provider's own store, in PostgreSQL: what it accepted survives a restart of the process
 * that hosts it (as a real provider's would), and the unique external_id makes a key accepted once.
 * Always on the pool, never in a Kirim transaction: the provider is another party.
 */
@Injectable()
export class SandboxPayoutRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the disbursement unless its external_id is taken; then null (a duplicate). */
  async insert(d: SandboxDisbursement): Promise<SandboxDisbursement | null> {
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO sandbox_disbursements
         (id, external_id, amount, bank_code, account_holder_name, account_number, description, fate,
          failure_code, created_at, settles_at, bounces_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (external_id) DO NOTHING RETURNING *`,
      [
        d.id,
        d.externalId,
        d.amount,
        d.bankCode,
        d.accountHolderName,
        d.accountNumber,
        d.description,
        d.fate,
        d.failureCode,
        d.createdAt,
        d.settlesAt,
        d.bouncesAt,
      ],
    );
    return rows.length ? disbursement(rows[0]) : null;
  }

  async byExternalId(externalId: string): Promise<SandboxDisbursement | null> {
    const rows: Row[] = await this.dataSource.query(
      'SELECT * FROM sandbox_disbursements WHERE external_id = $1',
      [externalId],
    );
    return rows.length ? disbursement(rows[0]) : null;
  }

  async byId(id: string): Promise<SandboxDisbursement | null> {
    const rows: Row[] = await this.dataSource.query('SELECT * FROM sandbox_disbursements WHERE id = $1', [
      id,
    ]);
    return rows.length ? disbursement(rows[0]) : null;
  }

  async faults(): Promise<PayoutFaults> {
    const rows: Row[] = await this.dataSource.query('SELECT * FROM sandbox_payout_faults WHERE id = 1');
    if (!rows.length) return NO_PAYOUT_FAULTS;
    const r = rows[0] as unknown as Record<string, number>;
    return {
      failRate: r.fail_rate,
      timeoutRate: r.timeout_rate,
      sendTimeoutRate: r.send_timeout_rate,
      bounceRate: r.bounce_rate,
      latencyMs: r.latency_ms,
    };
  }

  async setFaults(f: PayoutFaults): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sandbox_payout_faults (id, fail_rate, timeout_rate, bounce_rate, latency_ms, send_timeout_rate)
       VALUES (1, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE
         SET fail_rate = $1, timeout_rate = $2, bounce_rate = $3, latency_ms = $4, send_timeout_rate = $5`,
      [f.failRate, f.timeoutRate, f.bounceRate, f.latencyMs, f.sendTimeoutRate],
    );
  }
}

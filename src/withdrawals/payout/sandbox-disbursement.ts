import type { XenditDisbursement } from './xendit-payout.adapter';

/** How a sandbox disbursement will end, decided when it is accepted. */
export type Fate = 'complete' | 'fail' | 'bounce';

/** One disbursement as the sandbox provider stores it. */
export interface SandboxDisbursement {
  id: string;
  externalId: string;
  amount: number;
  bankCode: string;
  accountHolderName: string;
  accountNumber: string;
  description: string | null;
  fate: Fate;
  failureCode: string | null;
  createdAt: Date;
  /** PENDING until then; then COMPLETED, or FAILED for a `fail`. */
  settlesAt: Date;
  /** For a `bounce`: COMPLETED until then, FAILED after (the bank returned the transfer). */
  bouncesAt: Date | null;
}

export interface PayoutFaults {
  failRate: number;
  timeoutRate: number;
  /** Share of sends never answered (and not taken) while lookups answer. */
  sendTimeoutRate: number;
  bounceRate: number;
  latencyMs: number;
}

export const NO_PAYOUT_FAULTS: PayoutFaults = {
  failRate: 0,
  timeoutRate: 0,
  sendTimeoutRate: 0,
  bounceRate: 0,
  latencyMs: 0,
};

/** The fate of a new disbursement from the faults and one uniform draw in [0, 1). */
export function fateOf(faults: PayoutFaults, draw: number): Fate {
  if (draw < faults.failRate) return 'fail';
  if (draw < faults.failRate + faults.bounceRate) return 'bounce';
  return 'complete';
}

/** The disbursement as Xendit would answer it at `now` (its status follows the service clock). */
export function disbursementAt(d: SandboxDisbursement, now: Date): XenditDisbursement {
  let status: XenditDisbursement['status'] = 'PENDING';
  if (now >= d.settlesAt) {
    const bounced = d.fate === 'bounce' && d.bouncesAt !== null && now >= d.bouncesAt;
    status = d.fate === 'fail' || bounced ? 'FAILED' : 'COMPLETED';
  }
  return {
    id: d.id,
    external_id: d.externalId,
    amount: d.amount,
    bank_code: d.bankCode,
    account_holder_name: d.accountHolderName,
    ...(d.description ? { disbursement_description: d.description } : {}),
    status,
    ...(status === 'FAILED' ? { failure_code: d.failureCode ?? 'TRANSFER_ERROR' } : {}),
  };
}

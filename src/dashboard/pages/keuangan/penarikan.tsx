import { useEffect, useRef, useState } from 'react';
import { api, ApiError, call, type Schemas } from '../../api/client';
import { Async, useErrorMessage } from '../../components/async';
import { ListFooter, usePagedList } from '../../components/paged-list';
import { ReasonForm } from '../../components/form';
import { useI18n } from '../../i18n/i18n-context';

type Withdrawal = Schemas['FinanceWithdrawalDto'];
type Status = Withdrawal['status'];

/** The API's withdrawal statuses, in the order a withdrawal goes through them. */
export const WITHDRAWAL_STATUSES = [
  'requested',
  'approved',
  'paid',
  'failed',
  'rejected',
] as const satisfies readonly Status[];

/** Whether the API refused because the withdrawal is no longer requested (decided elsewhere meanwhile). */
const decidedElsewhere = (e: unknown) => e instanceof ApiError && e.status === 409;

/** The withdrawal as the API has it now. */
function currentWithdrawal(w: Withdrawal): Promise<Withdrawal> {
  return call(api.GET('/v1/finance/withdrawals/{id}', { params: { path: { id: w.id } } }));
}

/**
 * Reject with a reason (POST /v1/finance/withdrawals/{id}/reject); the API's refusal shows by the field,
 * and a withdrawal decided elsewhere meanwhile goes to the card (`onConflict`).
 */
function RejectForm({
  w,
  onDone,
  onCancel,
  onConflict,
}: {
  w: Withdrawal;
  onDone: (w: Withdrawal) => void;
  onCancel: () => void;
  onConflict: (error: unknown) => void;
}) {
  const { t } = useI18n();
  return (
    <ReasonForm
      id={`reject-reason-${w.id}`}
      label={t('penarikan.reason')}
      submitLabel={t('penarikan.rejectSubmit')}
      cancelLabel={t('penarikan.cancel')}
      onCancel={onCancel}
      onSubmit={async (reason) => {
        let done: Withdrawal;
        try {
          done = await call(
            api.POST('/v1/finance/withdrawals/{id}/reject', {
              params: { path: { id: w.id } },
              body: { reason },
            }),
          );
        } catch (e) {
          if (!decidedElsewhere(e)) throw e;
          return onConflict(e);
        }
        onDone(done);
      }}
    />
  );
}

type Focus = 'approve' | 'reject' | 'confirm' | 'status';

/**
 * One withdrawal: its facts, and while it is requested, approve (confirmed) or reject. A press that
 * removes its button moves the keyboard on, as the settings' confirm buttons do: Setujui to "Ya, setujui",
 * Batal back to the button that opened it, a decision to the new status. A withdrawal decided elsewhere
 * meanwhile (409) is read again and shown as it is now, with nothing left to press.
 */
function WithdrawalCard({ initial }: { initial: Withdrawal }) {
  const { t, code, rupiah, dateTime } = useI18n();
  const message = useErrorMessage();
  // The row keeps the API's latest answer for it: an approval or rejection shows at once.
  const [w, setW] = useState(initial);
  const [mode, setMode] = useState<'idle' | 'confirm' | 'reject'>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // Decided elsewhere: no approve or reject is offered again, whatever the re-read says.
  const [stale, setStale] = useState(false);
  const [focus, setFocus] = useState<Focus>();
  const refs = {
    approve: useRef<HTMLButtonElement>(null),
    reject: useRef<HTMLButtonElement>(null),
    confirm: useRef<HTMLButtonElement>(null),
    status: useRef<HTMLSpanElement>(null),
  };
  useEffect(() => {
    if (!focus) return;
    refs[focus].current?.focus();
    setFocus(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the refs are stable
  }, [focus]);
  const show = (next: 'idle' | 'confirm' | 'reject', focusOn?: Focus) => {
    setMode(next);
    setFocus(focusOn);
  };
  const decided = (done: Withdrawal) => {
    setW(done);
    show('idle', 'status');
  };
  const conflict = (e: unknown) => {
    setError(e);
    setStale(true);
    show('idle', 'status');
    currentWithdrawal(w).then(setW, () => undefined);
  };
  const approve = () => {
    setBusy(true);
    setError(undefined);
    call(api.POST('/v1/finance/withdrawals/{id}/approve', { params: { path: { id: w.id } } }))
      .then(decided)
      .catch((e: unknown) => (decidedElsewhere(e) ? conflict(e) : setError(e)))
      .finally(() => setBusy(false));
  };
  const actionable = w.status === 'requested' && !stale;
  const b = w.bankAccount;
  return (
    <li className="withdrawal panel" data-testid="withdrawal" data-id={w.id}>
      <div className="withdrawal-head">
        <p className="amount">{rupiah(w.amount)}</p>
        <span ref={refs.status} tabIndex={-1} className={`status withdrawal-${w.status}`}>
          {t(`penarikan.status.${w.status}`)}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('penarikan.seller')}</dt>
        <dd>{w.sellerName}</dd>
        <dt>{t('penarikan.fee')}</dt>
        <dd>
          {rupiah(w.fee)} · {t('penarikan.net', { amount: rupiah(w.netAmount) })}
        </dd>
        <dt>{t('penarikan.bank')}</dt>
        <dd>
          {b.bankCode} <span className="mono">{b.accountNumber}</span>
          <span className="sub">{b.accountName}</span>
        </dd>
        <dt>{t('penarikan.requestedAt')}</dt>
        <dd>{dateTime(w.createdAt)}</dd>
        {w.rejectionReason && (
          <>
            <dt>{t('penarikan.reason')}</dt>
            <dd>{w.rejectionReason}</dd>
          </>
        )}
        {w.failureReason && (
          <>
            <dt>{t('penarikan.failure')}</dt>
            <dd>{code('payoutFailure', w.failureReason)}</dd>
          </>
        )}
      </dl>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {message(error)}
        </p>
      )}
      {actionable && mode === 'idle' && (
        <div className="button-row">
          <button
            ref={refs.approve}
            type="button"
            className="button primary"
            onClick={() => show('confirm', 'confirm')}
          >
            {t('penarikan.approve')}
          </button>
          <button ref={refs.reject} type="button" className="button secondary" onClick={() => show('reject')}>
            {t('penarikan.reject')}
          </button>
        </div>
      )}
      {actionable && mode === 'confirm' && (
        <div className="confirm" role="group" aria-label={t('penarikan.approve')}>
          <p>
            {t('penarikan.confirm', {
              amount: rupiah(w.netAmount),
              bank: `${b.bankCode} ${b.accountNumber}`,
            })}
          </p>
          <div className="button-row">
            <button
              ref={refs.confirm}
              type="button"
              className="button primary"
              disabled={busy}
              aria-busy={busy}
              onClick={approve}
            >
              {busy ? t('form.submitting') : t('penarikan.confirmYes')}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => show('idle', 'approve')}
            >
              {t('penarikan.cancel')}
            </button>
          </div>
        </div>
      )}
      {actionable && mode === 'reject' && (
        <RejectForm w={w} onDone={decided} onCancel={() => show('idle', 'reject')} onConflict={conflict} />
      )}
    </li>
  );
}

type WithdrawalPage = Schemas['FinanceWithdrawalPageDto'];

/**
 * Finance's withdrawal queue (GET /v1/finance/withdrawals): the requested ones first, any status by the
 * filter, "Muat lagi" following the cursor; approve (confirmed) or reject with a reason.
 */
export function PenarikanPage() {
  const { t, count } = useI18n();
  const [status, setStatus] = useState<Status | ''>('requested');
  const fetchPage = (cursor?: string): Promise<WithdrawalPage> =>
    call(
      api.GET('/v1/finance/withdrawals', {
        params: { query: { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    );
  const list = usePagedList<Withdrawal>(fetchPage, [status]);
  return (
    <>
      <h1>{t('penarikan.title')}</h1>
      <div className="panel toolbar">
        <div className="field">
          <label htmlFor="withdrawal-status">{t('penarikan.statusFilter')}</label>
          <select
            id="withdrawal-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as Status | '')}
          >
            <option value="">{t('penarikan.allStatuses')}</option>
            {WITHDRAWAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`penarikan.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button secondary" onClick={list.first.reload}>
          {t('penarikan.refresh')}
        </button>
      </div>
      <Async
        loaded={list.first}
        isEmpty={(p) => p.items.length === 0}
        empty={status === 'requested' ? t('penarikan.queueEmpty') : t('penarikan.empty')}
      >
        {() => {
          const items = list.items;
          return (
            <>
              <ul className="withdrawals">
                {items.map((w) => (
                  <WithdrawalCard key={w.id} initial={w} />
                ))}
              </ul>
              <ListFooter
                list={list}
                shown={t('penarikan.shown', { count: count(items.length) })}
                more={t('penarikan.more')}
              />
            </>
          );
        }}
      </Async>
    </>
  );
}

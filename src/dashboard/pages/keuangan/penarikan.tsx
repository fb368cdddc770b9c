import { useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { Async, useErrorMessage } from '../../components/async';
import { ListFooter, usePagedList } from '../../components/paged-list';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
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

/** Reject with a reason (POST /v1/finance/withdrawals/{id}/reject); the API's refusal shows by the field. */
function RejectForm({
  w,
  onDone,
  onCancel,
}: {
  w: Withdrawal;
  onDone: (w: Withdrawal) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const form = useApiForm(async (data) => {
    onDone(
      await call(
        api.POST('/v1/finance/withdrawals/{id}/reject', {
          params: { path: { id: w.id } },
          body: { reason: formText(data, 'reason') },
        }),
      ),
    );
  });
  return (
    <form onSubmit={form.onSubmit} className="reject-form" noValidate>
      <FormError form={form} />
      <Field
        id={`reject-reason-${w.id}`}
        label={t('penarikan.reason')}
        name="reason"
        required
        maxLength={500}
        error={form.fieldError('reason')}
      />
      <div className="button-row">
        <SubmitButton form={form}>{t('penarikan.rejectSubmit')}</SubmitButton>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('penarikan.cancel')}
        </button>
      </div>
    </form>
  );
}

function WithdrawalCard({ initial }: { initial: Withdrawal }) {
  const { t, rupiah, dateTime } = useI18n();
  const message = useErrorMessage();
  // The row keeps the API's latest answer for it: an approval or rejection shows at once.
  const [w, setW] = useState(initial);
  const [mode, setMode] = useState<'idle' | 'confirm' | 'reject'>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const approve = () => {
    setBusy(true);
    setError(undefined);
    call(api.POST('/v1/finance/withdrawals/{id}/approve', { params: { path: { id: w.id } } }))
      .then((done) => {
        setW(done);
        setMode('idle');
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  const b = w.bankAccount;
  return (
    <li className="withdrawal panel" data-testid="withdrawal" data-id={w.id}>
      <div className="withdrawal-head">
        <p className="amount">{rupiah(w.amount)}</p>
        <span className={`status withdrawal-${w.status}`}>{t(`penarikan.status.${w.status}`)}</span>
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
            <dd>{w.failureReason}</dd>
          </>
        )}
      </dl>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {message(error)}
        </p>
      )}
      {w.status === 'requested' && mode === 'idle' && (
        <div className="button-row">
          <button type="button" className="button primary" onClick={() => setMode('confirm')}>
            {t('penarikan.approve')}
          </button>
          <button type="button" className="button secondary" onClick={() => setMode('reject')}>
            {t('penarikan.reject')}
          </button>
        </div>
      )}
      {w.status === 'requested' && mode === 'confirm' && (
        <div className="confirm" role="group" aria-label={t('penarikan.approve')}>
          <p>
            {t('penarikan.confirm', {
              amount: rupiah(w.netAmount),
              bank: `${b.bankCode} ${b.accountNumber}`,
            })}
          </p>
          <div className="button-row">
            <button
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
              onClick={() => setMode('idle')}
            >
              {t('penarikan.cancel')}
            </button>
          </div>
        </div>
      )}
      {w.status === 'requested' && mode === 'reject' && (
        <RejectForm
          w={w}
          onDone={(done) => {
            setW(done);
            setMode('idle');
          }}
          onCancel={() => setMode('idle')}
        />
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

import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, type Schemas } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency-key';
import { downloadFile } from '../api/download';
import { Async, useErrorMessage, useFieldMessages, useLoad, type Loaded } from '../components/async';
import { ListFooter, usePagedList } from '../components/paged-list';
import { TableScroll } from '../components/table-scroll';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../components/form';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/id';
import { OwnerOnly, useIsOwner } from './pengaturan/shared';
import { whole } from './kirim/shipment-form';
import { courierName, nextDay } from './shipment-query';

type Balance = Schemas['BalanceDto'];
type Entry = Schemas['LedgerEntryDto'];
type Invoice = Schemas['InvoiceSummaryDto'];

const BALANCE: { key: keyof Balance; label: MessageKey; hint: MessageKey }[] = [
  { key: 'pending', label: 'beranda.pending', hint: 'beranda.pendingHint' },
  { key: 'available', label: 'beranda.available', hint: 'beranda.availableHint' },
  { key: 'inWithdrawal', label: 'saldo.inWithdrawal', hint: 'saldo.inWithdrawalHint' },
  { key: 'outstandingInvoices', label: 'saldo.outstandingInvoices', hint: 'saldo.outstandingInvoicesHint' },
  { key: 'withdrawable', label: 'beranda.withdrawable', hint: 'beranda.withdrawableHint' },
];

/** An amount with its sign written out (`+Rp 5.000`, `−Rp 5.000`), so the sign never rests on colour. */
function useSigned(): (amount: number) => string {
  const { rupiah } = useI18n();
  return (amount) => `${amount > 0 ? '+' : amount < 0 ? '−' : ''}${rupiah(Math.abs(amount))}`;
}

function BalanceCards({ balance }: { balance: Loaded<Balance> & { reload: () => void } }) {
  const { t, rupiah } = useI18n();
  return (
    <section aria-labelledby="saldo-balance-heading" className="panel">
      <h2 id="saldo-balance-heading">{t('saldo.balance')}</h2>
      <Async loaded={balance}>
        {(b) => (
          <dl className="figures saldo-figures" data-testid="balance">
            {BALANCE.map((f) => (
              <div key={f.key} className="figure" data-testid={`balance-${f.key}`}>
                <dt>{t(f.label)}</dt>
                <dd className="amount">{rupiah(b[f.key])}</dd>
                <dd className="figure-hint">{t(f.hint)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Async>
    </section>
  );
}

function WithdrawalForm({ withdrawable, onDone }: { withdrawable?: number; onDone: () => void }) {
  const { t, rupiah } = useI18n();
  const banks = useLoad(() => call(api.GET('/v1/bank-accounts', { params: { query: { limit: 100 } } })), []);
  const [done, setDone] = useState<string>();
  const formElement = useRef<HTMLFormElement>(null);
  const key = useIdempotencyKey();
  const form = useApiForm(async (data) => {
    setDone(undefined);
    const raw = formText(data, 'amount');
    const created = await call(
      api.POST('/v1/withdrawals', {
        params: { header: { 'Idempotency-Key': key.current } },
        // Read as Kirim reads its amounts: blank is absent (the API says it is required), and what is no
        // whole number goes as typed, for the API to name the field.
        body: {
          amount: whole(raw) as number,
          bankAccountId: formText(data, 'bankAccountId'),
        },
      }),
    ).catch((e: unknown) => {
      key.settle(e);
      // The earlier withdrawal, whose answer was lost, went through: the balance and list show it.
      if (e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED') onDone();
      throw e;
    });
    key.settle();
    // Whether the money leaves now or waits for finance (over the automatic limits) is the seller's next question.
    setDone(
      `${t('saldo.withdrawalDone', {
        amount: rupiah(created.amount),
        fee: rupiah(created.fee),
        net: rupiah(created.netAmount),
      })} ${t(created.status === 'requested' ? 'saldo.withdrawalWaits' : 'saldo.withdrawalApproved')}`,
    );
    // Emptied, so a second press is a new withdrawal the seller types, not the same one again.
    formElement.current?.reset();
    onDone();
  });
  const bankError = form.fieldError('bankAccountId');
  return (
    <section aria-labelledby="saldo-withdraw-heading" className="panel">
      <h2 id="saldo-withdraw-heading">{t('saldo.withdraw')}</h2>
      <Async
        loaded={banks}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <>
            {t('saldo.noBankAccount')} <Link to="/pengaturan">{t('saldo.toSettings')}</Link>
          </>
        }
      >
        {(page) => (
          <form ref={formElement} onSubmit={form.onSubmit} noValidate className="withdraw-form">
            {done && (
              <p className="notice" role="status">
                {done}
              </p>
            )}
            <FormError form={form} />
            <Field
              id="withdraw-amount"
              name="amount"
              label={t('saldo.amount')}
              hint={
                withdrawable === undefined
                  ? t('saldo.amountHint')
                  : t('saldo.amountHintWithdrawable', { amount: rupiah(withdrawable) })
              }
              error={form.fieldError('amount')}
              inputMode="numeric"
              autoComplete="off"
            />
            <div className={bankError ? 'field field-invalid' : 'field'}>
              <label htmlFor="withdraw-bank">{t('saldo.bankAccount')}</label>
              <select
                id="withdraw-bank"
                name="bankAccountId"
                aria-invalid={bankError ? true : undefined}
                aria-describedby={bankError ? 'withdraw-bank-error' : undefined}
              >
                {page.items.map((b) => (
                  <option key={b.id} value={b.id}>
                    {`${b.bankCode} ${b.accountNumber} · ${b.accountName}`}
                  </option>
                ))}
              </select>
              {bankError && (
                <p className="field-error" id="withdraw-bank-error">
                  {bankError}
                </p>
              )}
            </div>
            <SubmitButton form={form}>{t('saldo.withdrawSubmit')}</SubmitButton>
          </form>
        )}
      </Async>
    </section>
  );
}

function Withdrawals({ version }: { version: number }) {
  const { t, code, rupiah, dateTime, count } = useI18n();
  const list = usePagedList<Schemas['WithdrawalDto']>(
    (cursor) =>
      call(api.GET('/v1/withdrawals', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [version],
  );
  return (
    <section aria-labelledby="saldo-withdrawals-heading" className="panel">
      <h2 id="saldo-withdrawals-heading">{t('saldo.withdrawals')}</h2>
      <Async loaded={list.first} isEmpty={(p) => p.items.length === 0} empty={t('saldo.noWithdrawals')}>
        {() => (
          <>
            <TableScroll label={t('saldo.withdrawals')}>
              <table className="money-table">
                <thead>
                  <tr>
                    <th scope="col">{t('saldo.requestedAt')}</th>
                    <th scope="col" className="num">
                      {t('saldo.amount')}
                    </th>
                    <th scope="col" className="num">
                      {t('saldo.fee')}
                    </th>
                    <th scope="col">{t('saldo.bankAccount')}</th>
                    <th scope="col">{t('saldo.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((w) => (
                    <tr key={w.id} data-testid="withdrawal">
                      <td data-label={t('saldo.requestedAt')}>
                        <div>{dateTime(w.createdAt)}</div>
                      </td>
                      <td data-label={t('saldo.amount')} className="num">
                        <div>{rupiah(w.amount)}</div>
                      </td>
                      <td data-label={t('saldo.fee')} className="num">
                        <div>{rupiah(w.fee)}</div>
                      </td>
                      <td data-label={t('saldo.bankAccount')}>
                        <div>
                          {w.bankAccount.bankCode} <span className="mono">{w.bankAccount.accountNumber}</span>
                        </div>
                      </td>
                      <td data-label={t('saldo.status')}>
                        <div>
                          <span className={`status withdrawal-${w.status}`}>
                            {code('saldo.withdrawalStatus', w.status)}
                          </span>
                          {w.rejectionReason && <span className="sub">{w.rejectionReason}</span>}
                          {w.failureReason && (
                            <span className="sub">{code('payoutFailure', w.failureReason)}</span>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <ListFooter
              list={list}
              shown={t('saldo.withdrawalsShown', { count: count(list.items.length) })}
            />
          </>
        )}
      </Async>
    </section>
  );
}

interface DayRange {
  from?: string;
  to?: string;
}

const fetchEntries = (range: DayRange, cursor?: string) =>
  call(
    api.GET('/v1/ledger/entries', {
      params: {
        query: {
          limit: 50,
          // Jakarta calendar days (WIB, UTC+7): `to` takes its whole day (the API's `to` is exclusive).
          ...(range.from ? { from: `${range.from}T00:00:00+07:00` } : {}),
          ...(range.to ? { to: `${nextDay(range.to)}T00:00:00+07:00` } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );

function LedgerEntries({ version }: { version: number }) {
  const { t, code, count, rupiah, dateTime } = useI18n();
  const signed = useSigned();
  const [range, setRange] = useState<DayRange>({});
  const key = `${JSON.stringify(range)}:${version}`;
  const list = usePagedList<Entry>((cursor) => fetchEntries(range, cursor), [key]);
  const fieldMessages = useFieldMessages();
  const fieldErrors = list.first.status === 'error' ? fieldMessages(list.first.error) : {};

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const day = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' && value ? value : undefined;
    };
    setRange({ from: day('from'), to: day('to') });
  };
  return (
    <section aria-labelledby="saldo-ledger-heading" className="panel">
      <h2 id="saldo-ledger-heading">{t('saldo.ledger')}</h2>
      <form className="filters" role="search" aria-label={t('saldo.ledgerFilters')} onSubmit={submit}>
        <Field
          id="ledger-from"
          label={t('saldo.from')}
          error={fieldErrors.from}
          name="from"
          type="date"
          defaultValue={range.from ?? ''}
        />
        <Field
          id="ledger-to"
          label={t('saldo.to')}
          error={fieldErrors.to}
          name="to"
          type="date"
          defaultValue={range.to ?? ''}
        />
        <div className="filter-buttons">
          <button type="submit" className="button primary">
            {t('pengiriman.apply')}
          </button>
        </div>
      </form>
      <Async
        loaded={list.first}
        isEmpty={(page) => page.items.length === 0}
        empty={range.from || range.to ? t('saldo.noEntriesInRange') : t('saldo.noEntries')}
      >
        {() => {
          const items = list.items;
          return (
            <>
              <TableScroll label={t('saldo.ledger')}>
                <table className="money-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('saldo.when')}</th>
                      <th scope="col">{t('saldo.entryType')}</th>
                      <th scope="col">{t('saldo.account')}</th>
                      <th scope="col" className="num">
                        {t('saldo.amount')}
                      </th>
                      <th scope="col" className="num">
                        {t('saldo.balanceAfter')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((e) => (
                      <tr key={e.id} data-testid="ledger-entry">
                        <td data-label={t('saldo.when')}>
                          <div>{dateTime(e.at)}</div>
                        </td>
                        <td data-label={t('saldo.entryType')}>
                          <div>
                            {code('saldo.type', e.type)}
                            {e.reference && <span className="sub mono">{e.reference}</span>}
                          </div>
                        </td>
                        <td data-label={t('saldo.account')}>
                          <div>{code('saldo.account', e.account)}</div>
                        </td>
                        <td
                          data-label={t('saldo.amount')}
                          className={e.amount < 0 ? 'num amount-out' : 'num amount-in'}
                        >
                          <div>{signed(e.amount)}</div>
                        </td>
                        <td data-label={t('saldo.balanceAfter')} className="num">
                          <div>{rupiah(e.balanceAfter)}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <ListFooter list={list} shown={t('saldo.entriesShown', { count: count(items.length) })} />
            </>
          );
        }}
      </Async>
    </section>
  );
}

function InvoiceLines({ id }: { id: string }) {
  const { t, code } = useI18n();
  const signed = useSigned();
  const detail = useLoad(() => call(api.GET('/v1/invoices/{id}', { params: { path: { id } } })), [id]);
  return (
    <Async loaded={detail} isEmpty={(d) => d.lines.length === 0} empty={t('saldo.noLines')}>
      {(d) => (
        <TableScroll label={t('saldo.lines')}>
          <table className="money-table">
            <caption className="visually-hidden">{t('saldo.lines')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('saldo.lineKind')}</th>
                <th scope="col">{t('detail.awb')}</th>
                <th scope="col">{t('detail.courier')}</th>
                <th scope="col" className="num">
                  {t('saldo.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {d.lines.map((l, i) => (
                <tr key={`${l.shipmentId}-${l.kind}-${i}`} data-testid="invoice-line">
                  <td data-label={t('saldo.lineKind')}>
                    <div>{code('saldo.lineKind', l.kind)}</div>
                  </td>
                  <td data-label={t('detail.awb')} className="mono">
                    <div>
                      <Link to={`/pengiriman/${l.shipmentId}`}>{l.awb}</Link>
                    </div>
                  </td>
                  <td data-label={t('detail.courier')}>
                    <div>{courierName(l.courier)}</div>
                  </td>
                  <td data-label={t('saldo.amount')} className="num">
                    <div>{signed(l.amount)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Async>
  );
}

function InvoiceCard({ invoice }: { invoice: Invoice }) {
  const { t, code, rupiah, date, count } = useI18n();
  const message = useErrorMessage();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<'pdf' | 'csv'>();
  const [error, setError] = useState<string>();
  const file = invoice.number.replace(/[^A-Za-z0-9-]+/g, '-');
  const download = (format: 'pdf' | 'csv') => {
    setBusy(format);
    setError(undefined);
    downloadFile(`/v1/invoices/${invoice.id}/${format}`, `${file}.${format}`)
      .catch((e: unknown) => setError(message(e)))
      .finally(() => setBusy(undefined));
  };
  const headingId = `invoice-${invoice.id}`;
  return (
    <li className="invoice-card" data-testid="invoice">
      <h3 id={headingId} className="mono">
        {invoice.number}
      </h3>
      <dl className="facts">
        <dt>{t('saldo.period')}</dt>
        <dd>
          {date(`${invoice.periodStartDate}T12:00:00+07:00`)} –{' '}
          {date(`${invoice.periodLastDate}T12:00:00+07:00`)}
        </dd>
        <dt>{t('saldo.total')}</dt>
        <dd>{rupiah(invoice.total)}</dd>
        <dt>{t('saldo.paid')}</dt>
        <dd>{rupiah(invoice.paid)}</dd>
        <dt>{t('saldo.outstanding')}</dt>
        <dd>{rupiah(invoice.outstanding)}</dd>
        <dt>{t('saldo.status')}</dt>
        <dd>
          <span className="status">{code('saldo.invoiceStatus', invoice.status)}</span>
        </dd>
      </dl>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        {(['pdf', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button secondary"
            disabled={busy !== undefined}
            aria-busy={busy === format}
            onClick={() => download(format)}
          >
            {busy === format ? t('saldo.downloading') : t(format === 'pdf' ? 'saldo.pdf' : 'saldo.csv')}
          </button>
        ))}
        <button
          type="button"
          className="button secondary"
          aria-expanded={open}
          aria-controls={`${headingId}-lines`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('saldo.hideLines') : t('saldo.showLines', { count: count(invoice.lineCount) })}
        </button>
      </div>
      <div id={`${headingId}-lines`}>{open && <InvoiceLines id={invoice.id} />}</div>
    </li>
  );
}

function Invoices() {
  const { t, count } = useI18n();
  const list = usePagedList<Invoice>(
    (cursor) =>
      call(api.GET('/v1/invoices', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [],
  );
  return (
    <section aria-labelledby="saldo-invoices-heading" className="panel">
      <h2 id="saldo-invoices-heading">{t('saldo.invoices')}</h2>
      <Async loaded={list.first} isEmpty={(p) => p.items.length === 0} empty={t('saldo.noInvoices')}>
        {() => (
          <>
            <ul className="invoice-list">
              {list.items.map((i) => (
                <InvoiceCard key={i.id} invoice={i} />
              ))}
            </ul>
            <ListFooter list={list} shown={t('saldo.invoicesShown', { count: count(list.items.length) })} />
          </>
        )}
      </Async>
    </section>
  );
}

/**
 * The seller's money: the balance (GET /v1/balance), a withdrawal to a saved bank account, the
 * withdrawals with their status, the ledger's entries by Jakarta dates, and the invoices with their PDF,
 * CSV and lines. A withdrawal made here reloads the balance, the withdrawals and the entries.
 */
export function SaldoPage() {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const balance = useLoad(() => call(api.GET('/v1/balance')), [version]);
  const isOwner = useIsOwner();
  return (
    <>
      <h1>{t('saldo.title')}</h1>
      <BalanceCards balance={balance} />
      <div className="saldo-withdraw">
        {isOwner ? (
          <WithdrawalForm
            withdrawable={balance.status === 'ready' ? balance.data.withdrawable : undefined}
            onDone={() => setVersion((v) => v + 1)}
          />
        ) : (
          // Bank accounts and withdrawals are the owner's (the API refuses staff): said, not failed.
          <section aria-labelledby="saldo-withdraw-heading" className="panel">
            <h2 id="saldo-withdraw-heading">{t('saldo.withdraw')}</h2>
            <OwnerOnly>{t('saldo.withdrawOwnerOnly')}</OwnerOnly>
          </section>
        )}
        <Withdrawals version={version} />
      </div>
      <LedgerEntries version={version} />
      <Invoices />
    </>
  );
}

import { useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { downloadFile } from '../../api/download';
import { Async, useErrorMessage, useLoad } from '../../components/async';
import { ListFooter, usePagedList } from '../../components/paged-list';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { TableScroll } from '../../components/table-scroll';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { nextDay } from '../shipment-query';

type Invoice = Schemas['FinanceInvoiceSummaryDto'];
type Totals = Schemas['PeriodTotalsDto'];

/** The money columns of an invoice, which the period's totals row repeats. */
const AMOUNTS: { key: keyof Invoice & keyof Totals; label: MessageKey }[] = [
  { key: 'shippingTotal', label: 'tagihan.shipping' },
  { key: 'codFeeTotal', label: 'tagihan.codFee' },
  { key: 'returnFeeTotal', label: 'tagihan.returnFee' },
  { key: 'cashbackTotal', label: 'tagihan.cashback' },
  { key: 'codFeeRefundTotal', label: 'tagihan.codFeeRefund' },
  { key: 'total', label: 'tagihan.total' },
  { key: 'paid', label: 'tagihan.paid' },
  { key: 'outstanding', label: 'tagihan.outstanding' },
];

/** "Jalankan penagihan": issues the invoices of every period over by the chosen day (POST /v1/finance/invoicing/run). */
function RunForm({ onRun }: { onRun: () => void }) {
  const { t, count } = useI18n();
  const [result, setResult] = useState<Schemas['InvoicingRunDto']>();
  const form = useApiForm(async (data) => {
    setResult(undefined);
    const day = formText(data, 'asOf');
    // The end of the chosen Jakarta day (the next day's 00:00): the periods over by then, the one whose last day
    // it is too (23:59:59 left that one out).
    const asOf = day ? `${nextDay(day)}T00:00:00+07:00` : undefined;
    setResult(await call(api.POST('/v1/finance/invoicing/run', { body: asOf ? { asOf } : {} })));
    onRun();
  });
  return (
    <section aria-labelledby="run-heading" className="panel">
      <h2 id="run-heading">{t('tagihan.run')}</h2>
      <p className="muted">{t('tagihan.runHint')}</p>
      <form onSubmit={form.onSubmit} className="inline-form" noValidate>
        <FormError form={form} />
        <Field
          id="run-as-of"
          label={t('tagihan.asOf')}
          name="asOf"
          type="date"
          error={form.fieldError('asOf')}
        />
        <SubmitButton form={form}>{t('tagihan.runSubmit')}</SubmitButton>
      </form>
      {result && (
        <p className="notice" role="status">
          {t('tagihan.runDone', { issued: count(result.issued), periods: count(result.periods) })}
        </p>
      )}
    </section>
  );
}

function InvoiceTable({ items, totals }: { items: Invoice[]; totals: Totals }) {
  const { t, rupiah, count } = useI18n();
  const statusLabel = (s: Invoice['status']) => t(`tagihan.status.${s}`);
  return (
    <TableScroll label={t('tagihan.invoices')}>
      <table className="money-table">
        <caption className="visually-hidden">{t('tagihan.invoices')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tagihan.number')}</th>
            <th scope="col">{t('tagihan.seller')}</th>
            <th scope="col">{t('tagihan.statusLabel')}</th>
            {AMOUNTS.map((a) => (
              <th key={a.key} scope="col" className="num">
                {t(a.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} data-testid="invoice-row">
              <th scope="row" className="mono" data-label={t('tagihan.number')}>
                {i.number}
              </th>
              <td data-label={t('tagihan.seller')}>{i.sellerName}</td>
              <td data-label={t('tagihan.statusLabel')}>{statusLabel(i.status)}</td>
              {AMOUNTS.map((a) => (
                <td key={a.key} className="num" data-label={t(a.label)}>
                  {rupiah(i[a.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="invoice-totals">
            <th scope="row">{t('tagihan.totals')}</th>
            <td colSpan={2}>{t('tagihan.invoiceCount', { count: count(totals.invoices) })}</td>
            {AMOUNTS.map((a) => (
              <td key={a.key} className="num" data-label={t(a.label)}>
                {rupiah(totals[a.key])}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}

/**
 * Finance's invoices (GET /v1/finance/invoices): a period's invoices of every seller with its totals,
 * exported as CSV or PDF, and the invoicing run for a day.
 */
export function TagihanPage() {
  const { t } = useI18n();
  // About a year of periods, newest first, as the service counts them; the one running now has no
  // invoices until it ends, so the newest ended one is shown first.
  const periods = useLoad(() => call(api.GET('/v1/finance/invoicing/periods')), []);
  return (
    <>
      <h1>{t('tagihan.title')}</h1>
      <Async loaded={periods}>{(p) => <PeriodInvoices periods={p.items} />}</Async>
    </>
  );
}

function PeriodInvoices({ periods: loaded }: { periods: Schemas['InvoicingPeriodDto'][] }) {
  const { t, date, count } = useI18n();
  const message = useErrorMessage();
  // Read again after a run, so each period's count of invoices stays true (the list shown stays mounted).
  const [periods, setPeriods] = useState(loaded);
  const refreshPeriods = () =>
    void call(api.GET('/v1/finance/invoicing/periods')).then(
      (p) => setPeriods(p.items),
      () => undefined,
    );
  const [periodStart, setPeriodStart] = useState((periods.find((p) => p.ended) ?? periods[0]).startDate);
  const fetchPage = (cursor?: string) =>
    call(
      api.GET('/v1/finance/invoices', {
        params: { query: { periodStart, limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
  const list = usePagedList<Invoice, Schemas['PeriodInvoicesDto']>(fetchPage, [periodStart]);
  const [exporting, setExporting] = useState<'csv' | 'pdf'>();
  const [exportError, setExportError] = useState<unknown>();
  const exportAs = (format: 'csv' | 'pdf') => {
    setExporting(format);
    setExportError(undefined);
    const query = new URLSearchParams({ periodStart, format });
    downloadFile(`/v1/finance/invoices/export?${query.toString()}`, `tagihan-${periodStart}.${format}`)
      .catch((e: unknown) => setExportError(e))
      .finally(() => setExporting(undefined));
  };
  const periodLabel = (p: { startDate: string; lastDate: string }) =>
    t('tagihan.periodRange', {
      from: date(`${p.startDate}T12:00:00+07:00`),
      to: date(`${p.lastDate}T12:00:00+07:00`),
    });
  return (
    <>
      <section aria-labelledby="period-heading" className="panel">
        <h2 id="period-heading">{t('tagihan.invoices')}</h2>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="period-select">{t('tagihan.period')}</label>
            <select id="period-select" value={periodStart} onChange={(e) => setPeriodStart(e.target.value)}>
              {periods.map((p) => (
                <option key={p.startDate} value={p.startDate}>
                  {periodLabel(p)}
                  {p.ended
                    ? ` · ${t('tagihan.periodInvoices', { count: count(p.invoices) })}`
                    : ` (${t('tagihan.current')})`}
                </option>
              ))}
            </select>
          </div>
          <div className="button-row">
            {(['csv', 'pdf'] as const).map((format) => (
              <button
                key={format}
                type="button"
                className="button secondary"
                disabled={exporting !== undefined}
                aria-busy={exporting === format}
                onClick={() => exportAs(format)}
              >
                {exporting === format ? t('form.submitting') : t(`tagihan.export.${format}`)}
              </button>
            ))}
          </div>
        </div>
        {exportError !== undefined && (
          <p className="form-error" role="alert">
            {message(exportError)}
          </p>
        )}
        <Async loaded={list.first} isEmpty={(p) => p.items.length === 0} empty={t('tagihan.empty')}>
          {(p) => {
            const items = list.items;
            return (
              <>
                <InvoiceTable items={items} totals={p.totals} />
                <ListFooter
                  list={list}
                  shown={t('tagihan.shown', { shown: count(items.length), total: count(p.totals.invoices) })}
                  more={t('tagihan.loadMore')}
                />
              </>
            );
          }}
        </Async>
      </section>
      <RunForm
        onRun={() => {
          list.first.reload();
          refreshPeriods();
        }}
      />
    </>
  );
}

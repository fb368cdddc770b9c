import { api, call, type Schemas } from '../../api/client';
import { Async, useLoad } from '../../components/async';
import { TableScroll } from '../../components/table-scroll';
import { useI18n } from '../../i18n/i18n-context';
import { courierName } from '../shipment-query';
import { groupTrialBalance, type AccountGroup } from './trial-balance';

type TrialBalance = Schemas['TrialBalanceDto'];

function GroupRows({ group }: { group: AccountGroup }) {
  const { t, rupiah } = useI18n();
  const kindLabel = (kind: AccountGroup['rows'][number]['kind']) => t(`neraca.kind.${kind}`);
  return (
    <tbody>
      <tr className="group-row">
        <th scope="rowgroup" colSpan={4}>
          {group.sellers
            ? t('neraca.sellersGroup', { count: group.sellers })
            : t(`neraca.group.${group.scope}`)}
        </th>
      </tr>
      {group.rows.map((r) => (
        <tr key={r.key} data-testid="trial-row">
          <th scope="row">
            {kindLabel(r.kind)}
            {r.courier && <span className="sub">{courierName(r.courier)}</span>}
          </th>
          <td className="num" data-label={t('neraca.debits')}>
            {rupiah(r.debits)}
          </td>
          <td className="num" data-label={t('neraca.credits')}>
            {rupiah(r.credits)}
          </td>
          <td className="num" data-label={t('neraca.balance')}>
            {rupiah(r.balance)}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

function Report({ tb }: { tb: TrialBalance }) {
  const { t, rupiah } = useI18n();
  const groups = groupTrialBalance(tb.accounts);
  const difference = tb.totalDebits - tb.totalCredits;
  return (
    <>
      <p className={tb.balanced ? 'notice' : 'form-error'} role="status" data-testid="trial-verdict">
        {tb.balanced ? t('neraca.balanced') : t('neraca.unbalanced')}
      </p>
      <TableScroll label={t('neraca.title')}>
        <table className="money-table trial-balance">
          <caption className="visually-hidden">{t('neraca.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('neraca.account')}</th>
              <th scope="col" className="num">
                {t('neraca.debits')}
              </th>
              <th scope="col" className="num">
                {t('neraca.credits')}
              </th>
              <th scope="col" className="num">
                {t('neraca.balance')}
              </th>
            </tr>
          </thead>
          {groups.map((g) => (
            <GroupRows key={g.scope} group={g} />
          ))}
          <tfoot>
            <tr>
              <th scope="row">{t('neraca.total')}</th>
              <td className="num" data-label={t('neraca.debits')}>
                {rupiah(tb.totalDebits)}
              </td>
              <td className="num" data-label={t('neraca.credits')}>
                {rupiah(tb.totalCredits)}
              </td>
              <td className="num" data-label={t('neraca.difference')} data-testid="trial-difference">
                {rupiah(difference)}
              </td>
            </tr>
          </tfoot>
        </table>
      </TableScroll>
      <p className="muted">{t('neraca.differenceHint')}</p>
    </>
  );
}

/** The trial balance (GET /v1/finance/ledger/trial-balance): accounts grouped, totals, balanced or not. */
export function NeracaPage() {
  const { t } = useI18n();
  const tb = useLoad(() => call(api.GET('/v1/finance/ledger/trial-balance')), []);
  return (
    <>
      <h1>{t('neraca.title')}</h1>
      <section className="panel" aria-labelledby="neraca-heading">
        <h2 id="neraca-heading">{t('neraca.accounts')}</h2>
        <Async loaded={tb} isEmpty={(r) => r.accounts.length === 0} empty={t('neraca.empty')}>
          {(r) => <Report tb={r} />}
        </Async>
      </section>
    </>
  );
}

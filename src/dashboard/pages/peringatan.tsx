import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { AlertMessage } from '../components/alert-message';
import { Async, useErrorMessage } from '../components/async';
import { ListFooter, usePagedList } from '../components/paged-list';
import { useI18n } from '../i18n/i18n-context';
import {
  alertActions,
  alertFiltersFromSearch,
  RULES,
  searchFromAlertFilters,
  SEVERITIES,
  type AlertFilters,
} from './alert-query';
import { ReturnAskedNotice } from './return-asked-notice';
import { ShipmentActionButton } from './shipment-action-button';
import { useShipmentAction } from './shipment-actions';
import type { ActionKind } from './shipment-query';

type Alert = Schemas['InboxAlertDto'];

const fetchAlerts = (f: AlertFilters, cursor?: string) =>
  call(
    api.GET('/v1/alerts', {
      params: {
        query: {
          // The API orders open alerts most severe first, then newest; resolved ones newest resolved first.
          state: f.resolved ? 'resolved' : 'open',
          limit: 50,
          ...(f.rule ? { rule: f.rule } : {}),
          ...(f.severity ? { severity: f.severity } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );

interface Outcome {
  ok: boolean;
  text: string;
}

function AlertCard({ alert, onChange }: { alert: Alert; onChange: (alert: Alert) => void }) {
  const { t, code, dateTime } = useI18n();
  const message = useErrorMessage();
  const [busy, setBusy] = useState<'ack' | ActionKind>();
  const [outcome, setOutcome] = useState<Outcome>();
  const run = (kind: 'ack' | ActionKind, request: () => Promise<string>) => {
    setBusy(kind);
    setOutcome(undefined);
    request()
      .then((text) => setOutcome({ ok: true, text }))
      .catch((e: unknown) => setOutcome({ ok: false, text: message(e) }))
      .finally(() => setBusy(undefined));
  };
  const acknowledge = () =>
    run('ack', async () => {
      onChange(await call(api.POST('/v1/alerts/{id}/acknowledge', { params: { path: { id: alert.id } } })));
      return t('peringatan.acknowledgedNow');
    });
  const requestAction = useShipmentAction();
  // A re-attempt of a held parcel releases it: labelled, and its outcome said, as the shipment's page does.
  const held = alert.shipment.heldBy !== null;
  // Where the parcel stands after an action, taken or refused (released, its return asked, moved on), so
  // the card offers what the API would take. Not known then, the card stays as it was: the action's own
  // outcome is what it says.
  const refresh = () =>
    call(api.GET('/v1/shipments/{id}', { params: { path: { id: alert.shipmentId } } })).then(
      ({ status, heldBy, returnAskedAt, returnUnconfirmed, reattemptAskedAt }) =>
        onChange({
          ...alert,
          shipment: { status, heldBy, returnAskedAt, returnUnconfirmed, reattemptAskedAt },
        }),
      () => undefined,
    );
  const act = (action: ActionKind) =>
    run(action, () =>
      requestAction(alert.shipmentId, { action }, { releasing: held && action === 'reattempt' }).finally(
        refresh,
      ),
    );
  const headingId = `alert-${alert.id}`;
  // The buttons an action leaves may not include the one pressed (a hold released, a return asked): the
  // keyboard then stays on the card, at its heading, rather than falling back to the page's start.
  const heading = useRef<HTMLHeadingElement>(null);
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && busy === undefined && document.activeElement === document.body)
      heading.current?.focus();
    wasBusy.current = busy !== undefined;
  }, [busy, alert]);
  return (
    <li className="alert-card" data-testid="alert">
      <h2 id={headingId} className="alert-title" ref={heading} tabIndex={-1}>
        <span className={`badge severity-${alert.severity}`}>
          {t('peringatan.severityBadge', { severity: code('severity', alert.severity) })}
        </span>{' '}
        {code('rule', alert.rule)}
      </h2>
      <p>
        <strong>{code('reason', alert.reason)}</strong>
        <AlertMessage alert={alert} />
      </p>
      <p className="sub alert-times">
        <span>
          {t('peringatan.opened')} <time dateTime={alert.openedAt}>{dateTime(alert.openedAt)}</time>
        </span>
        {alert.resolvedAt && (
          <span>
            {t('peringatan.resolved')} <time dateTime={alert.resolvedAt}>{dateTime(alert.resolvedAt)}</time>
          </span>
        )}
        {alert.acknowledgedAt && (
          <span>
            {t('peringatan.acknowledged')}{' '}
            <time dateTime={alert.acknowledgedAt}>{dateTime(alert.acknowledgedAt)}</time>
          </span>
        )}
      </p>
      <p>
        <strong>{t('detail.suggested', { action: code('suggest', alert.suggestedAction) })}</strong>
      </p>
      {alert.shipment.returnAskedAt && (
        <ReturnAskedNotice
          at={alert.shipment.returnAskedAt}
          unconfirmed={alert.shipment.returnUnconfirmed !== null}
        />
      )}
      {held && !alert.resolvedAt && (
        <p className="notice" data-testid="held-notice">
          {t('peringatan.held')}
        </p>
      )}
      {outcome && (
        <p className={outcome.ok ? 'notice' : 'form-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <div className="button-row">
        <Link className="button secondary" to={`/pengiriman/${alert.shipmentId}`}>
          {t('peringatan.openShipment', { reference: alert.shipmentReference })}
        </Link>
        {alert.contact.whatsappUrl && (
          <a
            className="button secondary"
            href={alert.contact.whatsappUrl}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('detail.whatsapp')}
          </a>
        )}
        {alertActions(alert).map((action) => (
          <ShipmentActionButton
            key={action}
            action={action}
            busy={busy}
            label={held && action === 'reattempt' ? t('detail.release') : undefined}
            primary={held ? action === 'reattempt' : action === alert.suggestedAction}
            onAct={act}
          />
        ))}
        {!alert.resolvedAt && !alert.acknowledgedAt && (
          <button
            type="button"
            className="button secondary"
            disabled={busy !== undefined}
            aria-busy={busy === 'ack'}
            onClick={acknowledge}
          >
            {busy === 'ack' ? t('form.submitting') : t('peringatan.acknowledge')}
          </button>
        )}
      </div>
    </li>
  );
}

function AlertFilterForm({
  filters,
  onApply,
}: {
  filters: AlertFilters;
  onApply: (f: AlertFilters) => void;
}) {
  const { t, code } = useI18n();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const rule = data.get('rule');
    const severity = data.get('severity');
    onApply({
      ...filters,
      rule: RULES.find((r) => r === rule),
      severity: SEVERITIES.find((s) => s === severity),
    });
  };
  return (
    <form className="filters panel" role="search" aria-label={t('peringatan.filters')} onSubmit={submit}>
      <div className="field">
        <label htmlFor="alert-rule">{t('peringatan.rule')}</label>
        <select id="alert-rule" name="rule" defaultValue={filters.rule ?? ''}>
          <option value="">{t('peringatan.allRules')}</option>
          {RULES.map((r) => (
            <option key={r} value={r}>
              {code('rule', r)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="alert-severity">{t('peringatan.severity')}</label>
        <select id="alert-severity" name="severity" defaultValue={filters.severity ?? ''}>
          <option value="">{t('peringatan.allSeverities')}</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {code('severity', s)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-buttons">
        <button type="submit" className="button primary">
          {t('pengiriman.apply')}
        </button>
        <button
          type="button"
          className="button secondary"
          aria-pressed={filters.resolved}
          onClick={() => onApply({ ...filters, resolved: !filters.resolved })}
        >
          {t('peringatan.showResolved')}
        </button>
      </div>
    </form>
  );
}

/**
 * The seller's alerts (GET /v1/alerts): open ones most severe then newest first (or the resolved ones),
 * filtered by rule and severity, 50 a page; each can be acknowledged and its suggested action taken.
 */
export function PeringatanPage() {
  const { t, count } = useI18n();
  const [search, setSearch] = useSearchParams();
  const filters = alertFiltersFromSearch(search);
  const key = searchFromAlertFilters(filters).toString();
  const list = usePagedList<Alert>((cursor) => fetchAlerts(filters, cursor), [key]);
  // Alerts changed on this page (acknowledged, or their parcel acted on), shown over what was loaded.
  const [changed, setChanged] = useState<Record<string, Alert>>({});

  return (
    <>
      <h1>{t('peringatan.title')}</h1>
      <AlertFilterForm
        key={key}
        filters={filters}
        onApply={(f) => {
          // A list loaded again is newer than what this page changed before.
          setChanged({});
          setSearch(searchFromAlertFilters(f));
        }}
      />
      <Async
        loaded={list.first}
        isEmpty={(page) => page.items.length === 0}
        empty={filters.resolved ? t('peringatan.noResolved') : t('peringatan.empty')}
      >
        {() => {
          const items = list.items.map((a) => changed[a.id] ?? a);
          return (
            <>
              <p className="muted">
                {filters.resolved ? t('peringatan.resolvedList') : t('peringatan.order')}
              </p>
              <ul className="alert-list">
                {items.map((a) => (
                  <AlertCard
                    key={a.id}
                    alert={a}
                    onChange={(updated) => setChanged((c) => ({ ...c, [updated.id]: updated }))}
                  />
                ))}
              </ul>
              <ListFooter list={list} shown={t('peringatan.shown', { count: count(items.length) })} />
            </>
          );
        }}
      </Async>
    </>
  );
}

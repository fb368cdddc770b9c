import { useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { TableScroll } from '../../components/table-scroll';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { CopyableSecret, OutcomeNotice, OwnerOnly, SettingsSection, useAction, type Outcome } from './shared';

type Settings = Schemas['SettingsDto'];
type Delivery = Schemas['WebhookDeliveryDto'];

/** The URL (empty clears it) and, for the owner, the signing secret with show, copy and "make a new one". */
function WebhookSettings({ loaded, owner }: { loaded: Settings; owner: boolean }) {
  const { t } = useI18n();
  // Kept from each answer to a change, so the confirmation stays on screen (no reload).
  const [settings, setSettings] = useState(loaded);
  const [saved, setSaved] = useState<Outcome>();
  const rotate = useAction();
  const form = useApiForm(async (data) => {
    setSaved(undefined);
    const url = formText(data, 'webhookUrl').trim();
    setSettings(await call(api.PATCH('/v1/settings', { body: { webhookUrl: url === '' ? null : url } })));
    setSaved({ ok: true, text: url ? t('pengaturan.webhook.saved') : t('pengaturan.webhook.cleared') });
  });
  return (
    <>
      {!owner && <OwnerOnly>{t('pengaturan.ownerChanges')}</OwnerOnly>}
      <OutcomeNotice outcome={saved} />
      <form onSubmit={form.onSubmit} noValidate>
        <FormError form={form} />
        <Field
          name="webhookUrl"
          type="url"
          label={t('pengaturan.webhook.url')}
          hint={t('pengaturan.webhook.urlHint')}
          defaultValue={settings.webhookUrl ?? ''}
          error={form.fieldError('webhookUrl')}
          disabled={!owner}
        />
        {owner && <SubmitButton form={form}>{t('pengaturan.webhook.saveUrl')}</SubmitButton>}
      </form>
      <h3>{t('pengaturan.webhook.secret')}</h3>
      {settings.webhookSecret ? (
        <CopyableSecret label={t('pengaturan.webhook.secretLabel')} value={settings.webhookSecret} maskable />
      ) : (
        <p className="muted">
          {settings.webhookSecretSet
            ? t('pengaturan.webhook.secretHidden')
            : t('pengaturan.webhook.noSecret')}
        </p>
      )}
      <p className="field-hint section-hint">{t('pengaturan.webhook.secretHint')}</p>
      {owner && settings.webhookSecretSet && (
        <>
          <OutcomeNotice outcome={rotate.outcome} />
          <button
            type="button"
            className="button secondary"
            disabled={rotate.busy !== undefined}
            aria-busy={rotate.busy !== undefined}
            onClick={() =>
              rotate.run(
                'rotate',
                async () => {
                  setSettings(await call(api.PATCH('/v1/settings', { body: { rotateWebhookSecret: true } })));
                },
                t('pengaturan.webhook.rotated'),
              )
            }
          >
            {t('pengaturan.webhook.rotate')}
          </button>
        </>
      )}
    </>
  );
}

/** Why a webhook was not delivered, said for the seller (the service's own words follow, for a developer). */
const WEBHOOK_FAILURES: [RegExp, MessageKey][] = [
  [
    /ENOTFOUND|EAI_AGAIN|\bDNS\b|could not be resolved|does not resolve/,
    'pengaturan.webhook.why.unknownHost',
  ],
  [/^not sent:/, 'pengaturan.webhook.why.notSent'],
  [/ECONNREFUSED/, 'pengaturan.webhook.why.refused'],
  [/^no answer within/, 'pengaturan.webhook.why.timeout'],
  [/ECONNRESET|socket hang up/, 'pengaturan.webhook.why.reset'],
  [/CERT_|\bcertificate\b|\bSSL\b|\bTLS\b/i, 'pengaturan.webhook.why.certificate'],
];

function useWebhookFailure(): (error: string) => string {
  const { t } = useI18n();
  return (error) => {
    const known = WEBHOOK_FAILURES.find(([pattern]) => pattern.test(error));
    return known ? `${t(known[1])} (${error})` : error;
  };
}

/** The webhooks sent, newest first: type, status, attempts, the last answer, time; failed ones retried. */
function DeliveryLog({
  deliveries,
  reload,
}: {
  deliveries: ReturnType<typeof useDeliveries>;
  reload: () => void;
}) {
  const { t, dateTime } = useI18n();
  const retry = useAction();
  const failure = useWebhookFailure();
  return (
    <>
      <OutcomeNotice outcome={retry.outcome} />
      <Async
        loaded={deliveries}
        isEmpty={(page) => page.items.length === 0}
        empty={t('pengaturan.webhook.noDeliveries')}
      >
        {(page) => (
          <TableScroll label={t('pengaturan.webhook.log')}>
            <table className="deliveries">
              <caption className="visually-hidden">{t('pengaturan.webhook.log')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pengaturan.webhook.type')}</th>
                  <th scope="col">{t('pengaturan.webhook.status')}</th>
                  <th scope="col" className="num">
                    {t('pengaturan.webhook.attempts')}
                  </th>
                  <th scope="col">{t('pengaturan.webhook.lastResponse')}</th>
                  <th scope="col">{t('pengaturan.webhook.time')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('pengaturan.webhook.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((d: Delivery) => (
                  <tr key={d.id} data-testid="webhook-delivery">
                    <th scope="row" className="mono">
                      {d.type}
                    </th>
                    <td data-label={t('pengaturan.webhook.status')}>
                      <span className={`delivery-${d.status}`}>
                        {t(`pengaturan.webhook.status.${d.status}`)}
                      </span>
                    </td>
                    <td className="num" data-label={t('pengaturan.webhook.attempts')}>
                      {d.attempts}
                    </td>
                    <td data-label={t('pengaturan.webhook.lastResponse')}>
                      {d.lastResponseCode !== null && <span className="mono">HTTP {d.lastResponseCode}</span>}
                      {d.lastError && <span className="sub">{failure(d.lastError)}</span>}
                      {d.lastResponseCode === null && !d.lastError && '–'}
                    </td>
                    <td data-label={t('pengaturan.webhook.time')}>
                      <time dateTime={d.deliveredAt ?? d.createdAt}>
                        {dateTime(d.deliveredAt ?? d.createdAt)}
                      </time>
                    </td>
                    <td className="delivery-action">
                      {d.status !== 'delivered' && (
                        <button
                          type="button"
                          className="button secondary"
                          disabled={retry.busy !== undefined}
                          aria-busy={retry.busy === d.id}
                          onClick={() =>
                            retry.run(
                              d.id,
                              async () => {
                                await call(
                                  api.POST('/v1/webhook-deliveries/{id}/retry', {
                                    params: { path: { id: d.id } },
                                  }),
                                );
                                reload();
                              },
                              t('pengaturan.webhook.retried'),
                            )
                          }
                        >
                          {t('pengaturan.webhook.retry')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Async>
    </>
  );
}

const useDeliveries = () =>
  useLoad(() => call(api.GET('/v1/webhook-deliveries', { params: { query: { limit: 50 } } })), []);

/**
 * Webhooks to the shop's own system: the URL and its signing secret (PATCH /v1/settings), a signed test
 * event (POST /v1/settings/webhook/test) with its outcome, and the delivery log with retries.
 */
export function WebhookSection({ owner }: { owner: boolean }) {
  const { t } = useI18n();
  const settings = useLoad(() => call(api.GET('/v1/settings')), []);
  const deliveries = useDeliveries();
  const test = useAction();
  const failure = useWebhookFailure();
  const [testResult, setTestResult] = useState<Outcome>();
  const sendTest = () =>
    test.run('test', async () => {
      setTestResult(undefined);
      const result = await call(api.POST('/v1/settings/webhook/test'));
      setTestResult(
        result.status === 'delivered'
          ? { ok: true, text: t('pengaturan.webhook.testDelivered', { code: result.responseCode ?? '–' }) }
          : {
              ok: false,
              text: t('pengaturan.webhook.testFailed', {
                reason: result.error ? failure(result.error) : `HTTP ${result.responseCode ?? '–'}`,
              }),
            },
      );
      deliveries.reload();
    });
  return (
    <SettingsSection id="webhook" title={t('pengaturan.webhook.title')}>
      <Async loaded={settings}>{(s) => <WebhookSettings loaded={s} owner={owner} />}</Async>
      <h3>{t('pengaturan.webhook.testTitle')}</h3>
      <p className="field-hint section-hint">{t('pengaturan.webhook.testHint')}</p>
      <OutcomeNotice outcome={testResult ?? test.outcome} />
      <button
        type="button"
        className="button secondary"
        disabled={test.busy !== undefined}
        aria-busy={test.busy !== undefined}
        onClick={sendTest}
      >
        {test.busy ? t('form.submitting') : t('pengaturan.webhook.test')}
      </button>
      <h3>{t('pengaturan.webhook.log')}</h3>
      <DeliveryLog deliveries={deliveries} reload={deliveries.reload} />
    </SettingsSection>
  );
}

import { useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/idempotency-key';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { ConfirmButton } from '../../components/confirm-button';
import { useI18n } from '../../i18n/i18n-context';
import { CopyableSecret, OutcomeNotice, OwnerOnly, SettingsSection, useAction } from './shared';

type CreatedKey = Schemas['CreatedApiKeyDto'];

/** The owner's API keys: list, create (the key shown this once, with a copy button), revoke. */
function ApiKeys() {
  const { t, dateTime } = useI18n();
  const keys = useLoad(() => call(api.GET('/v1/api-keys', { params: { query: { limit: 500 } } })), []);
  const revoke = useAction();
  // Only in this component's memory: gone on reload, as the API never answers it again.
  const [created, setCreated] = useState<CreatedKey>();
  const [key, setKey] = useState(idempotencyKey);
  const form = useApiForm(async (data) => {
    const name = formText(data, 'name').trim();
    const answer = await call(
      api.POST('/v1/api-keys', {
        params: { header: { 'Idempotency-Key': key } },
        body: name ? { name } : {},
      }),
    );
    setCreated(answer);
    setKey(idempotencyKey());
    keys.reload();
  });
  return (
    <>
      {created && (
        <div className="notice key-once" role="status">
          <p>
            <strong>{t('pengaturan.apiKey.createdTitle', { name: created.name })}</strong>
          </p>
          <p>{t('pengaturan.apiKey.shownOnce')}</p>
          <CopyableSecret label={t('pengaturan.apiKey.theKey')} value={created.key} />
          <button type="button" className="button secondary" onClick={() => setCreated(undefined)}>
            {t('pengaturan.apiKey.done')}
          </button>
        </div>
      )}
      <OutcomeNotice outcome={revoke.outcome} />
      <Async loaded={keys} isEmpty={(page) => page.items.length === 0} empty={t('pengaturan.apiKey.empty')}>
        {(page) => (
          <ul className="plain-list">
            {page.items.map((k) => (
              <li key={k.id} className="item-row" data-testid="api-key">
                <p>
                  <strong>{k.name}</strong> <span className="mono">{k.prefix}…</span>
                  <span className="sub">
                    {k.createdBy.email
                      ? t('pengaturan.apiKey.createdBy', {
                          when: dateTime(k.createdAt),
                          who: k.createdBy.email,
                        })
                      : t('pengaturan.apiKey.created', { when: dateTime(k.createdAt) })}{' '}
                    ·{' '}
                    {k.lastUsedAt
                      ? t('pengaturan.apiKey.lastUsed', { when: dateTime(k.lastUsedAt) })
                      : t('pengaturan.apiKey.neverUsed')}
                    {k.revokedAt && ` · ${t('pengaturan.apiKey.revokedOn', { when: dateTime(k.revokedAt) })}`}
                  </span>
                </p>
                {!k.revokedAt && (
                  <ConfirmButton
                    label={t('pengaturan.apiKey.revoke')}
                    question={t('pengaturan.apiKey.confirmRevoke', { name: k.name })}
                    confirmLabel={t('pengaturan.apiKey.revoke')}
                    busy={revoke.busy === k.id}
                    onConfirm={() =>
                      revoke.run(
                        k.id,
                        async () => {
                          await call(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: k.id } } }));
                          keys.reload();
                        },
                        t('pengaturan.apiKey.revoked', { name: k.name }),
                      )
                    }
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </Async>
      <h3>{t('pengaturan.apiKey.create')}</h3>
      <form onSubmit={form.onSubmit} noValidate key={key}>
        <FormError form={form} />
        <Field
          name="name"
          label={t('pengaturan.apiKey.name')}
          hint={t('pengaturan.apiKey.nameHint')}
          maxLength={100}
          error={form.fieldError('name')}
        />
        <SubmitButton form={form}>{t('pengaturan.apiKey.create')}</SubmitButton>
      </form>
    </>
  );
}

/** API keys for the shop's own systems: the API lets only the owner manage them; staff get a note. */
export function ApiKeySection({ owner }: { owner: boolean }) {
  const { t } = useI18n();
  return (
    <SettingsSection id="api-key" title={t('pengaturan.apiKey.title')}>
      {owner ? <ApiKeys /> : <OwnerOnly />}
    </SettingsSection>
  );
}

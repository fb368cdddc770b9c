import { useId, useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/idempotency-key';
import { useSession } from '../../auth/session';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { ConfirmButton } from '../../components/confirm-button';
import { useI18n } from '../../i18n/i18n-context';
import { OutcomeNotice, OwnerOnly, SettingsSection, useAction } from './shared';

type SellerRole = Schemas['CreateUserDto']['role'];

const ROLE_LABEL = {
  seller_owner: 'pengaturan.users.owner',
  seller_staff: 'pengaturan.users.staff',
} as const satisfies Record<SellerRole, string>;

function AddUser({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const roleId = useId();
  const [key, setKey] = useState(idempotencyKey);
  const form = useApiForm(async (data) => {
    await call(
      api.POST('/v1/users', {
        params: { header: { 'Idempotency-Key': key } },
        body: {
          email: formText(data, 'email'),
          password: formText(data, 'password'),
          role: formText(data, 'role') as SellerRole,
        },
      }),
    );
    setKey(idempotencyKey());
    onAdded();
  });
  const roleError = form.fieldError('role');
  return (
    <form onSubmit={form.onSubmit} noValidate key={key}>
      <FormError form={form} />
      <div className="form-grid">
        <Field
          name="email"
          type="email"
          label={t('auth.email')}
          autoComplete="off"
          error={form.fieldError('email')}
        />
        <Field
          name="password"
          type="password"
          label={t('pengaturan.users.password')}
          hint={t('auth.passwordHint')}
          autoComplete="new-password"
          error={form.fieldError('password')}
        />
        <div className={roleError ? 'field field-invalid' : 'field'}>
          <label htmlFor={roleId}>{t('pengaturan.users.role')}</label>
          <select id={roleId} name="role" defaultValue="seller_staff">
            {(Object.keys(ROLE_LABEL) as SellerRole[]).map((role) => (
              <option key={role} value={role}>
                {t(ROLE_LABEL[role])}
              </option>
            ))}
          </select>
          {roleError && <p className="field-error">{roleError}</p>}
        </div>
      </div>
      <div className="button-row">
        <SubmitButton form={form}>{t('pengaturan.users.add')}</SubmitButton>
      </div>
    </form>
  );
}

/** The shop's users (owner only in the API): list, add staff or another owner, remove. */
function Users() {
  const { t, date } = useI18n();
  const { state } = useSession();
  const myId = state.status === 'signed-in' ? state.me.user?.id : undefined;
  const users = useLoad(() => call(api.GET('/v1/users', { params: { query: { limit: 500 } } })), []);
  const remove = useAction();
  return (
    <>
      <OutcomeNotice outcome={remove.outcome} />
      <Async loaded={users} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="plain-list">
            {page.items.map((u) => (
              <li key={u.id} className="item-row" data-testid="user">
                <p>
                  <strong className="mono">{u.email}</strong>
                  <span className="sub">
                    {u.role in ROLE_LABEL ? t(ROLE_LABEL[u.role as SellerRole]) : u.role} ·{' '}
                    {t('pengaturan.addedOn', { date: date(u.createdAt) })}
                    {u.id === myId && ` · ${t('pengaturan.users.you')}`}
                  </span>
                </p>
                {u.id !== myId && (
                  <ConfirmButton
                    label={t('pengaturan.users.remove')}
                    question={t('pengaturan.users.confirmRemove', { email: u.email })}
                    confirmLabel={t('pengaturan.users.remove')}
                    busy={remove.busy === u.id}
                    onConfirm={() =>
                      remove.run(
                        u.id,
                        async () => {
                          await call(api.DELETE('/v1/users/{id}', { params: { path: { id: u.id } } }));
                          users.reload();
                        },
                        t('pengaturan.users.removed', { email: u.email }),
                      )
                    }
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </Async>
      <h3>{t('pengaturan.users.add')}</h3>
      <AddUser onAdded={users.reload} />
    </>
  );
}

/** Who can sign in to the shop: the API lets only the owner see or change the list; staff get a note. */
export function PenggunaSection({ owner }: { owner: boolean }) {
  const { t } = useI18n();
  return (
    <SettingsSection id="pengguna" title={t('pengaturan.users.title')}>
      {owner ? <Users /> : <OwnerOnly />}
    </SettingsSection>
  );
}

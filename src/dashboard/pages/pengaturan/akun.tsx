import { useState } from 'react';
import { api, call } from '../../api/client';
import { useSession } from '../../auth/session';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { ConfirmButton } from '../../components/confirm-button';
import { useI18n } from '../../i18n/i18n-context';
import { OutcomeNotice, SettingsSection, useAction } from './shared';

/** A new password, checked by the current one: every other device is signed out, this one goes on. */
function ChangePassword() {
  const { t } = useI18n();
  const { adoptToken } = useSession();
  const [changed, setChanged] = useState(0);
  const form = useApiForm(async (data) => {
    const { accessToken } = await call(
      api.POST('/v1/auth/password', {
        body: {
          currentPassword: formText(data, 'currentPassword'),
          newPassword: formText(data, 'newPassword'),
        },
      }),
    );
    adoptToken(accessToken);
    setChanged((n) => n + 1);
  });
  return (
    // A new key after a change empties the fields.
    <form onSubmit={form.onSubmit} noValidate key={changed}>
      {changed > 0 && (
        <p className="notice" role="status">
          {t('pengaturan.account.changed')}
        </p>
      )}
      <FormError form={form} />
      <div className="form-grid">
        <Field
          name="currentPassword"
          type="password"
          label={t('pengaturan.account.currentPassword')}
          autoComplete="current-password"
          error={form.fieldError('currentPassword')}
        />
        <Field
          name="newPassword"
          type="password"
          label={t('pengaturan.account.newPassword')}
          hint={t('auth.passwordHint')}
          autoComplete="new-password"
          error={form.fieldError('newPassword')}
        />
      </div>
      <div className="button-row">
        <SubmitButton form={form}>{t('pengaturan.account.change')}</SubmitButton>
      </div>
    </form>
  );
}

/**
 * The signed-in person's own account: a new password, and signing out on every device (a lost phone, a
 * shared computer). Every role sees it: it is about the person, not the shop.
 */
export function AkunSection() {
  const { t } = useI18n();
  const { forget } = useSession();
  const everywhere = useAction();
  return (
    <SettingsSection id="akun" title={t('pengaturan.account.title')}>
      <h3>{t('pengaturan.account.change')}</h3>
      <ChangePassword />
      <h3>{t('pengaturan.account.logoutEverywhere')}</h3>
      <p className="sub">{t('pengaturan.account.logoutEverywhereHint')}</p>
      <OutcomeNotice outcome={everywhere.outcome} />
      <ConfirmButton
        label={t('pengaturan.account.logoutEverywhere')}
        question={t('pengaturan.account.confirmLogoutEverywhere')}
        confirmLabel={t('pengaturan.account.logoutEverywhere')}
        busy={everywhere.busy === 'everywhere'}
        onConfirm={() =>
          everywhere.run('everywhere', async () => {
            await call(api.POST('/v1/auth/logout', { body: { everywhere: true } }));
            forget();
          })
        }
      />
    </SettingsSection>
  );
}

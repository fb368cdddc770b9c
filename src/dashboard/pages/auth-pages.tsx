import { useEffect } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { LanguageSwitch } from '../components/layout';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../components/form';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/id';

function AuthFrame({
  title,
  notice,
  children,
}: {
  title: MessageKey;
  notice?: MessageKey;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t(title)} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <div className="auth">
      <header className="auth-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="auth-main">
        <h1>{t(title)}</h1>
        <p className="tagline">{t('app.tagline')}</p>
        {notice && (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}

export function LoginPage({ notice }: { notice?: MessageKey }) {
  const { t } = useI18n();
  const { login } = useSession();
  const form = useApiForm((data) => login(formText(data, 'email'), formText(data, 'password')));
  return (
    <AuthFrame title="auth.login.title" notice={notice}>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError form={form} />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          required
          error={form.fieldError('email')}
        />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={form.fieldError('password')}
        />
        <SubmitButton form={form}>{t('auth.login.submit')}</SubmitButton>
      </form>
      <p>
        {t('auth.login.noAccount')} <Link to="/daftar">{t('auth.login.toSignup')}</Link>
      </p>
    </AuthFrame>
  );
}

export function SignupPage() {
  const { t } = useI18n();
  const { signup } = useSession();
  const form = useApiForm((data) =>
    signup(formText(data, 'sellerName'), formText(data, 'email'), formText(data, 'password')),
  );
  return (
    <AuthFrame title="auth.signup.title">
      <form onSubmit={form.onSubmit} noValidate>
        <FormError form={form} />
        <Field
          label={t('auth.sellerName')}
          name="sellerName"
          autoComplete="organization"
          required
          error={form.fieldError('sellerName')}
        />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          required
          error={form.fieldError('email')}
        />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          required
          error={form.fieldError('password')}
        />
        <SubmitButton form={form}>{t('auth.signup.submit')}</SubmitButton>
      </form>
      <p>
        {t('auth.signup.haveAccount')} <Link to="/masuk">{t('auth.signup.toLogin')}</Link>
      </p>
    </AuthFrame>
  );
}

import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/id';

/** A page that is in the navigation but not built yet. */
export function PlaceholderPage({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t(title)}</h1>
      <p className="state state-empty">{t('placeholder.body')}</p>
    </>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

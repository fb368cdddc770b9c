import type { Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n-context';

/**
 * An alert's sentence in the dashboard's language: the API words it in both. An alert opened before the
 * API kept Indonesian has only English, marked so, so a screen reader reads it as such.
 */
export function AlertMessage({
  alert,
}: {
  alert: Pick<Schemas['AlertDto'], 'message' | 'messageIndonesian'>;
}) {
  const { language } = useI18n();
  const indonesian = language === 'id' ? alert.messageIndonesian : null;
  return indonesian ? (
    <span className="sub">{indonesian}</span>
  ) : (
    <span className="sub" lang={language === 'en' ? undefined : 'en'}>
      {alert.message}
    </span>
  );
}

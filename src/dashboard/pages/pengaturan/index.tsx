import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { AkunSection } from './akun';
import { AlamatSection } from './alamat';
import { ApiKeySection } from './api-key';
import { KurirSection } from './kurir';
import { PenggunaSection } from './pengguna';
import { RekeningSection } from './rekening';
import { useIsOwner } from './shared';
import { WebhookSection } from './webhook';

const SECTIONS: { id: string; label: MessageKey }[] = [
  { id: 'alamat', label: 'pengaturan.address.title' },
  { id: 'rekening', label: 'pengaturan.bank.title' },
  { id: 'kurir', label: 'pengaturan.preset.title' },
  { id: 'webhook', label: 'pengaturan.webhook.title' },
  { id: 'api-key', label: 'pengaturan.apiKey.title' },
  { id: 'pengguna', label: 'pengaturan.users.title' },
  { id: 'akun', label: 'pengaturan.account.title' },
];

/**
 * The shop's settings, one headed section each with in-page links: pickup addresses, bank accounts,
 * courier preference, webhook, API keys, users, and the signed-in person's own account. Staff see what the API lets them see, read-only where
 * only the owner may change it.
 */
export function PengaturanPage() {
  const { t } = useI18n();
  const owner = useIsOwner();
  return (
    <>
      <h1>{t('pengaturan.title')}</h1>
      <nav aria-label={t('pengaturan.sections')} className="section-links">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{t(s.label)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <AlamatSection />
      <RekeningSection owner={owner} />
      <KurirSection owner={owner} />
      <WebhookSection owner={owner} />
      <ApiKeySection owner={owner} />
      <PenggunaSection owner={owner} />
      <AkunSection />
    </>
  );
}

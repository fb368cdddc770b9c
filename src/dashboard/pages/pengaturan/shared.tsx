import { useId, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../../auth/session';
import { useErrorMessage } from '../../components/async';
import { useI18n } from '../../i18n/i18n-context';

/** Whether the signed-in user owns the shop: only owners may change bank accounts, keys, users, settings. */
export function useIsOwner(): boolean {
  const { state } = useSession();
  return state.status === 'signed-in' && state.me.user?.role === 'seller_owner';
}

/** What happened after a button press: a confirmation, or the API's refusal. */
export interface Outcome {
  ok: boolean;
  text: string;
}

export function OutcomeNotice({ outcome }: { outcome?: Outcome }) {
  if (!outcome) return null;
  return (
    <p className={outcome.ok ? 'notice' : 'form-error'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.text}
    </p>
  );
}

/**
 * A button whose press runs `run` and reports how it went: `done` on success, the API's message on a
 * refusal (a staff member's 403 included).
 */
export function useAction(): {
  busy: string | undefined;
  outcome: Outcome | undefined;
  run: (name: string, action: () => Promise<unknown>, done?: string) => void;
} {
  const message = useErrorMessage();
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  return {
    busy,
    outcome,
    run(name, action, done) {
      setBusy(name);
      setOutcome(undefined);
      action()
        .then(() => done && setOutcome({ ok: true, text: done }))
        .catch((e: unknown) => setOutcome({ ok: false, text: message(e) }))
        .finally(() => setBusy(undefined));
    },
  };
}

/**
 * A secret with a copy button: hidden behind dots until "show" (when `maskable`), copied with the
 * clipboard API and a visible "copied"; where the clipboard is refused, the read-only field is selected so
 * the user can copy it by hand.
 */
export function CopyableSecret({
  label,
  value,
  maskable,
}: {
  label: string;
  value: string;
  maskable?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState(!maskable);
  const [copied, setCopied] = useState<'yes' | 'manual'>();
  const copy = () => {
    const selectByHand = () => {
      setShown(true);
      setCopied('manual');
      // The field becomes visible first, then gets selected for a manual copy.
      requestAnimationFrame(() => input.current?.select());
    };
    if (!navigator.clipboard) return selectByHand();
    navigator.clipboard.writeText(value).then(() => setCopied('yes'), selectByHand);
  };
  return (
    <div className="secret">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input
          id={id}
          ref={input}
          className="mono"
          readOnly
          type={shown ? 'text' : 'password'}
          value={value}
          onFocus={(e) => shown && e.currentTarget.select()}
        />
        {maskable && (
          <button type="button" className="button secondary" onClick={() => setShown((s) => !s)}>
            {shown ? t('pengaturan.hide') : t('pengaturan.show')}
          </button>
        )}
        <button type="button" className="button secondary" onClick={copy}>
          {t('pengaturan.copy')}
        </button>
      </div>
      <p className="field-hint" role="status">
        {copied === 'yes' ? t('pengaturan.copied') : copied === 'manual' ? t('pengaturan.copyByHand') : ''}
      </p>
    </div>
  );
}

/** A section of the settings page: its heading (the in-page links point at `id`) and content. */
export function SettingsSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="panel settings-section">
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

/** What staff see where only the owner may look or change. */
export function OwnerOnly({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <p className="notice">{children ?? t('pengaturan.ownerOnly')}</p>;
}

import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';

/** A destructive button that asks first: a press shows "sure?" with confirm and cancel buttons. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  busy,
  onConfirm,
  className = 'button secondary',
}: {
  label: string;
  question: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  /** The first button's classes (the question's are always the same). */
  className?: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // The pressed button is gone: the keyboard goes on from the question's own button.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" className={className} disabled={busy} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span className="confirm-inline" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirm}
        type="button"
        className="button danger"
        disabled={busy}
        aria-busy={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {busy ? t('form.submitting') : confirmLabel}
      </button>
      <button type="button" className="button secondary" onClick={() => setAsking(false)}>
        {t('pengaturan.cancel')}
      </button>
    </span>
  );
}

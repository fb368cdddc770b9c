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
  /** This button's own action was confirmed and is running: it says so while `busy`. */
  const [sent, setSent] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    // The pressed button is gone: the keyboard goes on from the question's own button, and back to the
    // button that asked it once the question is answered or cancelled (not left on the page's body).
    if (asking) confirm.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  useEffect(() => {
    if (!busy) setSent(false);
  }, [busy]);
  // Escape cancels the question, as it closes any.
  useEffect(() => {
    if (!asking) return;
    const cancel = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setAsking(false);
    };
    document.addEventListener('keydown', cancel);
    return () => document.removeEventListener('keydown', cancel);
  }, [asking]);
  if (!asking)
    return (
      <button
        ref={opener}
        type="button"
        className={className}
        disabled={busy}
        aria-busy={busy && sent}
        onClick={() => setAsking(true)}
      >
        {busy && sent ? t('form.submitting') : label}
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
          setSent(true);
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

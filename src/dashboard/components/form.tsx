import {
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useErrorMessage, useFieldMessages } from './async';

export interface FormState {
  submitting: boolean;
  /** The API's message for a field (by its path in the body), if it refused that field. */
  fieldError: (field: string) => string | undefined;
  /** Forgets the API's messages for these fields (the seller changed them since). */
  clearFieldErrors: (...fields: string[]) => void;
  /** What went wrong that no field shows (a refused login, a network failure). */
  formError?: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/** A refusal the page decides before asking the API, already in the reader's language: shown above the form. */
export class FormProblem extends Error {}

/** A text field's value in submitted form data ('' when absent or a file). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * A form whose submit calls the API: while it runs the form is busy; when the API refuses, each field it
 * names shows the API's message beside it and the rest goes above the form.
 */
export function useApiForm(submit: (data: FormData) => Promise<void>): FormState {
  const { t } = useI18n();
  const message = useErrorMessage();
  const fieldMessages = useFieldMessages();
  const [submitting, setSubmitting] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const formElement = useRef<HTMLFormElement | null>(null);
  const [refused, setRefused] = useState(0);
  // A refusal shows beside the fields and above the form, which a seller at the foot of a long form (a phone)
  // would not see: the first field to correct takes the focus (and the view), else the form's own error.
  useEffect(() => {
    if (!refused) return;
    const within = formElement.current;
    const first =
      within?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      within?.querySelector<HTMLElement>('.form-error');
    first?.focus();
    first?.scrollIntoView({ block: 'center' });
  }, [refused]);
  return {
    submitting,
    formError,
    fieldError: (field) => fields[field],
    clearFieldErrors: (...names) =>
      setFields((f) => Object.fromEntries(Object.entries(f).filter(([name]) => !names.includes(name)))),
    onSubmit(event) {
      event.preventDefault();
      if (submitting) return;
      formElement.current = event.currentTarget;
      // Forms are noValidate (the API's words, not the browser's): a required field left empty is said here,
      // before any request ("email or password wrong" for an empty login told the seller nothing).
      const missing = [...event.currentTarget.elements].filter(
        (el): el is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement =>
          (el instanceof HTMLInputElement ||
            el instanceof HTMLSelectElement ||
            el instanceof HTMLTextAreaElement) &&
          el.required &&
          !el.matches(':disabled') &&
          el.name !== '' &&
          el.value.trim() === '',
      );
      if (missing.length) {
        setFields(Object.fromEntries(missing.map((el) => [el.name, t('form.required')])));
        setFormError(t('form.fixErrors'));
        setRefused((n) => n + 1);
        return;
      }
      const data = new FormData(event.currentTarget);
      setSubmitting(true);
      setFields({});
      setFormError(undefined);
      submit(data)
        .catch((e: unknown) => {
          const byField = fieldMessages(e);
          setFields(byField);
          const named = Object.keys(byField).length > 0;
          setFormError(e instanceof FormProblem ? e.message : named ? t('form.fixErrors') : message(e));
          setRefused((n) => n + 1);
        })
        .finally(() => setSubmitting(false));
    },
  };
}

/** A labelled input with its hint and the API's error for it, tied together for screen readers. */
export function Field({
  label,
  hint,
  error,
  className,
  ...input
}: { label: string; hint?: string; error?: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = input.id ?? generated;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={['field', className, error && 'field-invalid'].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The form's own error (above the fields) and its busy submit button. */
export function FormError({ form }: { form: FormState }) {
  return form.formError ? (
    <p className="form-error" role="alert" tabIndex={-1}>
      {form.formError}
    </p>
  ) : null;
}

export function SubmitButton({ form, children }: { form: FormState; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <button type="submit" className="button primary" disabled={form.submitting} aria-busy={form.submitting}>
      {form.submitting ? t('form.submitting') : children}
    </button>
  );
}

/**
 * A decision that needs a reason (rejecting a withdrawal, voiding a report): one required reason, submit
 * and cancel. The reason takes the keyboard when the form opens, as the button that opened it is gone;
 * the API's refusal shows by the field.
 */
export function ReasonForm({
  id,
  label,
  submitLabel,
  cancelLabel,
  intro,
  testId,
  onSubmit,
  onCancel,
}: {
  /** The reason field's id. */
  id: string;
  label: string;
  submitLabel: string;
  cancelLabel: string;
  /** What is decided, said above the reason. */
  intro?: ReactNode;
  testId?: string;
  onSubmit: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const form = useApiForm((data) => onSubmit(formText(data, 'reason')));
  useEffect(() => document.getElementById(id)?.focus(), [id]);
  return (
    <form onSubmit={form.onSubmit} className="reject-form" noValidate data-testid={testId}>
      {intro && <p>{intro}</p>}
      <FormError form={form} />
      <Field id={id} label={label} name="reason" required maxLength={500} error={form.fieldError('reason')} />
      <div className="button-row">
        <SubmitButton form={form}>{submitLabel}</SubmitButton>
        <button type="button" className="button secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </form>
  );
}

import { ConfirmButton } from '../components/confirm-button';
import { useI18n } from '../i18n/i18n-context';
import type { ActionKind } from './shipment-query';

/**
 * The button that asks the courier for one action on a shipment. A return cannot be undone: it asks first.
 * `busy` is the action being sent (every button waits for it); `label` says what it does where the
 * action's name does not (a re-attempt releasing a held parcel).
 */
export function ShipmentActionButton({
  action,
  busy,
  primary = false,
  label,
  onAct,
}: {
  action: ActionKind;
  busy: ActionKind | 'ack' | undefined;
  primary?: boolean;
  label?: string;
  onAct: (action: ActionKind) => void;
}) {
  const { t, code } = useI18n();
  const className = primary ? 'button primary' : 'button secondary';
  if (action === 'return')
    return (
      <ConfirmButton
        className={className}
        label={code('action', action)}
        question={t('detail.confirmReturn')}
        confirmLabel={t('detail.confirmReturnYes')}
        busy={busy !== undefined}
        onConfirm={() => onAct(action)}
      />
    );
  return (
    <button
      type="button"
      className={className}
      disabled={busy !== undefined}
      aria-busy={busy === action}
      onClick={() => onAct(action)}
    >
      {busy === action ? t('form.submitting') : (label ?? code('action', action))}
    </button>
  );
}

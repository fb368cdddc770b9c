import { useState } from 'react';
import { api, ApiError, call, type Schemas } from '../../api/client';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { OutcomeNotice, OwnerOnly, SettingsSection, type Outcome } from './shared';

type Preset = Schemas['SettingsDto']['scoringPreset'];

/** The API's presets (its enum; the type check below fails when one is missing), each explained in a line. */
export const PRESETS = ['balanced', 'cheapest', 'fastest', 'safest'] as const satisfies readonly Preset[];
export const PRESETS_COMPLETE: [Exclude<Preset, (typeof PRESETS)[number]>] extends [never] ? true : false =
  true;

const EXPLAINED: Record<Preset, MessageKey> = {
  balanced: 'pengaturan.preset.balancedHint',
  cheapest: 'pengaturan.preset.cheapestHint',
  fastest: 'pengaturan.preset.fastestHint',
  safest: 'pengaturan.preset.safestHint',
};

function PreferencesForm({ settings, owner }: { settings: Schemas['SettingsDto']; owner: boolean }) {
  const { t, code } = useI18n();
  const [saved, setSaved] = useState<Outcome>();
  const form = useApiForm(async (data) => {
    setSaved(undefined);
    // Written as Indonesians write amounts (15.000) or plain; anything else is refused by the field.
    const margin = formText(data, 'lostMarginPerFailure').replace(/[.\s]/g, '');
    if (!/^\d{1,10}$/.test(margin))
      throw new ApiError(400, 'VALIDATION_FAILED', t('pengaturan.preset.lostMarginInvalid'), [
        { field: 'lostMarginPerFailure', message: t('pengaturan.preset.lostMarginInvalid') },
      ]);
    const updated = await call(
      api.PATCH('/v1/settings', {
        body: {
          scoringPreset: formText(data, 'scoringPreset') as Preset,
          lostMarginPerFailure: Number(margin),
        },
      }),
    );
    setSaved({
      ok: true,
      text: t('pengaturan.preset.saved', { preset: code('preset', updated.scoringPreset) }),
    });
  });
  const presetError = form.fieldError('scoringPreset');
  return (
    <form onSubmit={form.onSubmit} noValidate>
      {!owner && <OwnerOnly>{t('pengaturan.ownerChanges')}</OwnerOnly>}
      <OutcomeNotice outcome={saved} />
      <FormError form={form} />
      <fieldset
        className="choices"
        disabled={!owner}
        aria-describedby={presetError ? 'preset-error' : undefined}
      >
        <legend>{t('pengaturan.preset.legend')}</legend>
        {PRESETS.map((p) => (
          <label key={p} className="choice">
            <input
              type="radio"
              name="scoringPreset"
              value={p}
              defaultChecked={settings.scoringPreset === p}
            />
            <span>
              <strong>{t(`pengaturan.preset.${p}`)}</strong>
              <span className="sub">{t(EXPLAINED[p])}</span>
            </span>
          </label>
        ))}
        {presetError && (
          <p className="field-error" id="preset-error">
            {presetError}
          </p>
        )}
      </fieldset>
      <Field
        name="lostMarginPerFailure"
        label={t('pengaturan.preset.lostMargin')}
        hint={t('pengaturan.preset.lostMarginHint')}
        inputMode="numeric"
        defaultValue={String(settings.lostMarginPerFailure)}
        error={form.fieldError('lostMarginPerFailure')}
        disabled={!owner}
      />
      {owner && <SubmitButton form={form}>{t('pengaturan.save')}</SubmitButton>}
    </form>
  );
}

/** How Kirim picks a courier for this shop (PATCH /v1/settings: scoringPreset, lostMarginPerFailure). */
export function KurirSection({ owner }: { owner: boolean }) {
  const { t } = useI18n();
  const settings = useLoad(() => call(api.GET('/v1/settings')), []);
  return (
    <SettingsSection id="kurir" title={t('pengaturan.preset.title')}>
      <Async loaded={settings}>{(s) => <PreferencesForm settings={s} owner={owner} />}</Async>
    </SettingsSection>
  );
}

import { en } from './en';
import { id, type MessageKey, type Messages } from './id';

/** The dashboard's languages; Bahasa Indonesia first and by default. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the chosen language is remembered (localStorage). */
export const LANGUAGE_STORAGE_KEY = 'kirim.language';

export const MESSAGES: Record<Language, Messages> = { id, en };

/** The remembered language, or Indonesian when none (or something unknown) was stored. */
export function initialLanguage(stored: string | null | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'id';
}

/** The message in `language`, its `{name}` marks filled from `values` (a mark without a value stays). */
export function translate(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (mark, name: string) =>
    name in values ? String(values[name]) : mark,
  );
}

/** The kinds of value the API names that have messages (`status.delivered`, `severity.high`…). */
export type CodePrefix =
  | 'status'
  | 'rule'
  | 'reason'
  | 'action'
  | 'actionStatus'
  | 'suggest'
  | 'severity'
  | 'outcome'
  | 'preset'
  | 'payoutFailure'
  | 'attemptError'
  | 'actionError'
  | 'saldo.type'
  | 'saldo.account'
  | 'saldo.withdrawalStatus'
  | 'saldo.lineKind'
  | 'saldo.invoiceStatus';

/** A message for a value the API names (a status, a rule): its translation when known, else the value. */
export function translateCode(language: Language, prefix: CodePrefix, code: string): string {
  const key = `${prefix}.${code}`;
  return key in MESSAGES[language] ? MESSAGES[language][key as MessageKey] : code;
}

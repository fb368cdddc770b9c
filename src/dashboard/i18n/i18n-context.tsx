import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatCount, formatDate, formatDateTime, formatRate, formatRupiah } from './format';
import type { MessageKey } from './id';
import {
  initialLanguage,
  LANGUAGE_STORAGE_KEY,
  translate,
  translateCode,
  type CodePrefix,
  type Language,
} from './translate';

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A status or rule code from the API, translated when known. */
  code: (prefix: CodePrefix, code: string) => string;
  rupiah: (amount: number) => string;
  count: (value: number) => string;
  rate: (rate: number | null) => string;
  dateTime: (iso: string | Date) => string;
  date: (iso: string | Date) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** The chosen language for the whole app, remembered in localStorage and set as `<html lang>`. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    initialLanguage(localStorage.getItem(LANGUAGE_STORAGE_KEY)),
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, values) => translate(language, key, values),
      code: (prefix, code) => translateCode(language, prefix, code),
      rupiah: formatRupiah,
      count: (value) => formatCount(value, language),
      rate: (rate) => formatRate(rate, language),
      dateTime: (iso) => formatDateTime(iso, language),
      date: (iso) => formatDate(iso, language),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

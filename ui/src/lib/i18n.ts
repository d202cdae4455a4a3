// Translations: i18next with the two locale files bundled in (no network, no async loading),
// exposed to Svelte as stores. French is the default and the fallback.
import i18next from 'i18next';
import { derived, get, writable, type Readable } from 'svelte/store';
import type { Language } from './bindings';
import fr from './locales/fr.json';
import en from './locales/en.json';

export const LANGUAGES: readonly Language[] = ['fr', 'en'];
export const DEFAULT_LANGUAGE: Language = 'fr';

/** Every translation key, as a dotted path into fr.json ("home.title", ...). */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<typeof fr>;
export type TranslateFn = (key: MessageKey, values?: Record<string, string | number>) => string;

// fr.json is the reference; en.json must have the same shape (checked here by the compiler and
// by a unit test at run time).
const resources: Record<Language, { translation: typeof fr }> = {
  fr: { translation: fr },
  en: { translation: en },
};

const instance = i18next.createInstance();
void instance.init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  resources,
  initAsync: false,
  interpolation: { escapeValue: false }, // Svelte escapes text itself
  returnNull: false,
});

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const languageStore = writable<Language>(DEFAULT_LANGUAGE);

/** The current UI language. */
export const language: Readable<Language> = { subscribe: languageStore.subscribe };

/** A translation function bound to the current language: `$t('home.title')`. */
export const t: Readable<TranslateFn> = derived(languageStore, (lng) => {
  const fixed = instance.getFixedT(lng);
  return (key: MessageKey, values?: Record<string, string | number>) => fixed(key, values);
});

/** Translate outside a component (tests, plain modules). */
export function translate(
  key: MessageKey,
  values?: Record<string, string | number>,
  lng: Language = get(languageStore),
): string {
  return instance.getFixedT(lng)(key, values);
}

/** Switch the UI language and keep `<html lang>` in step (screen readers, hyphenation). */
export function setLocale(lng: Language): void {
  void instance.changeLanguage(lng);
  languageStore.set(lng);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lng;
  }
}

/** Locale tag for Intl formatting. */
export function intlLocale(lng: Language): string {
  return lng === 'fr' ? 'fr-FR' : 'en-GB';
}

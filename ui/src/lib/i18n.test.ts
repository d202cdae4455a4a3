import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, isLanguage, language, setLocale, t, translate } from './i18n';
import fr from './locales/fr.json';
import en from './locales/en.json';

interface Tree {
  [key: string]: string | Tree;
}

function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`),
  );
}

function placeholders(tree: Tree, prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') {
      out[`${prefix}${key}`] = [...value.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
    } else {
      Object.assign(out, placeholders(value, `${prefix}${key}.`));
    }
  }
  return out;
}

describe('i18n', () => {
  afterEach(() => setLocale(DEFAULT_LANGUAGE));

  it('has exactly the same keys in French and English', () => {
    expect(leaves(en).sort()).toEqual(leaves(fr).sort());
  });

  it('uses the same placeholders in both languages', () => {
    expect(placeholders(en)).toEqual(placeholders(fr));
  });

  it('has no empty message', () => {
    for (const tree of [fr, en] as Tree[]) {
      for (const key of leaves(tree)) {
        const value = key.split('.').reduce<string | Tree>((node, part) => (node as Tree)[part] ?? '', tree);
        expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
      }
    }
  });

  it('starts in French and switches to English', () => {
    expect(DEFAULT_LANGUAGE).toBe('fr');
    expect(get(language)).toBe('fr');
    expect(get(t)('login.pickFirst')).toBe("Choisissez d'abord votre nom dans la liste.");
    setLocale('en');
    expect(get(language)).toBe('en');
    expect(get(t)('login.pickFirst')).toBe('First choose your name in the list.');
    expect(document.documentElement.lang).toBe('en');
    setLocale('fr');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('interpolates without HTML escaping (Svelte escapes)', () => {
    expect(translate('header.operator', { name: 'Awa & Fatou' }, 'fr')).toBe(
      'Opérateur : Awa & Fatou',
    );
    expect(translate('header.training', undefined, 'fr')).toBe('FORMATION');
    expect(translate('header.training', undefined, 'en')).toBe('TRAINING');
  });

  it('recognises only the two languages', () => {
    expect(isLanguage('fr')).toBe(true);
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('wo')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});

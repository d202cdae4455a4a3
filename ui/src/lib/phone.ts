// Customer phone numbers as the cashier types them: the country's calling code, the number of
// digits expected, and the Senegalese operator from the prefix. This is instant feedback only:
// the core checks every number against libphonenumber's metadata and has the final word, so the
// lengths below only block where they are certain (Senegal) and merely warn elsewhere.
import type { Country, SnOperator } from './bindings';

interface CountryPlan {
  /** International calling code. */
  code: number;
  /** Digits of a mobile number, national significant part (without a trunk 0). */
  length: number;
  /** The trunk prefix dialled inside the country before the number (0), if any. */
  trunk?: string;
}

/** Mobile numbering plans of the catalog's countries (libphonenumber, 2025). */
export const PLANS: Record<Country, CountryPlan> = {
  SN: { code: 221, length: 9 },
  CI: { code: 225, length: 10 },
  ML: { code: 223, length: 8 },
  CM: { code: 237, length: 9 },
  BF: { code: 226, length: 8 },
  BJ: { code: 229, length: 10 },
  TG: { code: 228, length: 8 },
  GN: { code: 224, length: 9 },
  CD: { code: 243, length: 9, trunk: '0' },
  NE: { code: 227, length: 8 },
  GW: { code: 245, length: 9 },
  KE: { code: 254, length: 9, trunk: '0' },
  GM: { code: 220, length: 7 },
  MW: { code: 265, length: 9, trunk: '0' },
  NG: { code: 234, length: 10, trunk: '0' },
  RW: { code: 250, length: 9, trunk: '0' },
  TZ: { code: 255, length: 9, trunk: '0' },
  UG: { code: 256, length: 9, trunk: '0' },
  ZM: { code: 260, length: 9, trunk: '0' },
  EG: { code: 20, length: 10, trunk: '0' },
  GH: { code: 233, length: 9, trunk: '0' },
  ZA: { code: 27, length: 9, trunk: '0' },
  SL: { code: 232, length: 8, trunk: '0' },
};

export function callingCode(country: Country): number {
  return PLANS[country].code;
}

/** The Senegalese operators, in the order the screen lists them. */
export const SN_OPERATORS: readonly SnOperator[] = ['orange', 'free', 'expresso', 'promobile'];

const SN_PREFIXES: Record<string, SnOperator> = {
  '77': 'orange',
  '78': 'orange',
  '76': 'free',
  '70': 'expresso',
  '75': 'promobile',
};

/** The operator of a Senegalese mobile number from its first two digits (77/78 Orange…). */
export function detectSnOperator(nationalDigits: string): SnOperator | null {
  return SN_PREFIXES[nationalDigits.slice(0, 2)] ?? null;
}

/** The prefixes of an operator (`orange` → 77, 78), for messages. */
export function snPrefixes(operator: SnOperator): string[] {
  return Object.entries(SN_PREFIXES)
    .filter(([, op]) => op === operator)
    .map(([prefix]) => prefix);
}

export type PhoneState =
  | 'empty'
  | 'invalid_chars'
  | 'wrong_country'
  | 'incomplete'
  | 'too_long'
  | 'not_mobile'
  | 'length_unusual'
  | 'ok';

export interface PhoneCheck {
  /** The national significant number, digits only, as far as it could be read. */
  national: string;
  state: PhoneState;
  /** Whether the screen must stop here (false: a warning the core will settle). */
  blocking: boolean;
  /** Expected digits, for the messages. */
  expected: number;
  /** The calling code that was typed, for `wrong_country`. */
  dialled?: string;
  /** The Senegalese operator, for a complete Senegalese mobile number. */
  operator: SnOperator | null;
}

/**
 * Read a typed number for `country`: spaces, dots, dashes and parentheses are ignored; `+221`,
 * `00221` or `221` before a national number is the calling code; a trunk 0 is dropped where the
 * country has one.
 */
export function checkPhone(text: string, country: Country): PhoneCheck {
  const plan = PLANS[country];
  const base = { expected: plan.length, operator: null, national: '' } as const;
  const trimmed = text.trim();
  if (trimmed === '') return { ...base, state: 'empty', blocking: true };
  if (!/^\+?[0-9\s.\-()/\u00a0\u202f]+$/.test(trimmed)) {
    return { ...base, state: 'invalid_chars', blocking: true };
  }
  const plus = trimmed.startsWith('+');
  let digits = trimmed.replace(/\D/g, '');
  const cc = String(plan.code);
  let international: string | null = null;
  if (plus) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  if (international !== null) {
    if (!international.startsWith(cc)) {
      if (international.length < 3) return { ...base, state: 'incomplete', blocking: true };
      return { ...base, state: 'wrong_country', blocking: true, dialled: international.slice(0, 3) };
    }
    digits = international.slice(cc.length);
  } else if (digits.startsWith(cc) && digits.length === cc.length + plan.length) {
    digits = digits.slice(cc.length);
  }
  if (plan.trunk && digits.startsWith(plan.trunk) && digits.length === plan.length + 1) {
    digits = digits.slice(plan.trunk.length);
  }
  const national = digits;
  const sure = country === 'SN';
  if (national.length < plan.length) {
    return { ...base, national, state: 'incomplete', blocking: true };
  }
  if (national.length > plan.length) {
    return { ...base, national, state: sure ? 'too_long' : 'length_unusual', blocking: sure };
  }
  if (country === 'SN') {
    if (!national.startsWith('7')) return { ...base, national, state: 'not_mobile', blocking: true };
    return { ...base, national, state: 'ok', blocking: false, operator: detectSnOperator(national) };
  }
  return { ...base, national, state: 'ok', blocking: false };
}

/** For people: `77 123 45 67` in Senegal, pairs of digits elsewhere. */
export function formatNational(national: string, country: Country): string {
  const d = national.replace(/\D/g, '');
  if (country === 'SN' && d.length === 9) {
    return `${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5, 7)} ${d.slice(7)}`;
  }
  return d.replace(/(\d{2})(?=\d)/g, '$1 ');
}

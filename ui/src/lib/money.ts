// Amounts as the cashier types and reads them. Money is an integer count of the currency's minor
// unit (the franc CFA has none), never a float. Parsing and formatting follow the core's
// `money.rs` so that what the screen accepts is what the core accepts; the limits of an Offer are
// checked here as the cashier types, and again by the core, which has the final word.
import type { Currency, Language, Money, Offer } from './bindings';
import { translate } from './i18n';

const NO_DECIMALS: readonly string[] = ['XOF', 'XAF', 'GNF', 'RWF', 'UGX'];

/**
 * An ISO 4217 code: a Currency of the catalog, or the plain string a ledger row carries
 * (`Operation.currency`).
 */
export type CurrencyCode = Currency | (string & {});

/** The ISO 4217 exponent: how many decimal digits the minor unit has. */
export function exponent(currency: CurrencyCode): number {
  return NO_DECIMALS.includes(currency) ? 0 : 2;
}

/** What follows an amount: FCFA for both CFA francs, the ISO code otherwise. */
export function currencySymbol(currency: CurrencyCode): string {
  return currency === 'XOF' || currency === 'XAF' ? 'FCFA' : currency;
}

/** Narrow no-break space, the French digit grouping on screen (as the core writes it). */
export const NNBSP = '\u202f';

/** The number alone, grouped: `12 500` (fr), `12,500` (en), `1 250,50` for two decimals. */
export function formatNumber(minor: number, currency: CurrencyCode, lang: Language): string {
  const [group, decimal] = lang === 'fr' ? [NNBSP, ','] : [',', '.'];
  const exp = exponent(currency);
  const per = 10 ** exp;
  const abs = Math.abs(Math.trunc(minor));
  const digits = String(Math.floor(abs / per));
  let out = minor < 0 ? '-' : '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += group;
    out += digits[i];
  }
  if (exp > 0) out += decimal + String(abs % per).padStart(exp, '0');
  return out;
}

/** `12 500 FCFA` (fr), `12,500 FCFA` (en), `1 250,50 KES`. */
export function formatMoney(minor: number, currency: CurrencyCode, lang: Language): string {
  return `${formatNumber(minor, currency, lang)}${NNBSP}${currencySymbol(currency)}`;
}

export function formatMoneyValue(money: Money, lang: Language): string {
  return formatMoney(money.minor, money.currency, lang);
}

export type AmountParseError = 'empty' | 'invalid' | 'misplaced' | 'decimals' | 'overflow';
export type AmountParse = { ok: true; minor: number } | { ok: false; error: AmountParseError };

const GROUP_SPACES = /[ \u00a0\u202f\u2009]/;
const UNITS: Record<string, readonly string[]> = {
  XOF: ['FCFA', 'CFA', 'F'],
  XAF: ['FCFA', 'CFA', 'F'],
};

function compose(int: string, frac: string, currency: Currency): AmountParse {
  const exp = exponent(currency);
  const minor = Number(int + frac.padEnd(exp, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, error: 'overflow' };
  return { ok: true, minor };
}

/**
 * Read what the cashier typed, as the core does: `12 500`, `12.500` and `12500` are all twelve
 * thousand five hundred; a `.` or `,` followed by exactly three digits groups thousands, otherwise
 * the last one is the decimal mark; the franc CFA takes no decimals; a trailing unit naming the
 * currency (`FCFA`, `F`, the ISO code) is allowed.
 */
export function parseAmount(input: string, currency: Currency): AmountParse {
  let number = input.trim();
  if (number === '') return { ok: false, error: 'empty' };
  const unit = /\p{L}+$/u.exec(number)?.[0];
  if (unit) {
    const upper = unit.toUpperCase();
    if (upper !== currency && !(UNITS[currency] ?? []).includes(upper)) {
      return { ok: false, error: 'invalid' };
    }
    number = number.slice(0, -unit.length).trimEnd();
    if (number === '') return { ok: false, error: 'empty' };
  }
  let compact = '';
  const chars = [...number];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (/[0-9.,]/.test(c)) compact += c;
    else if (GROUP_SPACES.test(c)) {
      if (!/[0-9]/.test(chars[i - 1] ?? '') || !/[0-9]/.test(chars[i + 1] ?? '')) {
        return { ok: false, error: 'misplaced' };
      }
    } else return { ok: false, error: 'invalid' };
  }
  const segments = compact.split(/[.,]/);
  const separators: string[] = [...compact].filter((c) => c === '.' || c === ',');
  if (segments.some((s) => s === '')) return { ok: false, error: 'misplaced' };
  if (separators.length === 0) return compose(compact, '', currency);
  const groupsOk = (segs: string[], seps: string[]) =>
    seps.length === 0 ||
    ((segs[0]?.length ?? 0) <= 3 &&
      segs.slice(1).every((s) => s.length === 3) &&
      seps.every((s) => s === seps[0]));
  const last = segments.length - 1;
  if (segments[last]?.length === 3 && groupsOk(segments, separators)) {
    return compose(segments.join(''), '', currency);
  }
  const decimalMark = separators[separators.length - 1];
  const grouping = separators.slice(0, -1);
  if (grouping.includes(decimalMark ?? '') || !groupsOk(segments.slice(0, last), grouping)) {
    return { ok: false, error: 'misplaced' };
  }
  const frac = segments[last] ?? '';
  if (frac.length > exponent(currency)) return { ok: false, error: 'decimals' };
  return compose(segments.slice(0, last).join(''), frac, currency);
}

/**
 * Group the digits as the cashier types (`12500` → `12 500`) and say where the caret goes: after
 * the same number of digits as before. Only plain integer input is regrouped; anything else (a
 * decimal mark, a letter) is left as typed for the checks to judge.
 */
export function groupTyping(text: string, caret: number): { text: string; caret: number } {
  if (!/^[0-9 ]*$/.test(text)) return { text, caret };
  const digitsBefore = text.slice(0, caret).replace(/ /g, '').length;
  const digits = text.replace(/ /g, '').replace(/^0+(?=\d)/, '');
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ' ';
    out += digits[i];
  }
  let seen = 0;
  let pos = 0;
  const wanted = Math.min(digitsBefore, digits.length);
  while (pos < out.length && seen < wanted) {
    if (out[pos] !== ' ') seen++;
    pos++;
  }
  return { text: out, caret: pos };
}

/** The text to put back in an amount field for an amount (`12 500`, `1 250,50`). */
export function amountToTyping(minor: number, currency: Currency): string {
  return formatNumber(minor, currency, 'fr').replace(new RegExp(NNBSP, 'g'), ' ');
}

export type AmountProblem =
  | { code: 'empty' | 'invalid' | 'misplaced' | 'decimals' | 'overflow' | 'amount_not_positive' }
  | { code: 'below_minimum'; min: number }
  | { code: 'above_maximum'; max: number }
  | { code: 'not_a_multiple'; multiple: number; lower: number; upper: number };

/** Whether an amount fits an offer: positive, within min/max, a multiple. Null when it does. */
export function checkAmount(minor: number, offer: Offer | null): AmountProblem | null {
  if (minor <= 0) return { code: 'amount_not_positive' };
  if (!offer) return null;
  if (offer.min && minor < offer.min.minor) return { code: 'below_minimum', min: offer.min.minor };
  if (offer.max && minor > offer.max.minor) return { code: 'above_maximum', max: offer.max.minor };
  const step = offer.multiple_of?.minor ?? 0;
  if (step > 0 && minor % step !== 0) {
    const lower = Math.floor(minor / step) * step;
    return { code: 'not_a_multiple', multiple: step, lower, upper: lower + step };
  }
  return null;
}

/** Parse and check in one go: the amount, or the first problem with it. */
export function readAmount(
  text: string,
  currency: Currency,
  offer: Offer | null,
): { ok: true; minor: number } | { ok: false; problem: AmountProblem } {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) return { ok: false, problem: { code: parsed.error } };
  const problem = checkAmount(parsed.minor, offer);
  return problem ? { ok: false, problem } : { ok: true, minor: parsed.minor };
}

/** What to tell the cashier about an amount problem. */
export function amountProblemText(problem: AmountProblem, currency: Currency, lang: Language): string {
  const money = (minor: number) => formatMoney(minor, currency, lang);
  switch (problem.code) {
    case 'empty':
      return translate('amount.empty', undefined, lang);
    case 'invalid':
    case 'misplaced':
    case 'overflow':
      return translate('amount.invalid', undefined, lang);
    case 'decimals':
      return translate(exponent(currency) === 0 ? 'amount.noDecimals' : 'amount.decimals', { max: exponent(currency) }, lang);
    case 'amount_not_positive':
      return translate('amount.notPositive', undefined, lang);
    case 'below_minimum':
      return translate('amount.belowMinimum', { amount: money(problem.min) }, lang);
    case 'above_maximum':
      return translate('amount.aboveMaximum', { amount: money(problem.max) }, lang);
    case 'not_a_multiple':
      return problem.lower > 0
        ? translate(
            'amount.notMultiple',
            { multiple: money(problem.multiple), lower: money(problem.lower), upper: money(problem.upper) },
            lang,
          )
        : translate('amount.notMultipleSmall', { multiple: money(problem.multiple), upper: money(problem.upper) }, lang);
  }
}

/** The limits of an offer in one line: « De 200 FCFA à 1 000 000 FCFA, par multiples de 100 FCFA ». */
export function limitsText(offer: Offer | null, currency: Currency, lang: Language): string {
  if (!offer) return '';
  const money = (minor: number) => formatMoney(minor, currency, lang);
  const parts: string[] = [];
  if (offer.min && offer.max) {
    parts.push(translate('amount.between', { min: money(offer.min.minor), max: money(offer.max.minor) }, lang));
  } else if (offer.min) parts.push(translate('amount.atLeast', { min: money(offer.min.minor) }, lang));
  else if (offer.max) parts.push(translate('amount.atMost', { max: money(offer.max.minor) }, lang));
  if (offer.multiple_of && offer.multiple_of.minor > 1) {
    parts.push(translate('amount.multiple', { multiple: money(offer.multiple_of.minor) }, lang));
  }
  return parts.join(', ');
}

/** The preset amounts (minor units) that the offer accepts. */
export function presetsFor(candidates: readonly number[], offer: Offer | null): number[] {
  return candidates.filter((minor) => checkAmount(minor, offer) === null);
}

/** The merchant's commission on an amount, in minor units (basis points, rounded down). */
export function commission(minor: number, basisPoints: number): number {
  return Math.floor((minor * basisPoints) / 10_000);
}

// The shop's fields (first run and Réglages › Boutique), checked as the core checks them so the
// manager sees a problem at once; the core checks again and its message wins.
import type { MessageKey } from './i18n';

export const SHOP_NAME_MAX = 48;
export const ADDRESS_MAX = 120;
export const HEADER_LINES_MAX = 4;
export const HEADER_LINE_MAX = 48;

export interface ShopFields {
  shop_name: string;
  shop_address: string;
  receipt_header: string;
}

export type ShopProblem =
  | { field: 'shop_name'; problem: 'empty' | 'tooLong' }
  | { field: 'shop_address'; problem: 'tooLong' }
  | { field: 'receipt_header'; problem: 'tooLong' };

const chars = (s: string) => [...s].length;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The header's lines as the receipt prints them: trimmed, blank lines dropped. */
export function headerLines(header: string): string[] {
  return header
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The fields as the core stores them (trimmed; header without blank lines). */
export function normalizeShop(fields: ShopFields): ShopFields {
  return {
    shop_name: fields.shop_name.trim(),
    shop_address: fields.shop_address.trim(),
    receipt_header: headerLines(fields.receipt_header).join('\n'),
  };
}

/** Every problem with the fields, in screen order (empty when the core will accept them). */
export function shopProblems(fields: ShopFields): ShopProblem[] {
  const out: ShopProblem[] = [];
  const name = fields.shop_name.trim();
  if (name === '') out.push({ field: 'shop_name', problem: 'empty' });
  else if (chars(name) > SHOP_NAME_MAX || CONTROL.test(name)) {
    out.push({ field: 'shop_name', problem: 'tooLong' });
  }
  const address = fields.shop_address.trim();
  if (chars(address) > ADDRESS_MAX || /[\r\n]/.test(address)) {
    out.push({ field: 'shop_address', problem: 'tooLong' });
  }
  const lines = headerLines(fields.receipt_header);
  if (lines.length > HEADER_LINES_MAX || lines.some((l) => chars(l) > HEADER_LINE_MAX)) {
    out.push({ field: 'receipt_header', problem: 'tooLong' });
  }
  return out;
}

/** The message key of a problem. */
export function shopProblemKey(p: ShopProblem): MessageKey {
  switch (p.field) {
    case 'shop_name':
      return p.problem === 'empty' ? 'shop.nameEmpty' : 'shop.nameTooLong';
    case 'shop_address':
      return 'shop.addressTooLong';
    case 'receipt_header':
      return 'shop.headerTooLong';
  }
}

// The home screen's entries, in the order the cashier sees them. The shortcut is the digit key
// (top row or numeric keypad) that opens the entry.
import type { Kind, Role, Service } from './bindings';
import type { MessageKey } from './i18n';

export type OperationId =
  | 'bills'
  | 'woyofal'
  | 'airtime'
  | 'paymentLink'
  | 'collect'
  | 'payout'
  | 'history'
  | 'settings'
  | 'review'
  | 'shift';

export interface Operation {
  id: OperationId;
  shortcut: number;
  titleKey: MessageKey;
  descriptionKey: MessageKey;
  /** Only a manager sees and opens it (Réglages). */
  managerOnly: boolean;
}

const ORDER: readonly OperationId[] = [
  'bills',
  'woyofal',
  'airtime',
  'paymentLink',
  'collect',
  'payout',
  'history',
  'settings',
];

/** Entries for managers only: a cashier does not see them. */
const MANAGER_ONLY: readonly OperationId[] = ['settings'];

export const OPERATIONS: readonly Operation[] = ORDER.map((id, index) => ({
  id,
  shortcut: index + 1,
  titleKey: `operations.${id}.title`,
  descriptionKey: `operations.${id}.description`,
  managerOnly: MANAGER_ONLY.includes(id),
}));

/**
 * « À vérifier »: the operations waiting for a manager's review. Not a home tile (no shortcut):
 * the header's review button opens it for a manager.
 */
export const REVIEW: Operation = {
  id: 'review',
  shortcut: 0,
  titleKey: 'operations.review.title',
  descriptionKey: 'operations.review.description',
  managerOnly: true,
};

/**
 * « Caisse »: the shift (open, cash movements, X report, close). Not a home tile: the header's
 * shift button opens it for any operator.
 */
export const SHIFT: Operation = {
  id: 'shift',
  shortcut: 0,
  titleKey: 'operations.shift.title',
  descriptionKey: 'operations.shift.description',
  managerOnly: false,
};

/** The entries an operator with this role sees, in order (shortcuts unchanged). */
export function operationsFor(role: Role): Operation[] {
  return OPERATIONS.filter((o) => role === 'manager' || !o.managerOnly);
}

/** What each operation screen sells (the other entries sell nothing). */
export const OPERATION_KIND: Partial<Record<OperationId, Kind>> = {
  bills: 'bill',
  woyofal: 'prepaid',
  airtime: 'airtime',
  paymentLink: 'payment_link',
  collect: 'collection',
  payout: 'disbursement',
};

/**
 * The entries that have something to sell among the services the core offers this operator
 * (switched off by the manager, or not open on the provider's account: the core leaves them out).
 * `null` while the services are not known: every entry stays.
 */
export function sellable(entries: readonly Operation[], services: readonly Service[] | null): Operation[] {
  if (services === null) return [...entries];
  return entries.filter((o) => {
    const kind = OPERATION_KIND[o.id];
    return !kind || services.some((s) => s.enabled && s.offers.some((offer) => offer.kind === kind));
  });
}

/** Columns of the home grid (4 × 2 tiles). */
export const GRID_COLUMNS = 4;

export function operationById(id: OperationId): Operation {
  const op = [...OPERATIONS, REVIEW, SHIFT].find((o) => o.id === id);
  if (!op) throw new Error(`unknown operation ${id}`);
  return op;
}

/**
 * The entry a key press opens, if any: "1".."8" from the top row, or the numeric keypad
 * whether Num Lock is on (key "1") or off (code "Numpad1"); only among the entries shown.
 */
export function operationForKey(
  key: string,
  code = '',
  among: readonly Operation[] = OPERATIONS,
): Operation | undefined {
  let digit: number | undefined;
  if (/^[1-9]$/.test(key)) digit = Number(key);
  else {
    const m = /^Numpad([1-9])$/.exec(code);
    if (m) digit = Number(m[1]);
  }
  return digit === undefined ? undefined : among.find((o) => o.shortcut === digit);
}

/**
 * Where focus goes from tile `index` when an arrow key (or Home/End) is pressed in a grid of
 * `count` tiles laid out in `columns` columns; undefined for other keys.
 */
export function nextIndex(
  index: number,
  key: string,
  count: number = OPERATIONS.length,
  columns: number = GRID_COLUMNS,
): number | undefined {
  switch (key) {
    case 'ArrowRight':
      return Math.min(index + 1, count - 1);
    case 'ArrowLeft':
      return Math.max(index - 1, 0);
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

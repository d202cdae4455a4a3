// The operation commands' names and helpers. Their types come from the Rust side (bindings.ts);
// field names are snake_case, argument keys camelCase as Tauri 2 expects (see api.ts).
import type { CommandError, Operation } from './bindings';

export type { OperationDetail, PrintOutcome, ReceiptText, SubmitRequest } from './bindings';

/**
 * A CommandError as the operation commands reject with it: `code: "refused"` comes with one
 * refusal per input to fix (`refusals`).
 */
export type ApiError = CommandError;

/** The code of a submit refused by the catalog checks (amount, phone, OTP…). */
export const REFUSED = 'refused';

/** Receipt columns: 32 for 58 mm paper, 48 for 80 mm. */
export type ReceiptWidth = 32 | 48;
/** The customer's copy, or the merchant's (which shows the commission). */
export type ReceiptCopy = 'customer' | 'merchant';


/** Keys of `Operation.details` the UI reads. */
export const DETAILS = {
  /** The URL the customer opens or scans: payment link, Wave `cashout_url`. */
  customerUrl: 'customer_url',
  /** The item of a payment link. */
  itemName: 'item_name',
  /** True while the engine waits for `confirm_otp` (Wizall cash-out). */
  awaitingOtp: 'awaits_otp',
  /** Present (the refund record) when a failed operation's money went back to the till
   *  (Woyofal after PROCESSING). */
  refunded: 'refund',
  /** The customer's name, when the provider gave it (bills, Woyofal). */
  customerName: 'customer_name',
} as const;

function detail(op: Pick<Operation, 'details'>, key: string): unknown {
  const details = op.details as Record<string, unknown> | null | undefined;
  return details ? details[key] : undefined;
}

export function detailString(op: Pick<Operation, 'details'>, key: string): string | null {
  const value = detail(op, key);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** True for a `true` flag or a recorded fact (an object such as the engine's refund record). */
export function detailFlag(op: Pick<Operation, 'details'>, key: string): boolean {
  const value = detail(op, key);
  return value === true || (typeof value === 'object' && value !== null);
}

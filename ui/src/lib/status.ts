// What an operation's status means for the cashier: a label, a colour, and one plain sentence
// saying what to do next. The sentence depends on the kind of operation (a pending collection
// waits for the customer's phone, a pending payment link for the QR code to be scanned) and, for
// a failed Woyofal top-up, on whether it had reached PROCESSING (then the amount is refunded).
import type { Kind, Language, Operation, OperationStatus } from './bindings';
import { DETAILS, detailFlag } from './contract';
import { translate, type MessageKey } from './i18n';

export const STATUSES: readonly OperationStatus[] = [
  'prepared',
  'sent',
  'pending',
  'processing',
  'success',
  'failed',
  'cancelled',
  'expired',
  'unknown',
  'needs_review',
];

export const KINDS: readonly Kind[] = [
  'bill',
  'prepaid',
  'airtime',
  'payment_link',
  'collection',
  'disbursement',
];

const FINAL: readonly OperationStatus[] = ['success', 'failed', 'cancelled', 'expired'];

/** No further change will come (needs_review and unknown still resolve). */
export function isFinal(status: OperationStatus): boolean {
  return FINAL.includes(status);
}

/** Still moving: the screen shows a live wait. */
export function isWaiting(status: OperationStatus): boolean {
  return ['prepared', 'sent', 'pending', 'processing'].includes(status);
}

export type Tone = 'progress' | 'success' | 'danger' | 'neutral' | 'warning';

export function toneOf(status: OperationStatus): Tone {
  switch (status) {
    case 'success':
      return 'success';
    case 'failed':
      return 'danger';
    case 'cancelled':
    case 'expired':
      return 'neutral';
    case 'unknown':
    case 'needs_review':
      return 'warning';
    default:
      return 'progress';
  }
}

export function statusLabelKey(status: OperationStatus): MessageKey {
  return `status.label.${status}`;
}

export function kindLabelKey(kind: string): MessageKey | null {
  return (KINDS as readonly string[]).includes(kind) ? (`kinds.${kind as Kind}` as MessageKey) : null;
}

export interface StatusContext {
  /** The operation went through PROCESSING (seen live or in its events). */
  sawProcessing?: boolean;
}

/** The sentence that says what to do next. */
export function nextStepKey(
  op: Pick<Operation, 'status' | 'kind' | 'token' | 'details'>,
  context: StatusContext = {},
): MessageKey {
  const kind = op.kind as Kind;
  switch (op.status) {
    case 'prepared':
      return 'status.next.prepared';
    case 'sent':
      return 'status.next.sent';
    case 'pending':
      if (kind === 'collection') {
        return detailFlag(op, DETAILS.awaitingOtp) ? 'status.next.pendingOtp' : 'status.next.pendingCollection';
      }
      if (kind === 'payment_link') return 'status.next.pendingLink';
      return 'status.next.pending';
    case 'processing':
      return kind === 'prepaid' ? 'status.next.processingPrepaid' : 'status.next.processing';
    case 'success':
      switch (kind) {
        case 'bill':
          return 'status.next.successBill';
        case 'prepaid':
          return op.token ? 'status.next.successPrepaid' : 'status.next.successPrepaidNoToken';
        case 'airtime':
          return 'status.next.successAirtime';
        case 'collection':
          return 'status.next.successCollection';
        case 'disbursement':
          return 'status.next.successDisbursement';
        case 'payment_link':
          return 'status.next.successLink';
        default:
          return 'status.next.success';
      }
    case 'failed':
      if (kind === 'prepaid' && (context.sawProcessing || detailFlag(op, DETAILS.refunded))) {
        return 'status.next.failedRefunded';
      }
      if (kind === 'collection' || kind === 'payment_link') return 'status.next.failedCollection';
      return 'status.next.failed';
    case 'cancelled':
      return 'status.next.cancelled';
    case 'expired':
      return kind === 'payment_link' ? 'status.next.expiredLink' : 'status.next.expired';
    case 'unknown':
      return 'status.next.unknown';
    case 'needs_review':
      return 'status.next.needsReview';
  }
}

export function nextStepText(
  op: Pick<Operation, 'status' | 'kind' | 'token' | 'details'>,
  lang: Language,
  context: StatusContext = {},
): string {
  return translate(nextStepKey(op, context), undefined, lang);
}

const RANK: Record<OperationStatus, number> = {
  prepared: 0,
  sent: 1,
  pending: 2,
  processing: 3,
  unknown: 4,
  needs_review: 5,
  success: 6,
  failed: 6,
  cancelled: 6,
  expired: 6,
};

/**
 * Whether `incoming` is newer than `known` for the same operation: a later `updated_at`, or the
 * same instant and a status at least as far along. A final status is never replaced by a
 * non-final one (an event delivered late must not bring a finished operation back to life).
 */
export function isNewer<T extends Pick<Operation, 'status' | 'updated_at'>>(
  incoming: T,
  known: T | undefined,
): boolean {
  if (!known) return true;
  if (isFinal(known.status) && !isFinal(incoming.status)) return false;
  if (incoming.updated_at > known.updated_at) return true;
  if (incoming.updated_at < known.updated_at) return false;
  return RANK[incoming.status] >= RANK[known.status];
}

// The audit trail in Réglages › Journal: action names the manager reads, details as one line.
import type { MessageKey } from './i18n';

/** The actions the core writes (`AuditAction::as_str`). */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'locked',
  'unlocked',
  'logout',
  'operator_created',
  'pin_changed',
  'pin_reset',
  'setting_changed',
  'key_changed',
  'key_deleted',
  'mode_switched',
  'reprint',
  'kiosk_exit',
  'review_settled',
  'app_started',
  'audit_segment_started',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/** The label's key for a known action; null for one this UI does not know (shown as is). */
export function auditActionKey(action: string): MessageKey | null {
  return isAuditAction(action) ? `audit.action.${action}` : null;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value === '' ? '«»' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The details as one compact line, `key: value` pairs in their order, separated by « · »
 * (`setting: kiosk · old: false · new: true`).
 */
export function detailsText(details: Record<string, unknown> | null | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join(' · ');
}

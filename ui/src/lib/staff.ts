// Operators as the login screen and Réglages › Opérateurs show them.
import type { LoginName, Operator, Role } from './bindings';
import type { MessageKey } from './i18n';

export function roleKey(role: Role): MessageKey {
  return `roles.${role}`;
}

/** The end of the operator's lock when it is still running at `now`, else null. */
export function lockedUntil(op: Pick<Operator | LoginName, 'locked_until'>, now: Date): Date | null {
  if (!op.locked_until) return null;
  const until = new Date(op.locked_until);
  return Number.isNaN(until.getTime()) || until.getTime() <= now.getTime() ? null : until;
}

/** Whether a manager's unlock would change something (a lock running, or wrong PINs counted). */
export function canUnlock(op: Operator, now: Date): boolean {
  return lockedUntil(op, now) !== null || op.failed_attempts > 0;
}

/** Managers first, then cashiers, each by name. */
export function byRoleThenName<T extends { role: Role; name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) =>
    a.role === b.role ? a.name.localeCompare(b.name, 'fr') : a.role === 'manager' ? -1 : 1,
  );
}

/**
 * Who the login screen selects first: the operator who was signed in before the lock, else the
 * only one there is, else nobody.
 */
export function preselected<T extends { name: string }>(list: readonly T[], previous: string | null): T | null {
  const prev = previous ? list.find((o) => o.name === previous) : undefined;
  if (prev) return prev;
  return list.length === 1 ? (list[0] ?? null) : null;
}

/**
 * Why the login screen shows: start-up, the Lock button, the idle timer, or a call the core
 * refused because the session had ended.
 */
export type LockReason = 'start' | 'manual' | 'idle' | 'ended';

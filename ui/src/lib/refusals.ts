// A refused submit says, field by field, what to fix: the screens show each message next to its
// input (the wizard goes back to the first step that has one, lib/wizard.ts).
import type { ExtraField, Language, Refusal, RefusalField } from './bindings';
import { REFUSED, type ApiError } from './contract';

/** The refusals of an error (none unless it is a `refused` submit). */
export function refusalsOf(error: ApiError | null): Refusal[] {
  if (!error || error.code !== REFUSED) return [];
  return error.refusals ?? [];
}

/** The message for one input, joined when there are several. */
export function refusalText(
  refusals: readonly Refusal[],
  field: RefusalField,
  lang: Language,
  extra: ExtraField | null = null,
): string | null {
  const messages = refusals
    .filter((r) => r.field === field && (extra === null || r.extra === extra))
    .map((r) => r.message[lang]);
  return messages.length > 0 ? messages.join(' ') : null;
}

/** Forget the refusals of one input once the cashier changes it. */
export function withoutField(refusals: readonly Refusal[], field: RefusalField): Refusal[] {
  return refusals.filter((r) => r.field !== field);
}

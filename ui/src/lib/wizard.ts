// The operation wizard's plain rules: which step Escape goes back to, which step a refused
// submit sends the cashier to, and the shapes the screens hand the wizard.
import type { Operation, RefusalField, Refusal } from './bindings';

/** The steps every operation ends with: the built-in confirm panel and the outcome. */
export const CONFIRM = 'confirm';
export const RESULT = 'result';

/** One step of an operation screen, in the order the cashier goes through them. */
export interface WizardStep {
  id: string;
  /** Its name in the steps bar. */
  label: string;
  /**
   * Enter on the step's form: check what was typed and move on (or ask the wizard to send, with
   * `sends`). `false` stops there. No `next`: the step has no form (a list to pick from).
   */
  next?: (form: HTMLFormElement) => unknown;
  /** The step's button; default « Continuer (Entrée) », test id `continue`. */
  action?: { label: string; busyLabel?: string; testid: string };
  /** After `next`, the step sends the operation itself (no confirm step). */
  sends?: boolean;
  /** A wider column (a list of bills). */
  wide?: boolean;
}

/** One line of a summary (confirm panel, outcome). */
export interface SummaryRow {
  label: string;
  value: string;
  mono?: boolean;
  strong?: boolean;
  testid?: string;
}

/** What the confirm panel shows: the lines, the total, and what its button says. */
export interface ConfirmSummary {
  title: string;
  rows: SummaryRow[];
  total: { label: string; value: string };
  button: string;
}

/** Where a refusal sends the cashier back: the field, the step that has its input. */
export type RefusalRoutes = readonly (readonly [RefusalField, string])[];

/** The step Escape goes back to; null: leave the screen (first step, or the outcome). */
export function previousStep(steps: readonly Pick<WizardStep, 'id'>[], current: string): string | null {
  const index = steps.findIndex((s) => s.id === current);
  if (index <= 0 || current === RESULT) return null;
  return steps[index - 1]?.id ?? null;
}

/** The step of the first route whose field was refused (and that the screen has now); else null. */
export function stepForRefusals(
  refusals: readonly Refusal[],
  routes: RefusalRoutes,
  steps: readonly Pick<WizardStep, 'id'>[],
): string | null {
  for (const [field, step] of routes) {
    if (refusals.some((r) => r.field === field)) {
      return steps.some((s) => s.id === step) ? step : null;
    }
  }
  return null;
}

/** What an outcome shows under the status, for the screen's kind of operation. */
export type OutcomeRows = (op: Operation) => SummaryRow[];

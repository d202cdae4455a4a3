// The review queue (« À vérifier »): what the manager types and reads. The core decides; this
// only says at once what the core would refuse anyway (an empty note) and lays the evidence out.
import type { OperationEvent } from './bindings';

/** The longest note the core takes (`REVIEW_NOTE_MAX_CHARS`). */
export const NOTE_MAX_CHARS = 500;

/** Longest excerpt of a provider answer shown on screen (the whole one is in the ledger). */
export const ANSWER_MAX_CHARS = 600;

export type NoteProblem = 'required' | null;

/** What is wrong with the note as typed, before anything is sent. */
export function noteProblem(note: string): NoteProblem {
  return note.trim() === '' ? 'required' : null;
}

/** A provider's answer as a short readable text: JSON, cut at `max` characters. */
export function answerText(raw: unknown, max: number = ANSWER_MAX_CHARS): string {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else {
    try {
      text = JSON.stringify(raw) ?? String(raw);
    } catch {
      text = String(raw);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The events that carry a provider's answer, oldest first. */
export function answers(events: readonly OperationEvent[]): OperationEvent[] {
  return events.filter((e) => e.raw !== null && e.raw !== undefined);
}

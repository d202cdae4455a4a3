import { describe, expect, it } from 'vitest';
import type { OperationEvent } from './bindings';
import { answers, answerText, noteProblem } from './review';
import { operationById, operationForKey, OPERATIONS, REVIEW } from './operations';
import { translate } from './i18n';

describe('review queue', () => {
  it('asks for a note before anything is sent', () => {
    expect(noteProblem('')).toBe('required');
    expect(noteProblem('   \n ')).toBe('required');
    expect(noteProblem('Vu payé, réf. ET-77')).toBeNull();
  });

  it('shows a provider answer as JSON, cut when long', () => {
    expect(answerText({ status: 'PENDING', id: 7 })).toBe('{"status":"PENDING","id":7}');
    expect(answerText('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    const long = answerText({ body: 'x'.repeat(2000) }, 50);
    expect(long).toHaveLength(51);
    expect(long.endsWith('…')).toBe(true);
  });

  it('keeps the events that carry an answer', () => {
    const ev = (id: number, raw: unknown) => ({ id, raw }) as unknown as OperationEvent;
    expect(answers([ev(1, null), ev(2, { error: 'timeout' }), ev(3, undefined)]).map((e) => e.id)).toEqual([2]);
  });

  it('is a manager screen, not a home tile, named in both languages', () => {
    expect(OPERATIONS.map((o) => o.id)).not.toContain('review');
    expect(operationById('review')).toBe(REVIEW);
    expect(REVIEW.managerOnly).toBe(true);
    expect(operationForKey('0')).toBeUndefined();
    expect(translate(REVIEW.titleKey, undefined, 'fr')).toBe('À vérifier');
    expect(translate(REVIEW.titleKey, undefined, 'en')).toBe('To review');
  });
});

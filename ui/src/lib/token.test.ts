import { describe, expect, it } from 'vitest';
import { groupToken, tokenCharacters, tokenGroups } from './token';

describe('token', () => {
  it('groups a Woyofal token by 4 digits', () => {
    expect(groupToken('58231940672215839047')).toBe('5823 1940 6722 1583 9047');
    expect(tokenGroups('58231940672215839047')).toEqual(['5823', '1940', '6722', '1583', '9047']);
  });

  it('ignores the separators a provider may send, and keeps a short remainder', () => {
    expect(groupToken('5823-1940-6722-1583-9047')).toBe('5823 1940 6722 1583 9047');
    expect(groupToken(' 1234 5678 9 ')).toBe('1234 5678 9');
    expect(tokenCharacters('5823 1940-6722')).toBe('582319406722');
    expect(groupToken('123456', 3)).toBe('123 456');
    expect(tokenGroups('')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { headerLines, normalizeShop, shopProblemKey, shopProblems } from './shop';

const ok = { shop_name: 'Boutique Awa', shop_address: 'Rue 10, Dakar', receipt_header: 'NINEA 123' };

describe('shop fields', () => {
  it('accepts what the core accepts', () => {
    expect(shopProblems(ok)).toEqual([]);
    expect(shopProblems({ ...ok, shop_address: '', receipt_header: '' })).toEqual([]);
    expect(shopProblems({ ...ok, shop_name: 'x'.repeat(48) })).toEqual([]);
  });

  it('names each problem, in screen order', () => {
    expect(shopProblems({ ...ok, shop_name: '   ' })).toEqual([{ field: 'shop_name', problem: 'empty' }]);
    expect(shopProblems({ shop_name: 'x'.repeat(49), shop_address: 'y'.repeat(121), receipt_header: '1\n2\n3\n4\n5' })).toEqual([
      { field: 'shop_name', problem: 'tooLong' },
      { field: 'shop_address', problem: 'tooLong' },
      { field: 'receipt_header', problem: 'tooLong' },
    ]);
    expect(shopProblems({ ...ok, receipt_header: 'z'.repeat(49) })).toEqual([{ field: 'receipt_header', problem: 'tooLong' }]);
    expect(translate(shopProblemKey({ field: 'shop_name', problem: 'empty' }), undefined, 'fr')).toBe(
      'Saisissez le nom de la boutique.',
    );
  });

  it('trims, and drops blank header lines, as the receipt prints them', () => {
    expect(headerLines(' NINEA 123 \r\n\n Tél 33 ')).toEqual(['NINEA 123', 'Tél 33']);
    expect(normalizeShop({ shop_name: ' A ', shop_address: ' B ', receipt_header: '\nC\n\nD\n' })).toEqual({
      shop_name: 'A',
      shop_address: 'B',
      receipt_header: 'C\nD',
    });
  });
});

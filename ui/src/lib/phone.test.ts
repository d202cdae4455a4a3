import { describe, expect, it } from 'vitest';
import { checkPhone, detectSnOperator, formatNational, snPrefixes } from './phone';

describe('phone', () => {
  it('detects the Senegalese operator from the prefix', () => {
    expect(detectSnOperator('771234567')).toBe('orange');
    expect(detectSnOperator('781234567')).toBe('orange');
    expect(detectSnOperator('761234567')).toBe('free');
    expect(detectSnOperator('701234567')).toBe('expresso');
    expect(detectSnOperator('751234567')).toBe('promobile');
    expect(detectSnOperator('721234567')).toBeNull();
    expect(detectSnOperator('7')).toBeNull();
    expect(snPrefixes('orange')).toEqual(['77', '78']);
    expect(snPrefixes('free')).toEqual(['76']);
  });

  it('reads a Senegalese number however it is typed', () => {
    for (const text of ['771234567', '77 123 45 67', '77-123-45-67', '+221 77 123 45 67', '00221771234567', '221771234567', '(77) 123.45.67']) {
      const c = checkPhone(text, 'SN');
      expect(c, text).toMatchObject({ state: 'ok', national: '771234567', operator: 'orange', blocking: false });
    }
  });

  it('says what is wrong with a Senegalese number', () => {
    expect(checkPhone('', 'SN')).toMatchObject({ state: 'empty', blocking: true });
    expect(checkPhone('77 12', 'SN')).toMatchObject({ state: 'incomplete', national: '7712', expected: 9, blocking: true });
    expect(checkPhone('7712345678', 'SN')).toMatchObject({ state: 'too_long', blocking: true });
    expect(checkPhone('331234567', 'SN')).toMatchObject({ state: 'not_mobile', blocking: true });
    expect(checkPhone('77a1234567', 'SN')).toMatchObject({ state: 'invalid_chars', blocking: true });
    expect(checkPhone('+225 0712345678', 'SN')).toMatchObject({ state: 'wrong_country', dialled: '225', blocking: true });
    expect(checkPhone('721234567', 'SN')).toMatchObject({ state: 'ok', operator: null });
  });

  it('elsewhere, blocks only a number too short and leaves an unusual length to the core', () => {
    expect(checkPhone('0712345678', 'CI')).toMatchObject({ state: 'ok', national: '0712345678', blocking: false, operator: null });
    expect(checkPhone('+225 07 12 34 56 78', 'CI')).toMatchObject({ state: 'ok', national: '0712345678' });
    expect(checkPhone('071234567', 'CI')).toMatchObject({ state: 'incomplete', blocking: true });
    expect(checkPhone('07123456789', 'CI')).toMatchObject({ state: 'length_unusual', blocking: false });
    // A trunk 0 where the country has one (DRC).
    expect(checkPhone('0812345678', 'CD')).toMatchObject({ state: 'ok', national: '812345678' });
    expect(checkPhone('70123456', 'BF')).toMatchObject({ state: 'ok', national: '70123456' });
  });

  it('groups numbers for people', () => {
    expect(formatNational('771234567', 'SN')).toBe('77 123 45 67');
    expect(formatNational('0712345678', 'CI')).toBe('07 12 34 56 78');
    expect(formatNational('7712', 'SN')).toBe('77 12');
  });
});

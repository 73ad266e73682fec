import { describe, expect, it } from 'vitest';
import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it('accepts whole numbers from 1 to the maximum', () => {
    expect(parseQuantity('1', 10)).toEqual({ qty: 1, error: null });
    expect(parseQuantity(' 10 ', 10)).toEqual({ qty: 10, error: null });
  });

  it('says the maximum instead of clamping a larger number', () => {
    expect(parseQuantity('25', 10)).toEqual({ qty: null, error: 'At most 10 tickets per booking.' });
  });

  it('refuses nothing, zero, negatives and fractions in words', () => {
    expect(parseQuantity('', 10).error).toBe('Enter how many tickets you want.');
    expect(parseQuantity('0', 10).error).toBe('Enter a whole number from 1 to 10.');
    expect(parseQuantity('-2', 10).qty).toBeNull();
    expect(parseQuantity('1.5', 10).qty).toBeNull();
  });
});

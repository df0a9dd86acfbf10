import { describe, expect, it } from 'vitest';
import { classifyCell, classifyText } from '../../../functions/engine/profile/value-kind.ts';

describe('classifyText', () => {
  it.each([
    ['3', 'integral'],
    ['-42', 'integral'],
    ['+7', 'integral'],
    ['3.0', 'fractional'],
    ['.5', 'fractional'],
    ['5.', 'fractional'],
    ['-1.25e-3', 'fractional'],
    ['1E10', 'fractional'],
    ['', 'missing'],
    ['-', 'string'],
    ['.', 'string'],
    ['1e', 'string'],
    ['e5', 'string'],
    ['1.2.3', 'string'],
    ['0x1f', 'string'],
    ['Infinity', 'string'],
    ['NaN', 'string'],
    [' 3', 'string'],
    ['rain', 'string'],
  ])('classifies %j as %s', (text, kind) => {
    expect(classifyText(text)).toBe(kind);
  });
});

describe('classifyCell', () => {
  it.each([
    [null, 'missing'],
    [3, 'integral'],
    [3.5, 'fractional'],
    [true, 'string'],
    ['2012-01-01', 'string'],
    [Number.POSITIVE_INFINITY, 'string'],
  ])('classifies %j as %s', (value, kind) => {
    expect(classifyCell(value)).toBe(kind);
  });
});

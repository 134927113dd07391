import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {escapeControl, hasControlCharacter} from '../../../src/util/control-characters.js';

describe('control characters', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['\t\r', '\\t\\r'],
    ['\u001b[31mred', '\\x1b[31mred'],
    ['\u0000\u007f\u009b', '\\x00\\x7f\\x9b'],
    ['plain é 日本 /a b', 'plain é 日本 /a b'],
  ])('escapes %j as %j', (raw, shown) => {
    expect(escapeControl(raw)).toBe(shown);
  });

  it('finds C0 and DEL, not printable text', () => {
    expect(hasControlCharacter('a\u0001')).toBe(true);
    expect(hasControlCharacter('a\u007f')).toBe(true);
    expect(hasControlCharacter('a b-é')).toBe(false);
  });

  it('nothing escaped holds a control character (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), (text) => {
        const shown = escapeControl(text);
        expect(hasControlCharacter(shown)).toBe(false);
        expect(/[\u0080-\u009f]/.test(shown)).toBe(false);
        // eslint-disable-next-line no-control-regex
        if (!/[\u0000-\u001f\u007f-\u009f]/.test(text)) expect(shown).toBe(text);
      }),
      {numRuns: 2000},
    );
  });
});

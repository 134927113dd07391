import fc from 'fast-check';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {checkOutputFile, parseDurationFlag, parseIntegerFlag} from '../../../src/cli/flags.js';
import {AlluxioError} from '../../../src/errors.js';

function usageErrorOf(fn: () => unknown): AlluxioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    expect((e as AlluxioError).kind).toBe('USAGE');
    return e as AlluxioError;
  }
  throw new Error('expected a usage error');
}

describe('parseDurationFlag', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['10min', 600_000],
    ['1h', 3_600_000],
    ['3day', 259_200_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDurationFlag('older-than', text)).toBe(ms);
  });

  it.each(['', 'abc', '5x', '-1', '1.5.2h'])('refuses %j in one line naming the flag', (text) => {
    expect(usageErrorOf(() => parseDurationFlag('older-than', text)).message).toBe(
      `Invalid duration for --older-than: ${JSON.stringify(text)} (give e.g. 0, 30s, 10min, 1h or 3day)`,
    );
  });
});

describe('parseIntegerFlag', () => {
  it.each([
    ['8', 8],
    [' 8 ', 8],
    ['+3', 3],
    ['0', 0],
    ['-5', -5],
    ['2147483647', 2147483647],
  ])('reads %j', (text, value) => {
    expect(parseIntegerFlag('n', text)).toBe(value);
  });

  it.each([
    ['abc', 'an integer'],
    ['', 'an integer'],
    ['1.5', 'an integer'],
    ['1e3', 'an integer'],
    ['0x10', 'an integer'],
    ['2147483648', 'an integer'],
    ['99999999999999999999', 'an integer'],
    ['NaN', 'an integer'],
    ['Infinity', 'an integer'],
  ])('refuses %j: one line naming the flag, expecting %s', (text, expected) => {
    const e = usageErrorOf(() => parseIntegerFlag('thread', text));
    expect(e.message).toBe(`Invalid value ${JSON.stringify(text)} for --thread: expected ${expected}`);
  });

  it('words the bounds', () => {
    expect(usageErrorOf(() => parseIntegerFlag('t', '0', {min: 1})).message).toMatch(/expected an integer of at least 1$/);
    expect(usageErrorOf(() => parseIntegerFlag('t', '9', {max: 8})).message).toMatch(/expected an integer of at most 8$/);
    expect(usageErrorOf(() => parseIntegerFlag('t', '-1', {min: 1, max: 1024})).message).toMatch(/expected an integer from 1 to 1024$/);
  });

  it('a control character in the value is shown escaped, on one line', () => {
    const e = usageErrorOf(() => parseIntegerFlag('t', '1\n\u001b[2J'));
    // eslint-disable-next-line no-control-regex
    expect(e.message).not.toMatch(/[\n\u001b]/);
  });

  it('any string: either a number within bounds or a one-line usage error (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({min: -5, max: 5}), fc.integer({min: 0, max: 2000}), (text, min, span) => {
        const max = min + span;
        try {
          const value = parseIntegerFlag('x', text, {min, max});
          expect(Number.isInteger(value) && value >= min && value <= max).toBe(true);
          expect(text.trim()).toMatch(/^[+-]?\d+$/);
        } catch (e) {
          expect((e as AlluxioError).kind).toBe('USAGE');
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      {numRuns: 2000},
    );
  });
});

describe('checkOutputFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flags-test-'));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it('accepts a new file in an existing folder, and an existing file', () => {
    expect(() => checkOutputFile('junit', join(dir, 'new.xml'))).not.toThrow();
    writeFileSync(join(dir, 'old.xml'), '');
    expect(() => checkOutputFile('junit', join(dir, 'old.xml'))).not.toThrow();
  });

  it('refuses a missing folder, a file standing as the folder, and a folder as the file', () => {
    expect(usageErrorOf(() => checkOutputFile('junit', join(dir, 'nope', 'r.xml'))).message).toBe(
      `Cannot write --junit ${join(dir, 'nope', 'r.xml')}: the folder ${join(dir, 'nope')} does not exist`,
    );
    writeFileSync(join(dir, 'file'), '');
    expect(usageErrorOf(() => checkOutputFile('junit', join(dir, 'file', 'r.xml'))).message).toMatch(/is not a folder$/);
    mkdirSync(join(dir, 'sub'));
    expect(usageErrorOf(() => checkOutputFile('junit', join(dir, 'sub'))).message).toMatch(/: it is a folder$/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder this user cannot write', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expect(usageErrorOf(() => checkOutputFile('junit', join(locked, 'r.xml'))).message).toMatch(/is not writable$/);
  });
});

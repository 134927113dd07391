import {describe, expect, it} from 'vitest';
import {
  checkValue,
  isValidValue,
  parseBooleanValue,
  parseBytes,
  parseDurationMs,
  parseEnumValue,
  parseInteger,
  parseList,
  parseModeValue,
} from '../../../src/conf/values.js';

describe('parseDurationMs', () => {
  it.each([
    ['50', 50],
    ['0', 0],
    ['-1', -1],
    ['50ms', 50],
    ['5millisecond', 5],
    ['5milliseconds', 5],
    ['10s', 10_000],
    ['50sec', 50_000],
    ['1second', 1000],
    ['2seconds', 2000],
    ['3m', 180_000],
    ['1min', 60_000],
    ['1minute', 60_000],
    ['5minutes', 300_000],
    ['2h', 7_200_000],
    ['2hr', 7_200_000],
    ['1hour', 3_600_000],
    ['3hours', 10_800_000],
    ['1d', 86_400_000],
    ['1day', 86_400_000],
    ['3day', 259_200_000],
    ['2days', 172_800_000],
    ['10 SEC', 10_000],
    ['1Min', 60_000],
    [' 500sec ', 500_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['abc', '', 'sec', '10 parsecs', '1.5s', '-2', '-1s', '10w', '99999999999999999999d', '1constructor'])(
    'rejects %j',
    (text) => {
      expect(parseDurationMs(text)).toBeUndefined();
    },
  );
});

describe('parseBytes', () => {
  it.each([
    ['1024', 1024],
    ['0', 0],
    ['10B', 10],
    ['1KB', 1024],
    ['1k', 1024],
    ['64MB', 67_108_864],
    ['5 MB', 5_242_880],
    ['2m', 2_097_152],
    ['1GB', 1_073_741_824],
    ['1g', 1_073_741_824],
    ['1.5GB', 1_610_612_736],
    ['0.1KB', 102],
    ['.5K', 512],
    ['1TB', 2 ** 40],
    ['1t', 2 ** 40],
    ['2PB', 2 * 2 ** 50],
    ['1p', 2 ** 50],
    ['3gb', 3 * 2 ** 30],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(['abc', '', 'MB', '1XB', '-1MB', '1..5GB', '1 2MB', '99999PB'])('rejects %j', (text) => {
    expect(parseBytes(text)).toBeUndefined();
  });
});

describe('simple types', () => {
  it('parses 32-bit integers', () => {
    expect(parseInteger('20')).toBe(20);
    expect(parseInteger(' -7 ')).toBe(-7);
    expect(parseInteger('+3')).toBe(3);
    expect(parseInteger('2147483647')).toBe(2147483647);
    expect(parseInteger('2147483648')).toBeUndefined();
    expect(parseInteger('1.5')).toBeUndefined();
    expect(parseInteger('12a')).toBeUndefined();
    expect(parseInteger('')).toBeUndefined();
  });

  it('parses booleans regardless of case', () => {
    expect(parseBooleanValue('true')).toBe(true);
    expect(parseBooleanValue('FALSE')).toBe(false);
    expect(parseBooleanValue(' True ')).toBe(true);
    expect(parseBooleanValue('yes')).toBeUndefined();
    expect(parseBooleanValue('1')).toBeUndefined();
  });

  it('parses 3 or 4 octal digits as a mode', () => {
    expect(parseModeValue('0700')).toBe(0o700);
    expect(parseModeValue('755')).toBe(0o755);
    expect(parseModeValue('022')).toBe(0o22);
    expect(parseModeValue('1777')).toBe(0o1777);
    for (const bad of ['0999', '0800', '75', '07555', 'rwx', '', '-755']) expect(parseModeValue(bad)).toBeUndefined();
  });

  it('matches enum values regardless of case, returning the canonical spelling', () => {
    const values = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'] as const;
    expect(parseEnumValue('no_cache', values)).toBe('NO_CACHE');
    expect(parseEnumValue('CACHE', values)).toBe('CACHE');
    expect(parseEnumValue('CACH', values)).toBeUndefined();
  });

  it('splits lists on commas, trimming and dropping empty items', () => {
    expect(parseList('/tmp, /var/tmp ,,/x,')).toEqual(['/tmp', '/var/tmp', '/x']);
    expect(parseList('')).toEqual([]);
  });
});

describe('checkValue', () => {
  const from = '/path/alluxio-site.properties';

  it('holds int and dataSize values to their bounds, both included', () => {
    const part = {type: 'dataSize' as const, min: 5 * 2 ** 20, max: 5 * 2 ** 30};
    expect(isValidValue('5MB', part)).toBe(true);
    expect(isValidValue('5GB', part)).toBe(true);
    expect(() => checkValue('p', '0', part, from)).toThrowError(`Invalid value 0 for p (from ${from}): expected a data size from 5MB to 5GB`);
    expect(() => checkValue('p', '1PB', part)).toThrowError('Invalid value 1PB for p: expected a data size from 5MB to 5GB');
    expect(isValidValue('5242879', part)).toBe(false);
    const pool = {type: 'int' as const, min: 1};
    expect(isValidValue('1', pool)).toBe(true);
    expect(() => checkValue('t', '-3', pool)).toThrowError('Invalid value -3 for t: expected an integer of at least 1');
    expect(() => checkValue('port', '70000', {type: 'int', min: 0, max: 65_535})).toThrowError(/expected an integer from 0 to 65535$/);
  });

  it('words each type of bad value as one line naming key, value, source and expected form', () => {
    const cases: [Parameters<typeof checkValue>[2], string][] = [
      [{type: 'duration'}, 'expected a duration such as 50sec or 1min'],
      [{type: 'dataSize'}, 'expected a data size such as 64MB or 1GB'],
      [{type: 'int'}, 'expected an integer'],
      [{type: 'boolean'}, 'expected true or false'],
      [{type: 'mode'}, 'expected an octal mode such as 0700 or 755'],
      [{type: 'enum', values: ['A', 'B']}, 'expected one of A, B'],
    ];
    for (const [spec, expected] of cases) {
      expect(() => checkValue('some.key', 'abc', spec, from)).toThrowError(
        `Invalid value abc for some.key (from ${from}): ${expected}`,
      );
    }
  });

  it('omits the source when there is none', () => {
    expect(() => checkValue('k', 'x', {type: 'int'})).toThrowError(/^Invalid value x for k: expected an integer$/);
  });

  it('accepts good values and anything for string and list keys', () => {
    expect(() => checkValue('k', '1min', {type: 'duration'}, from)).not.toThrow();
    expect(isValidValue('anything at all', {type: 'string'})).toBe(true);
    expect(isValidValue('a,b', {type: 'list'})).toBe(true);
  });
});

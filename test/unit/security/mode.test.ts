import {describe, expect, it} from 'vitest';
import {
  applyUmask,
  bitsString,
  formatMode,
  formatModeOctal,
  parseMode,
  sharedMode,
} from '../../../src/security/mode.js';
import {errorOf} from '../../helpers/thrown.js';

describe('parseMode', () => {
  it.each([
    ['755', 0o755],
    ['0755', 0o755],
    ['777', 0o777],
    ['0', 0],
    ['7', 0o7],
    ['1777', 0o777],
    ['4755', 0o755],
    ['000000644', 0o644],
    ['+644', 0o644],
    ['7777', 0o777],
  ])('reads octal %s', (text, mode) => {
    expect(parseMode(text)).toBe(mode);
  });

  // Alluxio keeps the low 9 bits of any octal short: 10000 would set 000, -1 would set 777.
  it.each(['10000', '77777', '100000', '-1', '-0644', '000010000'])('refuses octal %s outside 0-7777', (text) => {
    const e = errorOf(() => parseMode(text));
    expect(e.kind).toBe('USAGE');
    expect(e.message).toBe(`Invalid mode ${text}: an octal mode is 0 to 7777, such as 755`);
  });

  it.each([
    ['u=rwx', 0o700],
    ['u=rwx,g=rx,o=rx', 0o755],
    ['a=r', 0o444],
    ['ug=rw', 0o660],
    ['o=x', 0o001],
    ['g=w', 0o020],
    ['u=rwx,u=r', 0o700],
    ['=r', 0],
    ['u=rwx,', 0o700],
    [',', 0],
    ['u=r=', 0o400],
    ['ua=x', 0o111],
  ])('reads symbolic %s', (text, mode) => {
    expect(parseMode(text)).toBe(mode);
  });

  it.each(['', '  '])('rejects blank %j', (text) => {
    const e = errorOf(() => parseMode(text));
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe(`Invalid mode ${text}`);
  });

  it.each([
    ['u=rwx,foo', 'foo'],
    ['foo', 'foo'],
    ['u=', 'u='],
    ['ug=rw,o=', 'o='],
    ['=', '='],
    ['u==r', 'u==r'],
    ['u+x', 'u+x'],
    ['800', '800'],
    [',u=r', ''],
  ])('rejects %s: invalid segment %s', (text, segment) => {
    const e = errorOf(() => parseMode(text));
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe(`Invalid mode ${text} - contains invalid segment ${segment}`);
  });

  it('names invalid targets', () => {
    expect(errorOf(() => parseMode('f=r')).message).toBe(
      'Invalid mode f=r - contains invalid segment f=r which has invalid targets f',
    );
    expect(errorOf(() => parseMode('u=r,U=w')).message).toBe(
      'Invalid mode u=r,U=w - contains invalid segment U=w which has invalid targets U',
    );
  });

  it('names invalid permissions', () => {
    const e = errorOf(() => parseMode('u=Xst'));
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe('Invalid mode u=Xst - contains invalid segment u=Xst which has invalid permissions Xst');
  });
});

describe('formatting', () => {
  it('formats modes', () => {
    expect(formatMode(0o755)).toBe('rwxr-xr-x');
    expect(formatMode(0o700)).toBe('rwx------');
    expect(formatMode(0o000)).toBe('---------');
    expect(formatMode(0o777)).toBe('rwxrwxrwx');
    expect(formatMode(0o641)).toBe('rw-r----x');
  });

  it('formats octal without a leading zero', () => {
    expect(formatModeOctal(0o755)).toBe('755');
    expect(formatModeOctal(0o007)).toBe('7');
    expect(formatModeOctal(0)).toBe('0');
    expect(formatModeOctal(0o1755)).toBe('755');
  });

  it('formats bits', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((b) => bitsString(b as 0))).toEqual([
      '---',
      '--x',
      '-w-',
      '-wx',
      'r--',
      'r-x',
      'rw-',
      'rwx',
    ]);
  });
});

describe('umask and shared mounts', () => {
  it('applies the umask', () => {
    expect(applyUmask(0o777, 0o022)).toBe(0o755);
    expect(applyUmask(0o666, 0o022)).toBe(0o644);
    expect(applyUmask(0o777, 0o077)).toBe(0o700);
    expect(applyUmask(0o644, 0)).toBe(0o644);
  });

  it('gives others the owner bits', () => {
    expect(sharedMode(0o700)).toBe(0o707);
    expect(sharedMode(0o500)).toBe(0o505);
    expect(sharedMode(0o750)).toBe(0o757);
    expect(sharedMode(0o000)).toBe(0);
  });
});

import {describe, expect, it} from 'vitest';
import {invalidArgument} from '../../../src/errors.js';
import {describeSystemError, failureHint, failureReason, isSystemError} from '../../../src/util/system-errors.js';

const errno = (code: string, extra: Record<string, string> = {}) =>
  Object.assign(new Error(`${code}: raw text, open '/x'`), {code, ...extra});

describe('system errors', () => {
  it('tells errno exceptions from other errors', () => {
    expect(isSystemError(errno('ENOENT'))).toBe(true);
    expect(isSystemError(Object.assign(new Error('x'), {code: 'ERR_INVALID_ARG_TYPE'}))).toBe(false);
    expect(isSystemError(invalidArgument('x'))).toBe(false);
  });

  it("gives the reason in words, never Node's text", () => {
    expect(failureReason(errno('ENAMETOOLONG'))).toBe('name too long');
    expect(failureReason(errno('EWHAT'))).toBe('system error EWHAT');
    expect(failureHint(errno('ENOSPC'))).toMatch(/^Free space/);
    expect(failureHint(new Error('x'))).toBeUndefined();
  });

  it('keeps our own one-line messages whole (a newline there is part of a name), other messages to their first line', () => {
    expect(failureReason(invalidArgument('Path "/a\nb" is invalid.'))).toBe('Path "/a\nb" is invalid.');
    expect(failureReason(new Error('first\nsecond'))).toBe('first');
  });

  it('names the path and the operation', () => {
    expect(describeSystemError(errno('EISDIR', {syscall: 'open', path: '/tmp'}))).toEqual({
      message: 'Cannot open /tmp: is a directory',
      hint: 'Name a file, not a folder.',
    });
    expect(describeSystemError(errno('EIO', {syscall: 'fsync'})).message).toBe('Local access failed: input/output error');
  });
});

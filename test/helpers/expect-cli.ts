/**
 * Assertions on a finished `bin/alluxio` run, with the whole result in every failure message.
 *
 * The output contract (DESIGN "Errors and output"): results on stdout; errors on stderr as one message line
 * plus at most one `Hint:` line (usage errors: a `Usage:` line instead); exit 255 for errors, 2 for usage
 * errors; never a stack trace.
 */
import {expect} from 'vitest';
import {type RunResult, crashSigns, describeResult, lines} from './cli.js';

/** Exit 0, nothing on stderr, stdout exactly these lines (when given), no crash. */
export function expectSuccess(r: RunResult, stdoutLines?: string[]): void {
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr, describeResult(r)).toBe('');
  if (stdoutLines) expect(lines(r.stdout), describeResult(r)).toEqual(stdoutLines);
}

export interface ErrorExpectation {
  /** Default 255. */
  code?: number;
  /** A `Hint:` line is required (true), forbidden (false) or allowed (undefined). */
  hint?: boolean;
}

/**
 * A user error: exit 255 (by default), nothing on stdout, the message as the first stderr line (exact string, or
 * a pattern), then at most one `Hint: ...` line, and no stack trace.
 */
export function expectError(r: RunResult, message: string | RegExp, opts: ErrorExpectation = {}): void {
  const d = describeResult(r);
  expect(r.timedOut, d).toBe(false);
  expect(r.code, d).toBe(opts.code ?? 255);
  expect(r.stdout, d).toBe('');
  const errLines = lines(r.stderr);
  expect(errLines.length, d).toBeGreaterThanOrEqual(1);
  if (typeof message === 'string') expect(errLines[0], d).toBe(message);
  else expect(errLines[0], d).toMatch(message);
  expect(errLines.length, d).toBeLessThanOrEqual(2);
  if (errLines.length === 2) expect(errLines[1], d).toMatch(/^Hint: \S/);
  if (opts.hint === true) expect(errLines.length, d).toBe(2);
  if (opts.hint === false) expect(errLines.length, d).toBe(1);
  expect(crashSigns(r), d).toEqual([]);
}

/** A usage error: exit 2, nothing on stdout, the message, then `Usage: alluxio <usage>`. */
export function expectUsageError(r: RunResult, message: string | RegExp, usage: string | RegExp): void {
  const d = describeResult(r);
  expect(r.code, d).toBe(2);
  expect(r.stdout, d).toBe('');
  const errLines = lines(r.stderr);
  if (typeof message === 'string') expect(errLines[0], d).toBe(message);
  else expect(errLines[0], d).toMatch(message);
  if (typeof usage === 'string') expect(errLines[1], d).toBe(`Usage: alluxio ${usage}`);
  else expect(errLines[1], d).toMatch(usage);
  expect(errLines.length, d).toBe(2);
  expect(crashSigns(r), d).toEqual([]);
}

export function expectNoCrash(r: RunResult): void {
  const d = describeResult(r);
  expect(r.timedOut, d).toBe(false);
  expect(crashSigns(r), d).toEqual([]);
}

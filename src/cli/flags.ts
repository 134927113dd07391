import {Flags} from '@oclif/core';
import {accessSync, constants, existsSync, statSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {parseDurationMs} from '../conf/values.js';
import {usageError} from '../errors.js';
import {parseSpaceSize} from './sizes.js';

/**
 * Flag value parsers of our own: oclif's Flags.integer words its errors over several lines (and they would
 * reach the user as a bug). Each throws a one-line usage error naming the flag and what it expects.
 */

// A type alias, not an interface: oclif's custom options must be indexable.
export type IntegerBounds = {min?: number; max?: number};

/** --thread and -p: each transfer holds open files and sockets, so thousands at once only fail later. */
export const MAX_TRANSFER_THREADS = 1024;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** A whole number within bounds (Java int range by default, as Alluxio's shell parses its numbers). */
export function parseIntegerFlag(flag: string, input: string, bounds: IntegerBounds = {}): number {
  const min = bounds.min ?? INT_MIN;
  const max = bounds.max ?? INT_MAX;
  const text = input.trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw usageError(`Invalid value ${JSON.stringify(input)} for --${flag}: expected ${describeRange(min, max)}`);
  }
  return value;
}

function describeRange(min: number, max: number): string {
  if (min === INT_MIN && max === INT_MAX) return 'an integer';
  if (max === INT_MAX) return `an integer of at least ${min}`;
  if (min === INT_MIN) return `an integer of at most ${max}`;
  return `an integer from ${min} to ${max}`;
}

/** An integer flag parsed by parseIntegerFlag. */
export const integerFlag = Flags.custom<number, IntegerBounds>({
  parse: async (input, _context, options) => parseIntegerFlag(options.name, input, options),
});

/** A positive byte count in Alluxio's size syntax (`head -c 2k`), with Alluxio's messages. */
export function parseByteCountFlag(input: string): number {
  const bytes = parseSpaceSize(input);
  if (bytes === undefined) throw usageError(`Fail to parse ${input} to bytes`);
  if (bytes <= 0) throw usageError('specified bytes must be > 0');
  return bytes;
}

/** A byte-count flag parsed by parseByteCountFlag. */
export const byteCountFlag = Flags.custom<number>({
  parse: async (input) => parseByteCountFlag(input),
});

/** A duration in Alluxio's syntax (`0`, `500ms`, `10min`, `1h`, `3day`), in milliseconds. */
export function parseDurationFlag(flag: string, input: string): number {
  const ms = parseDurationMs(input);
  if (ms === undefined || ms < 0) {
    throw usageError(`Invalid duration for --${flag}: ${JSON.stringify(input)} (give e.g. 0, 30s, 10min, 1h or 3day)`);
  }
  return ms;
}

/** A duration flag parsed by parseDurationFlag. */
export const durationFlag = Flags.custom<number>({
  parse: async (input, _context, options) => parseDurationFlag(options.name, input),
});

/**
 * A file a command will write at its end (`runTests --junit`): checked before the work starts, so that a typo in
 * its folder does not throw away a long run's results.
 */
export function checkOutputFile(flag: string, file: string): void {
  const path = resolve(file);
  const folder = dirname(path);
  const problem = (what: string) => usageError(`Cannot write --${flag} ${file}: ${what}`);
  const folderStat = statSync(folder, {throwIfNoEntry: false});
  if (!folderStat) throw problem(`the folder ${folder} does not exist`);
  if (!folderStat.isDirectory()) throw problem(`${folder} is not a folder`);
  if (statSync(path, {throwIfNoEntry: false})?.isDirectory()) throw problem('it is a folder');
  try {
    accessSync(existsSync(path) ? path : folder, constants.W_OK);
  } catch {
    throw problem(existsSync(path) ? 'the file is not writable' : `the folder ${folder} is not writable`);
  }
}

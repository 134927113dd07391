import {type AlluxioError, configurationError} from '../errors.js';
import type {KeyType} from './property-keys.js';

/** Parsers of typed property values. Each returns undefined for a malformed value; callers word the error. */

const MS_PER_UNIT = new Map<string, number>([
  ['', 1], ['ms', 1], ['millisecond', 1], ['milliseconds', 1],
  ['s', 1000], ['sec', 1000], ['second', 1000], ['seconds', 1000],
  ['m', 60_000], ['min', 60_000], ['minute', 60_000], ['minutes', 60_000],
  ['h', 3_600_000], ['hr', 3_600_000], ['hour', 3_600_000], ['hours', 3_600_000],
  ['d', 86_400_000], ['day', 86_400_000], ['days', 86_400_000],
]);

/** `50sec`, `1min`, `10 s`, `250` (ms) or `-1` (never) → milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const value = text.trim();
  if (value === '-1') return -1;
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value);
  const perUnit = match ? MS_PER_UNIT.get(match[2].toLowerCase()) : undefined;
  if (match === null || perUnit === undefined) return undefined;
  const ms = Number(match[1]) * perUnit;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

const BYTES_PER_UNIT = new Map<string, number>([
  ['', 1], ['b', 1],
  ['k', 2 ** 10], ['kb', 2 ** 10],
  ['m', 2 ** 20], ['mb', 2 ** 20],
  ['g', 2 ** 30], ['gb', 2 ** 30],
  ['t', 2 ** 40], ['tb', 2 ** 40],
  ['p', 2 ** 50], ['pb', 2 ** 50],
]);

/** `64MB`, `1.5 GB`, `1024` → bytes (binary units, fractions rounded down as Alluxio does). */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i.exec(text.trim());
  const perUnit = match ? BYTES_PER_UNIT.get(match[2].toLowerCase()) : undefined;
  if (match === null || perUnit === undefined) return undefined;
  // The small epsilon keeps 0.1GB-like products from landing one byte short.
  const bytes = Math.floor(Number(match[1]) * perUnit + 1e-4);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A 32-bit signed integer, as Alluxio's int keys are. */
export function parseInteger(text: string): number | undefined {
  const value = text.trim();
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}

export function parseBooleanValue(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** Three or four octal digits (`755`, `0700`). Alluxio would read 8 and 9 as decimal digits; a typo here. */
export function parseModeValue(text: string): number | undefined {
  const value = text.trim();
  return /^[0-7]{3,4}$/.test(value) ? Number.parseInt(value, 8) : undefined;
}

/** The allowed value matching `text` regardless of case. */
export function parseEnumValue<T extends string>(text: string, values: readonly T[]): T | undefined {
  const value = text.trim().toUpperCase();
  return values.find((v) => v.toUpperCase() === value);
}

/** Comma-separated items, trimmed, empty items dropped. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export interface ValueSpec {
  type: KeyType;
  values?: readonly string[];
  /** Bounds of an int or dataSize key (bytes), both included. */
  min?: number;
  max?: number;
}

function expected(spec: ValueSpec): string {
  switch (spec.type) {
    case 'duration':
      return 'a duration such as 50sec or 1min';
    case 'dataSize':
      return spec.min === undefined && spec.max === undefined ? 'a data size such as 64MB or 1GB' : `a data size ${range(spec, formatBytes)}`;
    case 'int':
      return spec.min === undefined && spec.max === undefined ? 'an integer' : `an integer ${range(spec, String)}`;
    case 'boolean':
      return 'true or false';
    case 'mode':
      return 'an octal mode such as 0700 or 755';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`;
    case 'string':
    case 'list':
      return 'text';
  }
}

function range(spec: ValueSpec, format: (n: number) => string): string {
  if (spec.max === undefined) return `of at least ${format(spec.min as number)}`;
  if (spec.min === undefined) return `of at most ${format(spec.max)}`;
  return `from ${format(spec.min)} to ${format(spec.max)}`;
}

/** `5MB`, `5GB`, `1000B`: bounds as a user would write them. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [['TB', 2 ** 40], ['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

function inRange(value: number | undefined, spec: ValueSpec): boolean {
  return value !== undefined && (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
}

/** Whether `text` is a well-formed value of the given type, within the key's bounds. */
export function isValidValue(text: string, spec: ValueSpec): boolean {
  switch (spec.type) {
    case 'duration':
      return parseDurationMs(text) !== undefined;
    case 'dataSize':
      return inRange(parseBytes(text), spec);
    case 'int':
      return inRange(parseInteger(text), spec);
    case 'boolean':
      return parseBooleanValue(text) !== undefined;
    case 'mode':
      return parseModeValue(text) !== undefined;
    case 'enum':
      return parseEnumValue(text, spec.values ?? []) !== undefined;
    case 'string':
    case 'list':
      return true;
  }
}

/** The one-line error for a malformed value; `from` says where it was set. */
export function invalidValue(key: string, value: string, spec: ValueSpec, from?: string): AlluxioError {
  const origin = from === undefined ? '' : ` (from ${from})`;
  return configurationError(`Invalid value ${value} for ${key}${origin}: expected ${expected(spec)}`);
}

/** Throws the one-line error unless `value` is a well-formed value of the given type. */
export function checkValue(key: string, value: string, spec: ValueSpec, from?: string): void {
  if (!isValidValue(value, spec)) throw invalidValue(key, value, spec, from);
}

import {usageError} from '../errors.js';

const UNITS = new Map<string, number>();
for (const [i, letter] of ['', 'k', 'm', 'g', 't', 'p'].entries()) {
  const bytes = 1024 ** i;
  for (const suffix of letter === '' ? ['', 'b'] : [letter, `${letter}b`, `${letter}i`, `${letter}ib`]) UNITS.set(suffix, bytes);
}

/**
 * Alluxio's parseSpaceSize: a decimal number and an optional case-insensitive binary unit (b, k/kb/ki/kib, m...,
 * up to p), fractions rounded down. Anything else, or a negative size, is a usage error with Alluxio's text.
 */
export function parseSpaceSize(text: string): number {
  const match = /^(\d+(?:\.\d*)?|\.\d+)([a-z]*)$/i.exec(text);
  const perUnit = match ? UNITS.get(match[2].toLowerCase()) : undefined;
  const bytes = match && perUnit !== undefined ? Math.floor(Number(match[1]) * perUnit + 1e-4) : Number.NaN;
  if (!Number.isSafeInteger(bytes)) throw usageError(`Fail to parse ${text} to bytes`);
  return bytes;
}

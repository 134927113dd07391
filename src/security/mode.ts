/** POSIX-style modes as Alluxio handles them: 9 bits (owner, group, other), no sticky or setuid bits. */
import {invalidArgument, usageError} from '../errors.js';

/** One class of permission bits: r=4, w=2, x=1. */
export type Bits = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const NONE = 0 as const;
export const EXECUTE = 1 as const;
export const WRITE = 2 as const;
export const READ = 4 as const;

export const BITS_STRINGS = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'] as const;

/** `r-x` for 5: the form of `access=` in permission errors. */
export function bitsString(bits: Bits): string {
  return BITS_STRINGS[bits];
}

/** `rwxr-xr-x` for 0o755. */
export function formatMode(mode: number): string {
  return BITS_STRINGS[(mode >> 6) & 7] + BITS_STRINGS[(mode >> 3) & 7] + BITS_STRINGS[mode & 7];
}

/** `755` for 0o755, `0` for 0: what chmod prints (Java's Integer.toOctalString). */
export function formatModeOctal(mode: number): string {
  return (mode & 0o777).toString(8);
}

export function applyUmask(mode: number, umask: number): number {
  return mode & ~umask & 0o777;
}

/** A shared mount gives others the owner's bits: 0700 → 0707. */
export function sharedMode(mode: number): number {
  return (mode | ((mode >> 6) & 7)) & 0o777;
}

const JAVA_SHORT_OCTAL = /^[+-]?[0-7]+$/;
const TARGETS = /^[ugoa]*$/;
const PERMISSIONS = /^[rwx]*$/;

/**
 * Parses a chmod mode as Alluxio's ModeParser does: octal first (only the low 9 bits kept), else the symbolic
 * `targets=perms[,...]` form, which sets bits only: classes not named get none. Alluxio reads any octal number
 * within a Java short and silently drops the bits above 9 (`chmod 10000` sets 000): a mode outside 0-7777 is
 * refused here instead.
 */
export function parseMode(text: string): number {
  if (text.trim() === '') throw invalidArgument(`Invalid mode ${text}`);
  if (JAVA_SHORT_OCTAL.test(text)) {
    const n = parseInt(text, 8);
    // Nonsense Alluxio would accept: a usage error (DESIGN), where Alluxio's own refusals keep its exit code.
    if (n < 0 || n > 0o7777) throw usageError(`Invalid mode ${text}: an octal mode is 0 to 7777, such as 755`);
    return n & 0o777;
  }
  let owner = 0;
  let group = 0;
  let other = 0;
  for (const segment of javaSplit(text, ',')) {
    const parts = javaSplit(segment, '=');
    if (parts.length !== 2) throw invalidArgument(`Invalid mode ${text} - contains invalid segment ${segment}`);
    const [targets, perms] = parts as [string, string];
    const invalid = `Invalid mode ${text} - contains invalid segment ${segment} which has invalid`;
    if (!TARGETS.test(targets)) throw invalidArgument(`${invalid} targets ${targets}`);
    if (!PERMISSIONS.test(perms)) throw invalidArgument(`${invalid} permissions ${perms}`);
    let bits = 0;
    if (perms.includes('r')) bits |= READ;
    if (perms.includes('w')) bits |= WRITE;
    if (perms.includes('x')) bits |= EXECUTE;
    const all = targets.includes('a');
    if (all || targets.includes('u')) owner |= bits;
    if (all || targets.includes('g')) group |= bits;
    if (all || targets.includes('o')) other |= bits;
  }
  return (owner << 6) | (group << 3) | other;
}

/** Java's String.split on a literal: trailing empty strings are dropped ("u=r," has one segment, "," none). */
export function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}


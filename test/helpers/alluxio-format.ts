/**
 * Alluxio's output formats, written out independently of src/ so that the e2e tests compare against the spec
 * (facts §5.2), not against the code under test.
 */

/** Widths of Java's `%-12s%-15s%-15s%15s%16s%24s%5s %-5s` (ls with permissions). */
export interface LsFields {
  /** e.g. `drwxr-xr-x` or `-rw-r--r--` */
  perm: string;
  owner: string;
  group: string;
  /** Bytes, a child count, or a human size (`5.00KB`). */
  size: string | number;
  state: 'PERSISTED' | 'NOT_PERSISTED' | 'TO_BE_PERSISTED' | 'LOST';
  /** Already formatted (MM-dd-yyyy HH:mm:ss:SSS). */
  time: string;
  /** `DIR` or `<n>%` */
  inAlluxio: string;
  path: string;
}

const left = (s: string, w: number) => s.padEnd(w);
const right = (s: string, w: number) => s.padStart(w);

/** `%-12s%-15s%-15s%15s%16s%24s%5s %-5s` */
export function lsLine(f: LsFields): string {
  return (
    left(f.perm, 12) +
    left(f.owner, 15) +
    left(f.group, 15) +
    right(String(f.size), 15) +
    right(f.state, 16) +
    right(f.time, 24) +
    right(f.inAlluxio, 5) +
    ' ' +
    left(f.path, 5)
  );
}

/** `%15s%16s%24s%5s %-5s`: the line when permission checks are disabled. */
export function lsLineNoAcl(f: Omit<LsFields, 'perm' | 'owner' | 'group'>): string {
  return right(String(f.size), 15) + right(f.state, 16) + right(f.time, 24) + right(f.inAlluxio, 5) + ' ' + left(f.path, 5);
}

/** Splits an ls line (with permissions) at the fixed column boundaries. */
export function parseLsLine(line: string): LsFields {
  return {
    perm: line.slice(0, 12).trim(),
    owner: line.slice(12, 27).trim(),
    group: line.slice(27, 42).trim(),
    size: line.slice(42, 57).trim(),
    state: line.slice(57, 73).trim() as LsFields['state'],
    time: line.slice(73, 97).trim(),
    inAlluxio: line.slice(97, 102).trim(),
    path: line.slice(103).trimEnd(),
  };
}

export const TIMESTAMP = /^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}:\d{3}$/;

/** Java SimpleDateFormat `MM-dd-yyyy HH:mm:ss:SSS` in UTC (the tests run with TZ=UTC). */
export function alluxioDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}:${p(d.getUTCMilliseconds(), 3)}`
  );
}

/** Parses `MM-dd-yyyy HH:mm:ss:SSS` (UTC) back to epoch ms. */
export function parseAlluxioDate(s: string): number {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(s);
  if (!m) throw new Error(`not an Alluxio timestamp: ${JSON.stringify(s)}`);
  const [, mo, d, y, h, mi, sec, ms] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** FormatUtils.getSizeFromBytes. */
export function sizeFromBytes(bytes: number): string {
  let value = bytes;
  if (value <= 1024 * 5) return `${value}B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = -1;
  let v = value;
  while (v > 1024 * 5 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  value = v;
  return `${value.toFixed(2)}${units[i]}`;
}

/** Octal mode → `rwxr-x---` */
export function modeString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let s = '';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

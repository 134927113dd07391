const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Alluxio's human-readable size: bytes up to 5 KiB, then the largest unit that keeps the number above 5. */
export function formatSize(bytes: number): string {
  if (bytes <= 5 * 1024) return `${bytes}B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value > 5 * 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)}${UNITS[unit]}`;
}

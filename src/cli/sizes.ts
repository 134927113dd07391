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

const SPACE_UNITS = new Map<string, number>();
for (const [i, letter] of ['', 'k', 'm', 'g', 't', 'p'].entries()) {
  const factor = 1024 ** i;
  const names = letter === '' ? ['', 'b'] : [letter, `${letter}b`, `${letter}i`, `${letter}ib`];
  for (const name of names) SPACE_UNITS.set(name, factor);
}

/**
 * Alluxio's shell size syntax (`-c 2k`, `1.5MB`, `10kib`): a decimal number (negative ones too, as Alluxio parses them) and a case-insensitive binary unit.
 * Undefined when `text` is not one.
 */
export function parseSpaceSize(text: string): number | undefined {
  const match = /^(-?(?:\d+(?:\.\d*)?|\.\d+))([a-z]*)$/i.exec(text.trim());
  const factor = match ? SPACE_UNITS.get(match[2].toLowerCase()) : undefined;
  if (match === null || factor === undefined) return undefined;
  // The epsilon and the cast toward zero are Alluxio's: 0.1k lands on 102, not one byte short of it.
  const bytes = Math.trunc(Number(match[1]) * factor + 1e-4);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

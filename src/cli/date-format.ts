/**
 * Formats times with the subset of Java's SimpleDateFormat letters that Alluxio's date patterns use
 * (`alluxio.user.date.format.pattern`, default `MM-dd-yyyy HH:mm:ss:SSS`), in the local time zone.
 * Text in single quotes is literal; `''` is a quote.
 */
const FIELDS: Record<string, (d: Date, width: number) => string> = {
  y: (d, w) => (w === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), w)),
  M: (d, w) => pad(d.getMonth() + 1, w),
  d: (d, w) => pad(d.getDate(), w),
  H: (d, w) => pad(d.getHours(), w),
  h: (d, w) => pad(d.getHours() % 12 || 12, w),
  m: (d, w) => pad(d.getMinutes(), w),
  s: (d, w) => pad(d.getSeconds(), w),
  S: (d, w) => pad(d.getMilliseconds(), w),
  a: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatDate(epochMs: number, pattern: string): string {
  const date = new Date(epochMs);
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) out += "'";
      else out += pattern.slice(i + 1, end < 0 ? pattern.length : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && pattern[j] === c) j++;
    const field = FIELDS[c];
    out += field ? field(date, j - i) : pattern.slice(i, j);
    i = j;
  }
  return out;
}

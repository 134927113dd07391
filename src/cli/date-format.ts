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
      const [text, next] = quoted(pattern, i);
      out += text;
      i = next;
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

/** The literal text of a quote starting at `start` ('' inside or alone is one quote); returns it and the index after. */
function quoted(pattern: string, start: number): [string, number] {
  if (pattern[start + 1] === "'") return ["'", start + 2];
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] !== "'") text += pattern[i++];
    else if (pattern[i + 1] === "'") {
      text += "'";
      i += 2;
    } else return [text, i + 1];
  }
  return [text, i];
}

/**
 * JSON as Jackson's default pretty printer writes it (what Alluxio's stress benchmarks print): `"key" : value`,
 * objects indented by two spaces per level, arrays on the line of their parent (`[ {`, `}, {`, `} ]`, `[ ]`),
 * and `.0` on whole numbers of the fields that Java holds as doubles.
 */
export function formatJackson(value: unknown, doubles: ReadonlySet<string>): string {
  return render(value, 0, doubles, false);
}

function render(value: unknown, level: number, doubles: ReadonlySet<string>, isDouble: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => render(v, level, doubles, false)).join(', ')} ]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    const pad = '  '.repeat(level + 1);
    const body = entries.map(([k, v]) => `${pad}${JSON.stringify(k)} : ${render(v, level + 1, doubles, doubles.has(k))}`);
    return `{\n${body.join(',\n')}\n${'  '.repeat(level)}}`;
  }
  if (typeof value === 'number' && isDouble && Number.isInteger(value)) return `${value}.0`;
  return JSON.stringify(value);
}

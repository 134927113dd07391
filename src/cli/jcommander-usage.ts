/**
 * The usage text of Alluxio's JCommander-parsed tools (runUfsIOTest's UfsIOBench): `Usage: <program> [options]`,
 * then every visible option by name, `* ` before required ones, its description wrapped at 79 columns below it and
 * its default on a line of its own.
 */
export interface UsageOption {
  /** Every spelling, as typed: `-h`, `--help`. */
  names: string[];
  description: string;
  required?: boolean;
  default?: string;
}

const WIDTH = 79;
const INDENT = '      ';

export function jcommanderUsage(program: string, options: UsageOption[]): string[] {
  const longest = (o: UsageOption) => o.names.reduce((a, b) => (b.length > a.length ? b : a), '');
  const sorted = [...options].sort((a, b) => (longest(a) < longest(b) ? -1 : longest(a) > longest(b) ? 1 : 0));
  const lines = [`Usage: ${program} [options]`, '  Options:'];
  for (const option of sorted) {
    lines.push(`  ${option.required ? '* ' : '  '}${option.names.join(', ')}`);
    lines.push(...wrap(option.description));
    if (option.default !== undefined) lines.push(`${INDENT}Default: ${option.default === '' ? '<empty string>' : option.default}`);
  }
  return lines;
}

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = INDENT;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > INDENT.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = INDENT;
    }
    line += line.length > INDENT.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}

import {configurationError} from '../errors.js';

/**
 * Java .properties syntax, as java.util.Properties.load reads it, with keys and values then trimmed as
 * Alluxio trims them. Files are read as UTF-8 where Java assumes ISO-8859-1: `\uXXXX` works in both.
 */

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f';

/** A logical line: natural lines joined at `\` continuations, remembering where each one starts. */
interface LogicalLine {
  text: string;
  starts: {offset: number; line: number}[];
}

export function parseProperties(text: string, file: string): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  for (const logical of logicalLines(text)) {
    const {key, value} = splitEntry(logical, file);
    entries.push({key: javaTrim(key), value: javaTrim(value), line: logical.starts[0].line});
  }
  return entries;
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const lines = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length) {
    let current = skipBlanks(lines[i]);
    const first = ++i;
    // Only the first natural line of a logical line can be a comment, and a comment never continues.
    if (current === '' || current[0] === '#' || current[0] === '!') continue;
    const logical: LogicalLine = {text: '', starts: [{offset: 0, line: first}]};
    while (endsWithOddBackslashes(current)) {
      logical.text += current.slice(0, -1);
      if (i >= lines.length) break;
      current = skipBlanks(lines[i++]);
      logical.starts.push({offset: logical.text.length, line: i});
    }
    if (!endsWithOddBackslashes(current)) logical.text += current;
    yield logical;
  }
}

function skipBlanks(line: string): string {
  let start = 0;
  while (isBlank(line[start])) start++;
  return line.slice(start);
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** The key ends at the first unescaped `=`, `:` or blank; blanks and at most one `=`/`:` then separate the value. */
function splitEntry(logical: LogicalLine, file: string): {key: string; value: string} {
  const line = logical.text;
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  for (; valueStart < line.length; valueStart++) {
    const c = line[valueStart];
    if (isBlank(c)) continue;
    if (hasSeparator || (c !== '=' && c !== ':')) break;
    hasSeparator = true;
  }
  return {
    key: unescape(logical, 0, keyEnd, file),
    value: unescape(logical, valueStart, line.length, file),
  };
}

const SIMPLE_ESCAPES: Record<string, string> = {t: '\t', n: '\n', r: '\r', f: '\f'};

function unescape(logical: LogicalLine, from: number, to: number, file: string): string {
  const text = logical.text;
  let out = '';
  let i = from;
  while (i < to) {
    const c = text[i++];
    if (c !== '\\') {
      out += c;
    } else if (text[i] === 'u') {
      const hex = text.slice(i + 1, Math.min(i + 5, to));
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw configurationError(
          `Malformed \\uXXXX escape \\u${hex} in ${file} at line ${lineAt(logical, i)}`,
          'Write \\u followed by exactly four hexadecimal digits, or \\\\ for a backslash',
        );
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
    } else if (i < to) {
      const next = text[i++];
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}

function lineAt(logical: LogicalLine, offset: number): number {
  let line = logical.starts[0].line;
  for (const start of logical.starts) if (start.offset <= offset) line = start.line;
  return line;
}

/** Java's String.trim: strips every character up to U+0020, not just Unicode white space. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

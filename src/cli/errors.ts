import {Errors} from '@oclif/core';
import {AlluxioError, isAlluxioError} from '../errors.js';
import {escapeControl} from '../util/control-characters.js';
import {describeSystemError, isSystemError} from '../util/system-errors.js';

export interface RenderedError {
  lines: string[];
  exitCode: number;
  json: {error: {kind: string; message: string; hint?: string; errors?: PathFailure[]}};
}

/** One path's failure in a command run on several paths (a wildcard's matches, or several arguments). */
export interface PathFailure {
  path: string;
  kind: string;
  message: string;
  hint?: string;
}

/**
 * The failures of a command run on several paths, thrown after the work on all of them: printed as one block,
 * one message per line (Alluxio joins them with newlines), exit 255.
 */
export class PathFailures extends AlluxioError {
  constructor(readonly failures: PathFailure[]) {
    super('IO', failures.map((f) => f.message).join('\n'));
  }
}

/**
 * Whether the line asks for JSON (`--json` before any `--`): its errors are then the one-line error object, also
 * where no command (an unknown one) or no --json flag (a command without it) is there to say so.
 */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Turns any error into what the user sees: one message line, at most one Hint line (or a Usage line for usage
 * errors). Bugs are the only errors that print a stack trace without --debug.
 */
export function renderError(err: unknown, options: {usage?: string; debug: boolean}): RenderedError {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error instanceof PathFailures) {
    const lines = error.failures.map((f) => escapeControl(f.message));
    return {lines, exitCode: 255, json: {error: {kind: 'MULTIPLE', message: lines.join('\n'), errors: error.failures}}};
  }
  let kind: string;
  // Our own errors are one line by contract (a newline in them comes from a name, escaped below).
  const unwrapped = unwrapFlagParsing(error.message);
  let message = isAlluxioError(error) ? unwrapped.trim() : firstLine(unwrapped);
  let hint: string | undefined;
  let exitCode = 255;
  let bug = false;
  if (isAlluxioError(error)) {
    kind = error.kind;
    hint = error.hint;
    exitCode = error.exitCode;
  } else if (isParseError(error)) {
    kind = 'USAGE';
    exitCode = 2;
    message = parseErrorMessage(error.message);
  } else if (isSystemError(error)) {
    // Errors from the operating system (a file that cannot be read, a disk that is full) are the user's to fix.
    kind = 'IO';
    ({message, hint} = describeSystemError(error));
  } else {
    kind = 'BUG';
    bug = true;
  }
  message = escapeControl(message);
  if (hint !== undefined) hint = escapeControl(hint);
  const lines = [bug ? `Unexpected error: ${message}` : message];
  if (kind === 'USAGE' && options.usage) lines.push(`Usage: alluxio ${options.usage}`);
  else if (hint) lines.push(`Hint: ${hint}`);
  if (bug) lines.push('This is a bug in alluxio-s3: please report it with the stack trace below.');
  if ((bug || options.debug) && error.stack) lines.push(error.stack);
  return {lines, exitCode, json: {error: {kind, message, ...(hint ? {hint} : {})}}};
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.trim();
}

/** oclif wraps what a flag's parser throws as `Parsing --flag \n\t<message>\nSee more help with --help`. */
const FLAG_PARSING = /^Parsing --(\S+) \n\t([^\n]*)/;

function unwrapFlagParsing(message: string): string {
  return FLAG_PARSING.exec(message)?.[2] ?? message;
}

/** oclif's own parse errors, in one line: its flag-parser wrapper and its multi-line lists are folded. */
function parseErrorMessage(message: string): string {
  const wrapped = FLAG_PARSING.exec(message);
  if (wrapped) return `Invalid value for --${wrapped[1]}: ${wrapped[2].trim()}`;
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('See more help with'));
  return lines.join(' ');
}

/** oclif's own argument and flag errors. */
function isParseError(error: Error): boolean {
  return error instanceof Errors.CLIError && ('parse' in error || /flag|argument|^Parsing --/i.test(error.message));
}

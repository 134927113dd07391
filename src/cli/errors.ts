import {Errors} from '@oclif/core';
import {isAlluxioError} from '../errors.js';

export interface RenderedError {
  lines: string[];
  exitCode: number;
  json: {error: {kind: string; message: string; hint?: string}};
}

/**
 * Turns any error into what the user sees: one message line, at most one Hint line (or a Usage line for usage
 * errors). Bugs are the only errors that print a stack trace without --debug.
 */
export function renderError(err: unknown, options: {usage?: string; debug: boolean}): RenderedError {
  const error = err instanceof Error ? err : new Error(String(err));
  let kind: string;
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
  } else if (isSystemError(error)) {
    kind = 'IO';
  } else {
    kind = 'BUG';
    bug = true;
  }
  const message = firstLine(error.message);
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

/** oclif's own argument and flag errors. */
function isParseError(error: Error): boolean {
  return error instanceof Errors.CLIError && ('parse' in error || /flag|argument/i.test(error.message));
}

/** Errors from the operating system (a file that cannot be read, a disk that is full) are the user's to fix. */
function isSystemError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * When output is coloured, strongest rule first:
 *   1. `--no-color` on the command line, or NO_COLOR set and not empty (https://no-color.org): no colour at all,
 *      whatever else asks for it.
 *   2. Alluxio's own codes (its test runners' verdicts, its start script's monitor) are otherwise always printed
 *      as Alluxio prints them, into pipes too: scripts compare them.
 *   3. Our own colours (warnings, hints, doctor's marks): FORCE_COLOR `0` or `false` turns them off, any other
 *      value (empty included) on, even in a pipe; else they follow the stream they are written to: on for a
 *      terminal (TERM not `dumb`), off for a pipe or a file.
 */
import type * as Chalk from 'chalk';

/** What the decisions read: the environment and the command line. */
export interface ColourSettings {
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
}

/** The stream output goes to (only whether it is a terminal matters). */
export interface OutputStream {
  isTTY?: boolean;
}

const processSettings = (): ColourSettings => ({env: process.env, argv: process.argv});

/** `--no-color` among the arguments (not after `--`, where it would be an operand). */
function hasNoColorFlag(argv: readonly string[]): boolean {
  const at = argv.indexOf('--no-color');
  const end = argv.indexOf('--');
  return at >= 0 && (end < 0 || at < end);
}

/** Rule 1: no colour of any kind. */
function noColour({env, argv}: ColourSettings): boolean {
  return hasNoColorFlag(argv) || Boolean(env.NO_COLOR);
}

/** Whether our own colours go to `stream`. */
export function ownColoursOn(stream: OutputStream, settings: ColourSettings = processSettings()): boolean {
  if (noColour(settings)) return false;
  const forced = settings.env.FORCE_COLOR;
  if (forced !== undefined) return forced !== '0' && forced !== 'false';
  return stream.isTTY === true && settings.env.TERM !== 'dumb';
}

/** Whether Alluxio's own colour codes are printed (terminal or not). */
export function alluxioColoursOn(settings: ColourSettings = processSettings()): boolean {
  return !noColour(settings);
}

/** The colours we paint with: each returns its text coloured, or as it is. */
export interface Palette {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const same = (text: string) => text;
export const PLAIN: Palette = {red: same, green: same, yellow: same, cyan: same};

let chalk: typeof Chalk | undefined;

/**
 * Loads chalk when our colours go to stdout or stderr (every command does this first): output to pipes and files,
 * scripts and CI, never pays for it at start-up.
 */
export async function loadColours(settings: ColourSettings = processSettings()): Promise<void> {
  if (ownColoursOn(process.stdout, settings) || ownColoursOn(process.stderr, settings)) chalk ??= await import('chalk');
}

/** Our own colours for text written to `stream` (16 colours are all we use); plain before loadColours(). */
export function colours(stream: OutputStream, settings?: ColourSettings): Palette {
  return chalk && ownColoursOn(stream, settings) ? new chalk.Chalk({level: 1}) : PLAIN;
}

/** The colours of Alluxio's own output, with its exact codes (a reset, `ESC[0m`, where chalk would close with 39). */
export function alluxioColours(settings?: ColourSettings) {
  const on = alluxioColoursOn(settings);
  const code = (n: number) => (text: string) => (on ? `\u001b[${n}m${text}\u001b[0m` : text);
  return {red: code(31), green: code(32), cyan: code(36)};
}

/** The `Hint:` word of an error's lines (a first line is the message, whatever it says). */
export function paintHint(lines: readonly string[], c: Palette): string[] {
  return lines.map((line, i) => (i > 0 && line.startsWith('Hint: ') ? `${c.cyan('Hint:')}${line.slice(5)}` : line));
}

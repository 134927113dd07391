import {Errors, handle} from '@oclif/core';
import {renderError} from './errors.js';

/**
 * Reports an error that escaped oclif's run. Our commands report their own, so these come from a plugin's command
 * (`autocomplete`, `help`) or from oclif itself: rendered as ours are (one line, a Usage or Hint line, exit 2 or
 * 255) instead of oclif's boxed text with raw system errors. oclif still handles `this.exit()`.
 */
export async function reportUncaught(error: unknown): Promise<void> {
  if (error instanceof Errors.ExitError) return handle(error);
  const id = (error as {parse?: {input?: {context?: {id?: string}}}}).parse?.input?.context?.id;
  const command = id?.replaceAll(':', ' ');
  const usage = command && `${command} [<args>] ("alluxio ${command} --help" shows them)`;
  const rendered = renderError(error, {usage, debug: process.argv.includes('--debug')});
  process.stderr.write(rendered.lines.join('\n') + '\n');
  process.exitCode = rendered.exitCode;
}

import {Config, Errors, handle} from '@oclif/core';
import {usageError} from '../errors.js';
import {TOPICS} from './argv.js';
import {jsonRequested, renderError} from './errors.js';
import {commandNames, unknownCommandMessage, unknownCommandUsage} from './unknown-command.js';

/**
 * Reports an error that escaped oclif's run. Our commands report their own, so these come from a plugin's command
 * (`autocomplete`, `help`) or from oclif itself: rendered as ours are (one line, a Usage or Hint line, exit 2 or
 * 255; the error object under --json) instead of oclif's boxed text with raw system errors. oclif still handles
 * `this.exit()`.
 */
export async function reportUncaught(error: unknown): Promise<void> {
  if (error instanceof Errors.ExitError) return handle(error);
  const id = (error as {parse?: {input?: {context?: {id?: string}}}}).parse?.input?.context?.id;
  const command = id?.replaceAll(':', ' ');
  let usage = command && `${command} [<args>] ("alluxio ${command} --help" shows them)`;
  const unknown = error instanceof Errors.CLIError ? /^Command (\S+) not found\.?$/.exec(error.message) : null;
  let reported = error;
  if (unknown) {
    // `alluxio help <name>` of a command that does not exist: the unknown-command line, as typing it gives.
    const words = unknown[1].split(/[: ]/);
    const topic = words.length > 1 && TOPICS.includes(words[0]) ? words.shift() : undefined;
    const config = await Config.load(new URL('../..', import.meta.url).pathname);
    reported = usageError(unknownCommandMessage(words.join(' '), commandNames(config, topic)));
    // renderError puts `alluxio ` before a usage.
    usage = unknownCommandUsage(topic).replace(/^alluxio /, '');
  }
  const rendered = renderError(reported, {usage, debug: process.argv.includes('--debug')});
  if (jsonRequested(process.argv.slice(2))) process.stderr.write(JSON.stringify(rendered.json) + '\n');
  else process.stderr.write(rendered.lines.join('\n') + '\n');
  process.exitCode = rendered.exitCode;
}

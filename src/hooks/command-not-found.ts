import type {Hook} from '@oclif/core';
import {TOPICS} from '../cli/argv.js';
import {jsonRequested} from '../cli/errors.js';
import {commandNames, unknownCommandMessage, unknownCommandUsage} from '../cli/unknown-command.js';
import {escapeControl} from '../util/control-characters.js';

/**
 * oclif joins the words of the line into one id (`fs:headx:/x`, `version:extra`). When its start is a command,
 * the rest are arguments that command does not take; else the first word after a topic is an unknown command,
 * named as typed with Alluxio's text and the nearest command name. Both are usage errors: exit 2.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':');
  for (let n = words.length - 1; n > 0; n--) {
    const command = this.config.findCommand(words.slice(0, n).join(':'));
    if (command) {
      const usage = typeof command.usage === 'string' ? command.usage : words.slice(0, n).join(' ');
      fail(`Unexpected argument: ${words[n]}`, `alluxio ${usage}`, options.argv);
      return;
    }
  }
  const topic = words.length > 1 && TOPICS.includes(words[0]) ? words.shift() : undefined;
  fail(unknownCommandMessage(words[0], commandNames(this.config, topic)), unknownCommandUsage(topic), options.argv);
};

function fail(message: string, usage: string, argv: string[] = []): void {
  // Under --json, the error object every command prints (its usage line is for people).
  if (jsonRequested(argv)) process.stderr.write(JSON.stringify({error: {kind: 'USAGE', message: escapeControl(message)}}) + '\n');
  else process.stderr.write(`${escapeControl(message)}\nUsage: ${escapeControl(usage)}\n`);
  process.exitCode = 2;
}

export default hook;

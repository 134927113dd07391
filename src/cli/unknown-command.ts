import type {Interfaces} from '@oclif/core';
import {nearest} from '../util/nearest.js';

/**
 * Alluxio's unknown-command line, on which the nearest command name follows when one is near enough to be what
 * was meant (`copyFromLocl is an unknown command. Did you mean copyFromLocal?`): the error stays one line.
 */
export function unknownCommandMessage(name: string, candidates: Iterable<string>): string {
  const suggestion = suggestCommand(name, candidates);
  return `${name} is an unknown command.` + (suggestion ? ` Did you mean ${suggestion}?` : '');
}

/** The usage line after an unknown command (after `alluxio`, or `alluxio <topic>`): where the commands are listed. */
export function unknownCommandUsage(topic?: string): string {
  const prefix = ['alluxio', ...(topic ? [topic] : [])].join(' ');
  return `${prefix} <command> [<args>] ("${prefix} --help" lists the commands)`;
}

/**
 * The command name a mistyped one most likely meant, ignoring case: at most one edit in four letters (at least
 * one edit), so that a typo finds its command and an unrelated word finds none. Names of one or two letters are
 * too short to tell a typo from another word.
 */
export function suggestCommand(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length < 3) return undefined;
  return nearest(name, candidates, Math.max(1, Math.floor(name.length / 4)));
}

/**
 * The visible names a user can type after `alluxio` (commands and topics), or after `alluxio <topic>`, aliases
 * included, sorted.
 */
export function commandNames(config: Pick<Interfaces.Config, 'commands'>, topic?: string): string[] {
  const names = new Set<string>();
  for (const command of config.commands) {
    if (command.hidden) continue;
    const words = command.id.split(':');
    if (topic === undefined) names.add(words[0]);
    else if (words.length === 2 && words[0] === topic) names.add(words[1]);
  }
  return [...names].sort();
}

import type {Config} from '@oclif/core';

/** One `fs` command as the usage list and `fs help` show it. */
export interface FsCommandInfo {
  /** The command's name after `fs` (`rm`). */
  name: string;
  /** Alluxio's usage line without the `fs ` prefix (`rm [-R/-r/--recursive] ... <path>`). */
  usage: string;
  description: string;
  options: {short?: string; long: string; takesValue: boolean; description: string}[];
}

const WIDTH = 80;

/** What bare `alluxio fs` prints (Alluxio's `"%-60s%n"` of `"\t [" + usage + "]"`, sorted by name). */
export function formatFsUsageList(commands: FsCommandInfo[]): string[] {
  return ['Usage: alluxio fs [generic options]', ...sorted(commands).map((c) => `\t [${c.usage}]`.padEnd(60))];
}

/** `fs help`: per command its wrapped description, usage line and option table, each block ending in an empty line. */
export function formatFsHelp(commands: FsCommandInfo[]): string[] {
  return sorted(commands).flatMap((c) => [
    ...wrap(`${c.name}: ${c.description}`, WIDTH),
    `usage: ${c.usage}`,
    ...optionTable(c.options),
    '',
  ]);
}

function sorted(commands: FsCommandInfo[]): FsCommandInfo[] {
  return [...commands].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Commons CLI's table: ` -R,--recursive`, `    --alluxioOnly`, ` -c <arg>`, padded, 3 spaces, then the text. */
function optionTable(options: FsCommandInfo['options']): string[] {
  const key = (o: FsCommandInfo['options'][number]) => (o.short ?? o.long).toLowerCase();
  const rows = [...options]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map((o) => {
      const names = o.short === undefined ? `    --${o.long}` : ` -${o.short},--${o.long}`;
      return {left: o.takesValue ? `${names} <arg>` : names, text: o.description};
    });
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows.map((r) => `${r.left.padEnd(width)}   ${r.text}`);
}

/** Words wrapped at `width` columns; a word longer than a line stands alone on it. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Flags every command has, not part of a command's own options. */
const GENERIC_FLAGS = new Set(['json', 'debug', 'no-color']);

/** The `fs` commands this build has (aliases left out), read from oclif's command set so the lists never go stale. */
export function fsCommandsOf(config: Config): FsCommandInfo[] {
  const byId = new Map(config.commands.filter((c) => c.id.startsWith('fs:') && !c.hidden && !c.aliases.includes(c.id)).map((c) => [c.id, c]));
  return [...byId.values()].map((c) => {
    const usage = typeof c.usage === 'string' ? c.usage : (c.usage?.[0] ?? c.id.replace(/:/g, ' '));
    return {
      name: c.id.slice('fs:'.length),
      usage: usage.replace(/^fs /, ''),
      description: c.description ?? c.summary ?? '',
      options: Object.entries(c.flags)
        .filter(([name, flag]) => !GENERIC_FLAGS.has(name) && !flag.hidden)
        .map(([name, flag]) => ({
          short: flag.char,
          long: name,
          takesValue: flag.type === 'option',
          description: flag.description ?? flag.summary ?? '',
        })),
    };
  });
}

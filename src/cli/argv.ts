/** System properties given on the command line (`alluxio fs -Dkey=value ls /`), highest of their source. */
const commandLineProperties: Record<string, string> = {};

const SYSTEM_PROPERTY = /^-D([^=]+)(?:=(.*))?$/s;

/** The topics of package.json's oclif section: words that start a command id without completing it. */
export const TOPICS: readonly string[] = ['fs', 'doctor', 'fsadmin'];

/** Flags every command takes (`--json` where the command has it), wherever they stand. */
const GLOBAL_FLAGS = new Set(['--debug', '--json', '--no-color']);

/** Removes every `-Dkey[=value]` token from argv, remembers it, and returns the rest. */
export function takeSystemProperties(argv: string[]): string[] {
  const rest: string[] = [];
  for (const token of argv) {
    const match = SYSTEM_PROPERTY.exec(token);
    if (match) commandLineProperties[match[1].trim()] = (match[2] ?? '').trim();
    else rest.push(token);
  }
  return rest;
}

/**
 * Moves global flags typed before the end of the command id (`alluxio fs --json ls /`) after it, where oclif
 * looks for them: oclif would otherwise take `fs` alone for the command and print the topic's help.
 */
export function moveGlobalFlags(argv: string[]): string[] {
  const id: string[] = [];
  const moved: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i];
    if (GLOBAL_FLAGS.has(token)) {
      moved.push(token);
      continue;
    }
    if (token.startsWith('-')) break;
    id.push(token);
    if (!TOPICS.includes(token)) {
      i++;
      break;
    }
  }
  return [...id, ...moved, ...argv.slice(i)];
}

export function getCommandLineProperties(): Record<string, string> {
  return {...commandLineProperties};
}

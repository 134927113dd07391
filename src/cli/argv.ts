/** System properties given on the command line (`alluxio fs -Dkey=value ls /`), highest of their source. */
const commandLineProperties: Record<string, string> = {};

const SYSTEM_PROPERTY = /^-D([^=]+)(?:=(.*))?$/s;

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

export function getCommandLineProperties(): Record<string, string> {
  return {...commandLineProperties};
}

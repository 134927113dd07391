import {usageError} from '../errors.js';

/** `--option key=value` flags of `mount` and `updateMount`, as Alluxio splits them (at the first `=`). */
export function parseMountOptions(flags: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const option of flags) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw usageError(`Invalid --option ${option}: expected key=value`);
    options[option.slice(0, eq).trim()] = option.slice(eq + 1);
  }
  return options;
}

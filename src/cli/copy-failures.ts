import {CopyFailures} from '../fs/local-copy.js';
import {escapeControl} from '../util/control-characters.js';

/**
 * Reports the files a multi-file copy could not copy, after the others were: Alluxio's `ERRORS:` block (or its
 * lines joined), one failure per line on stderr, exit 255. False for any other error, which the caller rethrows.
 */
export function reportCopyFailures(e: unknown, json: boolean): boolean {
  if (!(e instanceof CopyFailures)) return false;
  process.exitCode = 255;
  if (json) {
    process.stderr.write(JSON.stringify({error: {kind: e.kind, message: e.header ?? e.failures[0], failures: e.failures}}) + '\n');
  } else {
    const lines = [...(e.header ? [e.header] : []), ...e.failures];
    process.stderr.write(lines.map((l) => escapeControl(l)).join('\n') + '\n');
  }
  return true;
}

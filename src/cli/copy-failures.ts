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
    // The error object of schemas/error.json: one failure as it is, several as MULTIPLE (one message per line).
    const messages = e.failures.map((l) => escapeControl(l));
    const kind = messages.length === 1 ? e.kind : 'MULTIPLE';
    process.stderr.write(JSON.stringify({error: {kind, message: messages.join('\n')}}) + '\n');
  } else {
    const lines = [...(e.header ? [e.header] : []), ...e.failures];
    process.stderr.write(lines.map((l) => escapeControl(l)).join('\n') + '\n');
  }
  return true;
}

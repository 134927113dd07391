import {randomBytes} from 'node:crypto';
import {readdirSync, rmSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';

/** This host's name as it may stand in a file name. */
export const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
/** Files that S3 uploads stage in alluxio.tmp.dirs (a whole file, or a streamed part), and copyFromLocal's spool. */
export const STAGING_PREFIXES = {whole: 'alluxio-s3-', part: 'alluxio-part-', spool: 'alluxio-copy-'} as const;

const OWNER = /(\d+)@([A-Za-z0-9-]*)-[0-9a-f]{12}(?:\.[a-z.]+)?$/;

/**
 * A temporary file's name that says who writes it, `<prefix><pid>@<host>-<random><suffix>`, so that whoever finds
 * it later can tell whether its writer still runs (a process killed with SIGKILL cleans nothing up).
 */
export function temporaryName(prefix: string, suffix = ''): string {
  return `${prefix}${process.pid}@${HOST}-${randomBytes(6).toString('hex')}${suffix}`;
}

/**
 * Whether a temporary file was left by a writer that is gone. A writer on this host is asked directly: its file is
 * abandoned exactly when its process no longer runs, however old (a stalled writer, or a spool folder whose mtime
 * stays put while the data inside grows, is still live). A writer on another host (a shared folder) cannot be
 * asked, so its file counts as abandoned once nobody wrote to it for `maxAgeMs`. A name without a writer in it is
 * another program's file, whatever its prefix, and never abandoned.
 */
export function isAbandoned(name: string, modifiedMs: number, maxAgeMs: number, now = Date.now()): boolean {
  const owner = OWNER.exec(name);
  if (owner === null) return false;
  if (owner[2] === HOST) return Number(owner[1]) !== process.pid && !processRuns(Number(owner[1]));
  return now - modifiedMs >= maxAgeMs;
}

/** Whether this process writes the temporary file `name`. */
export function isOwnTemporary(name: string): boolean {
  const owner = OWNER.exec(name);
  return owner !== null && owner[2] === HOST && Number(owner[1]) === process.pid;
}

/** Whether a process of this host runs with that pid. */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The temporaries named `<prefix>…` (with their writer in the name) directly in `dir`, split into those of running writers (with their names) and
 * the abandoned ones, which are removed (unless `dryRun`). A missing folder has none.
 */
export function sweepTemporaries(
  dir: string,
  prefixes: readonly string[],
  maxAgeMs: number,
  dryRun = false,
): {live: string[]; removed: string[]} {
  const live: string[] = [];
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return {live, removed};
  }
  const now = Date.now();
  for (const name of names) {
    if (!prefixes.some((p) => name.startsWith(p)) || !OWNER.test(name)) continue;
    const path = join(dir, name);
    let modified: number;
    try {
      modified = statSync(path).mtimeMs;
    } catch {
      continue;
    }
    if (!isAbandoned(name, modified, maxAgeMs, now)) {
      live.push(name);
      continue;
    }
    try {
      if (!dryRun) rmSync(path, {recursive: true, force: true});
      removed.push(path);
    } catch {
      // Another user's file in a shared folder: not ours to remove.
    }
  }
  return {live, removed};
}

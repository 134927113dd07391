/**
 * Whether a master serves this namespace on this host: `${alluxio.work.dir}/master.pid` (JSON with at least `pid`,
 * written by the master at start) names a process that runs. CLI commands then leave their ASYNC_THROUGH files
 * to it rather than uploading them before they exit.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Configuration} from '../conf/configuration.js';
import {processRuns} from '../util/temp-files.js';

export function masterPidFile(conf: Configuration): string {
  return join(conf.get('alluxio.work.dir'), 'master.pid');
}

export function masterRunsHere(conf: Configuration): boolean {
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(masterPidFile(conf), 'utf8')) as {pid?: unknown}).pid;
  } catch {
    // No master started here, or a pid file cut short by a crash: nobody to hand over to.
    return false;
  }
  return Number.isSafeInteger(pid) && (pid as number) > 0 && pid !== process.pid && processRuns(pid as number);
}

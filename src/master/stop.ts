/**
 * `alluxio-stop.sh local|master|all`: SIGTERM to the master named by the pid file, then wait for it to end, as
 * Alluxio's `killAll` does (but polling every 100 ms rather than every second, so a restart is quick).
 */
import {hostname} from 'node:os';
import type {Configuration} from '../conf/configuration.js';
import {isRunning, pidFilePath, readPidFile, readLiveMaster, releasePidFile} from './pid-file.js';

export interface ScriptIo {
  out(line: string): void;
  err(line: string): void;
}

const POLL_MS = 100;
const GRACE_MS = 120_000;

export async function stopMaster(conf: Configuration, options: {soft: boolean}, io: ScriptIo): Promise<void> {
  const live = readLiveMaster(conf, (note) => io.out(note));
  if (!live) return;
  const file = pidFilePath(conf);
  // Re-read for the start time: readLiveMaster checked it, and every signal below is sent only while it matches.
  const record = readPidFile(file);
  if (!record || record.pid !== live.pid) return;
  const host = hostname();
  if (!signal(record.pid, 'SIGTERM')) return;
  const deadline = Date.now() + GRACE_MS;
  while (isRunning(record) && Date.now() < deadline) await sleep(POLL_MS);
  if (isRunning(record)) {
    if (options.soft) {
      io.err(`Process [${record.pid}] did not complete after ${GRACE_MS / 1000} seconds, failing to kill it.`);
      io.out(`Soft kill option -s specified, failed to kill 1 process(es) on ${host}`);
      return;
    }
    io.err(`Process [${record.pid}] did not complete after ${GRACE_MS / 1000} seconds, forcibly killing it.`);
    signal(record.pid, 'SIGKILL');
    while (isRunning(record)) await sleep(POLL_MS);
  }
  // A master killed with SIGKILL could not remove its own pid file.
  releasePidFile(file, record.pid);
  io.out(`Successfully Killed 1 process(es) successfully on ${host}`);
}

/** Sends `sig` to `pid`; false when the process is already gone. */
function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

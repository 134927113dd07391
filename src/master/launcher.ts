/**
 * `alluxio-start.sh local|master|all`: stop a running master (unless -N), format (with -f), launch `alluxio master`
 * detached with its output in master.out, then (unless -a) watch it come up as Alluxio's monitor does.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import {hostname} from 'node:os';
import path from 'node:path';
import {getCommandLineProperties} from '../cli/argv.js';
import {alluxioColours} from '../cli/colour.js';
import type {Configuration} from '../conf/configuration.js';
import {INSTALL_DIR, loginUser} from '../context.js';
import {format} from '../fs/format.js';
import {logsDirIsOurs, openPrivateLog, privateFolder} from '../log/log-files.js';
import {escapeControl} from '../util/control-characters.js';
import {masterLogFile} from './master-log.js';
import {pidFilePath, readPidFile, releasePidFile} from './pid-file.js';
import type {StartOptions} from './start-args.js';
import {type ScriptIo, stopMaster} from './stop.js';

const TAIL_LINES = 30;
const BANNER = '-'.repeat(41);

/** Runs the start; returns the exit status. */
export async function startMaster(
  conf: Configuration,
  options: Omit<StartOptions, 'action'> & {debug: boolean},
  io: ScriptIo,
): Promise<number> {
  if (!options.keepRunning) await stopMaster(conf, {soft: false}, io);
  const host = hostname();
  if (options.format) await formatAll(conf, host, io);
  const logsDir = conf.get('alluxio.logs.dir');
  io.out(`Starting master @ ${host}. Logging to ${escapeControl(logsDir)}`);
  const child = launch(conf, logsDir, options.debug);
  if (options.async) return options.wait ? exitOf(child) : detach(child);
  // Alluxio's monitor colours its lines, into pipes too.
  const {cyan, green, red} = alluxioColours();
  io.out(BANNER);
  io.out(`Starting to monitor ${cyan('all local')} services.`);
  io.out(BANNER);
  const failure = await waitUntilServing(conf, child);
  if (failure === undefined) {
    io.out(`--- [ ${green('OK')} ] The master service @ ${host} is in a healthy state.`);
    return options.wait ? exitOf(child) : detach(child);
  }
  io.out(`--- [ ${red('FAILED')} ] The master @ ${host} is not serving requests.`);
  const out = path.join(logsDir, 'master.out');
  for (const file of [masterLogFile(conf), out]) printTail(file, io);
  if (child.exitCode === null && child.signalCode === null) {
    // Never leave a master behind that the user was told failed.
    killGroup(child);
    await new Promise((resolve) => child.once('exit', resolve));
    releasePidFile(pidFilePath(conf), child.pid as number);
  }
  for (const line of failure) io.err(line);
  return 1;
}

function detach(child: ChildProcess): number {
  child.unref();
  return 0;
}

/** -w: waits for the master to exit; 0 when it stopped cleanly (alluxio-stop.sh), 1 when it failed or was killed. */
async function exitOf(child: ChildProcess): Promise<number> {
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  return child.exitCode === 0 ? 0 : 1;
}

async function formatAll(conf: Configuration, host: string, io: ScriptIo): Promise<void> {
  io.out(`Formatting Alluxio Master @ ${host}`);
  io.out(`Formatting Alluxio Worker @ ${host}`);
  await format(conf, process.env, false, loginUser(conf));
}

/**
 * `node bin/alluxio master` in a process group of its own (a Ctrl-C at the terminal does not reach it), its
 * stdout and stderr in master.out (truncated, as Alluxio's `>` does), with this process's environment and -D
 * properties so that it resolves the same configuration.
 */
function launch(conf: Configuration, logsDir: string, debug: boolean): ChildProcess {
  privateFolder(logsDir, logsDirIsOurs(conf));
  const fd = openPrivateLog(path.join(logsDir, 'master.out'));
  try {
    fs.ftruncateSync(fd, 0);
    const properties = Object.entries(getCommandLineProperties()).map(([k, v]) => `-D${k}=${v}`);
    // master.out is a log file, read back by the monitor: no colour in it, whatever FORCE_COLOR says.
    const args = [path.join(INSTALL_DIR, 'bin', 'alluxio'), 'master', ...properties, '--no-color', ...(debug ? ['--debug'] : [])];
    return spawn(process.execPath, args, {detached: true, stdio: ['ignore', fd, fd], env: process.env});
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Waits until the master serves requests: its pid file names the child and its web server answers HTTP (any
 * answer: the pid file, written once the server listens, says whose server it is). Polls with Alluxio's backoff
 * (50 ms doubling to 1 s), woken early when the pid file appears. Returns the lines to print on failure.
 */
async function waitUntilServing(conf: Configuration, child: ChildProcess): Promise<string[] | undefined> {
  const timeoutMs = conf.getDurationMs('alluxio.master.startup.timeout');
  const deadline = Date.now() + timeoutMs;
  const pidFile = pidFilePath(conf);
  let exited = false;
  let wake: () => void = () => undefined;
  child.once('exit', () => {
    exited = true;
    wake();
  });
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(pidFile), () => wake());
  } catch {
    // Polling alone still works.
  }
  try {
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      if (exited) return ownError(conf) ?? [`The master exited (${exitStatus(child)}) before serving requests; see master.log and master.out above`];
      const record = readPidFile(pidFile);
      if (record !== undefined && record.pid === child.pid && (await answers(`${record.url}/api/v1/master/info`))) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) {
        return [
          `The master did not serve requests within ${timeoutMs / 1000} s (alluxio.master.startup.timeout); see master.log and master.out above`,
        ];
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(delay, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    watcher?.close();
  }
}

/** Whether the master's health check, `url`, answers 200 (Alluxio's monitor asks the master itself, not the port). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, {agent: false, timeout: 1000}, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The master's own error: the last line of master.out, with the line before when that one is its hint. */
function ownError(conf: Configuration): string[] | undefined {
  const lines = tail(path.join(conf.get('alluxio.logs.dir'), 'master.out'), 2);
  if (lines.length === 0) return undefined;
  const last = lines[lines.length - 1];
  return last.startsWith('Hint: ') && lines.length === 2 ? lines : [last];
}

function exitStatus(child: ChildProcess): string {
  return child.signalCode ? `killed by ${child.signalCode}` : `exit code ${child.exitCode}`;
}

/** Alluxio's log tail after a failed check: the last 30 lines of `file`, framed. */
function printTail(file: string, io: ScriptIo): void {
  io.out(`--- Printing the log tail for ${escapeControl(file)}`);
  const lines = tail(file, TAIL_LINES);
  if (lines.length === 0) {
    io.out('--- EMPTY ---');
    return;
  }
  io.out('>>> BEGIN');
  for (const line of lines) io.out(escapeControl(line));
  io.out('<<< EOF');
}

/** The last `n` non-empty lines of a file, reading at most its last 256 KB (a log may be large). */
function tail(file: string, n: number): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-n);
  } finally {
    fs.closeSync(fd);
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

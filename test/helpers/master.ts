/**
 * Masters started by tests through bin/alluxio-start.sh: the script runner, the pid file, and `killMasters()` for
 * afterEach, which SIGKILLs every master a test started (found by pid file and by the home in its environment)
 * whatever happened, so no test leaves a process behind.
 */
import {spawn} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {join} from 'node:path';

import {type Home, type RunResult, REPO_DIR, collect} from './cli.js';

const homes: Home[] = [];
const masters = new Set<number>();

/** Registers a home whose masters `killMasters()` must kill. */
export function trackHome(home: Home): Home {
  homes.push(home);
  return home;
}

/** For afterEach: kills every master of every tracked home. */
export function killMasters(): void {
  for (const home of homes.splice(0)) {
    const pid = pidFileOf(home)?.pid;
    if (pid) masters.add(pid);
    for (const p of processesOf(home)) masters.add(p);
  }
  for (const pid of masters) kill(pid, 'SIGKILL');
  masters.clear();
}

export function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export function alive(pid: number): boolean {
  try {
    // A zombie still answers kill 0: look at its state.
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live processes running with this home as ALLUXIO_HOME: what a test leaves behind, whatever its pid file says. */
export function processesOf(home: Home): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`ALLUXIO_HOME=${home.dir}`) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone, or another user's
    }
  }
  return found;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const pidFile = (home: Home) => join(home.dir, 'master.pid');

export function pidFileOf(home: Home): {pid: number; processStart: string; url: string} | undefined {
  try {
    return JSON.parse(readFileSync(pidFile(home), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs bin/alluxio-<name>.sh as a user types it, with the home's isolated environment. */
export async function runScript(home: Home, name: 'start' | 'stop', args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const child = spawn(join(REPO_DIR, 'bin', `alluxio-${name}.sh`), args, {
    cwd: home.dir,
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TZ: 'UTC', AWS_EC2_METADATA_DISABLED: 'true', ...home.env, ...env} as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result = await collect(child, [`alluxio-${name}.sh`, ...args], {timeoutMs: 50_000});
  const pid = pidFileOf(home)?.pid;
  if (pid) masters.add(pid);
  return result;
}

/** The status code of GET url (undefined when nothing answers). */
export function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    http.get(url, {agent: false, timeout: 2000}, (r) => {
      r.resume();
      resolve(r.statusCode);
    }).on('error', () => resolve(undefined));
  });
}

export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

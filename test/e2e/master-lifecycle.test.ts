/**
 * bin/alluxio-start.sh and bin/alluxio-stop.sh as a user runs them: the master launched detached and watched until
 * it serves requests, stopped by its pid file, never a stranger killed, never an orphan left after a failed start.
 * Every master a test starts is killed in afterEach, even when the test failed.
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';

import {type Home, type RunResult, REPO_DIR, cleanupHomes, collect, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';

const HOST = hostname();
const CYAN = (s: string) => `\u001b[36m${s}\u001b[0m`;
const GREEN = (s: string) => `\u001b[32m${s}\u001b[0m`;
const RED = (s: string) => `\u001b[31m${s}\u001b[0m`;
const MONITOR = ['-'.repeat(41), `Starting to monitor ${CYAN('all local')} services.`, '-'.repeat(41)];
const OK = `--- [ ${GREEN('OK')} ] The master service @ ${HOST} is in a healthy state.`;

const homes: Home[] = [];
/** Pids of every master seen, killed after each test whatever happened. */
const masters = new Set<number>();

afterEach(() => {
  for (const home of homes.splice(0)) {
    const pid = pidFileOf(home)?.pid;
    if (pid) masters.add(pid);
    for (const p of processesOf(home)) masters.add(p);
  }
  for (const pid of masters) kill(pid, 'SIGKILL');
  masters.clear();
});
afterAll(cleanupHomes);

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill 0: look at its state.
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live processes running with this home as ALLUXIO_HOME: what a test leaves behind, whatever its pid file says. */
function processesOf(home: Home): number[] {
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function masterHome(site: Record<string, string> = {}): Promise<Home> {
  const home = makeHome({site: {'alluxio.master.web.port': String(await freePort()), ...site}});
  homes.push(home);
  return home;
}

const portOf = (home: Home) => Number(/alluxio\.master\.web\.port=(\d+)/.exec(readFileSync(home.siteFile, 'utf8'))?.[1]);
const pidFile = (home: Home) => join(home.dir, 'master.pid');
const masterLog = (home: Home) => join(home.dir, 'logs', 'master.log');

function pidFileOf(home: Home): {pid: number; processStart: string; url: string} | undefined {
  try {
    return JSON.parse(readFileSync(pidFile(home), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs bin/alluxio-<name>.sh as a user types it, with the home's isolated environment. */
async function script(home: Home, name: 'start' | 'stop', args: string[], env: Record<string, string> = {}): Promise<RunResult> {
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
function get(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    http.get(url, {agent: false, timeout: 2000}, (r) => {
      r.resume();
      resolve(r.statusCode);
    }).on('error', () => resolve(undefined));
  });
}

function expectClean(r: RunResult): void {
  expect(crashSigns(r), describeResult(r)).toEqual([]);
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pids every master run in this home logged at start (master.log keeps all runs). */
const loggedPids = (home: Home) =>
  [...readFileSync(masterLog(home), 'utf8').matchAll(/Starting Alluxio master @ .* pid (\d+),/g)].map((m) => Number(m[1]));

describe('alluxio-start.sh local / alluxio-stop.sh local', () => {
  it('starts the master, which serves the UI, and stops it: no process left', async () => {
    const home = await masterHome();
    const started = Date.now();
    const r = await script(home, 'start', ['local']);
    const took = Date.now() - started;
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr, describeResult(r)).toBe('');
    expect(lines(r.stdout)).toEqual([
      'Assuming NoMount by default.',
      `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`,
      ...MONITOR,
      OK,
    ]);
    const record = pidFileOf(home);
    expect(record?.url).toBe(`http://127.0.0.1:${portOf(home)}`);
    const pid = record?.pid as number;
    expect(alive(pid)).toBe(true);
    // Answers as soon as start returns: no sleep needed.
    expect(await get(`${record?.url}/api/v1/master/info`)).toBeDefined();
    // Generous on a shared 2-core machine; the benchmark measures the real figure.
    expect(took).toBeLessThan(10_000);

    const s = await script(home, 'stop', ['local']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(s.stderr).toBe('');
    expect(lines(s.stdout)).toEqual([`Successfully Killed 1 process(es) successfully on ${HOST}`]);
    expect(alive(pid)).toBe(false);
    expect(processesOf(home)).toEqual([]);
    expect(existsSync(pidFile(home))).toBe(false);
    expect(await get(`${record?.url}/`)).toBeUndefined();
    expect(readFileSync(masterLog(home), 'utf8')).toMatch(/INFO {2}AlluxioMaster - Alluxio master ended\n$/);
  });

  it('starting twice stops the first master before starting the second: one master after', async () => {
    const home = await masterHome();
    expect((await script(home, 'start', ['master'])).code).toBe(0);
    const first = pidFileOf(home)?.pid as number;
    const r = await script(home, 'start', ['master']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)).toEqual([
      `Successfully Killed 1 process(es) successfully on ${HOST}`,
      `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`,
      ...MONITOR,
      OK,
    ]);
    const second = pidFileOf(home)?.pid as number;
    expect(second).not.toBe(first);
    expect(alive(first)).toBe(false);
    expect(processesOf(home)).toEqual([second]);
  });

  it('-N leaves the running master alone: the second one refuses to run beside it, and the first keeps serving', async () => {
    const home = await masterHome();
    expect((await script(home, 'start', ['all'])).code).toBe(0);
    const first = pidFileOf(home)?.pid as number;
    const r = await script(home, 'start', ['-N', 'all']);
    expectClean(r);
    expect(r.code, describeResult(r)).toBe(1);
    expect(lines(r.stdout)).toContain(`--- [ ${RED('FAILED')} ] The master @ ${HOST} is not serving requests.`);
    expect(lines(r.stderr).at(-1)).toMatch(/^Hint: /);
    expect(r.stderr).toContain(`A master is already running (pid ${first}, `);
    expect(pidFileOf(home)?.pid).toBe(first);
    expect(processesOf(home)).toEqual([first]);
  });

  it('stop with no master running prints nothing, exit 0', async () => {
    const home = await masterHome();
    const r = await script(home, 'stop', ['local']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('a stale pid file of a dead process is removed with one line; start then works', async () => {
    const home = await masterHome();
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(pidFile(home), JSON.stringify({pid: gone.pid, processStart: '1', host: HOST, url: 'http://127.0.0.1:1', port: 1, startedAt: 0}));
    const s = await script(home, 'stop', ['local']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(lines(s.stdout)).toEqual([`Removed the stale pid file ${pidFile(home)}: process ${gone.pid} is not the master that wrote it.`]);
    expect(existsSync(pidFile(home))).toBe(false);
    writeFileSync(pidFile(home), 'not a pid file');
    const r = await script(home, 'start', ['local']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)[1]).toBe(`Removed the unreadable pid file ${pidFile(home)}.`);
  });

  it('a pid file naming a live process with another start time (a reused pid) never gets it killed', async () => {
    const home = await masterHome();
    const stranger = spawn('sleep', ['30']);
    try {
      for (const pid of [stranger.pid as number, process.pid]) {
        writeFileSync(pidFile(home), JSON.stringify({pid, processStart: '1', host: HOST, url: 'http://127.0.0.1:1', port: 1, startedAt: 0}));
        const s = await script(home, 'stop', ['local']);
        expect(s.code, describeResult(s)).toBe(0);
        expect(lines(s.stdout)).toEqual([`Removed the stale pid file ${pidFile(home)}: process ${pid} is not the master that wrote it.`]);
        expect(alive(pid)).toBe(true);
      }
      // Nor does start, which stops first.
      writeFileSync(pidFile(home), JSON.stringify({pid: stranger.pid, processStart: '1', host: HOST, url: 'x', port: 1, startedAt: 0}));
      expect((await script(home, 'start', ['local'])).code).toBe(0);
      expect(alive(stranger.pid as number)).toBe(true);
      expect(pidFileOf(home)?.pid).not.toBe(stranger.pid);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('the port in use: one line naming the port and the key, exit 1, no master left behind', async () => {
    const home = await masterHome();
    const port = portOf(home);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const r = await script(home, 'start', ['local']);
      expectClean(r);
      expect(r.code, describeResult(r)).toBe(1);
      const out = lines(r.stdout);
      expect(out.slice(0, 6)).toEqual([
        'Assuming NoMount by default.',
        `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`,
        ...MONITOR,
        `--- [ ${RED('FAILED')} ] The master @ ${HOST} is not serving requests.`,
      ]);
      expect(out).toContain(`--- Printing the log tail for ${masterLog(home)}`);
      expect(out).toContain(`--- Printing the log tail for ${join(home.dir, 'logs', 'master.out')}`);
      expect(out.at(-1)).toBe('<<< EOF');
      expect(lines(r.stderr)).toEqual([
        `Cannot start the web UI: port ${port} is in use (127.0.0.1:${port})`,
        'Hint: Stop what listens there, or set alluxio.master.web.port to a free port.',
      ]);
      expect(existsSync(pidFile(home))).toBe(false);
      expect(loggedPids(home)).toHaveLength(1);
      expect(processesOf(home)).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('a master that does not serve within alluxio.master.startup.timeout is killed, not left running', async () => {
    const home = await masterHome({'alluxio.master.startup.timeout': '1ms'});
    const r = await script(home, 'start', ['local'], {NO_COLOR: '1'});
    expectClean(r);
    expect(r.code, describeResult(r)).toBe(1);
    expect(lines(r.stdout)).toContain(`--- [ FAILED ] The master @ ${HOST} is not serving requests.`);
    expect(lines(r.stdout)).toContain('Starting to monitor all local services.');
    expect(lines(r.stderr)).toEqual([
      'The master did not serve requests within 0.001 s (alluxio.master.startup.timeout); see master.log and master.out above',
    ]);
    expect(processesOf(home)).toEqual([]);
    expect(existsSync(pidFile(home))).toBe(false);
  });

  it('SIGTERM is a clean stop: pid file removed, master.log ends with the end line', async () => {
    const home = await masterHome();
    expect((await script(home, 'start', ['local'])).code).toBe(0);
    const pid = pidFileOf(home)?.pid as number;
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !alive(pid));
    expect(existsSync(pidFile(home))).toBe(false);
    const log = lines(readFileSync(masterLog(home), 'utf8'));
    expect(log.slice(-2).map((l) => l.replace(/^\S+ \S+ /, ''))).toEqual([
      'INFO  AlluxioMaster - Stopping Alluxio master (SIGTERM)',
      'INFO  AlluxioMaster - Alluxio master ended',
    ]);
  });

  it('-a returns without waiting for the master (even one that never comes up); it comes up later', async () => {
    const home = await masterHome();
    const port = portOf(home);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const r = await script(home, 'start', ['-a', 'local']);
      expect(r.code, describeResult(r)).toBe(0);
      expect(lines(r.stdout)).toEqual(['Assuming NoMount by default.', `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`]);
      await waitFor(() => existsSync(masterLog(home)) && /Failed to start the master/.test(readFileSync(masterLog(home), 'utf8')));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    const r = await script(home, 'start', ['-a', '-w', 'local']);
    expect(r.code, describeResult(r)).toBe(0);
    await waitFor(async () => pidFileOf(home) !== undefined && (await get(`http://127.0.0.1:${port}/`)) !== undefined);
  });

  it('-f formats first (through the same code as alluxio format), then starts', async () => {
    const home = await masterHome();
    expect((await home.run(['fs', 'mkdir', '/before'])).code).toBe(0);
    const r = await script(home, 'start', ['local', 'NoMount', '-f']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout).slice(0, 3)).toEqual([
      `Formatting Alluxio Master @ ${HOST}`,
      `Formatting Alluxio Worker @ ${HOST}`,
      `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`,
    ]);
    const ls = await home.run(['fs', 'ls', '/']);
    expect(ls.stdout).not.toContain('/before');
  });

  it('local -f: SudoMount assumed (Alluxio\'s quirk), explained, and the format done', async () => {
    const home = await masterHome();
    const r = await script(home, 'start', ['local', '-f']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout).slice(0, 4)).toEqual([
      'Assuming SudoMount given -f option.',
      "SudoMount: nothing to mount, alluxio-s3's worker cache is a folder (alluxio.worker.tieredstore.level0.dirs.path).",
      `Formatting Alluxio Master @ ${HOST}`,
      `Formatting Alluxio Worker @ ${HOST}`,
    ]);
  });
});

describe('alluxio-start.sh / alluxio-stop.sh usage', () => {
  it('-h: the usage on stdout, exit 0', async () => {
    const home = await masterHome();
    const r = await script(home, 'start', ['-h']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(lines(r.stdout)[0]).toBe('Usage: alluxio-start.sh [-hNwm] [-i backup] ACTION [MOPT] [-f] [-c cache]');
    const s = await script(home, 'stop', []);
    expect([s.code, s.stderr]).toEqual([0, '']);
    expect(lines(s.stdout)[0]).toBe('Usage: alluxio-stop.sh [-h] [component] [-c cache] [-s]');
  });

  it.each([
    [[], 'Error: no ACTION specified'],
    [['bogus'], 'Error: Invalid ACTION: bogus'],
    [['local', 'Bogus'], 'Invalid mount mode: Bogus'],
    [['-x', 'local'], 'alluxio-start.sh: illegal option -- x'],
  ])('start %j: %s and the usage on stderr, exit 1, nothing started', async (args, line) => {
    const home = await masterHome();
    const r = await script(home, 'start', args);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).slice(0, 2)).toEqual([line, 'Usage: alluxio-start.sh [-hNwm] [-i backup] ACTION [MOPT] [-f] [-c cache]']);
    expect(existsSync(masterLog(home))).toBe(false);
  });

  it('start worker: one line, exit 1', async () => {
    const home = await masterHome();
    const r = await script(home, 'start', ['worker']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(lines(r.stderr)).toHaveLength(1);
  });

  it('stop bogus: one line and the usage on stderr, exit 1', async () => {
    const home = await masterHome();
    const r = await script(home, 'stop', ['bogus']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(lines(r.stderr).slice(0, 2)).toEqual(['Error: Invalid component: bogus', 'Usage: alluxio-stop.sh [-h] [component] [-c cache] [-s]']);
  });

  it('the scripts work through a symlink, as npm installs them', async () => {
    const home = await masterHome();
    const link = join(home.dir, 'alluxio-stop.sh');
    symlinkSync(join(REPO_DIR, 'bin', 'alluxio-stop.sh'), link);
    const child = spawn(link, ['-h'], {env: {PATH: process.env.PATH, ...home.env} as NodeJS.ProcessEnv});
    const r = await collect(child, ['alluxio-stop.sh', '-h']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)[0]).toBe('Usage: alluxio-stop.sh [-h] [component] [-c cache] [-s]');
  });
});

describe('alluxio master (in the foreground, as under systemd)', () => {
  it('serves until SIGINT, then stops cleanly with exit 0', async () => {
    const home = await masterHome();
    const child = home.start(['master']);
    const done = collect(child, ['master']);
    masters.add(child.pid as number);
    await waitFor(() => pidFileOf(home)?.pid === child.pid);
    expect(await get(`http://127.0.0.1:${portOf(home)}/api/v1/master/info`)).toBeDefined();
    child.kill('SIGINT');
    const r = await done;
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(existsSync(pidFile(home))).toBe(false);
    expect(readFileSync(masterLog(home), 'utf8')).toContain('Stopping Alluxio master (SIGINT)');
  });

  it('a fatal error at start: its line on stderr and in master.log, exit 1', async () => {
    const home = await masterHome({'alluxio.master.web.bind.host': '192.0.2.1'});
    const r = await home.run(['master']);
    expectClean(r);
    expect(r.code, describeResult(r)).toBe(1);
    expect(lines(r.stderr)).toEqual([
      'Cannot start the web UI: 192.0.2.1 is not an address of this host',
      'Hint: Set alluxio.master.web.bind.host to 127.0.0.1, 0.0.0.0 or an address of this host.',
    ]);
    expect(readFileSync(masterLog(home), 'utf8')).toMatch(/ERROR AlluxioMaster - Failed to start the master: Cannot start the web UI: 192\.0\.2\.1 is not/);
    expect(processesOf(home)).toEqual([]);
  });
});

/**
 * bin/alluxio-start.sh and bin/alluxio-stop.sh as a user runs them: the master launched detached and watched until
 * it serves requests, stopped by its pid file, never a stranger killed, never an orphan left after a failed start.
 * Every master a test starts is killed in afterEach, even when the test failed.
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';

import {type Home, type RunResult, REPO_DIR, cleanupHomes, collect, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';
import {alive, freePort, httpStatus, killMasters, pidFile, pidFileOf, processesOf, runScript, trackHome, waitFor} from '../helpers/master.js';

const HOST = hostname();
const CYAN = (s: string) => `\u001b[36m${s}\u001b[0m`;
const GREEN = (s: string) => `\u001b[32m${s}\u001b[0m`;
const RED = (s: string) => `\u001b[31m${s}\u001b[0m`;
const MONITOR = ['-'.repeat(41), `Starting to monitor ${CYAN('all local')} services.`, '-'.repeat(41)];
const OK = `--- [ ${GREEN('OK')} ] The master service @ ${HOST} is in a healthy state.`;

afterEach(killMasters);
afterAll(cleanupHomes);

async function masterHome(site: Record<string, string> = {}): Promise<Home> {
  const home = makeHome({site: {'alluxio.master.web.port': String(await freePort()), ...site}});
  return trackHome(home);
}

const portOf = (home: Home) => Number(/alluxio\.master\.web\.port=(\d+)/.exec(readFileSync(home.siteFile, 'utf8'))?.[1]);
const masterLog = (home: Home) => join(home.dir, 'logs', 'master.log');

function expectClean(r: RunResult): void {
  expect(crashSigns(r), describeResult(r)).toEqual([]);
}

/** The pids every master run in this home logged at start (master.log keeps all runs). */
const loggedPids = (home: Home) =>
  [...readFileSync(masterLog(home), 'utf8').matchAll(/Starting Alluxio master @ .* pid (\d+),/g)].map((m) => Number(m[1]));

describe('alluxio-start.sh local / alluxio-stop.sh local', () => {
  it('starts the master, which serves the UI, and stops it: no process left', async () => {
    const home = await masterHome();
    const started = Date.now();
    const r = await runScript(home, 'start', ['local']);
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
    expect(await httpStatus(`${record?.url}/api/v1/master/info`)).toBeDefined();
    // Generous on a shared 2-core machine; the benchmark measures the real figure.
    expect(took).toBeLessThan(10_000);

    const s = await runScript(home, 'stop', ['local']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(s.stderr).toBe('');
    expect(lines(s.stdout)).toEqual([`Successfully Killed 1 process(es) successfully on ${HOST}`]);
    expect(alive(pid)).toBe(false);
    expect(processesOf(home)).toEqual([]);
    expect(existsSync(pidFile(home))).toBe(false);
    expect(await httpStatus(`${record?.url}/`)).toBeUndefined();
    expect(readFileSync(masterLog(home), 'utf8')).toMatch(/INFO {2}AlluxioMaster - Alluxio master ended\n$/);
  });

  it('starting twice stops the first master before starting the second: one master after', async () => {
    const home = await masterHome();
    expect((await runScript(home, 'start', ['master'])).code).toBe(0);
    const first = pidFileOf(home)?.pid as number;
    const r = await runScript(home, 'start', ['master']);
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
    expect((await runScript(home, 'start', ['all'])).code).toBe(0);
    const first = pidFileOf(home)?.pid as number;
    const r = await runScript(home, 'start', ['-N', 'all']);
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
    const r = await runScript(home, 'stop', ['local']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('a stale pid file of a dead process is removed with one line; start then works', async () => {
    const home = await masterHome();
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(pidFile(home), JSON.stringify({pid: gone.pid, processStart: '1', host: HOST, url: 'http://127.0.0.1:1', port: 1, startedAt: 0}));
    const s = await runScript(home, 'stop', ['local']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(lines(s.stdout)).toEqual([`Removed the stale pid file ${pidFile(home)}: process ${gone.pid} is not the master that wrote it.`]);
    expect(existsSync(pidFile(home))).toBe(false);
    writeFileSync(pidFile(home), 'not a pid file');
    const r = await runScript(home, 'start', ['local']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)[1]).toBe(`Removed the unreadable pid file ${pidFile(home)}.`);
  });

  it('a pid file naming a live process with another start time (a reused pid) never gets it killed', async () => {
    const home = await masterHome();
    const stranger = spawn('sleep', ['30']);
    try {
      for (const pid of [stranger.pid as number, process.pid]) {
        writeFileSync(pidFile(home), JSON.stringify({pid, processStart: '1', host: HOST, url: 'http://127.0.0.1:1', port: 1, startedAt: 0}));
        const s = await runScript(home, 'stop', ['local']);
        expect(s.code, describeResult(s)).toBe(0);
        expect(lines(s.stdout)).toEqual([`Removed the stale pid file ${pidFile(home)}: process ${pid} is not the master that wrote it.`]);
        expect(alive(pid)).toBe(true);
      }
      // Nor does start, which stops first.
      writeFileSync(pidFile(home), JSON.stringify({pid: stranger.pid, processStart: '1', host: HOST, url: 'x', port: 1, startedAt: 0}));
      expect((await runScript(home, 'start', ['local'])).code).toBe(0);
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
      const r = await runScript(home, 'start', ['local']);
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
    const r = await runScript(home, 'start', ['local'], {NO_COLOR: '1'});
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
    expect((await runScript(home, 'start', ['local'])).code).toBe(0);
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
      const r = await runScript(home, 'start', ['-a', 'local']);
      expect(r.code, describeResult(r)).toBe(0);
      expect(lines(r.stdout)).toEqual(['Assuming NoMount by default.', `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`]);
      await waitFor(() => existsSync(masterLog(home)) && /Failed to start the master/.test(readFileSync(masterLog(home), 'utf8')));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    const r = await runScript(home, 'start', ['-a', 'local']);
    expect(r.code, describeResult(r)).toBe(0);
    await waitFor(async () => pidFileOf(home) !== undefined && (await httpStatus(`http://127.0.0.1:${port}/`)) !== undefined);
  });

  it('-w waits for the master to exit after the monitor said OK: exit 0 when alluxio-stop.sh stopped it, 1 when it was killed', async () => {
    const home = await masterHome();
    let settled = false;
    const waiting = runScript(home, 'start', ['-w', 'local']).finally(() => (settled = true));
    await waitFor(async () => pidFileOf(home) !== undefined && (await httpStatus(`${pidFileOf(home)?.url}/api/v1/master/info`)) === 200, 20_000);
    await waitFor(() => readFileSync(masterLog(home), 'utf8').includes('Alluxio master version'));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    expect((await runScript(home, 'stop', ['local'])).code).toBe(0);
    const r = await waiting;
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)).toEqual(['Assuming NoMount by default.', `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`, ...MONITOR, OK]);

    const killed = runScript(home, 'start', ['-w', 'master']);
    await waitFor(() => pidFileOf(home) !== undefined, 20_000);
    process.kill(pidFileOf(home)!.pid, 'SIGKILL');
    expect((await killed).code).toBe(1);
  });

  it('-f formats first (through the same code as alluxio format), then starts', async () => {
    const home = await masterHome();
    expect((await home.run(['fs', 'mkdir', '/before'])).code).toBe(0);
    const r = await runScript(home, 'start', ['local', 'NoMount', '-f']);
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
    const r = await runScript(home, 'start', ['local', '-f']);
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
    const r = await runScript(home, 'start', ['-h']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(lines(r.stdout)[0]).toBe('Usage: alluxio-start.sh [-hNwm] [-i backup] ACTION [MOPT] [-f] [-c cache]');
    const s = await runScript(home, 'stop', []);
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
    const r = await runScript(home, 'start', args);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).slice(0, 2)).toEqual([line, 'Usage: alluxio-start.sh [-hNwm] [-i backup] ACTION [MOPT] [-f] [-c cache]']);
    expect(existsSync(masterLog(home))).toBe(false);
  });

  it('start worker: one line, exit 1', async () => {
    const home = await masterHome();
    const r = await runScript(home, 'start', ['worker']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(lines(r.stderr)).toHaveLength(1);
  });

  it('stop bogus: one line and the usage on stderr, exit 1', async () => {
    const home = await masterHome();
    const r = await runScript(home, 'stop', ['bogus']);
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
    await waitFor(() => pidFileOf(home)?.pid === child.pid);
    expect(await httpStatus(`http://127.0.0.1:${portOf(home)}/api/v1/master/info`)).toBeDefined();
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

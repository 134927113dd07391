/**
 * The S3 guide's "Running Alluxio Locally" as a new user types it, on the local default: `alluxio format`,
 * `bin/alluxio-start.sh local`, the UI answers, `alluxio runTests` passes and its 18 persisted files land in the
 * under storage (the ASYNC_THROUGH ones persisted by the master), `fsadmin report`, a mount made by the CLI shows in
 * the master's mount table at once, `bin/alluxio-stop.sh local` leaves no process. One master for the whole sequence.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import type {WebUiMountTable} from '../../src/master/webui/types.js';
import {parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';
import {freePort, httpStatus, killMasters, pidFileOf, processesOf, runScript, trackHome, waitFor} from '../helpers/master.js';

const HOST = hostname();
const PASSED = '\u001b[32mPassed the test!\u001b[0m';
const TESTS = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'].flatMap((rt) =>
  ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'].flatMap((wt) => ['BASIC', 'BASIC_NON_BYTE_BUFFER'].map((op) => `${op}_${rt}_${wt}`)),
);
/** The 18 files that reach the under storage, with their sizes (BASIC: 20 ints; NON_BYTE_BUFFER: count + 20 ints). */
const PERSISTED = TESTS.filter((t) => !t.endsWith('_MUST_CACHE'))
  .sort()
  .map((name) => [name, name.startsWith('BASIC_NON_BYTE_BUFFER') ? 84 : 80]);

afterAll(killMasters);
afterAll(cleanupHomes);

describe("the guide's workflow on the local default, with a real master", () => {
  let home: Home;
  let port: number;
  let base: string;

  beforeAll(async () => {
    port = await freePort();
    home = trackHome(makeHome({site: {'alluxio.master.web.port': String(port)}}));
    base = `http://127.0.0.1:${port}`;
  });

  const filesInUfs = () => {
    const dir = join(home.ufs, 'default_tests_files');
    return readdirSync(dir)
      .sort()
      .map((name) => [name, statSync(join(dir, name)).size]);
  };

  it('alluxio format, then alluxio-start.sh local: the master serves the UI and its JSON', async () => {
    const f = await home.run(['format']);
    expectSuccess(f);
    expect(lines(f.stdout).at(-1)).toBe('Formatting complete');
    const r = await runScript(home, 'start', ['local']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr, describeResult(r)).toBe('');
    expect(lines(r.stdout).slice(0, 2)).toEqual(['Assuming NoMount by default.', `Starting master @ ${HOST}. Logging to ${join(home.dir, 'logs')}`]);
    expect(pidFileOf(home)?.url).toBe(base);
    const overview = await fetch(`${base}/overview`);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await overview.text()).toContain('Alluxio Summary');
    expect(await httpStatus(`${base}/api/v1/master/info`)).toBe(200);
  });

  it('alluxio runTests passes; the 18 persisted files reach the under storage, the ASYNC_THROUGH ones by the master', async () => {
    const r = await home.run(['runTests'], {timeoutMs: 120_000});
    const d = describeResult(r);
    expect(r.code, d).toBe(0);
    expect(r.stderr, d).toBe('');
    expect(lines(r.stdout).filter((l) => l === PASSED), d).toHaveLength(24);
    expect(r.stdout, d).not.toContain('Failed the test!');
    // The CLI hands its ASYNC_THROUGH files to the master and returns; the master persists them within seconds.
    const persistedByMaster = () =>
      [...readFileSync(join(home.dir, 'logs', 'master.log'), 'utf8').matchAll(/ INFO {2}PersistenceChecker - Persisted (\S+)\n/g)].map((m) => m[1]);
    await waitFor(() => persistedByMaster().length === 6, 15_000);
    expect(persistedByMaster().sort()).toEqual(TESTS.filter((t) => t.endsWith('_ASYNC_THROUGH')).map((t) => `/default_tests_files/${t}`).sort());
    expect(filesInUfs()).toEqual(PERSISTED);
    const ls = await home.run(['fs', 'ls', '/default_tests_files']);
    expectSuccess(ls);
    const states = lines(ls.stdout).map((l) => parseLsLine(l));
    expect(states).toHaveLength(24);
    for (const s of states) expect(s.state, s.path).toBe(s.path.endsWith('_MUST_CACHE') ? 'NOT_PERSISTED' : 'PERSISTED');
    expect(processesOf(home)).toEqual([pidFileOf(home)?.pid]);
  });

  it('fsadmin report, report ufs and report capacity talk to the running master', async () => {
    const summary = await home.run(['fsadmin', 'report']);
    expectSuccess(summary);
    const out = lines(summary.stdout);
    expect(out[0]).toBe('Alluxio cluster summary: ');
    expect(out).toContain(`    Web Port: ${port}`);
    expect(out).toContain('    Live Workers: 1');
    expect(out).toContain('    Lost Workers: 0');
    expect(out).toContain('    Total Capacity: 1024.00MB');
    // The worker holds at least the 6 MUST_CACHE files of runTests (3 of 80 bytes, 3 of 84).
    expect(Number(/^ {4}Used Capacity: (\d+)B$/.exec(out.find((l) => l.startsWith('    Used Capacity:')) ?? '')?.[1])).toBeGreaterThanOrEqual(492);
    const ufs = await home.run(['fsadmin', 'report', 'ufs']);
    expectSuccess(ufs);
    expect(lines(ufs.stdout)[0]).toBe('Alluxio under storage system information:');
    expect(lines(ufs.stdout)[1]).toMatch(new RegExp(`^${home.ufs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}on {2}/ {2}\\(local, capacity=\\S+, used=\\S+, not read-only, not shared, properties=\\{\\}\\)$`));
    expect(lines(ufs.stdout)).toHaveLength(2);
    const capacity = await home.run(['fsadmin', 'report', 'capacity']);
    expectSuccess(capacity);
    const cap = lines(capacity.stdout);
    expect(cap.slice(0, 3)).toEqual(['Capacity information for all workers: ', '    Total Capacity: 1024.00MB', '        Tier: MEM  Size: 1024.00MB']);
    expect(cap).toContain('Worker Name      Last Heartbeat   Storage       MEM');
    expect(cap.filter((l) => /^\S+ +\d+ +capacity +1024\.00MB$/.test(l))).toHaveLength(1);
  });

  it('a mount made by the CLI shows in the master mount table on the next request', async () => {
    const mountTable = async () => ((await (await fetch(`${base}/api/v1/master/webui_mounttable`)).json()) as WebUiMountTable).mountPointInfos;
    expect((await mountTable()).map((m) => m.mountPoint)).toEqual(['/']);
    const folder = home.mkdir('local-data');
    expectSuccess(await home.run(['fs', 'mount', '/mnt', folder]), [`Mounted ${folder} at /mnt`]);
    expect((await mountTable()).map((m) => [m.mountPoint, m.ufsUri, m.ufsType, m.readOnly])).toEqual([
      ['/', home.ufs, 'local', false],
      ['/mnt', folder, 'local', false],
    ]);
  });

  it('alluxio-stop.sh local kills the master: no process left, fsadmin report cannot connect', async () => {
    const pid = pidFileOf(home)?.pid;
    expect(pid).toBeDefined();
    const s = await runScript(home, 'stop', ['local']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(s.stderr).toBe('');
    expect(lines(s.stdout)).toEqual([`Successfully Killed 1 process(es) successfully on ${HOST}`]);
    expect(processesOf(home)).toEqual([]);
    expect(await httpStatus(`${base}/overview`)).toBeUndefined();
    const r = await home.run(['fsadmin', 'report']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(r.stdout).toBe('Cannot connect to Alluxio leader master.\n');
    // The namespace outlives the master: the CLI alone still sees everything.
    expectSuccess(await home.run(['fs', 'ls', '-d', '/mnt']));
  });
});

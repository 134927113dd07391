/**
 * Two hosts sharing one namespace in PostgreSQL, as a user sees them: two homes (two work folders, two worker
 * identities, two login users) running bin/alluxio from dist/ against one database and one under storage folder
 * (standing for storage both hosts reach). Mounts and permission changes made on one hold on the other; a file
 * whose data only host-a's cache holds is listed on host-b and cannot be read there; host-a persists it; a format
 * on host-a fences a command host-b began before it, and host-b's next command drops its old cache.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';

import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';

import {formatSize} from '../../../src/cli/sizes.js';
import {parseLsLine} from '../../helpers/alluxio-format.js';
import {type Home, cleanupHomes, collect, describeResult, lines, makeHome} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {freePort, killMasters, runScript, trackHome} from '../../helpers/master.js';
import {adminSql, createDatabase, type PgEnv, pgEnv} from '../../helpers/pg-env.js';

let env: PgEnv;
let url: string;
let shared: string;
let a: Home;
let b: Home;
let webPort: string;

beforeAll(async () => {
  env = pgEnv();
  url = await createDatabase(env, 'two_hosts');
  shared = mkdtempSync(join(tmpdir(), 'two-hosts-ufs-'));
  webPort = String(await freePort());
  const site = (host: string, user: string) => ({
    'alluxio.master.metastore': 'POSTGRES',
    'alluxio.master.metastore.postgres.url': url,
    'alluxio.master.metastore.postgres.password': env.password,
    'alluxio.master.mount.table.root.ufs': shared,
    'alluxio.worker.hostname': host,
    'alluxio.security.login.username': user,
    // One master (host-a's) serves the web UI both hosts' `fsadmin report` asks.
    'alluxio.master.hostname': 'localhost',
    'alluxio.master.web.port': webPort,
  });
  a = trackHome(makeHome({site: site('host-a', 'alice')}));
  b = trackHome(makeHome({site: site('host-b', 'bob')}));
  for (const home of [a, b]) home.writeSite({...site(home === a ? 'host-a' : 'host-b', home === a ? 'alice' : 'bob'), 'alluxio.worker.tieredstore.level0.dirs.path': join(home.dir, 'cache')});
  // alice formats: she is the superuser; bob is an ordinary user.
  expectSuccess(await a.run(['format']));
  // bob writes below / too (where alice's commands check what he may do).
  expectSuccess(await a.run(['fs', 'chmod', '777', '/']));
});

afterEach(killMasters);

afterAll(() => {
  cleanupHomes();
  rmSync(shared, {recursive: true, force: true});
});

const dataDir = (home: Home) => join(home.dir, 'cache', 'alluxioworker');
const privateFiles = (home: Home) => (existsSync(dataDir(home)) ? readdirSync(dataDir(home)).filter((n) => n.startsWith('private-')) : []);

async function lsLine(home: Home, path: string) {
  const r = await home.run(['fs', 'ls', path]);
  expectSuccess(r);
  return parseLsLine(lines(r.stdout)[0]!);
}

/** Starts `copyFromLocal` of a folder holding `first` and a FIFO after it: the copy blocks on the FIFO until written. */
async function blockedCopy(home: Home, dst: string, extra: string[] = []) {
  const src = mkdtempSync(join(home.dir, 'src-'));
  writeFileSync(join(src, 'first'), `data of ${dst}`);
  execFileSync('mkfifo', [join(src, 'second')]);
  const args = ['fs', ...extra, 'copyFromLocal', src, dst];
  const child = home.start(args);
  const done = collect(child, args, {timeoutMs: 60_000});
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes(`to ${dst}/first`) && Date.now() < deadline) await sleep(20);
  expect(out, `the copy of ${dst}/first never finished`).toContain(`to ${dst}/first`);
  return {done, unblock: () => writeFile(join(src, 'second'), 'second')};
}

it('a mount made on one host is listed on the other, and chmod on one is enforced on the other', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'two-hosts-mnt-'));
  try {
    expectSuccess(await a.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await a.run(['fs', 'mount', '/mnt/shared', folder]));
    const listed = await b.run(['fs', 'mount']);
    expectSuccess(listed);
    expect(listed.stdout).toContain(`${folder}  on  /mnt/shared`);

    expectSuccess(await a.run(['fs', 'mkdir', '/priv']));
    expectSuccess(await b.run(['fs', 'ls', '/priv']));
    expectSuccess(await a.run(['fs', 'chmod', '700', '/priv']));
    expectError(await b.run(['fs', 'ls', '/priv']), /^Permission denied: user=bob, access=r-x, path=\/priv: failed at priv, inode owner=alice,/);
    expectSuccess(await a.run(['fs', 'ls', '/priv']));
  } finally {
    rmSync(folder, {recursive: true, force: true});
  }
});

it('a file only host-a caches is TO_BE_PERSISTED on host-b, unreadable there naming host-a, and persisted by host-a', async () => {
  const copy = await blockedCopy(a, '/async', ['-Dalluxio.user.file.writetype.default=ASYNC_THROUGH']);
  try {
    expect(await lsLine(b, '/async/first')).toMatchObject({state: 'TO_BE_PERSISTED', inAlluxio: '0%', path: '/async/first'});
    const stat = await b.run(['fs', 'stat', '/async/first']);
    expectSuccess(stat);
    expect(stat.stdout).toContain('persistenceState=TO_BE_PERSISTED');
    expect(stat.stdout).toContain('inAlluxioPercentage=0');
    const json = await b.run(['fs', 'ls', '--json', '/async/first']);
    expectSuccess(json);
    expect(JSON.parse(json.stdout)).toMatchObject([{path: '/async/first', persistenceState: 'TO_BE_PERSISTED', cacheHost: 'host-a'}]);
    const message = 'The data of /async/first is only in the Alluxio worker cache of host-a: it is not persisted yet, and this host (another worker) cannot read it';
    for (const args of [['cat'], ['head', '-c', '2'], ['tail', '-c', '2'], ['checksum'], ['copyToLocal'], ['cp']]) {
      const target = args[0] === 'copyToLocal' ? [join(b.dir, 'out')] : args[0] === 'cp' ? ['/copied'] : [];
      const r = await b.run(['fs', ...args, '/async/first', ...target]);
      expectError(r, message, {hint: true});
      expect(r.stderr).toContain('Hint: Read it on host-a, or persist it there with "alluxio fs persist /async/first"');
    }
    const persist = await b.run(['fs', 'persist', '/async/first']);
    expect(persist.code, describeResult(persist)).toBe(255);
    expect(persist.stderr).toBe(`WARN: Failed to persist file /async/first: ${message}\n`);
    // host-b's commands never take host-a's file over: it is still waiting, and not in the under storage.
    expect(await lsLine(b, '/async/first')).toMatchObject({state: 'TO_BE_PERSISTED'});
    expect(existsSync(join(shared, 'async', 'first'))).toBe(false);
  } finally {
    await copy.unblock();
  }
  expectSuccess(await copy.done);
  // host-a's copy persisted what it wrote on its way out: host-b reads it from the under storage.
  expect(readFileSync(join(shared, 'async', 'first'), 'utf8')).toBe('data of /async');
  expect(await lsLine(b, '/async/first')).toMatchObject({state: 'PERSISTED'});
  const cat = await b.run(['fs', 'cat', '/async/first']);
  expectSuccess(cat);
  expect(cat.stdout).toBe('data of /async');
});

it('mv and rm on host-b of a file host-a caches work on the metadata; host-a drops the orphaned entry later', async () => {
  const local = join(a.dir, 'm.txt');
  writeFileSync(local, 'only on a');
  expectSuccess(await a.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'copyFromLocal', local, '/m']), ['Copied file://' + local + ' to /m']);
  expect(await lsLine(b, '/m')).toMatchObject({state: 'NOT_PERSISTED', inAlluxio: '0%'});
  expectSuccess(await b.run(['fs', 'mv', '/m', '/m2']));
  const moved = await a.run(['fs', 'cat', '/m2']);
  expectSuccess(moved);
  expect(moved.stdout).toBe('only on a');
  const files = privateFiles(a);
  expect(files.length).toBeGreaterThan(0);

  expectSuccess(await b.run(['fs', 'rm', '/m2']));
  expectError(await a.run(['fs', 'ls', '/m2']), /does not exist/);
  // Still there: host-b could not delete it, and host-a drops such entries only once a day old, once an hour.
  expect(privateFiles(a)).toEqual(files);
  await adminSql(env, `UPDATE cache_entries SET last_access = last_access - 2 * 86400000 WHERE host = 'host-a'`, 'two_hosts');
  const stamp = join(dataDir(a), '.swept');
  utimesSync(stamp, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
  expectSuccess(await a.run(['fs', 'ls', '/']));
  expect(privateFiles(a).filter((f) => files.includes(f))).toEqual([]);
  expect(await adminSql(env, `SELECT count(*) FROM cache_entries WHERE host = 'host-a' AND key LIKE 'private-%'`, 'two_hosts')).toBe('0\n');
});

it('fsadmin report capacity and the Workers page list both hosts', async () => {
  expectSuccess(await b.run(['fs', 'ls', '/']));
  const started = await runScript(a, 'start', ['master']);
  expect(started.code, describeResult(started)).toBe(0);
  const report = await b.run(['fsadmin', 'report', 'capacity']);
  expectSuccess(report);
  const names = lines(report.stdout).map((l) => l.split(/\s+/)[0]);
  expect(names).toContain('host-a');
  expect(names).toContain('host-b');
  const json = await b.run(['fsadmin', 'report', 'capacity', '--json']);
  expectSuccess(json);
  const workers = (JSON.parse(json.stdout) as {workers: {address: {host: string}; lastContactSec: number; capacityBytes: number}[]}).workers;
  expect(workers.map((w) => w.address.host).sort()).toEqual(['host-a', 'host-b']);
  expect(workers[0]!.address.host).toBe('host-a');
  for (const w of workers) {
    expect(w.capacityBytes).toBe(2 ** 30);
    expect(w.lastContactSec).toBeLessThan(120);
  }
  const api = `http://localhost:${webPort}/api/v1/master`;
  const page = (await (await fetch(`${api}/webui_workers`)).json()) as {normalNodeInfos: {host: string; lastHeartbeat: string; capacity: string}[]};
  expect(page.normalNodeInfos.map((n) => n.host)).toEqual(['host-a', 'host-b']);
  for (const node of page.normalNodeInfos) {
    expect(Number(node.lastHeartbeat)).toBeLessThan(120);
    expect(node.capacity).toBe(formatSize(2 ** 30));
  }
  const overview = (await (await fetch(`${api}/webui_overview`)).json()) as {liveWorkerNodes: string; capacity: string};
  expect(overview).toMatchObject({liveWorkerNodes: '2', capacity: formatSize(2 ** 31)});
  expectSuccess(await runScript(a, 'stop', ['master']));
});

it('format on host-a fences a command host-b began before it, and host-b next drops its old cache', async () => {
  // As alice, who may write to / of the new namespace too: what stops the copy is the format, not a permission.
  const copy = await blockedCopy(b, '/fenced', ['-Dalluxio.user.file.writetype.default=MUST_CACHE', '-Dalluxio.security.login.username=alice']);
  const before = privateFiles(b);
  expect(before.length).toBeGreaterThan(0);
  const formatted = await a.run(['format']);
  try {
    expectSuccess(formatted);
    expect(formatted.stdout).toContain(`Formatting master journal: ${url}\n`);
    expect(formatted.stdout).toContain('Formatting Alluxio Worker @ host-a\n');
    expect(formatted.stdout).not.toContain(env.password);
  } finally {
    await copy.unblock();
  }
  const fenced = await copy.done;
  expect(fenced.code, describeResult(fenced)).toBe(255);
  const formattedMeanwhile = `The metastore ${url} was formatted while this command was running`;
  expect(lines(fenced.stderr)).toEqual([
    'ERRORS:',
    expect.stringMatching(new RegExp(`^Failed to copy file://.*/second to /fenced/second: ${formattedMeanwhile.replace(/[.?]/g, '\\$&')}$`)),
    `WARN: Could not record this process's metrics in the metastore: ${formattedMeanwhile}`,
  ]);
  expect(fenced.stderr).not.toContain(env.password);

  // host-b's next command finds the new generation: its cache from before the format goes.
  expect(privateFiles(b).filter((f) => before.includes(f))).toEqual(before);
  const ls = await b.run(['fs', 'ls', '/']);
  expectSuccess(ls);
  // What only Alluxio held went with the format (under storage data stays).
  expect(lines(ls.stdout).map((l) => parseLsLine(l).path)).not.toContain('/fenced');
  expect(privateFiles(b)).toEqual([]);
});

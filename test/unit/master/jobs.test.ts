import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {openFileSystem} from '../../../src/context.js';
import {type LeaderJobs, startLeaderJobs} from '../../../src/master/jobs.js';
import {openMasterLog} from '../../../src/master/master-log.js';
import {namespaceOf, pidFilePath, processStartTime} from '../../../src/master/pid-file.js';
import {hostname} from 'node:os';
import {formatMetaStore, openMetaStore} from '../../../src/meta/open.js';
import {SharedMetaStore} from '../../../src/meta/shared-store.js';
import {openStore} from '../../helpers/meta-store.js';
import {HOST} from '../../../src/util/temp-files.js';
import {type FsFolders, makeFolders, removeFolders} from '../../helpers/unit-fs.js';

/** The leader jobs in this process over a work folder, with the local default root UFS and short intervals. */
let folders: FsFolders;
let conf: Configuration;
let jobs: LeaderJobs | undefined;
let sleeper: ChildProcess | undefined;

beforeEach(async () => {
  folders = await makeFolders('master-jobs-');
  conf = new Configuration();
  conf.set('alluxio.work.dir', folders.base);
  conf.set('alluxio.logs.dir', join(folders.base, 'logs'));
  conf.set('alluxio.master.persistence.checker.interval', '100ms');
  conf.set('alluxio.master.persistence.initial.interval', '200ms');
  conf.set('alluxio.master.persistence.max.interval', '10s');
});
afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
  sleeper?.kill('SIGKILL');
  sleeper = undefined;
  await removeFolders(folders);
});

const ufs = () => join(folders.base, 'underFSStorage');
const masterLog = () => readFileSync(join(folders.base, 'logs', 'master.log'), 'utf8');

function start(): LeaderJobs {
  jobs = startLeaderJobs({conf, log: openMasterLog(conf)});
  return jobs;
}

/** Writes `path` ASYNC_THROUGH with a FileSystem of its own, as a CLI command would. */
async function writeAsync(path: string, content: string): Promise<void> {
  const fs = await openFileSystem(conf, () => undefined);
  await fs.createFile(path, Readable.from([Buffer.from(content)]), {length: content.length, recursive: true, writeType: 'ASYNC_THROUGH'});
  await fs.close();
}

async function state(path: string): Promise<string | undefined> {
  const store = await openStore(conf.get('alluxio.master.journal.folder'));
  try {
    return (await store.getInode(path))?.state;
  } finally {
    await store.close();
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A lease on `persist:<path>` held by `pid` of this host, fresh for a minute. */
async function leaseHeldBy(path: string, pid: number): Promise<void> {
  const store = await openStore(conf.get('alluxio.master.journal.folder'));
  await store.tryAcquireLease(`persist:${path}`, `${pid}@${HOST}/abc`, 60_000, Date.now());
  await store.close();
}

/** A pid file naming `pid` as this host's master, as the master writes it (a dead pid has no start time). */
function masterRecord(pid: number): string {
  return JSON.stringify({pid, processStart: processStartTime(pid), host: hostname(), ...namespaceOf(conf)});
}

function livePid(): number {
  sleeper = spawn('sleep', ['60'], {stdio: 'ignore'});
  return sleeper.pid!;
}

describe('async persistence', () => {
  it('with a master running here, a CLI leaves its ASYNC_THROUGH file to it; the master persists it', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    await writeAsync('/dir/f', 'left to the master');
    expect(await state('/dir/f')).toBe('TO_BE_PERSISTED');
    expect(existsSync(join(ufs(), 'dir', 'f'))).toBe(false);

    const running = start();
    await waitFor('/dir/f persisted', async () => (await state('/dir/f')) === 'PERSISTED');
    expect(readFileSync(join(ufs(), 'dir', 'f'), 'utf8')).toBe('left to the master');
    expect(masterLog()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO {2}PersistenceChecker - Persisted \/dir\/f$/m);
    await waitFor('a round after it', () => running.status()[1]!.pending === 0 && running.status()[1]!.runs >= 2);
    expect(running.status()[1]).toMatchObject({name: 'Async persistence', enabled: true, intervalMs: 100, failures: 0, pending: 0});
  });

  it('on the master\'s one shared store, keeps persisting after a format by another process (the store reopens)', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    const store = new SharedMetaStore(() => openMetaStore(conf));
    try {
      jobs = startLeaderJobs({conf, log: openMasterLog(conf), store});
      await writeAsync('/a', 'before the format');
      await waitFor('/a persisted', async () => (await state('/a')) === 'PERSISTED');
      await formatMetaStore(conf);
      await writeAsync('/b', 'after the format');
      await waitFor('/b persisted', async () => (await state('/b')) === 'PERSISTED');
      expect(readFileSync(join(ufs(), 'b'), 'utf8')).toBe('after the format');
      await jobs.stop();
      jobs = undefined;
    } finally {
      await store.close();
    }
  });

  it('without a master, the CLI persists before it exits, as before', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(spawnSync('true').pid));
    await writeAsync('/g', 'by the writer');
    expect(await state('/g')).toBe('PERSISTED');
    rmSync(pidFilePath(conf));
    await writeAsync('/h', 'by the writer');
    expect(await state('/h')).toBe('PERSISTED');
  });

  it('takes over at once the lease of a dead writer of this host, never that of a live one', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    await writeAsync('/dead', 'dead writer');
    await writeAsync('/live', 'live writer');
    await leaseHeldBy('/dead', spawnSync('true').pid!);
    await leaseHeldBy('/live', sleeper!.pid!);

    const running = start();
    await waitFor('/dead persisted', async () => (await state('/dead')) === 'PERSISTED');
    await waitFor('three more rounds', () => running.status()[1]!.runs >= 4);
    expect(await state('/live')).toBe('TO_BE_PERSISTED');
    expect(running.status()[1]!.pending).toBe(1);
  });

  it('a failing file backs off, doubling its wait, each failure a WARN line with the next retry time', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    await writeAsync('/lost', 'gone from the cache');
    rmSync(join(folders.base, 'ramdisk', 'alluxioworker'), {recursive: true});

    const running = start();
    const failures = () => masterLog().split('\n').filter((l) => l.includes(' WARN  PersistenceChecker - Failed to persist /lost: '));
    await waitFor('three failures', () => failures().length >= 3);
    await running.stop();
    const warns = failures();
    // Tries at 0, 200 and 600 ms, while a round runs every 100 ms: most rounds leave the file alone.
    expect(running.status()[1]!.runs, warns.join('\n')).toBeGreaterThan(warns.length + 2);
    expect(warns[0]).toMatch(/no longer in the Alluxio worker cache.*; next retry at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const retryAt = warns.map((l) => Date.parse(/next retry at (\S+)$/.exec(l)![1]!));
    const loggedAt = warns.map((l) => Date.parse(`${l.slice(0, 10)}T${l.slice(11, 19)}.${l.slice(20, 23)}Z`));
    expect(retryAt.map((t, i) => Math.round((t - loggedAt[i]!) / 100) * 100).slice(0, 3)).toEqual([200, 400, 800]);
    expect(running.status()[1]!.failures).toBeGreaterThanOrEqual(3);
    expect(await state('/lost')).toBe('TO_BE_PERSISTED');
  });
});

describe('async persistence, many waiting files', () => {
  it('a round looks at every waiting file, page after page, past those backing off at the head of the queue', async () => {
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    for (let i = 0; i < 5; i++) await writeAsync(`/w${i}`, `file ${i}`);
    const backingOff = new Set(['/w0', '/w1', '/w2']);
    const fs = await openFileSystem(conf, () => undefined);
    const persisted: string[] = [];
    try {
      const waiting = await fs.persistDue({
        owner: 'test-master',
        batch: 2,
        due: (path) => !backingOff.has(path),
        done: (path, error) => {
          expect(error).toBeUndefined();
          persisted.push(path);
        },
      });
      expect(persisted.sort()).toEqual(['/w3', '/w4']);
      expect(waiting).toBe(3);
    } finally {
      await fs.release();
    }
    expect(await Promise.all(['/w0', '/w1', '/w2', '/w3', '/w4'].map(state))).toEqual(['TO_BE_PERSISTED', 'TO_BE_PERSISTED', 'TO_BE_PERSISTED', 'PERSISTED', 'PERSISTED']);
  });

  it('a round in which many files fail logs 20 of them and sums up the rest in one line', async () => {
    conf.set('alluxio.master.persistence.initial.interval', '1h');
    writeFileSync(pidFilePath(conf), masterRecord(livePid()));
    for (let i = 0; i < 30; i++) await writeAsync(`/lost${String(i).padStart(2, '0')}`, 'gone from the cache');
    rmSync(join(folders.base, 'ramdisk', 'alluxioworker'), {recursive: true});

    const running = start();
    await waitFor('three rounds', () => running.status()[1]!.runs >= 3);
    await running.stop();
    const warns = masterLog().split('\n').filter((l) => l.includes(' WARN  PersistenceChecker - '));
    expect(warns.filter((l) => l.includes('Failed to persist /lost'))).toHaveLength(20);
    // Each file backs off on its own: the rounds after the first try none of them again.
    expect(warns.filter((l) => /Failed to persist 10 more file\(s\) in this round; each backs off before its next retry$/.test(l))).toHaveLength(1);
    expect(warns).toHaveLength(21);
    expect(running.status()[1]).toMatchObject({pending: 30, failures: 1});
  });
});

describe('job schedule', () => {
  it('an interval longer than a timer can wait (30 days) waits, rather than running again at once', async () => {
    conf.set('alluxio.underfs.cleanup.enabled', 'true');
    conf.set('alluxio.underfs.cleanup.interval', '30day');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const running = start();
      await waitFor('the first cleanup', () => running.status()[0]!.runs >= 1);
      await sleep(300);
      expect(running.status()[0]).toMatchObject({runs: 1, intervalMs: 30 * 86_400_000});
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('UFS cleanup', () => {
  it('off by default; when enabled it runs at start and logs what it did', async () => {
    const off = start();
    await waitFor('a persistence round', () => off.status()[1]!.runs >= 1);
    expect(off.status()[0]).toMatchObject({name: 'UFS cleanup', enabled: false, runs: 0});
    await off.stop();

    conf.set('alluxio.underfs.cleanup.enabled', 'true');
    const on = start();
    await waitFor('a cleanup run', () => on.status()[0]!.runs === 1);
    expect(on.status()[0]).toMatchObject({enabled: true, intervalMs: 86_400_000, failures: 0});
    expect(on.status()[0]!.lastOutcome).toBe('Aborted 0 multipart upload(s) under 1 mount(s), removed 0 temporary file(s)');
    expect(masterLog()).toContain('INFO  UfsCleaner - Aborted 0 multipart upload(s) under 1 mount(s), removed 0 temporary file(s)');
  });
});

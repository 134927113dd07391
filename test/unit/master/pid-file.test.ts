import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Configuration} from '../../../src/conf/configuration.js';
import {claimPidFile, masterRunsHere, type MasterRecord, processStartTime, readLiveMaster, releasePidFile} from '../../../src/master/pid-file.js';

let dir: string;
let file: string;
/** Only alluxio.work.dir is read. */
let conf: Configuration;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pid-file-'));
  file = join(dir, 'master.pid');
  conf = {get: (key: string) => (key === 'alluxio.work.dir' ? dir : '')} as unknown as Configuration;
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const record = (pid: number, over: Partial<MasterRecord> = {}): MasterRecord => ({
  pid,
  processStart: processStartTime(pid) ?? 'none',
  host: hostname(),
  bindHost: '127.0.0.1',
  port: 19999,
  url: 'http://127.0.0.1:19999',
  startedAt: 1,
  journalFolder: '/journal',
  rootUfs: '/underFSStorage',
  ...over,
});

const deadPid = () => spawnSync('true').pid as number;

describe('processStartTime', () => {
  it('is stable for a live process and undefined for a gone one', () => {
    expect(processStartTime(process.pid)).toBeDefined();
    expect(processStartTime(process.pid)).toBe(processStartTime(process.pid));
    expect(processStartTime(deadPid())).toBeUndefined();
  });
});

describe('claimPidFile / readLiveMaster', () => {
  it('writes the record privately and reads it back while the process lives', () => {
    expect(claimPidFile(file, record(process.pid))).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readLiveMaster(conf)).toEqual({pid: process.pid, host: hostname(), port: 19999, url: 'http://127.0.0.1:19999', startedAt: 1});
    releasePidFile(file, process.pid);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while another live master holds the file, and leaves it', () => {
    const other = spawn('sleep', ['30']);
    try {
      claimPidFile(file, record(other.pid as number));
      expect(claimPidFile(file, record(process.pid))?.pid).toBe(other.pid);
      releasePidFile(file, process.pid);
      expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(other.pid);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('replaces a stale file: a dead pid, or a live pid with another start time', () => {
    for (const stale of [record(deadPid(), {processStart: '1'}), record(process.pid, {processStart: 'earlier'})]) {
      writeFileSync(file, JSON.stringify(stale));
      const notes: string[] = [];
      expect(readLiveMaster(conf, (n) => notes.push(n))).toBeUndefined();
      expect(notes).toEqual([`Removed the stale pid file ${file}: process ${stale.pid} is not the master that wrote it.`]);
      expect(existsSync(file)).toBe(false);
      writeFileSync(file, JSON.stringify(stale));
      expect(claimPidFile(file, record(process.pid))).toBeUndefined();
      expect(JSON.parse(readFileSync(file, 'utf8')).processStart).toBe(processStartTime(process.pid));
      releasePidFile(file, process.pid);
    }
  });

  it('leaves alone the file of a master on another host (a shared work folder)', () => {
    writeFileSync(file, JSON.stringify(record(process.pid, {host: 'elsewhere'})));
    const notes: string[] = [];
    expect(readLiveMaster(conf, (n) => notes.push(n))).toBeUndefined();
    expect(notes).toEqual([`${file} names a master on elsewhere (pid ${process.pid}): it can only be stopped there.`]);
    expect(existsSync(file)).toBe(true);
    expect(claimPidFile(file, record(process.pid))?.host).toBe('elsewhere');
  });

  it('never removes a newer master\'s file', () => {
    claimPidFile(file, record(process.pid));
    releasePidFile(file, process.pid + 1);
    expect(existsSync(file)).toBe(true);
  });
});

describe('masterRunsHere', () => {
  /** A CLI's configuration: the work folder of `dir`, with its own metastore folder and root UFS. */
  const cli = (journal: string, rootUfs: string) =>
    ({
      get: (key: string) =>
        ({'alluxio.work.dir': dir, 'alluxio.master.journal.folder': journal, 'alluxio.master.mount.table.root.ufs': rootUfs})[key] ?? '',
    }) as unknown as Configuration;

  it('is true only for a live master of the same metastore folder and root UFS: a CLI hands its files to no other', () => {
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(file, JSON.stringify(record(other.pid as number, {journalFolder: join(dir, 'journal'), rootUfs: 's3://bucket/'})));
      expect(masterRunsHere(cli(join(dir, 'journal'), 's3://bucket/'))).toBe(true);
      // The same folder written another way resolves to the same metastore.
      expect(masterRunsHere(cli(join(dir, 'x', '..', 'journal'), 's3://bucket/'))).toBe(true);
      expect(masterRunsHere(cli(join(dir, 'elsewhere'), 's3://bucket/'))).toBe(false);
      expect(masterRunsHere(cli(join(dir, 'journal'), 's3://other/'))).toBe(false);
      // A pid file written before the namespace was recorded names no namespace: nothing is handed to it.
      writeFileSync(file, JSON.stringify({...record(other.pid as number), journalFolder: undefined, rootUfs: undefined}));
      expect(masterRunsHere(cli(join(dir, 'journal'), 's3://bucket/'))).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
    expect(masterRunsHere(cli(join(dir, 'journal'), 's3://bucket/'))).toBe(false);
  });
});

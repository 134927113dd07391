/**
 * Several processes on one metastore at once (DESIGN: every read-modify-write is one transaction): mounts,
 * attribute changes of the same inodes and file creation race, and nothing is lost or corrupted.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, describe, expect, it} from 'vitest';
import {modeString, parseLsLine} from '../helpers/alluxio-format.js';
import {type RunResult, cleanupHomes, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const N = 6;
const IDS = Array.from({length: N}, (_, i) => i + 1);
/** Path k's owner is set by worker k+1, its group by worker k+2, its mode by worker k: three fields, three writers. */
const next = (k: number, by: number) => ((k - 1 + by) % N) + 1;
const MODE = (k: number) => `7${k}${k}`; // 711 .. 766
const USERS = ['nobody', 'daemon', 'bin', 'sys', 'games', 'man'];
const GROUPS = ['nogroup', 'daemon', 'bin', 'sys', 'adm', 'tty'];

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

describe('N processes at once on one metastore', () => {
  it('mount, chmod/chown/chgrp the same paths and create files: nothing lost, the metastore intact', async () => {
    const home = makeHome();
    const folders = IDS.map((i) => {
      const dir = home.mkdir(`ufs-${i}`);
      writeFileSync(join(dir, 'seed'), `seed ${i}`);
      return dir;
    });
    const local = join(home.dir, 'payload.txt');
    writeFileSync(local, 'payload');
    const seeds = home.mkdir('seeds');
    for (const k of IDS) writeFileSync(join(seeds, `p${k}`), '');
    expectSuccess(await home.run(['fs', 'copyFromLocal', seeds, '/shared']));

    const all: RunResult[] = [];
    const runAll = async (batch: string[][]) => {
      const results = await Promise.all(batch.map((args) => home.run(args, {timeoutMs: 60_000})));
      all.push(...results);
      return results;
    };

    // Round 1: each worker i at once: mounts /m<i>, sets the mode of p<i>, the owner of p<i-1>, the group of
    // p<i-2>, and creates a file and a directory in the root mount.
    const round1: string[][] = [];
    for (const i of IDS) {
      round1.push(['fs', 'mount', `/m${i}`, folders[i - 1]]);
      round1.push(['fs', 'chmod', MODE(i), `/shared/p${i}`]);
      round1.push(['fs', 'chown', USERS[i - 1], `/shared/p${next(i, N - 1)}`]);
      round1.push(['fs', 'chgrp', GROUPS[i - 1], `/shared/p${next(i, N - 2)}`]);
      round1.push(['fs', 'copyFromLocal', local, `/shared/file${i}`]);
      round1.push(['fs', 'mkdir', `/shared/dir${i}`]);
    }
    // Round 2: writes below the fresh mounts while the mount table is read and the same inodes change again.
    const round2: string[][] = [];
    for (const i of IDS) {
      round2.push(['fs', '-Dalluxio.user.file.writetype.default=CACHE_THROUGH', 'copyFromLocal', local, `/m${i}/copied`]);
      round2.push(['fs', 'touch', `/m${i}/touched`]);
      round2.push(['fs', 'chmod', '-R', '750', `/shared/dir${i}`]);
      if (i % 2 === 0) round2.push(['fs', 'mount']);
    }
    const r1 = await runAll(round1);
    const r2 = await runAll(round2);

    // Every process succeeded, and none printed a stack trace.
    for (const r of all) expect.soft(crashSigns(r), describeResult(r)).toEqual([]);
    for (const r of [...r1, ...r2]) expect.soft(r.code, describeResult(r)).toBe(0);

    // The mount table has all N mounts.
    const table = await home.run(['fs', 'mount']);
    expectSuccess(table);
    const rows = lines(table.stdout).map((l) => l.split(/\s+on\s+/));
    expect.soft(rows.map(([ufs, rest]) => [rest.split(/\s+/)[0], ufs])).toEqual([
      ['/', home.ufs],
      ...IDS.map((i) => [`/m${i}`, folders[i - 1]]),
    ]);

    // No attribute change was lost: each path has the mode, owner and group its three writers gave it.
    const ls = await home.run(['fs', 'ls', '/shared']);
    expectSuccess(ls);
    const byPath = new Map(lines(ls.stdout).map((l) => [parseLsLine(l).path, parseLsLine(l)]));
    for (const k of IDS) {
      const e = byPath.get(`/shared/p${k}`);
      expect.soft(e?.perm, `/shared/p${k} mode`).toBe(`-${modeString(parseInt(MODE(k), 8))}`);
      expect.soft(e?.owner, `/shared/p${k} owner`).toBe(USERS[next(k, 1) - 1]);
      expect.soft(e?.group, `/shared/p${k} group`).toBe(GROUPS[next(k, 2) - 1]);
      expect.soft(byPath.get(`/shared/file${k}`)?.state, `/shared/file${k}`).toBe('PERSISTED');
      expect.soft(byPath.get(`/shared/dir${k}`)?.perm, `/shared/dir${k}`).toBe('drwxr-x---');
    }
    expect.soft(byPath.size).toBe(3 * N);

    // Data written under each mount landed in its folder.
    for (const i of IDS) {
      expect.soft(read(join(folders[i - 1], 'copied')), `ufs-${i}/copied`).toBe('payload');
      expect.soft(read(join(folders[i - 1], 'touched')), `ufs-${i}/touched`).toBe('');
    }

    // The metastore is intact.
    const db = new Database(home.metastore, {readonly: true, fileMustExist: true});
    try {
      expect(db.pragma('integrity_check', {simple: true})).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

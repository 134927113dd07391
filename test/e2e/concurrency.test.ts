/**
 * Several processes on one metastore at once (DESIGN: every read-modify-write is one transaction): mounts,
 * attribute changes of the same inodes and file creation race, and nothing is lost or corrupted; processes racing
 * to create one path (copyFromLocal, mkdir, mv) leave exactly one winner.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, describe, expect, it} from 'vitest';
import {modeString, parseLsLine} from '../helpers/alluxio-format.js';
import {type RunResult, cleanupHomes, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';
import {expectOneWinner, race, randomFiles, sha256} from '../helpers/race.js';

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

/** Big enough that each write lasts longer than the others take to start: without claims, all eight "succeed". */
const RACE_FILE_BYTES = 48 * 1024 * 1024;
const RACERS = 8;

describe(`${RACERS} processes creating one path at once`, () => {
  const home = makeHome();
  const sources = randomFiles(home.mkdir('racers'), RACERS, RACE_FILE_BYTES);

  it.each(['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'])(
    'copyFromLocal %s: one copies, seven are told the file exists, and it holds the winner\'s bytes',
    async (writeType) => {
      const dst = `/race-${writeType}`;
      const results = await race(
        home,
        sources.map((src) => ['fs', `-Dalluxio.user.file.writetype.default=${writeType}`, 'copyFromLocal', src.path, dst]),
      );
      const winner = expectOneWinner(results, () => `Not allowed to create file because path already exists: ${dst}`);
      expect(lines(results[winner].stdout)).toEqual([`Copied file://${sources[winner].path} to ${dst}`]);
      const cat = await home.run(['fs', 'cat', dst], {timeoutMs: 60_000});
      expect(cat.code, describeResult(cat)).toBe(0);
      expect(sha256(cat.stdoutBytes)).toBe(sources[winner].sha);
      if (writeType !== 'MUST_CACHE') expect(sha256(readFileSync(join(home.ufs, dst)))).toBe(sources[winner].sha);
    },
    180_000,
  );

  it('mkdir: one creates the directory, seven are told it exists', async () => {
    const results = await race(home, Array.from({length: RACERS}, () => ['fs', 'mkdir', '/race-dir']));
    const winner = expectOneWinner(results, () => 'Not allowed to create directory because path already exists: /race-dir');
    expect(lines(results[winner].stdout)).toEqual(['Successfully created directory /race-dir']);
  }, 120_000);

  it('mv: one renames onto the destination, seven are told it exists and keep their sources', async () => {
    // A local rename takes no time, whatever the size: small files do.
    const small = randomFiles(home.mkdir('small'), RACERS, 1024);
    const srcs = small.map((_, i) => `/mv-src-${i}`);
    await Promise.all(
      small.map(async (src, i) =>
        expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', src.path, srcs[i]], {timeoutMs: 60_000})),
      ),
    );
    const results = await race(home, srcs.map((src) => ['fs', 'mv', src, '/mv-dst']));
    const winner = expectOneWinner(
      results,
      (i) => `Cannot rename because destination already exists. src: ${srcs[i]} dst: /mv-dst`,
    );
    expect(lines(results[winner].stdout)).toEqual([`Renamed ${srcs[winner]} to /mv-dst`]);
    expect(sha256(readFileSync(join(home.ufs, 'mv-dst')))).toBe(small[winner].sha);
    const left = srcs.filter((_, i) => i !== winner);
    for (const src of left) expect(existsSync(join(home.ufs, src))).toBe(true);
  }, 180_000);
});

/**
 * Several OS processes racing on one metastore, as one suite run against each store (SQLite in the `meta` project,
 * PostgreSQL in the `pg` project):
 *
 *   describeRacingProcesses('PostgreSQL', {fresh: ..., where: ...});
 *
 * `fresh()` gives the properties of a new, empty namespace (a new journal folder, or a new database) that the test
 * and its child processes open the store with, through openMetaStore as commands do. The children
 * (metastore-race-child.mjs) run our store code transpiled from src/ into a temporary folder (no stale dist/, and
 * independent of the rest of the build), with a node_modules link so that they find better-sqlite3 and pg.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

import ts from 'typescript';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {AlluxioError} from '../../src/errors.js';
import {formatMetaStore, openMetaStore} from '../../src/meta/open.js';
import type {MetaStore} from '../../src/meta/store.js';
import {journalConf} from './meta-store.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./metastore-race-child.mjs', import.meta.url));
const N = 6;

/** Configuration properties, as `-D` options would give them. */
export type Props = Record<string, string>;

export interface RaceStore {
  /** The properties of a new, empty namespace; the returned function (if any) removes it after the test. */
  fresh(): Promise<{props: Props; cleanup?: () => void}>;
  /** How errors name the store: the SQLite file, or the PostgreSQL URL. */
  where(props: Props): string;
  /** What else must hold of the store once the processes are done (SQLite: its integrity check). */
  check?(props: Props): unknown;
}

export const openWith = (props: Props, opts: {create?: boolean; busyTimeoutMs?: number} = {}): Promise<MetaStore> =>
  openMetaStore(journalConf(props['alluxio.master.journal.folder'] ?? '', props), opts);

export const formatWith = (props: Props): Promise<void> =>
  formatMetaStore(journalConf(props['alluxio.master.journal.folder'] ?? '', props));

/** Transpiles the metastore and what it imports from outside src/meta; returns the URL of open.js and a cleanup. */
export function buildChildStore(): {openUrl: string; cleanup: () => void} {
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-build-'));
  // Readable by the unprivileged user of the permission test.
  fs.chmodSync(build, 0o755);
  const sources = [
    'src/errors.ts',
    'src/util/directories.ts',
    'src/security/secret-reference.ts',
    ...fs.readdirSync(path.join(REPO, 'src/meta')).map((f) => `src/meta/${f}`),
  ];
  for (const rel of sources.filter((f) => f.endsWith('.ts'))) {
    const {outputText} = ts.transpileModule(fs.readFileSync(path.join(REPO, rel), 'utf8'), {
      compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022},
      fileName: rel,
    });
    const out = path.join(build, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), {recursive: true, mode: 0o755});
    fs.writeFileSync(out, outputText);
  }
  fs.writeFileSync(path.join(build, 'package.json'), '{"type": "module"}\n');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(build, 'node_modules'));
  return {
    openUrl: pathToFileURL(path.join(build, 'src/meta/open.js')).href,
    cleanup: () => fs.rmSync(build, {recursive: true, force: true}),
  };
}

/** Starts `node metastore-race-child.mjs MODE`; the environment (a password's env: reference) is inherited. */
export function startChild(openUrl: string, mode: string, props: Props, args: string[] = [], uid?: number): ChildProcess {
  const ids = uid === undefined ? {} : {uid, gid: uid};
  return spawn(process.execPath, [CHILD, mode, openUrl, JSON.stringify(props), ...args], {stdio: 'pipe', ...ids});
}

/** Waits for the child to exit 0 and returns its last output line, parsed. */
export function result<T>(child: ChildProcess): Promise<T> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
    });
  });
}

/** Resolves once the child has printed its first line (e.g. "locked"). */
export const firstLine = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => child.stdout!.once('data', () => resolve()));

/** The children's counter (see metastore-race-child.mjs): the length of the row /counter. */
async function counter(store: MetaStore): Promise<number> {
  return (await store.getInode('/counter'))?.length ?? 0;
}

export function describeRacingProcesses(name: string, target: RaceStore): void {
  describe(`several processes on one metastore: ${name}`, () => {
    let openUrl: string;
    let removeBuild: () => void;
    let props: Props;

    beforeAll(() => {
      ({openUrl, cleanup: removeBuild} = buildChildStore());
    });
    afterAll(() => removeBuild?.());
    beforeEach(async () => {
      const fresh = await target.fresh();
      props = fresh.props;
      return fresh.cleanup;
    });

    const run = <T>(mode: string, args: string[]) => result<T>(startChild(openUrl, mode, props, args));

    it('lose no update and no row, while racing to create the store', async () => {
      const rounds = 150;
      const startAt = String(Date.now() + 1500);
      const results = await Promise.all(
        Array.from({length: N}, (_, id) => run<{leases: number; overlaps: number; generation: string}>('work', [String(id), String(rounds), startAt])),
      );

      const store = await openWith(props, {create: false});
      try {
        // The store was set up once: every process saw the same generation, the one it still has.
        expect(new Set(results.map((r) => r.generation))).toEqual(new Set([store.generation]));
        expect(await counter(store)).toBe(N * rounds);
        expect(await store.listMounts()).toHaveLength(N * rounds);
        expect((await store.getMount(`/mnt/c${N - 1}/m${rounds - 1}`))?.options).toEqual({round: String(rounds - 1)});
        for (let id = 0; id < N; id++) expect(await store.listChildInodes(`/c${id}`)).toHaveLength(rounds);
        // Each child's folder and files, and the counter's row.
        expect(await store.listDescendantInodes('/')).toHaveLength(N * (rounds + 1) + 1);
        expect(await store.listInodesByState('TO_BE_PERSISTED', {limit: 1e6})).toHaveLength(N * rounds);
      } finally {
        await store.close();
      }
      expect(results.reduce((sum, r) => sum + r.overlaps, 0)).toBe(0);
      expect(results.reduce((sum, r) => sum + r.leases, 0)).toBeGreaterThan(0);
      await target.check?.(props);
    });

    it('give each path claimed at once by all of them to exactly one', async () => {
      const paths = 300;
      // Late enough that every child has started and opened its store under load, so they truly race.
      const startAt = Date.now() + 3000;
      const results = await Promise.all(Array.from({length: N}, (_, id) => run<{won: string[]}>('claim', [String(id), String(paths), String(startAt)])));
      const won = results.flatMap((r) => r.won).sort();
      expect(won).toEqual(Array.from({length: paths}, (_, i) => `/p${i}`).sort());
      // Racing, not taking turns: more than one process won some.
      expect(results.filter((r) => r.won.length > 0).length).toBeGreaterThan(1);
      await target.check?.(props);
    });

    it('survive a format in the middle: clean failures, no corruption, no update lost on either side', async () => {
      await (await openWith(props)).close();
      const increments = 300;
      const startAt = String(Date.now() + 1500);
      const children = Array.from({length: N}, () => run<{written: number[]; reopened: number}>('tolerant', [String(increments), startAt]));
      const watch = await openWith(props);
      while ((await counter(watch)) < (N * increments) / 4) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await formatWith(props);
      const results = await Promise.all(children);
      const final = await counter(watch);
      await watch.close();

      // The old store counted 1..before and the fresh one 1..final, each value written exactly once; and the
      // children that were writing when the format came were told so.
      const total = N * increments;
      const before = total - final;
      expect(before).toBeGreaterThan(0);
      expect(final).toBeGreaterThan(0);
      const seen = new Map<number, number>();
      for (const v of results.flatMap((r) => r.written)) seen.set(v, (seen.get(v) ?? 0) + 1);
      for (let v = 1; v <= Math.max(before, final); v++) {
        expect(seen.get(v) ?? 0, `value ${v}`).toBe(Number(v <= before) + Number(v <= final));
      }
      expect(results.reduce((sum, r) => sum + r.reopened, 0)).toBeGreaterThan(0);
      await target.check?.(props);
    });

    it('give a writer that waits longer than the busy timeout a clear error, and write nothing of it', async () => {
      await (await openWith(props)).close();
      const holder = startChild(openUrl, 'hold', props, ['3000']);
      const done = result<{ok: boolean}>(holder);
      await firstLine(holder);
      const store = await openWith(props, {busyTimeoutMs: 1000});
      try {
        const started = Date.now();
        const error = await store.setValue('k', 'v').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AlluxioError);
        expect((error as AlluxioError).message).toBe(
          `The metastore ${target.where(props)} is busy: another process has held it for more than 1s`,
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(await store.getValue('k')).toBeUndefined();
        // The holder's own write is not visible before it commits, and is once it has.
        expect(await store.getValue('held')).toBeUndefined();
        await done;
        expect(await store.getValue('held')).toBe('1');
        await store.setValue('k', 'v');
        expect(await store.getValue('k')).toBe('v');
      } finally {
        await store.close();
      }
    });
  });
}

/**
 * The metastore shared by several OS processes. The children run our store code, transpiled from src/ into a
 * temporary folder at the start (no stale dist/, and independent of the rest of the build), with a
 * node_modules link so that they find better-sqlite3.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

import Database from 'better-sqlite3';
import ts from 'typescript';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {AlluxioError} from '../../../src/errors.js';
import {metaStoreFile} from '../../../src/meta/open.js';
import type {MetaStore} from '../../../src/meta/store.js';
import {formatStore, openStore} from '../../helpers/meta-store.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./meta-child.mjs', import.meta.url));
const N = 6;
const isRoot = process.getuid?.() === 0;

let build: string;
let openUrl: string;
let dir: string;
let journal: string;

beforeAll(() => {
  build = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-build-'));
  // Readable by the unprivileged user of the permission test.
  fs.chmodSync(build, 0o755);
  // The metastore and what it imports from outside its folder.
  const sources = ['src/errors.ts', 'src/util/directories.ts', 'src/security/secret-reference.ts', ...fs.readdirSync(path.join(REPO, 'src/meta')).map((f) => `src/meta/${f}`)];
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
  openUrl = pathToFileURL(path.join(build, 'src/meta/open.js')).href;
});

afterAll(() => fs.rmSync(build, {recursive: true, force: true}));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-conc-'));
  journal = path.join(dir, 'journal');
  return () => fs.rmSync(dir, {recursive: true, force: true});
});

function startChild(args: string[], uid?: number): ChildProcess {
  const ids = uid === undefined ? {} : {uid, gid: uid};
  return spawn(process.execPath, [CHILD, args[0], openUrl, ...args.slice(1)], {stdio: 'pipe', ...ids});
}

/** Waits for the child to exit 0 and returns its last output line, parsed. */
function result<T>(child: ChildProcess): Promise<T> {
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

const run = <T>(args: string[], uid?: number) => result<T>(startChild(args, uid));

/** The children's counter (see meta-child.mjs): the length of the row /counter. */
async function counter(store: MetaStore): Promise<number> {
  return (await store.getInode('/counter'))?.length ?? 0;
}

function integrity(file: string): unknown {
  const raw = new Database(file, {readonly: true});
  try {
    return raw.pragma('integrity_check', {simple: true});
  } finally {
    raw.close();
  }
}

describe('several processes on one metastore', () => {
  it('lose no update and no row, while racing to create the store', async () => {
    const rounds = 150;
    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(
      Array.from({length: N}, (_, id) =>
        run<{leases: number; overlaps: number}>(['work', journal, String(id), String(rounds), startAt]),
      ),
    );

    const store = await openStore(journal, {create: false});
    try {
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
    expect(integrity(metaStoreFile(journal))).toBe('ok');
    expect(fs.statSync(metaStoreFile(journal)).mode & 0o777).toBe(0o600);
  });

  it('give each path claimed at once by all of them to exactly one', async () => {
    const paths = 300;
    // Late enough that every child has started and opened its store under load, so they truly race.
    const startAt = Date.now() + 3000;
    const results = await Promise.all(
      Array.from({length: N}, (_, id) => run<{won: string[]}>(['claim', journal, String(id), String(paths), String(startAt)])),
    );
    const won = results.flatMap((r) => r.won).sort();
    expect(won).toEqual(Array.from({length: paths}, (_, i) => `/p${i}`).sort());
    // Racing, not taking turns: more than one process won some.
    expect(results.filter((r) => r.won.length > 0).length).toBeGreaterThan(1);
    expect(integrity(metaStoreFile(journal))).toBe('ok');
  });

  it('survive a format in the middle: clean failures, no corruption, no update lost on either side', async () => {
    await (await openStore(journal)).close();
    const increments = 300;
    const startAt = String(Date.now() + 1500);
    const children = Array.from({length: N}, () =>
      result<{written: number[]; reopened: number}>(startChild(['tolerant', journal, String(increments), startAt])),
    );
    const watch = await openStore(journal);
    while ((await counter(watch)) < (N * increments) / 4) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await formatStore(journal);
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
    expect(integrity(metaStoreFile(journal))).toBe('ok');
  });

  it('wait for one that is setting up a new file, though SQLite does not wait to switch it to WAL', async () => {
    const holder = startChild(['lockFresh', journal, '1000']);
    const done = result<{ok: boolean}>(holder);
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const started = Date.now();
    const store = await openStore(journal);
    try {
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      await store.setValue('k', 'v');
    } finally {
      await store.close();
    }
    await done;
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    expect(raw.pragma('journal_mode', {simple: true})).toBe('wal');
    raw.close();
  });

  it('give a writer that waits longer than the busy timeout a clear error', async () => {
    await (await openStore(journal)).close();
    const holder = startChild(['hold', journal, '11500']);
    const done = result<{ok: boolean}>(holder);
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const store = await openStore(journal);
    try {
      const started = Date.now();
      let error: unknown;
      try {
        await store.setValue('k', 'v');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AlluxioError);
      expect((error as AlluxioError).message).toBe(
        `The metastore ${metaStoreFile(journal)} is busy: another process has held it for more than 10s`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
      expect(await store.getValue('held')).toBeUndefined();
    } finally {
      await store.close();
    }
    await done;
  });
});

describe.runIf(isRoot)('an unprivileged user', () => {
  const nobody = 65534;

  it('is told which folder or file it cannot write, and which property to change', async () => {
    fs.chmodSync(dir, 0o755);
    const missing = await run<{message: string; hint: string}>(['open', journal], nobody);
    expect(missing.message).toBe(`Cannot write the metastore in ${journal}: permission denied`);
    expect(missing.hint).toContain('alluxio.master.journal.folder');

    fs.mkdirSync(journal, {mode: 0o755});
    const readOnly = await run<{message: string}>(['open', journal], nobody);
    expect(readOnly.message).toBe(`Cannot write the metastore in ${journal}: permission denied`);

    fs.chmodSync(journal, 0o777);
    await (await openStore(journal)).close();
    const foreignFile = await run<{message: string}>(['open', journal], nobody);
    expect(foreignFile.message).toBe(`Cannot write the metastore ${metaStoreFile(journal)}: permission denied`);
  });
});

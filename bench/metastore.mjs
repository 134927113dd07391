#!/usr/bin/env node
// npm run bench:meta: whole-command wall times of the metastore-heavy commands, one column per store set-up, on
// the local default UFS. Issue 11's targets: each store within 3x of SQLite, and SQLite no slower than before.
//   ls        `fs ls` of a folder of 1,000 MUST_CACHE files (they exist only in the metastore and the cache)
//   chmod     `fs chmod -R` over 10,000 entries (100 folders of 99 files; the modes live in the metastore)
//   runTests  `runTests` on the local default
//   writers   8 processes at once, each `fs copyFromLocal` of BENCH_WRITER_FILES small files into one folder:
//             the wall time until the last one ends, and the median of the 8 processes; beside them one such
//             process alone, so contention shows apart from start-up
// Medians of BENCH_RUNS interleaved runs (stores alternate within a run, so machine noise hits them alike).
// A store set-up is NAME=ALLUXIO_JAVA_OPTS; with none given, SQLite (the default) alone:
//   npm run bench:meta -- --store SQLite= \
//     --store 'PostgreSQL=-Dalluxio.master.metastore=POSTGRES -Dalluxio.master.metastore.postgres.url=postgresql://u@127.0.0.1:5432/db'
// --postgres starts a throw-away PostgreSQL (test/servers/postgres.mjs on loopback) and adds it as a column (after
// SQLite when no --store is given), its password passed by env: reference:
//   npm run bench:meta -- --postgres
// Each set-up gets its own ALLUXIO_HOME and is formatted first. Not part of CI.
// Env: BENCH_RUNS (5)  BENCH_WRITER_FILES (10)
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';
import {startPostgres} from './postgres-server.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'alluxio');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const writerFiles = Number(process.env.BENCH_WRITER_FILES ?? 10);
const WRITERS = 8;
const LS_ENTRIES = 1000;
const CHMOD_FOLDERS = 100;
const CHMOD_FILES_PER_FOLDER = 99;

const {values} = parseArgs({options: {store: {type: 'string', multiple: true}, postgres: {type: 'boolean'}}});

const postgres = values.postgres ? await startPostgres() : undefined;
const specs = values.store ?? ['SQLite='];
const extraEnv = {};
if (postgres) {
  const {url, password} = postgres.ready;
  specs.push(`PostgreSQL=-Dalluxio.master.metastore=POSTGRES -Dalluxio.master.metastore.postgres.url=${url} -Dalluxio.master.metastore.postgres.password=env:BENCH_PG_PASSWORD`);
  extraEnv.BENCH_PG_PASSWORD = password;
}
const stores = specs.map((spec) => {
  const at = spec.indexOf('=');
  if (at <= 0) throw new Error(`--store takes NAME=ALLUXIO_JAVA_OPTS, got ${spec}`);
  const home = mkdtempSync(join(tmpdir(), 'alluxio-bench-meta-'));
  mkdirSync(join(home, 'conf'));
  const env = {
    ...process.env,
    ...extraEnv,
    ALLUXIO_HOME: home,
    ALLUXIO_CONF_DIR: join(home, 'conf'),
    ALLUXIO_JAVA_OPTS: spec.slice(at + 1),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return {name: spec.slice(0, at), home, env};
});
if (new Set(stores.map((s) => s.name)).size < stores.length) throw new Error('Give each --store its own NAME');
const scratch = mkdtempSync(join(tmpdir(), 'alluxio-bench-meta-src-'));

function run(store, args, extraOpts = '') {
  const env = extraOpts ? {...store.env, ALLUXIO_JAVA_OPTS: `${store.env.ALLUXIO_JAVA_OPTS} ${extraOpts}`} : store.env;
  const started = process.hrtime.bigint();
  const result = spawnSync(bin, args, {env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20});
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`[${store.name}] alluxio ${args.join(' ')} failed: ${result.stderr}`);
  return wallMs;
}

function runAsync(store, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, args, {env: store.env, stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Number(process.hrtime.bigint() - started) / 1e6);
      else reject(new Error(`[${store.name}] alluxio ${args.join(' ')} failed: ${stderr}`));
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function localFiles(dir, count, prefix = 'f') {
  mkdirSync(dir, {recursive: true});
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `${prefix}${String(i).padStart(4, '0')}`), `${prefix}${i}\n`);
}

// Sources: the ls folder's files, and each writer's own files for every run (names differ, so writers add files).
localFiles(join(scratch, 'ls'), LS_ENTRIES);
for (let r = 0; r < runs; r++) {
  for (let w = 0; w <= WRITERS; w++) localFiles(join(scratch, `run${r}`, `w${w}`), writerFiles, `r${r}w${w}-`);
}

for (const store of stores) {
  run(store, ['format']);
  run(store, ['fs', 'copyFromLocal', join(scratch, 'ls'), '/ls'], '-Dalluxio.user.file.writetype.default=MUST_CACHE');
  // The chmod tree is made in the local UFS directly: chmod -R lists it and writes one metastore row per entry.
  const tree = join(store.home, 'underFSStorage', 'chmod');
  for (let d = 0; d < CHMOD_FOLDERS; d++) localFiles(join(tree, `d${String(d).padStart(3, '0')}`), CHMOD_FILES_PER_FOLDER);
  run(store, ['fs', 'mkdir', '/writers']);
}

const samples = new Map(stores.map((s) => [s.name, {ls: [], chmod: [], runTests: [], writerAlone: [], writersAll: [], writersEach: []}]));
for (let r = 0; r < runs; r++) {
  for (const store of stores) {
    const s = samples.get(store.name);
    s.ls.push(run(store, ['fs', 'ls', '/ls']));
    // Alternating modes: every run changes all 10,000 rows.
    s.chmod.push(run(store, ['fs', 'chmod', '-R', r % 2 ? '755' : '700', '/chmod']));
    s.runTests.push(run(store, ['runTests']));
    s.writerAlone.push(run(store, ['fs', 'copyFromLocal', join(scratch, `run${r}`, `w${WRITERS}`, '*'), '/writers']));
    const started = process.hrtime.bigint();
    const each = await Promise.all(
      Array.from({length: WRITERS}, (_, w) => runAsync(store, ['fs', 'copyFromLocal', join(scratch, `run${r}`, `w${w}`, '*'), '/writers'])),
    );
    s.writersAll.push(Number(process.hrtime.bigint() - started) / 1e6);
    s.writersEach.push(median(each));
  }
  process.stderr.write(`run ${r + 1}/${runs} done\n`);
}

const ROWS = [
  ['ls', `fs ls of ${LS_ENTRIES} entries`],
  ['chmod', `fs chmod -R of ${CHMOD_FOLDERS * (CHMOD_FILES_PER_FOLDER + 1)} entries`],
  ['runTests', 'runTests (local default)'],
  ['writerAlone', `1 writer alone (${writerFiles} files)`],
  ['writersAll', `${WRITERS} writers at once, until the last ends (${writerFiles} files each)`],
  ['writersEach', `${WRITERS} writers at once, median process`],
];
const base = stores[0].name;
console.log(`\n## Metastore, wall ms per command (median of ${runs} runs; ratio to ${base})`);
console.log(`| command | ${stores.map((s) => s.name).join(' | ')} |`);
console.log(`| --- |${stores.map(() => ' ---: |').join('')}`);
for (const [key, label] of ROWS) {
  const baseMs = median(samples.get(base)[key]);
  const cells = stores.map((s) => {
    const ms = median(samples.get(s.name)[key]);
    return s.name === base ? ms.toFixed(0) : `${ms.toFixed(0)} (${(ms / baseMs).toFixed(2)}x)`;
  });
  console.log(`| ${label} | ${cells.join(' | ')} |`);
}
for (const store of stores) {
  // A store in PostgreSQL must have left no SQLite file behind.
  if (/metastore=POSTGRES/.test(store.env.ALLUXIO_JAVA_OPTS) && existsSync(join(store.home, 'journal', 'metastore.db'))) {
    console.error(`[${store.name}] a metastore.db was created in ${join(store.home, 'journal')}`);
    process.exitCode = 1;
  }
  rmSync(store.home, {recursive: true, force: true});
}
await postgres?.stop();
rmSync(scratch, {recursive: true, force: true});

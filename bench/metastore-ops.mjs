#!/usr/bin/env node
// npm run bench:meta:ops: the metastore operations behind the benchmark commands, SQLite (a file in a temp
// folder) beside PostgreSQL (test/servers/postgres.mjs on loopback), store calls only (no CLI around them):
// opening a store (every command does), listing a 1,000-entry folder, a chmod -R of 10,000 rows as one
// transaction, and 8 processes writing at once. Medians of BENCH_RUNS runs (default 5). Not part of CI.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';

import {build} from 'esbuild';

import {startPostgres} from './postgres-server.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'alluxio-bench-meta-'));

// The stores bundled from src/ (the pg driver and better-sqlite3 from node_modules).
writeFileSync(join(work, 'package.json'), '{"type": "module"}\n');
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
await build({
  entryPoints: {pg: join(root, 'src/meta/postgres-store.ts'), sqlite: join(root, 'src/meta/sqlite-store.ts')},
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outdir: work,
  external: ['pg', 'better-sqlite3'], logLevel: 'warning',
});

const postgres = await startPostgres();
const {ready} = postgres;

const {PostgresMetaStore} = await import(pathToFileURL(join(work, 'pg.js')).href);
const {SqliteMetaStore} = await import(pathToFileURL(join(work, 'sqlite.js')).href);
const pgOptions = {
  target: {user: ready.user, host: ready.host, port: ready.port, database: ready.database},
  password: ready.password, host: 'bench', poolSize: 4, connectTimeoutMs: 10_000,
};
const journal = join(work, 'metastore.db');
const openSqlite = () => new SqliteMetaStore(journal, 'bench');
const inode = (path, mode) => ({path, isDirectory: false, state: 'PERSISTED', creationTime: 1, modificationTime: 1, mode});

async function median(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

// The same data in both: a 1,000-entry folder and a 10,000-row tree.
await PostgresMetaStore.format(pgOptions);
const sqlite = openSqlite();
const pg = await PostgresMetaStore.open(pgOptions);
for (const store of [sqlite, pg]) {
  await store.modifyInodes(Array.from({length: 1000}, (_, i) => `/ls/f${i}`), (p) => inode(p));
  await store.modifyInodes(Array.from({length: 10_000}, (_, i) => `/tree/d${i % 100}/f${i}`), (p) => inode(p));
}
const chmodTree = (store) => async (i) => {
  const below = await store.listDescendantInodes('/tree');
  await store.modifyInodes(below.map((r) => r.path), (p, current) => ({...current, mode: 0o700 + i}));
};

const rows = [];
rows.push(['open a store and read the mount table',
  await median(async () => { const s = openSqlite(); await s.listMounts(); await s.close(); }),
  await median(async () => { const s = await PostgresMetaStore.open(pgOptions); await s.listMounts(); await s.close(); })]);
rows.push(['list a 1,000-entry folder',
  await median(() => sqlite.listChildInodes('/ls')),
  await median(() => pg.listChildInodes('/ls'))]);
rows.push(['chmod -R of 10,000 rows (read the tree, write every row)', await median(chmodTree(sqlite)), await median(chmodTree(pg))]);
await sqlite.close();
await pg.close();

// 8 processes at once, each 200 single-row writes (each its own transaction).
const child = `
  const [kind, url, opts, id] = process.argv.slice(1);
  const m = await import(url);
  const row = (i) => ({path: '/w/' + id + '-' + i, isDirectory: false, state: 'PERSISTED', creationTime: 1, modificationTime: 1});
  const s = kind === 'sqlite' ? new m.SqliteMetaStore(opts, 'bench') : await m.PostgresMetaStore.open(JSON.parse(opts));
  for (let i = 0; i < 200; i++) await s.putInode(row(i));
  await s.close();`;
const parallel = (kind) => median(() => Promise.all(Array.from({length: 8}, (_, id) => new Promise((resolve, reject) => {
  const args = kind === 'sqlite'
    ? [pathToFileURL(join(work, 'sqlite.js')).href, journal]
    : [pathToFileURL(join(work, 'pg.js')).href, JSON.stringify(pgOptions)];
  const p = spawn(process.execPath, ['--input-type=module', '-e', child, kind, ...args, String(id)], {stdio: 'inherit'});
  p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${kind} writer exited ${code}`))));
}))));
rows.push(['8 processes x 200 single-row writes at once', await parallel('sqlite'), await parallel('pg')]);

console.log(`metastore operations, median of ${runs} (ms); PostgreSQL ${ready.url.replace(/\/\/.*@/, '//…@')} on loopback`);
console.log(`${'operation'.padEnd(58)} ${'SQLite'.padStart(9)} ${'PostgreSQL'.padStart(11)} ${'ratio'.padStart(6)}`);
for (const [name, a, b] of rows) {
  console.log(`${name.padEnd(58)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(11)} ${(b / a).toFixed(1).padStart(5)}x`);
}

await postgres.stop();
rmSync(work, {recursive: true, force: true});

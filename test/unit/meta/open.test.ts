import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import {MIGRATIONS, SCHEMA_VERSION} from '../../../src/meta/schema.js';
import type {MetaStore} from '../../../src/meta/store.js';
import {formatStore, inode, openStore} from '../../helpers/meta-store.js';
import {rejectionOf} from '../../helpers/thrown.js';

let dir: string;
let journal: string;
let store: MetaStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-unit-'));
  journal = path.join(dir, 'journal');
  store = await openStore(journal);
});

afterEach(async () => {
  await store.close();
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, {recursive: true, force: true});
});

const putAll = async (...ps: string[]) => {
  for (const p of ps) await store.putInode(inode(p));
};
const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('opening', () => {
  it('creates the folder 0700 and the file, its WAL and shared memory 0600', async () => {
    await store.setValue('k', 'v');
    const file = metaStoreFile(journal);
    expect(mode(journal)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    const raw = new Database(file, {readonly: true});
    expect(raw.pragma('journal_mode', {simple: true})).toBe('wal');
    raw.close();
  });

  it('takes back wider bits of an existing file', async () => {
    await store.close();
    const file = metaStoreFile(journal);
    fs.chmodSync(file, 0o644);
    store = await openStore(journal);
    expect(mode(file)).toBe(0o600);
  });

  it('keeps what was written across opens', async () => {
    await store.setValue('k', 'v');
    await store.close();
    store = await openStore(journal, {create: false});
    expect(await store.getValue('k')).toBe('v');
  });

  it('refuses to create with create: false', async () => {
    const e = await rejectionOf(() => openStore(path.join(dir, 'none'), {create: false}));
    expect(e.message).toBe(`No metastore in ${path.join(dir, 'none')}`);
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('says so when the folder is not writable', async () => {
    fs.chmodSync(dir, 0o500);
    const folder = path.join(dir, 'sub');
    const e = await rejectionOf(() => openStore(folder));
    expect(e.message).toBe(`Cannot write the metastore in ${folder}: permission denied`);
    expect(e.hint).toContain('alluxio.master.journal.folder');
  });

  it('says so when a file is in the way of the folder', async () => {
    const folder = path.join(dir, 'file');
    fs.writeFileSync(folder, 'x');
    const e = await rejectionOf(() => openStore(path.join(folder, 'journal')));
    expect(e.message).toBe(`Cannot write the metastore in ${path.join(folder, 'journal')}: not a directory`);
  });

  it('says a file that is not SQLite is corrupt, and leaves it alone', async () => {
    const folder = path.join(dir, 'bad');
    fs.mkdirSync(folder);
    const file = metaStoreFile(folder);
    fs.writeFileSync(file, 'this is not a database, just text long enough to have a header'.repeat(20));
    const e = await rejectionOf(() => openStore(folder));
    expect(e.message).toBe(`The metastore ${file} is corrupt or not an Alluxio metastore`);
    expect(e.hint).toContain('alluxio format');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^this is not a database/);
  });

  it('refuses a SQLite database of another application', async () => {
    const folder = path.join(dir, 'foreign');
    fs.mkdirSync(folder);
    const raw = new Database(metaStoreFile(folder));
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    expect((await rejectionOf(() => openStore(folder))).message).toMatch(/is corrupt or not an Alluxio metastore$/);
  });

  it('refuses a schema newer than it knows, without touching the file', async () => {
    await store.close();
    const file = metaStoreFile(journal);
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const e = await rejectionOf(() => openStore(journal));
    expect(e.kind).toBe('FAILED_PRECONDITION');
    expect(e.message).toMatch(/has schema version 99, newer than this alluxio \(\d+\) understands$/);
    expect(e.hint).toContain('Upgrade');
    const check = new Database(file, {readonly: true});
    expect(check.pragma('user_version', {simple: true})).toBe(99);
    check.close();
    store = await openStore(path.join(dir, 'other'));
  });

  it('brings a store of the first schema up to date, keeping what it holds', async () => {
    const folder = path.join(dir, 'v1');
    fs.mkdirSync(folder);
    const raw = new Database(metaStoreFile(folder));
    raw.exec(MIGRATIONS[0]);
    raw.exec("INSERT INTO kv (key, value) VALUES ('k', 'v')");
    raw.pragma('application_id = 0x416c7578');
    raw.pragma('user_version = 1');
    raw.close();
    await store.close();
    store = await openStore(folder);
    expect(await store.getValue('k')).toBe('v');
    expect(await store.tryClaimPath('/a', 'w1', {viewedAt: 0, now: 0, ttlMs: 1000})).toBe(true);
    const check = new Database(metaStoreFile(folder), {readonly: true});
    expect(check.pragma('user_version', {simple: true})).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('brings a store of the schema before the seam up to date: its rows read with no cache host, workers start empty', async () => {
    const folder = path.join(dir, 'v5');
    fs.mkdirSync(folder);
    const raw = new Database(metaStoreFile(folder));
    for (const migration of MIGRATIONS.slice(0, 5)) raw.exec(migration);
    raw.exec(`INSERT INTO inodes (path, parent, is_dir, state, length, creation_time, modification_time, cache_key)
              VALUES ('/f', '/', 0, 'TO_BE_PERSISTED', 3, 1, 1, 'private-1')`);
    raw.pragma('application_id = 0x416c7578');
    raw.pragma('user_version = 5');
    raw.close();
    await store.close();
    store = await openStore(folder);
    expect(await store.getInode('/f')).toEqual(inode('/f', {state: 'TO_BE_PERSISTED', length: 3, cacheKey: 'private-1'}));
    expect((await store.getInode('/f'))?.cacheHost).toBeUndefined();
    expect(await store.listWorkers()).toEqual([]);
    await store.putInode(inode('/g', {state: 'NOT_PERSISTED', cacheKey: 'private-2', cacheHost: 'h1'}));
    expect((await store.getInode('/g'))?.cacheHost).toBe('h1');
  });

  it('records its application id and schema version', async () => {
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    expect(raw.pragma('application_id', {simple: true})).toBe(0x416c7578);
    expect(raw.pragma('user_version', {simple: true})).toBeGreaterThan(0);
    raw.close();
  });
});

describe('format', () => {
  it('empties the store in place, leaves no secret in its files, and touches no other file', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET';
    const options = {'s3a.secretKey': secret};
    await store.addMount({alluxioPath: '/', ufsUri: 's3://b', readOnly: false, shared: false, options, createdAt: 1});
    await store.setValue('k', 'v');
    await putAll('/a', '/a/b');
    for (const keep of ['metastore.db.bak', 'notes']) fs.writeFileSync(path.join(journal, keep), 'x');
    const before = fs.readdirSync(journal).sort();

    await formatStore(journal);
    expect(fs.readdirSync(journal).sort()).toEqual(before);
    for (const f of fs.readdirSync(journal).filter((f) => f.startsWith('metastore.db-'))) {
      expect(fs.readFileSync(path.join(journal, f)).includes(secret)).toBe(false);
    }
    expect(fs.readFileSync(metaStoreFile(journal)).includes(secret)).toBe(false);
    expect(mode(metaStoreFile(journal))).toBe(0o600);

    await store.close();
    store = await openStore(journal);
    expect(await Promise.all([store.getValue('k'), store.getMount('/'), store.getInode('/a')])).toEqual([undefined, undefined, undefined]);
  });

  it('makes a store opened before fail its next write clearly, while its reads see the fresh store', async () => {
    await store.setValue('k', 'old');
    await formatStore(journal);
    const e = await rejectionOf(() => store.setValue('k', 'lost'));
    expect(e.kind).toBe('FAILED_PRECONDITION');
    expect(e.message).toBe(`The metastore ${metaStoreFile(journal)} was formatted while this command was running`);
    expect(e.hint).toBe('Run the command again');
    expect((await rejectionOf(() => store.createInode(inode('/x')))).kind).toBe('FAILED_PRECONDITION');
    expect(await store.getValue('k')).toBeUndefined();

    const fresh = await openStore(journal);
    try {
      await fresh.setValue('k', 'new');
      expect(await store.getValue('k')).toBe('new');
    } finally {
      await fresh.close();
    }
  });

  it('makes a newer or foreign database usable again', async () => {
    await store.close();
    const raw = new Database(metaStoreFile(journal));
    raw.exec('CREATE TABLE "odd ""name" (x); CREATE VIEW v AS SELECT 1');
    raw.exec('CREATE TRIGGER t AFTER INSERT ON kv BEGIN SELECT 1; END');
    raw.pragma('user_version = 99');
    raw.close();
    await expect(openStore(journal)).rejects.toThrow(/newer than this alluxio/);
    await formatStore(journal);
    store = await openStore(journal);
    await store.setValue('k', 'v');
    const check = new Database(metaStoreFile(journal), {readonly: true});
    const names = check.prepare("SELECT name FROM sqlite_schema WHERE name IN ('odd \"name', 'v', 't')").all();
    check.close();
    expect(names).toEqual([]);
  });

  it('deletes a file that is not a database, with its -wal/-shm only; does nothing where there is nothing', async () => {
    await formatStore(path.join(dir, 'never-created'));
    expect(fs.existsSync(path.join(dir, 'never-created'))).toBe(false);
    const folder = path.join(dir, 'bad');
    fs.mkdirSync(folder);
    const file = metaStoreFile(folder);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.bak`]) fs.writeFileSync(f, 'garbage'.repeat(200));
    await formatStore(folder);
    expect(fs.readdirSync(folder)).toEqual(['metastore.db.bak']);
  });
});

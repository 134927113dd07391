import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {formatMetaStore, metaStoreFile, openMetaStore} from '../../../src/meta/open.js';
import {MIGRATIONS, SCHEMA_VERSION} from '../../../src/meta/schema.js';
import type {InodeRecord, MetaStore} from '../../../src/meta/store.js';
import {errorOf} from '../../helpers/thrown.js';

let dir: string;
let journal: string;
let store: MetaStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-unit-'));
  journal = path.join(dir, 'journal');
  store = openMetaStore(journal);
});

afterEach(() => {
  store.close();
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, {recursive: true, force: true});
});

const inode = (p: string, extra: Partial<InodeRecord> = {}): InodeRecord => ({
  path: p,
  isDirectory: false,
  state: 'PERSISTED',
  creationTime: 1,
  modificationTime: 1,
  ...extra,
});
const putAll = (...ps: string[]) => ps.forEach((p) => store.putInode(inode(p)));
const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('opening', () => {
  it('creates the folder 0700 and the file, its WAL and shared memory 0600', () => {
    store.setValue('k', 'v');
    const file = metaStoreFile(journal);
    expect(mode(journal)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    const raw = new Database(file, {readonly: true});
    expect(raw.pragma('journal_mode', {simple: true})).toBe('wal');
    raw.close();
  });

  it('takes back wider bits of an existing file', () => {
    store.close();
    const file = metaStoreFile(journal);
    fs.chmodSync(file, 0o644);
    store = openMetaStore(journal);
    expect(mode(file)).toBe(0o600);
  });

  it('keeps what was written across opens', () => {
    store.setValue('k', 'v');
    store.close();
    store = openMetaStore(journal, {create: false});
    expect(store.getValue('k')).toBe('v');
  });

  it('refuses to create with create: false', () => {
    const e = errorOf(() => openMetaStore(path.join(dir, 'none'), {create: false}));
    expect(e.message).toBe(`No metastore in ${path.join(dir, 'none')}`);
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('says so when the folder is not writable', () => {
    fs.chmodSync(dir, 0o500);
    const folder = path.join(dir, 'sub');
    const e = errorOf(() => openMetaStore(folder));
    expect(e.message).toBe(`Cannot write the metastore in ${folder}: permission denied`);
    expect(e.hint).toContain('alluxio.master.journal.folder');
  });

  it('says so when a file is in the way of the folder', () => {
    const folder = path.join(dir, 'file');
    fs.writeFileSync(folder, 'x');
    const e = errorOf(() => openMetaStore(path.join(folder, 'journal')));
    expect(e.message).toBe(`Cannot write the metastore in ${path.join(folder, 'journal')}: not a directory`);
  });

  it('says a file that is not SQLite is corrupt, and leaves it alone', () => {
    const folder = path.join(dir, 'bad');
    fs.mkdirSync(folder);
    const file = metaStoreFile(folder);
    fs.writeFileSync(file, 'this is not a database, just text long enough to have a header'.repeat(20));
    const e = errorOf(() => openMetaStore(folder));
    expect(e.message).toBe(`The metastore ${file} is corrupt or not an Alluxio metastore`);
    expect(e.hint).toContain('alluxio format');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^this is not a database/);
  });

  it('refuses a SQLite database of another application', () => {
    const folder = path.join(dir, 'foreign');
    fs.mkdirSync(folder);
    const raw = new Database(metaStoreFile(folder));
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    expect(errorOf(() => openMetaStore(folder)).message).toMatch(/is corrupt or not an Alluxio metastore$/);
  });

  it('refuses a schema newer than it knows, without touching the file', () => {
    store.close();
    const file = metaStoreFile(journal);
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const e = errorOf(() => openMetaStore(journal));
    expect(e.kind).toBe('FAILED_PRECONDITION');
    expect(e.message).toMatch(/has schema version 99, newer than this alluxio \(\d+\) understands$/);
    expect(e.hint).toContain('Upgrade');
    const check = new Database(file, {readonly: true});
    expect(check.pragma('user_version', {simple: true})).toBe(99);
    check.close();
    store = openMetaStore(path.join(dir, 'other'));
  });

  it('brings a store of the first schema up to date, keeping what it holds', () => {
    const folder = path.join(dir, 'v1');
    fs.mkdirSync(folder);
    const raw = new Database(metaStoreFile(folder));
    raw.exec(MIGRATIONS[0]);
    raw.exec("INSERT INTO kv (key, value) VALUES ('k', 'v')");
    raw.pragma('application_id = 0x416c7578');
    raw.pragma('user_version = 1');
    raw.close();
    store.close();
    store = openMetaStore(folder);
    expect(store.getValue('k')).toBe('v');
    expect(store.tryClaimPath('/a', 'w1', {viewedAt: 0, now: 0, ttlMs: 1000})).toBe(true);
    const check = new Database(metaStoreFile(folder), {readonly: true});
    expect(check.pragma('user_version', {simple: true})).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('records its application id and schema version', () => {
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    expect(raw.pragma('application_id', {simple: true})).toBe(0x416c7578);
    expect(raw.pragma('user_version', {simple: true})).toBeGreaterThan(0);
    raw.close();
  });
});

describe('format', () => {
  it('empties the store in place, leaves no secret in its files, and touches no other file', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET';
    const options = {'s3a.secretKey': secret};
    store.putMount({alluxioPath: '/', ufsUri: 's3://b', readOnly: false, shared: false, options, createdAt: 1});
    store.setValue('k', 'v');
    putAll('/a', '/a/b');
    for (const keep of ['metastore.db.bak', 'notes']) fs.writeFileSync(path.join(journal, keep), 'x');
    const before = fs.readdirSync(journal).sort();

    formatMetaStore(journal);
    expect(fs.readdirSync(journal).sort()).toEqual(before);
    for (const f of fs.readdirSync(journal).filter((f) => f.startsWith('metastore.db-'))) {
      expect(fs.readFileSync(path.join(journal, f)).includes(secret)).toBe(false);
    }
    expect(fs.readFileSync(metaStoreFile(journal)).includes(secret)).toBe(false);
    expect(mode(metaStoreFile(journal))).toBe(0o600);

    store.close();
    store = openMetaStore(journal);
    expect([store.getValue('k'), store.getMount('/'), store.getInode('/a')]).toEqual([undefined, undefined, undefined]);
  });

  it('makes a store opened before fail its next write clearly, while its reads see the fresh store', () => {
    store.setValue('k', 'old');
    formatMetaStore(journal);
    const e = errorOf(() => store.setValue('k', 'lost'));
    expect(e.kind).toBe('FAILED_PRECONDITION');
    expect(e.message).toBe(`The metastore ${metaStoreFile(journal)} was formatted while this command was running`);
    expect(e.hint).toBe('Run the command again');
    expect(errorOf(() => store.transaction(() => 1)).kind).toBe('FAILED_PRECONDITION');
    expect(store.getValue('k')).toBeUndefined();

    const fresh = openMetaStore(journal);
    try {
      fresh.setValue('k', 'new');
      expect(store.getValue('k')).toBe('new');
    } finally {
      fresh.close();
    }
  });

  it('makes a newer or foreign database usable again', () => {
    store.close();
    const raw = new Database(metaStoreFile(journal));
    raw.exec('CREATE TABLE "odd ""name" (x); CREATE VIEW v AS SELECT 1');
    raw.exec('CREATE TRIGGER t AFTER INSERT ON kv BEGIN SELECT 1; END');
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openMetaStore(journal)).toThrow(/newer than this alluxio/);
    formatMetaStore(journal);
    store = openMetaStore(journal);
    store.setValue('k', 'v');
    const check = new Database(metaStoreFile(journal), {readonly: true});
    const names = check.prepare("SELECT name FROM sqlite_schema WHERE name IN ('odd \"name', 'v', 't')").all();
    check.close();
    expect(names).toEqual([]);
  });

  it('deletes a file that is not a database, with its -wal/-shm only; does nothing where there is nothing', () => {
    formatMetaStore(path.join(dir, 'never-created'));
    expect(fs.existsSync(path.join(dir, 'never-created'))).toBe(false);
    const folder = path.join(dir, 'bad');
    fs.mkdirSync(folder);
    const file = metaStoreFile(folder);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.bak`]) fs.writeFileSync(f, 'garbage'.repeat(200));
    formatMetaStore(folder);
    expect(fs.readdirSync(folder)).toEqual(['metastore.db.bak']);
  });
});

import {existsSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {WriteType} from '../../../src/fs/types.js';
import {
  type FsFolders,
  type OpenedFs,
  errorOf,
  makeFolders,
  openFs,
  readAll,
  removeFolders,
} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-write-read-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

const DATA = 'The quick brown fox jumps over the lazy dog';

/** Writes, then returns the status the file has afterwards. */
async function write(path: string, writeType: WriteType, content = DATA, recursive = true) {
  await opened.fs.createFile(path, Readable.from([Buffer.from(content)]), {
    length: Buffer.byteLength(content),
    recursive,
    writeType,
  });
  return opened.fs.getStatus(path);
}

const ufsFile = (rel: string) => join(folders.ufs, rel);

describe('write types', () => {
  it('MUST_CACHE: NOT_PERSISTED, 100% cached, nothing in the UFS', async () => {
    const s = await write('/d/f', 'MUST_CACHE');
    expect(s).toMatchObject({path: '/d/f', length: DATA.length, persistenceState: 'NOT_PERSISTED', inAlluxioPercentage: 100});
    expect(existsSync(ufsFile('d/f'))).toBe(false);
    expect(existsSync(ufsFile('d'))).toBe(false);
    expect((await opened.fs.getStatus('/d')).persistenceState).toBe('NOT_PERSISTED');
    expect(await opened.ctx.cache.usedBytes()).toBe(DATA.length);
    expect(await readAll((await opened.fs.open('/d/f', 'NO_CACHE')).stream)).toBe(DATA);
  });

  it('MUST_CACHE data is pinned: persisted data is evicted first, never it', async () => {
    await opened.store.close();
    opened = await openFs(folders, {quotaBytes: 100});
    await write('/pinned', 'MUST_CACHE', 'p'.repeat(60));
    const e = await errorOf(() => write('/big', 'MUST_CACHE', 'b'.repeat(50)));
    expect(e.message).toBe('Cannot write /big with MUST_CACHE: 50 bytes do not fit in the Alluxio worker cache');
    expect(e.hint).toBe(
      'Raise alluxio.worker.tieredstore.level0.dirs.quota, free cached data with "alluxio fs free", or use another write type.',
    );
    expect(await opened.fs.exists('/big')).toBe(false);
    expect(await readAll((await opened.fs.open('/pinned')).stream)).toBe('p'.repeat(60));
  });

  it('THROUGH: PERSISTED, 0% cached, the UFS holds the data', async () => {
    const s = await write('/d/f', 'THROUGH');
    expect(s).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 0, length: DATA.length});
    expect(readFileSync(ufsFile('d/f'), 'utf8')).toBe(DATA);
    expect((await opened.fs.getStatus('/d')).persistenceState).toBe('PERSISTED');
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });

  it('CACHE_THROUGH: PERSISTED, 100% cached, in the UFS too', async () => {
    const s = await write('/d/f', 'CACHE_THROUGH');
    expect(s).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 100, length: DATA.length});
    expect(readFileSync(ufsFile('d/f'), 'utf8')).toBe(DATA);
    expect(await opened.ctx.cache.usedBytes()).toBe(DATA.length);
    const again = await opened.fs.getStatus('/d/f');
    expect(again.inAlluxioPercentage).toBe(100);
  });

  it('ASYNC_THROUGH: TO_BE_PERSISTED and cached until close() persists it', async () => {
    const s = await write('/d/f', 'ASYNC_THROUGH');
    expect(s).toMatchObject({persistenceState: 'TO_BE_PERSISTED', inAlluxioPercentage: 100});
    expect(existsSync(ufsFile('d/f'))).toBe(false);
    expect(await readAll((await opened.fs.open('/d/f')).stream)).toBe(DATA);

    await opened.fs.close();
    expect(readFileSync(ufsFile('d/f'), 'utf8')).toBe(DATA);

    opened = await openFs(folders);
    const after = await opened.fs.getStatus('/d/f');
    expect(after).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 100, length: DATA.length, owner: 'alice'});
    expect((await opened.fs.getStatus('/d')).persistenceState).toBe('PERSISTED');
    expect(await opened.ctx.cache.usedBytes()).toBe(DATA.length);
    expect(await opened.store.getInode('/d/f')).toMatchObject({state: 'PERSISTED', cacheKey: undefined, length: undefined});
  });

  it('the default write type is ASYNC_THROUGH', async () => {
    expect(opened.fs.defaultWriteType).toBe('ASYNC_THROUGH');
    await opened.fs.createFile('/f', Readable.from([Buffer.from('x')]), {length: 1, recursive: false});
    expect((await opened.fs.getStatus('/f')).persistenceState).toBe('TO_BE_PERSISTED');
  });

  it('alluxio.user.file.writetype.default changes the default', async () => {
    await opened.store.close();
    opened = await openFs(folders, {conf: {'alluxio.user.file.writetype.default': 'THROUGH'}});
    await opened.fs.touch('/t');
    expect((await opened.fs.getStatus('/t')).persistenceState).toBe('PERSISTED');
    expect(existsSync(ufsFile('t'))).toBe(true);
  });

  it('a file larger than the cache is written THROUGH with a warning', async () => {
    await opened.store.close();
    opened = await openFs(folders, {quotaBytes: 10});
    const s = await write('/big', 'CACHE_THROUGH', 'x'.repeat(20));
    expect(s).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 0});
    expect(opened.warnings).toEqual(['/big (20 bytes) does not fit in the worker cache: writing it THROUGH to the under storage.']);
    expect(readFileSync(ufsFile('big'), 'utf8')).toBe('x'.repeat(20));
  });

  it('files written at once that do not all fit: as many as fit are cached, the others go THROUGH, none fails', async () => {
    await opened.store.close();
    opened = await openFs(folders, {quotaBytes: 100});
    // ASYNC_THROUGH data is pinned until persisted: nothing can be evicted to make room
    const names = Array.from({length: 8}, (_, i) => `/at${i}`);
    const statuses = await Promise.all(names.map((name) => write(name, 'ASYNC_THROUGH', 'y'.repeat(30))));
    expect(statuses.filter((s) => s.persistenceState === 'TO_BE_PERSISTED')).toHaveLength(3);
    expect(statuses.filter((s) => s.persistenceState === 'PERSISTED')).toHaveLength(5);
    expect(opened.warnings).toHaveLength(5);
    expect(await opened.ctx.cache.usedBytes()).toBe(90);
    for (const name of names) expect(await readAll((await opened.fs.open(name)).stream)).toBe('y'.repeat(30));
  });

  it('refuses to create an existing file', async () => {
    writeFileSync(ufsFile('f'), 'x');
    const e = await errorOf(() => write('/f', 'MUST_CACHE'));
    expect(e.message).toBe('Not allowed to create file because path already exists: /f');
    expect(e.kind).toBe('ALREADY_EXISTS');
  });

  it('refuses a missing parent unless recursive', async () => {
    const e = await errorOf(() => write('/no/f', 'THROUGH', DATA, false));
    expect(e.message).toBe('Path "/no" does not exist.');
    expect(existsSync(ufsFile('no'))).toBe(false);
  });

  it('refuses a parent that is a file', async () => {
    writeFileSync(ufsFile('file'), 'x');
    const e = await errorOf(() => write('/file/f', 'THROUGH'));
    expect(e.message).toBe('Could not traverse to parent directory of path /file/f. Component file is not a directory.');
  });

  it('a source that gives fewer bytes than announced leaves nothing behind', async () => {
    const e = await errorOf(() =>
      opened.fs.createFile('/short', Readable.from([Buffer.from('abc')]), {length: 10, recursive: false, writeType: 'MUST_CACHE'}),
    );
    expect(e.message).toContain('the source gave 3 bytes, 10 expected');
    expect(await opened.fs.exists('/short')).toBe(false);
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });

  it('mkdir: persisted for THROUGH, Alluxio only for MUST_CACHE', async () => {
    await opened.fs.mkdir('/p/q', {recursive: true, writeType: 'THROUGH'});
    expect(existsSync(ufsFile('p/q'))).toBe(true);
    await opened.fs.mkdir('/m', {recursive: false, writeType: 'MUST_CACHE'});
    expect(existsSync(ufsFile('m'))).toBe(false);
    expect(await opened.fs.getStatus('/m')).toMatchObject({isDirectory: true, persistenceState: 'NOT_PERSISTED', mode: 0o755, owner: 'alice'});
    expect((await errorOf(() => opened.fs.mkdir('/m', {recursive: false}))).message).toBe(
      'Not allowed to create directory because path already exists: /m',
    );
    expect((await errorOf(() => opened.fs.mkdir('/', {recursive: true}))).message).toBe(
      'Not allowed to create existing root path: /',
    );
    expect((await errorOf(() => opened.fs.mkdir('/x/y', {recursive: false}))).message).toBe('Path "/x" does not exist.');
  });

  it('a THROUGH write below an Alluxio-only directory persists that directory', async () => {
    await opened.fs.mkdir('/m', {recursive: false, writeType: 'MUST_CACHE'});
    await write('/m/f', 'THROUGH');
    expect(existsSync(ufsFile('m/f'))).toBe(true);
    expect((await opened.fs.getStatus('/m')).persistenceState).toBe('PERSISTED');
  });
});

describe('read types', () => {
  beforeEach(() => {
    writeFileSync(ufsFile('f'), DATA);
  });

  it('NO_CACHE reads from the UFS and never fills the cache', async () => {
    const {stream, status} = await opened.fs.open('/f', 'NO_CACHE');
    expect(await readAll(stream)).toBe(DATA);
    expect(status.inAlluxioPercentage).toBe(0);
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
    expect((await opened.fs.getStatus('/f')).inAlluxioPercentage).toBe(0);
  });

  it.each(['CACHE', 'CACHE_PROMOTE'] as const)('%s keeps a copy of what it reads', async (readType) => {
    const {stream, status} = await opened.fs.open('/f', readType);
    expect(await readAll(stream)).toBe(DATA);
    expect(status.inAlluxioPercentage).toBe(100);
    expect(await opened.ctx.cache.usedBytes()).toBe(DATA.length);
    expect((await opened.fs.getStatus('/f')).inAlluxioPercentage).toBe(100);
  });

  it('the default read type is CACHE', async () => {
    expect(opened.fs.defaultReadType).toBe('CACHE');
    await readAll((await opened.fs.open('/f')).stream);
    expect(await opened.ctx.cache.usedBytes()).toBe(DATA.length);
  });

  it('NO_CACHE still serves cached data when the cache holds the current version', async () => {
    await readAll((await opened.fs.open('/f', 'CACHE')).stream);
    const {status, stream} = await opened.fs.open('/f', 'NO_CACHE');
    expect(await readAll(stream)).toBe(DATA);
    expect(status.inAlluxioPercentage).toBe(100);
  });

  it('a changed UFS file (other size) is never served stale', async () => {
    await readAll((await opened.fs.open('/f', 'CACHE')).stream);
    writeFileSync(ufsFile('f'), 'v2 is longer than the first version');
    expect((await opened.fs.getStatus('/f')).inAlluxioPercentage).toBe(0);
    expect(await readAll((await opened.fs.open('/f', 'CACHE')).stream)).toBe('v2 is longer than the first version');
    expect(await readAll((await opened.fs.open('/f', 'CACHE')).stream)).toBe('v2 is longer than the first version');
  });

  it('a changed UFS file of the same size (new mtime) is never served stale', async () => {
    writeFileSync(ufsFile('g'), 'AAAA');
    utimesSync(ufsFile('g'), 1_600_000_000, 1_600_000_000);
    expect(await readAll((await opened.fs.open('/g', 'CACHE')).stream)).toBe('AAAA');
    const before = (await opened.fs.getStatus('/g')).cacheKey;
    writeFileSync(ufsFile('g'), 'BBBB');
    utimesSync(ufsFile('g'), 1_600_000_100, 1_600_000_100);
    const after = await opened.fs.getStatus('/g');
    expect(after.cacheKey).not.toBe(before);
    expect(after.inAlluxioPercentage).toBe(0);
    expect(await readAll((await opened.fs.open('/g', 'CACHE')).stream)).toBe('BBBB');
  });

  it('CACHE reads a file larger than the cache from the UFS without caching it', async () => {
    await opened.store.close();
    opened = await openFs(folders, {quotaBytes: 10});
    const {stream, status} = await opened.fs.open('/f', 'CACHE');
    expect(await readAll(stream)).toBe(DATA);
    expect(status.inAlluxioPercentage).toBe(0);
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });

  it('a directory cannot be opened', async () => {
    const e = await errorOf(() => opened.fs.open('/', 'CACHE'));
    expect(e.message).toBe('Path "/" must be a file.');
  });

  it('a missing file cannot be opened', async () => {
    expect((await errorOf(() => opened.fs.open('/none', 'CACHE'))).message).toBe('Path "/none" does not exist.');
  });
});

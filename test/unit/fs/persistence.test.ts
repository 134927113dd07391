import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {InodeRecord} from '../../../src/meta/store.js';
import {WorkerCache} from '../../../src/worker/cache.js';
import {type FsFolders, type OpenedFs, makeFolders, openFs, readAll, removeFolders} from '../../helpers/unit-fs.js';

/**
 * ASYNC_THROUGH files wait TO_BE_PERSISTED under a lease named after the path ("persist:<path>"). A writer that
 * crashed leaves the row, the cached data and a lease that expires; any later FileSystem.close() persists it.
 */
let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-persist-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

/** What a writer that died before persisting leaves behind: cached data, a TO_BE_PERSISTED row, its lease. */
async function leftByCrashedWriter(
  path: string,
  content: string,
  lease: {owner: string; expiresInMs: number},
): Promise<InodeRecord> {
  const key = WorkerCache.newPrivateKey();
  await opened.ctx.cache.write(key, Readable.from([Buffer.from(content)]), {pinned: true, expectedLength: content.length});
  const row: InodeRecord = {
    path,
    isDirectory: false,
    state: 'TO_BE_PERSISTED',
    owner: 'carol',
    group: 'staff',
    mode: 0o640,
    length: content.length,
    cacheKey: key,
    creationTime: Date.now() - 120_000,
    modificationTime: Date.now() - 120_000,
  };
  await opened.store.putInode(row);
  const now = Date.now();
  // ttl chosen so that the lease expires `expiresInMs` from now (negative: already expired).
  const acquiredAt = now - 60_000;
  expect(await opened.store.tryAcquireLease(`persist:${path}`, lease.owner, 60_000 + lease.expiresInMs, acquiredAt)).toBe(true);
  return row;
}

describe('ASYNC_THROUGH crash recovery', () => {
  it('a TO_BE_PERSISTED file whose lease expired is persisted by another FileSystem\'s close()', async () => {
    await leftByCrashedWriter('/crashed', 'orphaned data', {owner: 'dead-writer', expiresInMs: -1000});
    expect((await opened.fs.getStatus('/crashed')).persistenceState).toBe('TO_BE_PERSISTED');
    expect(existsSync(join(folders.ufs, 'crashed'))).toBe(false);

    await opened.fs.close();
    expect(readFileSync(join(folders.ufs, 'crashed'), 'utf8')).toBe('orphaned data');

    opened = await openFs(folders);
    const s = await opened.fs.getStatus('/crashed');
    expect(s).toMatchObject({persistenceState: 'PERSISTED', owner: 'carol', mode: 0o640, length: 13, inAlluxioPercentage: 100});
    expect(await readAll((await opened.fs.open('/crashed', 'NO_CACHE')).stream)).toBe('orphaned data');
  });

  it('one whose lease another live writer holds is left alone', async () => {
    await leftByCrashedWriter('/held', 'still being written', {owner: 'live-writer', expiresInMs: 60_000});
    await opened.fs.close();
    expect(existsSync(join(folders.ufs, 'held'))).toBe(false);

    opened = await openFs(folders);
    expect(await opened.fs.getStatus('/held')).toMatchObject({persistenceState: 'TO_BE_PERSISTED', inAlluxioPercentage: 100});
    expect(await opened.store.tryAcquireLease('persist:/held', 'someone-else', 1000, Date.now())).toBe(false);
  });

  it('both at once: only the expired one is persisted', async () => {
    await leftByCrashedWriter('/a', 'aaa', {owner: 'dead', expiresInMs: -1});
    await leftByCrashedWriter('/b', 'bbb', {owner: 'alive', expiresInMs: 30_000});
    await opened.fs.close();
    expect(existsSync(join(folders.ufs, 'a'))).toBe(true);
    expect(existsSync(join(folders.ufs, 'b'))).toBe(false);
  });

  it('after persisting, the lease is free for anyone', async () => {
    await leftByCrashedWriter('/c', 'ccc', {owner: 'dead', expiresInMs: -1});
    await opened.fs.close();
    opened = await openFs(folders);
    expect(await opened.store.tryAcquireLease('persist:/c', 'anyone', 1000, Date.now())).toBe(true);
  });

  it('a waiting file whose cached data is gone stays TO_BE_PERSISTED, with a warning', async () => {
    const row = await leftByCrashedWriter('/lost', 'gone', {owner: 'dead', expiresInMs: -1});
    await opened.ctx.cache.remove(row.cacheKey as string);
    await opened.fs.close();
    expect(opened.warnings).toEqual([
      'Failed to persist /lost: The data of /lost is no longer in the Alluxio worker cache: it cannot be persisted. It stays TO_BE_PERSISTED and will be retried.',
    ]);
    opened = await openFs(folders);
    expect((await opened.fs.getStatus('/lost')).persistenceState).toBe('TO_BE_PERSISTED');
  });

  it('a file written and deleted before close is not persisted', async () => {
    await opened.fs.createFile('/tmp1', Readable.from([Buffer.from('x')]), {length: 1, recursive: false, writeType: 'ASYNC_THROUGH'});
    await opened.fs.delete('/tmp1', {recursive: false, alluxioOnly: false});
    await opened.fs.close();
    expect(existsSync(join(folders.ufs, 'tmp1'))).toBe(false);
    expect(opened.warnings).toEqual([]);
  });
});

describe('the writer and a recovering process', () => {
  it('a file whose lease another process took before its writer leased it is left to that process', async () => {
    await opened.fs.createFile('/raced', Readable.from([Buffer.from('x')]), {length: 1, recursive: false, writeType: 'ASYNC_THROUGH'});
    // Another process saw the row first (between the row's commit and the writer's lease) and holds the lease.
    const held = (await opened.store.getLease('persist:/raced'))!;
    await opened.store.releaseLease(held.name, held.owner);
    expect(await opened.store.tryAcquireLease('persist:/raced', 'recovering-process', 60_000, Date.now())).toBe(true);
    await opened.fs.close();
    expect(existsSync(join(folders.ufs, 'raced'))).toBe(false);
    opened = await openFs(folders);
    expect((await opened.fs.getStatus('/raced')).persistenceState).toBe('TO_BE_PERSISTED');
  });
});

describe('ASYNC_THROUGH and attribute changes', () => {
  it('a chmod before close() is kept once the file is persisted', async () => {
    await opened.fs.createFile('/f', Readable.from([Buffer.from('abc')]), {length: 3, recursive: false, writeType: 'ASYNC_THROUGH'});
    await opened.fs.chmod('/f', 0o600, false);
    expect(await opened.fs.getStatus('/f')).toMatchObject({persistenceState: 'TO_BE_PERSISTED', mode: 0o600});
    await opened.fs.close();
    opened = await openFs(folders);
    expect(await opened.fs.getStatus('/f')).toMatchObject({persistenceState: 'PERSISTED', mode: 0o600, length: 3});
  });
});

describe('persist and free', () => {
  it('persist uploads a MUST_CACHE file; free then drops its cached copy', async () => {
    await opened.fs.createFile('/m', Readable.from([Buffer.from('mmm')]), {length: 3, recursive: false, writeType: 'MUST_CACHE'});
    expect(await opened.fs.filesToPersist('/')).toEqual([{path: '/m', length: 3}]);
    const e = await opened.fs.free('/m').catch((err: Error) => err);
    expect((e as Error).message).toBe('Cannot free file /m which is not persisted');
    expect(await opened.fs.persist('/m')).toBe(true);
    expect(readFileSync(join(folders.ufs, 'm'), 'utf8')).toBe('mmm');
    expect(await opened.fs.getStatus('/m')).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 100});
    expect(await opened.fs.persist('/m')).toBe(false);
    await opened.fs.free('/');
    expect(await opened.fs.getStatus('/m')).toMatchObject({persistenceState: 'PERSISTED', inAlluxioPercentage: 0});
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });
});

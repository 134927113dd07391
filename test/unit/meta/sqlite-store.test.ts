import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import type {InodeRecord, MetaStore, MountRecord} from '../../../src/meta/store.js';
import {formatStore, openStore} from '../../helpers/meta-store.js';

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
const paths = (list: InodeRecord[]) => list.map((i) => i.path);
const putAll = async (...ps: string[]) => {
  for (const p of ps) await store.putInode(inode(p));
};

describe('format info and key-values', () => {
  it('keeps the first format row: a later candidate gets what is stored', async () => {
    expect(await store.getFormatInfo()).toBeUndefined();
    const info = {clusterId: 'c1', superUser: 'alice', superGroup: 'staff', formattedAt: 5};
    expect(await store.initializeFormatInfo(info)).toEqual(info);
    expect(await store.initializeFormatInfo({...info, clusterId: 'c2', superUser: 'bob'})).toEqual(info);
    expect(await store.getFormatInfo()).toEqual(info);
  });

  it('sets and replaces values', async () => {
    expect(await store.getValue('last-cleanup')).toBeUndefined();
    await store.setValue('last-cleanup', '1');
    await store.setValue('last-cleanup', '2');
    expect(await store.getValue('last-cleanup')).toBe('2');
  });
});

describe('mounts', () => {
  const mount = (p: string, extra: Partial<MountRecord> = {}): MountRecord => ({
    alluxioPath: p,
    ufsUri: `s3://bucket${p}`,
    readOnly: false,
    shared: false,
    options: {},
    createdAt: 10,
    ...extra,
  });

  it('adds, gets, lists in path order, replaces, updates the triple and removes', async () => {
    const secret = {'s3a.accessKeyId': 'AKIA0001', 's3a.secretKey': 'x"y\\z'};
    expect(await store.addMount(mount('/mnt/b', {readOnly: true, shared: true, options: secret}))).toBe(true);
    expect(await store.addMount(mount('/', {ufsUri: '/data/under'}))).toBe(true);
    expect(await store.addMount(mount('/mnt/a', {ufsOwner: 'o', ufsGroup: 'g', ufsMode: 0o700}))).toBe(true);
    // A mount point taken meanwhile is refused, and left as it was.
    expect(await store.addMount(mount('/mnt/a', {ufsUri: 's3://taken'}))).toBe(false);
    expect((await store.listMounts()).map((m) => m.alluxioPath)).toEqual(['/', '/mnt/a', '/mnt/b']);
    expect(await store.getMount('/mnt/b')).toEqual(mount('/mnt/b', {readOnly: true, shared: true, options: secret}));
    expect((await store.getMount('/mnt/b'))?.ufsOwner).toBeUndefined();
    expect((await store.getMount('/mnt/a'))?.ufsUri).toBe('s3://bucket/mnt/a');

    await store.updateMountTriple('/mnt/b', {owner: 'bob', group: 'bob', mode: 0o750});
    expect(await store.getMount('/mnt/b')).toMatchObject({ufsOwner: 'bob', ufsGroup: 'bob', ufsMode: 0o750, readOnly: true});
    await store.updateMountTriple('/gone', {owner: 'x', group: 'x', mode: 0});
    expect(await store.getMount('/gone')).toBeUndefined();

    // Replaced only while it still has the UFS URI the caller saw.
    expect(await store.replaceMount(mount('/mnt/a', {readOnly: true}), 's3://elsewhere')).toBe(false);
    expect((await store.getMount('/mnt/a'))?.readOnly).toBe(false);
    expect(await store.replaceMount(mount('/mnt/a', {readOnly: true}), 's3://bucket/mnt/a')).toBe(true);
    expect((await store.getMount('/mnt/a'))?.readOnly).toBe(true);
    expect(await store.replaceMount(mount('/mnt/c'), 's3://bucket/mnt/c')).toBe(false);
    expect(await store.getMount('/mnt/c')).toBeUndefined();

    expect(await store.removeMount('/mnt/a')).toEqual({removed: true, cacheKeys: []});
    expect(await store.removeMount('/mnt/a')).toEqual({removed: false, cacheKeys: []});
    expect(await store.listMounts()).toHaveLength(2);
  });

  it('removes with the mount every row at and below it, and the cache entries those rows name', async () => {
    await store.addMount(mount('/m'));
    await store.putInode(inode('/m', {isDirectory: true, acl: {defaultAcl: {mode: 0o700}}}));
    await store.putInode(inode('/m/f', {state: 'NOT_PERSISTED', cacheKey: 'private-1'}));
    await store.putInode(inode('/m/g', {state: 'NOT_PERSISTED', cacheKey: 'gone'}));
    await store.putInode(inode('/m-other', {state: 'NOT_PERSISTED', cacheKey: 'private-2'}));
    await store.commitCacheEntry({key: 'private-1', size: 1, lastAccess: 1, pinned: true});
    await store.commitCacheEntry({key: 'private-2', size: 1, lastAccess: 1, pinned: true});
    await store.setPinTree('/m/f', {pinned: true, media: []}, 'private-');
    // Only entries that existed are reported: their files are the caller's to remove.
    expect(await store.removeMount('/m')).toEqual({removed: true, cacheKeys: ['private-1']});
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/m-other']);
    expect(await store.getPins(['/m/f'])).toEqual([]);
    expect(await store.getCacheEntry('private-1')).toBeUndefined();
    expect(await store.getCacheEntry('private-2')).toBeDefined();
  });
});

describe('inodes', () => {
  const tricky = ['/', '/a', '/a/b', '/a/b/c', '/a-b', '/a%', '/a%/x', '/a_b', '/a0', '/a0/x', '/ab', '/ab/x', '/b'];

  it('round-trips every field, and leaves absent ones undefined', async () => {
    const full = inode('/f', {
      isDirectory: false,
      state: 'TO_BE_PERSISTED',
      owner: 'alice',
      group: 'staff',
      mode: 0o640,
      length: 1234,
      creationTime: 100,
      modificationTime: 200,
      cacheKey: 'k1',
    });
    await store.putInode(full);
    expect(await store.getInode('/f')).toEqual(full);
    await store.putInode(inode('/f', {isDirectory: true}));
    const replaced = (await store.getInode('/f'))!;
    expect(replaced).toEqual(inode('/f', {isDirectory: true}));
    expect(replaced.owner).toBeUndefined();
    expect(await store.getInode('/missing')).toBeUndefined();
  });

  it('lists direct children in path order, with names that fool LIKE and prefix matches', async () => {
    await putAll(...tricky);
    expect(paths(await store.listChildInodes('/'))).toEqual(['/a', '/a%', '/a-b', '/a0', '/a_b', '/ab', '/b']);
    expect(paths(await store.listChildInodes('/a'))).toEqual(['/a/b']);
    expect(paths(await store.listChildInodes('/a%'))).toEqual(['/a%/x']);
    expect(paths(await store.listChildInodes('/a_b'))).toEqual([]);
    expect(paths(await store.listChildInodes('/nothing'))).toEqual([]);
  });

  it('lists descendants by key range, never the directory itself nor its look-alikes', async () => {
    await putAll(...tricky);
    expect(paths(await store.listDescendantInodes('/a'))).toEqual(['/a/b', '/a/b/c']);
    expect(paths(await store.listDescendantInodes('/a%'))).toEqual(['/a%/x']);
    expect(paths(await store.listDescendantInodes('/a_b'))).toEqual([]);
    expect(paths(await store.listDescendantInodes('/a0'))).toEqual(['/a0/x']);
    expect(paths(await store.listDescendantInodes('/'))).toEqual(tricky.slice(1).sort());
  });

  it('deletes a tree and counts the rows', async () => {
    await putAll(...tricky);
    expect(await store.deleteInodeTree('/a')).toEqual({removed: 3, cacheKeys: []});
    expect((await store.deleteInodeTree('/a')).removed).toBe(0);
    expect((await store.deleteInodeTree('/a%')).removed).toBe(2);
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/a-b', '/a0', '/a0/x', '/a_b', '/ab', '/ab/x', '/b']);
    expect((await store.deleteInodeTree('/')).removed).toBe(8);
    expect(await store.getInode('/')).toBeUndefined();
  });

  it('renames a subtree: paths and parents', async () => {
    await putAll('/a', '/a/b', '/a/b/c', '/a-b', '/z');
    await store.renameInodeTree('/a', '/z/n');
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/a-b', '/z', '/z/n', '/z/n/b', '/z/n/b/c']);
    expect(paths(await store.listChildInodes('/'))).toEqual(['/a-b', '/z']);
    expect(paths(await store.listChildInodes('/z'))).toEqual(['/z/n']);
    expect(paths(await store.listChildInodes('/z/n'))).toEqual(['/z/n/b']);
    expect(paths(await store.listChildInodes('/z/n/b'))).toEqual(['/z/n/b/c']);
    expect(await store.listChildInodes('/a')).toEqual([]);
  });

  it('keeps a row\'s ACL beside it: written and read with the row, moved by a rename, dropped by a delete', async () => {
    const acl = {extended: {users: [['bob', 5]] as [string, number][], groups: [], mask: 5}, defaultAcl: {mode: 0o750}};
    await putAll('/a', '/a/b', '/a-b', '/z');
    await store.putInode(inode('/a/b', {acl}));
    await store.putInode(inode('/a-b', {acl: {defaultAcl: {mode: 0o700}}}));
    expect((await store.getInode('/a/b'))?.acl).toEqual(acl);
    expect((await store.listDescendantInodes('/a')).map((r) => r.acl)).toEqual([acl]);
    expect((await store.getInode('/a'))?.acl).toBeUndefined();
    await store.renameInodeTree('/a', '/z/n');
    expect((await store.getInode('/z/n/b'))?.acl).toEqual(acl);
    expect((await store.listChildInodes('/z/n')).map((r) => r.acl)).toEqual([acl]);
    // The look-alike next to the renamed tree keeps its own.
    expect((await store.getInode('/a-b'))?.acl).toEqual({defaultAcl: {mode: 0o700}});
    // A path created again where a deleted one had an ACL starts without one.
    await store.deleteInodeTree('/z');
    await putAll('/z', '/z/n', '/z/n/b');
    expect((await store.getInode('/z/n/b'))?.acl).toBeUndefined();
    // A row written without `acl` has none.
    await store.putInode(inode('/a-b'));
    expect((await store.getInode('/a-b'))?.acl).toBeUndefined();
  });

  it('renames a subtree that has no row of its own, and names outside the BMP', async () => {
    await putAll('/😀/x/y');
    await store.renameInodeTree('/😀', '/é');
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/é/x/y']);
    expect(paths(await store.listChildInodes('/é/x'))).toEqual(['/é/x/y']);
  });

  it('replaces what was at the destination, and refuses to move a tree into itself or onto an ancestor', async () => {
    await putAll('/s', '/s/1', '/d', '/d/old');
    await store.renameInodeTree('/s', '/d');
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/d', '/d/1']);
    await expect(store.renameInodeTree('/d', '/d/inside')).rejects.toThrow(/Cannot move/);
    await expect(store.renameInodeTree('/d/1', '/d')).rejects.toThrow(/Cannot move/);
    await expect(store.renameInodeTree('/', '/x')).rejects.toThrow(/Cannot move/);
    await store.renameInodeTree('/d', '/d');
    expect(paths(await store.listDescendantInodes('/'))).toEqual(['/d', '/d/1']);
  });

  it('rejects paths that are not normalized', async () => {
    for (const bad of ['a', '/a/', '//a', '/a//b', '']) {
      await expect(store.putInode(inode(bad))).rejects.toThrow(/Not a normalized Alluxio path/);
      await expect(store.listDescendantInodes(bad)).rejects.toThrow(/Not a normalized Alluxio path/);
    }
  });

  it('lists by state, oldest first, up to a limit', async () => {
    await store.putInode(inode('/c', {state: 'TO_BE_PERSISTED', modificationTime: 30}));
    await store.putInode(inode('/a', {state: 'TO_BE_PERSISTED', modificationTime: 20}));
    await store.putInode(inode('/b', {state: 'TO_BE_PERSISTED', modificationTime: 20}));
    await store.putInode(inode('/n', {state: 'NOT_PERSISTED', modificationTime: 1}));
    expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10}))).toEqual(['/a', '/b', '/c']);
    expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 2}))).toEqual(['/a', '/b']);
    expect(paths(await store.listInodesByState('NOT_PERSISTED', {limit: 10}))).toEqual(['/n']);
    expect(await store.listInodesByState('PERSISTED', {limit: 10})).toEqual([]);
    // The next page starts after the cursor, ties broken by path.
    const after = {modificationTime: 20, path: '/a'};
    expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, after}))).toEqual(['/b', '/c']);
    expect(await store.countInodesByState('TO_BE_PERSISTED')).toBe(3);
  });

  it('lists and counts by state whatever host is asked for: one SQLite file serves one host', async () => {
    await store.putInode(inode('/mine', {state: 'TO_BE_PERSISTED', cacheKey: 'k', cacheHost: store.host}));
    // Written before the worker name changed (or before the column existed): still this host's cache.
    await store.putInode(inode('/renamed', {state: 'TO_BE_PERSISTED', cacheKey: 'k2', cacheHost: 'old-name'}));
    await store.putInode(inode('/legacy', {state: 'TO_BE_PERSISTED', cacheKey: 'k3'}));
    expect((await store.getInode('/mine'))?.cacheHost).toBe(store.host);
    expect((await store.getInode('/legacy'))?.cacheHost).toBeUndefined();
    const listed = await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, host: store.host});
    expect(paths(listed).sort()).toEqual(['/legacy', '/mine', '/renamed']);
    expect(await store.countInodesByState('TO_BE_PERSISTED', 'another-host')).toBe(3);
  });
});

describe('cache entries', () => {
  it('puts, touches, sums, lists the evictable least recently used first, and deletes', async () => {
    expect(await store.cacheUsedBytes()).toBe(0);
    expect(await store.cacheEntrySizes()).toEqual(new Set());
    await store.commitCacheEntry({key: 'k3', size: 300, lastAccess: 3, pinned: false});
    await store.commitCacheEntry({key: 'k1', size: 100, lastAccess: 1, pinned: false});
    await store.commitCacheEntry({key: 'k2', size: 200, lastAccess: 1, pinned: false});
    await store.commitCacheEntry({key: 'p', size: 1000, lastAccess: 0, pinned: true});
    expect(await store.getCacheEntry('p')).toEqual({key: 'p', size: 1000, lastAccess: 0, pinned: true});
    expect(await store.getCacheEntry('none')).toBeUndefined();
    expect(await store.cacheUsedBytes()).toBe(1600);
    await store.commitCacheEntry({key: 'k4', size: 300, lastAccess: 4, pinned: false});
    expect(await store.cacheEntrySizes()).toEqual(new Set([100, 200, 300, 1000]));
    await store.deleteCacheEntry('k4');
    expect((await store.listEvictableCacheEntries(10)).map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);

    await store.touchCacheEntry('k1', 9);
    expect((await store.listEvictableCacheEntries(2)).map((e) => e.key)).toEqual(['k2', 'k3']);
    await store.setCacheEntryPinned('p', false);
    expect((await store.listEvictableCacheEntries(1)).map((e) => e.key)).toEqual(['p']);

    expect(await store.deleteCacheEntry('k2')).toBe(true);
    expect(await store.deleteCacheEntry('k2')).toBe(false);
    expect(await store.cacheUsedBytes()).toBe(1400);
    expect(await store.getCacheEntry('k2')).toBeUndefined();
  });
});

describe('leases', () => {
  it('acquires, refuses another owner, renews, expires, and releases', async () => {
    expect(await store.tryAcquireLease('persist', 'pid-1', 1000, 0)).toBe(true);
    expect(await store.tryAcquireLease('persist', 'pid-2', 1000, 500)).toBe(false);
    expect(await store.tryAcquireLease('cleanup', 'pid-2', 1000, 500)).toBe(true);
    expect(await store.tryAcquireLease('persist', 'pid-1', 1000, 900)).toBe(true);
    expect(await store.tryAcquireLease('persist', 'pid-2', 1000, 1500)).toBe(false);
    expect(await store.tryAcquireLease('persist', 'pid-2', 1000, 1900)).toBe(true);

    await store.releaseLease('persist', 'pid-1');
    expect(await store.tryAcquireLease('persist', 'pid-1', 1000, 2000)).toBe(false);
    await store.releaseLease('persist', 'pid-2');
    expect(await store.tryAcquireLease('persist', 'pid-1', 1000, 2000)).toBe(true);
  });
});

describe('path claims', () => {
  const ttl = {ttlMs: 1000};
  const claim = (p: string, owner: string, now: number, viewedAt = now) => store.tryClaimPath(p, owner, {viewedAt, now, ...ttl});
  const rows = () => {
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    try {
      return raw.prepare('SELECT path, owner, expires_at AS expiresAt, completed_at AS completedAt FROM claims ORDER BY path').all();
    } finally {
      raw.close();
    }
  };

  it('refuses every other claim, even of the same owner, while one is in progress; renewed, it lasts', async () => {
    expect(await claim('/a', 'w1', 0)).toBe(true);
    expect(await claim('/a', 'w2', 10)).toBe(false);
    expect(await claim('/a', 'w1', 20)).toBe(false);
    expect(await claim('/b', 'w2', 30)).toBe(true);
    await store.renewClaims('w1', 1900);
    expect(await claim('/a', 'w2', 1500)).toBe(false);
    // w2's claim on /b was not renewed: it lapsed at 1030 and went with that claim.
    expect(rows()).toEqual([{path: '/a', owner: 'w1', expiresAt: 1900, completedAt: null}]);
  });

  it('lets a claim whose writer died lapse, and prunes lapsed claims on the way', async () => {
    expect(await claim('/a', 'dead', 0)).toBe(true);
    expect(await claim('/b', 'dead', 0)).toBe(true);
    expect(await claim('/a', 'w2', 999)).toBe(false);
    expect(await claim('/a', 'w2', 1000)).toBe(true);
    expect(rows()).toEqual([{path: '/a', owner: 'w2', expiresAt: 2000, completedAt: null}]);
    // The dead writer's late completion changes nothing.
    expect(await store.completeClaim('/a', 'dead', 1100, 1000)).toBe(false);
    expect(await claim('/a', 'w3', 1200)).toBe(false);
  });

  it('keeps a completed claim a lease long: it refuses a writer that saw the path missing before it completed', async () => {
    expect(await claim('/a', 'w1', 0)).toBe(true);
    expect(await store.completeClaim('/a', 'w1', 100, 1000)).toBe(true);
    expect(await store.completeClaim('/a', 'w1', 200, 1000)).toBe(false);
    expect(rows()).toEqual([{path: '/a', owner: 'w1', expiresAt: 1100, completedAt: 100}]);
    // Looked before the completion, or in the same millisecond: the path was created meanwhile.
    expect(await claim('/a', 'w2', 500, 50)).toBe(false);
    expect(await claim('/a', 'w2', 500, 100)).toBe(false);
    // Looked after it and saw nothing: the path was removed since (behind our back), creating it is fine.
    expect(await claim('/a', 'w2', 500, 101)).toBe(true);
    expect(await store.completeClaim('/a', 'w2', 600, 1000)).toBe(true);
    // Once the lease has passed, the completion is forgotten and pruned.
    expect(await claim('/b', 'w3', 1600)).toBe(true);
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/b']);
    expect(await claim('/a', 'w3', 1600, 0)).toBe(true);
  });

  it('frees a path whose write failed, only for its owner, and never a completed one', async () => {
    expect(await claim('/a', 'w1', 0)).toBe(true);
    await store.releaseClaim('/a', 'w2');
    expect(await claim('/a', 'w2', 10)).toBe(false);
    await store.releaseClaim('/a', 'w1');
    expect(await claim('/a', 'w2', 20)).toBe(true);
    expect(await store.completeClaim('/a', 'w2', 30, 1000)).toBe(true);
    await store.releaseClaim('/a', 'w2');
    expect(await claim('/a', 'w3', 40, 0)).toBe(false);
  });

  it('forgets completed claims at and below a deleted path, not look-alikes nor claims in progress', async () => {
    for (const p of ['/d', '/d/x', '/d/x/y', '/d0', '/dx', '/e']) {
      expect(await claim(p, 'w1', 0)).toBe(true);
      if (p !== '/d/x/y') await store.completeClaim(p, 'w1', 0, 1000);
    }
    await store.deleteInodeTree('/d');
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/d/x/y', '/d0', '/dx', '/e']);
    expect(await claim('/d', 'w2', 10, 0)).toBe(true);
    expect(await claim('/d/x/y', 'w2', 10, 0)).toBe(false);
    await store.deleteInodeTree('/');
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/d', '/d/x/y']);
  });

  it('forgets the completed claims of a renamed tree, and of nothing else', async () => {
    for (const p of ['/s', '/s/x', '/s-t', '/dst']) {
      expect(await claim(p, 'w1', 0)).toBe(true);
      await store.completeClaim(p, 'w1', 0, 1000);
    }
    await putAll('/s', '/s/x');
    await store.renameInodeTree('/s', '/n');
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/dst', '/s-t']);
  });

  it('rejects paths that are not normalized', async () => {
    await expect(claim('a/b', 'w1', 0)).rejects.toThrow(/normalized/);
    await expect(store.deleteInodeTree('/a/')).rejects.toThrow(/normalized/);
  });

  it('are dropped by a format: claims of the old generation never block', async () => {
    expect(await claim('/a', 'w1', Date.now())).toBe(true);
    await formatStore(journal);
    await expect(claim('/b', 'w1', Date.now())).rejects.toThrow(/formatted/);
    await store.close();
    store = await openStore(journal);
    expect(await claim('/a', 'w2', Date.now())).toBe(true);
  });
});

describe('units of work', () => {
  /** Another process's view of the file: what it reads is what was committed. */
  const otherConnection = async <T>(read: (other: MetaStore) => Promise<T>): Promise<T> => {
    const other = await openStore(journal);
    try {
      return await read(other);
    } finally {
      await other.close();
    }
  };

  it('createInode inserts once: a path created meanwhile keeps its row and ACL', async () => {
    const acl = {defaultAcl: {mode: 0o700}};
    expect(await store.createInode(inode('/d', {isDirectory: true, owner: 'alice', acl}))).toBe(true);
    expect(await store.createInode(inode('/d', {owner: 'bob'}))).toBe(false);
    expect(await store.getInode('/d')).toEqual(inode('/d', {isDirectory: true, owner: 'alice', acl}));
  });

  it('modifyInodes reads each current row in the transaction, writes what is returned, leaves the rest', async () => {
    await store.putInode(inode('/a', {mode: 0o600, owner: 'alice'}));
    await store.putInode(inode('/b', {mode: 0o600}));
    const seen: [string, number | undefined, number][] = [];
    await store.modifyInodes(['/a', '/b', '/c'], (p, current, i) => {
      seen.push([p, current?.mode, i]);
      if (p === '/b') return undefined;
      return {...(current ?? inode(p)), mode: 0o644};
    });
    expect(seen).toEqual([['/a', 0o600, 0], ['/b', 0o600, 1], ['/c', undefined, 2]]);
    expect(await store.getInode('/a')).toEqual(inode('/a', {mode: 0o644, owner: 'alice'}));
    expect((await store.getInode('/b'))?.mode).toBe(0o600);
    expect((await store.getInode('/c'))?.mode).toBe(0o644);
  });

  it('modifyInodes rolls back every row when the callback throws, and rejects with its error', async () => {
    await putAll('/a', '/b');
    await expect(
      store.modifyInodes(['/a', '/b'], (p, current) => {
        if (p === '/b') throw new Error('not the owner of /b');
        return {...current!, owner: 'bob'};
      }),
    ).rejects.toThrow('not the owner of /b');
    expect((await store.getInode('/a'))?.owner).toBeUndefined();
    expect(await otherConnection(async (other) => (await other.getInode('/a'))?.owner)).toBeUndefined();
  });

  it('deleteInodeTree deletes the cache entries its rows name (not look-alikes\'), and reports only those that existed', async () => {
    await store.putInode(inode('/t', {isDirectory: true}));
    await store.putInode(inode('/t/a', {state: 'NOT_PERSISTED', cacheKey: 'private-a'}));
    await store.putInode(inode('/t/b', {state: 'TO_BE_PERSISTED', cacheKey: 'private-b'}));
    await store.putInode(inode('/t-c', {state: 'NOT_PERSISTED', cacheKey: 'private-c'}));
    for (const key of ['private-a', 'private-c', 'unrelated']) {
      await store.commitCacheEntry({key, size: 10, lastAccess: 1, pinned: true, path: '/t/a'});
    }
    const result = await store.deleteInodeTree('/t');
    expect(result).toEqual({removed: 3, cacheKeys: ['private-a']});
    expect(await store.getCacheEntry('private-c')).toBeDefined();
    expect(await store.getCacheEntry('unrelated')).toBeDefined();
    expect(await store.cacheUsedBytes()).toBe(20);
  });

  it('commitCacheEntry keeps an entry pinned and its path when the new record says neither', async () => {
    await store.commitCacheEntry({key: 'k', size: 5, lastAccess: 1, pinned: true, path: '/f'});
    await store.commitCacheEntry({key: 'k', size: 6, lastAccess: 2, pinned: false});
    expect(await store.getCacheEntry('k')).toEqual({key: 'k', size: 6, lastAccess: 2, pinned: true, path: '/f'});
    await store.commitCacheEntry({key: 'k', size: 6, lastAccess: 3, pinned: false, path: '/g'});
    expect((await store.getCacheEntry('k'))?.path).toBe('/g');
  });

  it('deleteCacheEntry with ifLastAccess spares an entry cached again meanwhile', async () => {
    await store.commitCacheEntry({key: 'k', size: 5, lastAccess: 1, pinned: false});
    await store.commitCacheEntry({key: 'k', size: 5, lastAccess: 7, pinned: false});
    expect(await store.deleteCacheEntry('k', {ifLastAccess: 1})).toBe(false);
    expect(await store.getCacheEntry('k')).toBeDefined();
    expect(await store.deleteCacheEntry('k', {ifLastAccess: 7})).toBe(true);
    expect(await store.getCacheEntry('k')).toBeUndefined();
  });

  it('rekeyCacheEntry moves size and path, pins as told, stamps the access; false once the entry is gone', async () => {
    await store.commitCacheEntry({key: 'private-1', size: 5, lastAccess: 1, pinned: true, path: '/f'});
    expect(await store.rekeyCacheEntry('private-1', 'obj', false, 50)).toBe(true);
    expect(await store.getCacheEntry('private-1')).toBeUndefined();
    expect(await store.getCacheEntry('obj')).toEqual({key: 'obj', size: 5, lastAccess: 50, pinned: false, path: '/f'});
    expect(await store.rekeyCacheEntry('private-1', 'obj2', true, 60)).toBe(false);
    expect(await store.getCacheEntry('obj2')).toBeUndefined();
  });

  it('makeCacheRoom evicts nothing when the bytes fit, counting the key\'s own entry as free', async () => {
    await store.commitCacheEntry({key: 'k', size: 60, lastAccess: 1, pinned: false});
    await store.commitCacheEntry({key: 'old', size: 30, lastAccess: 0, pinned: false});
    expect(await store.makeCacheRoom('k', 70, 100)).toEqual({ok: true, evicted: []});
    expect(await store.cacheUsedBytes()).toBe(90);
  });

  it('makeCacheRoom evicts unpinned entries least recently used first, never the key itself, in one transaction', async () => {
    await store.commitCacheEntry({key: 'pinned', size: 40, lastAccess: 0, pinned: true});
    await store.commitCacheEntry({key: 'k', size: 10, lastAccess: 1, pinned: false});
    await store.commitCacheEntry({key: 'a', size: 20, lastAccess: 2, pinned: false});
    await store.commitCacheEntry({key: 'b', size: 20, lastAccess: 3, pinned: false});
    await store.commitCacheEntry({key: 'c', size: 10, lastAccess: 4, pinned: false});
    // 100 used of 100; writing 40 under k (10 of its own) needs 30 more: a and b go, c stays.
    const room = await store.makeCacheRoom('k', 40, 100);
    expect(room.ok && room.evicted.map((e) => e.key)).toEqual(['a', 'b']);
    expect(await otherConnection(async (other) => (await other.listEvictableCacheEntries(10)).map((e) => e.key))).toEqual(['k', 'c']);
  });

  it('makeCacheRoom evicts nothing and says how much could be had when pinned data is in the way', async () => {
    await store.commitCacheEntry({key: 'pinned', size: 80, lastAccess: 0, pinned: true});
    await store.commitCacheEntry({key: 'a', size: 15, lastAccess: 1, pinned: false});
    expect(await store.makeCacheRoom('new', 30, 100)).toEqual({ok: false, free: 5, reclaimable: 15});
    expect(await store.getCacheEntry('a')).toBeDefined();
    // Room held by writes under way (a smaller capacity) counts against the free bytes.
    expect(await store.makeCacheRoom('new', 15, 90)).toEqual({ok: false, free: -5, reclaimable: 15});
  });

  it('makeCacheRoom looks past its first batch of candidates when small entries must all go', async () => {
    for (let i = 0; i < 100; i++) {
      await store.commitCacheEntry({key: `e${String(i).padStart(3, '0')}`, size: 1, lastAccess: i, pinned: false});
    }
    const room = await store.makeCacheRoom('big', 90, 100);
    expect(room.ok && room.evicted.length).toBe(90);
    expect(await store.cacheUsedBytes()).toBe(10);
    expect((await store.listEvictableCacheEntries(1))[0].key).toBe('e090');
  });

  it('setPinTree unpins with a "not pinned" row only below a pinned folder, and marks cache entries but private ones', async () => {
    await store.commitCacheEntry({key: 'k1', size: 1, lastAccess: 1, pinned: false, path: '/p/a'});
    await store.commitCacheEntry({key: 'private-2', size: 1, lastAccess: 1, pinned: true, path: '/p/b'});
    await store.setPinTree('/p', {pinned: true, media: ['MEM']}, 'private-');
    expect(await store.getPins(['/p'])).toEqual([{path: '/p', pinned: true, media: ['MEM']}]);
    expect((await store.getCacheEntry('k1'))?.pinned).toBe(true);
    await store.setPinTree('/p/a', {pinned: false, media: []}, 'private-');
    expect(await store.getPins(['/p', '/p/a'])).toEqual([
      {path: '/p', pinned: true, media: ['MEM']},
      {path: '/p/a', pinned: false, media: []},
    ]);
    expect((await store.getCacheEntry('k1'))?.pinned).toBe(false);
    // Nothing pinned above: unpinning leaves no row at all.
    await store.setPinTree('/p', {pinned: false, media: []}, 'private-');
    expect(await store.listPinsBelow('/')).toEqual([]);
    expect((await store.getCacheEntry('private-2'))?.pinned).toBe(true);
  });

  it('heartbeat records each host once, with its last contact, capacity and use', async () => {
    await store.heartbeat({host: 'b', lastContact: 1, capacityBytes: 100, usedBytes: 5});
    await store.heartbeat({host: 'a', lastContact: 2, capacityBytes: 50, usedBytes: 0});
    await store.heartbeat({host: 'b', lastContact: 3, capacityBytes: 100, usedBytes: 7});
    expect(await store.listWorkers()).toEqual([
      {host: 'a', lastContact: 2, capacityBytes: 50, usedBytes: 0},
      {host: 'b', lastContact: 3, capacityBytes: 100, usedBytes: 7},
    ]);
  });

  it('knows its host and generation; a format changes the generation and fences every unit of work', async () => {
    expect(store.host).toBe(os.hostname());
    const named = await openStore(journal, {host: 'worker-7'});
    try {
      expect(named.host).toBe('worker-7');
      expect(named.generation).toBe(store.generation);
      await formatStore(journal);
      for (const write of [
        () => named.createInode(inode('/x')),
        () => named.modifyInodes(['/x'], () => inode('/x')),
        () => named.makeCacheRoom('k', 1, 0),
        () => named.commitCacheEntry({key: 'k', size: 1, lastAccess: 1, pinned: false}),
        () => named.setPinTree('/x', {pinned: true, media: []}, 'private-'),
        () => named.heartbeat({host: 'worker-7', lastContact: 1, capacityBytes: 1, usedBytes: 0}),
      ]) {
        await expect(write()).rejects.toThrow(/formatted/);
      }
    } finally {
      await named.close();
    }
    const fresh = await openStore(journal);
    try {
      expect(fresh.generation).not.toBe(store.generation);
    } finally {
      await fresh.close();
    }
  });
});

describe('query plans', () => {
  const plan = (sql: string) => {
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    try {
      return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as {detail: string}[]).map((r) => r.detail).join('; ');
    } finally {
      raw.close();
    }
  };

  it('reads children, subtrees, states and LRU from indexes, in index order', () => {
    for (const sql of [
      "SELECT * FROM inodes WHERE parent = '/a' ORDER BY path",
      "SELECT * FROM inodes WHERE path > '/a/' AND path < '/a0' ORDER BY path",
      "SELECT * FROM inodes WHERE state = 'TO_BE_PERSISTED' ORDER BY modification_time, path LIMIT 5",
      'SELECT * FROM cache_entries WHERE pinned = 0 ORDER BY last_access, key LIMIT 5',
    ]) {
      const detail = plan(sql);
      expect(detail).toMatch(/^SEARCH \w+ USING (INDEX|PRIMARY KEY)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    }
  });
});

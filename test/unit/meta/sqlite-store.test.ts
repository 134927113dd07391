import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {formatMetaStore, metaStoreFile, openMetaStore} from '../../../src/meta/open.js';
import type {InodeRecord, MetaStore, MountRecord} from '../../../src/meta/store.js';

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
const putAll = (...ps: string[]) => ps.forEach((p) => store.putInode(inode(p)));

describe('format info and key-values', () => {
  it('round-trips the single format row', () => {
    expect(store.getFormatInfo()).toBeUndefined();
    const info = {clusterId: 'c1', superUser: 'alice', superGroup: 'staff', formattedAt: 5};
    store.setFormatInfo(info);
    store.setFormatInfo({...info, clusterId: 'c2'});
    expect(store.getFormatInfo()).toEqual({...info, clusterId: 'c2'});
  });

  it('sets and replaces values', () => {
    expect(store.getValue('last-cleanup')).toBeUndefined();
    store.setValue('last-cleanup', '1');
    store.setValue('last-cleanup', '2');
    expect(store.getValue('last-cleanup')).toBe('2');
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

  it('puts, gets, lists in path order, updates the triple and deletes', () => {
    const secret = {'s3a.accessKeyId': 'AKIA0001', 's3a.secretKey': 'x"y\\z'};
    store.putMount(mount('/mnt/b', {readOnly: true, shared: true, options: secret}));
    store.putMount(mount('/', {ufsUri: '/data/under'}));
    store.putMount(mount('/mnt/a', {ufsOwner: 'o', ufsGroup: 'g', ufsMode: 0o700}));
    expect(store.listMounts().map((m) => m.alluxioPath)).toEqual(['/', '/mnt/a', '/mnt/b']);
    expect(store.getMount('/mnt/b')).toEqual(mount('/mnt/b', {readOnly: true, shared: true, options: secret}));
    expect(store.getMount('/mnt/b')?.ufsOwner).toBeUndefined();

    store.updateMountTriple('/mnt/b', {owner: 'bob', group: 'bob', mode: 0o750});
    expect(store.getMount('/mnt/b')).toMatchObject({ufsOwner: 'bob', ufsGroup: 'bob', ufsMode: 0o750, readOnly: true});
    store.updateMountTriple('/gone', {owner: 'x', group: 'x', mode: 0});
    expect(store.getMount('/gone')).toBeUndefined();

    store.putMount(mount('/mnt/a', {ufsUri: 's3://other'}));
    expect(store.getMount('/mnt/a')?.ufsUri).toBe('s3://other');
    expect(store.deleteMount('/mnt/a')).toBe(true);
    expect(store.deleteMount('/mnt/a')).toBe(false);
    expect(store.listMounts()).toHaveLength(2);
  });
});

describe('inodes', () => {
  const tricky = ['/', '/a', '/a/b', '/a/b/c', '/a-b', '/a%', '/a%/x', '/a_b', '/a0', '/a0/x', '/ab', '/ab/x', '/b'];

  it('round-trips every field, and leaves absent ones undefined', () => {
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
    store.putInode(full);
    expect(store.getInode('/f')).toEqual(full);
    store.putInode(inode('/f', {isDirectory: true}));
    const replaced = store.getInode('/f')!;
    expect(replaced).toEqual(inode('/f', {isDirectory: true}));
    expect(replaced.owner).toBeUndefined();
    expect(store.getInode('/missing')).toBeUndefined();
  });

  it('lists direct children in path order, with names that fool LIKE and prefix matches', () => {
    putAll(...tricky);
    expect(paths(store.listChildInodes('/'))).toEqual(['/a', '/a%', '/a-b', '/a0', '/a_b', '/ab', '/b']);
    expect(paths(store.listChildInodes('/a'))).toEqual(['/a/b']);
    expect(paths(store.listChildInodes('/a%'))).toEqual(['/a%/x']);
    expect(paths(store.listChildInodes('/a_b'))).toEqual([]);
    expect(paths(store.listChildInodes('/nothing'))).toEqual([]);
  });

  it('lists descendants by key range, never the directory itself nor its look-alikes', () => {
    putAll(...tricky);
    expect(paths(store.listDescendantInodes('/a'))).toEqual(['/a/b', '/a/b/c']);
    expect(paths(store.listDescendantInodes('/a%'))).toEqual(['/a%/x']);
    expect(paths(store.listDescendantInodes('/a_b'))).toEqual([]);
    expect(paths(store.listDescendantInodes('/a0'))).toEqual(['/a0/x']);
    expect(paths(store.listDescendantInodes('/'))).toEqual(tricky.slice(1).sort());
  });

  it('deletes a tree and counts the rows', () => {
    putAll(...tricky);
    expect(store.deleteInodeTree('/a')).toBe(3);
    expect(store.deleteInodeTree('/a')).toBe(0);
    expect(store.deleteInodeTree('/a%')).toBe(2);
    expect(paths(store.listDescendantInodes('/'))).toEqual(['/a-b', '/a0', '/a0/x', '/a_b', '/ab', '/ab/x', '/b']);
    expect(store.deleteInodeTree('/')).toBe(8);
    expect(store.getInode('/')).toBeUndefined();
  });

  it('renames a subtree: paths and parents', () => {
    putAll('/a', '/a/b', '/a/b/c', '/a-b', '/z');
    store.renameInodeTree('/a', '/z/n');
    expect(paths(store.listDescendantInodes('/'))).toEqual(['/a-b', '/z', '/z/n', '/z/n/b', '/z/n/b/c']);
    expect(paths(store.listChildInodes('/'))).toEqual(['/a-b', '/z']);
    expect(paths(store.listChildInodes('/z'))).toEqual(['/z/n']);
    expect(paths(store.listChildInodes('/z/n'))).toEqual(['/z/n/b']);
    expect(paths(store.listChildInodes('/z/n/b'))).toEqual(['/z/n/b/c']);
    expect(store.listChildInodes('/a')).toEqual([]);
  });

  it('keeps a row\'s ACL beside it: written and read with the row, moved by a rename, dropped by a delete', () => {
    const acl = {extended: {users: [['bob', 5]] as [string, number][], groups: [], mask: 5}, defaultAcl: {mode: 0o750}};
    putAll('/a', '/a/b', '/a-b', '/z');
    store.putInode(inode('/a/b', {acl}));
    store.putInode(inode('/a-b', {acl: {defaultAcl: {mode: 0o700}}}));
    expect(store.getInode('/a/b')?.acl).toEqual(acl);
    expect(store.listDescendantInodes('/a').map((r) => r.acl)).toEqual([acl]);
    expect(store.getInode('/a')?.acl).toBeUndefined();
    store.renameInodeTree('/a', '/z/n');
    expect(store.getInode('/z/n/b')?.acl).toEqual(acl);
    expect(store.listChildInodes('/z/n').map((r) => r.acl)).toEqual([acl]);
    // The look-alike next to the renamed tree keeps its own.
    expect(store.getInode('/a-b')?.acl).toEqual({defaultAcl: {mode: 0o700}});
    // A path created again where a deleted one had an ACL starts without one.
    store.deleteInodeTree('/z');
    putAll('/z', '/z/n', '/z/n/b');
    expect(store.getInode('/z/n/b')?.acl).toBeUndefined();
    // A row written without `acl` has none.
    store.putInode(inode('/a-b'));
    expect(store.getInode('/a-b')?.acl).toBeUndefined();
  });

  it('renames a subtree that has no row of its own, and names outside the BMP', () => {
    putAll('/😀/x/y');
    store.renameInodeTree('/😀', '/é');
    expect(paths(store.listDescendantInodes('/'))).toEqual(['/é/x/y']);
    expect(paths(store.listChildInodes('/é/x'))).toEqual(['/é/x/y']);
  });

  it('replaces what was at the destination, and refuses to move a tree into itself or onto an ancestor', () => {
    putAll('/s', '/s/1', '/d', '/d/old');
    store.renameInodeTree('/s', '/d');
    expect(paths(store.listDescendantInodes('/'))).toEqual(['/d', '/d/1']);
    expect(() => store.renameInodeTree('/d', '/d/inside')).toThrow(/Cannot move/);
    expect(() => store.renameInodeTree('/d/1', '/d')).toThrow(/Cannot move/);
    expect(() => store.renameInodeTree('/', '/x')).toThrow(/Cannot move/);
    store.renameInodeTree('/d', '/d');
    expect(paths(store.listDescendantInodes('/'))).toEqual(['/d', '/d/1']);
  });

  it('rejects paths that are not normalized', () => {
    for (const bad of ['a', '/a/', '//a', '/a//b', '']) {
      expect(() => store.putInode(inode(bad))).toThrow(/Not a normalized Alluxio path/);
      expect(() => store.listDescendantInodes(bad)).toThrow(/Not a normalized Alluxio path/);
    }
  });

  it('lists by state, oldest first, up to a limit', () => {
    store.putInode(inode('/c', {state: 'TO_BE_PERSISTED', modificationTime: 30}));
    store.putInode(inode('/a', {state: 'TO_BE_PERSISTED', modificationTime: 20}));
    store.putInode(inode('/b', {state: 'TO_BE_PERSISTED', modificationTime: 20}));
    store.putInode(inode('/n', {state: 'NOT_PERSISTED', modificationTime: 1}));
    expect(paths(store.listInodesByState('TO_BE_PERSISTED', 10))).toEqual(['/a', '/b', '/c']);
    expect(paths(store.listInodesByState('TO_BE_PERSISTED', 2))).toEqual(['/a', '/b']);
    expect(paths(store.listInodesByState('NOT_PERSISTED', 10))).toEqual(['/n']);
    expect(store.listInodesByState('PERSISTED', 10)).toEqual([]);
  });
});

describe('cache entries', () => {
  it('puts, touches, sums, lists the evictable least recently used first, and deletes', () => {
    expect(store.cacheUsedBytes()).toBe(0);
    expect(store.cacheEntrySizes()).toEqual(new Set());
    store.putCacheEntry({key: 'k3', size: 300, lastAccess: 3, pinned: false});
    store.putCacheEntry({key: 'k1', size: 100, lastAccess: 1, pinned: false});
    store.putCacheEntry({key: 'k2', size: 200, lastAccess: 1, pinned: false});
    store.putCacheEntry({key: 'p', size: 1000, lastAccess: 0, pinned: true});
    expect(store.getCacheEntry('p')).toEqual({key: 'p', size: 1000, lastAccess: 0, pinned: true});
    expect(store.getCacheEntry('none')).toBeUndefined();
    expect(store.cacheUsedBytes()).toBe(1600);
    store.putCacheEntry({key: 'k4', size: 300, lastAccess: 4, pinned: false});
    expect(store.cacheEntrySizes()).toEqual(new Set([100, 200, 300, 1000]));
    store.deleteCacheEntry('k4');
    expect(store.listEvictableCacheEntries(10).map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);

    store.touchCacheEntry('k1', 9);
    expect(store.listEvictableCacheEntries(2).map((e) => e.key)).toEqual(['k2', 'k3']);
    store.putCacheEntry({key: 'p', size: 1000, lastAccess: 0, pinned: false});
    expect(store.listEvictableCacheEntries(1).map((e) => e.key)).toEqual(['p']);

    store.deleteCacheEntry('k2');
    store.deleteCacheEntry('k2');
    expect(store.cacheUsedBytes()).toBe(1400);
    expect(store.getCacheEntry('k2')).toBeUndefined();
  });
});

describe('leases', () => {
  it('acquires, refuses another owner, renews, expires, and releases', () => {
    expect(store.tryAcquireLease('persist', 'pid-1', 1000, 0)).toBe(true);
    expect(store.tryAcquireLease('persist', 'pid-2', 1000, 500)).toBe(false);
    expect(store.tryAcquireLease('cleanup', 'pid-2', 1000, 500)).toBe(true);
    expect(store.tryAcquireLease('persist', 'pid-1', 1000, 900)).toBe(true);
    expect(store.tryAcquireLease('persist', 'pid-2', 1000, 1500)).toBe(false);
    expect(store.tryAcquireLease('persist', 'pid-2', 1000, 1900)).toBe(true);

    store.releaseLease('persist', 'pid-1');
    expect(store.tryAcquireLease('persist', 'pid-1', 1000, 2000)).toBe(false);
    store.releaseLease('persist', 'pid-2');
    expect(store.tryAcquireLease('persist', 'pid-1', 1000, 2000)).toBe(true);
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

  it('refuses every other claim, even of the same owner, while one is in progress; renewed, it lasts', () => {
    expect(claim('/a', 'w1', 0)).toBe(true);
    expect(claim('/a', 'w2', 10)).toBe(false);
    expect(claim('/a', 'w1', 20)).toBe(false);
    expect(claim('/b', 'w2', 30)).toBe(true);
    store.renewClaims('w1', 1900);
    expect(claim('/a', 'w2', 1500)).toBe(false);
    // w2's claim on /b was not renewed: it lapsed at 1030 and went with that claim.
    expect(rows()).toEqual([{path: '/a', owner: 'w1', expiresAt: 1900, completedAt: null}]);
  });

  it('lets a claim whose writer died lapse, and prunes lapsed claims on the way', () => {
    expect(claim('/a', 'dead', 0)).toBe(true);
    expect(claim('/b', 'dead', 0)).toBe(true);
    expect(claim('/a', 'w2', 999)).toBe(false);
    expect(claim('/a', 'w2', 1000)).toBe(true);
    expect(rows()).toEqual([{path: '/a', owner: 'w2', expiresAt: 2000, completedAt: null}]);
    // The dead writer's late completion changes nothing.
    expect(store.completeClaim('/a', 'dead', 1100, 1000)).toBe(false);
    expect(claim('/a', 'w3', 1200)).toBe(false);
  });

  it('keeps a completed claim a lease long: it refuses a writer that saw the path missing before it completed', () => {
    expect(claim('/a', 'w1', 0)).toBe(true);
    expect(store.completeClaim('/a', 'w1', 100, 1000)).toBe(true);
    expect(store.completeClaim('/a', 'w1', 200, 1000)).toBe(false);
    expect(rows()).toEqual([{path: '/a', owner: 'w1', expiresAt: 1100, completedAt: 100}]);
    // Looked before the completion, or in the same millisecond: the path was created meanwhile.
    expect(claim('/a', 'w2', 500, 50)).toBe(false);
    expect(claim('/a', 'w2', 500, 100)).toBe(false);
    // Looked after it and saw nothing: the path was removed since (behind our back), creating it is fine.
    expect(claim('/a', 'w2', 500, 101)).toBe(true);
    expect(store.completeClaim('/a', 'w2', 600, 1000)).toBe(true);
    // Once the lease has passed, the completion is forgotten and pruned.
    expect(claim('/b', 'w3', 1600)).toBe(true);
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/b']);
    expect(claim('/a', 'w3', 1600, 0)).toBe(true);
  });

  it('frees a path whose write failed, only for its owner, and never a completed one', () => {
    expect(claim('/a', 'w1', 0)).toBe(true);
    store.releaseClaim('/a', 'w2');
    expect(claim('/a', 'w2', 10)).toBe(false);
    store.releaseClaim('/a', 'w1');
    expect(claim('/a', 'w2', 20)).toBe(true);
    expect(store.completeClaim('/a', 'w2', 30, 1000)).toBe(true);
    store.releaseClaim('/a', 'w2');
    expect(claim('/a', 'w3', 40, 0)).toBe(false);
  });

  it('forgets completed claims at and below a deleted path, not look-alikes nor claims in progress', () => {
    for (const p of ['/d', '/d/x', '/d/x/y', '/d0', '/dx', '/e']) {
      expect(claim(p, 'w1', 0)).toBe(true);
      if (p !== '/d/x/y') store.completeClaim(p, 'w1', 0, 1000);
    }
    store.forgetClaims('/d');
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/d/x/y', '/d0', '/dx', '/e']);
    expect(claim('/d', 'w2', 10, 0)).toBe(true);
    expect(claim('/d/x/y', 'w2', 10, 0)).toBe(false);
    store.forgetClaims('/');
    expect(rows().map((r) => (r as {path: string}).path)).toEqual(['/d', '/d/x/y']);
  });

  it('rejects paths that are not normalized', () => {
    expect(() => claim('a/b', 'w1', 0)).toThrow(/normalized/);
    expect(() => store.forgetClaims('/a/')).toThrow(/normalized/);
  });

  it('are dropped by a format: claims of the old generation never block', () => {
    expect(claim('/a', 'w1', Date.now())).toBe(true);
    formatMetaStore(journal);
    expect(() => claim('/b', 'w1', Date.now())).toThrow(/formatted/);
    store.close();
    store = openMetaStore(journal);
    expect(claim('/a', 'w2', Date.now())).toBe(true);
  });
});

describe('transactions', () => {
  it('returns the value of fn and commits', () => {
    expect(store.transaction(() => (store.setValue('a', '1'), 42))).toBe(42);
    expect(store.getValue('a')).toBe('1');
  });

  it('rolls back everything when fn throws', () => {
    expect(() =>
      store.transaction(() => {
        store.setValue('a', '1');
        putAll('/x', '/x/y');
        store.deleteInodeTree('/x');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getValue('a')).toBeUndefined();
    expect(store.getInode('/x')).toBeUndefined();
  });

  it('is re-entrant; a nested failure the outer one catches undoes only the nested part', () => {
    store.transaction(() => {
      store.setValue('outer', '1');
      store.transaction(() => store.transaction(() => store.setValue('inner', '1')));
      expect(() =>
        store.transaction(() => {
          store.setValue('failed', '1');
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(store.getValue('failed')).toBeUndefined();
    });
    expect([store.getValue('outer'), store.getValue('inner'), store.getValue('failed')]).toEqual(['1', '1', undefined]);
  });

  it('refuses an async fn', () => {
    expect(() => store.transaction(async () => store.setValue('a', '1'))).toThrow(/cannot return a promise/);
    expect(store.getValue('a')).toBeUndefined();
  });

  it('is seen by another connection only once committed', () => {
    const other = openMetaStore(journal);
    try {
      store.transaction(() => {
        store.setValue('a', '1');
        expect(other.getValue('a')).toBeUndefined();
      });
      expect(other.getValue('a')).toBe('1');
    } finally {
      other.close();
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

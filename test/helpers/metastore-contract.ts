/**
 * The metastore contract: what every store (SQLite, PostgreSQL) must do, as one suite run against each.
 *
 *   describeMetaStoreContract('PostgreSQL', (host) => openStore(host), () => formatStore());
 *
 * `open(host)` opens a store of the namespace for the worker identity `host` (default: one fixed host); `format()`
 * empties the namespace with a new generation. Every test starts from a format. A store that serves one host only
 * (`perHost: false`: SQLite, whose file must be on a local file system) keeps one set of cache entries and persists
 * every host's rows; the parts that tell hosts apart are then left out.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {CacheEntry, MetaStore, MountRecord} from '../../src/meta/store.js';
import {inode} from './meta-store.js';

export const CONTRACT_HOST = 'host-a';
const OTHER_HOST = 'host-b';

export function describeMetaStoreContract(
  name: string,
  open: (host?: string) => Promise<MetaStore>,
  format: () => Promise<void>,
  {perHost}: {perHost: boolean},
): void {
  describe(`metastore contract: ${name}`, () => {
    let store: MetaStore;
    const opened: MetaStore[] = [];
    const openAs = async (host = CONTRACT_HOST): Promise<MetaStore> => {
      const s = await open(host);
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      await format();
      store = await openAs();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    const paths = (list: {path?: string}[]) => list.map((i) => i.path);
    const putAll = async (...ps: string[]) => {
      for (const p of ps) await store.putInode(inode(p));
    };
    const mount = (p: string, extra: Partial<MountRecord> = {}): MountRecord => ({
      alluxioPath: p,
      ufsUri: `s3://bucket${p}`,
      readOnly: false,
      shared: false,
      options: {},
      createdAt: 10,
      ...extra,
    });
    const entry = (key: string, extra: Partial<CacheEntry> = {}): CacheEntry => ({key, size: 10, lastAccess: 1, pinned: false, ...extra});
    const keys = (list: CacheEntry[]) => list.map((e) => e.key);
    /** Names that fool LIKE patterns and naive prefix matches: ' ', '-', '%', '_' and '0' sort around '/' (bytewise). */
    const tricky = ['/', '/a', '/a b', '/a b/x', '/a/b', '/a/b/c', '/a-b', '/a%', '/a%/x', '/a_b', '/a0', '/a0/x', '/ab', '/ab/x', '/b'];

    describe('identity and generation', () => {
      it('knows its host and generation; a format gives a new generation and empties everything', async () => {
        expect(store.host).toBe(CONTRACT_HOST);
        expect(store.generation).toMatch(/\S/);
        await store.setValue('k', 'v');
        await store.recordFileId(7, '/a');
        await format();
        const fresh = await openAs();
        expect(fresh.generation).not.toBe(store.generation);
        expect(await fresh.getValue('k')).toBeUndefined();
        expect(await fresh.getFileIdPath(7)).toBeUndefined();
      });

      it('fences off a store opened before a format: its next write fails with the "replaced" error, and writes nothing', async () => {
        await format();
        const fresh = await openAs();
        for (const write of [
          () => store.setValue('late', '1'),
          () => store.putInode(inode('/late')),
          () => store.createInode(inode('/late')),
          () => store.modifyInodes(['/late'], (p) => inode(p)),
          () => store.addMount(mount('/late')),
          () => store.commitCacheEntry(entry('late')),
          () => store.makeCacheRoom('late', 1, 0),
          () => store.setPinTree('/late', {pinned: true, media: []}, 'private-'),
          () => store.heartbeat({host: CONTRACT_HOST, lastContact: 1, capacityBytes: 1, usedBytes: 0}),
          () => store.tryAcquireLease('l', 'o', 1000, 1),
          () => store.addMetrics(new Map([['m', 1]])),
        ]) {
          await expect(write()).rejects.toThrow(/was formatted while this command was running/);
        }
        expect(await fresh.getValue('late')).toBeUndefined();
        expect(await fresh.getInode('/late')).toBeUndefined();
        expect(await fresh.listMounts()).toEqual([]);
        expect(await fresh.readMetrics()).toEqual(new Map());
      });
    });

    describe('format info and key-values', () => {
      it('keeps the first format info: the first user becomes the superuser', async () => {
        expect(await store.getFormatInfo()).toBeUndefined();
        const first = {clusterId: 'c1', superUser: 'alice', superGroup: 'staff', formattedAt: 5};
        expect(await store.initializeFormatInfo(first)).toEqual(first);
        const other = await openAs(OTHER_HOST);
        expect(await other.initializeFormatInfo({...first, clusterId: 'c2', superUser: 'bob'})).toEqual(first);
        expect(await store.getFormatInfo()).toEqual(first);
      });

      it('sets and replaces values', async () => {
        expect(await store.getValue('last-cleanup')).toBeUndefined();
        await store.setValue('last-cleanup', '1');
        await store.setValue('last-cleanup', '2');
        expect(await store.getValue('last-cleanup')).toBe('2');
      });

      it('maps a file id to the path last recorded for it', async () => {
        expect(await store.getFileIdPath(7)).toBeUndefined();
        await store.recordFileId(7, '/old');
        await store.recordFileId(7, '/a');
        await store.recordFileId(2 ** 47, '/b');
        expect(await store.getFileIdPath(7)).toBe('/a');
        expect(await store.getFileIdPath(2 ** 47)).toBe('/b');
      });
    });

    describe('mounts', () => {
      it('adds (never over an existing one), gets, lists in path order, and round-trips every field', async () => {
        const secret = {'s3a.accessKeyId': 'AKIA0001', 's3a.secretKey': 'x"y\\z'};
        expect(await store.addMount(mount('/mnt/b', {readOnly: true, shared: true, options: secret}))).toBe(true);
        expect(await store.addMount(mount('/', {ufsUri: '/data/under'}))).toBe(true);
        expect(await store.addMount(mount('/mnt/a', {ufsOwner: 'o', ufsGroup: 'g', ufsMode: 0o700}))).toBe(true);
        expect(await store.addMount(mount('/mnt/a', {ufsUri: 's3://other'}))).toBe(false);
        expect((await store.listMounts()).map((m) => m.alluxioPath)).toEqual(['/', '/mnt/a', '/mnt/b']);
        expect(await store.getMount('/mnt/b')).toEqual(mount('/mnt/b', {readOnly: true, shared: true, options: secret}));
        expect(await store.getMount('/mnt/a')).toEqual(mount('/mnt/a', {ufsOwner: 'o', ufsGroup: 'g', ufsMode: 0o700}));
        expect(await store.getMount('/gone')).toBeUndefined();
      });

      it('replaces a mount only while it still has the expected UFS URI', async () => {
        await store.addMount(mount('/m'));
        expect(await store.replaceMount(mount('/m', {readOnly: true}), 's3://elsewhere')).toBe(false);
        expect((await store.getMount('/m'))?.readOnly).toBe(false);
        expect(await store.replaceMount(mount('/m', {readOnly: true, options: {a: '1'}}), 's3://bucket/m')).toBe(true);
        expect(await store.getMount('/m')).toEqual(mount('/m', {readOnly: true, options: {a: '1'}}));
        expect(await store.replaceMount(mount('/gone'), 's3://bucket/gone')).toBe(false);
        expect(await store.getMount('/gone')).toBeUndefined();
      });

      it('updates the stored UFS triple; a no-op when the mount is gone', async () => {
        await store.addMount(mount('/m', {readOnly: true}));
        await store.updateMountTriple('/m', {owner: 'bob', group: 'bob', mode: 0o750});
        expect(await store.getMount('/m')).toMatchObject({ufsOwner: 'bob', ufsGroup: 'bob', ufsMode: 0o750, readOnly: true});
        await store.updateMountTriple('/gone', {owner: 'x', group: 'x', mode: 0});
        expect(await store.getMount('/gone')).toBeUndefined();
      });

      it('unmounts with every row at and below it, their ACLs, pins, completed claims and this host\'s cache entries', async () => {
        const other = await openAs(OTHER_HOST);
        await store.addMount(mount('/m'));
        await store.putInode(inode('/m', {isDirectory: true, acl: {extended: {users: [['u', 7]], groups: [], mask: 7}}}));
        await store.putInode(inode('/m/f', {state: 'TO_BE_PERSISTED', cacheKey: 'k1', cacheHost: CONTRACT_HOST}));
        await store.putInode(inode('/m0', {state: 'TO_BE_PERSISTED', cacheKey: 'k2', cacheHost: CONTRACT_HOST}));
        await store.commitCacheEntry(entry('k1', {path: '/m/f'}));
        await store.commitCacheEntry(entry('k2', {path: '/m0'}));
        if (perHost) await other.commitCacheEntry(entry('k1', {path: '/m/f'}));
        await store.setPinTree('/m/f', {pinned: true, media: []}, 'private-');
        expect(await store.tryClaimPath('/m/g', 'w', {viewedAt: 1, now: 1, ttlMs: 60_000})).toBe(true);
        expect(await store.completeClaim('/m/g', 'w', 2, 60_000)).toBe(true);

        expect(await store.removeMount('/m')).toEqual({removed: true, cacheKeys: ['k1']});
        expect(await store.getMount('/m')).toBeUndefined();
        expect(paths(await store.listDescendantInodes('/'))).toEqual(['/m0']);
        expect(await store.getPins(['/m/f'])).toEqual([]);
        expect(await store.getCacheEntry('k1')).toBeUndefined();
        expect(await store.getCacheEntry('k2')).toBeDefined();
        if (perHost) expect(await other.getCacheEntry('k1')).toBeDefined();
        // The completed claim went: a writer that saw /m/g missing long ago may create it now.
        expect(await store.tryClaimPath('/m/g', 'x', {viewedAt: 0, now: 3, ttlMs: 60_000})).toBe(true);
        expect(await store.removeMount('/m')).toEqual({removed: false, cacheKeys: []});
      });

      it('leaves everything at the path when the mount is already gone (a stale unmount)', async () => {
        await store.putInode(inode('/m', {isDirectory: true}));
        await store.putInode(inode('/m/f', {state: 'NOT_PERSISTED', cacheKey: 'k1', cacheHost: CONTRACT_HOST}));
        await store.commitCacheEntry(entry('k1', {path: '/m/f', pinned: true}));
        expect(await store.removeMount('/m')).toEqual({removed: false, cacheKeys: []});
        expect(paths(await store.listDescendantInodes('/'))).toEqual(['/m', '/m/f']);
        expect(await store.getCacheEntry('k1')).toBeDefined();
      });

      it.skipIf(!perHost)('unpins another host\'s entries of the files it unmounts, for that host\'s eviction to reclaim', async () => {
        const other = await openAs(OTHER_HOST);
        await store.addMount(mount('/m'));
        await store.putInode(inode('/m/f', {state: 'NOT_PERSISTED', cacheKey: 'k1', cacheHost: OTHER_HOST}));
        await other.commitCacheEntry(entry('k1', {path: '/m/f', pinned: true}));
        await other.commitCacheEntry(entry('k2', {path: '/elsewhere', pinned: true}));
        expect(await store.removeMount('/m')).toEqual({removed: true, cacheKeys: []});
        expect(keys(await other.listEvictableCacheEntries(10))).toEqual(['k1']);
      });
    });

    describe('inodes', () => {
      it('round-trips every field, and leaves absent ones undefined', async () => {
        const full = inode('/f', {
          state: 'TO_BE_PERSISTED',
          owner: 'alice',
          group: 'staff',
          mode: 0o640,
          length: 2 ** 40 + 3,
          creationTime: 1_700_000_000_000,
          modificationTime: 1_700_000_000_001,
          cacheKey: 'k1',
          cacheHost: CONTRACT_HOST,
          acl: {extended: {users: [['bob', 5]], groups: [['staff', 4]], mask: 5}, defaultAcl: {mode: 0o750}},
        });
        await store.putInode(full);
        expect(await store.getInode('/f')).toEqual(full);
        await store.putInode(inode('/f', {isDirectory: true}));
        const replaced = (await store.getInode('/f'))!;
        expect(replaced).toEqual(inode('/f', {isDirectory: true}));
        expect(replaced.owner).toBeUndefined();
        expect(replaced.acl).toBeUndefined();
        expect(replaced.cacheHost).toBeUndefined();
        expect(await store.getInode('/missing')).toBeUndefined();
      });

      it('creates a row only when the path has none', async () => {
        expect(await store.createInode(inode('/f', {owner: 'a', acl: {defaultAcl: {mode: 0o700}}}))).toBe(true);
        expect(await store.createInode(inode('/f', {owner: 'b'}))).toBe(false);
        expect(await store.getInode('/f')).toEqual(inode('/f', {owner: 'a', acl: {defaultAcl: {mode: 0o700}}}));
      });

      it('modifies several rows in one transaction, each seeing its current row and index', async () => {
        await putAll('/a', '/b');
        const seen: [string, string | undefined, number][] = [];
        await store.modifyInodes(['/a', '/new', '/b'], (p, current, i) => {
          seen.push([p, current?.path, i]);
          if (p === '/b') return undefined;
          return {...(current ?? inode(p)), mode: 0o700 + i};
        });
        expect(seen).toEqual([['/a', '/a', 0], ['/new', undefined, 1], ['/b', '/b', 2]]);
        expect((await store.getInode('/a'))?.mode).toBe(0o700);
        expect((await store.getInode('/new'))?.mode).toBe(0o701);
        expect((await store.getInode('/b'))?.mode).toBeUndefined();
      });

      it('modifies a path given twice in order, the second seeing the first\'s row; the last one wins', async () => {
        await putAll('/a');
        const seen: (number | undefined)[] = [];
        await store.modifyInodes(['/a', '/b', '/a', '/b'], (p, current, i) => {
          seen.push(current?.mode);
          return {...(current ?? inode(p)), mode: i};
        });
        expect(seen).toEqual([undefined, undefined, 0, 1]);
        expect((await store.getInode('/a'))?.mode).toBe(2);
        expect((await store.getInode('/b'))?.mode).toBe(3);
      });

      it('rolls every row back when modify throws, and rejects with that error', async () => {
        await putAll('/a', '/b');
        const boom = new Error('boom');
        await expect(
          store.modifyInodes(['/a', '/b'], (p, current) => {
            if (p === '/b') throw boom;
            return {...current!, mode: 0o777};
          }),
        ).rejects.toBe(boom);
        expect((await store.getInode('/a'))?.mode).toBeUndefined();
      });

      it('lists direct children in path order, with names that fool LIKE and prefix matches', async () => {
        await putAll(...tricky);
        expect(paths(await store.listChildInodes('/'))).toEqual(['/a', '/a b', '/a%', '/a-b', '/a0', '/a_b', '/ab', '/b']);
        expect(paths(await store.listChildInodes('/a'))).toEqual(['/a/b']);
        expect(paths(await store.listChildInodes('/a b'))).toEqual(['/a b/x']);
        expect(paths(await store.listChildInodes('/a%'))).toEqual(['/a%/x']);
        expect(paths(await store.listChildInodes('/a_b'))).toEqual([]);
        expect(paths(await store.listChildInodes('/nothing'))).toEqual([]);
      });

      it('lists descendants by key range, never the directory itself nor its look-alikes', async () => {
        await putAll(...tricky);
        expect(paths(await store.listDescendantInodes('/a'))).toEqual(['/a/b', '/a/b/c']);
        expect(paths(await store.listDescendantInodes('/a b'))).toEqual(['/a b/x']);
        expect(paths(await store.listDescendantInodes('/a0'))).toEqual(['/a0/x']);
        expect(paths(await store.listDescendantInodes('/'))).toEqual(tricky.slice(1).sort());
        expect(await store.countInodes()).toBe(tricky.length);
      });

      it('deletes a tree with its ACLs, pins, completed claims and this host\'s cache entries; counts the rows', async () => {
        const other = await openAs(OTHER_HOST);
        await putAll(...tricky);
        await store.putInode(inode('/a/b', {acl: {defaultAcl: {mode: 0o700}}, cacheKey: 'kb', state: 'NOT_PERSISTED', cacheHost: CONTRACT_HOST}));
        await store.commitCacheEntry(entry('kb'));
        if (perHost) await other.commitCacheEntry(entry('kb'));
        await store.setPinTree('/a/b/c', {pinned: true, media: []}, 'private-');
        await store.setPinTree('/a0', {pinned: true, media: []}, 'private-');
        expect(await store.deleteInodeTree('/a')).toEqual({removed: 3, cacheKeys: ['kb']});
        expect(paths(await store.listDescendantInodes('/'))).toEqual(tricky.slice(1).filter((p) => p !== '/a' && !p.startsWith('/a/')).sort());
        expect(await store.getCacheEntry('kb')).toBeUndefined();
        if (perHost) expect(await other.getCacheEntry('kb')).toBeDefined();
        expect(paths(await store.getPins(['/a/b/c', '/a0']))).toEqual(['/a0']);
        expect(await store.deleteInodeTree('/a')).toEqual({removed: 0, cacheKeys: []});
        expect(await store.deleteInodeTree('/')).toMatchObject({removed: tricky.length - 3});
        expect(await store.countInodes()).toBe(0);
      });

      it('deletes only the cache entries its rows name (not a look-alike\'s), and reports only those that existed', async () => {
        await store.putInode(inode('/t', {isDirectory: true}));
        await store.putInode(inode('/t/a', {state: 'NOT_PERSISTED', cacheKey: 'private-a', cacheHost: CONTRACT_HOST}));
        await store.putInode(inode('/t/b', {state: 'TO_BE_PERSISTED', cacheKey: 'private-b', cacheHost: CONTRACT_HOST}));
        await store.putInode(inode('/t-c', {state: 'NOT_PERSISTED', cacheKey: 'private-c', cacheHost: CONTRACT_HOST}));
        for (const key of ['private-a', 'private-c', 'unrelated']) await store.commitCacheEntry(entry(key, {path: '/t/a', pinned: true}));
        expect(await store.deleteInodeTree('/t')).toEqual({removed: 3, cacheKeys: ['private-a']});
        expect(keys(await store.getCacheEntries(['private-a', 'private-c', 'unrelated'])).sort()).toEqual(['private-c', 'unrelated']);
      });

      it.skipIf(!perHost)('unpins another host\'s entries of the files it deletes, for that host\'s eviction to reclaim', async () => {
        const other = await openAs(OTHER_HOST);
        await store.putInode(inode('/d/f', {state: 'TO_BE_PERSISTED', cacheKey: 'k1', cacheHost: OTHER_HOST}));
        await other.commitCacheEntry(entry('k1', {path: '/d/f', pinned: true}));
        await other.commitCacheEntry(entry('k2', {path: '/d0', pinned: true}));
        expect(await store.deleteInodeTree('/d')).toEqual({removed: 1, cacheKeys: []});
        expect(await other.getCacheEntry('k1')).toMatchObject({pinned: false});
        expect(await other.getCacheEntry('k2')).toMatchObject({pinned: true});
      });

      it('renames a subtree: paths, parents, ACLs and pins move; completed claims on the source are forgotten', async () => {
        await putAll('/src', '/src/x', '/src/x/y', '/src-z', '/src0');
        await store.putInode(inode('/src/x', {acl: {defaultAcl: {mode: 0o700}}}));
        await store.setPinTree('/src/x', {pinned: true, media: ['MEM']}, 'private-');
        await store.tryClaimPath('/src', 'w', {viewedAt: 1, now: 1, ttlMs: 60_000});
        await store.completeClaim('/src', 'w', 2, 60_000);
        expect(await store.renameInodeTree('/src', '/dst')).toEqual({cacheKeys: []});
        expect(paths(await store.listDescendantInodes('/'))).toEqual(['/dst', '/dst/x', '/dst/x/y', '/src-z', '/src0']);
        expect(paths(await store.listChildInodes('/dst'))).toEqual(['/dst/x']);
        expect(paths(await store.listChildInodes('/dst/x'))).toEqual(['/dst/x/y']);
        expect((await store.getInode('/dst/x'))?.acl).toEqual({defaultAcl: {mode: 0o700}});
        expect(await store.getPins(['/dst/x', '/src/x'])).toEqual([{path: '/dst/x', pinned: true, media: ['MEM']}]);
        expect(await store.tryClaimPath('/src', 'v', {viewedAt: 0, now: 3, ttlMs: 60_000})).toBe(true);
      });

      it('renames a subtree with no row of its own, and names outside the BMP', async () => {
        await putAll('/d/😀/a', '/d/😀/a/b');
        await store.renameInodeTree('/d/😀', '/e/🎉x');
        expect(paths(await store.listDescendantInodes('/'))).toEqual(['/e/🎉x/a', '/e/🎉x/a/b']);
        expect(paths(await store.listChildInodes('/e/🎉x/a'))).toEqual(['/e/🎉x/a/b']);
      });

      it('replaces what was at the destination with its cache entries (keys returned), and refuses to move a tree into itself or onto an ancestor', async () => {
        const other = await openAs(OTHER_HOST);
        await putAll('/s', '/s/a', '/t');
        await store.putInode(inode('/t/old', {state: 'NOT_PERSISTED', cacheKey: 'k-old', cacheHost: CONTRACT_HOST}));
        await store.commitCacheEntry(entry('k-old', {path: '/t/old', pinned: true}));
        if (perHost) await other.commitCacheEntry(entry('k-old', {path: '/t/old', pinned: true}));
        expect(await store.renameInodeTree('/s', '/t')).toEqual({cacheKeys: ['k-old']});
        expect(paths(await store.listDescendantInodes('/'))).toEqual(['/t', '/t/a']);
        expect(await store.getCacheEntry('k-old')).toBeUndefined();
        if (perHost) expect(await other.getCacheEntry('k-old')).toMatchObject({pinned: false});
        expect(await store.renameInodeTree('/t', '/t')).toEqual({cacheKeys: []});
        await expect(store.renameInodeTree('/t', '/t/in')).rejects.toThrow();
        await expect(store.renameInodeTree('/t/a', '/t')).rejects.toThrow();
        await expect(store.renameInodeTree('/', '/x')).rejects.toThrow();
      });

      it('rejects paths that are not normalized', async () => {
        for (const bad of ['', 'a', '/a/', '//a', '/a//b']) {
          await expect(store.putInode(inode(bad))).rejects.toThrow(/normalized/);
          await expect(store.listDescendantInodes(bad)).rejects.toThrow(/normalized/);
        }
      });

      it('lists by state oldest first, pages after a cursor, and filters by the host holding the data', async () => {
        await store.putInode(inode('/c', {state: 'TO_BE_PERSISTED', modificationTime: 3, cacheHost: CONTRACT_HOST}));
        await store.putInode(inode('/b', {state: 'TO_BE_PERSISTED', modificationTime: 1, cacheHost: OTHER_HOST}));
        await store.putInode(inode('/a', {state: 'TO_BE_PERSISTED', modificationTime: 1, cacheHost: CONTRACT_HOST}));
        await store.putInode(inode('/d', {state: 'PERSISTED', modificationTime: 0}));
        expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10}))).toEqual(['/a', '/b', '/c']);
        expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 2}))).toEqual(['/a', '/b']);
        const after = {modificationTime: 1, path: '/a'};
        expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, after}))).toEqual(['/b', '/c']);
        const ofHost = perHost ? ['/a', '/c'] : ['/a', '/b', '/c'];
        expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, host: CONTRACT_HOST}))).toEqual(ofHost);
        expect(paths(await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, host: CONTRACT_HOST, after}))).toEqual(ofHost.slice(1));
        expect(await store.countInodesByState('TO_BE_PERSISTED')).toBe(3);
        expect(await store.countInodesByState('TO_BE_PERSISTED', OTHER_HOST)).toBe(perHost ? 1 : 3);
        expect(await store.countInodesByState('NOT_PERSISTED')).toBe(0);
      });
    });

    describe('cache entries (per host)', () => {
      it('commits, touches, sums, lists the evictable least recently used first, and deletes', async () => {
        await store.commitCacheEntry(entry('k1', {size: 100, lastAccess: 3}));
        await store.commitCacheEntry(entry('k2', {size: 50, lastAccess: 1}));
        await store.commitCacheEntry(entry('k3', {size: 100, lastAccess: 2, pinned: true}));
        await store.touchCacheEntry('k2', 9);
        expect(await store.cacheUsedBytes()).toBe(250);
        expect(await store.cacheEntrySizes()).toEqual(new Set([50, 100]));
        expect(keys(await store.listEvictableCacheEntries(10))).toEqual(['k1', 'k2']);
        expect(keys(await store.listEvictableCacheEntries(1))).toEqual(['k1']);
        expect(await store.deleteCacheEntry('k1')).toBe(true);
        expect(await store.deleteCacheEntry('k1')).toBe(false);
        expect(await store.getCacheEntry('k2')).toEqual(entry('k2', {size: 50, lastAccess: 9}));
        expect(keys(await store.getCacheEntries(['k3', 'missing', 'k1', 'k2'])).sort()).toEqual(['k2', 'k3']);
        expect(await store.getCacheEntries([])).toEqual([]);
      });

      it('keeps an entry pinned, and its path, when committed again without them', async () => {
        await store.commitCacheEntry(entry('k', {pinned: true, path: '/f'}));
        await store.commitCacheEntry(entry('k', {size: 20, lastAccess: 5}));
        expect(await store.getCacheEntry('k')).toEqual(entry('k', {size: 20, lastAccess: 5, pinned: true, path: '/f'}));
        await store.setCacheEntryPinned('k', false);
        await store.commitCacheEntry(entry('k', {pinned: true, path: '/g'}));
        expect(await store.getCacheEntry('k')).toMatchObject({pinned: true, path: '/g'});
      });

      it('deletes only an entry not re-cached meanwhile when asked to', async () => {
        await store.commitCacheEntry(entry('k', {lastAccess: 5}));
        expect(await store.deleteCacheEntry('k', {ifLastAccess: 4})).toBe(false);
        expect(await store.getCacheEntry('k')).toBeDefined();
        expect(await store.deleteCacheEntry('k', {ifLastAccess: 5})).toBe(true);
        expect(await store.getCacheEntry('k')).toBeUndefined();
      });

      it('moves an entry to a new key, pinned as given and last accessed now', async () => {
        await store.commitCacheEntry(entry('old', {size: 7, pinned: true, path: '/f'}));
        expect(await store.rekeyCacheEntry('old', 'new', false, 42)).toBe(true);
        expect(await store.getCacheEntry('old')).toBeUndefined();
        expect(await store.getCacheEntry('new')).toEqual(entry('new', {size: 7, lastAccess: 42, path: '/f'}));
        expect(await store.rekeyCacheEntry('old', 'other', true, 43)).toBe(false);
        expect(await store.getCacheEntry('other')).toBeUndefined();
      });

      it('makes room by evicting unpinned entries least recently used first, never the key itself', async () => {
        await store.commitCacheEntry(entry('a', {size: 30, lastAccess: 1}));
        await store.commitCacheEntry(entry('b', {size: 30, lastAccess: 2}));
        await store.commitCacheEntry(entry('p', {size: 30, lastAccess: 0, pinned: true}));
        await store.commitCacheEntry(entry('me', {size: 10, lastAccess: 0}));
        // 100 capacity, 90 used by others: the key's own 10 bytes count as free.
        expect(await store.makeCacheRoom('me', 10, 100)).toEqual({ok: true, evicted: []});
        const room = await store.makeCacheRoom('me', 40, 100);
        expect(room.ok && keys(room.evicted)).toEqual(['a']);
        expect(await store.getCacheEntry('a')).toBeUndefined();
        expect(await store.makeCacheRoom('new', 200, 100)).toEqual({ok: false, free: 30, reclaimable: 40});
        expect(keys(await store.listEvictableCacheEntries(10)).sort()).toEqual(['b', 'me']);
        // Room held by writes under way (a smaller capacity) counts against the free bytes.
        expect(await store.makeCacheRoom('new', 15, 40)).toEqual({ok: false, free: -30, reclaimable: 40});
        expect(keys(await store.listEvictableCacheEntries(10)).sort()).toEqual(['b', 'me']);
      });

      it('makes room by evicting many small entries, past any first batch of candidates', async () => {
        for (let i = 0; i < 100; i++) await store.commitCacheEntry(entry(`e${String(i).padStart(3, '0')}`, {size: 1, lastAccess: i}));
        const room = await store.makeCacheRoom('big', 90, 100);
        expect(room.ok && room.evicted.length).toBe(90);
        expect(await store.cacheUsedBytes()).toBe(10);
        expect(keys(await store.listEvictableCacheEntries(1))).toEqual(['e090']);
      });

      it('lists the entries that name their path, in path order, and those of one path', async () => {
        await store.commitCacheEntry(entry('k3', {path: '/b'}));
        await store.commitCacheEntry(entry('k1', {path: '/a'}));
        await store.commitCacheEntry(entry('k2', {path: '/a'}));
        await store.commitCacheEntry(entry('k0'));
        expect(await store.countCachedPaths()).toBe(3);
        expect(keys(await store.listCachedPaths(0, 10))).toEqual(['k1', 'k2', 'k3']);
        expect(keys(await store.listCachedPaths(1, 1))).toEqual(['k2']);
        expect(keys(await store.listCacheEntriesOfPath('/a')).sort()).toEqual(['k1', 'k2']);
      });

      it.skipIf(!perHost)('keeps each host\'s entries its own', async () => {
        const other = await openAs(OTHER_HOST);
        await store.commitCacheEntry(entry('k', {size: 10, path: '/f'}));
        await other.commitCacheEntry(entry('k', {size: 99, path: '/f', pinned: true}));
        expect((await store.getCacheEntry('k'))?.size).toBe(10);
        expect(await store.getCacheEntries(['k'])).toEqual([entry('k', {size: 10, path: '/f'})]);
        expect(await store.cacheUsedBytes()).toBe(10);
        expect(await other.cacheUsedBytes()).toBe(99);
        expect(keys(await store.listEvictableCacheEntries(10))).toEqual(['k']);
        expect(await other.listEvictableCacheEntries(10)).toEqual([]);
        expect(await store.countCachedPaths()).toBe(1);
        expect(await store.deleteCacheEntry('k')).toBe(true);
        expect((await other.getCacheEntry('k'))?.size).toBe(99);
      });
    });

    describe('workers', () => {
      it('lists every host that used the namespace, with its last contact, capacity and use', async () => {
        const other = await openAs(OTHER_HOST);
        await store.heartbeat({host: CONTRACT_HOST, lastContact: 1, capacityBytes: 100, usedBytes: 10});
        await other.heartbeat({host: OTHER_HOST, lastContact: 2, capacityBytes: 200, usedBytes: 20});
        await store.heartbeat({host: CONTRACT_HOST, lastContact: 3, capacityBytes: 100, usedBytes: 30});
        expect(await other.listWorkers()).toEqual([
          {host: CONTRACT_HOST, lastContact: 3, capacityBytes: 100, usedBytes: 30},
          {host: OTHER_HOST, lastContact: 2, capacityBytes: 200, usedBytes: 20},
        ]);
      });

      it('lists hosts in byte order, whatever the database collation', async () => {
        for (const host of ['b-2', 'B-1', 'a_1', 'a-1', 'A 1']) await store.heartbeat({host, lastContact: 1, capacityBytes: 1, usedBytes: 0});
        expect((await store.listWorkers()).map((w) => w.host)).toEqual(['A 1', 'B-1', 'a-1', 'a_1', 'b-2']);
      });
    });

    describe('metrics', () => {
      it('adds deltas of every store to the counters', async () => {
        const other = await openAs(OTHER_HOST);
        await store.addMetrics(new Map([['a', 1], ['b', 2 ** 40]]));
        await other.addMetrics(new Map([['a', 2]]));
        await store.addMetrics(new Map());
        expect(await store.readMetrics()).toEqual(new Map([['a', 3], ['b', 2 ** 40]]));
      });
    });

    describe('leases', () => {
      it('acquires, refuses another owner, renews, expires, and releases', async () => {
        expect(await store.getLease('persist')).toBeUndefined();
        expect(await store.tryAcquireLease('persist', 'p1', 1000, 0)).toBe(true);
        expect(await store.tryAcquireLease('persist', 'p2', 1000, 500)).toBe(false);
        expect(await store.tryAcquireLease('persist', 'p1', 1000, 900)).toBe(true);
        expect(await store.getLease('persist')).toEqual({name: 'persist', owner: 'p1', expiresAt: 1900});
        expect(await store.tryAcquireLease('persist', 'p2', 1000, 1900)).toBe(true);
        await store.releaseLease('persist', 'p1');
        expect((await store.getLease('persist'))?.owner).toBe('p2');
        await store.releaseLease('persist', 'p2');
        expect(await store.getLease('persist')).toBeUndefined();
      });
    });

    describe('path claims', () => {
      const at = (now: number, viewedAt = now) => ({viewedAt, now, ttlMs: 1000});

      it('refuses every other claim while one is in progress; renewed, it lasts; lapsed, it is pruned', async () => {
        expect(await store.tryClaimPath('/f', 'w1', at(0))).toBe(true);
        expect(await store.tryClaimPath('/f', 'w1', at(1))).toBe(false);
        expect(await store.tryClaimPath('/f', 'w2', at(1))).toBe(false);
        await store.renewClaims('w1', 5000);
        expect(await store.tryClaimPath('/f', 'w2', at(4000))).toBe(false);
        expect(await store.tryClaimPath('/f', 'w2', at(5000))).toBe(true);
      });

      it('keeps a completed claim a lease long: it refuses a writer that saw the path missing before it completed', async () => {
        expect(await store.tryClaimPath('/f', 'w1', at(0))).toBe(true);
        expect(await store.completeClaim('/f', 'w2', 10, 1000)).toBe(false);
        expect(await store.completeClaim('/f', 'w1', 10, 1000)).toBe(true);
        expect(await store.tryClaimPath('/f', 'w2', at(20, 5))).toBe(false);
        expect(await store.tryClaimPath('/f', 'w2', at(20, 11))).toBe(true);
      });

      it('frees a path whose write failed, only for its owner, and never a completed one', async () => {
        await store.tryClaimPath('/f', 'w1', at(0));
        await store.releaseClaim('/f', 'w2');
        expect(await store.tryClaimPath('/f', 'w2', at(1))).toBe(false);
        await store.releaseClaim('/f', 'w1');
        expect(await store.tryClaimPath('/f', 'w2', at(1))).toBe(true);
        await store.completeClaim('/f', 'w2', 2, 1000);
        await store.releaseClaim('/f', 'w2');
        expect(await store.tryClaimPath('/f', 'w3', at(3, 1))).toBe(false);
      });

      it('a deleted tree forgets its completed claims, not a look-alike\'s nor a claim in progress', async () => {
        for (const p of ['/d', '/d/x', '/d/x/y', '/d0', '/dx']) {
          expect(await store.tryClaimPath(p, 'w1', at(0))).toBe(true);
          if (p !== '/d/x/y') await store.completeClaim(p, 'w1', 0, 1000);
        }
        await store.deleteInodeTree('/d');
        const claimed = async (ps: string[]) => Promise.all(ps.map((p) => store.tryClaimPath(p, 'w2', at(10, 0))));
        expect(await claimed(['/d', '/d/x', '/d/x/y', '/d0', '/dx'])).toEqual([true, true, false, false, false]);
      });

      it('rejects paths that are not normalized', async () => {
        await expect(store.tryClaimPath('a/b', 'w1', at(0))).rejects.toThrow(/normalized/);
      });

      it('are dropped by a format: claims of the old generation never block', async () => {
        await store.tryClaimPath('/f', 'w1', at(0));
        await format();
        const fresh = await openAs();
        expect(await fresh.tryClaimPath('/f', 'w2', at(1))).toBe(true);
      });
    });

    describe('pins', () => {
      const rows = async () => (await store.listPinsBelow('/')).map((p) => `${p.path}=${Number(p.pinned)}`).sort();

      it('pins a tree with one row, replacing the rows below it but not its neighbours\'', async () => {
        await store.setPinTree('/a/b/c', {pinned: true, media: []}, 'private-');
        await store.setPinTree('/a/b-c', {pinned: true, media: ['HDD', 'MEM']}, 'private-');
        await store.setPinTree('/a/b', {pinned: true, media: ['SSD']}, 'private-');
        expect(await rows()).toEqual(['/a/b-c=1', '/a/b=1']);
        expect(await store.getPins(['/', '/a', '/a/b', '/a/b-c'])).toEqual(
          expect.arrayContaining([{path: '/a/b', pinned: true, media: ['SSD']}, {path: '/a/b-c', pinned: true, media: ['HDD', 'MEM']}]),
        );
        expect(await store.getPins([])).toEqual([]);
      });

      it('unpins with a "not pinned" row only below a pinned ancestor, and with no row otherwise', async () => {
        await store.setPinTree('/a', {pinned: true, media: []}, 'private-');
        await store.setPinTree('/a/b/c', {pinned: true, media: []}, 'private-');
        await store.setPinTree('/a/b', {pinned: false, media: []}, 'private-');
        expect(await rows()).toEqual(['/a/b=0', '/a=1']);
        await store.setPinTree('/a', {pinned: false, media: []}, 'private-');
        expect(await rows()).toEqual([]);
      });

      it('marks this host\'s cache entries of the tree, except keys with the given prefix', async () => {
        const other = await openAs(OTHER_HOST);
        await store.commitCacheEntry(entry('k1', {path: '/t/a'}));
        await store.commitCacheEntry(entry('k2', {path: '/t'}));
        await store.commitCacheEntry(entry('k3', {path: '/t0'}));
        await store.commitCacheEntry(entry('private-k4', {path: '/t/b', pinned: true}));
        if (perHost) await other.commitCacheEntry(entry('k1', {path: '/t/a'}));
        await store.setPinTree('/t', {pinned: true, media: []}, 'private-');
        const pinned = async (s: MetaStore, ks: string[]) => Promise.all(ks.map(async (k) => (await s.getCacheEntry(k))?.pinned));
        expect(await pinned(store, ['k1', 'k2', 'k3', 'private-k4'])).toEqual([true, true, false, true]);
        if (perHost) expect(await pinned(other, ['k1'])).toEqual([false]);
        await store.setPinTree('/t', {pinned: false, media: []}, 'private-');
        expect(await pinned(store, ['k1', 'k2', 'k3', 'private-k4'])).toEqual([false, false, false, true]);
      });
    });
  });
}

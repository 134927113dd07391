import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {chmod, mkdtemp, readdir, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import type {CacheEntry, MetaStore} from '../../../src/meta/store.js';
import {WorkerCache} from '../../../src/worker/cache.js';
import {openStore} from '../../helpers/meta-store.js';

/** The cache-entry part of the metastore, in memory: each method is all or nothing, as the store's are. */
function fakeStore(): MetaStore {
  const entries = new Map<string, CacheEntry>();
  const evictable = (limit: number) =>
    [...entries.values()]
      .filter((e) => !e.pinned)
      .sort((a, b) => a.lastAccess - b.lastAccess || (a.key < b.key ? -1 : 1))
      .slice(0, limit);
  const used = () => [...entries.values()].reduce((sum, e) => sum + e.size, 0);
  const fake: Partial<MetaStore> = {
    host: 'fake-host',
    getCacheEntry: async (key) => entries.get(key) && {...entries.get(key)!},
    commitCacheEntry: async (entry) => {
      const existing = entries.get(entry.key);
      const path = entry.path ?? existing?.path;
      entries.set(entry.key, {...entry, pinned: entry.pinned || (existing?.pinned ?? false), ...(path === undefined ? {} : {path})});
    },
    touchCacheEntry: async (key, lastAccess) => {
      const entry = entries.get(key);
      if (entry) entry.lastAccess = lastAccess;
    },
    deleteCacheEntry: async (key, opts = {}) => {
      const entry = entries.get(key);
      if (!entry || (opts.ifLastAccess !== undefined && entry.lastAccess !== opts.ifLastAccess)) return false;
      return entries.delete(key);
    },
    rekeyCacheEntry: async (from, to, pinned, now) => {
      const entry = entries.get(from);
      if (!entry) return false;
      entries.delete(from);
      entries.set(to, {...entry, key: to, pinned, lastAccess: now});
      return true;
    },
    setCacheEntryPinned: async (key, pinned) => {
      const entry = entries.get(key);
      if (entry) entry.pinned = pinned;
    },
    makeCacheRoom: async (key, bytes, capacity) => {
      const free = capacity - (used() - (entries.get(key)?.size ?? 0));
      if (free >= bytes) return {ok: true, evicted: []};
      const victims: CacheEntry[] = [];
      let reclaimable = 0;
      for (const entry of evictable(Infinity)) {
        if (entry.key === key) continue;
        victims.push(entry);
        reclaimable += entry.size;
        if (reclaimable >= bytes - free) break;
      }
      if (reclaimable < bytes - free) return {ok: false, free, reclaimable};
      for (const victim of victims) entries.delete(victim.key);
      return {ok: true, evicted: victims};
    },
    cacheUsedBytes: async () => used(),
    cacheEntrySizes: async () => new Set([...entries.values()].map((e) => e.size)),
    listEvictableCacheEntries: async (limit) => evictable(limit),
    close: async () => undefined,
  };
  return fake as MetaStore;
}

const bytes = (n: number, fill = 'x') => Buffer.alloc(n, fill);

/** The files of the cache folder, temporaries (in its .tmp folder) included as `.tmp/<name>`. */
async function cacheFiles(dir: string): Promise<string[]> {
  const data = join(dir, 'alluxioworker');
  const names = (await readdir(data)).filter((n) => n !== '.tmp');
  const temps = existsSync(join(data, '.tmp')) ? (await readdir(join(data, '.tmp'))).map((n) => `.tmp/${n}`) : [];
  return [...names, ...temps].sort();
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe.each([
  ['in-memory fake store', async (_dir: string) => fakeStore()],
  ['SQLite store', (dir: string) => openStore(join(dir, 'journal'))],
])('WorkerCache with the %s', (_name, makeStore) => {
  let root: string;
  let dir: string;
  let store: MetaStore;
  let now: number;

  const cacheOf = (quotaBytes: number) => new WorkerCache({dir, quotaBytes, store});
  // Each write and read at a later time, so that LRU order does not hang on the clock's resolution.
  const tick = () => vi.setSystemTime((now += 1000));
  /** The keys the cache holds, of `keys`. */
  async function held(cache: WorkerCache, keys: string[]): Promise<string[]> {
    const has = await Promise.all(keys.map((k) => cache.has(k)));
    return keys.filter((_k, i) => has[i]);
  }
  async function put(cache: WorkerCache, key: string, size: number, pinned = false): Promise<void> {
    tick();
    await cache.write(key, Readable.from([bytes(size)]), {pinned, expectedLength: size});
  }

  beforeEach(async () => {
    vi.useFakeTimers({toFake: ['Date']});
    now = 1_700_000_000_000;
    root = await mkdtemp(join(tmpdir(), 'worker-cache-'));
    dir = join(root, 'ramdisk');
    store = await makeStore(root);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await rm(root, {recursive: true, force: true});
  });

  it('writes and reads back, whole and in ranges', async () => {
    const cache = cacheOf(100);
    async function* source() {
      yield Buffer.from('0123');
      yield Buffer.from('456789');
    }
    expect(await cache.write('k1', source(), {pinned: false, expectedLength: 10})).toBe(10);
    expect(await cache.has('k1')).toBe(true);
    expect(await cache.has('k2')).toBe(false);
    expect(await cache.usedBytes()).toBe(10);
    expect(await readAll(await cache.open('k1'))).toBe('0123456789');
    expect(await readAll(await cache.open('k1', {offset: 3, length: 4}))).toBe('3456');
    expect(await readAll(await cache.open('k1', {offset: 8}))).toBe('89');
    expect(await readAll(await cache.open('k1', {offset: 2, length: 0}))).toBe('');
    expect(await cacheFiles(dir)).toEqual(['k1']);
  });

  it('fails a source that is longer or shorter than expected, leaving nothing', async () => {
    const cache = cacheOf(100);
    await expect(cache.write('k', Readable.from([bytes(11)]), {pinned: false, expectedLength: 10})).rejects.toThrow(
      'the source gave more than 10 bytes, 10 expected',
    );
    await expect(cache.write('k', Readable.from([bytes(9)]), {pinned: false, expectedLength: 10})).rejects.toThrow(
      'the source gave 9 bytes, 10 expected',
    );
    expect(await cache.has('k')).toBe(false);
    expect(await cacheFiles(dir)).toEqual([]);
  });

  it('evicts the least recently used entries first', async () => {
    const cache = cacheOf(30);
    await put(cache, 'a', 10);
    await put(cache, 'b', 10);
    await put(cache, 'c', 10);
    tick();
    await readAll(await cache.open('a'));
    await put(cache, 'd', 10);
    expect(await held(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    expect(existsSync(join(dir, 'alluxioworker', 'b'))).toBe(false);
    await put(cache, 'e', 20);
    expect(await held(cache, ['a', 'c', 'd', 'e'])).toEqual(['d', 'e']);
    expect(await cache.usedBytes()).toBe(30);
  });

  it('never evicts pinned entries, and says clearly when the quota cannot hold the data', async () => {
    const cache = cacheOf(30);
    await put(cache, 'p1', 10, true);
    await put(cache, 'u', 5);
    await put(cache, 'p2', 10, true);
    expect(await cache.canHold(10)).toBe(true);
    expect(await cache.canHold(11)).toBe(false);
    const failed = cache.write('x', Readable.from([bytes(25)]), {pinned: false, expectedLength: 25});
    await expect(failed).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
      message: `Not enough space in the Alluxio worker cache (${dir}): 25 bytes needed, 10 free of 30`,
      hint: expect.stringContaining('alluxio.worker.tieredstore.level0.dirs.quota'),
    });
    // Nothing was evicted for a write that could not happen.
    expect(await cache.has('u')).toBe(true);
    await put(cache, 'x', 10);
    expect(await held(cache, ['p1', 'u', 'p2', 'x'])).toEqual(['p1', 'p2', 'x']);
  });

  it('makes an entry evictable once unpinned', async () => {
    const cache = cacheOf(10);
    await put(cache, 'p', 10, true);
    expect(await cache.canHold(1)).toBe(false);
    await cache.unpin('p');
    expect(await cache.canHold(10)).toBe(true);
    await put(cache, 'q', 10);
    expect(await cache.has('p')).toBe(false);
  });

  it('removes entries', async () => {
    const cache = cacheOf(100);
    await put(cache, 'k', 10);
    expect(await cache.remove('k')).toBe(true);
    expect(await cache.remove('k')).toBe(false);
    expect(await cache.usedBytes()).toBe(0);
    expect(existsSync(cache.pathOf('k'))).toBe(false);
  });

  it('rekeys data under its new name before the entry moves, and drops the old name after', async () => {
    const cache = cacheOf(100);
    await put(cache, 'private-1', 10, true);
    tick();
    await cache.rekey('private-1', 'obj', false);
    expect(await cacheFiles(dir)).toEqual(['obj']);
    expect(await store.getCacheEntry('private-1')).toBeUndefined();
    expect(await store.getCacheEntry('obj')).toMatchObject({size: 10, pinned: false, lastAccess: now});
    expect(await readAll(await cache.open('obj'))).toBe('x'.repeat(10));
    // Nothing to move: nothing happens.
    await cache.rekey('private-1', 'obj2');
    expect(await cacheFiles(dir)).toEqual(['obj']);
  });

  it('takes back the new name of data whose entry was removed while it was being rekeyed', async () => {
    const cache = cacheOf(100);
    await put(cache, 'private-1', 10, true);
    vi.spyOn(store, 'rekeyCacheEntry').mockResolvedValueOnce(false);
    await cache.rekey('private-1', 'obj', false);
    expect(await cacheFiles(dir)).toEqual(['private-1']);
    expect(await store.getCacheEntry('obj')).toBeUndefined();
  });

  it('never lets reservations made together count on the same room', async () => {
    const cache = cacheOf(100);
    await put(cache, 'pinned', 30, true);
    expect(await Promise.all([cache.reserve(40), cache.reserve(40), cache.reserve(40)])).toEqual([true, false, false]);
    cache.release(40);
    expect(await cache.reserve(70)).toBe(true);
  });

  it('drops an entry whose file vanished', async () => {
    const cache = cacheOf(100);
    await put(cache, 'k', 10);
    await rm(cache.pathOf('k'));
    expect(await cache.has('k')).toBe(false);
    expect(await store.getCacheEntry('k')).toBeUndefined();
    await put(cache, 'j', 10);
    await rm(cache.pathOf('j'));
    await expect(cache.open('j')).rejects.toThrow(/is not in the Alluxio worker cache/);
    expect(await store.getCacheEntry('j')).toBeUndefined();
  });

  it('recreates a missing cache folder on demand', async () => {
    const cache = cacheOf(100);
    await put(cache, 'k', 10);
    await rm(dir, {recursive: true});
    await put(cache, 'j', 10);
    expect(await cache.has('j')).toBe(true);
    expect((await stat(join(dir, 'alluxioworker'))).mode & 0o7777).toBe(0o700);
  });

  it('fails clearly when the cache folder cannot be written', async () => {
    await writeFile(dir, 'a file in the way');
    const cache = cacheOf(100);
    const write = cache.write('k', Readable.from([bytes(1)]), {pinned: false, expectedLength: 1});
    await expect(write).rejects.toMatchObject({
      kind: 'IO',
      message: expect.stringContaining(join(dir, 'alluxioworker')),
      hint: expect.stringContaining('alluxio.worker.tieredstore.level0.dirs.path'),
    });
  });

  it('lets two writers of the same key race harmlessly', async () => {
    const cache = cacheOf(100);
    const other = cacheOf(100);
    const sizes = await Promise.all([
      cache.write('k', Readable.from([bytes(10, 'a')]), {pinned: false, expectedLength: 10}),
      other.write('k', Readable.from([bytes(10, 'a')]), {pinned: false, expectedLength: 10}),
    ]);
    expect(sizes).toEqual([10, 10]);
    expect(await cache.usedBytes()).toBe(10);
    expect(await cacheFiles(dir)).toEqual(['k']);
    expect(await readAll(await other.open('k'))).toBe('a'.repeat(10));
  });

  it('formats the worker folder', async () => {
    const cache = cacheOf(100);
    await put(cache, 'k', 10);
    expect(await WorkerCache.format(dir)).toEqual([join(dir, 'alluxioworker')]);
    expect(await cacheFiles(dir)).toEqual([]);
    expect((await stat(join(dir, 'alluxioworker'))).mode & 0o7777).toBe(0o700);
    expect(await cache.has('k')).toBe(false);
  });

  describe('temporaries of other writers', () => {
    const host = hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
    /** A temporary as another process writing `size` bytes into the cache names it. */
    async function temporaryOf(pid: number, size: number, writerHost = host): Promise<string> {
      const temp = join(dir, 'alluxioworker', '.tmp', `${size}.${pid}@${writerHost}-0123456789ab.tmp`);
      await writeFile(temp, bytes(size / 2));
      return temp;
    }

    it("count against the quota at their final size while their writer runs", async () => {
      const cache = cacheOf(100);
      await put(cache, 'old', 30);
      const writer = spawn('sleep', ['30']);
      try {
        const temp = await temporaryOf(writer.pid!, 60);
        // 30 cached + 60 being written: 40 more fit only by evicting what is cached, 41 not at all.
        expect(await cache.canHold(10)).toBe(true);
        expect(await cache.canHold(40)).toBe(true);
        expect(await cache.canHold(41)).toBe(false);
        await put(cache, 'new', 40, true);
        expect(await cache.has('old')).toBe(false);
        expect(await cache.canHold(1)).toBe(false);
        await expect(put(cache, 'pinned', 10, true)).rejects.toThrow(/Not enough space .*: 10 bytes needed, 0 free of 100/);
        expect(existsSync(temp)).toBe(true);
      } finally {
        writer.kill('SIGKILL');
      }
    });

    it('are removed once their writer is gone, by the next use of the cache, and no longer count', async () => {
      const cache = cacheOf(100);
      await put(cache, 'first', 10);
      const writer = spawn('true');
      await once(writer, 'exit');
      const temp = await temporaryOf(writer.pid!, 90);
      expect(await cacheOf(100).has('first')).toBe(true);
      expect(existsSync(temp)).toBe(false);
      await temporaryOf(writer.pid!, 90);
      await put(cacheOf(100), 'second', 90);
      expect(await cacheFiles(dir)).toEqual(['first', 'second']);
    });

    it('of a running writer on this host stay however long it stalls; of another host go after the lease', async () => {
      const cache = new WorkerCache({dir, quotaBytes: 100, store, abandonAfterMs: 60_000});
      await put(cache, 'first', 10);
      const stalled = await temporaryOf(process.ppid, 40);
      const elsewhere = await temporaryOf(process.ppid, 50, 'other-host');
      for (const temp of [stalled, elsewhere]) await utimes(temp, (now - 61_000) / 1000, (now - 61_000) / 1000);
      expect(cache.removeAbandoned()).toEqual([elsewhere]);
      expect(existsSync(stalled)).toBe(true);
      // The stalled write still holds its 40 bytes; 'first' may be evicted.
      expect(await cache.canHold(60)).toBe(true);
      expect(await cache.canHold(61)).toBe(false);
    });
  });

  it('keeps data readable by its owner alone, and closes a folder an older format left open', async () => {
    const cache = cacheOf(100);
    await put(cache, 'k', 10);
    expect((await stat(cache.pathOf('k'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'alluxioworker', '.tmp'))).mode & 0o7777).toBe(0o700);
    await chmod(join(dir, 'alluxioworker'), 0o1777);
    await put(cacheOf(100), 'j', 10);
    expect((await stat(join(dir, 'alluxioworker'))).mode & 0o7777).toBe(0o700);
  });
});

describe('cache keys', () => {
  it('change with the size or hash of a UFS object, and with its time when it has no hash', () => {
    const base = {length: 10, lastModified: 1000, contentHash: 'etag'};
    const key = WorkerCache.keyForUfsObject('s3://b/f', base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(WorkerCache.keyForUfsObject('s3://b/f', {...base})).toBe(key);
    expect(WorkerCache.keyForUfsObject('s3://b/g', base)).not.toBe(key);
    expect(WorkerCache.keyForUfsObject('s3://b/f', {...base, length: 11})).not.toBe(key);
    expect(WorkerCache.keyForUfsObject('s3://b/f', {...base, contentHash: 'other'})).not.toBe(key);
    // A listing and a HEAD may give the time in different precision: with a hash, the time does not count.
    expect(WorkerCache.keyForUfsObject('s3://b/f', {...base, lastModified: 1001})).toBe(key);
    const untagged = WorkerCache.keyForUfsObject('/d/f', {length: 10, lastModified: 1000});
    expect(WorkerCache.keyForUfsObject('/d/f', {length: 10, lastModified: 1001})).not.toBe(untagged);
  });

  it('are unique for private data and safe as file names', () => {
    const a = WorkerCache.newPrivateKey();
    expect(a).not.toBe(WorkerCache.newPrivateKey());
    const cache = new WorkerCache({dir: '/tmp/x', quotaBytes: 1, store: fakeStore()});
    expect(cache.pathOf(a)).toBe(`/tmp/x/alluxioworker/${a}`);
    expect(() => cache.pathOf('../etc/passwd')).toThrow('Invalid cache key');
  });
});

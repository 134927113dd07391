/**
 * The worker cache in a namespace several hosts share: the generation file that empties a cache folder after a
 * format made elsewhere, the entries another host orphaned, and the contact a command records. A store serving one
 * host (SQLite) leaves the folder as it is.
 */
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {CacheEntry, InodeRecord, MetaStore, WorkerRecord} from '../../../src/meta/store.js';
import {WorkerCache} from '../../../src/worker/cache.js';

const DAY = 86_400_000;

/** The parts of a shared store the cache uses here, in memory. */
function sharedStore(generation: string, opts: {sharedByHosts?: boolean} = {}) {
  const entries = new Map<string, CacheEntry>();
  const inodes: InodeRecord[] = [];
  const beats: WorkerRecord[] = [];
  const store: Partial<MetaStore> = {
    host: 'host-a',
    sharedByHosts: opts.sharedByHosts ?? true,
    generation,
    listCachedPaths: async (offset, limit) =>
      [...entries.values()].filter((e) => e.path !== undefined).sort((x, y) => (x.path! < y.path! ? -1 : 1)).slice(offset, offset + limit),
    listInodesByState: async (state, {host}) => inodes.filter((i) => i.state === state && i.cacheHost === host),
    deleteCacheEntry: async (key) => entries.delete(key),
    cacheUsedBytes: async () => [...entries.values()].reduce((n, e) => n + e.size, 0),
    heartbeat: async (w) => void beats.push(w),
  };
  return {store: store as MetaStore, entries, inodes, beats};
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-hosts-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const dataDir = () => join(dir, 'alluxioworker');
const marker = () => join(dataDir(), '.generation');

async function folderWith(files: Record<string, string>): Promise<void> {
  await mkdir(join(dataDir(), '.tmp'), {recursive: true});
  for (const [name, text] of Object.entries(files)) await writeFile(join(dataDir(), name), text);
}

describe('adoptGeneration', () => {
  it('empties a folder last used with another generation, and marks it with the current one', async () => {
    await folderWith({'.generation': 'old\n', 'private-1': 'x', abc: 'y'});
    await new WorkerCache({dir, quotaBytes: 100, store: sharedStore('new').store}).adoptGeneration();
    expect((await readdir(dataDir())).sort()).toEqual(['.generation', '.tmp']);
    expect(await readFile(marker(), 'utf8')).toBe('new\n');
  });

  it('leaves a folder of the current generation, and adopts one without a generation file as it is', async () => {
    await folderWith({'.generation': 'g1\n', k: 'x'});
    const cache = () => new WorkerCache({dir, quotaBytes: 100, store: sharedStore('g1').store});
    await cache().adoptGeneration();
    expect((await readdir(dataDir())).sort()).toEqual(['.generation', '.tmp', 'k']);
    await rm(marker());
    await cache().adoptGeneration();
    expect((await readdir(dataDir())).sort()).toEqual(['.generation', '.tmp', 'k']);
    expect(await readFile(marker(), 'utf8')).toBe('g1\n');
  });

  it('of processes starting together after a format, one empties the folder and the others wait for it', async () => {
    await folderWith({'.generation': 'old\n', ...Object.fromEntries(Array.from({length: 50}, (_, i) => [`k${i}`, 'x']))});
    await Promise.all(Array.from({length: 4}, () => new WorkerCache({dir, quotaBytes: 100, store: sharedStore('new').store}).adoptGeneration()));
    expect((await readdir(dataDir())).sort()).toEqual(['.generation', '.tmp']);
    expect(await readFile(marker(), 'utf8')).toBe('new\n');
  });

  it('does nothing for a store serving one host, nor for a folder not made yet', async () => {
    await folderWith({'.generation': 'old\n', k: 'x'});
    await new WorkerCache({dir, quotaBytes: 100, store: sharedStore('new', {sharedByHosts: false}).store}).adoptGeneration();
    expect((await readdir(dataDir())).sort()).toEqual(['.generation', '.tmp', 'k']);
    await rm(dataDir(), {recursive: true});
    await new WorkerCache({dir, quotaBytes: 100, store: sharedStore('new').store}).adoptGeneration();
    expect(existsSync(dataDir())).toBe(false);
  });
});

describe('dropOrphansIfDue', () => {
  const now = 10 * DAY;
  const entry = (key: string, path: string, lastAccess: number): CacheEntry => ({key, size: 1, lastAccess, pinned: true, path});

  it("drops this host's old entries of unpersisted data that no file names, with their data, once an hour", async () => {
    const {store, entries, inodes} = sharedStore('g');
    await folderWith({'private-gone': 'x', 'private-moved': 'y', 'private-new': 'z', 'ufs-key': 'w'});
    entries.set('private-gone', entry('private-gone', '/gone', now - 2 * DAY));
    entries.set('private-moved', entry('private-moved', '/old-name', now - 2 * DAY));
    entries.set('private-new', entry('private-new', '/writing', now - 1000));
    entries.set('ufs-key', {...entry('ufs-key', '/persisted', now - 2 * DAY), pinned: false});
    // Another host moved /old-name: the row names the entry still.
    inodes.push({path: '/new-name', isDirectory: false, state: 'NOT_PERSISTED', creationTime: 1, modificationTime: 1, cacheKey: 'private-moved', cacheHost: 'host-a'});
    const cache = new WorkerCache({dir, quotaBytes: 100, store});
    expect(await cache.dropOrphansIfDue(now)).toEqual(['private-gone']);
    expect([...entries.keys()].sort()).toEqual(['private-moved', 'private-new', 'ufs-key']);
    expect(existsSync(join(dataDir(), 'private-gone'))).toBe(false);
    expect(existsSync(join(dataDir(), 'private-moved'))).toBe(true);

    // Not again within the hour; an hour later, what became old and unnamed goes.
    entries.set('private-gone2', entry('private-gone2', '/g2', now - 2 * DAY));
    expect(await cache.dropOrphansIfDue(now + 1000)).toEqual([]);
    await utimes(join(dataDir(), '.swept'), (now - 3_600_001) / 1000, (now - 3_600_001) / 1000);
    expect(await cache.dropOrphansIfDue(now + 1000)).toEqual(['private-gone2']);
  });

  it('never runs for a store serving one host, whose deletes drop the entries themselves', async () => {
    const {store, entries} = sharedStore('g', {sharedByHosts: false});
    await folderWith({'private-gone': 'x'});
    entries.set('private-gone', entry('private-gone', '/gone', 0));
    expect(await new WorkerCache({dir, quotaBytes: 100, store}).dropOrphansIfDue(now)).toEqual([]);
    expect(entries.has('private-gone')).toBe(true);
  });
});

it('recordContact records the host, the quota as capacity and the bytes its entries use', async () => {
  const {store, entries, beats} = sharedStore('g');
  entries.set('k', {key: 'k', size: 42, lastAccess: 1, pinned: false});
  const before = Date.now();
  await new WorkerCache({dir, quotaBytes: 1000, store}).recordContact();
  expect(beats).toEqual([{host: 'host-a', lastContact: expect.any(Number), capacityBytes: 1000, usedBytes: 42}]);
  expect(beats[0]!.lastContact).toBeGreaterThanOrEqual(before);
});

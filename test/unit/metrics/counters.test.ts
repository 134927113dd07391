import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {openStore} from '../../helpers/meta-store.js';
import {count, flushCounters, pendingCounters} from '../../../src/metrics/counters.js';
import {type FsFolders, makeFolders, openFs, readAll, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;

beforeEach(async () => {
  folders = await makeFolders('metrics-');
  // The registry is per process: start each test from nothing.
  await flushCounters({addMetrics: async () => undefined}, () => undefined);
});
afterEach(async () => {
  await removeFolders(folders);
});

async function storedMetrics(): Promise<Map<string, number>> {
  const store = await openStore(folders.journal);
  try {
    return await store.readMetrics();
  } finally {
    await store.close();
  }
}

describe('the counter registry', () => {
  it('adds up, and a flush moves the deltas to the store and starts again from zero', async () => {
    count('Master.FilesCreated');
    count('Master.FilesCreated', 2);
    count('Cluster.BytesReadLocal', 0);
    expect(pendingCounters()).toEqual(new Map([['Master.FilesCreated', 3]]));
    const store = await openStore(folders.journal);
    await flushCounters(store, () => undefined);
    expect(pendingCounters().size).toBe(0);
    count('Master.FilesCreated', 4);
    await flushCounters(store, () => undefined);
    expect((await store.readMetrics()).get('Master.FilesCreated')).toBe(7);
    await store.close();
  });

  it('a flush that fails only warns, and keeps the counts for the next flush', async () => {
    count('Master.PathsDeleted', 5);
    const warnings: string[] = [];
    await flushCounters({addMetrics: async () => {
      throw Object.assign(new Error('SQLITE_BUSY: database is locked'), {code: 'SQLITE_BUSY'});
    }}, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Could not record this process's metrics in the metastore: /);
    expect(pendingCounters().get('Master.PathsDeleted')).toBe(5);
  });
});

describe('what a FileSystem counts, flushed when it is released', () => {
  it('logical operations, UFS calls and bytes per mount, cache bytes, hits and misses', async () => {
    const {fs} = await openFs(folders);
    const ufs = folders.ufs;
    await fs.mkdir('/d', {recursive: false, writeType: 'THROUGH'});
    await fs.createFile('/d/f', Readable.from([Buffer.from('0123456789')]), {length: 10, recursive: false, writeType: 'CACHE_THROUGH'});
    await fs.getStatus('/d/f');
    expect(await readAll((await fs.open('/d/f')).stream)).toBe('0123456789');
    await fs.free('/d/f');
    expect(await readAll((await fs.open('/d/f', 'NO_CACHE')).stream)).toBe('0123456789');
    await fs.rename('/d/f', '/d/g');
    await fs.delete('/d/g', {recursive: false, alluxioOnly: false});
    await fs.release();

    const m = await storedMetrics();
    expect(Object.fromEntries([...m].filter(([k]) => k.startsWith('Cluster.')))).toEqual({
      'Cluster.BytesWrittenLocal': 10,
      'Cluster.BytesReadLocal': 10,
      'Cluster.CacheHits': 1,
      'Cluster.CacheMisses': 1,
      [`Cluster.BytesWrittenUfs.UFS:${ufs}`]: 10,
      [`Cluster.BytesReadUfs.UFS:${ufs}`]: 10,
    });
    expect(m.get('Master.CreateDirectoryOps')).toBe(1);
    expect(m.get('Master.DirectoriesCreated')).toBe(1);
    expect(m.get('Master.CreateFileOps')).toBe(1);
    expect(m.get('Master.FilesCreated')).toBe(1);
    expect(m.get('Master.FreeFileOps')).toBe(1);
    expect(m.get('Master.FilesFreed')).toBe(1);
    expect(m.get('Master.RenamePathOps')).toBe(1);
    expect(m.get('Master.PathsRenamed')).toBe(1);
    expect(m.get('Master.DeletePathOps')).toBe(1);
    expect(m.get('Master.PathsDeleted')).toBe(1);
    expect(m.get('Master.GetFileInfoOps')).toBeGreaterThanOrEqual(2);
    expect(m.get('Master.FileInfosGot')).toBeGreaterThanOrEqual(2);
    expect(m.get(`Master.UfsOpMkdirs.UFS:${ufs}`)).toBe(1);
    expect(m.get(`Master.UfsOpCreate.UFS:${ufs}`)).toBe(1);
    expect(m.get(`Master.UfsOpOpen.UFS:${ufs}`)).toBe(1);
    expect(m.get(`Master.UfsOpRename.UFS:${ufs}`)).toBe(1);
    expect(m.get(`Master.UfsOpDelete.UFS:${ufs}`)).toBe(1);
    expect(m.get(`Master.UfsOpGetStatus.UFS:${ufs}`)).toBeGreaterThan(0);
  });

  it('a failed operation counts its call, not its success; a failed mkdir creates nothing', async () => {
    const {fs} = await openFs(folders);
    await expect(fs.mkdir('/missing/child', {recursive: false})).rejects.toThrow();
    await expect(fs.getStatus('/nope')).rejects.toThrow();
    await fs.release();
    const m = await storedMetrics();
    expect(m.get('Master.CreateDirectoryOps')).toBe(1);
    expect(m.get('Master.DirectoriesCreated')).toBeUndefined();
    expect(m.get('Master.GetFileInfoOps')).toBe(1);
    expect(m.get('Master.FileInfosGot')).toBeUndefined();
  });

  it('the counts of two FileSystems on one namespace add up in the store', async () => {
    for (const name of ['/a', '/b']) {
      const {fs} = await openFs(folders);
      await fs.mkdir(name, {recursive: false});
      await fs.release();
    }
    expect((await storedMetrics()).get('Master.DirectoriesCreated')).toBe(2);
  });

  it('a stream read halfway counts what was read', async () => {
    const {fs} = await openFs(folders);
    const data = Buffer.alloc(200_000, 7);
    await fs.createFile('/big', Readable.from([data]), {length: data.length, recursive: false, writeType: 'THROUGH'});
    const {stream} = await fs.open('/big', 'NO_CACHE');
    let got = 0;
    for await (const chunk of stream) {
      got += (chunk as Buffer).length;
      break;
    }
    await new Promise((r) => setImmediate(r));
    await fs.release();
    const read = (await storedMetrics()).get(`Cluster.BytesReadUfs.UFS:${folders.ufs}`) ?? 0;
    expect(read).toBeGreaterThanOrEqual(got);
    expect(read).toBeLessThan(data.length);
  });
});

import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {cp} from '../../../src/fs/copy.js';
import {copyFromLocal, copyToLocal} from '../../../src/fs/local-copy.js';
import type {WriteType} from '../../../src/fs/types.js';
import {recordingProgress as recording} from '../../helpers/progress-sink.js';
import {type FsFolders, type OpenedFs, collect, makeFolders, openFs, removeFolders} from '../../helpers/unit-fs.js';

const MB = 1024 * 1024;
const SIZES = {'a.bin': 3 * MB + 17, 'b.bin': 1000, 'sub/c.bin': 2 * MB, 'empty.bin': 0};
const TOTAL = Object.values(SIZES).reduce((a, b) => a + b, 0);

let folders: FsFolders;
let opened: OpenedFs;
let local: string;

beforeEach(async () => {
  folders = await makeFolders('fs-progress-');
  local = join(folders.base, 'local');
  mkdirSync(join(local, 'sub'), {recursive: true});
  for (const [name, size] of Object.entries(SIZES)) writeFileSync(join(local, name), Buffer.alloc(size, 7));
  opened = await openFs(folders, {quotaBytes: 64 * MB});
});
afterEach(async () => {
  await opened.fs.close();
  await removeFolders(folders);
});

function openWith(writeType: WriteType) {
  return openFs(folders, {quotaBytes: 64 * MB, conf: {'alluxio.user.file.writetype.default': writeType}});
}

describe('progress reported by the core (local default)', () => {
  for (const writeType of ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH'] as const) {
    it(`copyFromLocal ${writeType}: every byte found and done once, a big file in many steps`, async () => {
      await opened.fs.close();
      opened = await openWith(writeType);
      const {sink, progress} = recording();
      await copyFromLocal(opened.fs, local, '/dst', () => undefined, {progress});
      expect(sink.grown).toBe(TOTAL);
      expect(sink.done).toBe(TOTAL);
      // The folder's walk was a listing (no percentage while it ran), and it ended.
      expect([sink.listings, sink.open]).toEqual([1, 0]);
      // Streamed (64 KiB reads), not one jump at the end of each file.
      expect(sink.advances).toBeGreaterThan(20);
    });
  }

  it('copyFromLocal ASYNC_THROUGH: bytes done into the cache, then the upload reported by persistWritten', async () => {
    await opened.fs.close();
    opened = await openWith('ASYNC_THROUGH');
    const copy = recording();
    await copyFromLocal(opened.fs, join(local, 'a.bin'), '/a.bin', () => undefined, {progress: copy.progress});
    expect([copy.sink.grown, copy.sink.done]).toEqual([SIZES['a.bin'], SIZES['a.bin']]);
    const upload = recording();
    await opened.fs.persistWritten(upload.progress);
    expect([upload.sink.grown, upload.sink.done]).toEqual([SIZES['a.bin'], SIZES['a.bin']]);
    expect(readFileSync(join(folders.ufs, 'a.bin')).length).toBe(SIZES['a.bin']);
  });

  it('copyToLocal and cp (either way) report every byte', async () => {
    await opened.fs.close();
    opened = await openWith('THROUGH');
    await copyFromLocal(opened.fs, local, '/src', () => undefined);
    const down = recording();
    await copyToLocal(opened.fs, '/src', join(folders.base, 'out'), () => undefined, down.progress);
    expect([down.sink.grown, down.sink.done]).toEqual([TOTAL, TOTAL]);
    expect([down.sink.listings, down.sink.open]).toEqual([1, 0]);
    const copy = recording();
    await cp(opened.fs, '/src', '/copy', {recursive: true, preserve: false, progress: copy.progress}, () => undefined);
    expect([copy.sink.grown, copy.sink.done]).toEqual([TOTAL, TOTAL]);
    expect([copy.sink.listings, copy.sink.open]).toEqual([1, 0]);
    const up = recording();
    await cp(opened.fs, `file://${local}`, '/fromLocal', {recursive: false, preserve: false, progress: up.progress}, () => undefined);
    expect([up.sink.grown, up.sink.done]).toEqual([TOTAL, TOTAL]);
  });

  it('persist and load report the bytes they move', async () => {
    await opened.fs.close();
    opened = await openWith('MUST_CACHE');
    await copyFromLocal(opened.fs, local, '/m', () => undefined);
    const files = await opened.fs.filesToPersist('/m');
    expect(files.reduce((sum, f) => sum + f.length, 0)).toBe(TOTAL);
    const persisted = recording();
    await opened.fs.persistAll(files.map((f) => f.path), () => undefined, persisted.progress);
    expect(persisted.sink.done).toBe(TOTAL);
    await opened.fs.free('/m');
    const loaded = recording();
    await collect(opened.fs.load('/m', loaded.progress));
    expect([loaded.sink.grown, loaded.sink.done]).toEqual([TOTAL, TOTAL]);
    expect([loaded.sink.listings, loaded.sink.open]).toEqual([1, 0]);
  });

  it('rm -R of a local folder reports every entry found and removed', async () => {
    await opened.fs.close();
    opened = await openWith('THROUGH');
    await copyFromLocal(opened.fs, local, '/tree', () => undefined);
    const {sink, progress} = recording();
    await opened.fs.delete('/tree', {recursive: true, alluxioOnly: false, progress});
    // a.bin, b.bin, empty.bin, sub and sub/c.bin.
    expect([sink.grown, sink.done]).toEqual([5, 5]);
    expect([sink.listings, sink.open]).toEqual([1, 0]);
    expect(existsSync(join(folders.ufs, 'tree'))).toBe(false);
    expect(await opened.fs.exists('/tree')).toBe(false);
  });
});

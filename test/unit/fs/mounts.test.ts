import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {MountOptions} from '../../../src/fs/mounts.js';
import {
  type FsFolders,
  type OpenedFs,
  collect,
  errorOf,
  makeFolders,
  openFs,
  readAll,
  removeFolders,
} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;
let dirA: string;

const rw: MountOptions = {readOnly: false, shared: false, options: {}};
const ro: MountOptions = {readOnly: true, shared: false, options: {}};

beforeEach(async () => {
  folders = await makeFolders('fs-mounts-');
  opened = await openFs(folders);
  dirA = join(folders.base, 'dirA');
  mkdirSync(join(dirA, 'sub'), {recursive: true});
  writeFileSync(join(dirA, 'f'), 'from A');
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

const write = (path: string, writeType: 'MUST_CACHE' | 'THROUGH' | 'ASYNC_THROUGH' | 'CACHE_THROUGH', content = 'data') =>
  opened.fs.createFile(path, Readable.from([Buffer.from(content)]), {length: content.length, recursive: true, writeType});

describe('mount', () => {
  it('mounts a folder: its files appear, the record is stored normalized', async () => {
    const record = await opened.fs.mount('/a', dirA + '//', rw);
    expect(record).toMatchObject({alluxioPath: '/a', ufsUri: dirA, readOnly: false, shared: false, options: {}});
    expect(await opened.store.getMount('/a')).toMatchObject({alluxioPath: '/a', ufsUri: dirA});
    expect((await collect(opened.fs.list('/a', {recursive: false}))).map((s) => s.path)).toEqual(['/a/f', '/a/sub']);
    expect(await readAll((await opened.fs.open('/a/f', 'NO_CACHE')).stream)).toBe('from A');
    expect(await opened.fs.getStatus('/a')).toMatchObject({isMountPoint: true, isDirectory: true, ufsPath: dirA});
  });

  it('the mount survives reopening (another process sees it)', async () => {
    await opened.fs.mount('/a', dirA, {readOnly: true, shared: true, options: {'alluxio.underfs.s3.threads.max': '4'}});
    await opened.store.close();
    opened = await openFs(folders);
    const infos = await opened.fs.listMounts();
    expect(infos.map((m) => [m.alluxioPath, m.ufsUri, m.ufsType, m.readOnly, m.shared])).toEqual([
      ['/', folders.ufs, 'local', false, false],
      ['/a', dirA, 'local', true, true],
    ]);
    expect(infos[1].properties).toEqual({'alluxio.underfs.s3.threads.max': '4'});
    expect(infos[1].capacityBytes).toBeGreaterThan(0);
  });

  it('refuses the root and an existing path', async () => {
    const msg = (p: string) => `Mount point target path ${p} already exists in Alluxio namespace. Try mounting to another path.`;
    expect((await errorOf(() => opened.fs.mount('/', dirA, rw))).message).toBe(msg('/'));
    mkdirSync(join(folders.ufs, 'exists'));
    const e = await errorOf(() => opened.fs.mount('/exists', dirA, rw));
    expect(e.message).toBe(msg('/exists'));
    expect(e.kind).toBe('ALREADY_EXISTS');
    await write('/cached', 'MUST_CACHE');
    expect((await errorOf(() => opened.fs.mount('/cached', dirA, rw))).message).toBe(msg('/cached'));
    await opened.fs.mount('/a', dirA, rw);
    const other = join(folders.base, 'other');
    mkdirSync(other);
    expect((await errorOf(() => opened.fs.mount('/a', other, rw))).message).toBe(msg('/a'));
    expect((await opened.store.listMounts()).map((m) => m.alluxioPath)).toEqual(['/a']);
  });

  it('refuses a UFS folder below or above an existing mount\'s', async () => {
    await opened.fs.mount('/a', dirA, rw);
    const below = await errorOf(() => opened.fs.mount('/b', join(dirA, 'sub'), rw));
    expect(below.message).toBe(`Mount point ${dirA} is a prefix of ${join(dirA, 'sub')}`);
    // The root mount's folder is below the base folder.
    const above = await errorOf(() => opened.fs.mount('/c', folders.base, rw));
    expect(above.message).toBe(`Mount point ${folders.base} is a prefix of ${folders.ufs}`);
    const same = await errorOf(() => opened.fs.mount('/d', dirA, rw));
    expect(same.message).toBe(`Mount point ${dirA} is a prefix of ${dirA}`);
    expect((await opened.store.listMounts()).map((m) => m.alluxioPath)).toEqual(['/a']);
  });

  it('a folder whose name merely starts like another mount\'s is no prefix of it', async () => {
    mkdirSync(dirA + '2');
    await opened.fs.mount('/a', dirA, rw);
    await opened.fs.mount('/a2', dirA + '2', rw);
    expect((await opened.store.listMounts()).map((m) => m.alluxioPath)).toEqual(['/a', '/a2']);
    expect(opened.ctx.mounts.resolve('/a2/x').mount.ufsUri).toBe(dirA + '2');
  });

  it('refuses a path that exists in the parent mount\'s UFS', async () => {
    mkdirSync(join(folders.ufs, 'shadow'));
    const e = await errorOf(() => opened.fs.mount('/shadow', dirA, rw));
    expect(e.message).toBe('Mount point target path /shadow already exists in Alluxio namespace. Try mounting to another path.');
    expect(await opened.store.listMounts()).toEqual([]);
  });

  it('refuses a missing UFS folder, or a file', async () => {
    const missing = join(folders.base, 'missing');
    const e = await errorOf(() => opened.fs.mount('/m', missing, rw));
    expect(e.message).toBe(`Ufs path ${missing} does not exist`);
    expect(e.kind).toBe('NOT_FOUND');
    expect((await errorOf(() => opened.fs.mount('/m', join(dirA, 'f'), rw))).message).toBe(`Ufs path ${join(dirA, 'f')} does not exist`);
    expect(await opened.store.listMounts()).toEqual([]);
    expect(await opened.fs.exists('/m')).toBe(false);
  });

  it('refuses a mount point whose parent does not exist', async () => {
    const e = await errorOf(() => opened.fs.mount('/no/m', dirA, rw));
    expect(e.message).toBe('Path "/no" does not exist.');
    expect(await opened.store.listMounts()).toEqual([]);
  });

  it('refuses a mount point below a readonly mount', async () => {
    await opened.fs.mount('/ro', dirA, ro);
    const other = join(folders.base, 'other');
    mkdirSync(other);
    const e = await errorOf(() => opened.fs.mount('/ro/x', other, rw));
    expect(e.message).toBe('A write operation on /ro/x under a readonly mount point /ro is not allowed');
  });

  it('nested mounts are allowed', async () => {
    mkdirSync(join(folders.ufs, 'p'));
    await opened.fs.mount('/p/a', dirA, rw);
    const inner = join(folders.base, 'inner');
    mkdirSync(inner);
    writeFileSync(join(inner, 'i'), 'inner');
    await opened.fs.mount('/p/a/x', inner, rw);
    expect(await readAll((await opened.fs.open('/p/a/x/i', 'NO_CACHE')).stream)).toBe('inner');
  });
});

describe('readonly mounts', () => {
  beforeEach(async () => {
    await opened.fs.mount('/ro', dirA, ro);
  });

  const refusal = (p: string) => `A write operation on ${p} under a readonly mount point /ro is not allowed`;

  it('can be read', async () => {
    expect(await readAll((await opened.fs.open('/ro/f', 'CACHE')).stream)).toBe('from A');
    expect((await opened.fs.getStatus('/ro/f')).inAlluxioPercentage).toBe(100);
  });

  it('refuses creating files and directories, with a hint', async () => {
    for (const writeType of ['MUST_CACHE', 'THROUGH', 'CACHE_THROUGH', 'ASYNC_THROUGH'] as const) {
      const e = await errorOf(() => write('/ro/new', writeType));
      expect(e.message).toBe(refusal('/ro/new'));
      expect(e.hint).toBe('Make it writable with "alluxio fs updateMount /ro" (with its other options) to write to it.');
    }
    expect((await errorOf(() => opened.fs.mkdir('/ro/d', {recursive: false, writeType: 'THROUGH'}))).message).toBe(refusal('/ro/d'));
    expect((await errorOf(() => opened.fs.touch('/ro/t'))).message).toBe(refusal('/ro/t'));
    expect(existsSync(join(dirA, 'new'))).toBe(false);
  });

  it('refuses delete, rename, chmod, chown', async () => {
    expect((await errorOf(() => opened.fs.delete('/ro/f', {recursive: false, alluxioOnly: false}))).message).toBe(refusal('/ro/f'));
    expect((await errorOf(() => opened.fs.rename('/ro/f', '/ro/g'))).message).toBe(refusal('/ro/f'));
    expect((await errorOf(() => opened.fs.chmod('/ro/f', 0o777, false))).message).toBe(refusal('/ro/f'));
    expect((await errorOf(() => opened.fs.chown('/ro/f', 'bob', undefined, false))).message).toBe(refusal('/ro/f'));
    expect(readFileSync(join(dirA, 'f'), 'utf8')).toBe('from A');
    expect(await opened.store.getInode('/ro/f')).toBeUndefined();
  });

  it('a readonly root mount says how to make it writable', async () => {
    await opened.store.close();
    opened = await openFs(folders, {rootReadOnly: true});
    const e = await errorOf(() => write('/x', 'THROUGH'));
    expect(e.message).toBe('A write operation on /x under a readonly mount point / is not allowed');
    expect(e.hint).toBe('The root mount is readonly: set alluxio.master.mount.table.root.readonly=false to write to it.');
  });
});

describe('unmount', () => {
  it('drops the mount, its rows and its cached data; the UFS keeps its files', async () => {
    await opened.fs.mount('/a', dirA, rw);
    await write('/a/cached', 'MUST_CACHE', 'only in the cache');
    await write('/a/async', 'ASYNC_THROUGH', 'waiting');
    await opened.fs.chmod('/a/f', 0o600, false);
    await opened.fs.chmod('/a', 0o700, false);
    expect(await opened.ctx.cache.usedBytes()).toBe('only in the cache'.length + 'waiting'.length);

    await opened.fs.unmount('/a');
    expect(await opened.store.getMount('/a')).toBeUndefined();
    expect(opened.ctx.mounts.isMountPoint('/a')).toBe(false);
    expect(await opened.store.getInode('/a')).toBeUndefined();
    expect(await opened.store.listDescendantInodes('/a')).toEqual([]);
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
    expect(await opened.fs.exists('/a')).toBe(false);
    expect(readFileSync(join(dirA, 'f'), 'utf8')).toBe('from A');
    expect(existsSync(join(dirA, 'cached'))).toBe(false);

    // Nothing is left for close() to persist under the old mount.
    await opened.fs.close();
    expect(existsSync(join(dirA, 'async'))).toBe(false);
    expect(existsSync(join(folders.ufs, 'a'))).toBe(false);
  });

  it('drops cached copies of persisted files read under the mount', async () => {
    await opened.fs.mount('/a', dirA, rw);
    await readAll((await opened.fs.open('/a/f', 'CACHE')).stream);
    expect(await opened.ctx.cache.usedBytes()).toBe('from A'.length);
    await opened.fs.unmount('/a');
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });

  it('refuses the root, a plain directory and a missing path with Alluxio\'s messages', async () => {
    mkdirSync(join(folders.ufs, 'plain'));
    expect((await errorOf(() => opened.fs.unmount('/'))).message).toBe(
      'Failed to unmount /. Please ensure the path is an existing mount point and not root.',
    );
    expect((await errorOf(() => opened.fs.unmount('/plain'))).message).toBe(
      'Failed to unmount /plain. Please ensure the path is an existing mount point.',
    );
    expect((await errorOf(() => opened.fs.unmount('/none'))).message).toBe('Failed to unmount: Path /none does not exist');
  });

  it('refuses a mount with another mount below it', async () => {
    await opened.fs.mount('/a', dirA, rw);
    const inner = join(folders.base, 'inner');
    mkdirSync(inner);
    await opened.fs.mount('/a/x', inner, rw);
    const e = await errorOf(() => opened.fs.unmount('/a'));
    expect(e.message).toBe('Failed to unmount /a: the mount point /a/x is below it');
    await opened.fs.unmount('/a/x');
    await opened.fs.unmount('/a');
    expect(await opened.store.listMounts()).toEqual([]);
  });

  it('a readonly mount can be unmounted', async () => {
    await opened.fs.mount('/ro', dirA, ro);
    await opened.fs.unmount('/ro');
    expect(await opened.store.listMounts()).toEqual([]);
  });
});

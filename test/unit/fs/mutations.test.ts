import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {WriteType} from '../../../src/fs/types.js';
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
let otherDir: string;

beforeEach(async () => {
  folders = await makeFolders('fs-mutations-');
  opened = await openFs(folders);
  otherDir = join(folders.base, 'other');
  mkdirSync(otherDir);
  writeFileSync(join(otherDir, 'o'), 'other');
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

function ufsFile(rel: string, content = 'x'): void {
  const full = join(folders.ufs, rel);
  mkdirSync(join(full, '..'), {recursive: true});
  writeFileSync(full, content);
}
const inUfs = (rel: string) => existsSync(join(folders.ufs, rel));

function write(path: string, writeType: WriteType, content = 'data') {
  return opened.fs.createFile(path, Readable.from([Buffer.from(content)]), {length: content.length, recursive: true, writeType});
}
const rm = (path: string, recursive = false, alluxioOnly = false) => opened.fs.delete(path, {recursive, alluxioOnly});

describe('delete', () => {
  it('a persisted file: gone from the UFS and from the metastore', async () => {
    ufsFile('f');
    await opened.fs.chmod('/f', 0o600, false);
    await rm('/f');
    expect(inUfs('f')).toBe(false);
    expect(await opened.store.getInode('/f')).toBeUndefined();
    expect(await opened.fs.exists('/f')).toBe(false);
  });

  it('a directory needs recursive, with Alluxio\'s message', async () => {
    ufsFile('d/f');
    const e = await errorOf(() => rm('/d'));
    expect(e.message).toBe('/d is a directory, to remove it, please use "rm -R/-r/--recursive <path>"');
    expect(inUfs('d/f')).toBe(true);
    await rm('/d', true);
    expect(inUfs('d')).toBe(false);
  });

  it('an empty directory also needs recursive', async () => {
    mkdirSync(join(folders.ufs, 'empty'));
    expect((await errorOf(() => rm('/empty'))).message).toBe('/empty is a directory, to remove it, please use "rm -R/-r/--recursive <path>"');
  });

  it('a missing path', async () => {
    expect((await errorOf(() => rm('/none'))).message).toBe('Path "/none" does not exist.');
  });

  it('never the root', async () => {
    expect((await errorOf(() => rm('/', true))).message).toBe('Cannot delete the root directory');
  });

  it('a MUST_CACHE file: its cached data goes too', async () => {
    await write('/m', 'MUST_CACHE');
    expect(await opened.ctx.cache.usedBytes()).toBe(4);
    await rm('/m');
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
    expect(await opened.store.getInode('/m')).toBeUndefined();
  });

  it('recursive delete removes rows and cached data of the whole tree', async () => {
    ufsFile('d/u');
    await write('/d/m', 'MUST_CACHE');
    await write('/d/sub/a', 'ASYNC_THROUGH');
    await opened.fs.chmod('/d/u', 0o600, false);
    await rm('/d', true);
    expect(await opened.store.listDescendantInodes('/d')).toEqual([]);
    expect(await opened.store.getInode('/d')).toBeUndefined();
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
    expect(inUfs('d')).toBe(false);
  });

  it('a persisted file read with CACHE: its cached copy goes too', async () => {
    ufsFile('f', 'cached copy');
    await readAll((await opened.fs.open('/f', 'CACHE')).stream);
    expect(await opened.ctx.cache.usedBytes()).toBe('cached copy'.length);
    await rm('/f');
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
  });

  it('alluxioOnly keeps the UFS data and drops Alluxio\'s view of it', async () => {
    ufsFile('keep', 'kept');
    await opened.fs.chown('/keep', 'bob', undefined, false);
    await rm('/keep', false, true);
    expect(readFileSync(join(folders.ufs, 'keep'), 'utf8')).toBe('kept');
    expect(await opened.store.getInode('/keep')).toBeUndefined();
    expect((await opened.fs.getStatus('/keep')).owner).not.toBe('bob');
  });

  it('refuses a mount point and anything that holds one', async () => {
    mkdirSync(join(folders.ufs, 'a'));
    await opened.fs.mount('/a/m', otherDir, {readOnly: false, shared: false, options: {}});
    const e = await errorOf(() => rm('/a/m', true));
    expect(e.message).toBe(
      'Cannot delete path /a/m which is or contains a mount point without --deleteMountPoint/-m option specified',
    );
    expect(e.hint).toBe('Run "alluxio fs unmount /a/m" first, or add -m.');
    expect((await errorOf(() => rm('/a', true))).message).toBe(
      'Cannot delete path /a which is or contains a mount point without --deleteMountPoint/-m option specified',
    );
    expect(existsSync(join(otherDir, 'o'))).toBe(true);
    expect(opened.ctx.mounts.isMountPoint('/a/m')).toBe(true);
  });

  it('with deleteMountPoint unmounts the mount points below (their storage kept) and deletes the rest', async () => {
    mkdirSync(join(folders.ufs, 'a'));
    ufsFile('a/f', 'gone');
    await opened.fs.mount('/a/m', otherDir, {readOnly: false, shared: false, options: {}});
    const otherDir2 = join(folders.base, 'other2');
    mkdirSync(otherDir2);
    await opened.fs.mount('/a/m/n', otherDir2, {readOnly: false, shared: false, options: {}});
    await opened.fs.delete('/a', {recursive: true, alluxioOnly: false, deleteMountPoint: true});
    expect(existsSync(join(folders.ufs, 'a'))).toBe(false);
    expect(existsSync(join(otherDir, 'o'))).toBe(true);
    expect(opened.ctx.mounts.isMountPoint('/a/m')).toBe(false);
    expect(opened.ctx.mounts.isMountPoint('/a/m/n')).toBe(false);
    expect(await opened.fs.exists('/a')).toBe(false);
  });

  it('with deleteMountPoint removes a mount point itself by unmounting it', async () => {
    await opened.fs.mount('/m', otherDir, {readOnly: false, shared: false, options: {}});
    await opened.fs.delete('/m', {recursive: true, alluxioOnly: false, deleteMountPoint: true});
    expect(opened.ctx.mounts.isMountPoint('/m')).toBe(false);
    expect(existsSync(join(otherDir, 'o'))).toBe(true);
  });
});

describe('rename', () => {
  it('moves a persisted file in the UFS, with its overrides', async () => {
    ufsFile('a', 'content');
    await opened.fs.chmod('/a', 0o600, false);
    await opened.fs.rename('/a', '/b');
    expect(inUfs('a')).toBe(false);
    expect(readFileSync(join(folders.ufs, 'b'), 'utf8')).toBe('content');
    expect(await opened.store.getInode('/a')).toBeUndefined();
    expect((await opened.fs.getStatus('/b')).mode).toBe(0o600);
  });

  it('moves a directory and the rows below it', async () => {
    ufsFile('d/x');
    await write('/d/cached', 'MUST_CACHE', 'cc');
    await opened.fs.chmod('/d/x', 0o601, false);
    ufsFile('e/placeholder');
    await opened.fs.rename('/d', '/e/d2');
    expect(inUfs('e/d2/x')).toBe(true);
    const listed = await collect(opened.fs.list('/e/d2', {recursive: false}));
    expect(listed.map((s) => [s.path, s.persistenceState])).toEqual([
      ['/e/d2/cached', 'NOT_PERSISTED'],
      ['/e/d2/x', 'PERSISTED'],
    ]);
    expect(listed[1].mode).toBe(0o601);
    expect(await readAll((await opened.fs.open('/e/d2/cached')).stream)).toBe('cc');
    expect(await opened.store.listDescendantInodes('/d')).toEqual([]);
  });

  it('moves a file only Alluxio holds without touching the UFS', async () => {
    await write('/m', 'MUST_CACHE', 'mm');
    await opened.fs.rename('/m', '/n');
    expect(inUfs('n')).toBe(false);
    expect(await opened.fs.getStatus('/n')).toMatchObject({persistenceState: 'NOT_PERSISTED', length: 2});
    expect(await opened.fs.exists('/m')).toBe(false);
  });

  it('renaming a path onto itself does nothing', async () => {
    ufsFile('same');
    await opened.fs.rename('/same', '/same/');
    expect(inUfs('same')).toBe(true);
  });

  it('never onto an existing path', async () => {
    ufsFile('a');
    ufsFile('b', 'b stays');
    const e = await errorOf(() => opened.fs.rename('/a', '/b'));
    expect(e.message).toBe('Cannot rename because destination already exists. src: /a dst: /b');
    expect(readFileSync(join(folders.ufs, 'b'), 'utf8')).toBe('b stays');
    expect(inUfs('a')).toBe(true);
  });

  it('never below itself', async () => {
    ufsFile('d/f');
    const e = await errorOf(() => opened.fs.rename('/d', '/d/sub'));
    expect(e.message).toBe('Cannot rename because /d is a prefix of /d/sub');
  });

  it('not the root, nor onto the root', async () => {
    ufsFile('f');
    expect((await errorOf(() => opened.fs.rename('/', '/x'))).message).toBe('The root directory cannot be renamed');
    expect((await errorOf(() => opened.fs.rename('/f', '/'))).message).toBe('Cannot rename a path to the root directory');
  });

  it('a missing source or destination parent', async () => {
    ufsFile('f');
    expect((await errorOf(() => opened.fs.rename('/none', '/x'))).message).toBe('Path "/none" does not exist.');
    expect((await errorOf(() => opened.fs.rename('/f', '/nodir/x'))).message).toBe('Path "/nodir" does not exist.');
    expect(inUfs('f')).toBe(true);
  });

  it('never across mounts, nor a mount point itself', async () => {
    ufsFile('f');
    await opened.fs.mount('/m', otherDir, {readOnly: false, shared: false, options: {}});
    const across = await errorOf(() => opened.fs.rename('/f', '/m/f'));
    expect(across.message).toBe('Renaming /f to /m/f is a cross mount operation');
    expect((await errorOf(() => opened.fs.rename('/m/o', '/o'))).message).toBe('Renaming /m/o to /o is a cross mount operation');
    expect((await errorOf(() => opened.fs.rename('/m', '/m2'))).message).toBe('Renaming /m to /m2 is a cross mount operation');
    expect(inUfs('f')).toBe(true);
    expect(existsSync(join(otherDir, 'o'))).toBe(true);
  });

  it('an ASYNC_THROUGH file renamed before close() is persisted at its new path', async () => {
    await write('/async', 'ASYNC_THROUGH', 'later');
    await opened.fs.rename('/async', '/moved');
    await opened.fs.close();
    expect(inUfs('async')).toBe(false);
    expect(readFileSync(join(folders.ufs, 'moved'), 'utf8')).toBe('later');
    expect(opened.warnings).toEqual([]);
    opened = await openFs(folders);
    expect((await opened.fs.getStatus('/moved')).persistenceState).toBe('PERSISTED');
  });

  it('within a nested mount is fine', async () => {
    await opened.fs.mount('/m', otherDir, {readOnly: false, shared: false, options: {}});
    await opened.fs.rename('/m/o', '/m/p');
    expect(readFileSync(join(otherDir, 'p'), 'utf8')).toBe('other');
  });
});

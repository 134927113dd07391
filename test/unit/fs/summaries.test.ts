import {createHash} from 'node:crypto';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {type PathTest, passes, totalsOf} from '../../../src/fs/summaries.js';
import type {WriteType} from '../../../src/fs/types.js';
import {type FsFolders, type OpenedFs, errorOf, makeFolders, openFs, readAll, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-summaries-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

async function write(path: string, content: string, writeType: WriteType = 'THROUGH'): Promise<void> {
  await opened.fs.createFile(path, Readable.from([Buffer.from(content)]), {length: Buffer.byteLength(content), recursive: true, writeType});
}

describe('du and count totals over one recursive listing', () => {
  it('counts files and folders below a directory (not the directory), cache-only files with their length', async () => {
    await write('/d/a', '12345');
    await write('/d/sub/b', '1234567890', 'MUST_CACHE');
    await write('/d/sub/deeper/c', '123', 'CACHE_THROUGH');
    await opened.fs.mkdir('/d/empty', {recursive: true});
    const {status, entries} = await opened.fs.subtree('/d');
    expect(status.isDirectory).toBe(true);
    expect(await totalsOf(entries)).toEqual({files: 3, folders: 3, bytes: 18, cachedBytes: 13});
  });

  it('a file is its own subtree: one file', async () => {
    await write('/f', 'abc');
    const {entries} = await opened.fs.subtree('/f');
    expect(await totalsOf(entries)).toEqual({files: 1, folders: 0, bytes: 3, cachedBytes: 0});
  });

  it('a missing path: Path "<p>" does not exist.', async () => {
    const e = await errorOf(() => opened.fs.subtree('/nope'));
    expect(e).toMatchObject({kind: 'NOT_FOUND', message: 'Path "/nope" does not exist.'});
  });
});

describe('checksum', () => {
  it('is the MD5 of the data, read without filling the cache', async () => {
    const data = 'x'.repeat(100_000);
    await write('/big', data);
    expect(await opened.fs.checksum('/big')).toBe(createHash('md5').update(data).digest('hex'));
    expect(await opened.ctx.cache.usedBytes()).toBe(0);
    await write('/cached', 'only in the cache', 'MUST_CACHE');
    expect(await opened.fs.checksum('/cached')).toBe(createHash('md5').update('only in the cache').digest('hex'));
    await write('/empty', '');
    expect(await opened.fs.checksum('/empty')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('refuses a directory: Path "<p>" must be a file.', async () => {
    await opened.fs.mkdir('/dir', {recursive: true});
    expect((await errorOf(() => opened.fs.checksum('/dir'))).message).toBe('Path "/dir" must be a file.');
  });
});

describe('ranges picked from the status (head, tail)', () => {
  it('reads the part the function picks, nothing for a 0-byte part, from the UFS and from the cache', async () => {
    await write('/f', '0123456789');
    await write('/c', 'abcdefghij', 'MUST_CACHE');
    for (const [path, text] of [['/f', '0123456789'], ['/c', 'abcdefghij']]) {
      const tail = await opened.fs.open(path, 'NO_CACHE', (s) => ({offset: s.length - 3, length: 3}));
      expect(await readAll(tail.stream)).toBe(text.slice(-3));
      const none = await opened.fs.open(path, 'NO_CACHE', () => ({offset: 0, length: 0}));
      expect(await readAll(none.stream)).toBe('');
    }
  });
});

describe('fs test', () => {
  it("answers each option as Alluxio's TestCommand; -s lists a directory only", async () => {
    await write('/d/f', 'abc');
    await write('/z', '');
    await opened.fs.mkdir('/empty', {recursive: true});
    const table: Record<string, string> = {};
    for (const path of ['/d', '/d/f', '/z', '/empty']) {
      const status = await opened.fs.getStatus(path);
      let row = '';
      for (const t of ['d', 'e', 'f', 's', 'z'] as PathTest[]) {
        row += (await passes(t, status, () => opened.fs.hasChildren(status))) ? t : '-';
      }
      table[path] = row;
    }
    expect(table).toEqual({'/d': 'de-s-', '/d/f': '-ef--', '/z': '-ef-z', '/empty': 'de---'});
  });

  it('never asks a file for children', async () => {
    await write('/f', 'abc');
    const status = await opened.fs.getStatus('/f');
    expect(await passes('s', status, () => Promise.reject(new Error('listed a file')))).toBe(false);
  });
});

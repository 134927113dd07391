/**
 * A MUST_CACHE / ASYNC_THROUGH write whose row is not recorded after its data went into the cache: the private
 * pinned copy goes with the failure, unless the commit's outcome is unknown (the row may name it).
 */
import {readdirSync} from 'node:fs';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {lostCommit} from '../../../src/meta/postgres-errors.js';
import type {WriteType} from '../../../src/fs/types.js';
import {type FsFolders, type OpenedFs, errorOf, makeFolders, openFs, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-write-failures-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

const write = (path: string, writeType: WriteType) =>
  opened.fs.createFile(path, Readable.from([Buffer.from('data')]), {length: 4, recursive: true, writeType});

/** The bytes the cache's entries hold, and the private files in its folder. */
async function cached(): Promise<{bytes: number; files: string[]}> {
  const bytes = await opened.store.cacheUsedBytes();
  const files = readdirSync(folders.cache, {recursive: true, withFileTypes: true})
    .filter((d) => d.isFile() && d.name.startsWith('private-'))
    .map((d) => d.name);
  return {bytes, files};
}

describe.each(['MUST_CACHE', 'ASYNC_THROUGH'] as const)('%s write whose row is not recorded', (writeType) => {
  it('drops the cached copy when the path was created meanwhile', async () => {
    opened.store.createInode = async () => false;
    const e = await errorOf(() => write('/f', writeType));
    expect(e.message).toMatch(/already exists/);
    expect(await cached()).toEqual({bytes: 0, files: []});
  });

  it('drops the cached copy when the metastore refused the row', async () => {
    opened.store.createInode = async () => {
      throw new Error('refused');
    };
    expect((await errorOf(() => write('/f', writeType))).message).toBe('refused');
    expect(await cached()).toEqual({bytes: 0, files: []});
  });

  it('keeps it when the commit may have happened', async () => {
    const target = {user: 'u', host: 'db', port: 5432, database: 'd'};
    opened.store.createInode = async () => {
      throw lostCommit(target, new Error('Connection terminated'));
    };
    expect((await errorOf(() => write('/f', writeType))).message).toMatch(/may or may not be applied/);
    const after = await cached();
    expect(after.bytes).toBe(4);
    expect(after.files).toHaveLength(1);
  });
});

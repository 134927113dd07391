import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {MetaStore} from '../../../src/meta/store.js';
import {formatStore, openStore} from '../../helpers/meta-store.js';

let dir: string;
let journal: string;
let store: MetaStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-pins-'));
  journal = path.join(dir, 'journal');
  store = await openStore(journal);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, {recursive: true, force: true});
});

const pinned = (p: string, media: string[] = []) => ({path: p, pinned: true, media});
const pin = (p: string, media: string[] = []) => store.setPinTree(p, {pinned: true, media}, 'private-');
const unpin = (p: string) => store.setPinTree(p, {pinned: false, media: []}, 'private-');
const rowPaths = async () => (await store.listPinsBelow('/')).map((r) => `${r.path}=${r.pinned ? 1 : 0}`).sort();

describe('pins', () => {
  it('setPinTree replaces the rows of the path and all below it, not of its neighbours', async () => {
    await pin('/a/b', ['MEM', 'SSD']);
    await unpin('/a/b/c');
    await pin('/a/b-c');
    expect(await rowPaths()).toEqual(['/a/b-c=1', '/a/b/c=0', '/a/b=1']);
    await pin('/a/b');
    expect(await rowPaths()).toEqual(['/a/b-c=1', '/a/b=1']);
    expect(await store.getPins(['/', '/a', '/a/b'])).toEqual([pinned('/a/b')]);
    await unpin('/a/b');
    expect(await rowPaths()).toEqual(['/a/b-c=1']);
  });

  it('keeps the media in order', async () => {
    await pin('/f', ['HDD', 'MEM']);
    expect(await store.getPins(['/f'])).toEqual([pinned('/f', ['HDD', 'MEM'])]);
  });

  it('pins follow a rename of their tree and go with its deletion', async () => {
    await pin('/src/x');
    await pin('/src-y');
    await store.renameInodeTree('/src', '/dst');
    expect(await rowPaths()).toEqual(['/dst/x=1', '/src-y=1']);
    await store.deleteInodeTree('/dst');
    expect(await rowPaths()).toEqual(['/src-y=1']);
  });

  it('setPinTree marks the cache entries of a tree, except keys with the given prefix', async () => {
    const entry = (key: string, p: string, isPinned = false) =>
      store.commitCacheEntry({key, size: 1, lastAccess: 1, pinned: isPinned, path: p});
    await entry('k1', '/t/a');
    await entry('k2', '/t/sub/b');
    await entry('k3', '/t-other');
    await entry('private-k4', '/t/c', true);
    const states = async () => Promise.all(['k1', 'k2', 'k3', 'private-k4'].map(async (k) => (await store.getCacheEntry(k))?.pinned));
    await pin('/t');
    expect(await states()).toEqual([true, true, false, true]);
    await unpin('/t');
    expect(await states()).toEqual([false, false, false, true]);
    expect((await store.listCacheEntriesOfPath('/t/a')).map((e) => e.key)).toEqual(['k1']);
  });
});

describe('file ids', () => {
  it('map an id to the path last recorded for it; format forgets them', async () => {
    expect(await store.getFileIdPath(7)).toBeUndefined();
    await store.recordFileId(7, '/a');
    await store.recordFileId(2 ** 47, '/b');
    expect(await store.getFileIdPath(7)).toBe('/a');
    expect(await store.getFileIdPath(2 ** 47)).toBe('/b');
    await store.close();
    await formatStore(journal);
    store = await openStore(journal);
    expect(await store.getFileIdPath(7)).toBeUndefined();
  });
});

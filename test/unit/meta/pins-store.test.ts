import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {formatMetaStore, openMetaStore} from '../../../src/meta/open.js';
import type {MetaStore} from '../../../src/meta/store.js';

let dir: string;
let journal: string;
let store: MetaStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-pins-'));
  journal = path.join(dir, 'journal');
  store = openMetaStore(journal);
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, {recursive: true, force: true});
});

const pinned = (p: string, media: string[] = []) => ({path: p, pinned: true, media});
const rowPaths = () => store.listPinsBelow('/').map((r) => `${r.path}=${r.pinned ? 1 : 0}`).sort();

describe('pins', () => {
  it('replacePinTree replaces the rows of the path and all below it, not of its neighbours', () => {
    store.replacePinTree('/a/b', pinned('/a/b', ['MEM', 'SSD']));
    store.replacePinTree('/a/b/c', {path: '/a/b/c', pinned: false, media: []});
    store.replacePinTree('/a/b-c', pinned('/a/b-c'));
    expect(rowPaths()).toEqual(['/a/b-c=1', '/a/b/c=0', '/a/b=1']);
    store.replacePinTree('/a/b', pinned('/a/b'));
    expect(rowPaths()).toEqual(['/a/b-c=1', '/a/b=1']);
    expect(store.getPins(['/', '/a', '/a/b'])).toEqual([pinned('/a/b')]);
    store.replacePinTree('/a/b', undefined);
    expect(rowPaths()).toEqual(['/a/b-c=1']);
  });

  it('keeps the media in order', () => {
    store.replacePinTree('/f', pinned('/f', ['HDD', 'MEM']));
    expect(store.getPins(['/f'])).toEqual([pinned('/f', ['HDD', 'MEM'])]);
  });

  it('pins follow a rename of their tree and go with its deletion', () => {
    store.replacePinTree('/src/x', pinned('/src/x'));
    store.replacePinTree('/src-y', pinned('/src-y'));
    store.renameInodeTree('/src', '/dst');
    expect(rowPaths()).toEqual(['/dst/x=1', '/src-y=1']);
    store.deleteInodeTree('/dst');
    expect(rowPaths()).toEqual(['/src-y=1']);
  });

  it('setCacheEntriesPinned marks the entries of a tree, except keys with the given prefix', () => {
    const entry = (key: string, p: string, isPinned = false) => store.putCacheEntry({key, size: 1, lastAccess: 1, pinned: isPinned, path: p});
    entry('k1', '/t/a');
    entry('k2', '/t/sub/b');
    entry('k3', '/t-other');
    entry('private-k4', '/t/c', true);
    store.setCacheEntriesPinned('/t', true, 'private-');
    expect(['k1', 'k2', 'k3', 'private-k4'].map((k) => store.getCacheEntry(k)?.pinned)).toEqual([true, true, false, true]);
    store.setCacheEntriesPinned('/t', false, 'private-');
    expect(['k1', 'k2', 'k3', 'private-k4'].map((k) => store.getCacheEntry(k)?.pinned)).toEqual([false, false, false, true]);
    expect(store.listCacheEntriesOfPath('/t/a').map((e) => e.key)).toEqual(['k1']);
  });
});

describe('file ids', () => {
  it('map an id to the path last recorded for it; format forgets them', () => {
    expect(store.getFileIdPath(7)).toBeUndefined();
    store.recordFileId(7, '/a');
    store.recordFileId(2 ** 47, '/b');
    expect(store.getFileIdPath(7)).toBe('/a');
    expect(store.getFileIdPath(2 ** 47)).toBe('/b');
    store.close();
    formatMetaStore(journal);
    store = openMetaStore(journal);
    expect(store.getFileIdPath(7)).toBeUndefined();
  });
});

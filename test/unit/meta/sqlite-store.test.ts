/**
 * What only the SQLite store does: one file serves one host, and its queries read from indexes. What every store
 * does is the contract's (test/helpers/metastore-contract.ts, run on SQLite by sqlite-contract.test.ts); the file
 * itself (mode, migrations, corrupt or foreign files, WAL) is open.test.ts's, processes racing on it
 * test/integration/meta/concurrency.test.ts's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import type {InodeRecord, MetaStore} from '../../../src/meta/store.js';
import {inode, openStore} from '../../helpers/meta-store.js';

let dir: string;
let journal: string;
let store: MetaStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-unit-'));
  journal = path.join(dir, 'journal');
  store = await openStore(journal);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, {recursive: true, force: true});
});

const paths = (list: InodeRecord[]) => list.map((i) => i.path);

describe('one file, one host', () => {
  it('opens for this machine\'s host name unless alluxio.worker.hostname names another', async () => {
    expect(store.host).toBe(os.hostname());
    const named = await openStore(journal, {host: 'worker-7'});
    try {
      expect(named.host).toBe('worker-7');
      expect(named.generation).toBe(store.generation);
    } finally {
      await named.close();
    }
  });

  it('lists and counts by state whatever host is asked for: one SQLite file serves one host', async () => {
    await store.putInode(inode('/mine', {state: 'TO_BE_PERSISTED', cacheKey: 'k', cacheHost: store.host}));
    // Written before the worker name changed (or before the column existed): still this host's cache.
    await store.putInode(inode('/renamed', {state: 'TO_BE_PERSISTED', cacheKey: 'k2', cacheHost: 'old-name'}));
    await store.putInode(inode('/legacy', {state: 'TO_BE_PERSISTED', cacheKey: 'k3'}));
    expect((await store.getInode('/mine'))?.cacheHost).toBe(store.host);
    expect((await store.getInode('/legacy'))?.cacheHost).toBeUndefined();
    const listed = await store.listInodesByState('TO_BE_PERSISTED', {limit: 10, host: store.host});
    expect(paths(listed).sort()).toEqual(['/legacy', '/mine', '/renamed']);
    expect(await store.countInodesByState('TO_BE_PERSISTED', 'another-host')).toBe(3);
  });
});

describe('query plans', () => {
  const plan = (sql: string) => {
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    try {
      return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as {detail: string}[]).map((r) => r.detail).join('; ');
    } finally {
      raw.close();
    }
  };

  it('reads children, subtrees, states and LRU from indexes, in index order', () => {
    for (const sql of [
      "SELECT * FROM inodes WHERE parent = '/a' ORDER BY path",
      "SELECT * FROM inodes WHERE path > '/a/' AND path < '/a0' ORDER BY path",
      "SELECT * FROM inodes WHERE state = 'TO_BE_PERSISTED' ORDER BY modification_time, path LIMIT 5",
      'SELECT * FROM cache_entries WHERE pinned = 0 ORDER BY last_access, key LIMIT 5',
    ]) {
      const detail = plan(sql);
      expect(detail).toMatch(/^SEARCH \w+ USING (INDEX|PRIMARY KEY)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    }
  });
});

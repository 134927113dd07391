/** The master's one metastore: leased, never closed by a lease, opened afresh after a format by another process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {SharedMetaStore} from '../../../src/meta/shared-store.js';
import type {MetaStore} from '../../../src/meta/store.js';
import {formatStore, openStore} from '../../helpers/meta-store.js';
import {rejectionOf} from '../../helpers/thrown.js';

let journal: string;
let opened: MetaStore[];
let shared: SharedMetaStore;

beforeEach(() => {
  journal = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-store-'));
  opened = [];
  shared = new SharedMetaStore(async () => {
    const store = await openStore(journal);
    opened.push(store);
    return store;
  });
});
afterEach(async () => {
  await shared.close();
  fs.rmSync(journal, {recursive: true, force: true});
});

describe('SharedMetaStore', () => {
  it('opens one store for every lease; closing a lease leaves it open for the others', async () => {
    const [a, b] = await Promise.all([shared.lease(), shared.lease()]);
    await a.setValue('k', '1');
    await a.close();
    await a.close();
    expect(await b.getValue('k')).toBe('1');
    await b.close();
    const c = await shared.lease();
    await c.setValue('k', '2');
    await c.close();
    expect(opened).toHaveLength(1);
  });

  it('after a format by another process, the first "replaced" error retires the store; the next lease opens it afresh', async () => {
    const before = await shared.lease();
    const generation = before.generation;
    await formatStore(journal);
    expect((await rejectionOf(() => before.setValue('k', 'late'))).message).toMatch(/was formatted while this command was running/);
    // Still usable for reads until its lease ends; closed then.
    expect(await before.getValue('k')).toBeUndefined();
    const after = await shared.lease();
    expect(after.generation).not.toBe(generation);
    await after.setValue('k', 'new');
    expect(await after.getValue('k')).toBe('new');
    expect(opened).toHaveLength(2);
    await before.close();
    // The retired store is closed: its handle is gone.
    await expect(opened[0]!.getValue('k')).rejects.toThrow();
    await after.close();
  });

  it('a store that failed to open is not kept: the next lease tries again', async () => {
    let failures = 1;
    const flaky = new SharedMetaStore(async () => {
      if (failures-- > 0) throw new Error('not yet');
      return openStore(journal);
    });
    await expect(flaky.lease()).rejects.toThrow('not yet');
    const store = await flaky.lease();
    await store.setValue('k', 'v');
    await store.close();
    await flaky.close();
  });
});

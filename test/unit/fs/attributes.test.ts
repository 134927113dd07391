import {mkdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {MetaStore} from '../../../src/meta/store.js';
import {type FsFolders, type OpenedFs, collect, errorOf, makeFolders, openFs, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-attributes-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

function ufsFile(rel: string, mode = 0o644): void {
  const full = join(folders.ufs, rel);
  mkdirSync(join(full, '..'), {recursive: true});
  writeFileSync(full, 'x', {mode});
}
const ufsMode = (rel: string) => statSync(join(folders.ufs, rel)).mode & 0o777;

/** Records how many rows each unit of work of the store writes. */
function spyOnBatches(store: MetaStore): number[] {
  const batches: number[] = [];
  const modifyInodes = store.modifyInodes.bind(store);
  const putInode = store.putInode.bind(store);
  store.modifyInodes = async (paths, modify) => {
    let written = 0;
    await modifyInodes(paths, (path, current, i) => {
      const next = modify(path, current, i);
      if (next) written++;
      return next;
    });
    if (written > 0) batches.push(written);
  };
  store.putInode = async (inode) => {
    batches.push(1);
    await putInode(inode);
  };
  return batches;
}

describe('chmod', () => {
  it('changes the mode Alluxio shows, never the UFS file\'s', async () => {
    ufsFile('f', 0o644);
    await opened.fs.chmod('/f', 0o700, false);
    expect((await opened.fs.getStatus('/f')).mode).toBe(0o700);
    expect(ufsMode('f')).toBe(0o644);
    expect(await opened.store.getInode('/f')).toMatchObject({state: 'PERSISTED', mode: 0o700});
  });

  it('-R over a tree: every entry changes, the UFS modes stay', async () => {
    ufsFile('t/a', 0o644);
    ufsFile('t/b/c', 0o640);
    ufsFile('t/b/d/e', 0o600);
    await opened.fs.createFile('/t/m', Readable.from([Buffer.from('m')]), {length: 1, recursive: false, writeType: 'MUST_CACHE'});
    await opened.fs.chmod('/t', 0o711, true);
    const all = [await opened.fs.getStatus('/t'), ...(await collect(opened.fs.list('/t', {recursive: true})))];
    expect(all.map((s) => [s.path, s.mode.toString(8)])).toEqual([
      ['/t', '711'],
      ['/t/a', '711'],
      ['/t/b', '711'],
      ['/t/b/c', '711'],
      ['/t/b/d', '711'],
      ['/t/b/d/e', '711'],
      ['/t/m', '711'],
    ]);
    expect((await opened.fs.getStatus('/t/m')).persistenceState).toBe('NOT_PERSISTED');
    expect([ufsMode('t/a'), ufsMode('t/b/c'), ufsMode('t/b/d/e')]).toEqual([0o644, 0o640, 0o600]);
  });

  it('without -R only the directory itself changes', async () => {
    ufsFile('t/a', 0o644);
    await opened.fs.chmod('/t', 0o700, false);
    expect((await opened.fs.getStatus('/t')).mode).toBe(0o700);
    expect((await opened.fs.getStatus('/t/a')).mode).toBe(0o644);
    expect(await opened.store.getInode('/t/a')).toBeUndefined();
  });

  it('-R writes rows in batches, not one transaction per row nor one for the whole tree', async () => {
    const n = 1100;
    mkdirSync(join(folders.ufs, 'big'));
    for (let i = 0; i < n; i++) writeFileSync(join(folders.ufs, 'big', `f${String(i).padStart(5, '0')}`), '');
    const batches = spyOnBatches(opened.store);
    await opened.fs.chmod('/big', 0o600, true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(n + 1);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.length).toBeLessThan(10);
    expect(Math.max(...batches)).toBeLessThanOrEqual(500);
    expect(await opened.store.listDescendantInodes('/big')).toHaveLength(n);
    expect((await opened.store.listDescendantInodes('/big')).every((r) => r.mode === 0o600)).toBe(true);
  });

  it('a missing path', async () => {
    expect((await errorOf(() => opened.fs.chmod('/none', 0o700, false))).message).toBe('Path "/none" does not exist.');
  });

  it('only the owner may chmod', async () => {
    ufsFile('f');
    await opened.fs.chown('/f', 'alice', 'staff', false);
    await opened.store.close();
    opened = await openFs(folders, {user: {name: 'bob', groups: ['bobs'], primaryGroup: 'bobs'}});
    const e = await errorOf(() => opened.fs.chmod('/f', 0o777, false));
    expect(e.message).toBe('Permission denied: user=bob is not the owner of path=/f');
    expect(e.kind).toBe('PERMISSION_DENIED');
  });
});

describe('chown and chgrp', () => {
  it('change owner and group in Alluxio only', async () => {
    ufsFile('f');
    const before = statSync(join(folders.ufs, 'f'));
    await opened.fs.chown('/f', 'bob', undefined, false);
    await opened.fs.chgrp('/f', 'dev', false);
    expect(await opened.fs.getStatus('/f')).toMatchObject({owner: 'bob', group: 'dev', mode: 0o644});
    const after = statSync(join(folders.ufs, 'f'));
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
  });

  it('chown needs a superuser', async () => {
    ufsFile('f');
    await opened.store.close();
    opened = await openFs(folders, {user: {name: 'bob', groups: ['bobs'], primaryGroup: 'bobs'}});
    const e = await errorOf(() => opened.fs.chown('/f', 'bob', undefined, false));
    expect(e.message).toBe('Permission denied: bob is not a super user or in super group');
  });

  it('owner:group needs the owner in the group', async () => {
    ufsFile('f');
    const e = await errorOf(() => opened.fs.chown('/f', 'bob', 'staff', false));
    expect(e.message).toBe(
      'Could not update owner:group for /f to bob:staff. alluxio.exception.status.FailedPreconditionException: Owner bob does not belong to the group staff',
    );
  });
});

import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import type {MetaStore, MountRecord} from '../../../src/meta/store.js';
import {MountTable, compareStrings} from '../../../src/namespace/mount-table.js';
import {openStore} from '../../helpers/meta-store.js';

let dir: string;
let store: MetaStore;

const mountAt = (alluxioPath: string, ufsUri = `/ufs${alluxioPath}`): MountRecord => ({
  alluxioPath,
  ufsUri,
  readOnly: false,
  shared: false,
  options: {},
  createdAt: 0,
});
const root = mountAt('/', '/ufs-root');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mount-table-'));
  store = await openStore(join(dir, 'journal'));
});
afterEach(async () => {
  await store.close();
  await rm(dir, {recursive: true, force: true});
});

async function tableWith(...paths: string[]): Promise<MountTable> {
  for (const p of paths) await store.addMount(mountAt(p));
  return MountTable.open(store, root);
}

describe('MountTable', () => {
  it('with no nested mounts resolves everything to the root mount', async () => {
    const table = await MountTable.open(store, root);
    expect(table.all().map((m) => m.alluxioPath)).toEqual(['/']);
    expect(table.resolve('/')).toEqual({mount: root, relative: ''});
    expect(table.resolve('/a/b')).toEqual({mount: root, relative: 'a/b'});
    expect(table.rootMount).toBe(root);
  });

  it('lists mounts root first, in path order', async () => {
    const table = await tableWith('/mnt2', '/a/m', '/mnt', '/mnt/s3');
    expect(table.all().map((m) => m.alluxioPath)).toEqual(['/', '/a/m', '/mnt', '/mnt/s3', '/mnt2']);
  });

  it('ignores a stored "/" record: the root mount comes from configuration', async () => {
    await store.addMount(mountAt('/', '/elsewhere'));
    const table = await MountTable.open(store, root);
    expect(table.all()).toEqual([root]);
    expect(table.resolve('/x').mount.ufsUri).toBe('/ufs-root');
  });

  it('resolves by the longest mount point that is the path or an ancestor', async () => {
    const table = await tableWith('/mnt', '/mnt/s3', '/mnt2');
    expect(table.resolve('/mnt').mount.alluxioPath).toBe('/mnt');
    expect(table.resolve('/mnt')).toMatchObject({relative: ''});
    expect(table.resolve('/mnt/x')).toMatchObject({mount: {alluxioPath: '/mnt'}, relative: 'x'});
    expect(table.resolve('/mnt/s3')).toMatchObject({mount: {alluxioPath: '/mnt/s3'}, relative: ''});
    expect(table.resolve('/mnt/s3/a/b')).toMatchObject({mount: {alluxioPath: '/mnt/s3'}, relative: 'a/b'});
    expect(table.resolve('/mnt/s30')).toMatchObject({mount: {alluxioPath: '/mnt'}, relative: 's30'});
  });

  it('does not take /mnt for an ancestor of /mnt2', async () => {
    const table = await tableWith('/mnt');
    expect(table.resolve('/mnt2')).toMatchObject({mount: {alluxioPath: '/'}, relative: 'mnt2'});
    expect(table.resolve('/mnt2/f')).toMatchObject({mount: {alluxioPath: '/'}, relative: 'mnt2/f'});
    expect(table.resolve('/mnt-b')).toMatchObject({mount: {alluxioPath: '/'}, relative: 'mnt-b'});
    const both = await tableWith('/mnt2');
    expect(both.resolve('/mnt2/f')).toMatchObject({mount: {alluxioPath: '/mnt2'}, relative: 'f'});
    expect(both.resolve('/mnt/f')).toMatchObject({mount: {alluxioPath: '/mnt'}, relative: 'f'});
  });

  it('get and isMountPoint', async () => {
    const table = await tableWith('/mnt');
    expect(table.get('/mnt')?.ufsUri).toBe('/ufs/mnt');
    expect(table.get('/mnt/x')).toBeUndefined();
    expect(table.isMountPoint('/')).toBe(true);
    expect(table.isMountPoint('/mnt')).toBe(true);
    expect(table.isMountPoint('/mnt2')).toBe(false);
    expect(table.isMountPoint('/mnt/x')).toBe(false);
  });

  it('mountsBelow: all mounts strictly below, or only direct children', async () => {
    const table = await tableWith('/a/m', '/a/m/deep', '/a/n/x', '/b', '/ab');
    const paths = (ms: MountRecord[]) => ms.map((m) => m.alluxioPath);
    expect(paths(table.mountsBelow('/', false))).toEqual(['/a/m', '/a/m/deep', '/a/n/x', '/ab', '/b']);
    expect(paths(table.mountsBelow('/', true))).toEqual(['/ab', '/b']);
    expect(paths(table.mountsBelow('/a', false))).toEqual(['/a/m', '/a/m/deep', '/a/n/x']);
    expect(paths(table.mountsBelow('/a', true))).toEqual(['/a/m']);
    expect(paths(table.mountsBelow('/a/m', false))).toEqual(['/a/m/deep']);
    expect(paths(table.mountsBelow('/a/m/deep', false))).toEqual([]);
    expect(paths(table.mountsBelow('/a/n', true))).toEqual(['/a/n/x']);
    // '/ab' is not below '/a'
    expect(paths(table.mountsBelow('/a', false))).not.toContain('/ab');
  });

  it('reload picks up mounts added and removed in the store', async () => {
    const table = await MountTable.open(store, root);
    await store.addMount(mountAt('/m'));
    expect(table.isMountPoint('/m')).toBe(false);
    await table.reload();
    expect(table.isMountPoint('/m')).toBe(true);
    await store.removeMount('/m');
    await table.reload();
    expect(table.resolve('/m/f').mount).toBe(root);
  });
});

describe('compareStrings', () => {
  it('orders by code unit, as Alluxio sorts paths', () => {
    const paths = ['/a/b', '/a-b', '/a', '/B', '/a0', '/a.b'];
    expect([...paths].sort(compareStrings)).toEqual(['/B', '/a', '/a-b', '/a.b', '/a/b', '/a0']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});

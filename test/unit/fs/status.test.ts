import {mkdirSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {groupNameOf, userNameOf} from '../../../src/security/os-accounts.js';
import {type FsFolders, type OpenedFs, errorOf, makeFolders, openFs, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  folders = await makeFolders('fs-status-');
  opened = await openFs(folders);
});
afterEach(async () => {
  await opened.store.close();
  await removeFolders(folders);
});

const osOwner = () => userNameOf(process.getuid?.() ?? 0);
const osGroup = () => groupNameOf(process.getgid?.() ?? 0);

describe('getStatus', () => {
  it('the root is the superuser\'s, 0755, a persisted mount point', async () => {
    const s = await opened.fs.getStatus('/');
    expect(s).toMatchObject({
      path: '/',
      name: '',
      isDirectory: true,
      length: 0,
      owner: 'alice',
      group: 'staff',
      mode: 0o755,
      persistenceState: 'PERSISTED',
      inAlluxioPercentage: 0,
      isMountPoint: true,
      ufsPath: folders.ufs,
    });
  });

  it('a file in the UFS: its length, OS owner and group, mode and time', async () => {
    const file = join(folders.ufs, 'f.txt');
    writeFileSync(file, 'hello', {mode: 0o640});
    utimesSync(file, 1_600_000_000, 1_600_000_000.5);
    const s = await opened.fs.getStatus('/f.txt');
    expect(s).toMatchObject({
      path: '/f.txt',
      name: 'f.txt',
      isDirectory: false,
      length: 5,
      owner: osOwner(),
      group: osGroup(),
      mode: 0o640,
      persistenceState: 'PERSISTED',
      inAlluxioPercentage: 0,
      isMountPoint: false,
      ufsPath: join(folders.ufs, 'f.txt'),
      lastModificationTime: 1_600_000_000_500,
      blockSizeBytes: 64 * 1024 * 1024,
    });
  });

  it('accepts the path in any normal form', async () => {
    mkdirSync(join(folders.ufs, 'd'));
    writeFileSync(join(folders.ufs, 'd', 'f'), 'x');
    expect((await opened.fs.getStatus('//d/./f/')).path).toBe('/d/f');
    expect((await opened.fs.getStatus('alluxio://host:19998/d')).isDirectory).toBe(true);
  });

  it('a directory found in the UFS shows size 0', async () => {
    mkdirSync(join(folders.ufs, 'd'));
    writeFileSync(join(folders.ufs, 'd', 'a'), 'abc');
    const s = await opened.fs.getStatus('/d');
    expect(s).toMatchObject({isDirectory: true, length: 0, persistenceState: 'PERSISTED', mode: statSync(join(folders.ufs, 'd')).mode & 0o777});
  });

  it('a missing path: Alluxio\'s message', async () => {
    const e = await errorOf(() => opened.fs.getStatus('/nope/x'));
    expect(e.message).toBe('Path "/nope/x" does not exist.');
    expect(e.kind).toBe('NOT_FOUND');
    expect(await opened.fs.exists('/nope/x')).toBe(false);
  });

  it('an inode row overrides owner, group and mode; the UFS keeps its own', async () => {
    const file = join(folders.ufs, 'f');
    writeFileSync(file, 'data', {mode: 0o644});
    await opened.store.putInode({path: '/f', isDirectory: false, state: 'PERSISTED', owner: 'bob', mode: 0o600, creationTime: 1, modificationTime: 2});
    const s = await opened.fs.getStatus('/f');
    expect(s.owner).toBe('bob');
    expect(s.group).toBe(osGroup());
    expect(s.mode).toBe(0o600);
    expect(s.length).toBe(4);
    expect(s.creationTime).toBe(1);
    expect(s.persistenceState).toBe('PERSISTED');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('a persisted row whose file was deleted from the UFS behind our back disappears', async () => {
    await opened.store.putInode({path: '/gone', isDirectory: true, state: 'PERSISTED', owner: 'bob', mode: 0o700, creationTime: 1, modificationTime: 1});
    await opened.store.putInode({path: '/gone/child', isDirectory: false, state: 'PERSISTED', owner: 'bob', mode: 0o600, creationTime: 1, modificationTime: 1});
    const e = await errorOf(() => opened.fs.getStatus('/gone'));
    expect(e.message).toBe('Path "/gone" does not exist.');
    expect(await opened.store.getInode('/gone')).toBeUndefined();
    expect(await opened.store.getInode('/gone/child')).toBeUndefined();
  });

  it('a file only Alluxio holds (MUST_CACHE) comes from its row', async () => {
    await opened.fs.createFile('/c', Readable.from([Buffer.from('abc')]), {length: 3, recursive: false, writeType: 'MUST_CACHE'});
    const s = await opened.fs.getStatus('/c');
    expect(s).toMatchObject({
      path: '/c',
      isDirectory: false,
      length: 3,
      owner: 'alice',
      group: 'staff',
      mode: 0o644,
      persistenceState: 'NOT_PERSISTED',
      inAlluxioPercentage: 100,
      ufsPath: join(folders.ufs, 'c'),
    });
  });

  it('a shared root mount gives others the owner\'s bits', async () => {
    await opened.store.close();
    opened = await openFs(folders, {rootShared: true});
    writeFileSync(join(folders.ufs, 'f'), 'x', {mode: 0o600});
    expect((await opened.fs.getStatus('/f')).mode).toBe(0o606);
    expect((await opened.fs.getStatus('/')).mode).toBe(0o755);
  });
});

describe('permission checks of another user', () => {
  const bob = {name: 'bob', groups: ['bobs'], primaryGroup: 'bobs'};

  it('bob may read alice\'s 0644 file but not write into her 0755 root', async () => {
    await opened.fs.createFile('/c', Readable.from([Buffer.from('abc')]), {length: 3, recursive: false, writeType: 'MUST_CACHE'});
    await opened.store.close();
    opened = await openFs(folders, {user: bob});
    expect((await opened.fs.getStatus('/c')).owner).toBe('alice');
    const e = await errorOf(() =>
      opened.fs.createFile('/b', Readable.from([Buffer.from('x')]), {length: 1, recursive: false, writeType: 'MUST_CACHE'}),
    );
    expect(e.message).toBe(
      'Permission denied: user=bob, access=-w-, path=/b: failed at /, inode owner=alice, inode group=staff, inode mode=rwxr-xr-x',
    );
    expect(e.kind).toBe('PERMISSION_DENIED');
    const d = await errorOf(() => opened.fs.delete('/c', {recursive: false, alluxioOnly: false}));
    expect(d.message).toBe(
      'Permission denied: user=bob, access=-w-, path=/c: failed at /, inode owner=alice, inode group=staff, inode mode=rwxr-xr-x',
    );
  });

  it('with permission checks off, bob may write anywhere', async () => {
    await opened.store.close();
    opened = await openFs(folders, {user: bob, permissionsEnabled: false});
    await opened.fs.createFile('/b', Readable.from([Buffer.from('x')]), {length: 1, recursive: false, writeType: 'MUST_CACHE'});
    expect((await opened.fs.getStatus('/b')).owner).toBe('bob');
  });
});

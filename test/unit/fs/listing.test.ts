import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import type {FileStatus} from '../../../src/fs/types.js';
import type {UfsStatus} from '../../../src/ufs/types.js';
import {
  type FsFolders,
  type OpenedFs,
  collect,
  errorOf,
  makeFolders,
  openFs,
  removeFolders,
} from '../../helpers/unit-fs.js';

/** Every page a UFS listing returned, for checking that page boundaries were crossed. */
const pages: UfsStatus[][] = [];

// The local UFS as the factory makes it, but with pages of 2 entries, so every listing crosses page boundaries.
vi.mock('../../../src/ufs/factory.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/ufs/factory.js')>();
  const {LocalUnderFileSystem} = await import('../../../src/ufs/local/local-ufs.js');
  return {
    ...actual,
    createUnderFileSystem: async (...args: Parameters<typeof actual.createUnderFileSystem>) => {
      await actual.createUnderFileSystem(...args); // same validation
      const ufs = new LocalUnderFileSystem({pageSize: 2});
      const listStatus = ufs.listStatus.bind(ufs);
      ufs.listStatus = async function* (path, options) {
        for await (const page of listStatus(path, options)) {
          pages.push(page);
          yield page;
        }
      };
      return ufs;
    },
  };
});

let folders: FsFolders;
let opened: OpenedFs;

beforeEach(async () => {
  pages.length = 0;
  folders = await makeFolders('fs-listing-');
  opened = await openFs(folders);
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
function ufsDir(rel: string): void {
  mkdirSync(join(folders.ufs, rel), {recursive: true});
}

async function mustCache(path: string, content = 'cached'): Promise<void> {
  return opened.fs.createFile(path, Readable.from([Buffer.from(content)]), {
    length: Buffer.byteLength(content),
    recursive: true,
    writeType: 'MUST_CACHE',
  });
}

const paths = (statuses: FileStatus[]) => statuses.map((s) => s.path);
const list = async (path: string, recursive = false) => collect(opened.fs.list(path, {recursive}));

describe('listing: UFS entries merged with inode rows', () => {
  it('lists a directory\'s children in path order, across pages of 2', async () => {
    for (const name of ['e', 'a', 'c', 'b', 'd']) ufsFile(`d/${name}`);
    expect(paths(await list('/d'))).toEqual(['/d/a', '/d/b', '/d/c', '/d/d', '/d/e']);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  });

  it('an exactly full last page is no problem', async () => {
    for (const name of ['a', 'b', 'c', 'd']) ufsFile(`d/${name}`);
    expect(paths(await list('/d'))).toEqual(['/d/a', '/d/b', '/d/c', '/d/d']);
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
  });

  it('an empty directory lists nothing', async () => {
    ufsDir('empty');
    expect(await list('/empty')).toEqual([]);
  });

  it('a file lists as itself', async () => {
    ufsFile('f', 'abc');
    const out = await list('/f');
    expect(paths(out)).toEqual(['/f']);
    expect(out[0].length).toBe(3);
  });

  it('a missing path fails with Alluxio\'s message', async () => {
    expect((await errorOf(() => list('/none'))).message).toBe('Path "/none" does not exist.');
  });

  it('interleaves NOT_PERSISTED rows in path order, at and across page boundaries', async () => {
    for (const name of ['b', 'd', 'f', 'h']) ufsFile(`d/${name}`);
    for (const name of ['a', 'c', 'e', 'g', 'i']) await mustCache(`/d/${name}`);
    const out = await list('/d');
    expect(paths(out)).toEqual(['/d/a', '/d/b', '/d/c', '/d/d', '/d/e', '/d/f', '/d/g', '/d/h', '/d/i']);
    expect(out.map((s) => s.persistenceState)).toEqual([
      'NOT_PERSISTED',
      'PERSISTED',
      'NOT_PERSISTED',
      'PERSISTED',
      'NOT_PERSISTED',
      'PERSISTED',
      'NOT_PERSISTED',
      'PERSISTED',
      'NOT_PERSISTED',
    ]);
    expect(out.map((s) => s.inAlluxioPercentage)).toEqual([100, 0, 100, 0, 100, 0, 100, 0, 100]);
  });

  it('shows cached persisted files as 100% in Alluxio, whatever the size of other cached data', async () => {
    ufsFile('d/cached', 'abc');
    ufsFile('d/same-size', 'xyz');
    ufsFile('d/other-size', 'longer');
    await (await opened.fs.open('/d/cached', 'CACHE')).stream.toArray();
    const out = await list('/d');
    expect(out.map((s) => [s.name, s.inAlluxioPercentage])).toEqual([
      ['cached', 100],
      ['other-size', 0],
      ['same-size', 0],
    ]);
    expect(out.find((s) => s.name === 'other-size')?.cacheKey).toBeUndefined();
  });

  it('applies overrides of persisted rows to the UFS entries', async () => {
    for (const name of ['a', 'b', 'c']) ufsFile(`d/${name}`);
    await opened.fs.chmod('/d/b', 0o600, false);
    await opened.fs.chown('/d/c', 'bob', undefined, false);
    const out = await list('/d');
    expect(out.map((s) => [s.path, s.mode, s.owner])).toEqual([
      ['/d/a', 0o644, out[0].owner],
      ['/d/b', 0o600, out[0].owner],
      ['/d/c', 0o644, 'bob'],
    ]);
    expect(out[0].owner).not.toBe('bob');
  });

  it('stale PERSISTED rows of files deleted from the UFS behind our back do not show', async () => {
    for (const name of ['a', 'b', 'c']) ufsFile(`d/${name}`);
    await opened.fs.chmod('/d/b', 0o600, false);
    await opened.store.putInode({path: '/d/zz', isDirectory: false, state: 'PERSISTED', mode: 0o600, creationTime: 1, modificationTime: 1});
    await opened.store.putInode({path: '/d/0', isDirectory: false, state: 'PERSISTED', mode: 0o600, creationTime: 1, modificationTime: 1});
    const {rmSync} = await import('node:fs');
    rmSync(join(folders.ufs, 'd', 'b'));
    expect(paths(await list('/d'))).toEqual(['/d/a', '/d/c']);
    expect(paths(await list('/d', true))).toEqual(['/d/a', '/d/c']);
  });

  it('a directory made only in Alluxio lists its NOT_PERSISTED children', async () => {
    await opened.fs.mkdir('/only', {recursive: false, writeType: 'MUST_CACHE'});
    await mustCache('/only/y');
    await mustCache('/only/x');
    const dir = await opened.fs.getStatus('/only');
    expect(dir.persistenceState).toBe('NOT_PERSISTED');
    expect(paths(await list('/only'))).toEqual(['/only/x', '/only/y']);
  });

  it('recursive: "a-b" comes between "a" and "a/b", rows included', async () => {
    ufsFile('t/a/b');
    ufsFile('t/a-b');
    ufsFile('t/a.b');
    await mustCache('/t/a/z');
    await mustCache('/t/a-c');
    await mustCache('/t/a0');
    expect(paths(await list('/t', true))).toEqual(['/t/a', '/t/a-b', '/t/a-c', '/t/a.b', '/t/a/b', '/t/a/z', '/t/a0']);
  });

  it('recursive listing of the root', async () => {
    ufsFile('x/y/z');
    ufsFile('w');
    await mustCache('/x/m');
    expect(paths(await list('/', true))).toEqual(['/w', '/x', '/x/m', '/x/y', '/x/y/z']);
  });
});

describe('listing across a nested mount', () => {
  let mountDir: string;

  beforeEach(async () => {
    ufsFile('a/l/x');
    ufsFile('a/n');
    ufsFile('a/m0');
    mountDir = join(folders.base, 'other');
    mkdirSync(join(mountDir, 'sub'), {recursive: true});
    writeFileSync(join(mountDir, 'm1'), 'one');
    writeFileSync(join(mountDir, 'sub', 'm2'), 'two');
    await opened.fs.mount('/a/m', mountDir, {readOnly: false, shared: false, options: {}});
  });

  it('the mount point appears among its siblings', async () => {
    expect(paths(await list('/a'))).toEqual(['/a/l', '/a/m', '/a/m0', '/a/n']);
    const m = (await list('/a')).find((s) => s.path === '/a/m') as FileStatus;
    expect(m).toMatchObject({isDirectory: true, isMountPoint: true, ufsPath: mountDir});
  });

  it('the mount\'s own entries, with their UFS paths', async () => {
    const out = await list('/a/m');
    expect(paths(out)).toEqual(['/a/m/m1', '/a/m/sub']);
    expect(out[0]).toMatchObject({length: 3, ufsPath: join(mountDir, 'm1')});
  });

  it('recursive: the nested mount\'s entries come in path order', async () => {
    expect(paths(await list('/a', true))).toEqual([
      '/a/l',
      '/a/l/x',
      '/a/m',
      '/a/m/m1',
      '/a/m/sub',
      '/a/m/sub/m2',
      '/a/m0',
      '/a/n',
    ]);
    expect(paths(await list('/', true))).toEqual([
      '/a',
      '/a/l',
      '/a/l/x',
      '/a/m',
      '/a/m/m1',
      '/a/m/sub',
      '/a/m/sub/m2',
      '/a/m0',
      '/a/n',
    ]);
  });

  it('recursive: a file only Alluxio holds below the nested mount is listed once', async () => {
    await mustCache('/a/m/cached');
    await mustCache('/a/k');
    const out = await list('/a', true);
    expect(paths(out)).toEqual([
      '/a/k',
      '/a/l',
      '/a/l/x',
      '/a/m',
      '/a/m/cached',
      '/a/m/m1',
      '/a/m/sub',
      '/a/m/sub/m2',
      '/a/m0',
      '/a/n',
    ]);
    expect(out.find((s) => s.path === '/a/m/cached')?.ufsPath).toBe(join(mountDir, 'cached'));
  });

  it('a UFS entry of the parent mount hidden under the mount point does not show', async () => {
    // The parent UFS grows a folder at the mount point's path after the mount was made.
    ufsFile('a/m/hidden');
    expect(paths(await list('/a'))).toEqual(['/a/l', '/a/m', '/a/m0', '/a/n']);
    expect(paths(await list('/a', true))).not.toContain('/a/m/hidden');
    expect(paths(await list('/a/m'))).toEqual(['/a/m/m1', '/a/m/sub']);
  });
});

import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {groupNameOf, userNameOf} from '../../../src/security/os-accounts.js';
import {LocalUnderFileSystem} from '../../../src/ufs/local/local-ufs.js';
import type {UfsStatus} from '../../../src/ufs/types.js';

let root: string;
const ufs = new LocalUnderFileSystem();

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-ufs-'));
});
afterEach(async () => {
  await rm(root, {recursive: true, force: true});
});

async function collect(pages: AsyncIterable<UfsStatus[]>): Promise<UfsStatus[][]> {
  const out: UfsStatus[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function names(path: string, recursive: boolean): Promise<string[]> {
  return (await collect(ufs.listStatus(path, {recursive}))).flat().map((s) => s.name);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('getStatus', () => {
  it('describes a file with owner names, mode and a content hash', async () => {
    const file = join(root, 'f.txt');
    await writeFile(file, 'hello', {mode: 0o640});
    const st = await stat(file);
    const status = await ufs.getStatus(file);
    expect(status).toEqual({
      name: 'f.txt',
      isDirectory: false,
      length: 5,
      lastModified: Math.floor(st.mtimeMs),
      contentHash: `5-${st.mtimeMs}`,
      owner: userNameOf(st.uid),
      group: groupNameOf(st.gid),
      mode: 0o640,
    });
  });

  it('describes a directory with length 0 and no content hash', async () => {
    const status = await ufs.getStatus(`file://${root}/`);
    expect(status).toMatchObject({isDirectory: true, length: 0, contentHash: undefined});
  });

  it('returns null for a missing path or a path below a file', async () => {
    await writeFile(join(root, 'f'), 'x');
    expect(await ufs.getStatus(join(root, 'missing'))).toBeNull();
    expect(await ufs.getStatus(join(root, 'f', 'below'))).toBeNull();
  });

  it('refuses a relative path', async () => {
    await expect(ufs.getStatus('relative/x')).rejects.toMatchObject({kind: 'INVALID_ARGUMENT'});
  });
});

describe('listStatus', () => {
  beforeEach(async () => {
    await mkdir(join(root, 'a', 'b'), {recursive: true});
    await writeFile(join(root, 'a', 'b', 'x'), 'x');
    await writeFile(join(root, 'a', 'c'), 'c');
    await writeFile(join(root, 'a-b'), 'ab');
    await writeFile(join(root, 'a.txt'), 'a');
    await writeFile(join(root, 'B'), 'B');
    await mkdir(join(root, 'z'));
  });

  it('lists direct children in path order', async () => {
    expect(await names(root, false)).toEqual(['B', 'a', 'a-b', 'a.txt', 'z']);
  });

  it('lists recursively in plain string order of the relative paths', async () => {
    const listed = await names(root, true);
    expect(listed).toEqual(['B', 'a', 'a-b', 'a.txt', 'a/b', 'a/b/x', 'a/c', 'z']);
    expect([...listed].sort()).toEqual(listed);
  });

  it('gives statuses with relative names', async () => {
    const statuses = (await collect(ufs.listStatus(root, {recursive: true}))).flat();
    expect(statuses.find((s) => s.name === 'a/b')).toMatchObject({isDirectory: true, length: 0});
    expect(statuses.find((s) => s.name === 'a-b')).toMatchObject({isDirectory: false, length: 2});
  });

  it('pages by the configured size', async () => {
    const small = new LocalUnderFileSystem({pageSize: 2});
    const pages = await collect(small.listStatus(root, {recursive: false}));
    expect(pages.map((p) => p.map((s) => s.name))).toEqual([['B', 'a'], ['a-b', 'a.txt'], ['z']]);
    const recursive = await collect(small.listStatus(root, {recursive: true}));
    expect(recursive.map((p) => p.length)).toEqual([2, 2, 2, 2]);
  });

  it('yields nothing for an empty directory', async () => {
    expect(await collect(ufs.listStatus(join(root, 'z'), {recursive: true}))).toEqual([]);
  });

  it('hides the temp files of writes in progress', async () => {
    await writeFile(join(root, 'z', '.f.123-abc.alluxio.tmp'), 'partial');
    expect(await names(join(root, 'z'), false)).toEqual([]);
  });

  it('throws not-found for a file or a missing path', async () => {
    const file = join(root, 'a-b');
    await expect(collect(ufs.listStatus(file, {recursive: false}))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
      message: `${file} does not exist or is not a directory`,
    });
    await expect(collect(ufs.listStatus(join(root, 'nope'), {recursive: false}))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });
  });
});

describe('mkdirs', () => {
  it('creates parents only when asked', async () => {
    expect(await ufs.mkdirs(join(root, 'p', 'q'), {createParent: false})).toBe(false);
    expect(await ufs.mkdirs(join(root, 'p', 'q'), {createParent: true})).toBe(true);
    expect((await stat(join(root, 'p', 'q'))).isDirectory()).toBe(true);
    expect(await ufs.mkdirs(join(root, 'p', 'r'), {createParent: false})).toBe(true);
  });

  it('is true for an existing directory and false when a file is in the way', async () => {
    await writeFile(join(root, 'f'), 'x');
    expect(await ufs.mkdirs(root, {createParent: false})).toBe(true);
    expect(await ufs.mkdirs(root, {createParent: true})).toBe(true);
    expect(await ufs.mkdirs(join(root, 'f'), {createParent: false})).toBe(false);
    expect(await ufs.mkdirs(join(root, 'f'), {createParent: true})).toBe(false);
    expect(await ufs.mkdirs(join(root, 'f', 'g'), {createParent: true})).toBe(false);
  });

  // Node's recursive mkdir never returns below /proc (mkdir says ENOENT for a parent that exists).
  it('is false, at once, for folders that cannot be made below /proc', async () => {
    expect(await ufs.mkdirs('/proc/alluxio-x/y', {createParent: true})).toBe(false);
    expect(await ufs.mkdirs('/proc/alluxio-x', {createParent: false})).toBe(false);
  });
});

describe('create', () => {
  it('makes the file visible only when the write finishes, with the mode asked for', async () => {
    const target = join(root, 'd', 'out');
    const writer = await ufs.create(target, {createParent: true, mode: 0o600});
    writer.write('hello ');
    expect(await ufs.getStatus(target)).toBeNull();
    await pipeline(Readable.from(['world']), writer);
    expect(await readFile(target, 'utf8')).toBe('hello world');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(root, 'd'))).toEqual(['out']);
  });

  it('defaults to mode 0644 whatever the umask', async () => {
    const target = join(root, 'out');
    await pipeline(Readable.from(['x']), await ufs.create(target, {createParent: false}));
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it('leaves nothing behind when the writer is destroyed', async () => {
    const target = join(root, 'out');
    const writer = await ufs.create(target, {createParent: false});
    writer.on('error', () => undefined);
    writer.write('partial');
    writer.destroy(new Error('aborted'));
    await new Promise((resolve) => writer.once('close', resolve));
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves nothing behind when the source fails', async () => {
    const target = join(root, 'out');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('source broke');
    }
    await expect(pipeline(failing(), await ufs.create(target, {createParent: false}))).rejects.toThrow(
      'source broke',
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('createFromFile of a source that vanished (taken by another process) rejects, leaving nothing', async () => {
    const source = join(root, 'gone');
    await mkdir(join(root, 'out'));
    await expect(ufs.createFromFile(join(root, 'out', 'f'), source)).rejects.toMatchObject({code: 'ENOENT'});
    expect(await readdir(join(root, 'out'))).toEqual([]);
  });

  it('fails with one line, at once, when the parent cannot be made (below /proc)', async () => {
    await expect(ufs.create('/proc/alluxio-x/d/f', {createParent: true})).rejects.toThrow(
      /^Failed to create the parent directory of \/proc\/alluxio-x\/d\/f: no such file or directory$/,
    );
  });

  it('fails with not-found when the parent is missing and may not be created', async () => {
    await expect(ufs.create(join(root, 'missing', 'f'), {createParent: false})).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });
  });
});

describe('open', () => {
  beforeEach(async () => {
    await writeFile(join(root, 'f'), '0123456789');
  });

  it('reads ranges', async () => {
    const f = join(root, 'f');
    expect(await readAll(await ufs.open(f))).toBe('0123456789');
    expect(await readAll(await ufs.open(f, {offset: 2, length: 3}))).toBe('234');
    expect(await readAll(await ufs.open(f, {offset: 7}))).toBe('789');
    expect(await readAll(await ufs.open(f, {offset: 8, length: 10}))).toBe('89');
    expect(await readAll(await ufs.open(f, {offset: 3, length: 0}))).toBe('');
  });

  it('fails with not-found for a missing file or a directory', async () => {
    await expect(ufs.open(join(root, 'missing'))).rejects.toMatchObject({kind: 'NOT_FOUND'});
    await expect(ufs.open(root)).rejects.toMatchObject({kind: 'NOT_FOUND'});
  });
});

describe('delete', () => {
  beforeEach(async () => {
    await mkdir(join(root, 'd', 'e'), {recursive: true});
    await writeFile(join(root, 'd', 'f'), 'x');
  });

  it('deletes files only', async () => {
    expect(await ufs.deleteFile(join(root, 'd'))).toBe(false);
    expect(await ufs.deleteFile(join(root, 'missing'))).toBe(false);
    expect(await ufs.deleteFile(join(root, 'd', 'f'))).toBe(true);
    expect(await ufs.getStatus(join(root, 'd', 'f'))).toBeNull();
  });

  it('deletes a non-empty directory only when recursive', async () => {
    expect(await ufs.deleteDirectory(join(root, 'd', 'f'), {recursive: true})).toBe(false);
    expect(await ufs.deleteDirectory(join(root, 'd'), {recursive: false})).toBe(false);
    expect(await ufs.deleteDirectory(join(root, 'd', 'e'), {recursive: false})).toBe(true);
    expect(await ufs.deleteDirectory(join(root, 'd'), {recursive: true})).toBe(true);
    expect(await ufs.deleteDirectory(join(root, 'd'), {recursive: true})).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('rename', () => {
  beforeEach(async () => {
    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd', 'f'), 'x');
    await writeFile(join(root, 'g'), 'y');
  });

  it('renames a file, creating the destination parent', async () => {
    expect(await ufs.renameFile(join(root, 'd', 'f'), join(root, 'new', 'parent', 'f2'))).toBe(true);
    expect(await readFile(join(root, 'new', 'parent', 'f2'), 'utf8')).toBe('x');
  });

  it('refuses an existing destination, a missing source and the wrong kind', async () => {
    expect(await ufs.renameFile(join(root, 'd', 'f'), join(root, 'g'))).toBe(false);
    expect(await readFile(join(root, 'g'), 'utf8')).toBe('y');
    expect(await ufs.renameFile(join(root, 'missing'), join(root, 'h'))).toBe(false);
    expect(await ufs.renameFile(join(root, 'd'), join(root, 'h'))).toBe(false);
    expect(await ufs.renameDirectory(join(root, 'g'), join(root, 'h'))).toBe(false);
    expect(await ufs.renameDirectory(join(root, 'd'), join(root, 'd', 'inside'))).toBe(false);
  });

  it('renames a directory with its content', async () => {
    expect(await ufs.renameDirectory(join(root, 'd'), join(root, 'e'))).toBe(true);
    expect(await names(root, true)).toEqual(['e', 'e/f', 'g']);
  });
});

describe('getSpace', () => {
  it('reports the capacity and use of the file system, also for a path not created yet', async () => {
    const space = await ufs.getSpace(join(root, 'not', 'yet'));
    expect(space.capacity).toBeGreaterThan(0);
    expect(space.used).toBeGreaterThanOrEqual(0);
    expect(space.used).toBeLessThanOrEqual(space.capacity);
  });
});

import {randomBytes} from 'node:crypto';
import {createWriteStream, promises as fsp} from 'node:fs';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {basename, join, resolve} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {failedPrecondition, ioError, notFound} from '../errors.js';
import {joinPath} from '../namespace/alluxio-path.js';
import type {FileSystem} from './file-system.js';

/** Progress of a copy: one call per file copied (and per local folder created by copyToLocal). */
export type CopyListener = (event: {kind: 'copied' | 'created-directory' | 'failed'; src: string; dst: string; error?: string}) => void;

/**
 * `copyFromLocal`: a local file or folder into Alluxio, with the default write type. Each file is written whole
 * or not at all; a failed file is reported and the others still go, and the call then fails.
 */
export async function copyFromLocal(fs: FileSystem, src: string, dst: string, listener: CopyListener): Promise<number> {
  const abs = resolve(src);
  const stat = await fsp.stat(abs).catch(() => undefined);
  if (!stat) throw notFound(`Path "file://${abs}" does not exist.`);
  if (stat.isDirectory()) {
    const dstStatus = await fs.find(dst);
    if (dstStatus && !dstStatus.isDirectory) {
      throw failedPrecondition('The destination cannot be an existing file when the source is a directory or a list of files.');
    }
    if (!dstStatus) await fs.mkdir(dst, {recursive: true});
    const failures: string[] = [];
    const copied = await copyFolderIn(fs, abs, dst, listener, failures);
    if (failures.length > 0) {
      throw ioError(`Failed to copy ${failures.length} of ${copied + failures.length} files from file://${abs}: ${failures[0]}`);
    }
    return copied;
  }
  const dstStatus = await fs.find(dst);
  const target = dstStatus?.isDirectory ? joinPath(dstStatus.path, basename(abs)) : dst;
  if (stat.isFile()) {
    await copyFileIn(fs, abs, target, stat.size);
    return 1;
  }
  // A pipe or a device has no size up front: spool it to a temp file first (disk, not memory).
  const spool = await mkdtemp(join(tmpdir(), 'alluxio-copy-'));
  try {
    const file = join(spool, 'data');
    await pipeline(await openForReading(abs), createWriteStream(file));
    await copyFileIn(fs, file, target, (await fsp.stat(file)).size);
  } finally {
    await fsp.rm(spool, {recursive: true, force: true});
  }
  return 1;
}

/** Opens first, so an unreadable source (a socket on stdin, a permission) fails as a plain error, not a stream event. */
async function openForReading(file: string) {
  const handle = await fsp.open(file, 'r');
  return handle.createReadStream();
}

async function copyFolderIn(
  fs: FileSystem,
  dir: string,
  dst: string,
  listener: CopyListener,
  failures: string[],
): Promise<number> {
  let copied = 0;
  const names = (await fsp.readdir(dir, {withFileTypes: true})).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of names) {
    const src = join(dir, entry.name);
    const target = joinPath(dst, entry.name);
    try {
      if (entry.isDirectory()) {
        if (!(await fs.exists(target))) await fs.mkdir(target, {recursive: true});
        copied += await copyFolderIn(fs, src, target, listener, failures);
        continue;
      }
      await copyFileIn(fs, src, target, (await fsp.stat(src)).size);
      copied++;
      listener({kind: 'copied', src: `file://${src}`, dst: target});
    } catch (e) {
      const message = `Failed to copy file://${src} to ${target}: ${(e as Error).message}`;
      failures.push(message);
      listener({kind: 'failed', src: `file://${src}`, dst: target, error: message});
    }
  }
  return copied;
}

async function copyFileIn(fs: FileSystem, src: string, dst: string, length: number): Promise<void> {
  await fs.createFile(dst, await openForReading(src), {length, recursive: true, sourceFile: src});
}

/**
 * `copyToLocal`: an Alluxio file or directory to a local path. Each file is written to a temporary name beside
 * its destination and renamed into place, so a failed copy never leaves a partial file under the real name.
 */
export async function copyToLocal(fs: FileSystem, src: string, dst: string, listener: CopyListener): Promise<number> {
  const status = await fs.getStatus(src);
  const abs = resolve(dst);
  if (status.isDirectory) return copyFolderOut(fs, status.path, abs, listener);
  const local = await fsp.stat(abs).catch(() => undefined);
  const out = local?.isDirectory() ? join(abs, status.name) : abs;
  await copyFileOut(fs, status.path, out);
  listener({kind: 'copied', src, dst: `file://${out}`});
  return 1;
}

async function copyFolderOut(fs: FileSystem, dir: string, abs: string, listener: CopyListener): Promise<number> {
  const local = await fsp.stat(abs).catch(() => undefined);
  if (local && !local.isDirectory()) throw failedPrecondition(`mkdir failure for directory: ${abs}`);
  if (!local) {
    await fsp.mkdir(abs, {recursive: true});
    listener({kind: 'created-directory', src: dir, dst: `file://${abs}`});
  }
  let copied = 0;
  for await (const child of fs.list(dir, {recursive: false})) {
    const out = join(abs, child.name);
    if (child.isDirectory) {
      copied += await copyFolderOut(fs, child.path, out, listener);
    } else {
      await copyFileOut(fs, child.path, out);
      listener({kind: 'copied', src: child.path, dst: `file://${out}`});
      copied++;
    }
  }
  return copied;
}

async function copyFileOut(fs: FileSystem, src: string, out: string): Promise<void> {
  const {stream} = await fs.open(src);
  const temp = `${out}.${randomBytes(4).toString('hex')}_copyToLocal_`;
  try {
    await pipeline(stream, createWriteStream(temp, {flags: 'wx'}));
    await fsp.rename(temp, out);
  } catch (e) {
    await fsp.rm(temp, {force: true});
    throw e;
  }
}

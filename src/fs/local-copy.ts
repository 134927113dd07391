import {randomBytes} from 'node:crypto';
import {createWriteStream, promises as fsp, type Stats} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join, resolve} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {AlluxioError, failedPrecondition, isAlluxioError, notFound} from '../errors.js';
import {failureReason} from '../util/system-errors.js';
import {joinPath} from '../namespace/alluxio-path.js';
import {makeDirectories} from '../util/directories.js';
import {removeOnInterrupt} from '../util/interrupts.js';
import {forEachLimited} from '../util/limit.js';
import {NO_PROGRESS, type Progress, counted, whileListing} from '../util/progress.js';
import {STAGING_PREFIXES, temporaryName} from '../util/temp-files.js';
import type {FileSystem} from './file-system.js';
import {expandLocalPath} from './wildcards.js';

/** Progress of a copy: one call per file copied and per folder created. */
export type CopyListener = (event: {kind: 'copied' | 'created-directory'; src: string; dst: string}) => void;

export interface TransferOptions {
  /** Bytes per read of a streamed local file. */
  bufferSize?: number;
  /** Hears of each file's bytes when the file is found, and as they are written (see CreateFileOptions). */
  progress?: Progress;
}

export const DESTINATION_CANNOT_BE_FILE = 'The destination cannot be an existing file when the source is a directory or a list of files.';

/** Failures of some files of a multi-file copy, after the others were copied: one line each. */
export class CopyFailures extends AlluxioError {
  constructor(
    readonly failures: string[],
    /** Alluxio's `ERRORS:` line above the failures of a copy from the local file system. */
    readonly header?: string,
  ) {
    super('IO', [...(header ? [header] : []), ...failures].join('; '));
  }
}

/**
 * `copyFromLocal`: a local file or folder into Alluxio, with the default write type. Files of a folder go
 * `fs.transferThreads` at a time; each is written whole or not at all; a failed file is reported and the others
 * still go, and the call then fails. A source with `*` names the local paths it matches (Alluxio's wildcards): one
 * file is copied as a file, several paths go into the destination folder as a folder's children do.
 */
export async function copyFromLocal(fs: FileSystem, src: string, dst: string, listener: CopyListener, options: TransferOptions = {}): Promise<number> {
  const {bufferSize, progress = NO_PROGRESS} = options;
  const abs = resolve(src);
  const sources = await expandLocalPath(abs);
  const stats = await Promise.all(sources.map((path) => fsp.stat(path).catch(() => undefined)));
  const stat = stats.length === 1 ? stats[0] : undefined;
  if (sources.length === 0 || (stats.length === 1 && !stat)) throw notFound(`Path "file://${abs}" does not exist.`);
  if (!stat || stat.isDirectory()) {
    const entries = stat ? await localEntries(sources[0]) : sources.map((path, i) => ({src: path, isDirectory: stats[i]?.isDirectory() ?? false}));
    const dstStatus = await fs.find(dst);
    if (dstStatus && !dstStatus.isDirectory) {
      throw failedPrecondition(DESTINATION_CANNOT_BE_FILE);
    }
    if (!dstStatus) await fs.mkdir(dst, {recursive: true});
    const failures: string[] = [];
    const fail = (file: string, target: string, e: unknown) => {
      failures.push(`Failed to copy file://${file} to ${target}: ${failureReason(e)}`);
    };
    let copied = 0;
    await forEachLimited(whileListing(progress, filesOf(fs, entries, dst, dstStatus === undefined, fail, progress)), fs.transferThreads, async (file) => {
      try {
        await copyEntryIn(fs, file.src, file.dst, file.stat, {bufferSize, progress});
        copied++;
        listener({kind: 'copied', src: `file://${file.src}`, dst: file.dst});
      } catch (e) {
        fail(file.src, file.dst, e);
      }
    });
    if (failures.length > 0) throw new CopyFailures(failures, 'ERRORS:');
    return copied;
  }
  const dstStatus = await fs.find(dst);
  const target = dstStatus?.isDirectory ? joinPath(dstStatus.path, basename(sources[0])) : dst;
  if (stat.isFile()) progress.grow(stat.size);
  await copyEntryIn(fs, sources[0], target, stat, {bufferSize, progress});
  return 1;
}

/**
 * A local file, or a pipe or device (at the top or inside a copied folder), into Alluxio. A file's size was
 * reported found; a pipe has none up front, and reading it is the slow part: its bytes are reported found and
 * done as they arrive, and the copy of the spool is not counted again.
 */
async function copyEntryIn(fs: FileSystem, src: string, dst: string, stat: Stats, options: TransferOptions): Promise<void> {
  const {bufferSize, progress = NO_PROGRESS} = options;
  if (stat.isFile()) return copyFileIn(fs, src, dst, stat.size, options);
  const arriving: Progress = {
    grow: () => undefined,
    advance: (n) => {
      progress.grow(n);
      progress.advance(n);
    },
  };
  // A pipe or a device has no size up front: spool it to a temp file first (disk, not memory).
  const spool = join(tmpdir(), temporaryName(STAGING_PREFIXES.spool));
  const unregister = removeOnInterrupt(spool);
  await fsp.mkdir(spool, {mode: 0o700}).catch((e: unknown) => {
    unregister();
    throw e;
  });
  try {
    const file = join(spool, 'data');
    const end = progress.listing?.();
    try {
      await pipeline(counted(await openForReading(src, bufferSize), arriving), createWriteStream(file));
    } finally {
      end?.();
    }
    await copyFileIn(fs, file, dst, (await fsp.stat(file)).size, {bufferSize});
  } finally {
    await fsp.rm(spool, {recursive: true, force: true});
    unregister();
  }
}

/** Opens first, so an unreadable source (a socket on stdin, a permission) fails as a plain error, not a stream event. */
async function openForReading(file: string, bufferSize?: number) {
  const handle = await fsp.open(file, 'r');
  return handle.createReadStream({highWaterMark: bufferSize});
}

/**
 * A destination folder is listed when it holds at most this many entries per file to copy: on S3 a listing page
 * of 1,000 names costs one request where an unknown name costs two lookups, and a page is read after the other.
 */
const LISTED_ENTRIES_PER_FILE = 20;

/** A local folder's children in name order. */
async function localEntries(dir: string): Promise<LocalEntry[]> {
  const names = (await fsp.readdir(dir, {withFileTypes: true})).sort((a, b) => (a.name < b.name ? -1 : 1));
  return names.map((entry) => ({src: join(dir, entry.name), isDirectory: entry.isDirectory()}));
}

interface LocalEntry {
  src: string;
  isDirectory: boolean;
}

/**
 * The files of local entries (a folder's children, or a pattern's matches) and below, each with its Alluxio
 * destination in `dst`; the Alluxio folders they go into are made on the way. An existing destination folder is
 * listed once, so that no file costs a lookup of its own.
 */
async function* filesOf(
  fs: FileSystem,
  pending: LocalEntry[] | Promise<LocalEntry[]>,
  dst: string,
  dstIsNew: boolean,
  fail: (file: string, target: string, e: unknown) => void,
  progress: Progress,
): AsyncGenerator<{src: string; dst: string; stat: Stats}> {
  const entries = await pending;
  const existing = dstIsNew ? new Map<string, boolean>() : await childKinds(fs, dst, entries.length * LISTED_ENTRIES_PER_FILE);
  for (const entry of entries) {
    const name = basename(entry.src);
    const target = joinPath(dst, name);
    try {
      if (entry.isDirectory) {
        const isNew = existing?.has(name) === false || (existing === undefined && !(await fs.exists(target)));
        if (isNew) await fs.mkdir(target, {recursive: true});
        yield* filesOf(fs, localEntries(entry.src), target, isNew, fail, progress);
      } else {
        const stat = await fsp.stat(entry.src);
        if (stat.isFile()) progress.grow(stat.size);
        yield {src: entry.src, dst: target, stat};
      }
    } catch (e) {
      fail(entry.src, target, e);
    }
  }
}

/**
 * Names in an Alluxio folder (true for directories), or undefined when it holds more than `limit` entries or the
 * user may write into it but not list it: then each file is looked up on its own.
 */
async function childKinds(fs: FileSystem, dir: string, limit: number): Promise<Map<string, boolean> | undefined> {
  const kinds = new Map<string, boolean>();
  try {
    for await (const child of fs.list(dir, {recursive: false})) {
      if (kinds.size >= limit) return undefined;
      kinds.set(child.name, child.isDirectory);
    }
  } catch (e) {
    if (isAlluxioError(e) && e.kind === 'PERMISSION_DENIED') return undefined;
    throw e;
  }
  return kinds;
}

/** `bufferSize`: the size of each read of a streamed file (a file the UFS uploads itself is read by the UFS). */
async function copyFileIn(fs: FileSystem, src: string, dst: string, length: number, options: TransferOptions): Promise<void> {
  await fs.createFile(dst, () => openForReading(src, options.bufferSize), {length, recursive: true, sourceFile: src, progress: options.progress});
}

/**
 * `copyToLocal`: an Alluxio file or directory to a local path, `fs.transferThreads` files at a time. Each file is
 * written to a temporary name beside its destination and renamed into place, so a failed copy never leaves a
 * partial file under the real name.
 */
export async function copyToLocal(fs: FileSystem, src: string, dst: string, listener: CopyListener, progress: Progress = NO_PROGRESS): Promise<number> {
  const status = await fs.getStatus(src);
  const abs = resolve(dst);
  if (status.isDirectory) {
    let copied = 0;
    await forEachLimited(whileListing(progress, filesOut(fs, status.path, abs, listener, progress)), fs.transferThreads, async (file) => {
      await copyFileOut(fs, file.src, file.out, progress);
      listener({kind: 'copied', src: file.src, dst: `file://${file.out}`});
      copied++;
    });
    return copied;
  }
  const local = await fsp.stat(abs).catch(() => undefined);
  const out = local?.isDirectory() ? join(abs, status.name) : abs;
  progress.grow(status.length);
  await copyFileOut(fs, status.path, out, progress);
  listener({kind: 'copied', src, dst: `file://${out}`});
  return 1;
}

/** The files of an Alluxio directory, each with its local destination; local folders are made on the way. */
async function* filesOut(fs: FileSystem, dir: string, abs: string, listener: CopyListener, progress: Progress): AsyncGenerator<{src: string; out: string}> {
  const local = await fsp.stat(abs).catch(() => undefined);
  if (local && !local.isDirectory()) throw failedPrecondition(`mkdir failure for directory: ${abs}`);
  if (!local) {
    await makeDirectories(abs);
    listener({kind: 'created-directory', src: dir, dst: `file://${abs}`});
  }
  for await (const child of fs.list(dir, {recursive: false})) {
    const out = join(abs, child.name);
    if (child.isDirectory) {
      yield* filesOut(fs, child.path, out, listener, progress);
    } else {
      progress.grow(child.length);
      yield {src: child.path, out};
    }
  }
}

async function copyFileOut(fs: FileSystem, src: string, out: string, progress: Progress): Promise<void> {
  const temp = `${out}.${randomBytes(4).toString('hex')}_copyToLocal_`;
  const unregister = removeOnInterrupt(temp);
  try {
    await fs.readToFile(src, temp, undefined, progress);
    await fsp.rename(temp, out);
  } catch (e) {
    await fsp.rm(temp, {force: true});
    // The user named the destination, not our temporary file beside it.
    const error = e as NodeJS.ErrnoException;
    if (error.path === temp) error.path = out;
    throw e;
  } finally {
    unregister();
  }
}

import {once} from 'node:events';
import type {Readable, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {failedPrecondition, ioError} from '../errors.js';
import type {InodeRecord} from '../meta/store.js';
import {isOutcomeUnknown} from '../meta/store-errors.js';
import {isSameOrAncestor, pathChain} from '../namespace/alluxio-path.js';
import {READ, WRITE} from '../security/mode.js';
import {interrupts} from '../util/interrupts.js';
import {NO_PROGRESS, type Progress, counted} from '../util/progress.js';
import {failureReason} from '../util/system-errors.js';
import {WorkerCache} from '../worker/cache.js';
import {viewTime, withClaim} from './claims.js';
import {type FsContext, ufsOf, ufsPathIn} from './fs-context.js';
import {checkParentPermission, checkPathPermission, checkWritable, existingParent, alreadyExistsOnCreate, newInode} from './guards.js';
import {openFile} from './reads.js';
import {displayUfsPath, getStatus} from './status.js';
import {registerAsyncPersist} from './persistence.js';
import type {CopySource, UnderFileSystem} from '../ufs/types.js';
import {pinState} from './pins.js';
import type {FileStatus, ReadType, WriteType} from './types.js';

export interface CreateFileOptions {
  writeType: WriteType;
  /** Exact size of the content (the cache makes room before writing). */
  length: number;
  /** Create missing parent directories. */
  recursive: boolean;
  /** A local file holding the content: object stores may upload its ranges directly. */
  sourceFile?: string;
  /** The content is this UFS object: a store that reaches it copies it on the server instead (see copyFile). */
  copyFrom?: UfsObject;
  /**
   * Hears of the bytes as they reach the file's last stop in this process: the under storage for THROUGH and
   * CACHE_THROUGH, the cache for MUST_CACHE and ASYNC_THROUGH (persisted later, see persistWritten).
   */
  progress?: Progress;
}

/** An object of a mount's UFS: the UFS, its path there, and what a copy must know of it. */
export interface UfsObject {
  ufs: UnderFileSystem;
  path: string;
  source: CopySource;
}

/** A file's content: a stream, or a function that opens one when (and only if) the write needs it. */
export type FileSource = Readable | AsyncIterable<Uint8Array> | (() => Promise<Readable>);

/**
 * Creates a file from its content, honouring the write type. Nothing is visible at `path` unless it succeeds, and
 * of writers racing to create it only one does (see claims.ts).
 */
export async function createFile(ctx: FsContext, path: string, source: FileSource, options: CreateFileOptions): Promise<void> {
  checkWritable(ctx, path);
  const viewedAt = await viewTime(ctx, path);
  if (await getStatus(ctx, path)) throw alreadyExistsOnCreate(path, false);
  const {missing} = await existingParent(ctx, path, options.recursive);
  await checkParentPermission(ctx, path, WRITE);
  await withClaim(ctx, path, viewedAt, () => alreadyExistsOnCreate(path, false), () =>
    reserveAndWrite(ctx, path, source, options, missing),
  );
}

async function reserveAndWrite(
  ctx: FsContext,
  path: string,
  source: FileSource,
  options: CreateFileOptions,
  missing: string[],
): Promise<void> {
  if (options.copyFrom && options.writeType !== 'MUST_CACHE' && (await copyOnServer(ctx, path, options.copyFrom, missing))) {
    options.progress?.advance(options.length);
    return;
  }
  const writeType = await effectiveWriteType(ctx, path, options.writeType, options.length);
  let reserved = writeType === 'THROUGH' ? 0 : options.length;
  const releaseRoom = () => {
    ctx.cache.release(reserved);
    reserved = 0;
  };
  try {
    await writeFile(ctx, path, source, options, writeType, missing, releaseRoom);
  } finally {
    releaseRoom();
  }
}

async function writeFile(
  ctx: FsContext,
  path: string,
  source: FileSource,
  options: CreateFileOptions,
  writeType: WriteType,
  missing: string[],
  releaseRoom: () => void,
): Promise<void> {
  await createDirectories(ctx, missing, writeType === 'THROUGH' || writeType === 'CACHE_THROUGH');

  const open = typeof source === 'function' ? source : async () => source;
  const progress = options.progress ?? NO_PROGRESS;
  const persistedRow = async () => replaceWith(await newInode(ctx, path, false, 'PERSISTED'));
  if (writeType === 'THROUGH') {
    const content = options.sourceFile !== undefined ? {file: options.sourceFile} : {stream: counted(await open(), progress)};
    await writeToUfs(ctx, path, content, options.length, progress);
    await recordPersisted(ctx, path, await persistedRow());
  } else {
    const cacheKey = WorkerCache.newPrivateKey();
    const stream = writeType === 'CACHE_THROUGH' ? await open() : counted(await open(), progress);
    await ctx.cache.write(cacheKey, stream, {pinned: true, expectedLength: options.length, reserved: true, path});
    releaseRoom();
    if (writeType === 'CACHE_THROUGH') {
      // Until the file is recorded, its cached copy belongs to nothing: an interrupt must not leave it pinned.
      const unregister = interrupts.register('file', async () => ((await ctx.cache.remove(cacheKey)) ? 1 : 0));
      try {
        await persistFromCache(ctx, path, cacheKey, options.length, persistedRow, progress);
      } catch (e) {
        await ctx.cache.remove(cacheKey);
        throw e;
      } finally {
        unregister();
      }
    } else {
      const state = writeType === 'MUST_CACHE' ? 'NOT_PERSISTED' : 'TO_BE_PERSISTED';
      // Only this host's cache holds the data: the row says which host that is.
      const row = await newInode(ctx, path, false, state, {length: options.length, cacheKey, cacheHost: ctx.store.host});
      let created: boolean;
      try {
        created = await ctx.store.createInode(row);
      } catch (e) {
        // Unless the row may have been committed (then it names the entry), the pinned copy belongs to nothing.
        if (!isOutcomeUnknown(e)) await dropUnrecorded(ctx, cacheKey);
        throw e;
      }
      if (!created) {
        await dropUnrecorded(ctx, cacheKey);
        throw alreadyExistsOnCreate(path, false);
      }
      if (state === 'TO_BE_PERSISTED') await registerAsyncPersist(ctx, path);
    }
  }
}

/** Removes the cached copy of a file whose row was not written; the write's own failure is what the user sees. */
async function dropUnrecorded(ctx: FsContext, cacheKey: string): Promise<void> {
  await ctx.cache.remove(cacheKey).catch((e: unknown) => ctx.warn(`Could not remove the cached copy ${cacheKey}: ${failureReason(e)}`));
}

/**
 * Copies the file `source` (a status just looked up or listed) to the new file `dst`, with the rules of a create.
 * Persisted data goes on the server when both UFSes allow it (see copyOnServer); else it is read with `readType`
 * (data only the cache holds comes from there) and streamed in.
 */
export async function copyFile(
  ctx: FsContext,
  source: FileStatus,
  dst: string,
  types: {readType: ReadType; writeType: WriteType},
  progress: Progress = NO_PROGRESS,
): Promise<void> {
  await checkPathPermission(ctx, source.path, READ);
  let copyFrom: UfsObject | undefined;
  if (source.persistenceState === 'PERSISTED') {
    const {mount, relative} = ctx.mounts.resolve(source.path);
    const mounted = await ufsOf(ctx, mount);
    copyFrom = {ufs: mounted.ufs, path: ufsPathIn(mounted, relative), source: {length: source.length}};
  }
  const open = async () => (await openFile(ctx, source.path, types.readType)).stream;
  await createFile(ctx, dst, open, {length: source.length, recursive: true, writeType: types.writeType, copyFrom, progress});
}

/**
 * Copies `from` to the path's UFS on the server when both UFSes are of one copy scope (one store, the same
 * credentials), written through: no byte passes this process. False when they are not, for the caller to stream.
 */
async function copyOnServer(ctx: FsContext, path: string, from: UfsObject, missing: string[]): Promise<boolean> {
  const {mount, relative} = ctx.mounts.resolve(path);
  const {ufs} = await ufsOf(ctx, mount);
  if (!ufs.copyObject || !ufs.copyScope || !from.ufs.copyScope) return false;
  if (ufs !== from.ufs && (await ufs.copyScope()) !== (await from.ufs.copyScope())) return false;
  await createDirectories(ctx, missing, true);
  await ufs.copyObject(from.path, ufsPathIn(await ufsOf(ctx, mount), relative), from.source);
  await recordPersisted(ctx, path, replaceWith(await newInode(ctx, path, false, 'PERSISTED')));
  return true;
}

/**
 * Writes that need the cache reserve room in it (released by the caller), or fall back to THROUGH when the file
 * cannot fit, with a warning; MUST_CACHE has no other copy to fall back to and fails instead.
 */
async function effectiveWriteType(ctx: FsContext, path: string, writeType: WriteType, length: number): Promise<WriteType> {
  if (writeType === 'THROUGH' || (await ctx.cache.reserve(length))) return writeType;
  const quota = 'alluxio.worker.tieredstore.level0.dirs.quota';
  if (writeType === 'MUST_CACHE') {
    throw failedPrecondition(
      `Cannot write ${path} with MUST_CACHE: ${length} bytes do not fit in the Alluxio worker cache`,
      `Raise ${quota}, free cached data with "alluxio fs free", or use another write type.`,
    );
  }
  ctx.warn(`${path} (${length} bytes) does not fit in the worker cache: writing it THROUGH to the under storage.`);
  return 'THROUGH';
}

/** What a UFS write takes: a stream, or a whole local file that the UFS reads itself. */
type Content = {stream: Readable | AsyncIterable<Uint8Array>} | {file: string};

/** A stream's bytes are counted by its reader (see counted); a file's by the UFS as it uploads them. */
async function writeToUfs(ctx: FsContext, path: string, content: Content, length: number, progress: Progress): Promise<void> {
  const {mount, relative} = ctx.mounts.resolve(path);
  const mounted = await ufsOf(ctx, mount);
  const ufsPath = ufsPathIn(mounted, relative);
  if ('file' in content) await mounted.ufs.createFromFile(ufsPath, content.file, length, progress);
  else await pipeWithCleanup(content.stream, await mounted.ufs.create(ufsPath, {createParent: true, contentLength: length}));
}

/**
 * A failed pipeline rejects as soon as the source fails, while the writer is still cleaning up (removing its
 * staging file, aborting its multipart upload): wait for that, so nothing is left once the error is reported.
 */
async function pipeWithCleanup(source: Readable | AsyncIterable<Uint8Array>, writer: Writable): Promise<void> {
  try {
    await pipeline(source, writer);
  } catch (e) {
    if (!writer.closed) await once(writer, 'close').catch(() => undefined);
    throw e;
  }
}

/** How a path's row is changed when it is recorded persisted: from its current row (if any) to the row to write. */
export type RowUpdate = (current: InodeRecord | undefined) => InodeRecord | undefined;

const replaceWith = (row: InodeRecord): RowUpdate => () => row;

/**
 * Uploads data held in the cache under `cacheKey` to the file's UFS path, keys the cache by the UFS object, then
 * records it persisted (`update`, worked out once the upload is done, changes its row in the same transaction).
 */
export async function persistFromCache(
  ctx: FsContext,
  path: string,
  cacheKey: string,
  length: number,
  update: () => Promise<RowUpdate>,
  progress: Progress = NO_PROGRESS,
): Promise<void> {
  await writeToUfs(ctx, path, {file: ctx.cache.pathOf(cacheKey)}, length, progress);
  const {mount, relative} = ctx.mounts.resolve(path);
  const mounted = await ufsOf(ctx, mount);
  const ufsStatus = await mounted.ufs.getStatus(ufsPathIn(mounted, relative));
  if (!ufsStatus) throw ioError(`Persisting ${path} failed: the under storage does not show it after the upload`);
  const pinned = (await pinState(ctx, path)).pinned;
  await ctx.cache.rekey(cacheKey, WorkerCache.keyForUfsObject(displayUfsPath(mount, relative), ufsStatus), pinned);
  await recordPersisted(ctx, path, await update());
}

/**
 * One transaction for a path just written to the UFS: `update` records the path itself, and directories Alluxio
 * created without persisting them become persisted, up to the path's mount point: what lies above it belongs to
 * another mount, whose storage got nothing.
 */
async function recordPersisted(ctx: FsContext, path: string, update: RowUpdate): Promise<void> {
  const {mount} = ctx.mounts.resolve(path);
  const inMount = pathChain(path).slice(0, -1).filter((p) => p !== mount.alluxioPath && isSameOrAncestor(mount.alluxioPath, p));
  await ctx.store.modifyInodes([...inMount, path], (_p, row, i) => {
    if (i === inMount.length) return update(row);
    return row && row.state !== 'PERSISTED' ? {...row, state: 'PERSISTED'} : undefined;
  });
}

/** Creates directories (parents first), in the UFS when `persist`, else only in Alluxio. */
export async function createDirectories(ctx: FsContext, paths: string[], persist: boolean): Promise<void> {
  for (const dir of paths) {
    const row = () => newInode(ctx, dir, true, persist ? 'PERSISTED' : 'NOT_PERSISTED');
    if (!persist) {
      await ctx.store.putInode(await row());
      continue;
    }
    const {mount, relative} = ctx.mounts.resolve(dir);
    const mounted = await ufsOf(ctx, mount);
    if (!(await mounted.ufs.mkdirs(ufsPathIn(mounted, relative), {createParent: true}))) {
      throw failedPrecondition(`Cannot create directory ${dir}: a file is in the way in the under storage`);
    }
    await recordPersisted(ctx, dir, replaceWith(await row()));
  }
}

export interface MkdirOptions {
  recursive: boolean;
  writeType: WriteType;
}

/** `mkdir`: persisted at once for THROUGH and CACHE_THROUGH; Alluxio only (as in Alluxio) otherwise. */
export async function createDirectory(ctx: FsContext, path: string, options: MkdirOptions): Promise<void> {
  const viewedAt = await viewTime(ctx, path);
  if (await getStatus(ctx, path)) throw alreadyExistsOnCreate(path, true);
  checkWritable(ctx, path);
  const {missing} = await existingParent(ctx, path, options.recursive);
  await checkParentPermission(ctx, path, WRITE);
  const persist = options.writeType === 'THROUGH' || options.writeType === 'CACHE_THROUGH';
  await withClaim(ctx, path, viewedAt, () => alreadyExistsOnCreate(path, true), () =>
    createDirectories(ctx, [...missing, path], persist),
  );
}

import {NO_PROGRESS, type Progress, counted} from '../util/progress.js';
import {createWriteStream, promises as fsp} from 'node:fs';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {failedPrecondition, invalidArgument} from '../errors.js';
import {CLUSTER, count} from '../metrics/counters.js';
import {READ} from '../security/mode.js';
import {downloadInto} from './download.js';
import {type FsContext, type MountedUfs, ufsOf, ufsPathIn} from './fs-context.js';
import {checkPathPermission} from './guards.js';
import {pinState, releaseOlderVersions} from './pins.js';
import {requireStatus} from './status.js';
import type {FileStatus, ReadType} from './types.js';

/** Part of a file: `length` bytes (to the end when undefined) from `offset`. */
export interface ByteRange {
  offset: number;
  length?: number;
}

export interface OpenedFile {
  status: FileStatus;
  stream: Readable;
}

/**
 * Opens a file for reading. Data Alluxio alone holds comes from the cache; persisted data comes from the cache
 * when it holds the current version, else from the UFS, and CACHE / CACHE_PROMOTE keep a copy of what they read
 * (one tier here, so the two behave the same).
 */
export async function openFile(
  ctx: FsContext,
  path: string,
  readType: ReadType,
  range?: ByteRange | ((status: FileStatus) => ByteRange),
): Promise<OpenedFile> {
  const source = await locate(ctx, path, readType);
  // A range may depend on the length (tail): picked from the status just looked up, not from a second lookup.
  const part = typeof range === 'function' ? range(source.status) : range;
  if (part?.length === 0) return {status: source.status, stream: Readable.from([])};
  if ('cacheKey' in source) return {status: source.status, stream: await ctx.cache.open(source.cacheKey, part)};
  return {status: source.status, stream: await source.mounted.ufs.open(source.ufsPath, part)};
}

/**
 * Copies a file into the local file `dest`, which must not exist. Data read around the cache goes straight into
 * `dest`, a big object as several ranges at once. A failed copy may leave part of the data in `dest`: callers
 * write to a temporary name.
 */
export async function readToFile(ctx: FsContext, path: string, readType: ReadType, dest: string, progress: Progress = NO_PROGRESS): Promise<FileStatus> {
  const source = await locate(ctx, path, readType);
  if ('cacheKey' in source) {
    await pipeline(counted(await ctx.cache.open(source.cacheKey), progress), createWriteStream(dest, {flags: 'wx'}));
    return source.status;
  }
  const handle = await fsp.open(dest, 'wx');
  try {
    await downloadInto(source.mounted.ufs, source.ufsPath, source.status.length, handle, rangeSize(ctx), progress);
  } catch (e) {
    // Why the download failed is the error worth reporting, not a close that fails after it.
    await handle.close().catch(() => undefined);
    throw e;
  }
  await handle.close();
  return source.status;
}

/** Where a read takes its data: the worker cache (filled first when the read type caches), or the UFS. */
async function locate(
  ctx: FsContext,
  path: string,
  readType: ReadType,
): Promise<{status: FileStatus; cacheKey: string} | {status: FileStatus; mounted: MountedUfs; ufsPath: string}> {
  const status = await requireStatus(ctx, path);
  if (status.isDirectory) throw invalidArgument(`Path "${path}" must be a file.`, `${path} is a directory.`);
  await checkPathPermission(ctx, path, READ);
  if (status.persistenceState !== 'PERSISTED') {
    if (status.cacheKey === undefined || !(await ctx.cache.has(status.cacheKey))) {
      if (heldByAnotherHost(ctx, status)) throw onAnotherHost(path, status.cacheHost);
      throw failedPrecondition(
        `The data of ${path} is lost: it was never persisted and the Alluxio worker cache no longer holds it`,
        `Remove it with "alluxio fs rm ${path}".`,
      );
    }
    count(CLUSTER.CacheHits);
    return {status, cacheKey: status.cacheKey};
  }
  const {mount, relative} = ctx.mounts.resolve(path);
  const mounted = await ufsOf(ctx, mount);
  const ufsPath = ufsPathIn(mounted, relative);
  const key = status.cacheKey as string;
  if (await ctx.cache.has(key)) {
    count(CLUSTER.CacheHits);
    return {status: {...status, inAlluxioPercentage: 100}, cacheKey: key};
  }
  count(CLUSTER.CacheMisses);
  if (readType !== 'NO_CACHE' && (await cacheObject(ctx, status, mounted, ufsPath))) {
    return {status: {...status, inAlluxioPercentage: 100}, cacheKey: key};
  }
  return {status, mounted, ufsPath};
}

/**
 * Whether the data of a file not persisted is in another host's cache. The SQLite store serves one host, whose
 * cache holds all such data whatever name the host had when it wrote it.
 */
export function heldByAnotherHost(ctx: FsContext, status: Pick<FileStatus, 'cacheHost'>): status is {cacheHost: string} {
  return status.cacheHost !== undefined && status.cacheHost !== ctx.store.host && ctx.store.sharedByHosts;
}

/** Another host's cache holds the only copy of a file's data. */
export function onAnotherHost(path: string, host: string) {
  return failedPrecondition(
    `The data of ${path} is only in the Alluxio worker cache of ${host}: it is not persisted yet, and this host (another worker) cannot read it`,
    `Read it on ${host}, or persist it there with "alluxio fs persist ${path}"`,
  );
}

/**
 * Copies a persisted file's current data from its UFS into the cache, streamed (ranges at once for a big object);
 * false when the cache cannot make room for it. The data of a pinned path is cached pinned.
 */
export async function cacheObject(ctx: FsContext, status: FileStatus, mounted: MountedUfs, ufsPath: string, progress: Progress = NO_PROGRESS): Promise<boolean> {
  const key = status.cacheKey as string;
  if (!(await ctx.cache.reserve(status.length))) return false;
  let pinned: boolean;
  try {
    pinned = (await pinState(ctx, status.path)).pinned;
    await ctx.cache.fill(key, {pinned, expectedLength: status.length, reserved: true, path: status.path}, (handle) =>
      downloadInto(mounted.ufs, ufsPath, status.length, handle, rangeSize(ctx), progress),
    );
  } finally {
    ctx.cache.release(status.length);
  }
  if (pinned) await releaseOlderVersions(ctx, status.path, key);
  return true;
}

function rangeSize(ctx: FsContext): number {
  return ctx.conf.getBytes('alluxio.underfs.object.store.multi.range.chunk.size');
}

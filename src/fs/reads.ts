import type {Readable} from 'node:stream';
import {failedPrecondition, invalidArgument} from '../errors.js';
import {READ} from '../security/mode.js';
import {type FsContext, ufsOf, ufsPathIn} from './fs-context.js';
import {checkPathPermission} from './guards.js';
import {requireStatus} from './status.js';
import type {FileStatus, ReadType} from './types.js';

export interface OpenedFile {
  status: FileStatus;
  stream: Readable;
}

/**
 * Opens a file for reading. Data Alluxio alone holds comes from the cache; persisted data comes from the cache
 * when it holds the current version, else from the UFS, and CACHE / CACHE_PROMOTE keep a copy of what they read
 * (one tier here, so the two behave the same).
 */
export async function openFile(ctx: FsContext, path: string, readType: ReadType): Promise<OpenedFile> {
  const status = await requireStatus(ctx, path);
  if (status.isDirectory) throw invalidArgument(`Path "${path}" must be a file.`, `${path} is a directory.`);
  await checkPathPermission(ctx, path, READ);
  if (status.persistenceState !== 'PERSISTED') {
    if (status.cacheKey === undefined || !ctx.cache.has(status.cacheKey)) {
      throw failedPrecondition(
        `The data of ${path} is lost: it was never persisted and the Alluxio worker cache no longer holds it`,
        `Remove it with "alluxio fs rm ${path}".`,
      );
    }
    return {status, stream: ctx.cache.open(status.cacheKey)};
  }
  const {mount, relative} = ctx.mounts.resolve(path);
  const mounted = await ufsOf(ctx, mount);
  const ufsPath = ufsPathIn(mounted, relative);
  const key = status.cacheKey as string;
  if (ctx.cache.has(key)) return {status: {...status, inAlluxioPercentage: 100}, stream: ctx.cache.open(key)};
  if (readType !== 'NO_CACHE' && ctx.cache.canHold(status.length)) {
    await ctx.cache.write(key, await mounted.ufs.open(ufsPath), {pinned: false, expectedLength: status.length});
    return {status: {...status, inAlluxioPercentage: 100}, stream: ctx.cache.open(key)};
  }
  return {status, stream: await mounted.ufs.open(ufsPath)};
}

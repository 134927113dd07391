import {alreadyExists, failedPrecondition, invalidArgument, ioError} from '../errors.js';
import {ROOT, isSameOrAncestor, parentPath} from '../namespace/alluxio-path.js';
import {WRITE} from '../security/mode.js';
import {viewTime, withClaim} from './claims.js';
import {type FsContext, ufsOf, ufsPathIn} from './fs-context.js';
import {checkParentPermission, checkPathPermission, checkWritable} from './guards.js';
import {listChildren} from './listing.js';
import {unmount} from './mounts.js';
import {getStatus, pathDoesNotExist, requireStatus} from './status.js';
import type {FileStatus} from './types.js';
import {NO_PROGRESS, type Progress} from '../util/progress.js';

export interface DeleteOptions {
  recursive: boolean;
  /** Drop Alluxio's metadata and cached data only; the UFS keeps the data. */
  alluxioOnly: boolean;
  /** Unmount the mount points at or below the path (their under storage is untouched) instead of refusing. */
  deleteMountPoint?: boolean;
  /** Hears of the under storage's entries found and deleted (S3 objects, deleted a batch at a time). */
  progress?: Progress;
}

export async function deletePath(ctx: FsContext, path: string, options: DeleteOptions): Promise<void> {
  const status = await requireStatus(ctx, path);
  if (status.isDirectory && !options.recursive) {
    throw failedPrecondition(`${path} is a directory, to remove it, please use "rm -R/-r/--recursive <path>"`);
  }
  if (path === ROOT) throw invalidArgument('Cannot delete the root directory');
  const mountPoints = mountPointsAtOrBelow(ctx, path);
  if (mountPoints.length > 0 && !options.deleteMountPoint) {
    throw failedPrecondition(
      `Cannot delete path ${path} which is or contains a mount point without --deleteMountPoint/-m option specified`,
      `Run "alluxio fs unmount ${mountPoints[0]}" first, or add -m.`,
    );
  }
  // Deepest first: unmount refuses a mount point with another below it.
  for (const mountPoint of [...mountPoints].reverse()) await unmount(ctx, mountPoint);
  if (mountPoints[0] === path) return;
  if (!options.alluxioOnly) checkWritable(ctx, path);
  await checkParentPermission(ctx, path, WRITE);
  if (status.isDirectory) {
    await walkBeforeDelete(ctx, status, {checkWrite: true});
  } else if (status.cacheKey !== undefined) {
    await ctx.cache.remove(status.cacheKey);
  }
  if (!options.alluxioOnly && status.persistenceState === 'PERSISTED') await deleteFromUfs(ctx, status, options.progress ?? NO_PROGRESS);
  // The rows go with the entries of the data only the cache held, in one transaction; their files after it.
  const {cacheKeys} = await ctx.store.deleteInodeTree(path);
  ctx.cache.removeFiles(cacheKeys);
}

/**
 * One pass over a directory about to go: emptying it needs write permission on every directory below (for
 * delete, not unmount), and the cached copies of its persisted files go with it. Skipped when neither applies.
 */
export async function walkBeforeDelete(ctx: FsContext, dir: FileStatus, options: {checkWrite: boolean}): Promise<void> {
  const checks = options.checkWrite && ctx.checker.enabled && !ctx.checker.isSuperUser();
  if (!checks && (await ctx.cache.usedBytes()) === 0) return;
  if (checks) await checkPathPermission(ctx, dir.path, WRITE);
  for await (const entry of listChildren(ctx, dir, true)) {
    if (entry.isDirectory) {
      if (checks) await checkPathPermission(ctx, entry.path, WRITE);
    } else if (entry.persistenceState === 'PERSISTED' && entry.cacheKey !== undefined && entry.inAlluxioPercentage > 0) {
      await ctx.cache.remove(entry.cacheKey);
    }
  }
}

async function deleteFromUfs(ctx: FsContext, status: FileStatus, progress: Progress): Promise<void> {
  const {mount, relative} = ctx.mounts.resolve(status.path);
  const mounted = await ufsOf(ctx, mount);
  const ufsPath = ufsPathIn(mounted, relative);
  const deleted = status.isDirectory
    ? await mounted.ufs.deleteDirectory(ufsPath, {recursive: true, progress})
    : await mounted.ufs.deleteFile(ufsPath);
  if (!deleted && (await mounted.ufs.getStatus(ufsPath))) {
    throw ioError(`Failed to delete ${status.ufsPath} from the under storage`);
  }
}

/** The mount points at or below `path`, parents before children. */
function mountPointsAtOrBelow(ctx: FsContext, path: string): string[] {
  const below = ctx.mounts.mountsBelow(path, false).map((m) => m.alluxioPath).sort();
  return ctx.mounts.isMountPoint(path) ? [path, ...below] : below;
}

/** Mount points cannot be renamed, nor can anything holding one: unmount first. */
function refuseMountPoints(ctx: FsContext, path: string, verb: string): void {
  const inside = mountPointsAtOrBelow(ctx, path);
  if (inside.length > 0) {
    throw failedPrecondition(
      `Cannot ${verb} ${path}: it is or contains the mount point ${inside[0]}`,
      `Run "alluxio fs unmount ${inside[0]}" first.`,
    );
  }
}

/** `mv`, with Alluxio's rules: never onto an existing path, never across mounts, never below itself. */
export async function renamePath(ctx: FsContext, src: string, dst: string, progress: Progress = NO_PROGRESS): Promise<void> {
  const status = await requireStatus(ctx, src);
  if (src === dst) return;
  if (src === ROOT) throw invalidArgument('The root directory cannot be renamed');
  if (dst === ROOT) throw invalidArgument('Cannot rename a path to the root directory');
  const from = ctx.mounts.resolve(src);
  const to = ctx.mounts.resolve(dst);
  if (ctx.mounts.isMountPoint(dst)) throw invalidArgument(`${dst} is a mount point and cannot be renamed onto`);
  if (from.mount !== to.mount || ctx.mounts.isMountPoint(src)) {
    throw invalidArgument(
      `Renaming ${src} to ${dst} is a cross mount operation`,
      'Copy the data with copyToLocal and copyFromLocal instead.',
    );
  }
  if (isSameOrAncestor(src, dst)) throw invalidArgument(`Cannot rename because ${src} is a prefix of ${dst}`);
  const dstParent = parentPath(dst) as string;
  const parentStatus = await getStatus(ctx, dstParent);
  if (!parentStatus) throw pathDoesNotExist(dstParent);
  if (!parentStatus.isDirectory) throw failedPrecondition(`${dst} does not have a valid parent`);
  const dstExists = () => alreadyExists(`Cannot rename because destination already exists. src: ${src} dst: ${dst}`);
  const viewedAt = await viewTime(ctx, dst);
  if (await getStatus(ctx, dst)) throw dstExists();
  refuseMountPoints(ctx, src, 'rename');
  checkWritable(ctx, src);
  checkWritable(ctx, dst);
  await checkParentPermission(ctx, src, WRITE);
  await checkParentPermission(ctx, dst, WRITE);
  // The destination is claimed like a created path, so renames racing to one destination never overwrite.
  await withClaim(ctx, dst, viewedAt, dstExists, async () => {
    if (status.persistenceState === 'PERSISTED') {
      const mounted = await ufsOf(ctx, from.mount);
      const a = ufsPathIn(mounted, from.relative);
      const b = ufsPathIn(mounted, to.relative);
      const ok = status.isDirectory ? await mounted.ufs.renameDirectory(a, b, progress) : await mounted.ufs.renameFile(a, b);
      if (!ok) throw ioError(`Failed to rename ${src} to ${dst} in the under file system`);
    }
    // Rows a stale view missed at the destination go as rename(2) replaces its target: their cached files too.
    const {cacheKeys} = await ctx.store.renameInodeTree(src, dst);
    ctx.cache.removeFiles(cacheKeys);
  });
}

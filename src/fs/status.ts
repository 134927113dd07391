import {notFound} from '../errors.js';
import type {InodeRecord, MountRecord} from '../meta/store.js';
import {ROOT, baseName, pathChain} from '../namespace/alluxio-path.js';
import {sharedMode} from '../security/mode.js';
import type {InodeView} from '../security/permission-checker.js';
import {ufsJoin} from '../ufs/factory.js';
import type {UfsStatus} from '../ufs/types.js';
import {WorkerCache} from '../worker/cache.js';
import {type FsContext, ufsOf, ufsPathIn, viewedSince} from './fs-context.js';
import {stableId} from './ids.js';
import type {FileStatus} from './types.js';

/** The root inode is Alluxio's own: owned by the superuser, 0755, whatever the root UFS folder says. */
const ROOT_MODE = 0o755;

export function pathDoesNotExist(path: string) {
  return notFound(`Path "${path}" does not exist.`);
}

/** The status of `path`, or undefined when it exists neither in Alluxio nor in its UFS. */
export async function getStatus(ctx: FsContext, path: string): Promise<FileStatus | undefined> {
  const {mount, relative} = ctx.mounts.resolve(path);
  const row = await ctx.store.getInode(path);
  const mounted = await ufsOf(ctx, mount);
  if (row && row.state !== 'PERSISTED') return statusFromRow(ctx, row, mount, relative);
  // An object store's mount point is a directory by definition, and the store keeps no time for directories:
  // asking it would add nothing.
  if (relative === '' && mounted.ufs.isObjectStore) return mountPointStatus(ctx, path, mount, row);
  const ufsStatus = await mounted.ufs.getStatus(ufsPathIn(mounted, relative));
  if (!ufsStatus) {
    // A mount point always exists in Alluxio, even while its UFS folder is away.
    if (relative === '') return mountPointStatus(ctx, path, mount, row);
    // Removed from the UFS behind our back, unless the row is newer than what the UFS told: another process
    // created the path since this one looked.
    if (row && Math.max(row.creationTime, row.modificationTime) < viewedSince(mounted)) await ctx.store.deleteInodeTree(path);
    return undefined;
  }
  return statusFromUfs(ctx, path, ufsStatus, row, mount, relative);
}

export async function requireStatus(ctx: FsContext, path: string): Promise<FileStatus> {
  const status = await getStatus(ctx, path);
  if (!status) throw pathDoesNotExist(path);
  return status;
}

/**
 * The existing inodes from the root down to `path` (or to its deepest existing ancestor), for permission
 * checks. Skipped entirely for superusers and when checks are off. The deepest existing path is looked up first:
 * everything above it is a directory, which needs no question to an object store.
 */
export async function inodeChain(ctx: FsContext, path: string): Promise<InodeView[]> {
  if (!ctx.checker.enabled || ctx.checker.isSuperUser()) return [];
  const paths = pathChain(path);
  let deepest = paths.length - 1;
  let found = await getStatus(ctx, paths[deepest]);
  while (!found && deepest > 0) found = await getStatus(ctx, paths[--deepest]);
  if (!found) return [];
  const chain: InodeView[] = [];
  for (const p of paths.slice(0, deepest)) {
    const status = await ancestorStatus(ctx, p, found);
    if (!status) return chain;
    chain.push(inodeView(status));
  }
  chain.push(inodeView(found));
  return chain;
}

function inodeView(status: FileStatus): InodeView {
  return {name: status.name, path: status.path, owner: status.owner, group: status.group, mode: status.mode, acl: status.acl};
}

/** An ancestor of `existing`: inside the same object-store mount, a directory with the mount's owner, group and mode. */
async function ancestorStatus(ctx: FsContext, path: string, existing: FileStatus): Promise<FileStatus | undefined> {
  const {mount, relative} = ctx.mounts.resolve(path);
  const row = await ctx.store.getInode(path);
  const implied =
    relative !== '' &&
    (!row || row.state === 'PERSISTED') &&
    ctx.mounts.resolve(existing.path).mount === mount &&
    (await ufsOf(ctx, mount)).ufs.isObjectStore;
  return implied ? directoryStatus(ctx, path, mount, relative, row) : getStatus(ctx, path);
}

/** `cachedKeys`: the cache keys a listing found held, read once for all its rows. */
export async function statusFromRow(
  ctx: FsContext,
  row: InodeRecord,
  mount: MountRecord,
  relative: string,
  cachedKeys?: ReadonlySet<string>,
): Promise<FileStatus> {
  const cached =
    row.cacheKey !== undefined &&
    (cachedKeys ? cachedKeys.has(row.cacheKey) : (await ctx.store.getCacheEntry(row.cacheKey)) !== undefined);
  return {
    path: row.path,
    name: baseName(row.path),
    isDirectory: row.isDirectory,
    length: row.isDirectory ? 0 : (row.length ?? 0),
    owner: row.owner ?? '',
    group: row.group ?? '',
    mode: row.mode ?? 0,
    persistenceState: row.state,
    inAlluxioPercentage: !row.isDirectory && cached ? 100 : 0,
    creationTime: row.creationTime,
    lastModificationTime: row.modificationTime,
    isMountPoint: false,
    mountId: mountIdOf(mount),
    ufsPath: displayUfsPath(mount, relative),
    blockSizeBytes: blockSizeOf(ctx),
    cacheKey: row.cacheKey,
    ...(row.cacheHost === undefined ? {} : {cacheHost: row.cacheHost}),
    acl: row.acl,
  };
}

/** Listings of many entries ask these once per mount or process, not once per entry. */
const mountIds = new WeakMap<MountRecord, number>();
const blockSizes = new WeakMap<FsContext, number>();

function mountIdOf(mount: MountRecord): number {
  let id = mountIds.get(mount);
  if (id === undefined) mountIds.set(mount, (id = stableId(mount.alluxioPath)));
  return id;
}

function blockSizeOf(ctx: FsContext): number {
  let size = blockSizes.get(ctx);
  if (size === undefined) blockSizes.set(ctx, (size = ctx.conf.getBytes('alluxio.user.block.size.bytes.default')));
  return size;
}

/**
 * The cache key of a UFS file, unless it is a directory or, with `cachedSizes` (the sizes of what the worker cache
 * holds, read once by a listing), of a size nothing cached has: then its key (a hash) is neither worked out nor
 * looked up.
 */
export function ufsCacheKey(mount: MountRecord, relative: string, ufsStatus: UfsStatus, cachedSizes?: Set<number>): string | undefined {
  const skip = ufsStatus.isDirectory || (cachedSizes !== undefined && !cachedSizes.has(ufsStatus.length));
  return skip ? undefined : WorkerCache.keyForUfsObject(displayUfsPath(mount, relative), ufsStatus);
}

/** `cachedKeys`: which of a listing page's keys (ufsCacheKey) the cache holds, read once for the page. */
export async function statusFromUfs(
  ctx: FsContext,
  path: string,
  ufsStatus: UfsStatus,
  row: InodeRecord | undefined,
  mount: MountRecord,
  relative: string,
  cachedSizes?: Set<number>,
  cachedKeys?: ReadonlySet<string>,
): Promise<FileStatus> {
  const isMountPoint = relative === '';
  // Object stores: the mount's stored triple (with the owner inherited when the store names none).
  let owner = mount.ufsOwner ?? ufsStatus.owner;
  let group = mount.ufsGroup ?? ufsStatus.group;
  const ufsMode = mount.ufsMode ?? ufsStatus.mode;
  let mode = mount.shared ? sharedMode(ufsMode) : ufsMode;
  if (path === ROOT) {
    owner = ctx.rootOwner;
    group = ctx.rootGroup;
    mode = ROOT_MODE;
  }
  const ufsPath = displayUfsPath(mount, relative);
  const cacheKey = ufsCacheKey(mount, relative, ufsStatus, cachedSizes);
  const cached =
    ufsStatus.length !== 0 &&
    cacheKey !== undefined &&
    (cachedKeys ? cachedKeys.has(cacheKey) : (await ctx.store.getCacheEntry(cacheKey)) !== undefined);
  return {
    path,
    name: baseName(path),
    isDirectory: ufsStatus.isDirectory,
    length: ufsStatus.isDirectory ? 0 : ufsStatus.length,
    owner: row?.owner ?? owner,
    group: row?.group ?? group,
    mode: row?.mode ?? mode,
    persistenceState: 'PERSISTED',
    // As in Alluxio, an empty file is wholly in Alluxio: there is nothing to cache.
    inAlluxioPercentage:
      !ufsStatus.isDirectory && (ufsStatus.length === 0 || cached) ? 100 : 0,
    creationTime: row?.creationTime ?? ufsStatus.lastModified,
    lastModificationTime: ufsStatus.lastModified ?? row?.modificationTime,
    isMountPoint,
    mountId: mountIdOf(mount),
    ufsPath,
    blockSizeBytes: blockSizeOf(ctx),
    cacheKey,
    acl: row?.acl,
  };
}

function mountPointStatus(ctx: FsContext, path: string, mount: MountRecord, row: InodeRecord | undefined): Promise<FileStatus> {
  return directoryStatus(ctx, path, mount, '', row, mount.createdAt);
}

/** A directory the UFS need not be asked about, with the mount's owner, group and mode. */
function directoryStatus(
  ctx: FsContext,
  path: string,
  mount: MountRecord,
  relative: string,
  row: InodeRecord | undefined,
  lastModified?: number,
): Promise<FileStatus> {
  const placeholder: UfsStatus = {
    name: baseName(path),
    isDirectory: true,
    length: 0,
    owner: mount.ufsOwner ?? '',
    group: mount.ufsGroup ?? '',
    mode: mount.ufsMode ?? 0,
    lastModified,
  };
  return statusFromUfs(ctx, path, placeholder, row, mount, relative);
}

/** The UFS path shown to users: the mount's URI form joined with the relative path. */
export function displayUfsPath(mount: MountRecord, relative: string): string {
  return ufsJoin(mount.ufsUri, relative);
}

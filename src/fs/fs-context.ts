import type {Configuration} from '../conf/configuration.js';
import type {FormatInfo, MetaStore, MountRecord} from '../meta/store.js';
import {countingUfs} from '../metrics/counting-ufs.js';
import {parentPath} from '../namespace/alluxio-path.js';
import {MountTable} from '../namespace/mount-table.js';
import {PermissionChecker} from '../security/permission-checker.js';
import type {LoginUser} from '../security/user.js';
import {createUnderFileSystem, toLocalPath, ufsJoin} from '../ufs/factory.js';
import type {UnderFileSystem} from '../ufs/types.js';
import {WorkerCache} from '../worker/cache.js';
import {getStatus} from './status.js';

interface Triple {
  owner: string;
  group: string;
  mode: number;
}

/** A mount's UFS and the mount's root in the UFS's own path form. */
export interface MountedUfs {
  ufs: UnderFileSystem;
  root: string;
  /** When it was opened: what an object store's UFS tells may be remembered from any time since. */
  openedAt: number;
}

/** Everything the fs modules share for one process. */
export interface FsContext {
  conf: Configuration;
  store: MetaStore;
  mounts: MountTable;
  user: LoginUser;
  checker: PermissionChecker;
  cache: WorkerCache;
  /** Owner and group of `/`: the user who formatted and their primary group. */
  rootOwner: string;
  rootGroup: string;
  warn(message: string): void;
}

/** What a context is made of besides the configuration, which gives the rest (permission checks, the cache). */
export interface FsContextParts {
  conf: Configuration;
  store: MetaStore;
  user: LoginUser;
  /** The root mount: never stored, it comes from configuration (or from a test). */
  root: MountRecord;
  /** Who formatted: the superuser, owner of `/` with their primary group. */
  format: Pick<FormatInfo, 'superUser' | 'superGroup'>;
  /** The groups of a user; the OS's by default. */
  groupsOf?: (user: string) => string[];
  warn(message: string): void;
}

/** The one wiring of a context, for commands, the master and tests alike. */
export async function createFsContext(parts: FsContextParts): Promise<FsContext> {
  const {conf, store, user, format} = parts;
  return {
    conf,
    store,
    mounts: await MountTable.open(store, parts.root),
    user,
    checker: new PermissionChecker({
      enabled: conf.getBoolean('alluxio.security.authorization.permission.enabled'),
      user,
      superUser: format.superUser,
      superGroup: conf.get('alluxio.security.authorization.permission.supergroup'),
      ...(parts.groupsOf ? {groupsOf: parts.groupsOf} : {}),
    }),
    cache: new WorkerCache({
      dir: conf.get('alluxio.worker.tieredstore.level0.dirs.path'),
      quotaBytes: conf.getBytes('alluxio.worker.tieredstore.level0.dirs.quota'),
      store,
      abandonAfterMs: conf.getDurationMs('alluxio.user.file.persistence.lease.duration'),
    }),
    rootOwner: format.superUser,
    rootGroup: format.superGroup,
    warn: parts.warn,
  };
}

const mountedUfs = new WeakMap<MountRecord, Promise<MountedUfs>>();

/**
 * The time from which what a mount's UFS answers may date: now, or, for an object store, when its UFS was opened,
 * since it answers from what it learned since (a listing of a folder, say).
 */
export function viewedSince(mounted: MountedUfs): number {
  return mounted.ufs.isObjectStore ? mounted.openedAt : Date.now();
}

/** The UFS of a mount, created once per process with the mount's own configuration. */
export function ufsOf(ctx: FsContext, mount: MountRecord): Promise<MountedUfs> {
  let pending = mountedUfs.get(mount);
  if (!pending) {
    pending = openUfs(ctx, mount);
    mountedUfs.set(mount, pending);
    // A failure is reported to this caller; the next one tries again.
    pending.catch(() => mountedUfs.delete(mount));
  }
  return pending;
}

async function openUfs(ctx: FsContext, mount: MountRecord): Promise<MountedUfs> {
  const openedAt = Date.now();
  const conf = ctx.conf.withMountOptions(mount.options, mount.alluxioPath);
  const stored = await storedTriple(ctx, mount);
  const ufs = countingUfs(
    await createUnderFileSystem(mount.ufsUri, conf, {readOnly: mount.readOnly, triple: stored, warn: ctx.warn}),
    mount.ufsUri,
  );
  const root = ufs.isObjectStore ? mount.ufsUri : toLocalPath(mount.ufsUri);
  if (ufs.getPermissions && !stored) await storeTriple(ctx, mount, await inheritOwner(ctx, conf, mount, await ufs.getPermissions()));
  return {ufs, root, openedAt};
}

/**
 * With no owner from the store (inherit.acl=false, or the ACL could not be read), the mount takes the owner and
 * group of its parent in Alluxio, as Alluxio's loaded inodes do.
 */
async function inheritOwner(ctx: FsContext, conf: Configuration, mount: MountRecord, triple: Triple): Promise<Triple> {
  if (triple.owner !== '' || triple.group !== '') return triple;
  if (!conf.getBoolean('alluxio.master.metastore.inode.inherit.owner.and.group')) return triple;
  const parent = parentPath(mount.alluxioPath);
  const from = parent === undefined ? {owner: ctx.rootOwner, group: ctx.rootGroup} : await getStatus(ctx, parent);
  return from ? {...triple, owner: from.owner, group: from.group} : triple;
}

const ROOT_TRIPLE_KEY = 'root-mount-triple';

/**
 * An object store gives every path of a mount one owner, group and mode, worked out from the bucket ACL when the
 * mount is made (for the root mount: on first use) and kept, so no command pays for it again.
 */
async function storedTriple(ctx: FsContext, mount: MountRecord): Promise<Triple | undefined> {
  if (mount.ufsOwner !== undefined && mount.ufsGroup !== undefined && mount.ufsMode !== undefined) {
    return {owner: mount.ufsOwner, group: mount.ufsGroup, mode: mount.ufsMode};
  }
  if (mount.alluxioPath !== '/') return undefined;
  const saved = await ctx.store.getValue(ROOT_TRIPLE_KEY);
  if (!saved) return undefined;
  const {ufsUri, ...triple} = JSON.parse(saved) as Triple & {ufsUri: string};
  return ufsUri === mount.ufsUri ? triple : undefined;
}

async function storeTriple(ctx: FsContext, mount: MountRecord, triple: Triple): Promise<void> {
  if (mount.alluxioPath === '/') await ctx.store.setValue(ROOT_TRIPLE_KEY, JSON.stringify({ufsUri: mount.ufsUri, ...triple}));
  else if (await ctx.store.getMount(mount.alluxioPath)) await ctx.store.updateMountTriple(mount.alluxioPath, triple);
  Object.assign(mount, {ufsOwner: triple.owner, ufsGroup: triple.group, ufsMode: triple.mode});
}

/** Forgets the stored triple so the next use recomputes it (ls -f on a mount point, remount). */
export async function forgetTriple(ctx: FsContext, mount: MountRecord): Promise<void> {
  if (mount.alluxioPath === '/') await ctx.store.setValue(ROOT_TRIPLE_KEY, '');
  Object.assign(mount, {ufsOwner: undefined, ufsGroup: undefined, ufsMode: undefined});
  mountedUfs.delete(mount);
}

/** The UFS path of a path below a mount, in the UFS's own form. */
export function ufsPathIn(mounted: MountedUfs, relative: string): string {
  return ufsJoin(mounted.root, relative);
}

/** Closes the UFS this process opened for a mount record (one that updateMount replaced). */
export async function closeUfsOf(mount: MountRecord): Promise<void> {
  const pending = mountedUfs.get(mount);
  mountedUfs.delete(mount);
  const mounted = await pending?.catch(() => undefined);
  if (mounted) await mounted.ufs.close();
}

export async function closeMountedUfs(ctx: FsContext): Promise<void> {
  for (const mount of ctx.mounts.all()) {
    const mounted = await mountedUfs.get(mount)?.catch(() => undefined);
    if (mounted) await mounted.ufs.close();
  }
}

import type {Configuration} from '../conf/configuration.js';
import type {MetaStore, MountRecord} from '../meta/store.js';
import type {MountTable} from '../namespace/mount-table.js';
import type {PermissionChecker} from '../security/permission-checker.js';
import type {LoginUser} from '../security/user.js';
import {createUnderFileSystem, toLocalPath, ufsJoin} from '../ufs/factory.js';
import type {UnderFileSystem} from '../ufs/types.js';
import type {WorkerCache} from '../worker/cache.js';

/** A mount's UFS and the mount's root in the UFS's own path form. */
export interface MountedUfs {
  ufs: UnderFileSystem;
  root: string;
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

const mountedUfs = new WeakMap<MountRecord, Promise<MountedUfs>>();

/** The UFS of a mount, created once per process with the mount's own configuration. */
export function ufsOf(ctx: FsContext, mount: MountRecord): Promise<MountedUfs> {
  let pending = mountedUfs.get(mount);
  if (!pending) {
    pending = openUfs(ctx, mount);
    mountedUfs.set(mount, pending);
  }
  return pending;
}

async function openUfs(ctx: FsContext, mount: MountRecord): Promise<MountedUfs> {
  const conf = ctx.conf.withMountOptions(mount.options, mount.alluxioPath);
  const ufs = await createUnderFileSystem(mount.ufsUri, conf);
  const root = ufs.isObjectStore ? mount.ufsUri : toLocalPath(mount.ufsUri);
  return {ufs, root};
}

/** The UFS path of a path below a mount, in the UFS's own form. */
export function ufsPathIn(mounted: MountedUfs, relative: string): string {
  return ufsJoin(mounted.root, relative);
}

export async function closeMountedUfs(ctx: FsContext): Promise<void> {
  for (const mount of ctx.mounts.all()) {
    const pending = mountedUfs.get(mount);
    if (pending) await (await pending).ufs.close();
  }
}

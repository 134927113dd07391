import {randomUUID} from 'node:crypto';
import {existsSync} from 'node:fs';
import type {Configuration} from '../conf/configuration.js';
import {describeMetaStore, formatMetaStore, openMetaStore} from '../meta/open.js';
import type {FormatInfo, MetaStore} from '../meta/store.js';
import type {LoginUser} from '../security/user.js';
import {isLocalUri, toLocalPath} from '../ufs/factory.js';
import {WorkerCache} from '../worker/cache.js';

export interface FormatResult {
  /** False when `-s` found the root under storage already set up and skipped formatting. */
  formatted: boolean;
  /** The journal formatted: the SQLite metastore's folder, or the PostgreSQL database's URL (without password). */
  journalFolder: string;
  workerFolders: string[];
}

/**
 * `alluxio format [-s]`: a fresh metastore, with `user` as its superuser, and an empty worker cache. Under-storage
 * data is never touched. With `-s`, only the environment variable ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS is
 * consulted, as Alluxio's script does: when it names an existing local folder or a non-local store, nothing is
 * formatted.
 */
export async function format(
  conf: Configuration,
  env: NodeJS.ProcessEnv,
  onlyIfNeeded: boolean,
  user: LoginUser,
): Promise<FormatResult> {
  const journalFolder = describeMetaStore(conf);
  if (onlyIfNeeded && rootUfsAlreadySetUp(env.ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS)) {
    return {formatted: false, journalFolder, workerFolders: []};
  }
  const workerFolders = await WorkerCache.format(conf.get('alluxio.worker.tieredstore.level0.dirs.path'));
  await formatMetaStore(conf);
  const store = await openMetaStore(conf);
  try {
    await initializeFormatInfo(store, user);
  } finally {
    await store.close();
  }
  return {formatted: true, journalFolder, workerFolders};
}

/** The first user to use (or format) the namespace becomes its superuser, as the user who formats Alluxio does. */
export function initializeFormatInfo(store: MetaStore, user: LoginUser): Promise<FormatInfo> {
  return store.initializeFormatInfo({
    clusterId: randomUUID(),
    superUser: user.name,
    superGroup: user.primaryGroup,
    formattedAt: Date.now(),
  });
}

function rootUfsAlreadySetUp(rootUfs: string | undefined): boolean {
  if (!rootUfs) return false;
  return !isLocalUri(rootUfs) || existsSync(toLocalPath(rootUfs));
}

import {existsSync} from 'node:fs';
import type {Configuration} from '../conf/configuration.js';
import {formatMetaStore} from '../meta/open.js';
import {isLocalUri, toLocalPath} from '../ufs/factory.js';
import {WorkerCache} from '../worker/cache.js';

export interface FormatResult {
  /** False when `-s` found the root under storage already set up and skipped formatting. */
  formatted: boolean;
  journalFolder: string;
  workerFolders: string[];
}

/**
 * `alluxio format [-s]`: a fresh metastore and an empty worker cache. Under-storage data is never touched.
 * With `-s`, only the environment variable ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS is consulted, as Alluxio's script
 * does: when it names an existing local folder or a non-local store, nothing is formatted.
 */
export async function format(conf: Configuration, env: NodeJS.ProcessEnv, onlyIfNeeded: boolean): Promise<FormatResult> {
  const journalFolder = conf.get('alluxio.master.journal.folder');
  if (onlyIfNeeded && rootUfsAlreadySetUp(env.ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS)) {
    return {formatted: false, journalFolder, workerFolders: []};
  }
  const workerFolders = await WorkerCache.format(conf.get('alluxio.worker.tieredstore.level0.dirs.path'));
  formatMetaStore(journalFolder);
  return {formatted: true, journalFolder, workerFolders};
}

function rootUfsAlreadySetUp(rootUfs: string | undefined): boolean {
  if (!rootUfs) return false;
  return !isLocalUri(rootUfs) || existsSync(toLocalPath(rootUfs));
}

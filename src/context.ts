import {dirname, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {getCommandLineProperties} from './cli/argv.js';
import {Configuration} from './conf/configuration.js';
import {FileSystem} from './fs/file-system.js';
import {initializeFormatInfo} from './fs/format.js';
import {createFsContext} from './fs/fs-context.js';
import {openMetaStore} from './meta/open.js';
import type {SharedMetaStore} from './meta/shared-store.js';
import type {MountRecord} from './meta/store.js';
import {type LoginUser, resolveLoginUser} from './security/user.js';
import {isLocalUri, isObjectStoreUri, toLocalPath} from './ufs/factory.js';
import {makeDirectoriesSync} from './util/directories.js';

/**
 * The folder holding bin/, dist/ and conf/: Alluxio's ${alluxio.home} unless ALLUXIO_HOME says otherwise. The
 * build bundles this module into a chunk directly in dist/, as src/context.ts is directly in src/.
 */
export const INSTALL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let loaded: Configuration | undefined;

/** The resolved configuration of this process, loaded once. */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  loaded ??= Configuration.load({env, installDir: INSTALL_DIR, commandLineProperties: getCommandLineProperties()});
  return loaded;
}

export function loginUser(conf: Configuration): LoginUser {
  return resolveLoginUser({username: conf.getOrUndefined('alluxio.security.login.username')});
}

/**
 * Opens the namespace: the metastore (initialised as `format` would when no format has run yet), the mount
 * table, the worker cache and the permission checker. `shared`: the store comes from there (the master's one),
 * and releasing the FileSystem ends its lease rather than closing it.
 */
export async function openFileSystem(
  conf: Configuration,
  warn: (message: string) => void,
  shared?: SharedMetaStore,
): Promise<FileSystem> {
  const user = loginUser(conf);
  const store = shared ? await shared.lease() : await openMetaStore(conf);
  try {
    const info = await initializeFormatInfo(store, user);
    const root = rootMount(conf, info.formattedAt);
    ensureLocalRootFolder(root);
    const ctx = await createFsContext({conf, store, user, root, format: info, warn});
    // Before any use of the cache: data from before a format on another host goes, and so do entries of files
    // another host deleted.
    await ctx.cache.adoptGeneration();
    await ctx.cache.dropOrphansIfDue();
    return new FileSystem(ctx);
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The root mount, made when the namespace was formatted. */
function rootMount(conf: Configuration, createdAt: number): MountRecord {
  const ufsUri = conf.get('alluxio.master.mount.table.root.ufs');
  const objectStore = isObjectStoreUri(ufsUri);
  return {
    alluxioPath: '/',
    ufsUri,
    readOnly: conf.getBoolean('alluxio.master.mount.table.root.readonly'),
    // DESIGN: either key shares the root mount (2.9 reads only the second, and only for object stores).
    shared:
      conf.getBoolean('alluxio.master.mount.table.root.shared') ||
      (objectStore && conf.getBoolean('alluxio.underfs.object.store.mount.shared.publicly')),
    options: conf.rootMountOptions(),
    createdAt,
  };
}

/** The default root under storage is a local folder: make it on first use so a fresh machine just works. */
function ensureLocalRootFolder(root: MountRecord): void {
  if (isLocalUri(root.ufsUri)) {
    makeDirectoriesSync(toLocalPath(root.ufsUri));
  }
}

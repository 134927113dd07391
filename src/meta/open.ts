/** Where the metastore lives: `metastore.db` in `alluxio.master.journal.folder`. */
import fs from 'node:fs';
import path from 'node:path';

import {failedPrecondition} from '../errors.js';
import {makeDirectoriesSync} from '../util/directories.js';
import {cannotWrite} from './sqlite-errors.js';
import {resetSqliteMetaStore} from './sqlite-file.js';
import {SqliteMetaStore} from './sqlite-store.js';
import type {MetaStore} from './store.js';

export const METASTORE_FILE_NAME = 'metastore.db';

export function metaStoreFile(journalFolder: string): string {
  return path.join(journalFolder, METASTORE_FILE_NAME);
}

/**
 * Opens the metastore of `journalFolder`. By default the folder (mode 0700) and the file are created when
 * missing; with `create: false` a missing metastore is an error instead (for commands that must not create one).
 * `busyTimeoutMs` shortens how long a write waits for another process's (10 s by default).
 */
export function openMetaStore(journalFolder: string, opts: {create?: boolean; busyTimeoutMs?: number} = {}): MetaStore {
  const file = metaStoreFile(journalFolder);
  if (opts.create === false && !fs.existsSync(file)) {
    throw failedPrecondition(`No metastore in ${journalFolder}`, 'Run `alluxio format` to create it');
  }
  try {
    makeDirectoriesSync(journalFolder, 0o700);
    // SQLite creates -wal and -shm beside the file: the folder itself must be writable, not only the file.
    fs.accessSync(journalFolder, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw cannotWrite(`in ${journalFolder}`, e);
  }
  return new SqliteMetaStore(file, opts.busyTimeoutMs);
}

/**
 * Makes the metastore of `journalFolder` fresh: emptied in place, or, when it is not a readable database,
 * deleted with its -wal/-shm (nothing else) so that the next open creates it. Safe while other processes have
 * it open: see resetSqliteMetaStore. A store opened before (in this process too) fails its next write and must
 * be opened again; it must not be inside a transaction meanwhile, or the format waits for it in vain.
 */
export function formatMetaStore(journalFolder: string): void {
  resetSqliteMetaStore(metaStoreFile(journalFolder));
}

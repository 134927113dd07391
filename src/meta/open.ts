/**
 * Where the metastore lives: `metastore.db` in `alluxio.master.journal.folder` by default, or a PostgreSQL database
 * several hosts share (`alluxio.master.metastore=POSTGRES`).
 */
import fs from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';

import type {Configuration} from '../conf/configuration.js';
import {failedPrecondition} from '../errors.js';
import {makeDirectoriesSync} from '../util/directories.js';
import {formatPostgresMetaStore, metaStoreKind, openPostgresMetaStore, postgresOptions} from './postgres-config.js';
import {displayUrl} from './postgres-errors.js';
import {cannotWrite} from './sqlite-errors.js';
import {resetSqliteMetaStore} from './sqlite-file.js';
import {SqliteMetaStore} from './sqlite-store.js';
import type {MetaStore} from './store.js';

export const METASTORE_FILE_NAME = 'metastore.db';

export function metaStoreFile(journalFolder: string): string {
  return path.join(journalFolder, METASTORE_FILE_NAME);
}

/** This host's worker identity: its cache entries in a shared namespace are keyed by it. */
export function workerHost(conf: Configuration): string {
  return conf.getOrUndefined('alluxio.worker.hostname') || hostname();
}

/** What `format` names as the master journal it formats: the SQLite file's folder, or the database (no password). */
export function describeMetaStore(conf: Configuration): string {
  if (metaStoreKind(conf) === 'POSTGRES') return displayUrl(postgresOptions(conf, workerHost(conf)).target);
  return conf.get('alluxio.master.journal.folder');
}

/**
 * Opens the metastore of the configuration: the PostgreSQL database when selected (then no SQLite file is made),
 * else the SQLite file in `alluxio.master.journal.folder`. By default the
 * folder (mode 0700) and the file are created when missing; with `create: false` a missing metastore is an error
 * instead (for commands that must not create one). `busyTimeoutMs` shortens how long a write waits for another
 * process's (10 s by default).
 */
export async function openMetaStore(
  conf: Configuration,
  opts: {create?: boolean; busyTimeoutMs?: number} = {},
): Promise<MetaStore> {
  if (metaStoreKind(conf) === 'POSTGRES') return openPostgresMetaStore(conf, workerHost(conf), opts);
  const journalFolder = conf.get('alluxio.master.journal.folder');
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
  return new SqliteMetaStore(file, workerHost(conf), opts.busyTimeoutMs);
}

/**
 * Makes the metastore of the configuration fresh: emptied in place, or, when it is not a readable database,
 * deleted with its -wal/-shm (nothing else) so that the next open creates it. Safe while other processes have
 * it open: see resetSqliteMetaStore. A store opened before (in this process too) fails its next write and must
 * be opened again; it must not be inside a transaction meanwhile, or the format waits for it in vain.
 */
export async function formatMetaStore(conf: Configuration): Promise<void> {
  if (metaStoreKind(conf) === 'POSTGRES') return formatPostgresMetaStore(conf, workerHost(conf));
  resetSqliteMetaStore(metaStoreFile(conf.get('alluxio.master.journal.folder')));
}

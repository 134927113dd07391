/**
 * Log folders and files readable by their owner alone: request logs name buckets, keys and users, and cleanup.log
 * names whose uploads went. Folders and files an older version made with wider modes are narrowed when next used.
 */
import fs from 'node:fs';
import type {Configuration} from '../conf/configuration.js';
import {makeDirectoriesSync} from '../util/directories.js';
import {PRIVATE_FILE, PRIVATE_FOLDER, ownedWithWiderMode} from '../util/private-modes.js';


/**
 * Makes `dir` (and missing parents) readable by its owner alone. An existing one of this user's is narrowed when
 * `narrow`: only folders of ours, never one an operator named (`alluxio.logs.dir=/var/log` stays as it is).
 */
export function privateFolder(dir: string, narrow: boolean): void {
  makeDirectoriesSync(dir, PRIVATE_FOLDER);
  if (narrow && ownedWithWiderMode(fs.statSync(dir), PRIVATE_FOLDER)) fs.chmodSync(dir, PRIVATE_FOLDER);
}

/** Whether `alluxio.logs.dir` is ours (its default, in the work folder) rather than a folder the operator chose. */
export function logsDirIsOurs(conf: Configuration): boolean {
  return conf.source('alluxio.logs.dir').source === 'DEFAULT';
}

/** Opens a log file for appending, created or narrowed to mode 0600; returns its descriptor. */
export function openPrivateLog(file: string): number {
  const fd = fs.openSync(file, 'a', PRIVATE_FILE);
  try {
    if (ownedWithWiderMode(fs.fstatSync(fd), PRIVATE_FILE)) fs.fchmodSync(fd, PRIVATE_FILE);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return fd;
}

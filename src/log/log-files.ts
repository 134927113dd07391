/**
 * Log folders and files readable by their owner alone: request logs name buckets, keys and users, and cleanup.log
 * names whose uploads went. Folders and files an older version made with wider modes are narrowed when next used.
 */
import fs from 'node:fs';
import {makeDirectoriesSync} from '../util/directories.js';

const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;

/** Makes `dir` (and missing parents) readable by its owner alone; an existing one of this user's is narrowed. */
export function privateFolder(dir: string): void {
  makeDirectoriesSync(dir, PRIVATE_FOLDER);
  const st = fs.statSync(dir);
  if (ownedWithWiderMode(st, PRIVATE_FOLDER)) fs.chmodSync(dir, PRIVATE_FOLDER);
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

/** Only the owner can change a mode: another user's folder (a shared logs folder) is left as it is. */
function ownedWithWiderMode(st: fs.Stats, mode: number): boolean {
  return (st.mode & 0o7777 & ~mode) !== 0 && st.uid === process.getuid?.();
}

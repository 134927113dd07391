/** What can go wrong with the metastore's file, as the one-line errors a user can act on. */
import Database from 'better-sqlite3';

import {type AlluxioError, failedPrecondition, ioError} from '../errors.js';
import {storeBusy} from './store-errors.js';

/** How long a write waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

const WRITE_HINT = 'Set alluxio.master.journal.folder to a folder you can write, or fix its permissions';
const FORMAT_HINT = 'Run `alluxio format` to recreate it (data in the under storage is not touched)';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'not a directory',
  EEXIST: 'not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** `where` is "in <folder>" for the journal folder, or the file itself; `code` an errno name. */
export function cannotWrite(
  where: string,
  cause: unknown,
  code = (cause as NodeJS.ErrnoException).code ?? '',
): AlluxioError {
  const reason = REASONS[code] ?? (cause as Error).message;
  return ioError(`Cannot write the metastore ${where}: ${reason}`, {hint: WRITE_HINT, cause});
}

export const corrupt = (file: string, cause?: unknown): AlluxioError =>
  ioError(`The metastore ${file} is corrupt or not an Alluxio metastore`, {hint: FORMAT_HINT, cause});

export const newerSchema = (file: string, version: number, known: number): AlluxioError =>
  failedPrecondition(
    `The metastore ${file} has schema version ${version}, newer than this alluxio (${known}) understands`,
    'Upgrade alluxio-s3 to the version that wrote it, or run `alluxio format` to start over',
  );


/**
 * Turns what SQLite says about the file (busy, corrupt, unwritable, full) into a user error. Anything else
 * (a constraint, a syntax error) is a bug in our SQL and is returned as it is.
 */
export function translateSqliteError(e: unknown, file: string, busyTimeoutMs = BUSY_TIMEOUT_MS): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const code = e.code;
  if (code.startsWith('SQLITE_BUSY')) return storeBusy(file, busyTimeoutMs / 1000, e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return corrupt(file, e);
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') return cannotWrite(file, e, 'EACCES');
  if (code === 'SQLITE_FULL') return cannotWrite(file, e, 'ENOSPC');
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return ioError(`Cannot access the metastore ${file}: ${e.message}`, {hint: WRITE_HINT, cause: e});
  }
  return e;
}

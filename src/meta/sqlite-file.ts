/** The metastore's SQLite file: created private, identified, migrated, opened in WAL mode, and reset by format. */
import fs from 'node:fs';

import Database from 'better-sqlite3';

import {ioError} from '../errors.js';
import {APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION} from './schema.js';
import {
  BUSY_TIMEOUT_MS,
  cannotWrite,
  corrupt,
  newerSchema,
  translateSqliteError,
} from './sqlite-errors.js';

export const GENERATION_SQL = 'SELECT generation FROM store_info WHERE id = 1';

/**
 * Opens `file`, creating it (mode 0600) and migrating its schema as needed. The folder must exist. A write waits
 * up to `busyTimeoutMs` for another process's transaction.
 */
export function openSqliteFile(file: string, busyTimeoutMs = BUSY_TIMEOUT_MS): {db: Database.Database; generation: string} {
  createPrivateFile(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, {fileMustExist: true, timeout: busyTimeoutMs});
    // Identify before changing anything: a foreign or newer file is left exactly as it was.
    const version = checkIdentity(db, file);
    enableWal(db, file);
    // In WAL mode NORMAL cannot corrupt the database; a power loss may only drop the last commits.
    db.pragma('synchronous = NORMAL');
    // Only then take the write lock: opening a current store never waits for another process's writes.
    if (version < SCHEMA_VERSION) migrate(db, file);
    return {db, generation: readGeneration(db)};
  } catch (e) {
    db?.close();
    throw translateSqliteError(e, file, busyTimeoutMs);
  }
}

/**
 * Empties the metastore `file` in place: drops whatever it holds (even a newer or foreign schema) and creates
 * the schema afresh, with a new generation, in one write transaction. Deleting the files instead would race with
 * other processes: SQLite pairs a database with its -wal and -shm by name only, so a process opening the path
 * between the deletions would pair a fresh file with stale ones. Here every open handle stays valid, and a
 * process that began before the format fails its next write clearly (see SqliteMetaStore.transaction). Only a file that is not a
 * readable database is deleted, with its -wal and -shm (nothing else).
 */
export function resetSqliteMetaStore(file: string): void {
  if (!fs.existsSync(file)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, {fileMustExist: true, timeout: BUSY_TIMEOUT_MS});
    recreateSchema(db);
  } catch (e) {
    if (!isNotADatabase(e)) throw translateSqliteError(e, file);
    db?.close();
    deleteFiles(file);
  } finally {
    db?.close();
  }
}

function recreateSchema(db: Database.Database): void {
  // Mount options may hold secrets: overwrite what is dropped rather than only free its pages.
  db.pragma('secure_delete = ON');
  db.transaction(() => {
    const objects = db
      .prepare(
        "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
      )
      .all() as {type: string; name: string}[];
    for (const {type, name} of objects) db.exec(`DROP ${type} IF EXISTS "${name.replaceAll('"', '""')}"`);
    applyMigrations(db, 0);
  }).immediate();
  // Best effort (a reader may still use it): leave no old page images in the WAL either.
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function isNotADatabase(e: unknown): boolean {
  return e instanceof Database.SqliteError && (e.code === 'SQLITE_NOTADB' || e.code.startsWith('SQLITE_CORRUPT'));
}

/** -wal and -shm first: an open racing with us then finds the bad file and fails, rather than pairing. */
function deleteFiles(file: string): void {
  for (const f of [`${file}-wal`, `${file}-shm`, file]) {
    try {
      fs.rmSync(f, {force: true});
    } catch (e) {
      throw cannotWrite(file, e);
    }
  }
}

/** Creates `file` with mode 0600 (mount options may hold secrets), or takes back wider bits it has. */
function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  } catch (e) {
    throw cannotWrite(file, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.mode & 0o077) fs.fchmodSync(fd, 0o600);
    // SQLite gives -wal and -shm the database's mode when it creates them; these are left by an older copy.
    for (const sidecar of [`${file}-wal`, `${file}-shm`]) {
      const sc = fs.statSync(sidecar, {throwIfNoEntry: false});
      if (sc && sc.mode & 0o077) fs.chmodSync(sidecar, 0o600);
    }
  } catch (e) {
    throw cannotWrite(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** Returns the schema version of `db` (0 when empty); throws unless it is empty or ours of a version we know. */
function checkIdentity(db: Database.Database, file: string): number {
  // One statement, so one snapshot: another process may commit the first migration between two reads.
  const {id, version, objects} = db
    .prepare(
      `SELECT application_id AS id, user_version AS version, (SELECT count(*) FROM sqlite_schema) AS objects
       FROM pragma_application_id, pragma_user_version`,
    )
    .get() as {id: number; version: number; objects: number};
  if (id === APPLICATION_ID) {
    if (version > SCHEMA_VERSION) throw newerSchema(file, version, SCHEMA_VERSION);
    return version;
  }
  if (id !== 0 || version !== 0 || objects !== 0) throw corrupt(file);
  return 0;
}

/**
 * Switching to WAL (once in a file's life) upgrades a read lock to a write lock, for which SQLite does not wait
 * (it could deadlock), so processes racing to set up a new file get SQLITE_BUSY at once: retry until the timeout.
 */
function enableWal(db: Database.Database, file: string): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (db.pragma('journal_mode', {simple: true}) === 'wal') return;
      if (db.pragma('journal_mode = WAL', {simple: true}) === 'wal') return;
      throw ioError(`Cannot use write-ahead logging for the metastore ${file}`, {
        hint: 'Put alluxio.master.journal.folder on a local file system',
      });
    } catch (e) {
      const busy = e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() > deadline) throw e;
    }
    Atomics.wait(SLEEP, 0, 0, 5 + Math.random() * 20);
  }
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** Applies the missing migrations in one transaction; concurrent first opens serialize on its lock. */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    applyMigrations(db, checkIdentity(db, file));
  }).immediate();
}

function applyMigrations(db: Database.Database, from: number): void {
  if (from === SCHEMA_VERSION) return;
  for (const sql of MIGRATIONS.slice(from)) db.exec(sql);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function readGeneration(db: Database.Database): string {
  return (db.prepare(GENERATION_SQL).get() as {generation: string}).generation;
}

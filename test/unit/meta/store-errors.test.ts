/** Busy and "replaced" errors are marked alike by both stores' translators, for callers that know no store. */
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';

import {replacedPg, translatePgError} from '../../../src/meta/postgres-errors.js';
import {translateSqliteError} from '../../../src/meta/sqlite-errors.js';
import {isBusy, isReplaced, storeReplaced} from '../../../src/meta/store-errors.js';

const target = {user: 'alluxio', host: 'db.example', port: 5432, database: 'ns'};
const pgError = (code: string, message: string) => Object.assign(new Error(message), {code});

describe('metastore errors', () => {
  it('marks a busy lock as busy in both stores, and nothing else', () => {
    const sqlite = translateSqliteError(new Database.SqliteError('database is locked', 'SQLITE_BUSY'), '/j/metastore.db');
    const pg = translatePgError(pgError('55P03', 'canceling statement due to lock timeout'), target, 10_000);
    expect(isBusy(sqlite)).toBe(true);
    expect(isBusy(pg)).toBe(true);
    expect((pg as Error).message).toBe('The metastore postgresql://alluxio@db.example:5432/ns is busy: another process has held it for more than 10s');
    expect(isBusy(translatePgError(pgError('ECONNREFUSED', 'connect ECONNREFUSED'), target, 10_000))).toBe(false);
    expect(isBusy(translateSqliteError(new Database.SqliteError('disk full', 'SQLITE_FULL'), '/j/metastore.db'))).toBe(false);
    expect(isBusy(new Error('busy'))).toBe(false);
  });

  it('marks a store opened before a format as replaced in both stores', () => {
    expect(isReplaced(storeReplaced('/j/metastore.db'))).toBe(true);
    expect(isReplaced(replacedPg(target))).toBe(true);
    expect(replacedPg(target).message).toBe('The metastore postgresql://alluxio@db.example:5432/ns was formatted while this command was running');
    expect(isReplaced(translatePgError(pgError('55P03', 'lock timeout'), target, 10_000))).toBe(false);
  });
});

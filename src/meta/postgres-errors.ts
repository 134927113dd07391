/** What can go wrong between us and the PostgreSQL metastore, as the one-line errors a user can act on. */
import {AlluxioError, configurationError, failedPrecondition, ioError} from '../errors.js';
import {MetaStoreError, storeBusy, storeReplaced} from './store-errors.js';

export const URL_KEY = 'alluxio.master.metastore.postgres.url';
export const PASSWORD_KEY = 'alluxio.master.metastore.postgres.password';

/** Where the metastore is, as errors name it: never with a password. */
export interface PgTarget {
  user: string;
  host: string;
  port: number;
  database: string;
}

export const displayUrl = (t: PgTarget): string =>
  `postgresql://${encodeURIComponent(t.user)}@${hostPort(t)}/${encodeURIComponent(t.database)}`;

const hostPort = (t: PgTarget): string => (t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`);

/** Errors of the socket (server gone, restarted, unreachable), as node and the pg driver report them. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** SQLSTATEs of a server that shut down or is starting (class 08: connection exception; 57P0x: operator intervention). */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection ended/i;

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Whether `e` says the connection was lost or could not be made (worth retrying on a new one). */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof AlluxioError || !(e instanceof Error)) return false;
  const code = (e as PgLikeError).code;
  if (code && (CONNECTION_ERRNOS.has(code) || CONNECTION_STATES.has(code))) return true;
  return CONNECTION_MESSAGES.test(e.message);
}

/** A conflict the engine resolves by aborting one transaction (serialization failure, deadlock): run it again. */
export function isRetryableConflict(e: unknown): boolean {
  const code = (e as PgLikeError | undefined)?.code;
  return code === '40001' || code === '40P01';
}

export const replacedPg = (t: PgTarget): AlluxioError => storeReplaced(displayUrl(t));

export const missingSchema = (t: PgTarget): AlluxioError =>
  failedPrecondition(`No metastore in ${displayUrl(t)}`, 'Run `alluxio format` to create it');

export const newerPgSchema = (t: PgTarget, version: number, known: number): AlluxioError =>
  failedPrecondition(
    `The metastore ${displayUrl(t)} has schema version ${version}, newer than this alluxio (${known}) understands`,
    'Upgrade alluxio-s3 to the version that wrote it',
  );

/** The connection broke after the transaction's changes were sent: they were rolled back by the server. */
export const lostConnection = (t: PgTarget, cause: unknown): AlluxioError =>
  new AlluxioError('UNAVAILABLE', `The PostgreSQL metastore at ${hostPort(t)} closed the connection; the change was not applied`, {
    hint: 'Run the command again once the server is back',
    cause,
  });

/** The connection broke while committing: the server may or may not have committed. */
export const lostCommit = (t: PgTarget, cause: unknown): AlluxioError =>
  new MetaStoreError('OUTCOME_UNKNOWN', 'UNAVAILABLE', `The PostgreSQL metastore at ${hostPort(t)} closed the connection while committing; the change may or may not be applied`, {
    hint: 'Check the result (e.g. with `alluxio fs ls`) before running the command again',
    cause,
  });

/**
 * Turns what the driver or the server says into a user error naming what to fix (never the password). Anything
 * else (a constraint, a syntax error) is a bug in our SQL and is returned as it is.
 */
export function translatePgError(e: unknown, t: PgTarget, busyTimeoutMs: number): unknown {
  if (e instanceof AlluxioError || !(e instanceof Error)) return e;
  const {code = ''} = e as PgLikeError;
  const where = hostPort(t);
  const fixUrl = `Start PostgreSQL there, or set ${URL_KEY} (postgresql://user@host:port/database)`;
  switch (code) {
    case 'ECONNREFUSED':
      return unavailable(`Cannot reach the PostgreSQL metastore at ${where}: connection refused`, fixUrl, e);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unavailable(`Cannot reach the PostgreSQL metastore at ${where}: unknown host ${t.host}`, `Set ${URL_KEY} to a host that resolves`, e);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unavailable(`Cannot reach the PostgreSQL metastore at ${where}: ${code === 'ETIMEDOUT' ? 'timed out' : 'no route to host'}`, fixUrl, e);
    case '28P01':
      return configurationError(
        `PostgreSQL at ${where} refused the password of user ${t.user}`,
        `Set ${PASSWORD_KEY} to the password of ${t.user} (env:NAME or file:/path keep it out of the configuration)`,
      );
    case '28000':
      return configurationError(
        `PostgreSQL at ${where} refused user ${t.user} for database ${t.database}`,
        `Allow it in the server's pg_hba.conf, or set ${URL_KEY} to a user that may log in`,
      );
    case '3D000':
      return configurationError(
        `The database ${t.database} does not exist at PostgreSQL ${where}`,
        `Create it (createdb ${t.database}), or set ${URL_KEY} to an existing database`,
      );
    case '42501':
      return ioError(`User ${t.user} may not change the metastore in ${displayUrl(t)}: permission denied`, {
        hint: `Grant ${t.user} the right to create tables there (or own the database), or set ${URL_KEY}`,
        cause: e,
      });
    case '53300':
      return unavailable(
        `PostgreSQL at ${where} has no free connection (too many clients)`,
        'Lower alluxio.master.metastore.postgres.pool.size, or raise the server\'s max_connections',
        e,
      );
    case '55P03':
      return storeBusy(displayUrl(t), busyTimeoutMs / 1000, e);
  }
  // The driver asks for a password only when the server wants one: none was configured.
  if (/SASL|client password must be a string|password authentication/i.test(e.message)) {
    return configurationError(`PostgreSQL at ${where} asks a password for user ${t.user}, and none is set`, `Set ${PASSWORD_KEY}`);
  }
  if (/timeout exceeded when trying to connect/i.test(e.message)) {
    return unavailable(`Cannot reach the PostgreSQL metastore at ${where}: timed out`, fixUrl, e);
  }
  if (isConnectionError(e)) return lostConnection(t, e);
  return e;
}

function unavailable(message: string, hint: string, cause: unknown): AlluxioError {
  return new AlluxioError('UNAVAILABLE', message, {hint, cause});
}

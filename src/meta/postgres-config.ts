/**
 * Which metastore the configuration selects, and the PostgreSQL one's settings. The PostgreSQL store (and the pg
 * driver) is imported only when selected, so that SQLite users load none of it.
 */
import fs from 'node:fs';

import type {Configuration} from '../conf/configuration.js';
import {configurationError} from '../errors.js';
import {dereferenceSecret} from '../security/secret-reference.js';
import type {MetaStore} from './store.js';
import {PASSWORD_KEY, URL_KEY} from './postgres-errors.js';
import type {PostgresOptions} from './postgres-store.js';

export const METASTORE_KEY = 'alluxio.master.metastore';
const POOL_SIZE_KEY = 'alluxio.master.metastore.postgres.pool.size';
const CONNECT_TIMEOUT_KEY = 'alluxio.master.metastore.postgres.connect.timeout';

export type MetaStoreKind = 'SQLITE' | 'POSTGRES';

/** SQLITE, or POSTGRES; Alluxio's HEAP and ROCKS mean the embedded store. */
export function metaStoreKind(conf: Configuration): MetaStoreKind {
  return conf.getEnum(METASTORE_KEY) === 'POSTGRES' ? 'POSTGRES' : 'SQLITE';
}

export async function openPostgresMetaStore(
  conf: Configuration,
  host: string,
  opts: {create?: boolean; busyTimeoutMs?: number} = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<MetaStore> {
  const {PostgresMetaStore} = await import('./postgres-store.js');
  return PostgresMetaStore.open({...postgresOptions(conf, host, env), ...opts});
}

/** Empties the namespace in PostgreSQL for every host using it, with a new generation (creating the schema when missing). */
export async function formatPostgresMetaStore(conf: Configuration, host: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const {PostgresMetaStore} = await import('./postgres-store.js');
  await PostgresMetaStore.format(postgresOptions(conf, host, env));
}

export function postgresOptions(conf: Configuration, host: string, env: NodeJS.ProcessEnv = process.env): PostgresOptions {
  const raw = conf.getOrUndefined(URL_KEY);
  if (!raw) {
    throw configurationError(
      `${METASTORE_KEY} is POSTGRES but ${URL_KEY} is not set`,
      `Set ${URL_KEY}=postgresql://user@host:port/database`,
    );
  }
  const {target, params} = parseUrl(raw);
  const {sslmode, sslrootcert, ...server} = params;
  return {
    target,
    params: server,
    ssl: tlsOptions(sslmode, sslrootcert),
    password: password(conf, env),
    host,
    poolSize: conf.getInt(POOL_SIZE_KEY),
    connectTimeoutMs: conf.getDurationMs(CONNECT_TIMEOUT_KEY),
  };
}

/** postgresql://user@host:port/database?param=value; the URL is shown in errors, so it must not hold a password. */
function parseUrl(raw: string): {target: PostgresOptions['target']; params: Record<string, string>} {
  const hint = `Set ${URL_KEY}=postgresql://user@host:port/database`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configurationError(`${URL_KEY} is not a URL`, hint);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw configurationError(`${URL_KEY} must start with postgresql://, not ${url.protocol}//`, hint);
  }
  if (url.password) {
    throw configurationError(
      `${URL_KEY} holds a password; it would be shown wherever the URL is`,
      `Remove it from the URL and set ${PASSWORD_KEY} (env:NAME or file:/path keep it out of the configuration)`,
    );
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!user || !url.hostname || !database) {
    throw configurationError(`${URL_KEY} must name a user, a host and a database`, hint);
  }
  const params: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (!URL_PARAMS.has(name)) {
      throw configurationError(
        `${URL_KEY} has the parameter ${name}, which alluxio does not know`,
        `Remove it; the URL takes ${[...URL_PARAMS].join(', ')}`,
      );
    }
    params[name] = value;
  }
  return {
    target: {user, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 5432, database},
    params,
  };
}

/** The libpq URL parameters alluxio honours; any other is refused rather than silently ignored. */
const URL_PARAMS = new Set(['sslmode', 'sslrootcert', 'options', 'application_name']);

/**
 * TLS as libpq's sslmode asks: verify-ca checks the certificate chain but not the host name, verify-full both;
 * require (and allow, prefer, which cannot fall back here) encrypts without checking, unless a root certificate
 * is given, where libpq checks the chain as verify-ca does. `sslrootcert` is the file of the CA certificates
 * trusted instead of the system's.
 */
function tlsOptions(sslmode = 'disable', sslrootcert?: string): PostgresOptions['ssl'] {
  if (!SSL_MODES.includes(sslmode)) {
    throw configurationError(`${URL_KEY} has sslmode=${sslmode}`, `Set sslmode to one of ${SSL_MODES.join(', ')}`);
  }
  if (sslmode === 'disable') return undefined;
  const ca = sslrootcert === undefined ? undefined : readRootCert(sslrootcert);
  const verify = sslmode === 'verify-full' || sslmode === 'verify-ca' || ca !== undefined;
  return {
    rejectUnauthorized: verify,
    ...(ca !== undefined && {ca}),
    ...(verify && sslmode !== 'verify-full' && {checkServerIdentity: () => undefined}),
  };
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

const UNREADABLE: Record<string, string> = {ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'a directory'};

function readRootCert(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw configurationError(
      `Cannot read sslrootcert ${file} of ${URL_KEY}: ${UNREADABLE[code] ?? 'not a readable file'}`,
      'Set sslrootcert to a readable file of PEM certificates',
    );
  }
}

/** The password, `env:NAME` and `file:/path` references read; undefined when unset (the server may not ask one). */
function password(conf: Configuration, env: NodeJS.ProcessEnv): string | undefined {
  const value = conf.getOrUndefined(PASSWORD_KEY);
  return value ? dereferenceSecret(PASSWORD_KEY, value, env) : undefined;
}

/**
 * Which metastore the configuration selects, and the PostgreSQL one's settings. The PostgreSQL store (and the pg
 * driver) is imported only when selected, so that SQLite users load none of it.
 */
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
  return {
    target,
    params,
    password: password(conf, env),
    host,
    poolSize: conf.getInt(POOL_SIZE_KEY),
    connectTimeoutMs: conf.getDurationMs(CONNECT_TIMEOUT_KEY),
  };
}

/** postgresql://user@host:port/database?param=value; the URL is shown in errors, so it must not hold a password. */
function parseUrl(raw: string): Pick<PostgresOptions, 'target' | 'params'> {
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
  return {
    target: {user, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 5432, database},
    params: Object.fromEntries(url.searchParams),
  };
}

/** The password, `env:NAME` and `file:/path` references read; undefined when unset (the server may not ask one). */
function password(conf: Configuration, env: NodeJS.ProcessEnv): string | undefined {
  const value = conf.getOrUndefined(PASSWORD_KEY);
  return value ? dereferenceSecret(PASSWORD_KEY, value, env) : undefined;
}

/** The PostgreSQL server of the `pg` vitest project (test/integration/pg/setup.ts), as tests reach it. */
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';

import {inject} from 'vitest';

export interface PgEnv {
  /** postgresql://alluxio@127.0.0.1:<port>/alluxio (no password in it). */
  url: string;
  password: string;
  user: string;
  database: string;
  host: string;
  port: number;
  dataDir: string;
  /** The folder of the server's Unix socket, where the setup's own administration logs in without a password. */
  socketDir: string;
  /** The system user the server runs as (`postgres` when the tests run as root). */
  runAs?: string;
  bin: string;
  startSeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pg: PgEnv;
  }
}

export function pgEnv(): PgEnv {
  return inject('pg');
}

const run = promisify(execFile);

/** Runs one of PostgreSQL's programs (pg_ctl, psql, createdb) against the test server, as the user it runs as. */
export async function pgProgram(env: PgEnv, program: string, args: string[]): Promise<string> {
  const file = path.join(env.bin, program);
  const [cmd, argv] = env.runAs ? ['runuser', ['-u', env.runAs, '--', file, ...args]] : [file, args];
  const {stdout} = await run(cmd, argv, {timeout: 120_000});
  return stdout;
}

/** One SQL statement as the server's administrator over its socket; the rows as psql prints them unaligned. */
export function adminSql(env: PgEnv, sql: string, database = env.database): Promise<string> {
  return pgProgram(env, 'psql', ['-h', env.socketDir, '-p', String(env.port), '-U', env.user, '-d', database, '-XAtqc', sql]);
}

/**
 * A fresh database on the test server. Its default collation is linguistic (ICU en-US, where ' ', '-' and '_' are
 * ignored at first), as on many real servers: only the store's own COLLATE "C" keeps paths in byte order.
 */
export async function createDatabase(env: PgEnv, name: string): Promise<string> {
  await adminSql(env, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, 'postgres');
  await adminSql(env, `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`, 'postgres');
  return env.url.replace(/\/[^/]+$/, `/${name}`);
}

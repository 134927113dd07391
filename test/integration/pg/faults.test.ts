/**
 * The PostgreSQL metastore when things go wrong, against a real server: unreachable, wrong or missing password,
 * missing database, a server restart in the middle of a transaction, a bounded pool. Every error is one line that
 * names what to fix and never the password. Processes racing (first opens, lost updates, a lock held past the busy
 * timeout) are the racing suite's, run on both stores (concurrency.test.ts).
 */
import net from 'node:net';
import path from 'node:path';

import pg from 'pg';
import {beforeAll, describe, expect, it} from 'vitest';

import {AlluxioError} from '../../../src/errors.js';
import {PG_MIGRATIONS, PG_SCHEMA_VERSION, VERSION_TABLE_SQL} from '../../../src/meta/postgres-schema.js';
import {PostgresMetaStore, type PostgresOptions} from '../../../src/meta/postgres-store.js';
import {inode} from '../../helpers/meta-store.js';
import {adminSql, createDatabase, type PgEnv, pgEnv, pgProgram} from '../../helpers/pg-env.js';

let env: PgEnv;
let base: PostgresOptions;

beforeAll(async () => {
  env = pgEnv();
  await createDatabase(env, 'faults');
  base = {
    target: {user: env.user, host: env.host, port: env.port, database: 'faults'},
    password: env.password,
    host: 'host-a',
    poolSize: 4,
    connectTimeoutMs: 10_000,
  };
});


/** The error `promise` rejects with: an AlluxioError of one line, hint included, that never shows a password. */
async function userError(promise: Promise<unknown>, ...secrets: string[]): Promise<AlluxioError> {
  const e = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(e).toBeInstanceOf(AlluxioError);
  const err = e as AlluxioError;
  expect(err.exitCode).toBe(255);
  expect(err.message).not.toContain('\n');
  for (const secret of [env.password, ...secrets]) {
    expect(err.message).not.toContain(secret);
    expect(err.hint ?? '').not.toContain(secret);
  }
  return err;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const {port} = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An administrator's connection (to watch pg_stat_activity) over TCP with the test password. */
async function admin(): Promise<pg.Client> {
  const client = new pg.Client({host: env.host, port: env.port, user: env.user, password: env.password, database: 'postgres'});
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('connection faults are one line naming what to fix', () => {
  it('unreachable: names host:port and the URL key', async () => {
    const port = await freePort();
    const err = await userError(PostgresMetaStore.open({...base, target: {...base.target, port}}));
    expect(err.message).toBe(`Cannot reach the PostgreSQL metastore at 127.0.0.1:${port}: connection refused`);
    expect(err.hint).toContain('alluxio.master.metastore.postgres.url');
  });

  it('wrong password: names the user and the password key, never either password', async () => {
    const wrong = 'not-the-password-4711';
    const err = await userError(PostgresMetaStore.open({...base, password: wrong}), wrong);
    expect(err.message).toBe(`PostgreSQL at 127.0.0.1:${env.port} refused the password of user alluxio`);
    expect(err.hint).toContain('alluxio.master.metastore.postgres.password');
  });

  it('no password where the server asks one', async () => {
    const err = await userError(PostgresMetaStore.open({...base, password: undefined}));
    expect(err.message).toBe(`PostgreSQL at 127.0.0.1:${env.port} asks a password for user alluxio, and none is set`);
    expect(err.hint).toBe('Set alluxio.master.metastore.postgres.password');
  });

  it('missing database: names it and how to create it', async () => {
    const err = await userError(PostgresMetaStore.open({...base, target: {...base.target, database: 'nosuch'}}));
    expect(err.message).toBe(`The database nosuch does not exist at PostgreSQL 127.0.0.1:${env.port}`);
    expect(err.hint).toContain('createdb nosuch');
  });

  it('a database without the schema, when the command must not create it', async () => {
    await createDatabase(env, 'empty');
    const err = await userError(PostgresMetaStore.open({...base, target: {...base.target, database: 'empty'}, create: false}));
    expect(err.message).toBe(`No metastore in postgresql://alluxio@127.0.0.1:${env.port}/empty`);
    expect(await adminSql(env, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", 'empty')).toBe('0\n');
  });

});

describe('server restart', () => {
  const restart = () => pgProgram(env, 'pg_ctl', ['restart', '-D', env.dataDir, '-m', 'fast', '-w', '-l', path.join(env.socketDir, 'server.log')]);

  it('in the middle of a transaction: run again on a new connection, applied exactly once', async () => {
    const store = await PostgresMetaStore.open({...base, host: 'restart-test'});
    const watcher = await admin();
    try {
      await store.deleteInodeTree('/r');
      const n = 60_000;
      const paths = Array.from({length: n}, (_, i) => `/r/f${i}`);
      let calls = 0;
      const writing = store.modifyInodes(paths, (p, current) => {
        calls++;
        return {...(current ?? inode(p)), length: (current?.length ?? 0) + 1};
      });
      // Restart once the transaction has locked the store and is writing rows.
      await waitFor(async () => {
        const {rows} = await watcher.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'alluxio restart-test' AND query LIKE '%INSERT INTO inodes%'`,
        );
        return rows.length > 0 ? true : undefined;
      });
      await restart();
      await writing;
      expect(calls).toBe(2 * n);
      expect(await store.countInodes()).toBeGreaterThanOrEqual(n);
      const rows = await store.listDescendantInodes('/r');
      expect(rows).toHaveLength(n);
      expect(new Set(rows.map((r) => r.length))).toEqual(new Set([1]));
    } finally {
      await watcher.end().catch(() => undefined);
      await store.close();
    }
  });

  it('between commands: the next command reconnects', async () => {
    const store = await PostgresMetaStore.open(base);
    try {
      await store.setValue('before', '1');
      await restart();
      expect(await store.getValue('before')).toBe('1');
      await store.setValue('after', '2');
      expect(await store.getValue('after')).toBe('2');
    } finally {
      await store.close();
    }
  });
});

describe('the pool', () => {
  it('never opens more connections than the pool size, however many calls run at once', async () => {
    const store = await PostgresMetaStore.open({...base, host: 'pool-test', poolSize: 3});
    const watcher = await admin();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const {rows} = await watcher.query<{n: string}>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'alluxio pool-test'",
        );
        peak = Math.max(peak, Number(rows[0]!.n));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await Promise.all(
        Array.from({length: 200}, (_, i) =>
          i % 2 === 0 ? store.putInode(inode(`/pool/f${i}`)) : store.listDescendantInodes('/pool'),
        ),
      );
      expect(await store.countInodes()).toBeGreaterThanOrEqual(100);
    } finally {
      sampling = false;
      await sampler;
      await watcher.end();
      await store.close();
    }
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('migrates a database of schema version 1, keeping its namespace; its workers list in byte order after', async () => {
    await createDatabase(env, 'v1');
    const sql = async (statement: string) => adminSql(env, statement, 'v1');
    await sql(`${VERSION_TABLE_SQL}; INSERT INTO alluxio_schema (id, version) VALUES (1, 1)`);
    await sql(PG_MIGRATIONS[0]!);
    await sql("INSERT INTO store_info (id, generation) VALUES (1, 'g1'); INSERT INTO kv (key, value) VALUES ('k', 'v')");
    const store = await PostgresMetaStore.open({...base, target: {...base.target, database: 'v1'}});
    try {
      expect(store.generation).toBe('g1');
      expect(await store.getValue('k')).toBe('v');
      for (const host of ['b', 'B', 'a']) await store.heartbeat({host, lastContact: 1, capacityBytes: 1, usedBytes: 0});
      expect((await store.listWorkers()).map((w) => w.host)).toEqual(['B', 'a', 'b']);
    } finally {
      await store.close();
    }
    expect(await sql('SELECT version FROM alluxio_schema')).toBe(`${PG_SCHEMA_VERSION}\n`);
  });
});

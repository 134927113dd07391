/**
 * The master keeps one metastore for every web request: concurrent requests share its pool of connections
 * rather than each opening a pool (new connections, password authentication) of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {openMasterLog} from '../../../src/master/master-log.js';
import {createWebUiSource} from '../../../src/master/webui/source.js';
import {formatMetaStore, openMetaStore} from '../../../src/meta/open.js';
import {SharedMetaStore} from '../../../src/meta/shared-store.js';
import {createDatabase, type PgEnv, pgEnv} from '../../helpers/pg-env.js';

const DATABASE = 'masterpool';
const POOL_SIZE = 4;
const REQUESTS = 40;

let env: PgEnv;
let work: string;
let conf: Configuration;
let admin: pg.Client;

beforeAll(async () => {
  env = pgEnv();
  const url = await createDatabase(env, DATABASE);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-master-pool-'));
  conf = new Configuration();
  conf.set('alluxio.work.dir', work);
  conf.set('alluxio.logs.dir', path.join(work, 'logs'));
  conf.set('alluxio.worker.hostname', 'master-host');
  conf.set('alluxio.master.metastore', 'POSTGRES');
  conf.set('alluxio.master.metastore.postgres.url', url);
  conf.set('alluxio.master.metastore.postgres.password', 'env:ALLUXIO_TEST_PG_PASSWORD');
  conf.set('alluxio.master.metastore.postgres.pool.size', String(POOL_SIZE));
  process.env.ALLUXIO_TEST_PG_PASSWORD = env.password;
  await formatMetaStore(conf);
  // The count is read over a connection to another database, so that it does not count itself.
  admin = new pg.Client({host: env.host, port: env.port, user: env.user, password: env.password, database: 'postgres'});
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  delete process.env.ALLUXIO_TEST_PG_PASSWORD;
  fs.rmSync(work, {recursive: true, force: true});
});

async function connections(): Promise<number> {
  const {rows} = await admin.query<{n: number}>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [DATABASE]);
  return rows[0]!.n;
}

/** The most connections seen while REQUESTS page requests run at once on a web UI source. */
async function peakUnderLoad(store: SharedMetaStore | undefined): Promise<number> {
  const source = createWebUiSource({
    conf,
    log: openMasterLog(conf),
    jobs: {status: () => [], stop: async () => undefined},
    startedAt: Date.now(),
    address: () => ({host: '127.0.0.1', port: 19999}),
    ...(store && {store}),
  });
  await source.context.metricsBaseline;
  const pages = [() => source.overview(), () => source.mountTable(), () => source.workers(), () => source.info(false), () => source.browse({path: '/'})];
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await connections());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  try {
    await Promise.all(Array.from({length: REQUESTS}, (_, i) => pages[i % pages.length]!()));
  } finally {
    running = false;
    await sampler;
  }
  return peak;
}

describe('the master\'s metastore under concurrent web requests', () => {
  it(`stays within the pool size + 1 connections (${REQUESTS} requests, pool.size=${POOL_SIZE})`, async () => {
    const store = new SharedMetaStore(() => openMetaStore(conf));
    try {
      const shared = await peakUnderLoad(store);
      const perRequest = await peakUnderLoad(undefined);
      console.log(`[master-pool] peak connections, ${REQUESTS} concurrent requests: shared store ${shared}, a store per request ${perRequest}`);
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(POOL_SIZE + 1);
    } finally {
      await store.close();
    }
    // Closed, it leaves no connection behind (the server notices a closed one within a moment).
    const deadline = Date.now() + 5000;
    while ((await connections()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await connections()).toBe(0);
  }, 120_000);
});

/**
 * `alluxio runTests` on the local default root mount with the namespace in PostgreSQL (bin/alluxio from dist/): all
 * 24 pass, the files only Alluxio holds are rows of the database naming this worker, and no SQLite file is made.
 */
import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, expect, it} from 'vitest';

import {cleanupHomes, lines, makeHome} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {adminSql, createDatabase, pgEnv} from '../../helpers/pg-env.js';

afterAll(cleanupHomes);

/** Every file below `dir`, as paths relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? filesBelow(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

it('passes all 24 tests on the local default, with the namespace in PostgreSQL and no metastore.db', async () => {
  const env = pgEnv();
  const url = await createDatabase(env, 'runtests_local');
  const home = makeHome({
    site: {
      'alluxio.master.metastore': 'POSTGRES',
      'alluxio.master.metastore.postgres.url': url,
      'alluxio.master.metastore.postgres.password': 'env:RUNTESTS_PG_PASSWORD',
      'alluxio.worker.hostname': 'ci-host',
    },
    env: {RUNTESTS_PG_PASSWORD: env.password},
  });
  expectSuccess(await home.run(['format']));
  const r = await home.run(['runTests'], {timeoutMs: 120_000});
  expectSuccess(r);
  expect(lines(r.stdout).filter((l) => l.includes('Passed the test!'))).toHaveLength(24);
  expect(`${r.stdout}${r.stderr}`).not.toContain(env.password);
  const rows = await adminSql(env, "SELECT count(*) FROM inodes WHERE state = 'NOT_PERSISTED' AND cache_host = 'ci-host'", 'runtests_local');
  expect(rows).toBe('6\n');
  expect(filesBelow(home.dir).filter((f) => f.endsWith('metastore.db'))).toEqual([]);
});

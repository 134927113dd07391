/**
 * `bin/alluxio runTests` against radosgw (facts §5.7): 24 tests pass on an S3 root mount from the site file (with the
 * namespace in SQLite, and in PostgreSQL) and on a nested S3 mount; the 18 persisted files (not the 6 MUST_CACHE
 * ones) are then in the bucket, as an independent client (aws-cli) lists them.
 */
import {readdirSync} from 'node:fs';
import {hostname} from 'node:os';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {adminSql, createDatabase, pgEnv} from '../../helpers/pg-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';
import {awsList, guardSecrets, keyOptions, s3Home, userKeys} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const READ_TYPES = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'];
const WRITE_TYPES = ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'];
const OPS = ['BASIC', 'BASIC_NON_BYTE_BUFFER'];
const PASSED = '\u001b[32mPassed the test!\u001b[0m';

/** The 24 tests in TestRunner's order. */
const TESTS = READ_TYPES.flatMap((rt) => WRITE_TYPES.flatMap((wt) => OPS.map((op) => ({op, rt, wt}))));

/** The 18 files that reach the under storage, with their sizes (BASIC: 20 ints; NON_BYTE_BUFFER: count + 20 ints). */
const PERSISTED = TESTS.filter((t) => t.wt !== 'MUST_CACHE')
  .map((t) => ({name: `${t.op}_${t.rt}_${t.wt}`, size: t.op === 'BASIC' ? 80 : 84}))
  .sort((a, b) => (a.name < b.name ? -1 : 1));

function expectAllPassed(r: RunResult, dir: string): void {
  const d = describeResult(r);
  expect(r.timedOut, d).toBe(false);
  expect(r.code, d).toBe(0);
  expect(r.stderr, d).toBe('');
  const out = lines(r.stdout);
  expect(out.filter((l) => l.startsWith('runTest ')), d).toEqual(
    TESTS.map((t) => `runTest --operation ${t.op} --readType ${t.rt} --writeType ${t.wt}`),
  );
  expect(out.filter((l) => l === PASSED), d).toHaveLength(24);
  expect(r.stdout, d).not.toContain('Failed the test!');
  expect(r.stdout, d).not.toContain('Number of failed tests');
  const prefix = dir === '/' ? '/default_tests_files/' : `${dir}/default_tests_files/`;
  const written = out.map((l) => / - writeFile to file (\S+) took \d+ ms\.$/.exec(l)?.[1]).filter((p) => p !== undefined);
  expect(written, d).toEqual(TESTS.map((t) => `${prefix}${t.op}_${t.rt}_${t.wt}`));
}

/** What aws-cli sees under `prefix`: exactly the 18 files, besides directory markers. */
async function expectPersisted(bucket: string, prefix: string): Promise<void> {
  const objects = await awsList(bucket, prefix);
  const files = objects.filter((o) => !o.key.endsWith('/'));
  const markers = objects.filter((o) => o.key.endsWith('/')).map((o) => o.key);
  expect(files).toEqual(PERSISTED.map((p) => ({key: `${prefix}default_tests_files/${p.name}`, size: p.size})));
  for (const m of markers) expect([prefix, `${prefix}default_tests_files/`]).toContain(m);
}

/** What `fs ls` shows after runTests: its 24 files, the 6 MUST_CACHE ones NOT_PERSISTED. */
async function expectListedStates(home: Home): Promise<void> {
  const ls = await home.run(['fs', 'ls', '/default_tests_files']);
  expectSuccess(ls);
  const states = lines(ls.stdout).map((l) => [l.slice(103).trimEnd(), l.slice(57, 73).trim()]);
  expect(states).toHaveLength(24);
  for (const [path, state] of states) {
    expect(state, path).toBe(path!.endsWith('_MUST_CACHE') ? 'NOT_PERSISTED' : 'PERSISTED');
  }
}

describe.concurrent('runTests on S3', () => {
  let bucket: string;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-runtests'));
    await putObjects(bucket, {'root/': '', 'nested/': '', 'pg/': ''});
  });

  afterAll(async () => {
    await emptyAndDeleteBucket(bucket);
  });

  it('root mount from the site file: 24 tests pass, the 18 persisted files are in the bucket', async () => {
    const k = userKeys(1);
    const home = s3Home({
      site: {
        'alluxio.master.mount.table.root.ufs': `s3://${bucket}/root`,
        's3a.accessKeyId': k.id,
        's3a.secretKey': k.secret,
      },
    });
    const r = await home.run(['runTests'], {timeoutMs: 150_000});
    expectAllPassed(r, '/');
    await expectPersisted(bucket, 'root/');
    // and the CLI sees the same: 24 files, the 6 MUST_CACHE ones NOT_PERSISTED
    await expectListedStates(home);
  }, 200_000);

  it('root mount with the namespace in PostgreSQL: 24 tests pass, the rows are in the database, no SQLite file', async () => {
    const k = userKeys(1);
    const pg = pgEnv();
    const url = await createDatabase(pg, 'runtests');
    const home = s3Home({
      site: {
        'alluxio.master.mount.table.root.ufs': `s3://${bucket}/pg`,
        's3a.accessKeyId': k.id,
        's3a.secretKey': k.secret,
        'alluxio.master.metastore': 'POSTGRES',
        'alluxio.master.metastore.postgres.url': url,
        'alluxio.master.metastore.postgres.password': 'env:RUNTESTS_PG_PASSWORD',
      },
      env: {RUNTESTS_PG_PASSWORD: pg.password},
    });
    const r = await home.run(['runTests'], {timeoutMs: 150_000});
    expectAllPassed(r, '/');
    expect(r.stdout).not.toContain(pg.password);
    await expectPersisted(bucket, 'pg/');
    await expectListedStates(home);
    // The 6 files only Alluxio has are rows of the database, each naming the worker that holds its data.
    const rows = await adminSql(pg, "SELECT path, state, cache_host FROM inodes WHERE state <> 'PERSISTED' ORDER BY path", 'runtests');
    expect(rows.trim().split('\n')).toEqual(
      TESTS.filter((t) => t.wt === 'MUST_CACHE').map((t) => `/default_tests_files/${t.op}_${t.rt}_${t.wt}|NOT_PERSISTED|${hostname()}`).sort(),
    );
    expect(readdirSync(home.dir, {recursive: true}).map(String).filter((f) => f.endsWith('metastore.db'))).toEqual([]);
  }, 200_000);

  it('nested mount (fs mount --option keys /mnt/s3 s3://bucket/dir): runTests --directory /mnt/s3', async () => {
    const home = s3Home();
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']), ['Successfully created directory /mnt']);
    expectSuccess(await home.run(['fs', 'mount', ...keyOptions(1), '/mnt/s3', `s3://${bucket}/nested`]), [
      `Mounted s3://${bucket}/nested at /mnt/s3`,
    ]);
    const r = await home.run(['runTests', '--directory', '/mnt/s3'], {timeoutMs: 150_000});
    expectAllPassed(r, '/mnt/s3');
    await expectPersisted(bucket, 'nested/');
    // nothing of it went to the local root
    const rootLs = await home.run(['fs', 'ls', '/']);
    expectSuccess(rootLs);
    expect(lines(rootLs.stdout).map((l) => l.slice(103).trimEnd())).toEqual(['/mnt']);
  }, 200_000);
});

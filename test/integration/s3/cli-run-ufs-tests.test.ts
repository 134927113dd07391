/**
 * `alluxio runUfsTests` against radosgw (facts §4): the 43 common operations and the 4 S3 ones pass with the
 * settings given as -D, nothing is left in the bucket (objects or multipart uploads), --test selects, and a store
 * that refuses an operation (CopyObject, behind a fault proxy) fails exactly the tests that need it, by name, with
 * the S3 operations involved and the number of failures as exit code.
 */
import {ListMultipartUploadsCommand} from '@aws-sdk/client-s3';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {COMMON_TESTS, FAILED, PASSED, allPassed} from '../../helpers/ufs-tests.js';
import {type Home, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {type FaultProxy, startFaultProxy} from '../../helpers/fault-proxy.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, keyProperties, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

const S3_TESTS = ['createEmptyFileTest', 'createFileLessThanOnePartTest', 'createMultipartFileTest', 'createAndAbortMultipartFileTest'];
const RENAME_TESTS = COMMON_TESTS.filter((name) => name.startsWith('rename'));
const ABORT_NOTICE =
  'Waiting for the in progress upload to be finished so that we can abort it. This file may need longer time to upload which may cause test to fail.';

async function uploadsOf(bucket: string): Promise<string[]> {
  const out = await s3Client().send(new ListMultipartUploadsCommand({Bucket: bucket}));
  return (out.Uploads ?? []).map((u) => u.Key!);
}

describe('runUfsTests on radosgw', () => {
  let bucket: string;
  let home: Home;
  let proxy: FaultProxy;

  beforeAll(async () => {
    ({bucket} = await freshBucket('ufs-tests'));
    await putObjects(bucket, {'check/kept.txt': 'mine'});
    // The endpoint in the site file; the keys only on the command line, as Alluxio's operators pass them.
    home = s3Home();
    proxy = await startFaultProxy(s3Env().endpoint);
  });

  afterAll(async () => {
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('passes the 43 common and the 4 S3 operations, in order, and leaves nothing in the bucket', async () => {
    const junit = join(home.dir, 'ufs.xml');
    const r = await home.run(['runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), '--junit', junit], {timeoutMs: 300_000});
    const d = describeResult(r);
    expect(r.code, d).toBe(0);
    expect(r.stderr, d).toBe('');
    const expected = allPassed([...COMMON_TESTS, ...S3_TESTS]);
    // The abort test says what it waits for before its result, as Alluxio does.
    expected.splice(expected.indexOf('Running test: createAndAbortMultipartFileTest...') + 1, 0, ABORT_NOTICE);
    expect(lines(r.stdout), d).toEqual(expected);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="alluxio.runUfsTests" tests="47" failures="0"');
    expect(await listAllKeys(bucket)).toEqual(['check/kept.txt']);
    expect(await uploadsOf(bucket)).toEqual([]);
  });

  it('--test runs the named tests only, common and S3 ones, with a --json report', async () => {
    const r = await home.run([
      'runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), '--json',
      '--test', 'createMultipartFileTest', '--test', 'objectCommonPrefixesListStatusRecursiveTest',
    ], {timeoutMs: 120_000});
    expect(r.code, describeResult(r)).toBe(0);
    const out = JSON.parse(r.stdout) as {failed: number; results: {name: string; suite: string; passed: boolean; skipped: boolean}[]};
    expect(out.failed).toBe(0);
    expect(out.results.map((t) => [t.name, t.suite, t.passed, t.skipped])).toEqual([
      ['objectCommonPrefixesListStatusRecursiveTest', 'common', true, false],
      ['createMultipartFileTest', 's3', true, false],
    ]);
    expect(await listAllKeys(bucket)).toEqual(['check/kept.txt']);
  });

  it('a store that refuses CopyObject fails the rename tests by name; exit code = failures; nothing left', async () => {
    proxy.inject({
      match: (req) => req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined,
      fault: {respond: {status: 403, headers: {'content-type': 'application/xml'}, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'}},
      times: Infinity,
    });
    const r = await home.run(
      ['runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), `-Dalluxio.underfs.s3.endpoint=${proxy.url}`, '--test', 'createOpenTest', ...RENAME_TESTS.flatMap((n) => ['--test', n])],
      {timeoutMs: 120_000},
    );
    proxy.heal();
    const d = describeResult(r);
    expect(r.code, d).toBe(RENAME_TESTS.length);
    const out = lines(r.stdout);
    expect(out.slice(0, 2), d).toEqual(['Running test: createOpenTest...', PASSED]);
    for (const name of RENAME_TESTS) {
      const at = out.indexOf(`Running test: ${name}...`);
      expect(at, d).toBeGreaterThan(0);
      expect(out[at + 1], d).toMatch(/^Related S3 operations: (upload|putObject), .*copyObject/);
      expect(out[at + 2], d).toBe(`Operation ${name} failed`);
      expect(out[at + 3], d).toMatch(/denied/i);
      expect(out[at + 4], d).toBe(FAILED);
    }
    expect(out.at(-1), d).toBe(`Tests completed with ${RENAME_TESTS.length} failed.`);
    expect(await listAllKeys(bucket)).toEqual(['check/kept.txt']);
  });

  it('request budget: one test (createOpenTest) costs the test folder, the write, the read and the clean-up', async () => {
    const mark = proxy.requests.length;
    const r = await home.run(['runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), `-Dalluxio.underfs.s3.endpoint=${proxy.url}`, '--test', 'createOpenTest']);
    expect(r.code, describeResult(r)).toBe(0);
    const requests = proxy.requests
      .slice(mark)
      .map((q) => `${q.method} ${decodeURIComponent(q.path).replace(`/${bucket}/`, '/B/').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '<uuid>')}`);
    expect(requests).toEqual([
      // mkdirs <uuid>: is it there (HEAD, LIST of 1), then its marker
      'HEAD /B/check/<uuid>',
      'GET /B/?list-type=2&max-keys=1&prefix=check/<uuid>/',
      'PUT /B/check/<uuid>/?x-id=PutObject',
      // the test: one PUT, one GET
      'PUT /B/check/<uuid>/createOpen?x-id=PutObject',
      'GET /B/check/<uuid>/createOpen?x-id=GetObject',
      // emptying the folder after the test: the owner for the listing (bucket ACL), one LIST page, one DELETE per child
      'GET /?x-id=ListBuckets',
      'GET /B/?acl=',
      'GET /B/?delimiter=/&list-type=2&max-keys=50&prefix=check/<uuid>/',
      'DELETE /B/check/<uuid>/createOpen?x-id=DeleteObject',
      // removing the folder: is it there, then its keys and its marker
      'GET /B/?list-type=2&max-keys=1&prefix=check/<uuid>/',
      'GET /B/?list-type=2&max-keys=50&prefix=check/<uuid>/',
      'POST /B/?delete=',
      'POST /B/?delete=',
    ]);
  });
});

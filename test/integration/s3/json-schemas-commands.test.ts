/**
 * The `--json` output of the commands outside `fs` that talk to S3, against radosgw, checked against their committed
 * schemas: doctor s3 (healthy through a mount and a URI, --write, a missing bucket, a bucket of another user),
 * runUfsTests on s3:// (passing, and failing behind a proxy that refuses CopyObject), runUfsIOTest (passing, and
 * with every read refused: the summary on stdout and the error object on stderr). The local cases are in
 * test/e2e/json-schemas-commands.test.ts.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, describeResult} from '../../helpers/cli.js';
import {type FaultProxy, startFaultProxy} from '../../helpers/fault-proxy.js';
import {expectErrorJson, expectSchema} from '../../helpers/json-schemas.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, uniqueBucketName} from '../../helpers/s3.js';
import {guardSecrets, keyOptions, keyProperties, s3Home, userKeys} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

/** stdout is one JSON document matching `schema`, with exit `code` and nothing on stderr. */
function expectJson<T>(r: RunResult, schema: string, code = 0): T {
  const d = describeResult(r);
  expect(r.code, d).toBe(code);
  expect(r.stderr, d).toBe('');
  const value = JSON.parse(r.stdout) as T;
  expectSchema(schema, value);
  return value;
}

interface Diagnosis {
  mountPoint?: string;
  healthy: boolean;
  probes: {name: string; status: string}[];
}

const statuses = (d: Diagnosis) => d.probes.map((p) => [p.name, p.status]);

let bucket: string;
let proxy: FaultProxy;

beforeAll(async () => {
  ({bucket} = await freshBucket('json-schemas'));
  await putObjects(bucket, {'dir/': '', 'dir/a.txt': 'a'});
  proxy = await startFaultProxy(s3Env().endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await emptyAndDeleteBucket(bucket);
});

describe('doctor s3 --json', () => {
  let home: Home;
  const uri = () => `s3://${bucket}/dir`;

  beforeAll(async () => {
    home = s3Home();
    expect((await home.run(['fs', 'mkdir', '/mnt'])).code).toBe(0);
    const mounted = await home.run(['fs', 'mount', ...keyOptions(1), '/mnt/s3', uri()]);
    expect(mounted.code, describeResult(mounted)).toBe(0);
  });

  it('healthy through a mount (with its mount point), and --write', async () => {
    const [plain, write] = await Promise.all([
      home.run(['doctor', 's3', '/mnt/s3', '--json']),
      home.run(['doctor', 's3', '--write', '/mnt/s3', '--json']),
    ]);
    expect(expectJson<Diagnosis>(plain, 'doctor/s3')).toMatchObject({mountPoint: '/mnt/s3', healthy: true});
    expect(statuses(expectJson<Diagnosis>(write, 'doctor/s3')).at(-1)).toEqual(['write', 'ok']);
  });

  it('healthy on a URI outside every mount: no mount point', async () => {
    const other = s3Home();
    const r = await other.run(['doctor', ...keyProperties(1), 's3', uri(), '--json']);
    const report = expectJson<Diagnosis>(r, 'doctor/s3');
    expect(report.healthy).toBe(true);
    expect('mountPoint' in report).toBe(false);
  });

  it('a bucket that does not exist, and a bucket of another user: not healthy, exit 1, the report on stdout', async () => {
    const other = s3Home();
    const [missing, forbidden] = await Promise.all([
      other.run(['doctor', ...keyProperties(1), 's3', `s3://${uniqueBucketName('json-missing')}/dir`, '--json']),
      other.run(['doctor', ...keyProperties(2), 's3', uri(), '--json']),
    ]);
    for (const r of [missing, forbidden]) {
      const report = expectJson<Diagnosis>(r, 'doctor/s3', 1);
      expect(report.healthy).toBe(false);
      expect(statuses(report)).toContainEqual(['list', 'failed']);
    }
  });
});

describe('runUfsTests --json on s3://', () => {
  it('passing: a common and an S3 test', async () => {
    const home = s3Home();
    const r = await home.run(
      ['runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), '--test', 'createAtomicTest', '--test', 'createMultipartFileTest', '--json'],
      {timeoutMs: 120_000},
    );
    const out = expectJson<{results: {suite: string}[]}>(r, 'runUfsTests');
    expect(out.results.map((t) => t.suite)).toEqual(['common', 's3']);
  });

  it('failing behind a store that refuses CopyObject: exit = failures, the failed test with its S3 operations', async () => {
    proxy.inject({
      match: (req) => req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined,
      fault: {respond: {status: 403, headers: {'content-type': 'application/xml'}, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'}},
      times: Infinity,
    });
    try {
      const home = s3Home({site: {'alluxio.underfs.s3.endpoint': proxy.url}});
      const r = await home.run(['runUfsTests', '--path', `s3://${bucket}/check`, ...keyProperties(1), '--test', 'createOpenTest', '--test', 'renameFileTest', '--json'], {
        timeoutMs: 120_000,
      });
      const out = expectJson<{failed: number; results: {name: string; passed: boolean; relatedOperations: string[]}[]}>(r, 'runUfsTests', 1);
      expect(out.failed).toBe(1);
      const failed = out.results.find((t) => !t.passed);
      expect(failed?.name).toBe('renameFileTest');
      expect(failed?.relatedOperations).toContain('copyObject');
    } finally {
      proxy.heal();
    }
  });
});

describe('runUfsIOTest --json on s3://', () => {
  const confKeys = () => ['--conf', `s3a.accessKeyId=${userKeys(1).id}`, '--conf', `s3a.secretKey=${userKeys(1).secret}`];

  it('passing', async () => {
    const home = s3Home();
    const r = await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1m', '--threads', '2', ...confKeys(), '--json']);
    expect(expectJson<{errors: string[]}>(r, 'runUfsIOTest').errors).toEqual([]);
  });

  it('reads refused: the summary with its errors on stdout, then the error object on stderr, exit 255', async () => {
    proxy.inject({match: (q) => q.method === 'GET' && q.path.includes('/io-benchmark-'), fault: {respond: {status: 403, body: ''}}, times: Infinity});
    try {
      const home = s3Home({site: {'alluxio.underfs.s3.endpoint': proxy.url}});
      const r = await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1k', '--threads', '2', ...confKeys(), '--json']);
      const d = describeResult(r);
      expect(r.code, d).toBe(255);
      const summary = JSON.parse(r.stdout) as {errors: string[]};
      expectSchema('runUfsIOTest', summary);
      expect(summary.errors).toHaveLength(2);
      const {error} = expectErrorJson(r.stderr);
      expect(error.kind, d).toBe('IO');
      expect(error.message, d).toMatch(/^2 of the writes and reads failed, the first: S3 denied GetObject/);
    } finally {
      proxy.heal();
    }
  });
});

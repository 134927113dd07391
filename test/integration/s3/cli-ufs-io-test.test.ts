/**
 * `bin/alluxio runUfsIOTest` against radosgw (facts §5): credentials and endpoint from --conf as mount options,
 * Alluxio's JSON summary, and nothing left in the bucket after a run, a refused write, or failing reads.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {type FaultProxy, startFaultProxy} from '../../helpers/fault-proxy.js';
import {startRecordingProxy} from '../../helpers/recording-proxy.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';
import {guardSecrets, s3Home, userKeys} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

const KEPT = ['bench/kept.txt', 'other.txt'];
const confKeys = (user: 1 | 2) => {
  const k = userKeys(user);
  return ['--conf', `s3a.accessKeyId=${k.id}`, '--conf', `s3a.secretKey=${k.secret}`];
};

describe('runUfsIOTest on radosgw', () => {
  let bucket: string;
  let proxy: FaultProxy;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-ufs-io'));
    await putObjects(bucket, {'bench/kept.txt': 'kept', 'other.txt': 'other'});
    proxy = await startFaultProxy(s3Env().endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it("writes, reads and deletes --threads objects with the --conf keys, printing Alluxio's summary", async () => {
    const home = s3Home();
    const path = `s3://${bucket}/bench`;
    const r = await home.run(['runUfsIOTest', '--path', path, '--io-size', '6m', '--threads', '2', ...confKeys(1)]);
    expectSuccess(r);
    const summary = JSON.parse(r.stdout);
    expect(summary.errors).toEqual([]);
    expect(summary.points.map((p: {mMode: string; mDataSizeBytes: number}) => [p.mMode, p.mDataSizeBytes])).toEqual([
      ['WRITE', 6 * 1024 * 1024],
      ['WRITE', 6 * 1024 * 1024],
      ['READ', 6 * 1024 * 1024],
      ['READ', 6 * 1024 * 1024],
    ]);
    expect(summary.parameters).toEqual({
      mThreads: 2,
      mDataSize: '6m',
      mPath: path,
      mUseUfsConf: false,
      mConf: {'s3a.accessKeyId': '******', 's3a.secretKey': '******'},
    });
    for (const stat of [summary.writeSpeedStat, summary.readSpeedStat]) {
      expect(stat.mTotalSizeBytes).toBe(12 * 1024 * 1024);
      expect(stat.mAggregateSpeedMbps).toBeGreaterThan(0);
      expect(stat.className).toBe('alluxio.stress.worker.IOTaskSummary$SpeedStat');
    }
    expect((await listAllKeys(bucket)).sort()).toEqual(KEPT);
  });

  it('a key that may not write (user2 on user1\'s bucket): one line, exit 255, nothing written', async () => {
    const home = s3Home();
    const r = await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1k', ...confKeys(2)]);
    expectError(r, /^S3 denied PutObject on s3:\/\/\S+\/bench\/UfsIOTest-\S+\/io-benchmark-\S+ \(HTTP 403 AccessDenied\) for access key \*+0002 /, {hint: true});
    expect((await listAllKeys(bucket)).sort()).toEqual(KEPT);
  });

  it('reads that fail: the summary lists the errors, exit 255, and the written objects are deleted', async () => {
    proxy.inject({match: (q) => q.method === 'GET' && q.path.includes('/io-benchmark-'), fault: {respond: {status: 403, body: ''}}, times: Infinity});
    try {
      const home = s3Home({site: {'alluxio.underfs.s3.endpoint': proxy.url}});
      const r = await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1m', '--threads', '2', ...confKeys(1)]);
      expect(r.code, describeResult(r)).toBe(255);
      const summary = JSON.parse(r.stdout);
      expect(summary.points.map((p: {mMode: string}) => p.mMode)).toEqual(['WRITE', 'WRITE']);
      expect(summary.errors).toHaveLength(2);
      for (const error of summary.errors) expect(error).toMatch(/^S3 denied GetObject on s3:\/\/\S+\/io-benchmark-\S+ \(HTTP 403 Forbidden\)/);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(lines(r.stderr)[0]).toMatch(/^WARN: 2 of the writes and reads failed, the first: \S/);
    } finally {
      proxy.heal();
    }
    expect((await listAllKeys(bucket)).sort()).toEqual(KEPT);
  });

  it('an unreachable store: one line, exit 255', async () => {
    const home = s3Home({site: {'alluxio.underfs.s3.endpoint': 'http://127.0.0.1:9', 'alluxio.underfs.s3.max.error.retry': '0'}});
    expectError(
      await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1k', ...confKeys(1)]),
      /^Failed to .*: the connection was refused \(PutObject\)$/,
      {hint: true},
    );
  });

  it('request budget: per thread 1 PUT and 1 GET (below the part size), then the cleanup: its LIST, a DeleteObjects of the files and one of the folder marker', async () => {
    const recorder = await startRecordingProxy(s3Env().endpoint);
    try {
      const home = s3Home({site: {'alluxio.underfs.s3.endpoint': recorder.url}});
      expectSuccess(await home.run(['runUfsIOTest', '--path', `s3://${bucket}/bench`, '--io-size', '1m', '--threads', '3', ...confKeys(1)]));
      const described = recorder.requests.map((r) => {
        const url = new URL(r.path, 'http://x');
        if (url.searchParams.has('list-type')) return `LIST ${url.searchParams.get('prefix')}`;
        if (url.searchParams.has('delete')) return 'DeleteObjects';
        return `${r.method} ${decodeURIComponent(url.pathname).replace(/UfsIOTest-[^/]+\/io-benchmark-[^/]+-/, 'T/io-')}`;
      });
      expect(described.filter((d) => d.startsWith('PUT')).sort()).toEqual([0, 1, 2].map((i) => `PUT /${bucket}/bench/T/io-${i}`));
      expect(described.filter((d) => d.startsWith('GET')).sort()).toEqual([0, 1, 2].map((i) => `GET /${bucket}/bench/T/io-${i}`));
      expect(described.slice(6)).toEqual([expect.stringMatching(/^LIST bench\/UfsIOTest-[^/]+\/$/), 'DeleteObjects', 'DeleteObjects']);
      expect(described).toHaveLength(9);
    } finally {
      await recorder.close();
    }
    expect((await listAllKeys(bucket)).sort()).toEqual(KEPT);
  });
});

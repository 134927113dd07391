/**
 * `bin/alluxio fs cp` between S3 mounts on radosgw, every request seen at a recording proxy: between two mounts
 * of one bucket and of two buckets (same endpoint and keys) the data is copied on the server (CopyObject, no GET
 * of the data); above alluxio.underfs.s3.multipart.copy.threshold as a multipart copy (UploadPartCopy); between
 * a local and an S3 mount, or S3 mounts with other keys, it is streamed. `cp -R` of N files costs the listing
 * pages and N copies.
 */
import {createHash, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {GetObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {type RecordedRequest, type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, keyOptions, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {grantUser2} from '../../helpers/s3-fs.js';

guardSecrets();
afterAll(cleanupHomes);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const out = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: key}));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** `METHOD /bucket/key?query [copy-source]`, for reading a request log at a glance. */
function describeRequest(r: RecordedRequest): string {
  const source = r.headers['x-amz-copy-source'];
  const range = r.headers['x-amz-copy-source-range'];
  return `${r.method} ${decodeURIComponent(r.path.replace(/[?&]x-id=[^&]*/, ''))}${source ? ` <- ${source}` : ''}${range ? ` ${range}` : ''}`;
}

describe('fs cp between S3 mounts', () => {
  let a: string;
  let b: string;
  let home: Home;
  let proxy: RecordingProxy;
  const big = randomBytes(12 * 1024 * 1024);
  const names = Array.from({length: 30}, (_, i) => `f${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    ({bucket: a} = await freshBucket('cp-a'));
    ({bucket: b} = await freshBucket('cp-b'));
    await putObjects(a, {'dst/': '', 'src/one.txt': 'one\n', ...Object.fromEntries(names.map((n) => [`tree/${n}`, `${n}\n`])), 'tree/sub/deep.txt': 'deep\n'});
    await putObjects(b, {'copies/': '', 'other/': ''});
    await grantUser2(b, ['READ', 'WRITE', 'READ_ACP']);
    proxy = await startRecordingProxy(s3Env().endpoint);
    home = s3Home({keys: 1});
    const viaProxy = ['--option', `alluxio.underfs.s3.endpoint=${proxy.url}`];
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', ...viaProxy, '/mnt/a1', `s3://${a}/src`]));
    expectSuccess(await home.run(['fs', 'mount', ...viaProxy, '/mnt/a2', `s3://${a}/dst`]));
    expectSuccess(await home.run(['fs', 'mount', ...viaProxy, '/mnt/tree', `s3://${a}/tree`]));
    expectSuccess(await home.run(['fs', 'mount', ...viaProxy, '/mnt/b', `s3://${b}/copies`]));
    expectSuccess(await home.run(['fs', 'mount', ...viaProxy, ...keyOptions(2), '/mnt/other-keys', `s3://${b}/other`]));
    const local = join(home.dir, 'big.bin');
    writeFileSync(local, big);
    expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', local, '/mnt/a1/big.bin']));
  });

  afterAll(async () => {
    await proxy?.close();
    await emptyAndDeleteBucket(a);
    await emptyAndDeleteBucket(b);
  });

  async function cp(...args: string[]): Promise<string[]> {
    proxy.clear();
    const r = await home.run(['fs', 'cp', ...args]);
    expect(r.code, describeResult(r)).toBe(0);
    return proxy.requests.map(describeRequest);
  }

  it('one file between two mounts of one bucket: one CopyObject, no GET, in a fixed handful of requests', async () => {
    const requests = await cp('/mnt/a1/one.txt', '/mnt/a2/one.txt');
    expect(requests).toEqual([
      `HEAD /${a}/src/one.txt`,
      `HEAD /${a}/dst/one.txt`,
      `GET /${a}/?list-type=2&max-keys=1&prefix=dst/one.txt/`,
      `PUT /${a}/dst/one.txt <- ${a}/src/one.txt`,
    ]);
    expect((await objectBytes(a, 'dst/one.txt')).toString()).toBe('one\n');
  });

  it('one file to another bucket of the same store and keys: CopyObject across buckets', async () => {
    const requests = await cp('/mnt/a1/one.txt', '/mnt/b/one.txt');
    expect(requests.filter((r) => r.startsWith('PUT'))).toEqual([`PUT /${b}/copies/one.txt <- ${a}/src/one.txt`]);
    expect(requests.filter((r) => r.startsWith('GET') && !r.includes('list-type'))).toEqual([]);
    expect((await objectBytes(b, 'copies/one.txt')).toString()).toBe('one\n');
  });

  it('above the copy threshold: a multipart copy of 5 MB parts pinned to the ETag, byte-identical', async () => {
    proxy.clear();
    const r = await home.run([
      'fs',
      '-Dalluxio.underfs.s3.multipart.copy.threshold=5MB',
      '-Dalluxio.underfs.s3.streaming.upload.partition.size=5MB',
      'cp',
      '/mnt/a1/big.bin',
      '/mnt/b/big.bin',
    ]);
    expectSuccess(r, ['Copied /mnt/a1/big.bin to /mnt/b/big.bin']);
    const requests = proxy.requests.map(describeRequest);
    const parts = proxy.requests.filter((q) => q.method === 'PUT' && /partNumber=/.test(q.path));
    expect(parts.map((q) => q.headers['x-amz-copy-source-range']).sort()).toEqual([
      'bytes=0-5242879',
      'bytes=10485760-12582911',
      'bytes=5242880-10485759',
    ]);
    expect(parts.every((q) => q.headers['x-amz-copy-source'] === `${a}/src/big.bin` && q.headers['x-amz-copy-source-if-match'])).toBe(true);
    expect(requests.filter((q) => q.startsWith('POST'))).toHaveLength(2);
    expect(requests.filter((q) => q.startsWith(`GET /${a}/src/big.bin`))).toEqual([]);
    expect(sha(await objectBytes(b, 'copies/big.bin'))).toBe(sha(big));
  });

  it('cp -R of 31 files: the listing pages and 31 CopyObjects, nothing else per file', async () => {
    const requests = await cp('-R', '--thread', '8', '/mnt/tree', '/mnt/b/tree');
    const copies = requests.filter((r) => r.includes(' <- '));
    expect(copies).toHaveLength(31);
    // the destination's status (2) and one recursive LIST page of the source (a mount point: no status request)
    expect(requests.filter((r) => !r.includes(' <- '))).toEqual([
      `HEAD /${b}/copies/tree`,
      `GET /${b}/?list-type=2&max-keys=1&prefix=copies/tree/`,
      `GET /${a}/?list-type=2&max-keys=1000&prefix=tree/`,
    ]);
    expect((await listAllKeys(b, {prefix: 'copies/tree/'})).sort()).toEqual([...names.map((n) => `copies/tree/${n}`), 'copies/tree/sub/deep.txt'].sort());
    expect((await objectBytes(b, 'copies/tree/sub/deep.txt')).toString()).toBe('deep\n');
  });

  it('other keys on the destination mount: streamed (GET then PUT), not copied on the server', async () => {
    const requests = await cp('/mnt/a1/one.txt', '/mnt/other-keys/streamed.txt');
    expect(requests.filter((r) => r.includes(' <- '))).toEqual([]);
    expect(requests).toContain(`GET /${a}/src/one.txt`);
    expect(requests).toContain(`PUT /${b}/other/streamed.txt`);
  });

  it('between the local root mount and S3, both ways: streamed', async () => {
    // the earlier streamed copy read one.txt with the CACHE read type: it comes from the worker cache
    const up = await cp('/mnt/a1/one.txt', '/local-one.txt');
    expect(up).toEqual([`HEAD /${a}/src/one.txt`]);
    const down = await cp('/local-one.txt', '/mnt/a2/from-local.txt');
    expect(down.filter((r) => r.startsWith('PUT'))).toEqual([`PUT /${a}/dst/from-local.txt`]);
    expect((await objectBytes(a, 'dst/from-local.txt')).toString()).toBe('one\n');
    const r = await home.run(['fs', 'cat', '/local-one.txt']);
    expect(lines(r.stdout)).toEqual(['one']);
  });
});

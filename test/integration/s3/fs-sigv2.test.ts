/**
 * alluxio.underfs.s3.signer.algorithm=S3SignerType through the FileSystem: every operation the S3 UFS makes
 * (mount with its ACL calls, mkdir, staged and multipart writes, streaming writes, listings, reads, renames,
 * deletes) succeeds against radosgw, and every request on the wire is signed with Signature V2.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, headObject, listPaths, openS3Fs, operationOf, pattern, readFs, s3Mount, writeFs} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

const MB = 1024 * 1024;
const V2 = {'alluxio.underfs.s3.signer.algorithm': 'S3SignerType', 'alluxio.underfs.s3.streaming.upload.partition.size': '5MB'};

describe('Signature V2 through the FileSystem', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  let t: S3Fs;

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-sigv2'));
    await putObjects(bucket, ['v2/', 'v2s/', 'v2/seed/', 'v2/seed/a.txt']);
    proxy = await startRecordingProxy(s3Env().endpoint);
    t = await openS3Fs();
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('mkdir, staged and streaming multipart writes, list, read, rename and delete all work, all signed V2', async () => {
    await t.fs.mount('/mnt/v2', `s3://${bucket}/v2`, s3Mount({endpoint: proxy.url, options: V2}));
    await t.fs.mount(
      '/mnt/v2s',
      `s3://${bucket}/v2s`,
      s3Mount({endpoint: proxy.url, options: {...V2, 'alluxio.underfs.s3.streaming.upload.enabled': 'true'}}),
    );
    expect((await t.fs.getStatus('/mnt/v2')).owner).toBe('User One');

    await t.fs.mkdir('/mnt/v2/dir/sub', {recursive: true});
    await writeFs(t.fs, '/mnt/v2/dir/small (ü+~).txt', 'small');
    const staged = pattern(6 * MB, 4);
    await writeFs(t.fs, '/mnt/v2/dir/sub/staged.bin', staged);
    const streamed = pattern(11 * MB, 6);
    await writeFs(t.fs, '/mnt/v2s/streamed.bin', streamed);
    await writeFs(t.fs, '/mnt/v2s/empty', '');

    expect((await headObject(bucket, 'v2/dir/sub/staged.bin'))!.etag).toMatch(/-2"$/);
    expect((await headObject(bucket, 'v2s/streamed.bin'))!.etag).toMatch(/-3"$/);
    expect(await headObject(bucket, 'v2s/empty')).toMatchObject({size: 0});

    expect(await listPaths(t.fs, '/mnt/v2', true)).toEqual([
      '/mnt/v2/dir/',
      '/mnt/v2/dir/small (ü+~).txt',
      '/mnt/v2/dir/sub/',
      '/mnt/v2/dir/sub/staged.bin',
      '/mnt/v2/seed/',
      '/mnt/v2/seed/a.txt',
    ]);
    expect((await readFs(t.fs, '/mnt/v2/dir/small (ü+~).txt')).toString()).toBe('small');
    expect((await readFs(t.fs, '/mnt/v2/dir/sub/staged.bin')).equals(staged)).toBe(true);
    expect((await readFs(t.fs, '/mnt/v2s/streamed.bin')).equals(streamed)).toBe(true);

    await t.fs.rename('/mnt/v2/dir/small (ü+~).txt', '/mnt/v2/moved (ü+~).txt');
    await t.fs.rename('/mnt/v2/dir', '/mnt/v2/dir2');
    await t.fs.delete('/mnt/v2/seed/a.txt', {recursive: false, alluxioOnly: false});
    await t.fs.delete('/mnt/v2/dir2', {recursive: true, alluxioOnly: false});
    await t.fs.delete('/mnt/v2s/streamed.bin', {recursive: false, alluxioOnly: false});
    expect((await errorOf(() => t.fs.getStatus('/mnt/v2/dir2'))).kind).toBe('NOT_FOUND');
    expect(await listAllKeys(bucket)).toEqual(['v2/', 'v2/moved (ü+~).txt', 'v2/seed/', 'v2s/', 'v2s/empty']);

    const ops = new Set(proxy.requests.map((r) => operationOf(r)));
    for (const op of [
      'ListBuckets',
      'GetBucketAcl',
      'HeadObject',
      'ListObjectsV2',
      'PutObject',
      'CreateMultipartUpload',
      'UploadPart',
      'CompleteMultipartUpload',
      'GetObject',
      'CopyObject',
      'DeleteObjects',
    ]) {
      expect(ops.has(op), op).toBe(true);
    }
    for (const r of proxy.requests) {
      const what = `${r.method} ${r.path}`;
      expect(r.headers.authorization, what).toMatch(/^AWS [^:\s]+:[A-Za-z0-9+/]{27}=$/);
      expect(JSON.stringify(r.headers), what).not.toContain('AWS4-HMAC-SHA256');
      expect(r.headers['x-amz-date'], what).toBeUndefined();
      expect(r.status === undefined || r.status < 400 || (r.status === 404 && r.method === 'HEAD'), `${what} -> ${r.status}`).toBe(true);
    }
  });
});

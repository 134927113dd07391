/**
 * Reads of big objects into local files (copyToLocal, and the worker cache when the read type caches): ranges of
 * alluxio.underfs.object.store.multi.range.chunk.size fetched several at once, each pinned with If-Match to the
 * ETag the command saw, so that an object replaced part way fails clearly instead of mixing two versions.
 */
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';

import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, openS3Fs, pattern, removeDir, s3Mount, tempDir} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

const MB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3 ranged reads', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  let t: S3Fs;
  let local: string;
  const data = pattern(5 * MB + 12_345, 7);

  const gets = () => proxy.requests.filter((r) => r.method === 'GET' && !r.path.includes('list-type'));

  beforeAll(async () => {
    ({bucket} = await freshBucket('ranged'));
    await putObjects(bucket, {'big.bin': data, 'replaced.bin': data, 'small.bin': 'small'});
    proxy = await startRecordingProxy(s3Env().endpoint);
    t = await openS3Fs({conf: {'alluxio.underfs.object.store.multi.range.chunk.size': '1MB'}});
    await t.fs.mount('/mnt/s3', `s3://${bucket}/`, s3Mount({endpoint: proxy.url}));
    local = await tempDir('ranged-');
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await removeDir(local);
    await emptyAndDeleteBucket(bucket);
  });

  it('around the cache: 6 ranges of 1 MB straight into the file, each with If-Match, byte-identical', async () => {
    proxy.clear();
    const out = join(local, 'nocache.bin');
    await t.fs.readToFile('/mnt/s3/big.bin', out, 'NO_CACHE');
    expect(sha(await readFile(out))).toBe(sha(data));
    const ranges = gets().map((r) => r.headers.range);
    expect(ranges.sort()).toEqual(
      Array.from({length: 6}, (_, i) => `bytes=${i * MB}-${Math.min((i + 1) * MB, data.length) - 1}`).sort(),
    );
    expect(new Set(gets().map((r) => r.headers['if-match']))).toEqual(new Set([`"${createHash('md5').update(data).digest('hex')}"`]));
  });

  it('through the cache: the cached copy is filled by ranges too, then read from the cache', async () => {
    proxy.clear();
    const out = join(local, 'cache.bin');
    await t.fs.readToFile('/mnt/s3/big.bin', out, 'CACHE');
    expect(sha(await readFile(out))).toBe(sha(data));
    expect(gets()).toHaveLength(6);
    expect((await t.fs.getStatus('/mnt/s3/big.bin')).inAlluxioPercentage).toBe(100);
    proxy.clear();
    await t.fs.readToFile('/mnt/s3/big.bin', join(local, 'again.bin'), 'CACHE');
    expect(gets()).toHaveLength(0);
  });

  it('a small object is one plain GET', async () => {
    const fresh = await openS3Fs({folders: t.folders});
    try {
      proxy.clear();
      await fresh.fs.readToFile('/mnt/s3/small.bin', join(local, 'small.bin'), 'NO_CACHE');
      expect(await readFile(join(local, 'small.bin'), 'utf8')).toBe('small');
      expect(gets().map((r) => r.headers.range)).toEqual([undefined]);
    } finally {
      await fresh.close();
    }
  });

  it('an object replaced after the command saw it fails with one clear line, not with mixed data', async () => {
    const fresh = await openS3Fs({folders: t.folders, conf: {'alluxio.underfs.object.store.multi.range.chunk.size': '1MB'}});
    try {
      await fresh.fs.getStatus('/mnt/s3/replaced.bin');
      await s3Client().send(new PutObjectCommand({Bucket: bucket, Key: 'replaced.bin', Body: pattern(data.length, 9)}));
      const error = await errorOf(() => fresh.fs.readToFile('/mnt/s3/replaced.bin', join(local, 'replaced.bin'), 'NO_CACHE'));
      expect(error.message).toBe(`s3://${bucket}/replaced.bin changed while GetObject was reading it`);
      expect(error.hint).toBe('Another writer replaced the object: run the command again.');
    } finally {
      await fresh.close();
    }
  });
});

/**
 * What long work on an S3 mount reports to its progress line (src/util/progress.ts), on radosgw: entries of a
 * recursive delete, a rename (copy then delete) and a cleanup, and bytes of uploads in parts, downloads and
 * server-side copies. Each count must end equal to what was really moved.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {CreateMultipartUploadCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {cp} from '../../../src/fs/copy.js';
import {copyFromLocal, copyToLocal} from '../../../src/fs/local-copy.js';
import {recordingProgress as recording} from '../../helpers/progress-sink.js';
import {type S3Fs, openS3Fs, pattern, putMany, removeDir, s3Mount, tempDir} from '../../helpers/s3-fs.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, s3Client} from '../../helpers/s3.js';

const N = 300;

/** `N` keys below `prefix` in a few sub-folders, and the folder's marker. */
function treeKeys(prefix: string): string[] {
  return [`${prefix}/`, ...Array.from({length: N}, (_, i) => `${prefix}/s${i % 3}/f${String(i).padStart(3, '0')}`)];
}

describe('progress of long work on S3', () => {
  let bucket: string;
  let t: S3Fs;
  let local: string;
  const MB = 1024 * 1024;

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-progress'));
    await putMany(bucket, [...treeKeys('del'), ...treeKeys('ren'), ...treeKeys('src')], 32);
    local = await tempDir('fs-progress-');
    // Parts of 5 MB: a 12 MB file goes up in three.
    t = await openS3Fs({conf: {'alluxio.underfs.s3.streaming.upload.partition.size': '5MB'}});
    await t.fs.mount('/mnt/s3', `s3://${bucket}/`, s3Mount({options: {'alluxio.underfs.s3.streaming.upload.partition.size': '5MB'}}));
  });

  afterAll(async () => {
    await t?.close();
    await removeDir(local);
    await emptyAndDeleteBucket(bucket);
  });

  it(`rm -R reports the ${N + 1} objects it deletes, found page by page`, async () => {
    const keys = await listAllKeys(bucket, {prefix: 'del/'});
    const {sink, progress} = recording();
    await t.fs.delete('/mnt/s3/del', {recursive: true, alluxioOnly: false, progress});
    expect(await listAllKeys(bucket, {prefix: 'del/'})).toEqual([]);
    expect([sink.grown, sink.done]).toEqual([keys.length, keys.length]);
    expect([sink.listings, sink.open]).toEqual([1, 0]);
  });

  it('mv of a folder reports each object copied to its new key', async () => {
    const keys = await listAllKeys(bucket, {prefix: 'ren/'});
    const {sink, progress} = recording();
    await t.fs.rename('/mnt/s3/ren', '/mnt/s3/moved', progress);
    expect(await listAllKeys(bucket, {prefix: 'moved/'})).toHaveLength(keys.length);
    expect([sink.grown, sink.done]).toEqual([keys.length, keys.length]);
    expect(sink.advances).toBe(keys.length);
    expect([sink.listings, sink.open]).toEqual([1, 0]);
  });

  it('cp -R on the server reports the bytes of every object copied', async () => {
    const bytes = treeKeys('src').reduce((sum, key) => sum + (key.endsWith('/') ? 0 : Buffer.byteLength(key)), 0);
    const {sink, progress} = recording();
    const copied = await cp(t.fs, '/mnt/s3/src', '/mnt/s3/copy', {recursive: true, preserve: false, progress}, () => undefined);
    expect(copied).toBe(N);
    expect([sink.grown, sink.done]).toEqual([bytes, bytes]);
    expect([sink.listings, sink.open]).toEqual([1, 0]);
  });

  it('copyFromLocal of 12 MB in parts moves part by part, and copyToLocal counts every byte back', async () => {
    const file = join(local, 'big.bin');
    writeFileSync(file, pattern(12 * MB));
    const up = recording();
    await copyFromLocal(t.fs, file, '/mnt/s3/big.bin', () => undefined, {progress: up.progress});
    expect([up.sink.grown, up.sink.done]).toEqual([12 * MB, 12 * MB]);
    expect(up.sink.advances).toBe(3);
    const down = recording();
    await copyToLocal(t.fs, '/mnt/s3/big.bin', join(local, 'back.bin'), () => undefined, down.progress);
    expect([down.sink.grown, down.sink.done]).toEqual([12 * MB, 12 * MB]);
    expect(down.sink.advances).toBeGreaterThan(3);
  });

  it('cleanup reports the abandoned uploads it aborts', async () => {
    for (const key of ['a', 'b', 'c']) await s3Client().send(new CreateMultipartUploadCommand({Bucket: bucket, Key: `abandoned/${key}`}));
    const {sink, progress} = recording();
    const result = await t.fs.cleanup({mountPoints: ['/mnt/s3'], dryRun: false, wholeBucket: false, olderThanMs: 0, progress});
    expect(result.mounts[0]?.uploads).toHaveLength(3);
    expect([sink.grown, sink.done]).toEqual([3, 3]);
  });
});

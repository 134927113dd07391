/**
 * Directory markers and status through the FileSystem over S3 (facts §4.2, §4.3): mkdir writes `dir/`, status of
 * files, marked and implied directories, breadcrumbs written by listings on read-write mounts only, and a refused
 * breadcrumb that does not fail the listing.
 */
import {GetObjectCommand, HeadObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, grantUser2, headObject, listPaths, openS3Fs, readFs, s3Mount} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, s3Client} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

describe('S3 directory markers and status', () => {
  let bucket: string;
  let t: S3Fs;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-markers'));
    await putObjects(bucket, {
      'rw/st/file.txt': 'twelve bytes',
      'rw/st/explicit/': '',
      'rw/st/implicit/b/c': 'c',
      'rw/bc/sub/x.txt': 'x',
      'rw/bc/sub/deeper/y.txt': 'y',
      'ro/sub/x.txt': 'x',
      'ro/sub/deeper/y.txt': 'y',
      'nobc/sub/x.txt': 'x',
      'nobc/sub/deeper/y.txt': 'y',
      'u2/sub/x.txt': 'x',
    });
    proxy = await startRecordingProxy(s3Env().endpoint);
    t = await openS3Fs();
    await t.fs.mount('/mnt/rw', `s3://${bucket}/rw`, s3Mount());
    await t.fs.mount('/mnt/ro', `s3://${bucket}/ro`, s3Mount({readOnly: true}));
    await t.fs.mount('/mnt/nobc', `s3://${bucket}/nobc`, s3Mount({options: {'alluxio.underfs.object.store.breadcrumbs.enabled': 'false'}}));
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('mkdir writes a zero-byte `dir/` marker (and one per missing parent with -p), nothing else', async () => {
    await t.fs.mkdir('/mnt/rw/made', {recursive: false});
    expect(await headObject(bucket, 'rw/made/')).toMatchObject({size: 0});
    expect(await headObject(bucket, 'rw/made')).toBeUndefined();
    const head = await s3Client().send(new HeadObjectCommand({Bucket: bucket, Key: 'rw/made/'}));
    expect(head.ContentType).toBe('application/octet-stream');

    await t.fs.mkdir('/mnt/rw/deep/er/est', {recursive: true});
    expect(await listAllKeys(bucket, {prefix: 'rw/deep'})).toEqual(['rw/deep/', 'rw/deep/er/', 'rw/deep/er/est/']);
    for (const key of ['rw/deep/', 'rw/deep/er/', 'rw/deep/er/est/']) expect((await headObject(bucket, key))!.size).toBe(0);
    expect(await t.fs.getStatus('/mnt/rw/deep/er/est')).toMatchObject({isDirectory: true, length: 0, persistenceState: 'PERSISTED'});
  });

  it('getStatus: a file, a marked directory, an implied directory, a missing path', async () => {
    const raw = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: 'rw/st/file.txt'}));
    await raw.Body!.transformToString();
    const file = await t.fs.getStatus('/mnt/rw/st/file.txt');
    expect(file).toMatchObject({
      path: '/mnt/rw/st/file.txt',
      name: 'file.txt',
      isDirectory: false,
      length: 12,
      persistenceState: 'PERSISTED',
      isMountPoint: false,
      ufsPath: `s3://${bucket}/rw/st/file.txt`,
      lastModificationTime: raw.LastModified!.getTime(),
    });
    expect((await readFs(t.fs, '/mnt/rw/st/file.txt')).toString()).toBe('twelve bytes');

    expect(await t.fs.getStatus('/mnt/rw/st/explicit')).toMatchObject({name: 'explicit', isDirectory: true, length: 0});
    // only the key rw/st/implicit/b/c says that these two directories exist
    expect(await t.fs.getStatus('/mnt/rw/st/implicit')).toMatchObject({name: 'implicit', isDirectory: true, length: 0});
    expect(await t.fs.getStatus('/mnt/rw/st/implicit/b')).toMatchObject({name: 'b', isDirectory: true, length: 0});
    expect(await t.fs.getStatus('/mnt/rw/st/implicit/b/c')).toMatchObject({isDirectory: false, length: 1});

    for (const missing of ['/mnt/rw/st/missing', '/mnt/rw/st/file', '/mnt/rw/st/implicit/b/c/d', '/mnt/rw/st/expl']) {
      const err = await errorOf(() => t.fs.getStatus(missing));
      expect(err.message).toBe(`Path "${missing}" does not exist.`);
      expect(err.kind).toBe('NOT_FOUND');
      expect(await t.fs.exists(missing)).toBe(false);
    }
  });

  it('listing an implied sub-directory of a read-write mount writes its marker (a breadcrumb)', async () => {
    expect(await listAllKeys(bucket, {prefix: 'rw/bc/'})).toEqual(['rw/bc/sub/deeper/y.txt', 'rw/bc/sub/x.txt']);
    expect(await listPaths(t.fs, '/mnt/rw/bc/sub')).toEqual(['/mnt/rw/bc/sub/deeper/', '/mnt/rw/bc/sub/x.txt']);
    expect(await headObject(bucket, 'rw/bc/sub/')).toMatchObject({size: 0});
    expect(await listAllKeys(bucket, {prefix: 'rw/bc/'})).toEqual(['rw/bc/sub/', 'rw/bc/sub/deeper/y.txt', 'rw/bc/sub/x.txt']);
  });

  it('a --readonly mount writes no breadcrumb, whatever it lists or stats', async () => {
    const before = await listAllKeys(bucket, {prefix: 'ro'});
    expect(before).toEqual(['ro/sub/deeper/y.txt', 'ro/sub/x.txt']);
    expect(await listPaths(t.fs, '/mnt/ro/sub')).toEqual(['/mnt/ro/sub/deeper/', '/mnt/ro/sub/x.txt']);
    expect(await listPaths(t.fs, '/mnt/ro', true)).toEqual([
      '/mnt/ro/sub/',
      '/mnt/ro/sub/deeper/',
      '/mnt/ro/sub/deeper/y.txt',
      '/mnt/ro/sub/x.txt',
    ]);
    expect(await t.fs.getStatus('/mnt/ro/sub/deeper')).toMatchObject({isDirectory: true});
    expect(await listAllKeys(bucket, {prefix: 'ro'})).toEqual(before);
  });

  it('breadcrumbs.enabled=false: listings write no marker, but mkdir still does', async () => {
    const before = await listAllKeys(bucket, {prefix: 'nobc'});
    expect(await listPaths(t.fs, '/mnt/nobc/sub')).toEqual(['/mnt/nobc/sub/deeper/', '/mnt/nobc/sub/x.txt']);
    expect(await listPaths(t.fs, '/mnt/nobc', true)).toHaveLength(4);
    expect(await t.fs.getStatus('/mnt/nobc/sub/deeper')).toMatchObject({isDirectory: true});
    expect(await listAllKeys(bucket, {prefix: 'nobc'})).toEqual(before);

    await t.fs.mkdir('/mnt/nobc/made', {recursive: false});
    expect(await listAllKeys(bucket, {prefix: 'nobc'})).toEqual(['nobc/made/', ...before]);
  });

  it('a breadcrumb PUT refused with 403 (user2 may only READ the bucket) does not fail the listing', async () => {
    await grantUser2(bucket, ['READ']);
    await t.fs.mount('/mnt/u2', `s3://${bucket}/u2`, s3Mount({user: 2, endpoint: proxy.url}));
    proxy.clear();
    expect(await listPaths(t.fs, '/mnt/u2/sub')).toEqual(['/mnt/u2/sub/x.txt']);
    const markerPuts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.split('?')[0] === `/${bucket}/u2/sub/`);
    expect(markerPuts.length).toBeGreaterThan(0);
    expect(markerPuts.map((r) => r.status)).toEqual(markerPuts.map(() => 403));
    expect(await listAllKeys(bucket, {prefix: 'u2'})).toEqual(['u2/sub/x.txt']);
    // the read-only user really cannot write: the same listing keeps working
    expect(await listPaths(t.fs, '/mnt/u2', true)).toEqual(['/mnt/u2/sub/', '/mnt/u2/sub/x.txt']);
  });
});

/**
 * A --readonly S3 mount never writes: mounting it, stat, recursive listing and reads of several paths, all
 * through a recording proxy, put no PUT, POST or DELETE on the wire (facts §4.2: no breadcrumbs on readonly mounts).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, listPaths, openS3Fs, readFs, s3Mount} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, requestLog} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

describe('readonly S3 mount', () => {
  let bucket: string;
  let t: S3Fs;
  let proxy: RecordingProxy;
  // no markers at all: every directory is implied by the keys below it
  const keys = ['data/a/b/c.txt', 'data/a/d/e.txt', 'data/a-b', 'data/x/y/z/deep.bin', 'data/top.txt'];

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-readonly'));
    await putObjects(bucket, keys);
    proxy = await startRecordingProxy(s3Env().endpoint);
    t = await openS3Fs();
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('mount, status, ls -R and reads make zero write requests', async () => {
    const gateway = requestLog({bucket});
    await t.fs.mount('/mnt/s3', `s3://${bucket}/data`, s3Mount({readOnly: true, endpoint: proxy.url}));

    for (const dir of ['/mnt/s3', '/mnt/s3/a', '/mnt/s3/a/b', '/mnt/s3/x/y/z']) {
      expect(await t.fs.getStatus(dir), dir).toMatchObject({isDirectory: true});
    }
    expect(await t.fs.getStatus('/mnt/s3/a/b/c.txt')).toMatchObject({isDirectory: false, length: 'data/a/b/c.txt'.length});
    expect((await errorOf(() => t.fs.getStatus('/mnt/s3/nope'))).kind).toBe('NOT_FOUND');

    expect(await listPaths(t.fs, '/mnt/s3', true)).toEqual([
      '/mnt/s3/a/',
      '/mnt/s3/a-b',
      '/mnt/s3/a/b/',
      '/mnt/s3/a/b/c.txt',
      '/mnt/s3/a/d/',
      '/mnt/s3/a/d/e.txt',
      '/mnt/s3/top.txt',
      '/mnt/s3/x/',
      '/mnt/s3/x/y/',
      '/mnt/s3/x/y/z/',
      '/mnt/s3/x/y/z/deep.bin',
    ]);
    expect(await listPaths(t.fs, '/mnt/s3/a')).toEqual(['/mnt/s3/a/b/', '/mnt/s3/a/d/']);
    expect(await listPaths(t.fs, '/mnt/s3/x/y')).toEqual(['/mnt/s3/x/y/z/']);

    for (const key of ['data/a/b/c.txt', 'data/a/d/e.txt', 'data/x/y/z/deep.bin', 'data/a-b']) {
      const path = `/mnt/s3/${key.slice('data/'.length)}`;
      expect((await readFs(t.fs, path)).toString(), path).toBe(key);
    }
    // CACHE reads keep a copy in the worker cache, still without writing to S3
    expect((await (await t.fs.open('/mnt/s3/top.txt', 'CACHE')).stream.toArray()).join('')).toBe('data/top.txt');

    // writes are refused before any request
    const refused = await errorOf(() => t.fs.mkdir('/mnt/s3/new', {recursive: false}));
    expect(refused.message).toBe('A write operation on /mnt/s3/new under a readonly mount point /mnt/s3 is not allowed');

    expect(proxy.requests.length).toBeGreaterThan(10);
    expect(proxy.requests.filter((r) => r.error !== undefined)).toEqual([]);
    expect(proxy.writes().map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(new Set(proxy.requests.map((r) => r.method))).toEqual(new Set(['GET', 'HEAD']));
    // the gateway agrees (every request of this bucket, whichever way it came)
    expect(await gateway.writes()).toEqual([]);
    expect(await listAllKeys(bucket)).toEqual([...keys].sort());
  });
});

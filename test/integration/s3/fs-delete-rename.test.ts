/**
 * Recursive delete and rename of a directory of 1,200 objects through the FileSystem over S3 (facts §4.9, §4.10):
 * every key goes (or moves), multi-object deletes carry at most 1000 keys each, and a rename copies everything
 * before it deletes anything. Requests and their bodies are seen at a recording proxy.
 */
import {GetObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type BodyRecordingProxy, type S3Fs, openS3Fs, operationOf, putMany, s3Mount, startBodyRecordingProxy} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, s3Client} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

const N = 1200;

/** 1,200 keys below `prefix`: 8 sub-directories (one nested deeper) of 150 files each, plus the dir's marker. */
function treeKeys(prefix: string): string[] {
  const keys = [`${prefix}/`];
  for (let i = 0; i < N; i++) {
    const sub = i % 8 === 7 ? 's7/inner' : `s${i % 8}`;
    keys.push(`${prefix}/${sub}/f${String(i).padStart(4, '0')}`);
  }
  return keys;
}

/** The keys listed in a DeleteObjects request body. */
function deletedKeys(body: string): string[] {
  return [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
}

describe('S3 recursive delete and rename', () => {
  let bucket: string;
  let proxy: BodyRecordingProxy;
  let t: S3Fs;
  const delKeys = treeKeys('del');
  const renKeys = treeKeys('ren');

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-delete-rename'));
    await putMany(bucket, [...delKeys, ...renKeys, 'keep/del-not-me', 'delx', 'ren-sibling'], 32);
    proxy = await startBodyRecordingProxy(s3Env().endpoint);
    t = await openS3Fs();
    await t.fs.mount('/mnt/s3', `s3://${bucket}/`, s3Mount({endpoint: proxy.url}));
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it(`rm -R of a directory with ${N} objects deletes every key, in DeleteObjects batches of at most 1000`, async () => {
    expect(await listAllKeys(bucket, {prefix: 'del/'})).toEqual([...delKeys].sort());
    proxy.clear();
    await t.fs.delete('/mnt/s3/del', {recursive: true, alluxioOnly: false});

    expect(await listAllKeys(bucket, {prefix: 'del'})).toEqual(['delx']);
    expect(await listAllKeys(bucket, {prefix: 'keep/'})).toEqual(['keep/del-not-me']);
    expect((await errorOf(() => t.fs.getStatus('/mnt/s3/del'))).kind).toBe('NOT_FOUND');

    const batches = proxy.requests.filter((r) => operationOf(r) === 'DeleteObjects');
    const sizes = batches.map((r) => deletedKeys(r.body).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(delKeys.length / 1000));
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(delKeys.length / 1000) + 1);
    expect(new Set(batches.flatMap((r) => deletedKeys(r.body)))).toEqual(new Set(delKeys));
    expect(batches.map((r) => r.status)).toEqual(batches.map(() => 200));
    // no key was deleted one by one
    expect(proxy.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it(`mv of a directory with ${N} objects copies every key, then deletes the sources`, async () => {
    expect(await listAllKeys(bucket, {prefix: 'ren/'})).toEqual([...renKeys].sort());
    proxy.clear();
    await t.fs.rename('/mnt/s3/ren', '/mnt/s3/moved');

    expect(await listAllKeys(bucket, {prefix: 'ren'})).toEqual(['ren-sibling']);
    expect(await listAllKeys(bucket, {prefix: 'moved'})).toEqual(renKeys.map((k) => k.replace(/^ren\//, 'moved/')).sort());
    const moved = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: 'moved/s7/inner/f0007'}));
    expect(await moved.Body!.transformToString()).toBe('ren/s7/inner/f0007');
    expect(await t.fs.getStatus('/mnt/s3/moved/s3/f0003')).toMatchObject({isDirectory: false, length: 'ren/s3/f0003'.length});
    expect((await errorOf(() => t.fs.getStatus('/mnt/s3/ren'))).kind).toBe('NOT_FOUND');

    const copies = proxy.requests.filter((r) => operationOf(r) === 'CopyObject');
    const sources = copies.map((r) => decodeURIComponent(String(r.headers['x-amz-copy-source'])).replace(/^\//, ''));
    expect(new Set(sources)).toEqual(new Set(renKeys.map((k) => `${bucket}/${k}`)));
    expect(copies.map((r) => r.status)).toEqual(copies.map(() => 200));
    const deletes = proxy.requests.filter((r) => operationOf(r) === 'DeleteObjects' || operationOf(r) === 'DeleteObject');
    expect(deletes.length).toBeGreaterThan(0);
    // copies first, deletes after: a failure part way leaves both trees, never neither
    const lastCopy = Math.max(...copies.map((r) => r.seq));
    const firstDelete = Math.min(...deletes.map((r) => r.seq));
    expect(lastCopy).toBeLessThan(firstDelete);
    expect(new Set(deletes.flatMap((r) => deletedKeys(r.body)))).toEqual(new Set(renKeys));
    expect(Math.max(...deletes.map((r) => deletedKeys(r.body).length))).toBeLessThanOrEqual(1000);
  });
});

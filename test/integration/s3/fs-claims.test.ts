/**
 * One writer per path on an object store, where a command answers from what it learned earlier: a process that
 * listed a folder, then creates a file that another process created since, must be refused, although its own
 * memory of the folder still says the file is missing.
 */
import {Readable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';
import {type S3Fs, openS3Fs, s3Mount} from '../../helpers/s3-fs.js';
import {errorOf, readAll} from '../../helpers/unit-fs.js';

describe('claims against an object store that remembers a listing', () => {
  let bucket: string;
  let a: S3Fs;
  let b: S3Fs;

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-claims'));
    await putObjects(bucket, ['dir/']);
    a = await openS3Fs();
    await a.fs.mount('/mnt/s3', `s3://${bucket}/dir`, s3Mount());
    b = await openS3Fs({folders: a.folders});
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await emptyAndDeleteBucket(bucket);
  });

  const write = (s: S3Fs, path: string, text: string) =>
    s.fs.createFile(path, Readable.from([Buffer.from(text)]), {length: text.length, recursive: false, writeType: 'THROUGH'});

  it('refuses a create whose view of the folder dates from before another writer created the path', async () => {
    // b learns the whole (empty) folder
    const listed: string[] = [];
    for await (const entry of b.fs.list('/mnt/s3', {recursive: false})) listed.push(entry.path);
    expect(listed).toEqual([]);

    await write(a, '/mnt/s3/f', 'from a');
    // b's memory of the folder says the file is missing; the row a made must survive b's look
    expect(await b.fs.find('/mnt/s3/f')).toBeUndefined();
    expect((await b.store.getInode('/mnt/s3/f'))?.state).toBe('PERSISTED');
    const e = await errorOf(() => write(b, '/mnt/s3/f', 'from b!'));
    expect(e.message).toBe('Not allowed to create file because path already exists: /mnt/s3/f');
    expect(await readAll((await a.fs.open('/mnt/s3/f', 'NO_CACHE')).stream)).toBe('from a');
  });
});

/**
 * `bin/alluxio` moving data through an S3 mount on radosgw: an 8 MB copyFromLocal / copyToLocal round trip written
 * THROUGH (one PUT) and with the streaming upload (5 MB parts), and `fs cleanup` of abandoned multipart uploads
 * (facts §1.6, §4.7, §4.8): only under the mount's prefix unless --whole-bucket, never on a readonly mount.
 */
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {parseLsLine} from '../../helpers/alluxio-format.js';
import {type Home, cleanupHomes, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, requestLog, s3Client} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const out = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: key}));
  return Buffer.from(await out.Body!.transformToByteArray());
}

interface Upload {
  key: string;
  uploadId: string;
  initiated: string;
}

async function uploadsOf(bucket: string): Promise<Upload[]> {
  const out = await s3Client().send(new ListMultipartUploadsCommand({Bucket: bucket}));
  return (out.Uploads ?? [])
    .map((u) => ({key: u.Key!, uploadId: u.UploadId!, initiated: u.Initiated!.toISOString()}))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

async function startUpload(bucket: string, key: string): Promise<Upload> {
  const out = await s3Client().send(new CreateMultipartUploadCommand({Bucket: bucket, Key: key}));
  const found = (await uploadsOf(bucket)).find((u) => u.uploadId === out.UploadId);
  expect(found, `upload of ${key} not listed`).toBeDefined();
  return found!;
}

describe('8 MB round trip through an S3 mount', () => {
  let bucket: string;
  let home: Home;
  let local: string;
  let data: Buffer;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-transfer'));
    await putObjects(bucket, {'data/': ''});
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]), [`Mounted s3://${bucket}/data at /mnt/s3`]);
    data = randomBytes(8 * 1024 * 1024);
    local = join(home.dir, 'eight-mb.bin');
    writeFileSync(local, data);
  });

  afterAll(async () => {
    await emptyAndDeleteBucket(bucket);
  });

  it('THROUGH: one PutObject, nothing cached, byte-identical both in S3 and back through copyToLocal', async () => {
    const log = requestLog({bucket});
    const up = await home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', local, '/mnt/s3/through.bin']);
    expectSuccess(up, [`Copied file://${local} to /mnt/s3/through.bin`]);
    const writes = (await log.writes()).map((e) => `${e.method} ${e.uri.split('?')[0]}`);
    expect(writes).toEqual([`PUT /${bucket}/data/through.bin`]);
    expect(sha(await objectBytes(bucket, 'data/through.bin'))).toBe(sha(data));

    const ls = await home.run(['fs', 'ls', '/mnt/s3/through.bin']);
    expectSuccess(ls);
    const f = parseLsLine(lines(ls.stdout)[0]!);
    expect([f.size, f.state, f.inAlluxio]).toEqual([String(data.length), 'PERSISTED', '0%']);

    const out = join(home.dir, 'through.out');
    const down = await home.run(['fs', 'copyToLocal', '/mnt/s3/through.bin', out]);
    expectSuccess(down, [`Copied /mnt/s3/through.bin to file://${out}`]);
    expect(sha(readFileSync(out))).toBe(sha(data));
  });

  it('streaming upload with 5MB partitions: one multipart upload of 2 parts, byte-identical, no upload left', async () => {
    const log = requestLog({bucket});
    const up = await home.run([
      'fs',
      '-Dalluxio.underfs.s3.streaming.upload.enabled=true',
      '-Dalluxio.underfs.s3.streaming.upload.partition.size=5MB',
      'copyFromLocal',
      local,
      '/mnt/s3/streamed.bin',
    ]);
    expectSuccess(up, [`Copied file://${local} to /mnt/s3/streamed.bin`]);
    const writes = await log.writes();
    const parts = writes.filter((e) => e.method === 'PUT' && /[?&]partNumber=\d+/.test(e.uri));
    expect(parts.map((e) => /[?&]partNumber=(\d+)/.exec(e.uri)![1]).sort()).toEqual(['1', '2']);
    expect(writes.filter((e) => e.method === 'POST' && /\?uploads/.test(e.uri))).toHaveLength(1);
    expect(writes.filter((e) => e.method === 'POST' && /[?&]uploadId=/.test(e.uri))).toHaveLength(1);
    expect(writes.filter((e) => e.method === 'PUT' && !/[?&]partNumber=/.test(e.uri))).toEqual([]);
    expect(writes.every((e) => (e.status ?? 0) < 300)).toBe(true);
    expect(await uploadsOf(bucket)).toEqual([]);
    expect(sha(await objectBytes(bucket, 'data/streamed.bin'))).toBe(sha(data));

    const out = join(home.dir, 'streamed.out');
    const down = await home.run(['fs', '-Dalluxio.user.file.readtype.default=NO_CACHE', 'copyToLocal', '/mnt/s3/streamed.bin', out]);
    expectSuccess(down, [`Copied /mnt/s3/streamed.bin to file://${out}`]);
    expect(sha(readFileSync(out))).toBe(sha(data));
  });
});

describe('fs cleanup of abandoned multipart uploads', () => {
  let bucket: string;
  let roBucket: string;
  let home: Home;
  let inside: Upload;
  let outside: Upload;
  let underReadonly: Upload;
  const AGE0 = '-Dalluxio.underfs.s3.intermediate.upload.clean.age=0s';

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-cleanup'));
    ({bucket: roBucket} = await freshBucket('cli-cleanup-ro'));
    await putObjects(bucket, {'work/': '', 'elsewhere/': ''});
    await putObjects(roBucket, {'ro/': ''});
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/work', `s3://${bucket}/work`]));
    expectSuccess(await home.run(['fs', 'mount', '--readonly', '/mnt/ro', `s3://${roBucket}/ro`]));
    inside = await startUpload(bucket, 'work/abandoned-inside.bin');
    outside = await startUpload(bucket, 'elsewhere/abandoned-outside.bin');
    underReadonly = await startUpload(roBucket, 'ro/abandoned-readonly.bin');
    // the uploads must be older than "now" at a 0s clean age
    await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    await emptyAndDeleteBucket(bucket);
    await emptyAndDeleteBucket(roBucket);
  });

  const rootSkipped = '/: skipped (local under storage keeps no intermediate uploads)';
  const roSkipped = '/mnt/ro: skipped (readonly mount)';

  it('with the default clean age (3day) a fresh upload is not abandoned yet', async () => {
    const r = await home.run(['fs', 'cleanup', '--dry-run']);
    expectSuccess(r, [rootSkipped, roSkipped, `/mnt/work: 0 abandoned upload(s) found in s3://${bucket}/work`]);
    expect(await uploadsOf(bucket)).toEqual([outside, inside]);
  });

  it('--dry-run at clean.age=0s lists the upload under the mount\'s prefix and aborts nothing', async () => {
    const r = await home.run(['fs', AGE0, 'cleanup', '--dry-run']);
    expectSuccess(r, [
      rootSkipped,
      roSkipped,
      `Would abort upload ${inside.uploadId} of ${inside.key} started ${inside.initiated}`,
      `/mnt/work: 1 abandoned upload(s) found in s3://${bucket}/work`,
    ]);
    expect(await uploadsOf(bucket)).toEqual([outside, inside]);
    expect(await uploadsOf(roBucket)).toEqual([underReadonly]);
  });

  it('cleanup at clean.age=0s aborts it, not the one outside the prefix nor the readonly mount\'s, and logs it', async () => {
    const r = await home.run(['fs', AGE0, 'cleanup']);
    expectSuccess(r, [
      rootSkipped,
      roSkipped,
      `Aborted upload ${inside.uploadId} of ${inside.key} started ${inside.initiated}`,
      `/mnt/work: 1 abandoned upload(s) aborted in s3://${bucket}/work`,
    ]);
    expect(await uploadsOf(bucket)).toEqual([outside]);
    expect(await uploadsOf(roBucket)).toEqual([underReadonly]);
    const log = join(home.dir, 'logs', 'cleanup.log');
    expect(existsSync(log)).toBe(true);
    const logged = lines(readFileSync(log, 'utf8'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`aborted multipart upload ${inside.uploadId} of ${inside.key}`);
  });

  it('--whole-bucket aborts the one outside the prefix too; a readonly mount is still skipped, even when named', async () => {
    const named = await home.run(['fs', AGE0, 'cleanup', '--whole-bucket', '/mnt/ro']);
    expectSuccess(named, [roSkipped]);
    expect(await uploadsOf(roBucket)).toEqual([underReadonly]);

    const r = await home.run(['fs', AGE0, 'cleanup', '--whole-bucket']);
    expectSuccess(r, [
      rootSkipped,
      roSkipped,
      `Aborted upload ${outside.uploadId} of ${outside.key} started ${outside.initiated}`,
      `/mnt/work: 1 abandoned upload(s) aborted in s3://${bucket}/work`,
    ]);
    expect(await uploadsOf(bucket)).toEqual([]);
    expect(await uploadsOf(roBucket)).toEqual([underReadonly]);
  });
});

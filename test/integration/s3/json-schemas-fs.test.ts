/**
 * The fs --json shapes that only an S3 mount gives, against radosgw: the mount table of an s3:// mount, a dry run
 * with its diagnosis (healthy, and not: exit 1), objects and prefixes listed, and `fs cleanup` of abandoned
 * multipart uploads. Each checked against schemas/fs/*.json; failures against schemas/error.json.
 */
import {CreateMultipartUploadCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, describeResult} from '../../helpers/cli.js';
import {expectErrorJson, expectSchema} from '../../helpers/json-schemas.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, keyOptions, registerSecret, s3Home} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

let bucket: string;
let home: Home;

beforeAll(async () => {
  ({bucket} = await freshBucket('json-fs'));
  // `dir/sub/` has no marker object: a prefix the store gives no times for.
  await putObjects(bucket, {'dir/': '', 'dir/f.txt': 'file\n', 'dir/sub/g.txt': 'g\n', 'other/': '', 'spare/': ''});
  home = s3Home({keys: 1});
  const mkdir = await home.run(['fs', 'mkdir', '/mnt']);
  expect(mkdir.code, describeResult(mkdir)).toBe(0);
  const r = await home.run(['fs', 'mount', '--json', '/mnt/s3', `s3://${bucket}/dir`]);
  expect(r.code, describeResult(r)).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({mounted: {alluxioPath: '/mnt/s3', ufsUri: `s3://${bucket}/dir`}});
  expectSchema('fs/mount', JSON.parse(r.stdout));
});

afterAll(async () => {
  await emptyAndDeleteBucket(bucket);
});

/** `fs <args> --json` with exit `code` (default 0), stdout valid against the command's schema. */
async function ok(args: string[], code = 0): Promise<unknown> {
  const r = await home.run(['fs', ...args, '--json']);
  expect(r.code, describeResult(r)).toBe(code);
  expect(r.stderr, describeResult(r)).toBe('');
  const value: unknown = JSON.parse(r.stdout);
  expectSchema(`fs/${args[0]}`, value);
  return value;
}

describe('fs --json on an S3 mount', () => {
  it('mount: the table with an s3 mount (masked credentials, no capacity); a refused mount', async () => {
    const other = await home.run(['fs', 'mount', '--readonly', ...keyOptions(1), '/mnt/ro', `s3://${bucket}/other`]);
    expect(other.code, describeResult(other)).toBe(0);
    const {mounts} = (await ok(['mount'])) as {mounts: {alluxioPath: string; ufsType: string; capacityBytes: number; properties: Record<string, string>}[]};
    const s3 = mounts.find((m) => m.alluxioPath === '/mnt/ro');
    expect(s3).toMatchObject({ufsType: 's3', capacityBytes: -1, readOnly: true});
    expect(Object.keys(s3!.properties).sort()).toEqual(['s3a.accessKeyId', 's3a.secretKey']);
    const r = await home.run(['fs', 'mount', '--json', '/mnt/nobucket', 's3://no-such-bucket-json-fs/x']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(r.stdout).toBe('');
    expectErrorJson(r.stderr);
  });

  it('mount --dry-run: the diagnosis, healthy (exit 0) and not (exit 1)', async () => {
    const healthy = (await ok(['mount', '--dry-run', '/mnt/dry', `s3://${bucket}/spare`])) as {dryRun: {diagnosis: {healthy: boolean}}};
    expect(healthy.dryRun.diagnosis.healthy).toBe(true);
    const wrong = registerSecret('wrong-secret-json-fs-0123456789');
    const args = ['mount', '--dry-run', '--option', 's3a.accessKeyId=nobody', '--option', `s3a.secretKey=${wrong}`, '/mnt/dry', `s3://${bucket}/spare`];
    const sick = (await ok(args, 1)) as {dryRun: {diagnosis: {healthy: boolean; probes: {status: string}[]}}};
    expect(sick.dryRun.diagnosis.healthy).toBe(false);
    expect(sick.dryRun.diagnosis.probes.some((p) => p.status === 'failed')).toBe(true);
  });

  it('ls and stat of objects, a marker folder and a prefix without times', async () => {
    const listed = (await ok(['ls', '-R', '/mnt/s3'])) as {path: string; creationTime?: number; ufsPath: string}[];
    expect(listed.map((s) => s.path)).toEqual(['/mnt/s3/f.txt', '/mnt/s3/sub', '/mnt/s3/sub/g.txt']);
    expect(listed[0].ufsPath).toBe(`s3://${bucket}/dir/f.txt`);
    expect(listed[1].creationTime).toBeUndefined();
    await ok(['ls', '-d', '/mnt/s3']);
    await ok(['stat', '/mnt/s3/f.txt']);
    await ok(['stat', '/mnt/s3/sub']);
    const r = await home.run(['fs', 'stat', '--json', '/mnt/s3/nope']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(expectErrorJson(r.stderr).error.kind).toBe('NOT_FOUND');
  });

  it('cleanup: an abandoned upload found (--dry-run) then aborted; a readonly mount skipped', async () => {
    const started = await s3Client().send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'dir/abandoned.bin'}));
    type Result = {mounts: {alluxioPath: string; skipped?: string; uploads: {key: string; uploadId: string}[]}[]};
    const found = (await ok(['cleanup', '--dry-run', '--older-than', '0', '/mnt/s3'])) as Result;
    expect(found.mounts).toEqual([expect.objectContaining({alluxioPath: '/mnt/s3', uploads: [expect.objectContaining({key: 'dir/abandoned.bin', uploadId: started.UploadId})]})]);
    const aborted = (await ok(['cleanup', '--older-than', '0'])) as Result;
    expect(aborted.mounts.find((m) => m.alluxioPath === '/mnt/s3')?.uploads.map((u) => u.uploadId)).toEqual([started.UploadId]);
    expect(aborted.mounts.find((m) => m.alluxioPath === '/mnt/ro')?.skipped).toBe('readonly mount');
    const again = (await ok(['cleanup', '--older-than', '0', '/mnt/s3'])) as Result;
    expect(again.mounts[0].uploads).toEqual([]);
  });
});

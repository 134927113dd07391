/**
 * Smoke test of the S3 test infrastructure itself: the radosgw cluster from setup.ts, the raw-SDK helpers,
 * the request-log reader and the recording proxy. If this file fails, every other S3 test is suspect.
 */
import {GetObjectCommand, ListObjectsV2Command, PutObjectCommand} from '@aws-sdk/client-s3';
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts';
import {NodeHttpHandler} from '@smithy/node-http-handler';
import {HttpProxyAgent} from 'http-proxy-agent';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {s3Env} from '../../helpers/s3-env.js';
import {
  emptyAndDeleteBucket,
  freshBucket,
  listAllKeys,
  putObjects,
  requestLog,
  s3Client,
  startTinyproxy,
  type Tinyproxy,
} from '../../helpers/s3.js';

describe('radosgw test server', () => {
  let bucket: string;
  let proxy: RecordingProxy | undefined;
  let tinyproxy: Tinyproxy | undefined;

  beforeAll(async () => {
    ({bucket} = await freshBucket('server-smoke'));
  });

  afterAll(async () => {
    await proxy?.close();
    await tinyproxy?.stop();
    await emptyAndDeleteBucket(bucket);
  });

  it('exposes the cluster through inject', () => {
    const env = s3Env();
    expect(env.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.stsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.stsEndpoint).not.toBe(env.endpoint);
    expect(env.userId).toBe('user1');
    expect(env.user2Id).toBe('user2');
    expect(env.roleArn).toBe('arn:aws:iam:::role/S3Access');
    expect(env.startSeconds).toBeGreaterThan(0);
  });

  it('puts and lists objects as user1', async () => {
    await putObjects(bucket, ['a/one.txt', 'b/', 'top']);
    await putObjects(bucket, {'a/two.txt': 'two'});
    expect(await listAllKeys(bucket)).toEqual(['a/one.txt', 'a/two.txt', 'b/', 'top']);
    expect(await listAllKeys(bucket, {prefix: 'a/'})).toEqual(['a/one.txt', 'a/two.txt']);
    const got = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: 'a/two.txt'}));
    expect(await got.Body!.transformToString()).toBe('two');
  });

  it('lists across pages', async () => {
    const keys = Array.from({length: 25}, (_, i) => `paged/k${String(i).padStart(2, '0')}`);
    await putObjects(bucket, keys);
    const page = await s3Client().send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'paged/', MaxKeys: 10}));
    expect(page.IsTruncated).toBe(true);
    expect(await listAllKeys(bucket, {prefix: 'paged/'})).toEqual(keys);
  });

  it("answers 403 AccessDenied to user2 on user1's private bucket", async () => {
    const user2 = s3Client({user: 2});
    const err = await user2.send(new ListObjectsV2Command({Bucket: bucket})).then(
      () => undefined,
      (e: unknown) => e as {name?: string; Code?: string; $metadata?: {httpStatusCode?: number}},
    );
    expect(err?.$metadata?.httpStatusCode).toBe(403);
    expect(err?.name).toBe('AccessDenied');
    await expect(user2.send(new PutObjectCommand({Bucket: bucket, Key: 'x', Body: 'x'}))).rejects.toMatchObject({
      $metadata: {httpStatusCode: 403},
    });
  });

  it('answers AssumeRole for user1 on the STS gateway, and the session can use S3 there', async () => {
    const env = s3Env();
    const sts = new STSClient({
      endpoint: env.stsEndpoint,
      region: env.region,
      credentials: {accessKeyId: env.accessKey, secretAccessKey: env.secretKey},
      maxAttempts: 1,
    });
    const out = await sts.send(new AssumeRoleCommand({RoleArn: env.roleArn, RoleSessionName: 'smoke', DurationSeconds: 900}));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toBeTruthy();
    expect(c.SecretAccessKey).toBeTruthy();
    expect(c.SessionToken).toBeTruthy();
    expect(out.AssumedRoleUser?.Arn).toContain('S3Access');

    const session = s3Client({
      endpoint: env.stsEndpoint,
      credentials: {accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!},
    });
    expect(await listAllKeys(bucket, {prefix: 'a/', client: session})).toEqual(['a/one.txt', 'a/two.txt']);
  });

  it('counts requests by method in the gateway log', async () => {
    const log = requestLog({bucket});
    await putObjects(bucket, ['logged/1', 'logged/2']);
    await listAllKeys(bucket, {prefix: 'logged/'});
    expect(await log.countByMethod()).toEqual({PUT: 2, GET: 1});
    expect((await log.writes()).map((e) => `${e.method} ${e.uri.split('?')[0]}`).sort()).toEqual([
      `PUT /${bucket}/logged/1`,
      `PUT /${bucket}/logged/2`,
    ]);
    await log.reset();
    await listAllKeys(bucket);
    expect(await log.writes()).toEqual([]);
    expect(await log.count('GET')).toBe(1);
  });

  it('records requests and their headers through the recording proxy', async () => {
    proxy = await startRecordingProxy(s3Env().endpoint);
    const viaProxy = s3Client({endpoint: proxy.url});
    await viaProxy.send(
      new PutObjectCommand({Bucket: bucket, Key: 'sse/obj', Body: 'secret', ServerSideEncryption: 'AES256'}),
    );
    expect(await listAllKeys(bucket, {prefix: 'sse/', client: viaProxy})).toEqual(['sse/obj']);
    expect(proxy.count()).toBe(2);
    const [put] = proxy.writes();
    expect(put!.method).toBe('PUT');
    expect(put!.path.split('?')[0]).toBe(`/${bucket}/sse/obj`);
    expect(put!.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put!.status).toBe(200);
    expect(proxy.requests[1]!.method).toBe('GET');
  });

  it('the recording proxy also works as a forward proxy (http-proxy-agent)', async () => {
    const forward = await startRecordingProxy();
    try {
      const client = s3Client({
        config: {requestHandler: new NodeHttpHandler({httpAgent: new HttpProxyAgent(forward.url)})},
      });
      expect(await listAllKeys(bucket, {prefix: 'a/', client})).toEqual(['a/one.txt', 'a/two.txt']);
      expect(forward.count('GET')).toBe(1);
      expect(forward.requests[0]!.url).toMatch(new RegExp(`^${s3Env().endpoint}/${bucket}`));
      expect(forward.requests[0]!.status).toBe(200);
    } finally {
      await forward.close();
    }
  });

  it('tinyproxy forwards requests and logs each one', async () => {
    tinyproxy = await startTinyproxy();
    const log = requestLog({kind: 'tinyproxy', file: tinyproxy.log, bucket});
    const client = s3Client({
      config: {requestHandler: new NodeHttpHandler({httpAgent: new HttpProxyAgent(tinyproxy.url)})},
    });
    await putObjects(bucket, ['via-tinyproxy/x'], client);
    expect(await listAllKeys(bucket, {prefix: 'via-tinyproxy/', client})).toEqual(['via-tinyproxy/x']);
    expect(await log.countByMethod()).toEqual({PUT: 1, GET: 1});
  });
});

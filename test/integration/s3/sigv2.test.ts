/**
 * Signature V2 against radosgw (which verifies V2 signatures): a client switched with useSignatureV2() runs the
 * operations the S3 UFS needs, through a small recording proxy that proves what went on the wire.
 */
import {createReadStream} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import http from 'node:http';
import type {AddressInfo, LookupFunction} from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';

import {useSignatureV2} from '../../../src/ufs/s3/sigv2-hook.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, s3Client} from '../../helpers/s3.js';

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  headers: http.IncomingHttpHeaders;
}

/** A reverse proxy on a free loopback port that forwards to `target` and records every request's headers in `requests`. */
async function recordingProxy(
  target: string,
  requests: Recorded[] = [],
): Promise<{url: string; requests: Recorded[]; close: () => Promise<void>}> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    requests.push({method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, headers: req.headers});
    const forward = http.request(
      {hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers},
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A V2-only client for user1 (or with `secretKey`), path style, us-east-1, checksums only when required. */
function v2Client(endpoint: string, options: {secretKey?: string; config?: Partial<S3ClientConfig>} = {}): S3Client {
  const env = s3Env();
  const credentials =
    options.secretKey === undefined ? undefined : {accessKeyId: env.accessKey, secretAccessKey: options.secretKey};
  const config: Partial<S3ClientConfig> = {
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...options.config,
  };
  return useSignatureV2(s3Client({endpoint, credentials, config}));
}

async function statusAndCode(promise: Promise<unknown>): Promise<{status?: number; code?: string}> {
  try {
    await promise;
  } catch (err) {
    const error = err as {name?: string; Code?: string; $metadata?: {httpStatusCode?: number}};
    return {status: error.$metadata?.httpStatusCode, code: error.Code ?? error.name};
  }
  throw new Error('expected the request to fail');
}

const SPECIAL_KEYS = ['dir/with space.txt', 'dir/plus+sign.txt', 'dir/tilde~name.txt', 'dir/ümlaut.txt', 'dir/(paren).txt'];

describe('Signature V2 on radosgw', () => {
  let bucket: string;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let client: S3Client;
  let tmp: string;

  beforeAll(async () => {
    ({bucket} = await freshBucket('sigv2'));
    proxy = await recordingProxy(s3Env().endpoint);
    client = v2Client(proxy.url);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sigv2-'));
  });

  // What went on the wire in each test (wrong-secret requests included): V2 only, never a V4 header.
  let checked = 0;
  afterEach(() => {
    const requests = proxy.requests.slice(checked);
    checked = proxy.requests.length;
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      const what = `${request.method} ${request.url}`;
      expect(request.authorization, what).toMatch(/^AWS [^:\s]+:[A-Za-z0-9+/]{27}=$/);
      expect(request.headers.date, what).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(request.headers['x-amz-date'], what).toBeUndefined();
      expect(request.headers['x-amz-content-sha256'], what).toBeUndefined();
      expect(JSON.stringify(request.headers), what).not.toContain('AWS4-HMAC-SHA256');
    }
  });

  afterAll(async () => {
    await emptyAndDeleteBucket(bucket);
    await proxy?.close();
    if (tmp) await rm(tmp, {recursive: true, force: true});
  });

  it('puts, heads, reads ranges of and copies objects', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'plain.txt',
        Body: Buffer.from('0123456789'),
        ContentType: 'text/plain',
        Metadata: {purpose: 'sigv2'},
        ACL: 'private',
      }),
    );
    const file = path.join(tmp, 'stream.bin');
    const data = Buffer.alloc(300_000, 7);
    await writeFile(file, data);
    await client.send(
      new PutObjectCommand({Bucket: bucket, Key: 'stream.bin', Body: createReadStream(file), ContentLength: data.length}),
    );

    const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: 'plain.txt'}));
    expect(head.ContentLength).toBe(10);
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({purpose: 'sigv2'});
    expect((await client.send(new HeadObjectCommand({Bucket: bucket, Key: 'stream.bin'}))).ContentLength).toBe(300_000);

    const range = await client.send(new GetObjectCommand({Bucket: bucket, Key: 'plain.txt', Range: 'bytes=2-5'}));
    expect(range.ContentRange).toBe('bytes 2-5/10');
    expect(await range.Body!.transformToString()).toBe('2345');

    const overridden = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'plain.txt',
        ResponseContentType: 'application/x-test',
        ResponseContentDisposition: 'attachment; filename="a b.txt"',
      }),
    );
    expect(overridden.ContentType).toBe('application/x-test');
    expect(overridden.ContentDisposition).toBe('attachment; filename="a b.txt"');
    await overridden.Body!.transformToString();

    await client.send(
      new CopyObjectCommand({Bucket: bucket, Key: 'copy of plain.txt', CopySource: `${bucket}/plain.txt`, MetadataDirective: 'COPY'}),
    );
    const copy = await client.send(new GetObjectCommand({Bucket: bucket, Key: 'copy of plain.txt'}));
    expect(await copy.Body!.transformToString()).toBe('0123456789');
    expect(copy.Metadata).toEqual({purpose: 'sigv2'});
  });

  it('handles keys with space, +, ~, ü and parentheses', async () => {
    for (const key of SPECIAL_KEYS) {
      await client.send(new PutObjectCommand({Bucket: bucket, Key: key, Body: key}));
    }
    for (const key of SPECIAL_KEYS) {
      expect((await client.send(new HeadObjectCommand({Bucket: bucket, Key: key}))).ContentLength).toBe(Buffer.byteLength(key));
      const object = await client.send(new GetObjectCommand({Bucket: bucket, Key: key, Range: 'bytes=0-3'}));
      expect(await object.Body!.transformToString()).toBe(Buffer.from(key).subarray(0, 4).toString());
    }
    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dir/copy (ü+~).txt',
        CopySource: `${bucket}/${encodeURIComponent('dir/with space.txt')}`,
      }),
    );
    expect(await listAllKeys(bucket, {prefix: 'dir/', client})).toEqual(
      [...SPECIAL_KEYS, 'dir/copy (ü+~).txt'].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)),
    );
  });

  it('lists with prefix and delimiter, lists buckets, reads the bucket ACL', async () => {
    await client.send(new PutObjectCommand({Bucket: bucket, Key: 'tree/a.txt', Body: 'a'}));
    await client.send(new PutObjectCommand({Bucket: bucket, Key: 'tree/sub/b.txt', Body: 'b'}));
    const page = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'tree/', Delimiter: '/', MaxKeys: 100}));
    expect(page.Contents?.map((object) => object.Key)).toEqual(['tree/a.txt']);
    expect(page.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['tree/sub/']);

    const buckets = await client.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((entry) => entry.Name)).toContain(bucket);

    const acl = await client.send(new GetBucketAclCommand({Bucket: bucket}));
    expect(acl.Owner?.ID).toBe(s3Env().userId);
    expect(acl.Grants?.some((grant) => grant.Permission === 'FULL_CONTROL')).toBe(true);
  });

  it('deletes several objects at once', async () => {
    const keys = ['del/one', 'del/two (2)', 'del/drei+ü'];
    for (const key of keys) await client.send(new PutObjectCommand({Bucket: bucket, Key: key, Body: 'x'}));
    const result = await client.send(
      new DeleteObjectsCommand({Bucket: bucket, Delete: {Objects: keys.map((Key) => ({Key})), Quiet: false}}),
    );
    expect(result.Errors ?? []).toEqual([]);
    expect(result.Deleted?.map((deleted) => deleted.Key).sort()).toEqual([...keys].sort());
    expect(await listAllKeys(bucket, {prefix: 'del/', client})).toEqual([]);
    expect(proxy.requests.slice(checked).some((request) => /^\/[^/?]+\/?\?delete(=|&|$)/.test(request.url))).toBe(true);
  });

  it('uploads in parts, and aborts an upload', async () => {
    const key = 'multi part (ü+~).bin';
    const {UploadId} = await client.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: key, ContentType: 'application/x-parts'}));
    expect(UploadId).toBeTruthy();
    const part1 = Buffer.alloc(5 * 1024 * 1024, 1);
    const part2 = Buffer.from('tail');
    const etags: string[] = [];
    for (const [index, body] of [part1, part2].entries()) {
      const {ETag} = await client.send(
        new UploadPartCommand({Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, Body: body}),
      );
      etags.push(ETag!);
    }
    const parts = await client.send(new ListPartsCommand({Bucket: bucket, Key: key, UploadId}));
    expect(parts.Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: {Parts: etags.map((ETag, index) => ({ETag, PartNumber: index + 1}))},
      }),
    );
    const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: key}));
    expect(head.ContentLength).toBe(part1.length + part2.length);
    expect(head.ContentType).toBe('application/x-parts');
    expect(head.ETag).toMatch(/-2"$/);

    const aborted = await client.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'aborted.bin'}));
    await client.send(
      new UploadPartCommand({Bucket: bucket, Key: 'aborted.bin', UploadId: aborted.UploadId, PartNumber: 1, Body: part2}),
    );
    await client.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: 'aborted.bin', UploadId: aborted.UploadId}));
    const uploads = await client.send(new ListMultipartUploadsCommand({Bucket: bucket}));
    expect(uploads.Uploads ?? []).toEqual([]);
    const urls = proxy.requests.slice(checked).map((request) => `${request.method} ${request.url}`);
    expect(urls.filter((url) => /^POST \S+\?uploads(=|&|$)/.test(url))).toHaveLength(2);
    expect(urls.filter((url) => /^PUT \S+\?.*partNumber=\d.*uploadId=/.test(url))).toHaveLength(3);
    expect(urls.filter((url) => /^POST \S+\?uploadId=/.test(url))).toHaveLength(1);
    expect(urls.filter((url) => /^DELETE \S+\?uploadId=/.test(url))).toHaveLength(1);
  });

  it('signs virtual-host style requests (bucket in the host name)', async () => {
    // radosgw serves `<bucket>.localhost` (rgw dns name = localhost); make every name resolve to loopback.
    const lookup: LookupFunction = (_hostname, options, callback) =>
      options.all ? callback(null, [{address: '127.0.0.1', family: 4}]) : callback(null, '127.0.0.1', 4);
    const virtualHost = v2Client(proxy.url.replace('127.0.0.1', 'localhost'), {
      config: {forcePathStyle: false, requestHandler: {httpAgent: new http.Agent({lookup})}},
    });
    const key = 'virtual host/(ü+~).txt';
    await virtualHost.send(new PutObjectCommand({Bucket: bucket, Key: key, Body: 'vh'}));
    const object = await virtualHost.send(new GetObjectCommand({Bucket: bucket, Key: key, Range: 'bytes=0-0'}));
    expect(await object.Body!.transformToString()).toBe('v');
    const page = await virtualHost.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'virtual host/'}));
    expect(page.Contents?.map((entry) => entry.Key)).toEqual([key]);
    expect((await virtualHost.send(new GetBucketAclCommand({Bucket: bucket}))).Owner?.ID).toBe(s3Env().userId);
    await virtualHost.send(new DeleteObjectsCommand({Bucket: bucket, Delete: {Objects: [{Key: key}]}}));
    const hosts = new Set(proxy.requests.slice(checked).map((request) => request.headers.host?.split(':')[0]));
    expect([...hosts]).toEqual([`${bucket}.localhost`]);
  });

  it("re-signs with the SDK's corrected clock after RequestTimeTooSkewed", async () => {
    // This process's clock runs 30 minutes late (radosgw allows 15): the first attempt is refused, the SDK learns
    // the offset from the answer's Date header, and its retry is signed with the corrected time.
    const realNow = Date.now.bind(Date);
    const lateClock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 30 * 60_000);
    try {
      const skewed = v2Client(proxy.url, {config: {maxAttempts: 3}});
      const before = proxy.requests.length;
      const result = await skewed.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'tree/'}));
      expect(result.$metadata.attempts).toBe(2);
      expect(skewed.config.systemClockOffset).toBeGreaterThan(29 * 60_000);
      const [first, second] = proxy.requests.slice(before).map((request) => Date.parse(request.headers.date!));
      expect(realNow() - first!).toBeGreaterThan(29 * 60_000);
      expect(Math.abs(realNow() - second!)).toBeLessThan(60_000);
    } finally {
      lateClock.mockRestore();
    }
  });

  it('signs the session token of temporary credentials (STS gateway)', async () => {
    const env = s3Env();
    const sts = new STSClient({
      endpoint: env.stsEndpoint,
      region: 'us-east-1',
      credentials: {accessKeyId: env.accessKey, secretAccessKey: env.secretKey},
      maxAttempts: 1,
    });
    const {Credentials: temporary} = await sts.send(
      new AssumeRoleCommand({RoleArn: env.roleArn, RoleSessionName: 'sigv2-test', DurationSeconds: 900}),
    );
    sts.destroy();
    const stsProxy = await recordingProxy(env.stsEndpoint, proxy.requests);
    try {
      const withToken = (secretAccessKey: string, sessionToken: string) =>
        useSignatureV2(
          s3Client({
            endpoint: stsProxy.url,
            credentials: {accessKeyId: temporary!.AccessKeyId!, secretAccessKey, sessionToken},
            config: {region: 'us-east-1', forcePathStyle: true},
          }),
        );
      const session = withToken(temporary!.SecretAccessKey!, temporary!.SessionToken!);
      await session.send(new PutObjectCommand({Bucket: bucket, Key: 'sts/object.txt', Body: 'temporary'}));
      const object = await session.send(new GetObjectCommand({Bucket: bucket, Key: 'sts/object.txt'}));
      expect(await object.Body!.transformToString()).toBe('temporary');
      const sent = proxy.requests.slice(checked);
      expect(sent.map((request) => request.headers['x-amz-security-token'])).toEqual(
        sent.map(() => temporary!.SessionToken),
      );

      const wrongSecret = withToken(`${temporary!.SecretAccessKey}x`, temporary!.SessionToken!);
      expect(await statusAndCode(wrongSecret.send(new GetObjectCommand({Bucket: bucket, Key: 'sts/object.txt'})))).toEqual({
        status: 403,
        code: 'SignatureDoesNotMatch',
      });
      const tampered = withToken(temporary!.SecretAccessKey!, `${temporary!.SessionToken!.slice(0, -4)}AAAA`);
      expect(await statusAndCode(tampered.send(new GetObjectCommand({Bucket: bucket, Key: 'sts/object.txt'})))).toEqual({
        status: 403,
        code: 'AccessDenied',
      });
    } finally {
      await stsProxy.close();
    }
  });

  it('answers 403 SignatureDoesNotMatch to a wrong secret', async () => {
    const wrong = v2Client(proxy.url, {secretKey: `${s3Env().secretKey}-wrong`});
    const calls = [
      () => wrong.send(new ListBucketsCommand({})),
      () => wrong.send(new PutObjectCommand({Bucket: bucket, Key: 'never.txt', Body: 'x'})),
      () => wrong.send(new GetObjectCommand({Bucket: bucket, Key: 'plain.txt'})),
      () => wrong.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'tree/'})),
      () => wrong.send(new DeleteObjectsCommand({Bucket: bucket, Delete: {Objects: [{Key: 'plain.txt'}]}})),
      () => wrong.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'never.bin'})),
    ];
    for (const call of calls) {
      expect(await statusAndCode(call())).toEqual({status: 403, code: 'SignatureDoesNotMatch'});
    }
    // HEAD answers carry no body, hence no error code: the status says it.
    expect((await statusAndCode(wrong.send(new HeadObjectCommand({Bucket: bucket, Key: 'plain.txt'})))).status).toBe(403);
    expect(await listAllKeys(bucket, {prefix: 'never', client})).toEqual([]);
  });
});

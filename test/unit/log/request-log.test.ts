/**
 * The SDK middleware of src/ufs/s3/request-log.ts on a real S3Client whose HTTP handler is a stub: one line per
 * attempt (retries counted), the operation's bucket and key, request ids, errors without a response, headers
 * with credentials redacted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Configuration} from '../../../src/conf/configuration.js';
import {requestLogPlugin} from '../../../src/ufs/s3/request-log.js';

const SECRET = 'stubSecretKeyThatMustNeverBeLogged0000000';
const TOKEN = 'stubSessionTokenThatMustNeverBeLogged0000';

interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** Answers each request with the next of `answers` (a status, or an Error to throw), recording the requests. */
function stubHandler(answers: (number | Error)[]) {
  const seen: StubRequest[] = [];
  return {
    seen,
    handler: {
      async handle(request: StubRequest) {
        seen.push({method: request.method, path: request.path, headers: {...request.headers}});
        const answer = answers.shift() ?? 200;
        if (answer instanceof Error) throw answer;
        return {
          response: {
            statusCode: answer,
            reason: answer === 200 ? 'OK' : 'Service Unavailable',
            headers: {'x-amz-request-id': `req-${seen.length}`, 'content-length': '0'},
            body: Readable.from([]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

// The SDK's notice about Node 20, as src/ufs/s3/index.ts silences it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let dir: string;
let warnings: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'request-log-'));
  warnings = [];
});

afterEach(() => {
  fs.rmSync(dir, {recursive: true, force: true});
});

function client(levels: Record<string, string>, answers: (number | Error)[], maxAttempts = 3) {
  const conf = new Configuration();
  conf.set('alluxio.conf.dir', path.join(dir, 'conf'));
  conf.set('alluxio.logs.dir', path.join(dir, 'logs'));
  conf.set('alluxio.security.login.username', 'alice');
  for (const [logger, level] of Object.entries(levels)) conf.set(`log4j.logger.${logger}`, level, 'SYSTEM_PROPERTY');
  const stub = stubHandler(answers);
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: {accessKeyId: 'AKIDSTUB0001', secretAccessKey: SECRET, sessionToken: TOKEN},
    requestHandler: stub.handler as never,
    maxAttempts,
  });
  s3.middlewareStack.use(requestLogPlugin(conf, (w) => warnings.push(w)));
  return {s3, seen: stub.seen};
}

const logLines = () =>
  fs
    .readFileSync(path.join(dir, 'logs', 'user', 'user_alice.log'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ''));

function expectNoCredentials(lines: string[], seen: StubRequest[]): void {
  const text = lines.join('\n');
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
  for (const request of seen) {
    const signature = /Signature=([0-9a-f]{64})/.exec(request.headers.authorization ?? '')?.[1];
    expect(signature).toBeDefined();
    expect(text).not.toContain(signature);
  }
}

describe('requestLogPlugin', () => {
  it('logs one line per attempt: a 503 then its retry', async () => {
    const {s3, seen} = client({'com.amazonaws.request': 'DEBUG'}, [503, 200]);
    await s3.send(new HeadObjectCommand({Bucket: 'b', Key: 'dir/f'}));
    const lines = logLines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^DEBUG request - HEAD HeadObject bucket=b key=dir\/f status=503 \d+\.\dms request-id=req-1 attempt=1$/);
    expect(lines[1]).toMatch(/^DEBUG request - HEAD HeadObject bucket=b key=dir\/f status=200 \d+\.\dms request-id=req-2 attempt=2$/);
    expect(seen).toHaveLength(2);
    expectNoCredentials(lines, seen);
  });

  it('counts attempts per operation, not per client', async () => {
    const {s3} = client({'com.amazonaws': 'DEBUG'}, [200, 200]);
    await s3.send(new ListObjectsV2Command({Bucket: 'b', Prefix: 'a b/'}));
    await s3.send(new HeadObjectCommand({Bucket: 'b', Key: 'k'}));
    expect(logLines().map((line) => line.replace(/ \d+\.\dms /, ' '))).toEqual([
      'DEBUG request - GET ListObjectsV2 bucket=b prefix="a b/" status=200 request-id=req-1 attempt=1',
      'DEBUG request - HEAD HeadObject bucket=b key=k status=200 request-id=req-2 attempt=1',
    ]);
  });

  it('logs an attempt that got no response with its error', async () => {
    const {s3} = client({'com.amazonaws.request': 'DEBUG'}, [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'})], 1);
    await expect(s3.send(new GetObjectCommand({Bucket: 'b', Key: 'k'}))).rejects.toThrow(/ECONNREFUSED/);
    expect(logLines()).toEqual([expect.stringMatching(/^DEBUG request - GET GetObject bucket=b key=k error="connect ECONNREFUSED 127\.0\.0\.1:9" \d+\.\dms attempt=1$/)]);
  });

  it('wire: the signed request headers and the response headers, credentials as ******', async () => {
    const {s3, seen} = client({'org.apache.http.wire': 'DEBUG'}, [200]);
    await s3.send(new HeadObjectCommand({Bucket: 'b', Key: 'dir/f'}));
    const lines = logLines();
    expect(lines[0]).toBe('DEBUG wire - >> HEAD /b/dir/f');
    expect(lines).toContain('DEBUG wire - >> authorization: ******');
    expect(lines).toContain('DEBUG wire - >> x-amz-security-token: ******');
    expect(lines).toContain(`DEBUG wire - >> x-amz-date: ${seen[0]!.headers['x-amz-date']}`);
    expect(lines).toContain(`DEBUG wire - >> x-amz-content-sha256: ${seen[0]!.headers['x-amz-content-sha256']}`);
    expect(lines).toContain('DEBUG wire - << 200 OK');
    expect(lines).toContain('DEBUG wire - << x-amz-request-id: req-1');
    expect(lines.some((line) => line.includes(' request - '))).toBe(false);
    expectNoCredentials(lines, seen);
  });

  it('does nothing when neither logger is at DEBUG', async () => {
    const {s3} = client({'com.amazonaws': 'INFO'}, [200]);
    await s3.send(new HeadObjectCommand({Bucket: 'b', Key: 'k'}));
    expect(fs.existsSync(path.join(dir, 'logs'))).toBe(false);
    expect(warnings).toEqual([]);
  });
});

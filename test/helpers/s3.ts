/**
 * Raw-SDK helpers for tests against the radosgw of the `s3` vitest project (see s3-env.ts). They use
 * @aws-sdk/client-s3 directly, never our S3 UFS, so that a test's fixtures do not depend on the code under test.
 *
 *   const {bucket, client} = await freshBucket('ls');       // user1's new private bucket
 *   await putObjects(bucket, ['a/b.txt', 'dir/']);
 *   expect(await listAllKeys(bucket)).toEqual(['a/b.txt', 'dir/']);
 *   const log = requestLog({bucket});                        // counts requests from now on
 *   ... run the code under test ...
 *   expect(await log.writes()).toEqual([]);                  // no PUT/POST/DELETE reached the gateway
 *   await emptyAndDeleteBucket(bucket);
 */
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {statSync} from 'node:fs';
import {mkdtemp, open, stat} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

import {type S3Env, s3Env} from './s3-env.js';

export interface ClientOptions {
  /** 1 (default) or 2; ignored when `credentials` is given. */
  user?: 1 | 2;
  /** Defaults to the main gateway; pass a RecordingProxy's url to put it on the wire. */
  endpoint?: string;
  credentials?: S3ClientConfig['credentials'];
  /** Anything else for the S3Client (requestHandler with a proxy agent, maxAttempts, ...). */
  config?: Partial<S3ClientConfig>;
}

/**
 * An S3Client for the test gateway: path-style, us-east-1, checksums only when an operation requires them
 * (radosgw 16 answers 411 to the SDK's default streaming checksums).
 */
export function s3Client(opts: ClientOptions = {}): S3Client {
  const env = s3Env();
  const credentials =
    opts.credentials ??
    (opts.user === 2
      ? {accessKeyId: env.accessKey2, secretAccessKey: env.secretKey2}
      : {accessKeyId: env.accessKey, secretAccessKey: env.secretKey});
  return new S3Client({
    endpoint: opts.endpoint ?? env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    ...opts.config,
  });
}

let defaultClient: S3Client | undefined;
function user1(): S3Client {
  defaultClient ??= s3Client();
  return defaultClient;
}

/** A valid, unique bucket name starting with `prefix` (lowercased, invalid characters turned into '-'). */
export function uniqueBucketName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'test';
  const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  return `${clean.slice(0, 63 - suffix.length - 1)}-${suffix}`;
}

/** Creates a new private bucket owned by user1; returns its name and a user1 client. */
export async function freshBucket(prefix: string): Promise<{bucket: string; client: S3Client}> {
  const client = user1();
  const bucket = uniqueBucketName(prefix);
  await client.send(new CreateBucketCommand({Bucket: bucket}));
  return {bucket, client};
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/**
 * Puts objects. `keys` as a list: each object's body is its own key (empty for keys ending in '/');
 * as a record: key -> body.
 */
export async function putObjects(
  bucket: string,
  keys: string[] | Record<string, string | Uint8Array>,
  client: S3Client = user1(),
): Promise<void> {
  const entries: [string, string | Uint8Array][] = Array.isArray(keys)
    ? keys.map((k) => [k, k.endsWith('/') ? '' : k])
    : Object.entries(keys);
  await inParallel(entries, 8, ([Key, Body]) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body,
        ContentLength: typeof Body === 'string' ? Buffer.byteLength(Body) : Body.byteLength,
      }),
    ),
  );
}

/** Every key in the bucket (optionally under `prefix`), in S3's order, across all pages. */
export async function listAllKeys(bucket: string, opts: {prefix?: string; client?: S3Client} = {}): Promise<string[]> {
  const client = opts.client ?? user1();
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: opts.prefix, ContinuationToken}));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return keys;
}

/**
 * Deletes every object version, delete marker and unfinished multipart upload, then the bucket.
 * A bucket that does not exist is fine (for afterAll after a failed beforeAll).
 */
export async function emptyAndDeleteBucket(bucket: string | undefined, client: S3Client = user1()): Promise<void> {
  if (!bucket) return;
  try {
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await client.send(new ListObjectVersionsCommand({Bucket: bucket, KeyMarker, VersionIdMarker}));
      const victims = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
      await inParallel(victims, 16, (v) =>
        client.send(new DeleteObjectCommand({Bucket: bucket, Key: v.Key!, VersionId: v.VersionId})),
      );
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker);
    let UploadIdMarker: string | undefined;
    let MpKeyMarker: string | undefined;
    do {
      const page = await client.send(
        new ListMultipartUploadsCommand({Bucket: bucket, KeyMarker: MpKeyMarker, UploadIdMarker}),
      );
      await inParallel(page.Uploads ?? [], 8, (u) =>
        client.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: u.Key!, UploadId: u.UploadId!})),
      );
      MpKeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (MpKeyMarker);
    await client.send(new DeleteBucketCommand({Bucket: bucket}));
  } catch (err) {
    if ((err as {name?: string}).name === 'NoSuchBucket') return;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Request logs

export interface LoggedRequest {
  method: string;
  /** Path and query as received, e.g. "/bucket/a/b?x-id=PutObject" (absolute URLs from a proxy log are cut down). */
  uri: string;
  /** First path segment (the bucket, for path-style requests), decoded; '' for the service ("GET /"). */
  bucket: string;
  /** HTTP status (rgw log only). */
  status?: number;
  /** Authenticated user id or "anonymous" (rgw log only). */
  user?: string;
}

export interface RequestLogOptions {
  /** 'rgw' (default): the main gateway's log; 'rgw-sts': the STS gateway's; 'tinyproxy': a proxy-start.sh log. */
  kind?: 'rgw' | 'rgw-sts' | 'tinyproxy';
  /** Log file; defaults to the gateway log from s3Env() for the rgw kinds. Required for 'tinyproxy'. */
  file?: string;
  /** Keep only requests whose first path segment is this bucket (other test files share the gateway). */
  bucket?: string;
}

export interface RequestLog {
  /** Requests logged since requestLog() was called (or since the last reset()), oldest first. */
  entries(): Promise<LoggedRequest[]>;
  /** How many of those have this method (any method if omitted). */
  count(method?: string): Promise<number>;
  /** {GET: 3, PUT: 1, ...} */
  countByMethod(): Promise<Record<string, number>>;
  /** Those that may change state: anything but GET, HEAD and OPTIONS. */
  writes(): Promise<LoggedRequest[]>;
  /** Start counting afresh from now. */
  reset(): Promise<void>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// 2026-...  1 beast: 0x7f..: 127.0.0.1 - user1 [26/Nov/2026:09:50:44.526 +0000] "PUT /b/k?x-id=PutObject HTTP/1.1" 200 2 - "ua" - latency=...
const RGW_LINE = /\sbeast: \S+ \S+ - (\S+) \[[^\]]*\] "([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;
// INFO      Nov 26 10:00:00.000 [1234]: Request (file descriptor 7): PUT http://127.0.0.1:7480/b/k HTTP/1.1
const PROXY_LINE = /Request \(file descriptor \d+\): ([A-Z]+) (\S+) HTTP\/[\d.]+/;

function firstSegment(uri: string): string {
  const p = uri.split('?')[0]!.replace(/^\/+/, '');
  const seg = p.split('/')[0] ?? '';
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function parseLine(line: string, kind: 'rgw' | 'tinyproxy'): LoggedRequest | undefined {
  if (kind === 'tinyproxy') {
    const m = PROXY_LINE.exec(line);
    if (!m) return undefined;
    let uri = m[2]!;
    if (/^[a-z]+:\/\//i.test(uri)) {
      const u = new URL(uri);
      uri = u.pathname + u.search;
    }
    return {method: m[1]!, uri, bucket: firstSegment(uri)};
  }
  const m = RGW_LINE.exec(line);
  if (!m) return undefined;
  return {method: m[2]!, uri: m[3]!, bucket: firstSegment(m[3]!), status: Number(m[4]), user: m[1]!};
}

function fileSizeSync(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return '';
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the requests a gateway (or tinyproxy) logged from now on. radosgw writes a request's line when the
 * request completes, through an asynchronous log thread: before reading, entries() sends an anonymous marker
 * request straight to the gateway and waits for its line, so every request answered before the call is in.
 * The marker itself is not counted. For tinyproxy (which logs a request when it receives it) entries() waits
 * until the file stops growing for 100 ms.
 */
export function requestLog(opts: RequestLogOptions = {}): RequestLog {
  const kind = opts.kind ?? 'rgw';
  let env: S3Env | undefined;
  if (kind !== 'tinyproxy') env = s3Env();
  const file = opts.file ?? (kind === 'rgw' ? env!.rgwLog : kind === 'rgw-sts' ? env!.rgwStsLog : undefined);
  if (!file) throw new Error("requestLog({kind: 'tinyproxy'}) needs the log's file");
  const gateway = kind === 'rgw-sts' ? env?.stsEndpoint : env?.endpoint;
  const parseKind = kind === 'tinyproxy' ? 'tinyproxy' : 'rgw';
  let start = fileSizeSync(file);

  async function settle(): Promise<void> {
    if (parseKind === 'rgw') {
      const marker = `alluxio-s3-log-marker-${randomBytes(6).toString('hex')}`;
      const res = await fetch(`${gateway}/${marker}`, {method: 'GET'});
      await res.arrayBuffer();
      for (let i = 0; i < 200; i++) {
        if ((await readFrom(file!, start)).includes(`/${marker} `)) return;
        await sleep(25);
      }
      throw new Error(`requestLog: the marker request never appeared in ${file}`);
    }
    let last = -1;
    for (let i = 0; i < 100; i++) {
      const size = await fileSize(file!);
      if (size === last) return;
      last = size;
      await sleep(100);
    }
  }

  async function entries(): Promise<LoggedRequest[]> {
    await settle();
    const text = await readFrom(file!, start);
    const out: LoggedRequest[] = [];
    for (const line of text.split('\n')) {
      const e = parseLine(line, parseKind);
      if (!e || e.bucket.startsWith('alluxio-s3-log-marker-')) continue;
      if (opts.bucket !== undefined && e.bucket !== opts.bucket) continue;
      out.push(e);
    }
    return out;
  }

  return {
    entries,
    async count(method?: string) {
      const all = await entries();
      return method ? all.filter((e) => e.method === method.toUpperCase()).length : all.length;
    },
    async countByMethod() {
      const counts: Record<string, number> = {};
      for (const e of await entries()) counts[e.method] = (counts[e.method] ?? 0) + 1;
      return counts;
    },
    async writes() {
      return (await entries()).filter((e) => !READ_METHODS.has(e.method));
    },
    async reset() {
      await settle();
      start = fileSizeSync(file!);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// tinyproxy (a real forward proxy, for the proxy settings of the S3 UFS)

export interface Tinyproxy {
  /** http://127.0.0.1:PORT, for HTTP_PROXY or an http-proxy-agent. */
  url: string;
  port: number;
  /** Its log: requestLog({kind: 'tinyproxy', file: proxy.log}) counts what went through. */
  log: string;
  dir: string;
  stop(): Promise<void>;
}

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));

function execScript(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, {env, timeout: 30_000}, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} failed: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
  });
}

/** Starts tinyproxy (test/servers/proxy-start.sh) on a free loopback port, in a fresh temp dir. */
export async function startTinyproxy(): Promise<Tinyproxy> {
  const port = await new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alluxio-s3-tinyproxy-'));
  await execScript(path.join(SERVERS, 'proxy-start.sh'), [dir], {...process.env, PROXY_PORT: String(port)});
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: path.join(dir, 'tinyproxy.log'),
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await execScript(path.join(SERVERS, 'proxy-stop.sh'), [dir], process.env);
    },
  };
}

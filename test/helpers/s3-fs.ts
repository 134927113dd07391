/**
 * A real FileSystem over S3 for the integration tests of the `s3` vitest project: the same assembly as
 * unit-fs.ts (SQLite metastore, worker cache, permission checker on temp folders), with the root mount either a
 * local temp folder (default; S3 is then mounted below it with `fs.mount`, as `alluxio fs mount` does) or an
 * `s3://` URI with root mount options (as `alluxio.master.mount.table.root.ufs` does).
 *
 *   const t = await openS3Fs();                                   // alice, the superuser; /mnt exists
 *   await t.fs.mount('/mnt/s3', `s3://${bucket}/`, s3Mount({readOnly: true}));
 *   for await (const s of t.fs.list('/mnt/s3', {recursive: true})) ...
 *   await t.close();                                              // closes the FS, deletes the temp folders
 *
 * Writes default to THROUGH (straight to S3) unless `conf` says otherwise.
 */
import {randomBytes} from 'node:crypto';
import {mkdirSync} from 'node:fs';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';

import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketAclCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

import {FileSystem} from '../../src/fs/file-system.js';
import {type FsContext, createFsContext} from '../../src/fs/fs-context.js';
import type {MountOptions} from '../../src/fs/mounts.js';
import {openMetaStore} from '../../src/meta/open.js';
import type {MetaStore, MountRecord} from '../../src/meta/store.js';
import type {LoginUser} from '../../src/security/user.js';
import {s3Env} from './s3-env.js';
import {s3Client} from './s3.js';
import {ALICE, type FsFolders, collect, folderConf, makeFolders, removeFolders} from './unit-fs.js';

export {ALICE, collect};

/** A user who is not the superuser and in none of the test groups. */
export const PRESTO: LoginUser = {name: 'presto', groups: ['presto'], primaryGroup: 'presto'};

export interface S3FsOptions {
  /** Values set on top of the built-in defaults (writetype THROUGH is added unless given). */
  conf?: Record<string, string>;
  user?: LoginUser;
  /** Who formatted (the superuser); alice unless given. */
  superUser?: string;
  /** Root mount UFS: a local temp folder unless given (e.g. `s3://bucket/`). */
  rootUfs?: string;
  rootOptions?: Record<string, string>;
  rootReadOnly?: boolean;
  rootShared?: boolean;
  quotaBytes?: number;
  /** Reuse the folders of another S3Fs (another "process" on the same metastore); they are then not deleted. */
  folders?: FsFolders;
  /** Create /mnt in Alluxio (owned by the login user, 0755) when the root is local; default true. */
  makeMnt?: boolean;
}

export interface S3Fs {
  fs: FileSystem;
  ctx: FsContext;
  store: MetaStore;
  folders: FsFolders;
  root: MountRecord;
  warnings: string[];
  /** Closes the FileSystem (S3 clients, metastore) and deletes the folders it made. */
  close(): Promise<void>;
}

/** Groups of the test users, for chown user:group checks. */
const GROUPS: Record<string, string[]> = {alice: ['staff', 'dev'], bob: ['bobs'], presto: ['presto'], john: ['john']};

export async function openS3Fs(options: S3FsOptions = {}): Promise<S3Fs> {
  const own = options.folders === undefined;
  const folders = options.folders ?? (await makeFolders('s3-fs-'));
  const conf = folderConf(folders, {
    'alluxio.user.file.writetype.default': 'THROUGH',
    'alluxio.worker.tieredstore.level0.dirs.quota': String(options.quotaBytes ?? 64 * 1024 * 1024),
    ...options.conf,
  });
  const store = await openMetaStore(conf);
  const user = options.user ?? ALICE;
  const superUser = options.superUser ?? ALICE.name;
  const root: MountRecord = {
    alluxioPath: '/',
    ufsUri: options.rootUfs ?? folders.ufs,
    readOnly: options.rootReadOnly ?? false,
    shared: options.rootShared ?? false,
    options: options.rootOptions ?? {},
    createdAt: 0,
  };
  const warnings: string[] = [];
  const ctx = await createFsContext({
    conf,
    store,
    user,
    root,
    format: {superUser, superGroup: 'staff'},
    groupsOf: (name) => GROUPS[name] ?? [],
    warn: (message) => warnings.push(message),
  });
  const fs = new FileSystem(ctx);
  if (options.rootUfs === undefined && (options.makeMnt ?? true) && own) {
    await fs.mkdir('/mnt', {recursive: true, writeType: 'CACHE_THROUGH'});
  }
  let closed = false;
  return {
    fs,
    ctx,
    store,
    folders,
    root,
    warnings,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await fs.close();
      } finally {
        if (own) await removeFolders(folders);
      }
    },
  };
}

export interface S3MountSpec {
  readOnly?: boolean;
  shared?: boolean;
  /** 1 (default) or 2: whose keys; ignored for a key given in `options`. */
  user?: 1 | 2;
  /** Defaults to the gateway; a RecordingProxy's url puts the mount's requests on record. */
  endpoint?: string;
  /** More mount options (win over the defaults). */
  options?: Record<string, string>;
}

/** Mount options for the test gateway: keys, endpoint, path-style addressing. */
export function s3Options(spec: Omit<S3MountSpec, 'readOnly' | 'shared'> = {}): Record<string, string> {
  const env = s3Env();
  return {
    's3a.accessKeyId': spec.user === 2 ? env.accessKey2 : env.accessKey,
    's3a.secretKey': spec.user === 2 ? env.secretKey2 : env.secretKey,
    'alluxio.underfs.s3.endpoint': spec.endpoint ?? env.endpoint,
    'alluxio.underfs.s3.disable.dns.buckets': 'true',
    ...spec.options,
  };
}

/** `fs.mount` options for the test gateway. */
export function s3Mount(spec: S3MountSpec = {}): MountOptions {
  return {readOnly: spec.readOnly ?? false, shared: spec.shared ?? false, options: s3Options(spec)};
}

// ---------------------------------------------------------------------------------------------------------------
// Data and streams

/** `n` bytes of a repeating pattern that depends on `seed` (cheap, and a shifted read would not match). */
export function pattern(n: number, seed = 1): Buffer {
  const block = Buffer.alloc(65_521); // a prime, so parts of 5 MB do not all start alike
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  const out = Buffer.alloc(n);
  for (let off = 0; off < n; off += block.length) block.copy(out, off, 0, Math.min(block.length, n - off));
  return out;
}

/** A stream of `data` in chunks of `chunk` bytes that fails with `error` after `failAfter` bytes, if given. */
export function chunkedSource(data: Buffer, opts: {chunk?: number; failAfter?: number; error?: Error} = {}): Readable {
  const chunk = opts.chunk ?? 256 * 1024;
  let offset = 0;
  return new Readable({
    read() {
      if (opts.failAfter !== undefined && offset >= opts.failAfter) {
        this.destroy(opts.error ?? new Error('source failed on purpose'));
        return;
      }
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      const end = Math.min(data.length, offset + chunk, opts.failAfter ?? Infinity);
      this.push(data.subarray(offset, end));
      offset = end;
    },
  });
}

export async function readBytes(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The whole content of an Alluxio file, read around the cache. */
export async function readFs(fs: FileSystem, path: string): Promise<Buffer> {
  return readBytes((await fs.open(path, 'NO_CACHE')).stream);
}

/** Writes a file through the FileSystem (THROUGH unless given). */
export function writeFs(fs: FileSystem, path: string, data: Buffer | string, writeType: 'THROUGH' | 'CACHE_THROUGH' = 'THROUGH'): Promise<void> {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return fs.createFile(path, chunkedSource(body), {length: body.length, recursive: true, writeType});
}

/** Paths (and `/` for directories) of a listing. */
export async function listPaths(fs: FileSystem, path: string, recursive = false): Promise<string[]> {
  return (await collect(fs.list(path, {recursive}))).map((s) => (s.isDirectory ? `${s.path}/` : s.path));
}

// ---------------------------------------------------------------------------------------------------------------
// Raw S3 (fixtures and checks that never go through the code under test)

/** Puts many objects with the raw SDK, `concurrency` at a time; the body of each is its key (empty for `dir/`). */
export async function putMany(bucket: string, keys: string[], concurrency = 32, client: S3Client = s3Client()): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const Key = keys[next++]!;
      const Body = Key.endsWith('/') ? '' : Key;
      await client.send(new PutObjectCommand({Bucket: bucket, Key, Body, ContentLength: Buffer.byteLength(Body)}));
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, keys.length)}, worker));
}

/** HEAD of a key with the raw SDK: its size and ETag, or undefined for 404. */
export async function headObject(bucket: string, key: string): Promise<{size: number; etag: string} | undefined> {
  try {
    const out = await s3Client().send(new HeadObjectCommand({Bucket: bucket, Key: key}));
    return {size: out.ContentLength ?? -1, etag: out.ETag ?? ''};
  } catch (e) {
    if ((e as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

/** Unfinished multipart uploads of the bucket (keys). */
export async function multipartUploads(bucket: string): Promise<string[]> {
  const out = await s3Client().send(new ListMultipartUploadsCommand({Bucket: bucket}));
  return (out.Uploads ?? []).map((u) => u.Key ?? '');
}

/** The bucket ACL: user1 FULL_CONTROL, plus these grants to user2 (e.g. ['READ'] or ['READ', 'READ_ACP']). */
export async function grantUser2(bucket: string, permissions: Array<'READ' | 'WRITE' | 'READ_ACP' | 'FULL_CONTROL'>): Promise<void> {
  const env = s3Env();
  await s3Client().send(
    new PutBucketAclCommand({
      Bucket: bucket,
      AccessControlPolicy: {
        Owner: {ID: env.userId},
        Grants: [
          {Grantee: {Type: 'CanonicalUser', ID: env.userId}, Permission: 'FULL_CONTROL'},
          ...permissions.map((Permission) => ({Grantee: {Type: 'CanonicalUser' as const, ID: env.user2Id}, Permission})),
        ],
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Local folders

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, {recursive: true, force: true});
}

export async function entriesOf(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Polls `predicate` every 5 ms until it holds (or fails after `ms`). */
export async function waitFor(predicate: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`waitFor: ${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function mkdirp(dir: string): void {
  mkdirSync(dir, {recursive: true});
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// A reverse proxy that also keeps request bodies of POST requests (multi-object delete lists its keys there)

export interface BodyRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** POST bodies only (up to 1 MB); '' otherwise. */
  body: string;
  status?: number;
  /** Arrival order. */
  seq: number;
}

export interface BodyRecordingProxy {
  url: string;
  port: number;
  readonly requests: BodyRequest[];
  clear(): void;
  close(): Promise<void>;
}

export async function startBodyRecordingProxy(target: string): Promise<BodyRecordingProxy> {
  const upstream = new URL(target);
  const requests: BodyRequest[] = [];
  const agent = new http.Agent({keepAlive: true, maxSockets: 64});
  const sockets = new Set<Socket>();
  let seq = 0;
  const server = http.createServer((req, res) => {
    const entry: BodyRequest = {method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: '', seq: seq++};
    requests.push(entry);
    const keep = entry.method === 'POST';
    const out = http.request(
      {host: upstream.hostname, port: upstream.port, method: req.method, path: entry.path, headers: req.headers, agent},
      (up) => {
        entry.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    if (keep) {
      req.on('data', (d: Buffer) => {
        if (entry.body.length < 1 << 20) entry.body += d.toString('utf8');
      });
    }
    req.pipe(out);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
}

/** The S3 operation of a recorded request, from its method and query (enough for the tests' assertions). */
export function operationOf(r: {method: string; path: string; headers: http.IncomingHttpHeaders}): string {
  const q = new URLSearchParams(r.path.split('?')[1] ?? '');
  const keyPath = r.path.split('?')[0] ?? '/';
  switch (r.method) {
    case 'GET':
      if (q.has('acl')) return 'GetBucketAcl';
      if (q.has('uploads')) return 'ListMultipartUploads';
      if (q.get('list-type') === '2') return 'ListObjectsV2';
      if (q.has('prefix') || q.has('delimiter') || q.has('marker') || q.has('max-keys')) return 'ListObjects';
      if (keyPath === '/' || keyPath === '') return 'ListBuckets';
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (q.has('acl')) return 'PutAcl';
      if (q.has('partNumber')) return 'UploadPart';
      if (r.headers['x-amz-copy-source']) return 'CopyObject';
      return 'PutObject';
    case 'POST':
      if (q.has('delete')) return 'DeleteObjects';
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      return 'POST';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return r.method;
  }
}

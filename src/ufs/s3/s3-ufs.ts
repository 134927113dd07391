import {createHash} from 'node:crypto';
import {createReadStream, createWriteStream, promises as fsp} from 'node:fs';
import {join} from 'node:path';
import {Readable, Writable} from 'node:stream';
import {setTimeout as sleep} from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {ioError, notFound} from '../../errors.js';
import type {
  AbandonedUpload,
  CleanupOptions,
  CopySource,
  CreateOptions,
  ListOptions,
  OpenOptions,
  UfsDiagnosis,
  UfsSpace,
  UfsStatus,
  UnderFileSystem,
} from '../types.js';
import type {Triple} from './acl.js';
import {readBucketPermissions} from './bucket-permissions.js';
import {KnownKeys} from './known-keys.js';
import {removeOnInterrupt} from '../../util/interrupts.js';
import {NO_PROGRESS, type Progress, whileListing} from '../../util/progress.js';
import {forEachLimited} from '../../util/limit.js';
import {STAGING_PREFIXES, temporaryName} from '../../util/temp-files.js';
import {MIN_PART_SIZE, type MultipartTarget, copyInParts, streamingWriter, uploadFileInParts} from './multipart.js';
import {type RawObject, type RawPage, inPathOrder} from './path-order.js';
import {type FailureKind, backoffMs, failureKind, failuresOf, withFailures, withSendOptions} from './retry.js';
import {type S3ErrorContext, errorCodeOf, httpStatusOf, isNotFound, translateS3Error} from './s3-errors.js';
import {directoryPrefix, parseS3Uri} from './s3-uri.js';

/** Everything the S3 UFS reads from a mount's configuration, resolved once. */
export interface S3UfsSettings {
  bucket: string;
  /** The mount's URI, for the doctor command named in errors. */
  mountUri: string;
  readOnly: boolean;
  directorySuffix: string;
  breadcrumbs: boolean;
  listingLength: number;
  listV1: boolean;
  sse: boolean;
  serviceThreads: number;
  uploadThreads: number;
  streamingUpload: boolean;
  partitionSize: number;
  /** Server-side copies of objects above this size go in parts (UploadPartCopy). */
  copyThreshold: number;
  /** Same endpoint, signer and credentials: see UnderFileSystem.copyScope. */
  copyScope(): Promise<string>;
  tmpDirs: string[];
  inheritAcl: boolean;
  defaultMode: number;
  ownerMapping?: string;
  /** For messages: the endpoint the client talks to. */
  endpoint: string;
  /** For messages, and the budget of a resumed download: attempts per request and the timeouts of each. */
  limits: Pick<S3ErrorContext, 'maxAttempts' | 'connectionTimeoutMs' | 'socketTimeoutMs' | 'requestTimeoutMs'>;
  /** Who the requests are made as, key id masked, for error messages. */
  describeCredentials(): string;
  /** `doctor s3`: credentials, settings and probes of this mount's client. */
  diagnose(path: string, options: {write: boolean}): Promise<UfsDiagnosis>;
  warn(message: string): void;
}

const EMPTY_MD5 = createHash('md5').update('').digest('base64');

/** Bodies up to this size are read whole: a buffer costs less CPU than a stream, and the SDK may retry it. */
const SMALL_BODY = 1024 * 1024;

/** A listing with more entries than this is not remembered (memory): lookups below it ask S3 again. */
const MAX_REMEMBERED_LISTING = 100_000;

/**
 * The S3 under file system, after Alluxio's object-store conventions: directories are zero-byte marker objects
 * (`dir/`) or implied by keys below them, listings stream page by page, rename is copy then delete, and every
 * path shows the owner, group and mode that the mount's bucket ACL gives.
 */
export class S3UnderFileSystem implements UnderFileSystem {
  readonly type = 's3';
  readonly isObjectStore = true;
  private triple?: Promise<Triple>;
  private scope?: Promise<string>;
  /** What this command learned of the bucket: no key or directory is looked up twice. */
  private readonly known = new KnownKeys();
  /** Lookups under way, shared by concurrent callers asking the same question. */
  private readonly lookups = new Map<string, Promise<unknown>>();

  constructor(
    readonly client: S3Client,
    private readonly settings: S3UfsSettings,
    triple?: Triple,
  ) {
    if (triple) this.triple = Promise.resolve(triple);
  }

  /** The mount's owner, group and mode: from the account and bucket ACL (two requests), computed once. */
  getPermissions(): Promise<Triple> {
    this.triple ??= this.computePermissions();
    return this.triple;
  }

  async getStatus(path: string): Promise<UfsStatus | null> {
    const key = this.keyOf(path);
    const name = key.replace(/\/+$/, '').split('/').pop() ?? '';
    if (key === '') return this.directory(name);
    const head = await this.head(key.replace(/\/+$/, ''));
    if (head) return this.file(name, head);
    return (await this.isDirectory(key)) ? this.directory(name) : null;
  }

  async *listStatus(path: string, options: ListOptions): AsyncIterable<UfsStatus[]> {
    const key = this.keyOf(path);
    const prefix = directoryPrefix(key);
    const pages = this.pagesWithChecks(prefix, options.recursive, path);
    const triple = await this.getPermissions();
    const listed = inPathOrder(pages, {
      prefix,
      recursive: options.recursive,
      suffix: this.settings.directorySuffix,
      holdLimit: this.settings.listingLength,
      hasChildren: (name) => this.hasKeysUnder(prefix + name + '/'),
    });
    for await (const entries of listed) {
      yield entries.map((e) => ({
        name: e.name,
        isDirectory: e.isDirectory,
        length: e.length,
        lastModified: e.lastModified,
        contentHash: e.etag,
        ...triple,
      }));
    }
  }

  async mkdirs(path: string, options: {createParent: boolean}): Promise<boolean> {
    const key = this.keyOf(path).replace(/\/+$/, '');
    if (key === '') return true;
    if (await this.head(key)) return false;
    if (await this.isDirectory(key)) return true;
    if (options.createParent) {
      // The mount's own folder and what lies above it need no marker: the mount stands for them.
      const root = this.keyOf(this.settings.mountUri).replace(/\/+$/, '');
      const parts = key.split('/');
      for (let i = root === '' ? 1 : root.split('/').length + 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join('/');
        if (await this.head(parent)) return false;
        if (!(await this.isDirectory(parent))) await this.putMarker(parent);
      }
    }
    await this.putMarker(key);
    return true;
  }

  async create(path: string, _options: CreateOptions): Promise<Writable> {
    const key = this.keyOf(path);
    if (this.settings.streamingUpload) {
      return streamingWriter(this.multipartTarget(key), this.tmpDir(), this.partSize(), () => this.putEmpty(key));
    }
    return this.stagedWriter(key);
  }

  /** Uploads a local file without staging a copy: one PUT, or parts read from its byte ranges. */
  async createFromFile(path: string, sourceFile: string, length: number, progress: Progress = NO_PROGRESS): Promise<void> {
    const key = this.keyOf(path);
    if (length === 0) return this.putEmpty(key);
    if (this.settings.streamingUpload || length > this.partSize()) {
      return uploadFileInParts(this.multipartTarget(key), sourceFile, length, this.partSize(), progress);
    }
    await this.putFile(key, sourceFile, length);
    progress.advance(length);
  }

  copyScope(): Promise<string> {
    this.scope ??= this.settings.copyScope();
    return this.scope;
  }

  /** CopyObject, or a multipart copy above the copy threshold; S3 writes the object at once when complete. */
  async copyObject(src: string, path: string, source: CopySource): Promise<void> {
    const from = parseS3Uri(src);
    const key = this.keyOf(path);
    const copySource = copySourceOf(from.bucket, from.key);
    let copied: {etag?: string; lastModified?: number} = {};
    if (source.length > this.settings.copyThreshold) {
      const target = {...this.multipartTarget(key), completed: (_size: number, etag: string | undefined) => (copied = {etag})};
      // Every part from one version of the source: one HEAD is little beside the parts of an object this big.
      const ifMatch = (await this.call('HeadObject', from.key, () => this.client.send(new HeadObjectCommand({Bucket: from.bucket, Key: from.key})))).ETag;
      await copyInParts(target, copySource, source.length, this.partSize(), ifMatch);
    } else {
      copied = await this.copy(from.key, key, from);
    }
    this.known.wrote(key, {key, size: source.length, etag: copied.etag, lastModified: copied.lastModified ?? this.storeNow()});
  }

  async open(path: string, options: OpenOptions = {}): Promise<Readable> {
    const key = this.keyOf(path);
    const offset = options.offset ?? 0;
    if (options.length === 0) return Readable.from([]);
    const end = options.length === undefined ? undefined : offset + options.length - 1;
    // No Range on a plain read: a Range on a 0-byte object is an error.
    const ranged = offset > 0 || end !== undefined;
    // Ranges of one read must come from one version: pinned to the ETag this command saw, a changed object fails.
    const ifMatch = ranged ? this.known.object(key)?.etag : undefined;
    const first = await this.call('GetObject', key, () => this.getObject(key, ranged ? offset : undefined, end, ifMatch));
    const stream = Readable.from(this.resumable(key, first, offset, end), {objectMode: false});
    // Destroyed before its first read, the generator never runs and so never ends the body: its socket would stay
    // checked out and keep the process alive. Destroying a body read to its end leaves its socket to the pool.
    stream.once('close', () => (first.Body as Readable).destroy());
    return stream;
  }

  async deleteFile(path: string): Promise<boolean> {
    const key = this.keyOf(path);
    await this.call('DeleteObject', key, () => this.client.send(new DeleteObjectCommand({Bucket: this.settings.bucket, Key: key})));
    this.known.deleted(key);
    return true;
  }

  async deleteDirectory(path: string, options: {recursive: boolean; progress?: Progress}): Promise<boolean> {
    const progress = options.progress ?? NO_PROGRESS;
    const prefix = directoryPrefix(this.keyOf(path));
    const dir = prefix.slice(0, -1);
    if (!options.recursive && (await this.hasKeysUnder(prefix, true))) return false;
    try {
      // Keys in batches of a listing page, several batches in flight: DeleteObjects takes at most 1000 keys.
      if (options.recursive) {
        await forEachLimited(this.keyBatches(prefix, progress), this.settings.serviceThreads, async (keys) => {
          await this.deleteKeys(keys);
          progress.advance(keys.length);
        });
      }
      await this.deleteKeys([this.markerKey(prefix)]);
    } catch (e) {
      this.known.forgetBelow(dir);
      throw e;
    }
    this.known.deletedBelow(dir);
    this.known.deleted(this.markerKey(prefix));
    return true;
  }

  async renameFile(src: string, dst: string): Promise<boolean> {
    const from = this.keyOf(src);
    const to = this.keyOf(dst);
    const object = await this.head(from);
    if (!object || (await this.getStatus(dst))) return false;
    const copied = await this.copy(from, to);
    this.known.wrote(to, {...object, key: to, ...copied});
    await this.deleteKeys([from]);
    this.known.deleted(from);
    return true;
  }

  async renameDirectory(src: string, dst: string, progress: Progress = NO_PROGRESS): Promise<boolean> {
    const from = directoryPrefix(this.keyOf(src));
    const to = directoryPrefix(this.keyOf(dst));
    if (await this.getStatus(dst)) return false;
    // Copy everything first, delete after: a failure part way leaves both trees, never neither.
    this.known.forgetBelow(to.slice(0, -1));
    // Entries count as moved once copied: the deletes after go a thousand keys per request.
    await forEachLimited(this.allKeys(from, progress), this.settings.serviceThreads, async (key) => {
      await this.copy(key, to + key.slice(from.length));
      progress.advance(1);
    });
    this.known.sawKeysBelow(to.slice(0, -1), true);
    if (!(await this.head(this.markerKey(to)))) await this.putMarker(to.replace(/\/$/, ''));
    await this.deleteDirectory(src, {recursive: true});
    return true;
  }

  /**
   * Aborts multipart uploads started before `startedBefore`. Alluxio sweeps the whole bucket, which can kill
   * another writer's upload; here the sweep stays under the mount's prefix unless asked otherwise.
   */
  async cleanup(options: CleanupOptions): Promise<AbandonedUpload[]> {
    const {bucket} = this.settings;
    const prefix = options.wholeBucket ? '' : directoryPrefix(this.keyOf(options.path));
    const found: AbandonedUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const out = await this.call('ListMultipartUploads', prefix, () =>
        this.client.send(new ListMultipartUploadsCommand({Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker})),
      );
      for (const upload of out.Uploads ?? []) {
        const initiated = upload.Initiated?.getTime() ?? 0;
        if (upload.Key && upload.UploadId && initiated < options.startedBefore) {
          found.push({key: upload.Key, uploadId: upload.UploadId, initiated});
        }
      }
      keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      uploadIdMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
    } while (keyMarker);
    if (!options.dryRun) {
      options.progress?.grow(found.length);
      await forEachLimited(found, this.settings.serviceThreads, (u) =>
        this.call('AbortMultipartUpload', u.key, async () => {
          await this.client.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: u.key, UploadId: u.uploadId}));
          options.progress?.advance(1);
        }),
      );
    }
    return found;
  }

  diagnose(path: string, options: {write: boolean}): Promise<UfsDiagnosis> {
    return this.settings.diagnose(path, options);
  }

  async getSpace(): Promise<UfsSpace> {
    return {capacity: -1, used: -1};
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(path: string): string {
    return parseS3Uri(path).key;
  }

  private markerKey(prefix: string): string {
    return prefix.replace(/\/$/, '') + this.settings.directorySuffix;
  }

  private partSize(): number {
    return Math.max(MIN_PART_SIZE, this.settings.partitionSize);
  }

  private tmpDir(): string {
    const dirs = this.settings.tmpDirs;
    return dirs[Math.floor(Math.random() * dirs.length)] ?? '/tmp';
  }

  private directory(name: string): Promise<UfsStatus> {
    return this.getPermissions().then((t) => ({name, isDirectory: true, length: 0, ...t}));
  }

  private async file(name: string, head: RawObject): Promise<UfsStatus> {
    const t = await this.getPermissions();
    return {name, isDirectory: false, length: head.size, lastModified: head.lastModified, contentHash: head.etag, ...t};
  }

  /** One question to S3 at a time per tag: concurrent callers asking the same share its answer. */
  private once<T>(tag: string, ask: () => Promise<T>): Promise<T> {
    let pending = this.lookups.get(tag) as Promise<T> | undefined;
    if (!pending) {
      pending = ask().finally(() => this.lookups.delete(tag));
      this.lookups.set(tag, pending);
    }
    return pending;
  }

  private async head(key: string): Promise<RawObject | undefined> {
    const known = this.known.object(key);
    if (known !== undefined) return known ?? undefined;
    return this.once(`head ${key}`, async () => {
      try {
        const out = await this.client.send(new HeadObjectCommand({Bucket: this.settings.bucket, Key: key}));
        const object = {key, size: out.ContentLength ?? 0, lastModified: out.LastModified?.getTime(), etag: out.ETag};
        this.known.sawObject(key, object);
        return object;
      } catch (e) {
        if (!isNotFound(e)) throw this.fail('HeadObject', key, e);
        this.known.sawObject(key, null);
        return undefined;
      }
    });
  }

  /**
   * Keys known below it (a listing named it), a marker object, or any key below: then write the missing marker
   * (a breadcrumb) when allowed. A marker `dir/` is the first key of its own prefix, so one LIST of one key
   * answers both questions.
   */
  private async isDirectory(key: string): Promise<boolean> {
    const prefix = directoryPrefix(key);
    if (this.known.hasKeysBelow(prefix.slice(0, -1)) === true) return true;
    const marker = this.markerKey(prefix);
    if (marker !== prefix && (await this.head(marker))) return true;
    if (!(await this.hasKeysUnder(prefix))) return false;
    await this.breadcrumb(prefix);
    return true;
  }

  /** Whether any key starts with `prefix` (other than its marker, with `excludeMarker`): a LIST of one or two keys. */
  private async hasKeysUnder(prefix: string, excludeMarker = false): Promise<boolean> {
    const dir = prefix.slice(0, -1);
    if (!excludeMarker) {
      const known = this.known.hasKeysBelow(dir);
      if (known !== undefined) return known;
    }
    return this.once(`below ${excludeMarker} ${prefix}`, async () => {
      const page = await this.listPage(prefix, true, undefined, excludeMarker ? 2 : 1);
      for (const object of page.objects) this.known.sawObject(object.key, object);
      // Keys come in order: an object named `prefix` itself would have been the first.
      if (page.objects[0]?.key !== prefix) this.known.sawObject(prefix, null);
      if (page.objects.length === 0) this.known.sawKeysBelow(dir, false);
      return page.objects.some((o) => !excludeMarker || o.key !== prefix);
    });
  }

  /** Alluxio writes a missing directory marker when it lists a directory; never on readonly mounts, never fatal. */
  private async breadcrumb(prefix: string): Promise<void> {
    const s = this.settings;
    if (s.readOnly || !s.breadcrumbs || prefix === '' || this.known.object(this.markerKey(prefix))) return;
    try {
      await this.putMarker(prefix.replace(/\/$/, ''));
    } catch {
      // A refused marker (a read-only user) must not fail the read that caused it.
    }
  }

  private async *pagesWithChecks(prefix: string, recursive: boolean, path: string): AsyncGenerator<RawPage> {
    let first = true;
    // A directory's own listing is remembered (recursive ones would cost too much memory), so lookups of its
    // children later in the command need no request.
    let remembered = recursive ? Infinity : 0;
    for await (const page of this.pages(prefix, recursive)) {
      if (first && prefix !== '') {
        first = false;
        const hasMarker = page.objects.some((o) => o.key === this.markerKey(prefix));
        const empty = page.objects.length === 0 && page.prefixes.length === 0;
        // An empty listing of `dir/` also shows that no marker `dir/` exists; another suffix needs its own look.
        const marker = this.markerKey(prefix);
        if (empty && (marker === prefix || !(await this.head(marker)))) {
          throw notFound(`${path} does not exist or is not a directory`);
        }
        if (!empty && !hasMarker && this.settings.directorySuffix === '/') await this.breadcrumb(prefix);
      }
      remembered += page.objects.length + page.prefixes.length;
      if (remembered <= MAX_REMEMBERED_LISTING) {
        for (const object of page.objects) this.known.sawObject(object.key, object);
        for (const dir of page.prefixes) this.known.sawKeysBelow(dir.slice(0, -1), true);
      }
      yield page;
    }
    if (remembered <= MAX_REMEMBERED_LISTING) this.known.sawCompleteListing(prefix.slice(0, -1));
  }

  /**
   * Pages of a listing, one request ahead: the next page is on its way while the caller works on this one, so
   * turning entries into lines costs no wall time. At most two pages are held.
   */
  private async *pages(prefix: string, recursive: boolean): AsyncGenerator<RawPage> {
    const fetch = (token?: string) => this.listPage(prefix, recursive, token, this.settings.listingLength);
    let next: Promise<RawPage & {next?: string}> | undefined = fetch();
    try {
      while (next) {
        const page: RawPage & {next?: string} = await next;
        next = page.next ? fetch(page.next) : undefined;
        yield page;
      }
    } finally {
      // A listing abandoned part way must not leave a failed request unobserved.
      next?.catch(() => undefined);
    }
  }

  private async listPage(prefix: string, recursive: boolean, token: string | undefined, maxKeys: number): Promise<RawPage & {next?: string}> {
    const {bucket, listV1} = this.settings;
    const delimiter = recursive ? undefined : '/';
    return this.call(listV1 ? 'ListObjects' : 'ListObjectsV2', prefix, async () => {
      if (listV1) {
        const out = await this.client.send(new ListObjectsCommand({Bucket: bucket, Prefix: prefix, Delimiter: delimiter, Marker: token, MaxKeys: maxKeys}));
        const objects = (out.Contents ?? []).map(toRaw);
        const last = [...objects.map((o) => o.key), ...(out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '')].sort().pop();
        return {objects, prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''), next: out.IsTruncated ? (out.NextMarker ?? last) : undefined};
      }
      const out = await this.client.send(
        new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token, MaxKeys: maxKeys}),
      );
      return {
        objects: (out.Contents ?? []).map(toRaw),
        prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
        next: out.IsTruncated ? out.NextContinuationToken : undefined,
      };
    });
  }

  private getObject(key: string, start: number | undefined, end: number | undefined, ifMatch: string | undefined, maxAttempts?: number): Promise<GetObjectCommandOutput> {
    const range = start === undefined ? undefined : `bytes=${start}-${end ?? ''}`;
    const command = new GetObjectCommand({Bucket: this.settings.bucket, Key: key, Range: range, IfMatch: ifMatch});
    return this.client.send(maxAttempts === undefined ? command : withSendOptions(command, {maxAttempts}));
  }

  /**
   * The body of a read; when the connection breaks, a new ranged GET goes on from the next byte, pinned to the
   * ETag of the first answer (bytes already passed on, to stdout say, cannot be taken back). Attempts in a row
   * that bring no byte share one request's budget (max.error.retry + 1); a byte that arrives restores it. A body
   * that broke after its last byte is complete; an answer that is not the asked part of the same object fails the
   * read rather than repeat or mix bytes.
   */
  private async *resumable(key: string, first: GetObjectCommandOutput, offset: number, end: number | undefined): AsyncGenerator<Buffer> {
    const {maxAttempts} = this.settings.limits;
    // One past the last byte of this read: the range asked for, within what the first answer announced.
    const stop = Math.min(end === undefined ? Infinity : end + 1, first.ContentLength === undefined ? Infinity : offset + first.ContentLength);
    let out = first;
    let position = offset;
    let failures: FailureKind[] = [...failuresOf(first)];
    for (;;) {
      const body = out.Body as Readable;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (chunk.length > 0) failures = [];
          position += chunk.length;
          yield chunk;
        }
        return;
      } catch (e) {
        body.destroy();
        if (position >= stop) return;
        const kind = failureKind(e);
        if (kind) failures.push(kind);
        if (!kind || failures.length >= maxAttempts) throw this.fail('GetObject', key, withFailures(e, failures, failures.length));
        await sleep(backoffMs(failures.length - 1, kind === 'throttled'));
        try {
          out = await this.getObject(key, position, end, first.ETag, maxAttempts - failures.length);
        } catch (reopen) {
          const all = [...failures, ...failuresOf(reopen)];
          throw this.fail('GetObject', key, withFailures(reopen, all, all.length));
        }
        this.checkResumed(key, out, position, first.ETag);
        failures.push(...failuresOf(out));
      }
    }
  }

  /** A resumed GET must answer with the part that starts at `position` of the object first read. */
  private checkResumed(key: string, out: GetObjectCommandOutput, position: number, etag: string | undefined): void {
    const status = out.$metadata.httpStatusCode;
    const start = /^bytes (\d+)-/.exec(out.ContentRange ?? '')?.[1];
    if (status === 206 && Number(start) === position && out.ETag === etag) return;
    (out.Body as Readable | undefined)?.destroy();
    const answer = status === 206 ? `HTTP 206 from ${out.ContentRange ?? 'an unnamed range'}, ETag ${out.ETag ?? 'none'}` : `HTTP ${status ?? '-'} with the whole object`;
    throw ioError(
      `Failed to resume reading s3://${this.settings.bucket}/${key} at byte ${position}: the server ignored the Range or If-Match of the request (${answer})`,
      {hint: 'Check any proxy between here and the store (it may drop these headers), then run the command again.'},
    );
  }

  /** Every key below `prefix`; each page's keys are reported found as it arrives. */
  private async *allKeys(prefix: string, progress: Progress): AsyncGenerator<string> {
    for await (const page of whileListing(progress, this.pages(prefix, true))) {
      progress.grow(page.objects.length);
      for (const o of page.objects) yield o.key;
    }
  }

  private async *keyBatches(prefix: string, progress: Progress): AsyncGenerator<string[]> {
    for await (const page of whileListing(progress, this.pages(prefix, true))) {
      progress.grow(page.objects.length);
      if (page.objects.length > 0) yield page.objects.map((o) => o.key);
    }
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    const {bucket} = this.settings;
    const out = await this.call('DeleteObjects', keys[0], () =>
      this.client.send(new DeleteObjectsCommand({Bucket: bucket, Delete: {Objects: keys.map((Key) => ({Key})), Quiet: true}})),
    );
    const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
    if (failed.length > 0) {
      const first = failed[0];
      throw this.fail('DeleteObjects', first.Key ?? keys[0], Object.assign(new Error(first.Message ?? ''), {name: first.Code, $metadata: {httpStatusCode: first.Code === 'AccessDenied' ? 403 : undefined}}));
    }
  }

  /** Server-side copy (from this bucket unless `from` names another); returns what S3 says of the new object. */
  private async copy(source: string, to: string, from: {bucket?: string} = {}): Promise<{etag?: string; lastModified?: number}> {
    const {bucket, sse} = this.settings;
    const out = await this.call('CopyObject', to, () =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: to,
          CopySource: copySourceOf(from.bucket ?? bucket, source),
          ...(sse ? {ServerSideEncryption: 'AES256'} : {}),
        }),
      ),
    );
    return {etag: out.CopyObjectResult?.ETag, lastModified: out.CopyObjectResult?.LastModified?.getTime()};
  }

  private putMarker(key: string): Promise<void> {
    return this.putEmpty(key.replace(/\/+$/, '') + this.settings.directorySuffix);
  }

  private putEmpty(key: string): Promise<void> {
    return this.put(key, () => Buffer.alloc(0), 0, EMPTY_MD5);
  }

  /** `body` is called again for each further attempt of a streamed body. */
  private async put(key: string, body: () => Readable | Buffer, length: number, md5?: string): Promise<void> {
    const {bucket, sse} = this.settings;
    const out = await this.call('PutObject', key, () => {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body(),
        ContentLength: length,
        ContentType: 'application/octet-stream',
        ...(md5 ? {ContentMD5: md5} : {}),
        ...(sse ? {ServerSideEncryption: 'AES256'} : {}),
      });
      return this.client.send(withSendOptions(command, {reopenBody: body as () => Readable}));
    });
    this.known.wrote(key, {key, size: length, etag: out.ETag, lastModified: this.storeNow()});
  }

  /** One PUT of a local file: a small one as a buffer (less CPU), a bigger one as a stream opened per attempt. */
  private async putFile(key: string, file: string, length: number, md5?: string): Promise<void> {
    if (length > SMALL_BODY) return this.put(key, () => createReadStream(file), length, md5);
    const body = await fsp.readFile(file);
    if (body.length !== length) throw ioError(`${file} changed while it was being uploaded to s3://${this.settings.bucket}/${key}`);
    await this.put(key, () => body, length, md5);
  }

  /** The default write path: stage the data in a local temp file (MD5 on the way), upload it when complete. */
  private stagedWriter(key: string): Writable {
    const file = join(this.tmpDir(), temporaryName(STAGING_PREFIXES.whole));
    const out = createWriteStream(file, {flags: 'wx', mode: 0o600});
    const unregister = removeOnInterrupt(file);
    // Write errors reach the write callbacks; this keeps a write cut short by destroy() from crashing the process.
    out.on('error', () => undefined);
    const md5 = createHash('md5');
    let size = 0;
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        md5.update(chunk);
        size += chunk.length;
        out.write(chunk, (err) => callback(err ?? undefined));
      },
      final: (callback) => {
        out.end(async (err?: Error | null) => {
          try {
            if (err) throw err;
            if (size > this.partSize()) await uploadFileInParts(this.multipartTarget(key), file, size, this.partSize(), NO_PROGRESS);
            else await this.putFile(key, file, size, md5.digest('base64'));
            callback();
          } catch (e) {
            callback(e as Error);
          } finally {
            await fsp.rm(file, {force: true});
            unregister();
          }
        });
      },
      destroy: (error, callback) => {
        out.destroy();
        const removed = fsp.rm(file, {force: true}).finally(unregister);
        removed.then(() => callback(error), () => callback(error));
      },
    });
  }

  /**
   * The store's clock now (ours corrected by the skew the SDK measured): what a write's status shows as its time,
   * since a PUT's response has no Last-Modified and a HEAD for it would cost a request.
   */
  private storeNow(): number {
    return Date.now() + (this.client.config.systemClockOffset ?? 0);
  }

  private multipartTarget(key: string): MultipartTarget {
    return {
      client: this.client,
      bucket: this.settings.bucket,
      key,
      sse: this.settings.sse,
      concurrency: this.settings.uploadThreads,
      fail: (operation, error) => this.fail(operation, key, error),
      completed: (size, etag) => this.known.wrote(key, {key, size, etag, lastModified: this.storeNow()}),
    };
  }

  private async computePermissions(): Promise<Triple> {
    const s = this.settings;
    const defaults: Triple = {owner: '', group: '', mode: s.defaultMode};
    if (!s.inheritAcl) return defaults;
    const progress = {operation: ''};
    try {
      const {owner, group, mode} = await readBucketPermissions(this.client, s.bucket, s.ownerMapping, progress);
      return {owner, group, mode};
    } catch (e) {
      // Only a refused ACL read, or a store without ACLs (501, s3rver), falls back to the defaults (and is kept
      // with the mount, as Alluxio keeps it for the mount's life). Rejected keys or an unreachable store fail the
      // command anyway: say so once.
      const code = errorCodeOf(e);
      const status = httpStatusOf(e);
      if ((status !== 403 && status !== 501) || code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId') {
        throw this.fail(progress.operation, this.keyOf(s.mountUri), e);
      }
      s.warn(`Failed to inherit bucket ACLs of ${s.bucket}, proceeding with defaults (mode ${s.defaultMode.toString(8).padStart(4, '0')}): ${this.fail(progress.operation, this.keyOf(s.mountUri), e).message}`);
      return defaults;
    }
  }

  private async call<T>(operation: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.fail(operation, key, e);
    }
  }

  private fail(operation: string, key: string, error: unknown): Error {
    const s = this.settings;
    return translateS3Error(error, {operation, bucket: s.bucket, key}, {
      credentials: () => s.describeCredentials(),
      endpoint: s.endpoint,
      doctorTarget: s.mountUri,
      ...s.limits,
    });
  }
}

/** `x-amz-copy-source`: the bucket and the key, each segment URL-encoded. */
function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function toRaw(o: {Key?: string; Size?: number; LastModified?: Date; ETag?: string}): RawObject {
  return {key: o.Key ?? '', size: o.Size ?? 0, lastModified: o.LastModified?.getTime(), etag: o.ETag};
}

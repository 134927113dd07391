import {createReadStream, createWriteStream, promises as fsp, rmSync, type WriteStream} from 'node:fs';
import {join} from 'node:path';
import {Readable, Writable} from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import {interrupts} from '../../util/interrupts.js';
import type {Progress} from '../../util/progress.js';
import {STAGING_PREFIXES, temporaryName} from '../../util/temp-files.js';
import {failuresOf, withSendOptions} from './retry.js';

/** S3's smallest part, except the last one. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface MultipartTarget {
  client: S3Client;
  bucket: string;
  key: string;
  sse: boolean;
  /** Parts in flight at once (alluxio.underfs.s3.upload.threads.max). */
  concurrency: number;
  /** Turns SDK errors into our errors. */
  fail(operation: string, error: unknown): Error;
  /** The object is complete: its size and ETag. */
  completed(size: number, etag: string | undefined): void;
}

/**
 * One multipart upload: parts go up with bounded concurrency and are completed in order. Any failure aborts the
 * whole upload, so no half-written object ever becomes visible and no upload is left behind (unless the abort
 * itself fails: then cleanup of abandoned uploads removes it later).
 */
export class MultipartUpload {
  private uploadId?: string;
  private readonly etags: string[] = [];
  private size = 0;
  private readonly running = new Set<Promise<void>>();
  private failure?: Error;
  private unregister = () => undefined as void;

  constructor(private readonly target: MultipartTarget) {}

  async start(): Promise<void> {
    const {client, bucket, key, sse} = this.target;
    const created = client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: 'application/octet-stream',
          ...(sse ? {ServerSideEncryption: 'AES256'} : {}),
        }),
      )
      .then((out) => out.UploadId);
    // Registered before the upload exists: an interrupt meanwhile aborts it as soon as its id arrives.
    this.unregister = interrupts.register('upload', async () => {
      const uploadId = await created.catch(() => undefined);
      if (uploadId === undefined) return 0;
      try {
        await client.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId}));
      } catch (e) {
        // Completed meanwhile: there is no upload left to abort.
        if ((e as {name?: string}).name === 'NoSuchUpload') return 0;
        throw e;
      }
      return 1;
    });
    try {
      this.uploadId = await created;
    } catch (e) {
      this.unregister();
      throw this.target.fail('CreateMultipartUpload', e);
    }
  }

  /**
   * Queues a part; waits while `concurrency` parts are in flight. `open` is called when the part's turn comes,
   * and again for each further attempt; `done` once the part is settled, told whether it went up.
   */
  addPart(partNumber: number, length: number, open: () => Readable | Buffer, done?: (uploaded: boolean) => Promise<void>): Promise<void> {
    const {client, bucket, key} = this.target;
    return this.queue(partNumber, length, `UploadPart ${partNumber}`, done, async () => {
      const command = new UploadPartCommand({Bucket: bucket, Key: key, UploadId: this.uploadId, PartNumber: partNumber, ContentLength: length, Body: open()});
      return (await client.send(withSendOptions(command, {reopenBody: open as () => Readable}))).ETag;
    });
  }

  /** Queues a part copied on the server from bytes `start` to `start + length` of `copySource` (`bucket/key`). */
  addCopiedPart(partNumber: number, copySource: string, start: number, length: number, ifMatch?: string): Promise<void> {
    const {client, bucket, key} = this.target;
    return this.queue(partNumber, length, `UploadPartCopy ${partNumber}`, undefined, async () => {
      const out = await client.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          CopySource: copySource,
          CopySourceRange: `bytes=${start}-${start + length - 1}`,
          CopySourceIfMatch: ifMatch,
        }),
      );
      return out.CopyPartResult?.ETag;
    });
  }

  private async queue(
    partNumber: number,
    length: number,
    operation: string,
    done: ((uploaded: boolean) => Promise<void>) | undefined,
    send: () => Promise<string | undefined>,
  ): Promise<void> {
    if (this.failure) throw this.failure;
    this.size += length;
    const run = async () => {
      let uploaded = false;
      try {
        this.etags[partNumber - 1] = (await send()) ?? '';
        uploaded = true;
      } catch (e) {
        this.failure ??= this.target.fail(operation, e);
      } finally {
        await done?.(uploaded);
      }
    };
    const task = run().finally(() => this.running.delete(task));
    this.running.add(task);
    if (this.running.size >= Math.max(1, this.target.concurrency)) await Promise.race(this.running);
    if (this.failure) throw this.failure;
  }

  async complete(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
    const {client, bucket, key} = this.target;
    let etag: string | undefined;
    try {
      const out = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.uploadId,
          MultipartUpload: {Parts: this.etags.map((ETag, i) => ({ETag, PartNumber: i + 1}))},
        }),
      );
      etag = out.ETag;
    } catch (e) {
      etag = await this.completedUnseen(e);
      if (etag === undefined) throw this.target.fail('CompleteMultipartUpload', e);
    }
    this.unregister();
    this.target.completed(this.size, etag);
  }

  /**
   * When a retried Complete finds no upload, the answer to an earlier attempt may have been lost after S3
   * completed it: the object is then there, of this size, with a multipart ETag of this many parts (`"…-3"`).
   * Returns its ETag if so.
   */
  private async completedUnseen(error: unknown): Promise<string | undefined> {
    if ((error as {name?: string}).name !== 'NoSuchUpload' || failuresOf(error).length === 0) return undefined;
    const {client, bucket, key} = this.target;
    try {
      const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: key}));
      const parts = /-(\d+)"?$/.exec(head.ETag ?? '')?.[1];
      if (head.ContentLength !== this.size || (parts !== undefined && Number(parts) !== this.etags.length)) return undefined;
      return head.ETag;
    } catch {
      // Not there (or not readable): the Complete's own error says more.
      return undefined;
    }
  }

  /** Best effort: waits for parts in flight, then aborts. Never throws (the original failure matters more). */
  async abort(): Promise<void> {
    await Promise.allSettled(this.running);
    if (this.uploadId === undefined) return;
    const {client, bucket, key} = this.target;
    await client.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: this.uploadId})).catch(() => undefined);
    this.unregister();
  }
}

/**
 * Uploads a local file as parts read straight from its byte ranges: no copy, memory independent of size. Each
 * part's bytes are reported done once S3 has it (a part read again for a retry is not counted twice).
 */
export async function uploadFileInParts(target: MultipartTarget, file: string, size: number, partSize: number, progress: Progress): Promise<void> {
  const upload = new MultipartUpload(target);
  await upload.start();
  try {
    const parts = Math.max(1, Math.ceil(size / partSize));
    for (let i = 0; i < parts; i++) {
      const start = i * partSize;
      const length = Math.min(partSize, size - start);
      await upload.addPart(i + 1, length, () => createReadStream(file, {start, end: start + length - 1}), async (uploaded) => {
        if (uploaded) progress.advance(length);
      });
    }
    await upload.complete();
  } catch (e) {
    await upload.abort();
    throw e;
  }
}

/** S3's most parts in one upload. */
const MAX_PARTS = 10_000;

/**
 * Copies `size` bytes of `copySource` (`bucket/key`, encoded) into the target as parts copied on the server, at
 * least `partSize` each (more when the object needs over 10,000 parts); `ifMatch` pins every part to one version.
 */
export async function copyInParts(target: MultipartTarget, copySource: string, size: number, partSize: number, ifMatch?: string): Promise<void> {
  const part = Math.max(partSize, Math.ceil(size / MAX_PARTS));
  const upload = new MultipartUpload(target);
  await upload.start();
  try {
    const parts = Math.max(1, Math.ceil(size / part));
    for (let i = 0; i < parts; i++) {
      const start = i * part;
      await upload.addCopiedPart(i + 1, copySource, start, Math.min(part, size - start), ifMatch);
    }
    await upload.complete();
  } catch (e) {
    await upload.abort();
    throw e;
  }
}

/**
 * The streaming writer (alluxio.underfs.s3.streaming.upload.enabled): data is spooled into part files of
 * `partSize` under a temp folder, and each full part goes up while more data still arrives. At most
 * `concurrency` parts are in flight and one part is being filled, so disk use is bounded, and memory holds
 * only stream buffers. An empty file becomes a 0-byte object (as Alluxio 3.x does).
 */
export function streamingWriter(target: MultipartTarget, tmpDir: string, partSize: number, putEmpty: () => Promise<void>): Writable {
  const upload = new MultipartUpload(target);
  let started = false;
  let partNumber = 0;
  let current: {file: string; stream: WriteStream; size: number} | undefined;
  const files = new Set<string>();
  const unregisterFiles = interrupts.register('file', () => {
    for (const file of files) rmSync(file, {force: true});
    return files.size;
  });

  const openPart = () => {
    const file = join(tmpDir, temporaryName(STAGING_PREFIXES.part));
    files.add(file);
    const stream = createWriteStream(file, {flags: 'wx', mode: 0o600});
    // Write errors reach the write callbacks; this keeps a write cut short by destroy() from crashing the process.
    stream.on('error', () => undefined);
    current = {file, stream, size: 0};
  };
  const closePart = async () => {
    const part = current;
    if (!part) return;
    current = undefined;
    await new Promise<void>((resolve, reject) => part.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (!started) {
      await upload.start();
      started = true;
    }
    partNumber++;
    const remove = async () => {
      files.delete(part.file);
      await fsp.rm(part.file, {force: true});
    };
    await upload.addPart(partNumber, part.size, () => createReadStream(part.file), remove);
  };
  const writeTo = (stream: WriteStream, chunk: Buffer) =>
    new Promise<void>((resolve, reject) => stream.write(chunk, (err) => (err ? reject(err) : resolve())));

  return new Writable({
    async write(chunk: Buffer, _encoding, callback) {
      try {
        let offset = 0;
        while (offset < chunk.length) {
          if (!current) openPart();
          const part = current as NonNullable<typeof current>;
          const take = Math.min(partSize - part.size, chunk.length - offset);
          await writeTo(part.stream, chunk.subarray(offset, offset + take));
          part.size += take;
          offset += take;
          if (part.size === partSize) await closePart();
        }
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    async final(callback) {
      try {
        if (!started && (!current || current.size === 0)) {
          if (current) current.stream.destroy();
          await putEmpty();
        } else {
          await closePart();
          await upload.complete();
        }
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    destroy(error, callback) {
      current?.stream.destroy();
      const cleanup = async () => {
        if (error || !this.writableFinished) await upload.abort();
        await Promise.all([...files].map((f) => fsp.rm(f, {force: true})));
        unregisterFiles();
      };
      cleanup().then(() => callback(error), () => callback(error));
    },
  });
}

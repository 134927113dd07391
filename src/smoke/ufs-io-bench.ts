import {randomBytes, randomUUID} from 'node:crypto';
import {Readable, addAbortSignal} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {AlluxioError, ioError} from '../errors.js';
import {interrupts, settledWithin} from '../util/interrupts.js';
import {describeSystemError, isSystemError} from '../util/system-errors.js';
import type {UnderFileSystem} from '../ufs/types.js';

/** What `runUfsIOTest` was asked to do; `dataSize` and `conf` are echoed in the summary as given. */
export interface UfsIoBenchOptions {
  /** The folder the test folder goes in: an absolute local path or a UFS URI, as the UFS takes paths. */
  dir: string;
  /** The path as typed (the summary's mPath). */
  path: string;
  ioSize: number;
  dataSize: string;
  threads: number;
  /** --conf settings, credentials already masked. */
  conf: Record<string, string>;
  id: string;
  startMs: number;
  distributed: boolean;
  inProcess: boolean;
  benchTimeout: string;
  benchTimeoutMs: number;
}

type Mode = 'WRITE' | 'READ';

interface Point {
  mMode: Mode;
  mDurationSeconds: number;
  mDataSizeBytes: number;
  className: 'alluxio.stress.worker.IOTaskResult$Point';
}

export interface SpeedStat {
  mTotalDurationSeconds: number;
  mTotalSizeBytes: number;
  mMaxSpeedMbps: number;
  mMinSpeedMbps: number;
  mAvgSpeedMbps: number;
  mStdDev: number;
  /** Ours: from the first thread's start to the last one's end (close included), and the bytes of all threads over it. */
  mWallDurationSeconds: number;
  mAggregateSpeedMbps: number;
  className: 'alluxio.stress.worker.IOTaskSummary$SpeedStat';
}

/** Alluxio's IOTaskSummary as Jackson prints it, plus our two aggregate fields in each SpeedStat. */
export interface UfsIoSummary {
  points: Point[];
  errors: string[];
  baseParameters: Record<string, unknown>;
  parameters: Record<string, unknown>;
  readSpeedStat: SpeedStat;
  writeSpeedStat: SpeedStat;
  className: 'alluxio.stress.worker.IOTaskSummary';
}

const MIB = 1024 * 1024;

/**
 * Alluxio's UfsIOBench in local mode: `threads` files of `ioSize` bytes written at once from one 1 MiB random
 * buffer, read back at once, then deleted. Unlike Alluxio, a write is timed until its file is complete in the
 * store (its close uploads it to S3), not only until the last byte is handed over. Everything goes in a fresh
 * folder below `dir` that is removed at the end, on failure, and on Ctrl-C.
 */
export async function runUfsIoBench(ufs: UnderFileSystem, options: UfsIoBenchOptions): Promise<UfsIoSummary> {
  const task = randomUUID();
  const folder = joinPath(options.dir, `UfsIOTest-${task}`);
  const files = Array.from({length: options.threads}, (_, i) => joinPath(folder, `io-benchmark-${task}-${i}`));
  let running: Promise<unknown> = Promise.resolve();
  const unregister = interrupts.register('file', async () => {
    await settledWithin(running);
    return (await removeFolder(ufs, folder)) ? 1 : 0;
  });
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.benchTimeoutMs);
  let summary: UfsIoSummary;
  try {
    const measured = measure(ufs, files, options, deadline.signal);
    running = measured;
    summary = await measured;
  } catch (e) {
    // The failure is what the user must see; a cleanup that fails as well (same denied key) would hide it.
    if (!interrupts.interrupted) {
      unregister();
      await removeFolder(ufs, folder).catch(() => false);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
  unregister();
  await removeFolder(ufs, folder);
  return summary;
}

async function measure(ufs: UnderFileSystem, files: string[], options: UfsIoBenchOptions, signal: AbortSignal): Promise<UfsIoSummary> {
  const errors: string[] = [];
  const writes = await phase(files, errors, (file) => writeFile(ufs, file, options.ioSize, signal));
  if (writes.points.length === 0) throw firstFailure(writes.failures);
  const written = files.filter((_, i) => !writes.failures[i]);
  const reads = await phase(written, errors, (file) => readFile(ufs, file, options.ioSize, signal));
  const points = [...writes.points, ...reads.points].map(({mode, seconds, bytes}) => point(mode, seconds, bytes));
  return {
    points,
    errors,
    baseParameters: baseParameters(options),
    parameters: {
      mThreads: options.threads,
      mDataSize: options.dataSize,
      mPath: options.path,
      mUseUfsConf: false,
      mConf: options.conf,
    },
    readSpeedStat: speedStat(reads.points, reads.wallSeconds),
    writeSpeedStat: speedStat(writes.points, writes.wallSeconds),
    className: 'alluxio.stress.worker.IOTaskSummary',
  };
}

interface Timed {
  mode: Mode;
  seconds: number;
  bytes: number;
}

/** Runs `work` on every file at once; failures become error lines, in thread order. */
async function phase(files: string[], errors: string[], work: (file: string) => Promise<Timed>) {
  const start = performance.now();
  const results = await Promise.allSettled(files.map(work));
  const wallSeconds = seconds(performance.now() - start);
  const points: Timed[] = [];
  const failures: (unknown | undefined)[] = results.map((r) => (r.status === 'rejected' ? r.reason : undefined));
  for (const result of results) {
    if (result.status === 'fulfilled') points.push(result.value);
    else errors.push(describe(result.reason));
  }
  return {points, failures, wallSeconds};
}

async function writeFile(ufs: UnderFileSystem, file: string, size: number, signal: AbortSignal): Promise<Timed> {
  const buffer = randomBytes(Math.min(MIB, Math.max(size, 1)));
  const start = performance.now();
  const out = await ufs.create(file, {createParent: true, contentLength: size});
  // Ends once the writer has finished: the file is complete in the store (an S3 upload happens on close).
  await pipeline(Readable.from(chunks(buffer, size), {objectMode: false}), out, {signal});
  return {mode: 'WRITE', seconds: seconds(performance.now() - start), bytes: size};
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let written = 0; written < size; written += buffer.length) yield buffer.subarray(0, Math.min(buffer.length, size - written));
}

async function readFile(ufs: UnderFileSystem, file: string, size: number, signal: AbortSignal): Promise<Timed> {
  const start = performance.now();
  const stream = addAbortSignal(signal, await ufs.open(file));
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      if (bytes >= size) break;
    }
  } finally {
    stream.destroy();
  }
  return {mode: 'READ', seconds: seconds(performance.now() - start), bytes: Math.min(bytes, size)};
}

async function removeFolder(ufs: UnderFileSystem, folder: string): Promise<boolean> {
  return ufs.deleteDirectory(folder, {recursive: true});
}

function point(mode: Mode, duration: number, bytes: number): Point {
  return {mMode: mode, mDurationSeconds: duration, mDataSizeBytes: bytes, className: 'alluxio.stress.worker.IOTaskResult$Point'};
}

/**
 * Alluxio's SpeedStat over the points that took time: per-point MiB/s, its max and min, the average over summed
 * durations (a per-thread speed) and the root of the summed squared deviations; beside it the aggregate speed.
 */
export function speedStat(points: Timed[], wallSeconds: number): SpeedStat {
  const timed = points.filter((p) => p.seconds > 0);
  const totalSeconds = seconds(timed.reduce((sum, p) => sum + p.seconds * 1000, 0));
  const totalBytes = timed.reduce((sum, p) => sum + p.bytes, 0);
  const speeds = timed.map((p) => p.bytes / (p.seconds * MIB));
  const avg = totalSeconds > 0 ? totalBytes / (totalSeconds * MIB) : 0;
  const allBytes = points.reduce((sum, p) => sum + p.bytes, 0);
  return {
    mTotalDurationSeconds: totalSeconds,
    mTotalSizeBytes: totalBytes,
    mMaxSpeedMbps: speeds.length > 0 ? Math.max(...speeds) : 0,
    mMinSpeedMbps: speeds.length > 0 ? Math.min(...speeds) : 0,
    mAvgSpeedMbps: avg,
    mStdDev: Math.sqrt(speeds.reduce((sum, s) => sum + (s - avg) ** 2, 0)),
    mWallDurationSeconds: points.length > 0 ? wallSeconds : 0,
    mAggregateSpeedMbps: points.length > 0 && wallSeconds > 0 ? allBytes / (wallSeconds * MIB) : 0,
    className: 'alluxio.stress.worker.IOTaskSummary$SpeedStat',
  };
}

function baseParameters(options: UfsIoBenchOptions): Record<string, unknown> {
  return {
    mCluster: false,
    mClusterLimit: 0,
    mClusterStartDelay: '10s',
    mJavaOpts: [],
    mProfileAgent: '',
    mBenchTimeout: options.benchTimeout,
    mId: options.id,
    mDistributed: options.distributed,
    mStartMs: options.startMs,
    mInProcess: options.inProcess,
    mHelp: false,
  };
}

/** Alluxio's duration: whole milliseconds over 1000. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** One line for the summary's errors: our own message, or the system error said as the CLI says it. */
function describe(e: unknown): string {
  if (e instanceof Error && e.name === 'AbortError') return 'The benchmark timed out (--bench-timeout)';
  if (isSystemError(e)) return describeSystemError(e).message;
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** When no write succeeded there is nothing to measure: the first failure is the command's error. */
function firstFailure(failures: unknown[]): Error {
  const e = failures.find((f) => f !== undefined);
  if (e instanceof AlluxioError || isSystemError(e)) return e;
  return ioError(describe(e), {cause: e});
}

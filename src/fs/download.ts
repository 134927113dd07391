import {createWriteStream} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import {pipeline} from 'node:stream/promises';
import {ioError} from '../errors.js';
import type {UnderFileSystem} from '../ufs/types.js';
import {forEachLimited} from '../util/limit.js';
import {NO_PROGRESS, type Progress, counted} from '../util/progress.js';

/** Ranges of one object fetched at once, as rclone's multi-thread streams (4 by default). */
const RANGES_AT_ONCE = 4;

/**
 * Writes a UFS file of `length` bytes into a local file at the same offsets: one stream, or, for an object at
 * least two chunks long, ranges of `chunkSize` fetched several at once (Alluxio reads object stores in ranges of
 * alluxio.underfs.object.store.multi.range.chunk.size too). An object fails unless exactly `length` bytes arrive.
 */
export async function downloadInto(
  ufs: UnderFileSystem,
  ufsPath: string,
  length: number,
  handle: FileHandle,
  chunkSize: number,
  progress: Progress = NO_PROGRESS,
): Promise<number> {
  let written = 0;
  if (!ufs.isObjectStore || length < 2 * Math.max(1, chunkSize)) {
    written = await writeRange(ufs, ufsPath, handle, progress, 0);
  } else {
    const ranges: {offset: number; length: number}[] = [];
    for (let offset = 0; offset < length; offset += chunkSize) ranges.push({offset, length: Math.min(chunkSize, length - offset)});
    await forEachLimited(ranges, RANGES_AT_ONCE, async (range) => {
      const bytes = await writeRange(ufs, ufsPath, handle, progress, range.offset, range.length);
      written += bytes;
    });
  }
  // An object has the size its status said (ranges pinned to its version); a local file may have grown meanwhile.
  if (ufs.isObjectStore && written !== length) throw ioError(`Reading ${ufsPath} failed: ${written} bytes arrived, ${length} expected`);
  return written;
}

/**
 * One range (or the whole object) piped into the file from `offset` on; a write stream batches queued chunks.
 * Bytes count as they arrive (a broken connection resumes from the next byte, see S3UnderFileSystem.open).
 */
async function writeRange(ufs: UnderFileSystem, ufsPath: string, handle: FileHandle, progress: Progress, offset: number, length?: number): Promise<number> {
  const source = await ufs.open(ufsPath, length === undefined ? {} : {offset, length});
  const sink = createWriteStream('', {fd: handle.fd, start: offset, autoClose: false, highWaterMark: 1024 * 1024});
  await pipeline(counted(source, progress), sink);
  return sink.bytesWritten;
}

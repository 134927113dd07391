import {createHash} from 'node:crypto';
import type {Readable} from 'node:stream';
import {listChildren} from './listing.js';
import type {FsContext} from './fs-context.js';
import type {FileStatus} from './types.js';

/** What `count` and `du -s` add up below a path: its files (the path itself when a file) and its folders. */
export interface Totals {
  files: number;
  folders: number;
  bytes: number;
  /** Bytes the worker cache holds: Alluxio's In Alluxio (and In Memory: the cache is its only tier). */
  cachedBytes: number;
}

/** Bytes of a file the worker cache holds, as Alluxio derives them from its percentage. */
export function cachedBytes(status: FileStatus): number {
  return status.isDirectory ? 0 : Math.floor((status.length * status.inAlluxioPercentage) / 100);
}

/**
 * Sums one listing. A file only the cache holds has its cached length in its status, so it counts as much as a
 * persisted one.
 */
export async function totalsOf(entries: Iterable<FileStatus> | AsyncIterable<FileStatus>): Promise<Totals> {
  const totals: Totals = {files: 0, folders: 0, bytes: 0, cachedBytes: 0};
  for await (const status of entries) {
    if (status.isDirectory) {
      totals.folders++;
      continue;
    }
    totals.files++;
    totals.bytes += status.length;
    totals.cachedBytes += cachedBytes(status);
  }
  return totals;
}

/** MD5 of a stream, in lowercase hex, read chunk by chunk: memory stays flat whatever the file's size. */
export async function md5Hex(stream: Readable): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Whether a directory has any child (Alluxio's directory length > 0). The first child settles it: on an object
 * store that is the first page of one delimited LIST, never more.
 */
export async function hasChildren(ctx: FsContext, dir: FileStatus): Promise<boolean> {
  const children = listChildren(ctx, dir, false);
  try {
    return !(await children.next()).done;
  } finally {
    await children.return(undefined);
  }
}

export type PathTest = 'd' | 'e' | 'f' | 's' | 'z';

/** Alluxio's `fs test` of an existing path; `nonEmpty` is asked only by -s on a directory. */
export async function passes(test: PathTest, status: FileStatus, nonEmpty: () => Promise<boolean>): Promise<boolean> {
  switch (test) {
    case 'e':
      return true;
    case 'd':
      return status.isDirectory;
    case 'f':
      return !status.isDirectory;
    case 'z':
      return !status.isDirectory && status.length === 0;
    case 's':
      return status.isDirectory && (await nonEmpty());
  }
}

import {failedPrecondition} from '../errors.js';
import {compareStrings} from '../namespace/mount-table.js';
import {type Bits, EXECUTE, READ} from '../security/mode.js';
import {type FsContext, ufsOf, ufsPathIn} from './fs-context.js';
import {checkPathPermission} from './guards.js';
import {listChildren} from './listing.js';
import {cacheObject} from './reads.js';
import {requireStatus} from './status.js';
import type {FileStatus} from './types.js';
import {NO_PROGRESS, type Progress, whileListing} from '../util/progress.js';

const QUOTA_KEY = 'alluxio.worker.tieredstore.level0.dirs.quota';

/** One line of `fs load`: a file loaded or already cached, or a folder whose files are all done. */
export interface LoadEvent {
  path: string;
  isDirectory: boolean;
  /** False for a file whose data the cache held already (Alluxio's "already in Alluxio fully"). */
  loaded: boolean;
  /** The path that was asked for (the last event of a folder, the only one of a file). */
  top: boolean;
}

/**
 * `fs load`: brings the data of a file, or of every file below a folder, into the worker cache, each file streamed
 * from its UFS (no more than a copy's buffers in memory). A folder is walked with one recursive listing, not a LIST
 * per folder; a folder's event comes after the events of everything below it.
 */
export async function* loadPath(ctx: FsContext, path: string, progress: Progress = NO_PROGRESS): AsyncGenerator<LoadEvent> {
  const status = await requireStatus(ctx, path);
  if (!status.isDirectory) {
    progress.grow(status.length);
    yield {...(await loadFile(ctx, status, progress)), top: true};
    return;
  }
  await checkPathPermission(ctx, path, (READ | EXECUTE) as Bits);
  // Folders whose subtrees are still being walked. A subtree is one contiguous run of the listing (every path
  // starting with "<dir>/"), which need not follow its folder directly ("/a-b" sorts between "/a" and "/a/x").
  const open: string[] = [path];
  for await (const entry of whileListing(progress, listChildren(ctx, status, true, {cacheKeys: true}))) {
    yield* closePassed(open, entry.path);
    if (entry.isDirectory) open.push(entry.path);
    else {
      progress.grow(entry.length);
      yield await loadFile(ctx, entry, progress);
    }
  }
  // Nothing sorts after U+FFFF: every folder still open closes, the one asked for last.
  yield* closePassed(open, '\uffff');
}

/** Closes the open folders whose subtrees end before `next`: every path below "/d" sorts before "/d0". */
function* closePassed(open: string[], next: string): Generator<LoadEvent> {
  for (let i = open.length - 1; i >= 0; i--) {
    const dir = open[i];
    const end = dir === '/' ? '0' : `${dir}0`;
    if (compareStrings(next, end) >= 0) {
      open.splice(i, 1);
      yield {path: dir, isDirectory: true, loaded: true, top: i === 0};
    }
  }
}

/** Bytes already cached count as done at once: the line shows how much of the data is in the cache. */
async function loadFile(ctx: FsContext, file: FileStatus, progress: Progress): Promise<LoadEvent> {
  await checkPathPermission(ctx, file.path, READ);
  const key = file.cacheKey;
  const cached = key !== undefined && (await ctx.cache.has(key));
  if (file.persistenceState !== 'PERSISTED' && !cached) {
    throw failedPrecondition(
      `The data of ${file.path} is lost: it was never persisted and the Alluxio worker cache no longer holds it`,
      `Remove it with "alluxio fs rm ${file.path}".`,
    );
  }
  // As in Alluxio, an empty file is wholly in Alluxio: there is nothing to cache.
  if (cached || file.length === 0) {
    progress.advance(file.length);
    return {path: file.path, isDirectory: false, loaded: false, top: false};
  }
  const {mount, relative} = ctx.mounts.resolve(file.path);
  const mounted = await ufsOf(ctx, mount);
  if (!(await cacheObject(ctx, file, mounted, ufsPathIn(mounted, relative), progress))) {
    throw failedPrecondition(
      `Failed to load ${file.path}: its ${file.length} bytes do not fit in the Alluxio worker cache ` +
        `(${ctx.conf.getBytes(QUOTA_KEY)} bytes, less what is pinned or being written)`,
      `Raise ${QUOTA_KEY}, or unpin or persist data the cache must keep.`,
    );
  }
  return {path: file.path, isDirectory: false, loaded: true, top: false};
}

import {invalidArgument} from '../errors.js';
import type {PinRecord} from '../meta/store.js';
import {parentPath, pathChain} from '../namespace/alluxio-path.js';
import {WRITE} from '../security/mode.js';
import {PRIVATE_KEY_PREFIX} from '../worker/cache.js';
import type {FsContext} from './fs-context.js';
import {checkPathPermission} from './guards.js';
import {requireStatus} from './status.js';

const MEDIA_KEY = 'alluxio.master.tieredstore.global.mediumtype';

/** What `pin` and `stat` say of a path: whether it is pinned, and to which media (empty: any). */
export interface PinState {
  pinned: boolean;
  media: string[];
}

const UNPINNED: PinState = {pinned: false, media: []};

/**
 * `fs pin`: the path and everything below it, now and later, stay in the cache. One row for the whole tree (what
 * lies below takes its state), so pinning a folder of any size costs no listing; the data cached now under it is
 * marked unevictable at once, what is cached later is marked as it arrives.
 */
export async function pin(ctx: FsContext, path: string, media: readonly string[]): Promise<void> {
  checkMedia(ctx, media);
  await requireStatus(ctx, path);
  await checkPathPermission(ctx, path, WRITE);
  await ctx.store.setPinTree(path, {pinned: true, media: [...media]}, PRIVATE_KEY_PREFIX);
}

/**
 * `fs unpin`: the path and everything below it become evictable again, except data that has no other copy (written
 * and not yet persisted), which stays pinned for that reason. Below a pinned folder a row says "not pinned".
 */
export async function unpin(ctx: FsContext, path: string): Promise<void> {
  await requireStatus(ctx, path);
  await checkPathPermission(ctx, path, WRITE);
  await clearPins(ctx, path);
}

/** Unpins `path` and everything below it, checking nothing: `unpin`, and `free -f`, which unpins what it frees. */
export async function clearPins(ctx: FsContext, path: string): Promise<void> {
  await ctx.store.setPinTree(path, {pinned: false, media: []}, PRIVATE_KEY_PREFIX);
}

/** Whether `path` is pinned: its own row, or its nearest ancestor's. */
export async function pinState(ctx: FsContext, path: string): Promise<PinState> {
  const row = nearest(await ctx.store.getPins(pathChain(path)));
  return row?.pinned ? {pinned: true, media: row.media} : UNPINNED;
}

/**
 * The pin state of any path at or below `root`, from two queries made once: for listings, where a query per entry
 * would add up.
 */
export async function pinView(ctx: FsContext, root: string): Promise<(path: string) => PinState> {
  const rows = new Map<string, PinRecord>();
  for (const row of [...(await ctx.store.getPins(pathChain(root))), ...(await ctx.store.listPinsBelow(root))]) rows.set(row.path, row);
  if (rows.size === 0) return () => UNPINNED;
  return (path) => {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const row = rows.get(p);
      if (row) return row.pinned ? {pinned: true, media: row.media} : UNPINNED;
    }
    return UNPINNED;
  };
}

/** When data of a pinned path is cached anew (its object changed), the older versions need no longer be kept. */
export async function releaseOlderVersions(ctx: FsContext, path: string, currentKey: string): Promise<void> {
  for (const entry of await ctx.store.listCacheEntriesOfPath(path)) {
    if (entry.key !== currentKey && entry.pinned && !entry.key.startsWith(PRIVATE_KEY_PREFIX)) await ctx.cache.unpin(entry.key);
  }
}

/** Alluxio's check of `pin`'s media against the media the cluster has. */
function checkMedia(ctx: FsContext, media: readonly string[]): void {
  const valid = ctx.conf
    .get(MEDIA_KEY)
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  const invalid = media.filter((m) => !valid.includes(m));
  if (invalid.length > 0) {
    throw invalidArgument(
      `Invalid medium to pin the file. ${invalid.join(',')} are invalid. ${valid.join(',')} are valid medium types`,
      `Set ${MEDIA_KEY} to name the media this host has.`,
    );
  }
}

/** The deepest of the rows of a path's chain. */
function nearest(rows: PinRecord[]): PinRecord | undefined {
  let best: PinRecord | undefined;
  for (const row of rows) if (!best || row.path.length > best.path.length) best = row;
  return best;
}


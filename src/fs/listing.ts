import type {InodeRecord, MountRecord} from '../meta/store.js';
import {isSameOrAncestor, joinPath, relativeTo} from '../namespace/alluxio-path.js';
import {compareStrings} from '../namespace/mount-table.js';
import {type Bits, EXECUTE, READ} from '../security/mode.js';
import type {UfsStatus} from '../ufs/types.js';
import {type FsContext, ufsOf, ufsPathIn} from './fs-context.js';
import {getStatus, statusFromRow, statusFromUfs, ufsCacheKey} from './status.js';
import type {FileStatus} from './types.js';

export interface ListOptions {
  /** Give every file its cache key, also those the cache cannot hold now (for `load`, which fills it). */
  cacheKeys?: boolean;
}

/**
 * The children of a directory (or its whole subtree), in path order, streamed. Three sorted sources are merged:
 * the UFS listing (page by page), Alluxio's own inode rows (overrides and data not yet persisted), and the
 * mount points below the directory with their own listings.
 */
export async function* listChildren(
  ctx: FsContext,
  dir: FileStatus,
  recursive: boolean,
  options: ListOptions = {},
): AsyncGenerator<FileStatus> {
  const {mount, relative} = ctx.mounts.resolve(dir.path);
  const sources: AsyncIterator<Entry>[] = [
    joinUfsAndRows(ctx, dir, mount, relative, recursive, options)[Symbol.asyncIterator](),
  ];
  for (const nested of nestedMounts(ctx, dir.path, mount, recursive)) {
    sources.push(mountSubtree(ctx, nested, recursive, options)[Symbol.asyncIterator]());
  }
  const skipBelow = new DeniedDirectories(ctx);
  for await (const status of mergeByPath(sources)) {
    if (skipBelow.hides(status.path)) continue;
    if (recursive && status.isDirectory) skipBelow.consider(status);
    yield status;
  }
}

type Entry = FileStatus;

/** Mounts whose nearest enclosing mount is `mount` and that lie below `dir` (direct children only, unless recursive). */
function nestedMounts(ctx: FsContext, dir: string, mount: MountRecord, recursive: boolean): MountRecord[] {
  return ctx.mounts.mountsBelow(dir, !recursive).filter((m) => ctx.mounts.resolve(parentOf(m.alluxioPath)).mount === mount);
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

async function* mountSubtree(ctx: FsContext, mount: MountRecord, recursive: boolean, options: ListOptions): AsyncGenerator<Entry> {
  const status = await getStatus(ctx, mount.alluxioPath);
  if (!status) return;
  yield status;
  if (recursive) yield* listChildren(ctx, status, true, options);
}

/** The UFS listing of the directory with inode rows laid over it (and rows of data only Alluxio has). */
async function* joinUfsAndRows(
  ctx: FsContext,
  dir: FileStatus,
  mount: MountRecord,
  relative: string,
  recursive: boolean,
  options: ListOptions,
): AsyncGenerator<Entry> {
  const mounted = await ufsOf(ctx, mount);
  const cachedSizes = options.cacheKeys ? undefined : await ctx.cache.sizes();
  // What lies at or below a nested mount point is listed by that mount, not by this one.
  const shadowed = ctx.mounts.mountsBelow(dir.path, false).map((m) => m.alluxioPath);
  const hidden = (path: string) => shadowed.some((m) => isSameOrAncestor(m, path));
  const allRows = await (recursive ? ctx.store.listDescendantInodes(dir.path) : ctx.store.listChildInodes(dir.path));
  const rows = shadowed.length === 0 ? allRows : allRows.filter((row) => !hidden(row.path));
  // Which rows' data the cache holds, in one query rather than one per row (a round trip each in PostgreSQL).
  const rowKeys = rows.flatMap((row) => (row.state !== 'PERSISTED' && row.cacheKey !== undefined ? [row.cacheKey] : []));
  const cachedKeys = new Set((await ctx.store.getCacheEntries(rowKeys)).map((e) => e.key));
  let r = 0;
  const rowStatus = (row: InodeRecord) =>
    statusFromRow(ctx, row, mount, relativeTo(mount.alluxioPath, row.path), cachedKeys);

  const ufsPages = dir.persistenceState === 'PERSISTED' || dir.isMountPoint
    ? mounted.ufs.listStatus(ufsPathIn(mounted, relative), {recursive})
    : emptyListing();
  for await (const page of ufsPages) {
    const entries = page.map((ufsStatus) => {
      const path = joinPath(dir.path, ufsStatus.name);
      const rel = relativeTo(mount.alluxioPath, path);
      return {ufsStatus, path, rel, key: ufsCacheKey(mount, rel, ufsStatus, cachedSizes)};
    });
    const pageKeys = entries.flatMap((e) => (e.key === undefined ? [] : [e.key]));
    const pageCached = new Set((await ctx.store.getCacheEntries(pageKeys)).map((e) => e.key));
    for (const {ufsStatus, path, rel} of entries) {
      if (hidden(path)) continue;
      while (r < rows.length && compareStrings(rows[r].path, path) < 0) {
        const row = rows[r++];
        if (row.state !== 'PERSISTED') yield await rowStatus(row);
      }
      let row: InodeRecord | undefined;
      if (r < rows.length && rows[r].path === path) row = rows[r++];
      if (row && row.state !== 'PERSISTED') {
        yield await rowStatus(row);
        continue;
      }
      yield await statusFromUfs(ctx, path, ufsStatus, row, mount, rel, cachedSizes, pageCached);
    }
  }
  for (; r < rows.length; r++) if (rows[r].state !== 'PERSISTED') yield await rowStatus(rows[r]);
}

async function* emptyListing(): AsyncGenerator<UfsStatus[]> {}

/** Merges sources that are each in path order into one stream in path order. */
async function* mergeByPath(sources: AsyncIterator<Entry>[]): AsyncGenerator<Entry> {
  const heads = await Promise.all(sources.map((s) => s.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i].done) continue;
      if (best < 0 || compareStrings(heads[i].value.path, heads[best].value.path) < 0) best = i;
    }
    if (best < 0) return;
    yield heads[best].value as Entry;
    heads[best] = await sources[best].next();
  }
}

/**
 * In a recursive listing a user who may not read and enter a directory does not see below it: Alluxio skips such
 * directories silently. Superusers and disabled checks see everything.
 */
class DeniedDirectories {
  private readonly active: boolean;
  private denied: string[] = [];

  constructor(private readonly ctx: FsContext) {
    this.active = ctx.checker.enabled && !ctx.checker.isSuperUser();
  }

  consider(dir: FileStatus): void {
    if (!this.active) return;
    const need = (READ | EXECUTE) as Bits;
    if ((this.ctx.checker.bitsOn(dir) & need) !== need) this.denied.push(dir.path);
  }

  hides(path: string): boolean {
    return this.active && this.denied.some((d) => path !== d && isSameOrAncestor(d, path));
  }
}

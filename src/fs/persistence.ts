import {failedPrecondition} from '../errors.js';
import {failureReason} from '../util/system-errors.js';
import type {InodeRecord} from '../meta/store.js';
import type {FsContext} from './fs-context.js';
import {forEachLimited} from '../util/limit.js';
import {checkWritable} from './guards.js';
import {persistFromCache} from './writes.js';

/**
 * ASYNC_THROUGH: files wait in the cache as TO_BE_PERSISTED. With no daemon running, the writing process
 * persists them before it exits. Each waiting file is held by a lease; a file whose writer died (lease expired)
 * is persisted by the next process that looks.
 */
const LEASE_KEY = 'alluxio.user.file.persistence.lease.duration';
const RECOVERY_BATCH = 100;

const pending = new WeakMap<FsContext, Set<string>>();
const leaseOwner = `${process.pid}-${Date.now().toString(36)}`;

function leaseName(path: string): string {
  return `persist:${path}`;
}

export function registerAsyncPersist(ctx: FsContext, path: string): void {
  ctx.store.tryAcquireLease(leaseName(path), leaseOwner, ctx.conf.getDurationMs(LEASE_KEY), Date.now());
  let paths = pending.get(ctx);
  if (!paths) pending.set(ctx, (paths = new Set()));
  paths.add(path);
}

/** Persists what this process wrote ASYNC_THROUGH, then what crashed writers left behind, `threads` at a time. */
export async function persistWaitingFiles(ctx: FsContext, threads: number): Promise<void> {
  await forEachLimited(pending.get(ctx) ?? [], threads, (path) => persistIfWaiting(ctx, path));
  pending.delete(ctx);
  // Each lease is taken when its file's turn comes, so none runs out while the file waits in the queue.
  await forEachLimited(ctx.store.listInodesByState('TO_BE_PERSISTED', RECOVERY_BATCH), threads, async (row) => {
    if (ctx.store.tryAcquireLease(leaseName(row.path), leaseOwner, ctx.conf.getDurationMs(LEASE_KEY), Date.now())) {
      await persistIfWaiting(ctx, row.path);
    }
  });
}

async function persistIfWaiting(ctx: FsContext, path: string): Promise<void> {
  try {
    const row = ctx.store.getInode(path);
    if (row && row.state === 'TO_BE_PERSISTED') await persistRow(ctx, row);
  } catch (e) {
    ctx.warn(`Failed to persist ${path}: ${failureReason(e)}. It stays TO_BE_PERSISTED and will be retried.`);
  } finally {
    ctx.store.releaseLease(leaseName(path), leaseOwner);
  }
}

/** `fs persist`: uploads a file that only the cache holds; a persisted file is left as it is. */
export async function persistFile(ctx: FsContext, path: string): Promise<boolean> {
  const row = ctx.store.getInode(path);
  if (!row || row.state === 'PERSISTED' || row.isDirectory) return false;
  checkWritable(ctx, path);
  await persistRow(ctx, row);
  return true;
}

async function persistRow(ctx: FsContext, row: InodeRecord): Promise<void> {
  if (row.cacheKey === undefined || !ctx.cache.has(row.cacheKey)) {
    throw failedPrecondition(`The data of ${row.path} is no longer in the Alluxio worker cache: it cannot be persisted`);
  }
  await persistFromCache(ctx, row.path, row.cacheKey, row.length ?? 0, () => {
    const current = ctx.store.getInode(row.path);
    if (current) ctx.store.putInode({...current, state: 'PERSISTED', length: undefined, cacheKey: undefined});
  });
}

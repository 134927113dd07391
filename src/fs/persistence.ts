import {failedPrecondition} from '../errors.js';
import {failureReason} from '../util/system-errors.js';
import type {InodeCursor, InodeRecord} from '../meta/store.js';
import {MASTER, count} from '../metrics/counters.js';
import type {FsContext} from './fs-context.js';
import {forEachLimited} from '../util/limit.js';
import {NO_PROGRESS, type Progress} from '../util/progress.js';
import {HOST, processRuns} from '../util/temp-files.js';
import {checkWritable} from './guards.js';
import {heldByAnotherHost, onAnotherHost} from './reads.js';
import {persistFromCache} from './writes.js';

/**
 * ASYNC_THROUGH: files wait in the cache as TO_BE_PERSISTED. The master persists them when one runs on this host;
 * otherwise the writing process persists them before it exits. Each waiting file is held by a lease; a file whose
 * writer died (lease expired) is persisted by the next process that looks, and at once by the master when the
 * writer ran on this host.
 */
const LEASE_KEY = 'alluxio.user.file.persistence.lease.duration';
const RECOVERY_BATCH = 100;

const pending = new WeakMap<FsContext, Set<string>>();

/** `<pid>@<host>/<start>`: whoever finds the lease can tell whether its holder, if on this host, still runs. */
export function newLeaseOwner(): string {
  return `${process.pid}@${HOST}/${Date.now().toString(36)}`;
}

const OWNER = /^(\d+)@(.*)\/[0-9a-z]+$/;
const leaseOwner = newLeaseOwner();

/** A lease holder of this host whose process is gone (killed, crashed): its leases may be taken at once. */
export function holderIsGone(owner: string): boolean {
  const m = OWNER.exec(owner);
  return m !== null && m[2] === HOST && Number(m[1]) !== process.pid && !processRuns(Number(m[1]));
}

function leaseName(path: string): string {
  return `persist:${path}`;
}

function acquire(ctx: FsContext, path: string, owner: string): Promise<boolean> {
  return ctx.store.tryAcquireLease(leaseName(path), owner, ctx.conf.getDurationMs(LEASE_KEY), Date.now());
}

/** Takes the lease like `acquire`, or from a holder of this host that is gone. */
async function acquireOrTakeOver(ctx: FsContext, path: string, owner: string): Promise<boolean> {
  if (await acquire(ctx, path, owner)) return true;
  const held = await ctx.store.getLease(leaseName(path));
  if (!held || !holderIsGone(held.owner)) return false;
  // Only that holder's row is deleted: a live process that took it meanwhile keeps it.
  await ctx.store.releaseLease(held.name, held.owner);
  return acquire(ctx, path, owner);
}

export async function registerAsyncPersist(ctx: FsContext, path: string): Promise<void> {
  await acquire(ctx, path, leaseOwner);
  let paths = pending.get(ctx);
  if (!paths) pending.set(ctx, (paths = new Set()));
  paths.add(path);
}

/**
 * Persists what this process wrote ASYNC_THROUGH, then what crashed writers left behind, `threads` at a time.
 * `progress` hears of the bytes of this process's own files.
 */
export async function persistWaitingFiles(ctx: FsContext, threads: number, progress: Progress = NO_PROGRESS): Promise<void> {
  await persistWritten(ctx, threads, progress);
  // Each lease is taken when its file's turn comes, so none runs out while the file waits in the queue.
  // Only files whose data this host's cache holds: no other host can read it.
  const waiting = await ctx.store.listInodesByState('TO_BE_PERSISTED', {limit: RECOVERY_BATCH, host: ctx.store.host});
  await forEachLimited(waiting, threads, async (row) => {
    if (await acquire(ctx, row.path, leaseOwner)) await persistIfWaiting(ctx, row.path);
  });
}

/** Persists what this process wrote ASYNC_THROUGH, `threads` at a time, bytes reported to `progress`. */
export async function persistWritten(ctx: FsContext, threads: number, progress: Progress): Promise<void> {
  const paths = [...(pending.get(ctx) ?? [])];
  pending.delete(ctx);
  const rows = await Promise.all(paths.map((path) => ctx.store.getInode(path)));
  for (const row of rows) if (row?.state === 'TO_BE_PERSISTED') progress.grow(row.length ?? 0);
  // A file whose lease another process took (it saw the row before this one leased it) is that process's to persist.
  await forEachLimited(paths, threads, async (path) => {
    if (await acquire(ctx, path, leaseOwner)) await persistIfWaiting(ctx, path, progress);
  });
}

/** Leaves what this process wrote ASYNC_THROUGH to the master: its leases go at once, so the master need not wait. */
export async function handOverWaitingFiles(ctx: FsContext): Promise<void> {
  for (const path of pending.get(ctx) ?? []) await ctx.store.releaseLease(leaseName(path), leaseOwner);
  pending.delete(ctx);
}

async function persistIfWaiting(ctx: FsContext, path: string, progress: Progress = NO_PROGRESS): Promise<void> {
  try {
    await persistHeld(ctx, path, leaseOwner, progress);
  } catch (e) {
    ctx.warn(`Failed to persist ${path}: ${failureReason(e)}. It stays TO_BE_PERSISTED and will be retried.`);
  }
}

/** Persists `path` if it still waits, under the lease `owner` holds, which is released after. */
async function persistHeld(ctx: FsContext, path: string, owner: string, progress: Progress = NO_PROGRESS): Promise<boolean> {
  try {
    const row = await ctx.store.getInode(path);
    if (!row || row.state !== 'TO_BE_PERSISTED') return false;
    await persistRow(ctx, row, progress);
    return true;
  } finally {
    await ctx.store.releaseLease(leaseName(path), owner);
  }
}

export interface PersistRound {
  /** Lease holder: the master's, see newLeaseOwner. */
  owner: string;
  threads: number;
  /** How many waiting files are read at a time (a page), oldest first. */
  batch: number;
  /** Whether a waiting file is due (not backing off after a failure). */
  due(path: string): boolean;
  /** Hears of each file persisted, or of why it failed. */
  done(path: string, error?: unknown): void;
}

/**
 * One round of the master's async persistence: each due TO_BE_PERSISTED file whose lease it gets (free, expired,
 * or held by a process of this host that is gone) is persisted. All waiting files are looked at, a page at a
 * time, so files backing off at the head of the queue never hide the newer ones behind them. Leases are renewed
 * while their files upload, so a long upload keeps its file. Returns how many files still wait.
 */
export async function persistDueFiles(ctx: FsContext, round: PersistRound): Promise<number> {
  const held = new Set<string>();
  const ttlMs = ctx.conf.getDurationMs(LEASE_KEY);
  const renewal = setInterval(() => {
    // A busy metastore: the next renewal tries again; the upload itself goes on.
    for (const path of held) ctx.store.tryAcquireLease(leaseName(path), round.owner, ttlMs, Date.now()).catch(() => undefined);
  }, Math.max(1, Math.floor(ttlMs / 3)));
  renewal.unref();
  try {
    await forEachLimited(waitingFiles(ctx, round.batch), round.threads, async (row) => {
      if (!round.due(row.path) || !(await acquireOrTakeOver(ctx, row.path, round.owner))) return;
      held.add(row.path);
      try {
        if (await persistHeld(ctx, row.path, round.owner)) round.done(row.path);
      } catch (e) {
        round.done(row.path, e);
      } finally {
        held.delete(row.path);
      }
    });
  } finally {
    clearInterval(renewal);
  }
  return ctx.store.countInodesByState('TO_BE_PERSISTED', ctx.store.host);
}

/** Every TO_BE_PERSISTED file whose data this host's cache holds, oldest first, read `pageSize` rows at a time. */
async function* waitingFiles(ctx: FsContext, pageSize: number): AsyncGenerator<InodeRecord> {
  let after: InodeCursor | undefined;
  for (;;) {
    const rows = await ctx.store.listInodesByState('TO_BE_PERSISTED', {limit: pageSize, after, host: ctx.store.host});
    yield* rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = {modificationTime: last.modificationTime, path: last.path};
  }
}

/** `fs persist`: uploads a file that only the cache holds; a persisted file is left as it is. */
export async function persistFile(ctx: FsContext, path: string, progress: Progress = NO_PROGRESS): Promise<boolean> {
  const row = await ctx.store.getInode(path);
  if (!row || row.state === 'PERSISTED' || row.isDirectory) return false;
  checkWritable(ctx, path);
  await persistRow(ctx, row, progress);
  return true;
}

async function persistRow(ctx: FsContext, row: InodeRecord, progress: Progress): Promise<void> {
  if (row.cacheKey === undefined || !(await ctx.cache.has(row.cacheKey))) {
    if (heldByAnotherHost(ctx, row)) throw onAnotherHost(row.path, row.cacheHost);
    throw failedPrecondition(`The data of ${row.path} is no longer in the Alluxio worker cache: it cannot be persisted`);
  }
  await persistFromCache(
    ctx,
    row.path,
    row.cacheKey,
    row.length ?? 0,
    async () => (current) => current && {...current, state: 'PERSISTED', length: undefined, cacheKey: undefined, cacheHost: undefined},
    progress,
  );
  count(MASTER.FilesPersisted);
}

import {randomBytes} from 'node:crypto';
import type {AlluxioError} from '../errors.js';
import {interrupts} from '../util/interrupts.js';
import {type FsContext, ufsOf, viewedSince} from './fs-context.js';

/**
 * One writer per path. Looking a path up and then writing it is not atomic: writers that all saw it missing would
 * all write, and all but the last would be lost without a word. So a create claims its path in the metastore
 * before any data moves; a second writer is refused. A claim lives as long as the persistence lease: renewed
 * while its writer works, it lapses when the writer dies; once the path is created the claim is kept that long
 * again with its completion time, which refuses a writer that saw the path missing before then.
 */
const LEASE_KEY = 'alluxio.user.file.persistence.lease.duration';

/** Unique per process (a pid alone may come back): all claims of this process are renewed together. */
const owner = `${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/** Per metastore, the claims this process has in progress and the timer that renews them. */
const renewals = new WeakMap<FsContext['store'], {count: number; timer: NodeJS.Timeout}>();

/**
 * Runs `work` holding the claim on `path`, which the caller saw missing at `viewedAt`; throws `refused()` when
 * another writer has it. The claim is completed when `work` succeeds, and released when it fails.
 */
export async function withClaim<T>(
  ctx: FsContext,
  path: string,
  viewedAt: number,
  refused: () => AlluxioError,
  work: () => Promise<T>,
): Promise<T> {
  const ttlMs = ctx.conf.getDurationMs(LEASE_KEY);
  if (!(await ctx.store.tryClaimPath(path, owner, {viewedAt, now: Date.now(), ttlMs}))) throw refused();
  const release = async () => {
    try {
      await ctx.store.releaseClaim(path, owner);
    } catch {
      // Must not hide why the write stopped; the claim lapses on its own.
    }
    return 0;
  };
  // An interrupted write frees its path at once, rather than a lease later.
  const unregister = interrupts.register('file', release);
  const stopRenewing = keepRenewed(ctx, ttlMs);
  try {
    const result = await work();
    if (!(await ctx.store.completeClaim(path, owner, Date.now(), ttlMs))) {
      ctx.warn(
        `The claim on ${path} lapsed while it was written (the writer was stopped for longer than ${LEASE_KEY}): ` +
          'another writer may have created it meanwhile, and one of the two writes is lost.',
      );
    }
    return result;
  } catch (e) {
    await release();
    throw e;
  } finally {
    unregister();
    stopRenewing();
  }
}

/** The time from which the caller's view of `path` may date, to pass to withClaim. */
export async function viewTime(ctx: FsContext, path: string): Promise<number> {
  return viewedSince(await ufsOf(ctx, ctx.mounts.resolve(path).mount));
}

/** Renews this process's claims every third of their lifetime while any is in progress. */
function keepRenewed(ctx: FsContext, ttlMs: number): () => void {
  const {store} = ctx;
  const renewal = renewals.get(store) ?? {count: 0, timer: startRenewing(ctx, ttlMs)};
  renewals.set(store, renewal);
  renewal.count++;
  return () => {
    if (--renewal.count > 0) return;
    clearInterval(renewal.timer);
    renewals.delete(store);
  };
}

function startRenewing(ctx: FsContext, ttlMs: number): NodeJS.Timeout {
  const timer = setInterval(() => {
    // A busy or replaced metastore: the writes themselves will say so; the claims may lapse meanwhile.
    ctx.store.renewClaims(owner, Date.now() + ttlMs).catch(() => undefined);
  }, Math.max(1, Math.floor(ttlMs / 3)));
  // Renewing is no reason to stay alive.
  timer.unref();
  return timer;
}

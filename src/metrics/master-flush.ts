/**
 * The master's metrics reach the metastore on a timer rather than after each web request or job run: a flush is a
 * write, better-sqlite3 is synchronous, and waiting for a CLI's write lock would stall the master's event loop (the
 * whole web UI) for as long as the lock is held. Each flush waits only briefly for the lock; when it is busy the
 * counts are kept for the next one. The flushes share one store of their own, opened with that short wait (with
 * PostgreSQL: one connection besides the pool of the master's other store).
 */
import type {Configuration} from '../conf/configuration.js';
import {openMetaStore} from '../meta/open.js';
import {SharedMetaStore} from '../meta/shared-store.js';
import type {MetaStore} from '../meta/store.js';
import {isBusy} from '../meta/store-errors.js';
import {couldNotFlush, hasPendingCounters, tryFlushCounters} from './counters.js';

export const MASTER_FLUSH_INTERVAL_MS = 10_000;
/** How long a periodic flush waits for the write lock: short enough not to be felt by requests. */
export const MASTER_FLUSH_BUSY_TIMEOUT_MS = 50;

/** Flushes this process's counters to the store `open` gives (closed after); false when its lock was busy (counts kept). */
export async function flushMasterCounters(open: () => Promise<MetaStore>, warn: (message: string) => void): Promise<boolean> {
  if (!hasPendingCounters()) return true;
  let error: unknown;
  try {
    const store = await open();
    try {
      error = await tryFlushCounters(store);
    } finally {
      await store.close();
    }
  } catch (e) {
    error = e;
  }
  if (error === undefined) return true;
  if (isBusy(error)) return false;
  warn(couldNotFlush(error));
  return true;
}

/** Flushes every `intervalMs` until stopped; `stop` flushes once more, waiting up to `finalBusyTimeoutMs` for the lock. */
export function startMasterFlusher(options: {
  conf: Configuration;
  intervalMs: number;
  finalBusyTimeoutMs: number;
  warn: (message: string) => void;
}): {stop(): Promise<void>} {
  const {conf, warn} = options;
  const store = new SharedMetaStore(() => openMetaStore(conf, {busyTimeoutMs: MASTER_FLUSH_BUSY_TIMEOUT_MS}));
  const timer = setInterval(() => void flushMasterCounters(() => store.lease(), warn), options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await store.close();
      await flushMasterCounters(() => openMetaStore(conf, {busyTimeoutMs: options.finalBusyTimeoutMs}), warn);
    },
  };
}

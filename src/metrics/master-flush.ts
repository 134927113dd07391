/**
 * The master's metrics reach the metastore on a timer rather than after each web request or job run: a flush is a
 * write, better-sqlite3 is synchronous, and waiting for a CLI's write lock would stall the master's event loop (the
 * whole web UI) for as long as the lock is held. Each flush waits only briefly for the lock; when it is busy the
 * counts are kept for the next one.
 */
import {openMetaStore} from '../meta/open.js';
import {isBusy} from '../meta/sqlite-errors.js';
import {couldNotFlush, hasPendingCounters, tryFlushCounters} from './counters.js';

export const MASTER_FLUSH_INTERVAL_MS = 10_000;
/** How long a periodic flush waits for the write lock: short enough not to be felt by requests. */
export const MASTER_FLUSH_BUSY_TIMEOUT_MS = 50;

/** Flushes this process's counters to the metastore of `journalFolder`; false when its lock was busy (counts kept). */
export function flushMasterCounters(journalFolder: string, busyTimeoutMs: number, warn: (message: string) => void): boolean {
  if (!hasPendingCounters()) return true;
  let error: unknown;
  try {
    const store = openMetaStore(journalFolder, {busyTimeoutMs});
    try {
      error = tryFlushCounters(store);
    } finally {
      store.close();
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
  journalFolder: string;
  intervalMs: number;
  finalBusyTimeoutMs: number;
  warn: (message: string) => void;
}): {stop(): void} {
  const {journalFolder, warn} = options;
  const timer = setInterval(() => flushMasterCounters(journalFolder, MASTER_FLUSH_BUSY_TIMEOUT_MS, warn), options.intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      flushMasterCounters(journalFolder, options.finalBusyTimeoutMs, warn);
    },
  };
}

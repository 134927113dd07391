/**
 * The leader jobs of the master that matter for S3 mounts: the under-storage cleanup (at start, then every
 * alluxio.underfs.cleanup.interval when alluxio.underfs.cleanup.enabled) and async persistence of TO_BE_PERSISTED
 * files (every alluxio.master.persistence.checker.interval, with back-off on failure). Each run opens the
 * namespace afresh (on the master's one metastore) and releases it after, so it sees what CLI commands did
 * meanwhile; runs of one job never overlap, and the next starts one interval after the previous one started (as
 * Alluxio's heartbeat threads).
 */
import type {Configuration} from '../conf/configuration.js';
import {openFileSystem} from '../context.js';
import type {FileSystem} from '../fs/file-system.js';
import type {SharedMetaStore} from '../meta/shared-store.js';
import {newLeaseOwner} from '../fs/persistence.js';
import {failureReason} from '../util/system-errors.js';
import {RetryBackoff} from './backoff.js';
import type {MasterLog} from './master-log.js';
import type {JobStatus} from './webui/types.js';

export interface LeaderJobs {
  status(): JobStatus[];
  /** Stops scheduling and waits for the runs in flight. */
  stop(): Promise<void>;
}

const PERSISTENCE = 'PersistenceChecker';
const CLEANER = 'UfsCleaner';
/** Waiting files read from the metastore at a time; a round pages through all of them. */
const PERSIST_PAGE = 1000;
/** WARN lines for the failures of one round; the rest are summed up in one line, so a broken bucket cannot flood the log. */
const FAILURES_LOGGED_PER_ROUND = 20;
/** The longest delay setTimeout takes (2^31-1 ms, 24.8 days): longer intervals are waited in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What one run did: its one-line outcome, whether part of it failed, and the work still pending. */
interface RunResult {
  outcome: string;
  failed?: boolean;
  pending?: number;
}

/** `store`: the master's one metastore, leased by every run; by default each run opens its own. */
export function startLeaderJobs(options: {conf: Configuration; log: MasterLog; store?: SharedMetaStore}): LeaderJobs {
  const {conf, log} = options;
  const owner = newLeaseOwner();
  const withFileSystem = async <T>(component: string, work: (fs: FileSystem) => Promise<T>): Promise<T> => {
    const fs = await openFileSystem(conf, (message) => log.warn(component, message), options.store);
    try {
      return await work(fs);
    } finally {
      await fs.recordContact();
      await fs.release();
    }
  };

  const cleanup = new PeriodicJob({
    name: 'UFS cleanup',
    component: CLEANER,
    log,
    enabled: conf.getBoolean('alluxio.underfs.cleanup.enabled'),
    intervalMs: conf.getDurationMs('alluxio.underfs.cleanup.interval'),
    run: () => withFileSystem(CLEANER, (fs) => cleanOnce(fs, owner, log)),
  });

  const backoff = new RetryBackoff(
    conf.getDurationMs('alluxio.master.persistence.initial.interval'),
    conf.getDurationMs('alluxio.master.persistence.max.interval'),
  );
  const persistence = new PeriodicJob({
    name: 'Async persistence',
    component: PERSISTENCE,
    log,
    enabled: true,
    intervalMs: conf.getDurationMs('alluxio.master.persistence.checker.interval'),
    run: () => withFileSystem(PERSISTENCE, (fs) => persistOnce(fs, owner, backoff, log)),
  });

  // Uploads left by a killed master are aborted (when cleanup is on) before new ones start.
  void cleanup.start().then(() => persistence.start());
  return {
    status: () => [cleanup.status(), persistence.status()],
    stop: async () => {
      await Promise.all([cleanup.stop(), persistence.stop()]);
    },
  };
}

async function cleanOnce(fs: FileSystem, owner: string, log: MasterLog): Promise<RunResult> {
  const result = await fs.cleanupExclusive(owner, {mountPoints: [], dryRun: false, wholeBucket: false});
  if (!result) {
    const outcome = 'Skipped: another process is running the UFS cleanup';
    log.info(CLEANER, outcome);
    return {outcome};
  }
  let aborted = 0;
  for (const mount of result.mounts) {
    if (mount.uploads.length === 0) continue;
    aborted += mount.uploads.length;
    log.info(CLEANER, `Aborted ${mount.uploads.length} multipart upload(s) under ${mount.alluxioPath} (${mount.ufsUri})`);
  }
  const removed = result.temporaryFiles.length;
  if (removed > 0) log.info(CLEANER, `Removed ${removed} temporary file(s) that killed writers left`);
  const outcome = `Aborted ${aborted} multipart upload(s) under ${result.mounts.length} mount(s), removed ${removed} temporary file(s)`;
  if (aborted === 0 && removed === 0) log.info(CLEANER, outcome);
  return {outcome};
}

async function persistOnce(fs: FileSystem, owner: string, backoff: RetryBackoff, log: MasterLog): Promise<RunResult> {
  let persisted = 0;
  let failed = 0;
  // Only the files backing off are remembered, not every waiting one: memory stays bounded by the failures.
  const stillWaiting = new Set<string>();
  const waiting = await fs.persistDue({
    owner,
    batch: PERSIST_PAGE,
    due: (path) => {
      if (backoff.tracks(path)) stillWaiting.add(path);
      return backoff.due(path, Date.now());
    },
    done: (path, error) => {
      if (error === undefined) {
        persisted++;
        backoff.succeeded(path);
        log.info(PERSISTENCE, `Persisted ${path}`);
        return;
      }
      failed++;
      const retryAt = backoff.failed(path, Date.now());
      stillWaiting.add(path);
      if (failed <= FAILURES_LOGGED_PER_ROUND) {
        log.warn(PERSISTENCE, `Failed to persist ${path}: ${failureReason(error)}; next retry at ${new Date(retryAt).toISOString()}`);
      }
    },
  });
  backoff.retain(stillWaiting);
  if (failed > FAILURES_LOGGED_PER_ROUND) {
    log.warn(PERSISTENCE, `Failed to persist ${failed - FAILURES_LOGGED_PER_ROUND} more file(s) in this round; each backs off before its next retry`);
  }
  const outcome =
    persisted === 0 && failed === 0 ? `${waiting} file(s) waiting` : `Persisted ${persisted} file(s), ${failed} failed, ${waiting} waiting`;
  return {outcome, failed: failed > 0, pending: waiting};
}

interface PeriodicJobOptions {
  name: string;
  component: string;
  log: MasterLog;
  enabled: boolean;
  intervalMs: number;
  run(): Promise<RunResult>;
}

/** One job on a timer: runs at once, then one interval after each run started, never two at once. */
class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private readonly state: JobStatus;

  constructor(private readonly options: PeriodicJobOptions) {
    this.state = {
      name: options.name,
      enabled: options.enabled,
      intervalMs: options.intervalMs,
      lastRunStart: null,
      lastRunEnd: null,
      lastOutcome: null,
      runs: 0,
      failures: 0,
      pending: 0,
    };
  }

  /** Starts the schedule; resolves once the first run ended (at once when the job is off). */
  start(): Promise<void> {
    if (!this.options.enabled || this.stopped) return Promise.resolve();
    return this.tick();
  }

  status(): JobStatus {
    return {...this.state};
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private tick(): Promise<void> {
    const started = Date.now();
    this.state.lastRunStart = started;
    // runOnce reports its own failures; only a log that cannot be written could still throw.
    this.inFlight = this.runOnce().catch(() => undefined).finally(() => {
      this.inFlight = undefined;
      this.schedule(started + this.options.intervalMs);
    });
    return this.inFlight;
  }

  /** Runs at `due`, waiting in steps when it is further away than a timer can wait. */
  private schedule(due: number): void {
    if (this.stopped) return;
    const wait = due - Date.now();
    this.timer = wait > MAX_TIMER_MS
      ? setTimeout(() => this.schedule(due), MAX_TIMER_MS)
      : setTimeout(() => void this.tick(), Math.max(0, wait));
  }

  private async runOnce(): Promise<void> {
    const {state} = this;
    try {
      const result = await this.options.run();
      state.lastOutcome = result.outcome;
      state.pending = result.pending ?? 0;
      if (result.failed) state.failures++;
    } catch (e) {
      state.failures++;
      state.lastOutcome = `Failed: ${failureReason(e)}`;
      this.options.log.warn(this.options.component, `${this.options.name} failed: ${failureReason(e)}`);
    } finally {
      state.runs++;
      state.lastRunEnd = Date.now();
    }
  }
}

/**
 * The master process (`alluxio master`, what alluxio-start.sh launches detached): the web UI and the leader jobs,
 * logging to master.log, until SIGTERM or SIGINT stops it cleanly.
 */
import {hostname} from 'node:os';
import type {Configuration} from '../conf/configuration.js';
import {AlluxioError, failedPrecondition, isAlluxioError} from '../errors.js';
import {openMetaStore} from '../meta/open.js';
import {SharedMetaStore} from '../meta/shared-store.js';
import {becomeMaster} from '../metrics/counters.js';
import {MASTER_FLUSH_INTERVAL_MS, startMasterFlusher} from '../metrics/master-flush.js';
import {type LeaderJobs, startLeaderJobs} from './jobs.js';
import {type MasterLog, openMasterLog} from './master-log.js';
import {claimPidFile, type LiveMaster, namespaceOf, pidFilePath, processStartTime, readLiveMaster, releasePidFile} from './pid-file.js';
import {startWebServer} from './web-server.js';

const LOGGER = 'AlluxioMaster';
/** How long the flush at stop waits for a CLI's write lock. */
const FINAL_FLUSH_BUSY_TIMEOUT_MS = 2000;

/** The URL this host reaches a server listening on `bindHost` at (a wildcard address is reached on loopback). */
export function connectUrl(bindHost: string, port: number): string {
  const host = bindHost === '' || bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Runs the master; resolves once it serves requests. Stopping is driven by the signals it installs. */
export async function runMaster(conf: Configuration, version: string): Promise<void> {
  const startedAt = Date.now();
  const log = openMasterLog(conf);
  try {
    await start(conf, version, log, startedAt);
  } catch (e) {
    log.error(LOGGER, `Failed to start the master: ${describe(e)}`);
    throw e;
  }
}

async function start(conf: Configuration, version: string, log: MasterLog, startedAt: number): Promise<void> {
  becomeMaster();
  const host = hostname();
  log.info(LOGGER, `Starting Alluxio master @ ${host} (alluxio-s3 ${version}, pid ${process.pid}, Node.js ${process.version})`);
  const running = readLiveMaster(conf, (note) => log.warn(LOGGER, note));
  if (running && running.pid !== process.pid) throw alreadyRunning(running);

  // The jobs start once the port is ours: a second master that cannot listen never runs a cleanup alongside the first.
  const leader: {jobs?: LeaderJobs} = {};
  const jobsView: LeaderJobs = {status: () => leader.jobs?.status() ?? [], stop: async () => leader.jobs?.stop()};
  // One metastore (one PostgreSQL pool) for every request and job run, rather than one per use.
  const store = new SharedMetaStore(() => openMetaStore(conf));
  const server = await startWebServer({conf, log, jobs: jobsView, startedAt, store});
  const url = connectUrl(server.host, server.port);
  log.info(LOGGER, `Alluxio master web server started @ ${server.host}:${server.port} (${url})`);

  const pidFile = pidFilePath(conf);
  const holder = claimPidFile(pidFile, {
    pid: process.pid,
    processStart: processStartTime(process.pid) ?? '',
    host,
    bindHost: server.host,
    port: server.port,
    url,
    startedAt,
    ...namespaceOf(conf),
  });
  if (holder) {
    await server.close();
    await store.close();
    throw alreadyRunning(holder);
  }
  leader.jobs = startLeaderJobs({conf, log, store});
  log.info(LOGGER, `Alluxio master version ${version} started. webHost: ${server.host}, webPort: ${server.port}, pid file: ${pidFile}`);

  const flusher = startMasterFlusher({
    conf,
    intervalMs: MASTER_FLUSH_INTERVAL_MS,
    finalBusyTimeoutMs: FINAL_FLUSH_BUSY_TIMEOUT_MS,
    warn: (message) => log.warn(LOGGER, message),
  });

  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(LOGGER, `Stopping Alluxio master (${reason})`);
    const clean = await shutDown({pidFile, jobs: jobsView, server, flusher, store, log});
    log.info(LOGGER, 'Alluxio master ended');
    process.exit(clean ? code : 1);
  };
  // The CLI's interrupt handlers (undo and die by the signal) are for commands; the master stops cleanly instead.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal, 0));
  }
  process.on('SIGHUP', () => log.info(LOGGER, 'Ignoring SIGHUP'));
  const fatal = (e: unknown) => {
    log.error(LOGGER, `Unexpected error, stopping: ${describe(e)}`);
    void stop('fatal error', 1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

/**
 * Stops the master's parts in order; false when one failed (the others are stopped all the same). The pid file
 * goes first: from then on CLI commands persist their ASYNC_THROUGH files themselves rather than hand them to a
 * master that is going away. Then the jobs (runs in flight end), then the web server (which cuts off slow
 * downloads after a short drain), then the last metrics flush, then the metastore they shared.
 */
export async function shutDown(parts: {
  pidFile: string;
  jobs: Pick<LeaderJobs, 'stop'>;
  server: {close(): Promise<void>};
  flusher: {stop(): unknown};
  store?: {close(): Promise<void>};
  log: MasterLog;
}): Promise<boolean> {
  let clean = true;
  const steps: [string, () => unknown][] = [
    ['removing the pid file', () => releasePidFile(parts.pidFile, process.pid)],
    ['stopping the leader jobs', () => parts.jobs.stop()],
    ['closing the web server', () => parts.server.close()],
    ['recording the metrics', () => parts.flusher.stop()],
    ['closing the metastore', () => parts.store?.close()],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (e) {
      parts.log.error(LOGGER, `Error while ${what}: ${describe(e)}`);
      clean = false;
    }
  }
  return clean;
}

function alreadyRunning(master: LiveMaster): AlluxioError {
  return failedPrecondition(
    `A master is already running (pid ${master.pid}, ${master.url})`,
    'Stop it first: alluxio-stop.sh master',
  );
}

function describe(e: unknown): string {
  if (isAlluxioError(e)) return e.hint ? `${e.message}. Hint: ${e.hint}` : e.message;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

import {lookup} from 'node:dns/promises';
import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import type {Configuration} from '../../conf/configuration.js';
import {INSTALL_DIR, openFileSystem} from '../../context.js';
import type {FileSystem} from '../../fs/file-system.js';
import {workerHost} from '../../meta/open.js';
import type {SharedMetaStore} from '../../meta/shared-store.js';
import {isReplaced} from '../../meta/store-errors.js';
import type {LeaderJobs} from '../jobs.js';
import type {MasterLog} from '../master-log.js';
import {failureReason} from '../../util/system-errors.js';

/** Alluxio's worker ports: one worker per host here, so nothing listens on them; pages show them as Alluxio does. */
export const WORKER_RPC_PORT = 29999;
export const WORKER_WEB_PORT = 30000;
/** The component name of the web UI's lines in master.log. */
export const LOG_COMPONENT = 'WebServer';

export interface WebUiSourceOptions {
  conf: Configuration;
  log: MasterLog;
  jobs: LeaderJobs;
  /** Epoch ms the master started. */
  startedAt: number;
  /** Where the web server listens, once it does (the download URL points there). */
  address: () => {host: string; port: number};
  /** The product version; by default the one in package.json. */
  version?: string;
  /** The master's one metastore, which every request's FileSystem leases; by default each opens its own. */
  store?: SharedMetaStore;
  /** Opens the namespace for one request; by default as the CLI does, as the master's login user. */
  openFs?: () => Promise<FileSystem>;
}

/** What every page of the source shares. */
export class SourceContext {
  readonly conf: Configuration;
  readonly log: MasterLog;
  readonly jobs: LeaderJobs;
  readonly startedAt: number;
  readonly version: string;
  /**
   * The metrics counters when this source started. They add up since `alluxio format`, across masters and CLI
   * runs: a throughput over this master's uptime counts only what was added since.
   */
  readonly metricsBaseline: Promise<ReadonlyMap<string, number>>;
  private readonly openFs: () => Promise<FileSystem>;
  private readonly address: () => {host: string; port: number};
  private masterIp?: string;

  constructor(options: WebUiSourceOptions) {
    this.conf = options.conf;
    this.log = options.log;
    this.jobs = options.jobs;
    this.startedAt = options.startedAt;
    this.address = options.address;
    this.version = options.version ?? packageVersion();
    this.openFs = options.openFs ?? (() => openFileSystem(this.conf, (message) => this.log.warn(LOG_COMPONENT, message), options.store));
    this.metricsBaseline = this.withFs(async (fs) => fs.internals.store.readMetrics()).catch((e: unknown) => {
      this.log.warn(LOG_COMPONENT, `Reading the metrics at start failed, throughputs count from format: ${failureReason(e)}`);
      return new Map<string, number>();
    });
  }

  /**
   * Runs `work` on a fresh FileSystem, released after: what a CLI command did shows on the next request, and the
   * UFS views a FileSystem keeps for its span never outlive a request. When a `format` by another process
   * replaced the metastore under it, `work` runs once more on the store opened afresh, as on the next request.
   */
  async withFs<T>(work: (fs: FileSystem) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const fs = await this.openFs();
        try {
          return await work(fs);
        } finally {
          await fs.release();
        }
      } catch (e) {
        if (attempt > 1 || !isReplaced(e)) throw e;
      }
    }
  }

  /** Opens a FileSystem the caller releases (a download streams after the handler returns). */
  open(): Promise<FileSystem> {
    return this.openFs();
  }

  get debug(): boolean {
    return this.conf.getBoolean('alluxio.debug');
  }

  get fileInfoEnabled(): boolean {
    return this.conf.getBoolean('alluxio.web.file.info.enabled');
  }

  get showPermissions(): boolean {
    return this.conf.getBoolean('alluxio.security.authorization.permission.enabled');
  }

  get datePattern(): string {
    return this.conf.get('alluxio.user.date.format.pattern');
  }

  get tierAlias(): string {
    return this.conf.get('alluxio.worker.tieredstore.level0.alias');
  }

  get workerHost(): string {
    return workerHost(this.conf);
  }

  get masterHost(): string {
    return this.conf.getOrUndefined('alluxio.master.hostname') || 'localhost';
  }

  /** Java's InetSocketAddress.toString() of the master's RPC address: `localhost/127.0.0.1:19998`. */
  async masterNodeAddress(): Promise<string> {
    const host = this.masterHost;
    this.masterIp ??= await lookup(host).then(
      (a) => a.address,
      () => '',
    );
    const ip = this.masterIp ? this.masterIp : '<unresolved>';
    return `${host}/${ip}:${this.conf.getInt('alluxio.master.rpc.port')}`;
  }

  /** The host and port clients reach this web server at (alluxio.master.web.hostname, else the bind host). */
  webAddress(): {host: string; port: number} {
    const {host: bound, port} = this.address();
    const configured = this.conf.getOrUndefined('alluxio.master.web.hostname');
    const host = configured || (bound === '0.0.0.0' || bound === '::' ? hostname() : bound);
    return {host, port};
  }

  uptimeMs(): number {
    return Math.max(0, Date.now() - this.startedAt);
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(INSTALL_DIR, 'package.json'), 'utf8')) as {version: string}).version;
  } catch {
    return 'unknown';
  }
}

/** `"%d day(s), %d hour(s), %d minute(s), and %d second(s)"`. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 86400)} day(s), ${Math.floor((s % 86400) / 3600)} hour(s), ${Math.floor((s % 3600) / 60)} minute(s), and ${s % 60} second(s)`;
}

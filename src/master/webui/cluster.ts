import {formatDate} from '../../cli/date-format.js';
import {formatSize} from '../../cli/sizes.js';
import {displayedValue} from '../../conf/display.js';
import {formatSource, reportAll} from '../../conf/report.js';
import type {FileSystem} from '../../fs/file-system.js';
import {stableId} from '../../fs/ids.js';
import type {MountInfo} from '../../fs/types.js';
import type {WorkerRecord} from '../../meta/store.js';
import {type SourceContext, WORKER_RPC_PORT, WORKER_WEB_PORT, formatUptime} from './context.js';
import type {
  AlluxioMasterInfo,
  MountPointInfo,
  NodeInfo,
  WebUiConfig,
  WebUiInit,
  WebUiMountTable,
  WebUiOverview,
  WebUiWorkers,
  WorkerInfo,
} from './types.js';

/** A host that uses the namespace, as the pages list it: its cache, with the quota as its capacity. */
interface CacheUse {
  host: string;
  capacity: number;
  used: number;
  /** Seconds since the host last used the namespace. */
  lastContactSec: number;
}

/**
 * Every host that used the namespace (from the metastore's workers), this one with its figures of now; the most
 * recently seen first, then by name, as Alluxio orders its workers by last contact.
 */
export function workerUses(recorded: readonly WorkerRecord[], local: Omit<WorkerRecord, 'lastContact'>, now: number): CacheUse[] {
  const rows = recorded
    .filter((w) => w.host !== local.host)
    .map((w) => ({host: w.host, capacity: w.capacityBytes, used: w.usedBytes, lastContactSec: Math.max(0, Math.floor((now - w.lastContact) / 1000))}));
  rows.push({host: local.host, capacity: local.capacityBytes, used: local.usedBytes, lastContactSec: 0});
  return rows.sort((a, b) => a.lastContactSec - b.lastContactSec || (a.host === local.host ? -1 : b.host === local.host ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

async function cacheUses(ctx: SourceContext, fs: FileSystem): Promise<CacheUse[]> {
  const {store} = fs.internals;
  const local = {host: ctx.workerHost, capacityBytes: ctx.conf.getBytes('alluxio.worker.tieredstore.level0.dirs.quota'), usedBytes: await store.cacheUsedBytes()};
  return workerUses(await store.listWorkers(), local, Date.now());
}

function total(uses: readonly CacheUse[]): {capacity: number; used: number} {
  return {capacity: uses.reduce((n, u) => n + u.capacity, 0), used: uses.reduce((n, u) => n + u.used, 0)};
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.floor((100 * part) / whole) : 0);

export function init(ctx: SourceContext): WebUiInit {
  const {host, port} = ctx.webAddress();
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    debug: ctx.debug,
    newerVersionAvailable: false,
    webFileInfoEnabled: ctx.fileInfoEnabled,
    securityAuthorizationPermissionEnabled: ctx.showPermissions,
    workerPort: WORKER_WEB_PORT,
    refreshInterval: ctx.conf.getDurationMs('alluxio.web.refresh.interval'),
    // No proxy process: this master serves the downloads itself.
    proxyDownloadFileApiUrl: {prefix: `http://${authority}/api/v1/paths/`, suffix: '/download-file/'},
  };
}

export function overview(ctx: SourceContext): Promise<WebUiOverview> {
  return ctx.withFs(async (fs) => {
    const {store} = fs.internals;
    const uses = await cacheUses(ctx, fs);
    const cache = total(uses);
    const used = percent(cache.used, cache.capacity);
    return {
      debug: ctx.debug,
      masterNodeAddress: await ctx.masterNodeAddress(),
      clusterId: (await store.getFormatInfo())?.clusterId ?? '',
      version: ctx.version,
      startTime: formatDate(ctx.startedAt, ctx.datePattern),
      uptime: formatUptime(ctx.uptimeMs()),
      liveWorkerNodes: String(uses.length),
      capacity: formatSize(cache.capacity),
      usedCapacity: formatSize(cache.used),
      freeCapacity: formatSize(Math.max(0, cache.capacity - cache.used)),
      diskCapacity: 'UNKNOWN',
      diskUsedCapacity: 'UNKNOWN',
      diskFreeCapacity: 'UNKNOWN',
      totalPath: String(await store.countInodes()),
      uniqueBlockCount: '0',
      replicaBlockCount: '0',
      configCheckStatus: 'PASSED',
      configCheckErrors: {},
      configCheckWarns: {},
      configCheckErrorNum: 0,
      configCheckWarnNum: 0,
      storageTierInfos:
        cache.capacity > 0
          ? [
              {
                storageTierAlias: ctx.tierAlias,
                capacity: formatSize(cache.capacity),
                usedCapacity: formatSize(cache.used),
                freeCapacity: formatSize(Math.max(0, cache.capacity - cache.used)),
                usedSpacePercent: used,
                freeSpacePercent: 100 - used,
              },
            ]
          : [],
      journalDiskWarnings: [],
      journalCheckpointTimeWarning: null,
      masterRole: null,
      leaderId: null,
      backgroundJobs: ctx.jobs.status(),
    };
  });
}

export function workers(ctx: SourceContext): Promise<WebUiWorkers> {
  return ctx.withFs(async (fs) => {
    const nodes = (await cacheUses(ctx, fs)).map((u): NodeInfo => {
      const used = percent(u.used, u.capacity);
      return {
        host: u.host,
        webPort: WORKER_WEB_PORT,
        lastHeartbeat: String(u.lastContactSec),
        state: 'In Service',
        capacity: formatSize(u.capacity),
        usedMemory: formatSize(u.used),
        usedSpacePercent: used,
        freeSpacePercent: 100 - used,
        // Another host's worker is its commands: how long it has been up is not known here.
        uptimeClockTime: u.host === ctx.workerHost ? formatUptime(ctx.uptimeMs()) : '',
        workerId: stableId(u.host),
        blockCount: 0,
      };
    });
    return {debug: ctx.debug, normalNodeInfos: nodes, failedNodeInfos: []};
  });
}

/** Every key with its value as written (credentials masked) and where it was set. */
export function config(ctx: SourceContext): WebUiConfig {
  const configuration = reportAll(ctx.conf)
    .filter((p) => p.key !== 'alluxio.master.whitelist')
    .map((p) => ({left: p.key, middle: rawDisplay(ctx, p.key), right: formatSource(p.source)}));
  return {configuration, whitelist: ['/']};
}

function rawDisplay(ctx: SourceContext, key: string): string {
  const raw = ctx.conf.rawValue(key);
  return raw === undefined ? '' : displayedValue(key, raw);
}

/** Java's Map.toString() of mount options (already masked). */
function mapToString(properties: Record<string, string>): string {
  return `{${Object.entries(properties).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

export function mountTable(ctx: SourceContext): Promise<WebUiMountTable> {
  return ctx.withFs(async (fs) => ({
    debug: ctx.debug,
    mountPointInfos: (await fs.listMounts()).map((m) => ({
      mountPoint: m.alluxioPath,
      ufsUri: m.ufsUri,
      ufsType: m.ufsType,
      ufsCapacityBytes: formatSize(m.capacityBytes),
      ufsUsedBytes: formatSize(m.usedBytes),
      readOnly: m.readOnly,
      shared: m.shared,
      properties: mapToString(m.properties),
    })),
  }));
}

function mountPointInfo(m: MountInfo): MountPointInfo {
  return {
    mountId: stableId(m.alluxioPath),
    ufsUri: m.ufsUri,
    ufsType: m.ufsType,
    ufsCapacityBytes: m.capacityBytes,
    ufsUsedBytes: m.usedBytes,
    readOnly: m.readOnly,
    properties: m.properties,
    shared: m.shared,
  };
}

export function info(ctx: SourceContext, rawConfiguration: boolean): Promise<AlluxioMasterInfo> {
  return ctx.withFs(async (fs) => {
    const uses = await cacheUses(ctx, fs);
    const cache = total(uses);
    const configuration: Record<string, string> = {};
    for (const entry of ctx.conf.entries({includeDefaults: true})) {
      configuration[entry.key] = rawConfiguration ? rawDisplay(ctx, entry.key) : entry.displayValue;
    }
    const metrics: Record<string, number> = {};
    for (const [name, value] of [...(await fs.internals.store.readMetrics())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      metrics[name] = value;
    }
    metrics['Master.FilesPinned'] = 0;
    const mounts = await fs.listMounts();
    const mountPoints: Record<string, MountPointInfo> = {};
    for (const m of mounts) mountPoints[m.alluxioPath] = mountPointInfo(m);
    const root = mounts.find((m) => m.alluxioPath === '/');
    return {
      capacity: {total: cache.capacity, used: cache.used},
      configuration,
      lostWorkers: [],
      metrics,
      mountPoints,
      rpcAddress: await ctx.masterNodeAddress(),
      startTimeMs: ctx.startedAt,
      uptimeMs: ctx.uptimeMs(),
      version: ctx.version,
      tierCapacity: {[ctx.tierAlias]: {total: cache.capacity, used: cache.used}},
      ufsCapacity: {total: root?.capacityBytes ?? -1, used: root?.usedBytes ?? -1},
      workers: uses.map((u) => workerInfo(ctx, u)),
    };
  });
}

function workerInfo(ctx: SourceContext, use: CacheUse): WorkerInfo {
  return {
    id: stableId(use.host),
    address: {
      host: use.host,
      containerHost: '',
      rpcPort: WORKER_RPC_PORT,
      dataPort: WORKER_RPC_PORT,
      webPort: WORKER_WEB_PORT,
      domainSocketPath: '',
      tieredIdentity: {tiers: [{tierName: 'node', value: use.host}]},
    },
    lastContactSec: use.lastContactSec,
    state: 'In Service',
    capacityBytes: use.capacity,
    usedBytes: use.used,
    startTimeMs: use.host === ctx.workerHost ? ctx.startedAt : 0,
    capacityBytesOnTiers: {[ctx.tierAlias]: use.capacity},
    usedBytesOnTiers: {[ctx.tierAlias]: use.used},
    blockCount: 0,
  };
}

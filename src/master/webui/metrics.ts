import {formatSize} from '../../cli/sizes.js';
import type {SourceContext} from './context.js';
import type {WebUiMetrics} from './types.js';

const UFS_READ = 'Cluster.BytesReadUfs.UFS:';
const UFS_WRITTEN = 'Cluster.BytesWrittenUfs.UFS:';
const UFS_OP = /^Master\.UfsOp(\w+)\.UFS:(.+)$/;

/** Our counters are one per UFS URI as its mount names it; a trailing slash does not make another UFS. */
const sameUfs = (uri: string) => uri.replace(/\/+$/, '');

/**
 * The Metrics page, from the counters every process adds to the metastore. Totals count since format;
 * throughputs are the bytes added since this master started per minute of its uptime (never below zero: a format
 * meanwhile restarts the counters). Cache hits and misses are counted per file read.
 */
export async function metrics(ctx: SourceContext): Promise<WebUiMetrics> {
  const baseline = await ctx.metricsBaseline;
  return ctx.withFs(async (fs) => {
    const {store, mounts} = fs.internals;
    const counters = await store.readMetrics();
    const count = (name: string) => counters.get(name) ?? 0;
    const minutes = Math.max(1, ctx.uptimeMs() / 60_000);
    const sinceStart = (names: (name: string) => boolean) => {
      let added = 0;
      for (const [name, value] of counters) if (names(name)) added += Math.max(0, value - (baseline.get(name) ?? 0));
      return added;
    };
    const perMinute = (names: (name: string) => boolean) => formatSize(Math.round(sinceStart(names) / minutes));
    const named = (wanted: string) => (name: string) => name === wanted;
    const prefixed = (prefix: string) => (name: string) => name.startsWith(prefix);

    const mounted = new Map(mounts.all().map((m) => [sameUfs(m.ufsUri), m.ufsUri]));
    const ufsReadSize: Record<string, string> = {};
    const ufsWriteSize: Record<string, string> = {};
    const ufsOps: Record<string, Record<string, number>> = {};
    for (const uri of mounted.values()) {
      ufsReadSize[uri] = formatSize(0);
      ufsWriteSize[uri] = formatSize(0);
    }
    let readUfs = 0;
    let writtenUfs = 0;
    const operationMetrics: WebUiMetrics['operationMetrics'] = {FilesPinned: {value: 0}};
    const rpcInvocationMetrics: WebUiMetrics['rpcInvocationMetrics'] = {};
    for (const [name, value] of [...counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const op = UFS_OP.exec(name);
      if (name.startsWith(UFS_READ)) {
        readUfs += value;
        const uri = mounted.get(sameUfs(name.slice(UFS_READ.length)));
        if (uri !== undefined) ufsReadSize[uri] = formatSize(value);
      } else if (name.startsWith(UFS_WRITTEN)) {
        writtenUfs += value;
        const uri = mounted.get(sameUfs(name.slice(UFS_WRITTEN.length)));
        if (uri !== undefined) ufsWriteSize[uri] = formatSize(value);
      } else if (op) {
        const uri = mounted.get(sameUfs(op[2]));
        if (uri !== undefined) (ufsOps[uri] ??= {})[op[1]] = value;
      } else if (name.startsWith('Master.')) {
        const short = name.slice('Master.'.length);
        if (short.endsWith('Ops')) rpcInvocationMetrics[short] = {count: value};
        else operationMetrics[short] = {count: value};
      }
    }

    const readLocal = count('Cluster.BytesReadLocal');
    const writtenLocal = count('Cluster.BytesWrittenLocal');
    const hits = count('Cluster.CacheHits');
    const misses = count('Cluster.CacheMisses');
    const reads = hits + misses;
    const ratio = (n: number) => (reads > 0 ? (100 * n) / reads : 0).toFixed(2);
    const capacity = ctx.conf.getBytes('alluxio.worker.tieredstore.level0.dirs.quota');
    const usedPercent = capacity > 0 ? Math.floor((100 * (await store.cacheUsedBytes())) / capacity) : 0;
    const zero = formatSize(0);
    return {
      masterCapacityUsedPercentage: usedPercent,
      masterCapacityFreePercentage: 100 - usedPercent,
      // An object store tells no capacity.
      masterUnderfsCapacityUsedPercentage: 0,
      masterUnderfsCapacityFreePercentage: 100,
      totalBytesReadLocal: formatSize(readLocal),
      totalBytesReadLocalThroughput: perMinute(named('Cluster.BytesReadLocal')),
      totalBytesReadDomainSocket: zero,
      totalBytesReadDomainSocketThroughput: zero,
      totalBytesReadRemote: zero,
      totalBytesReadRemoteThroughput: zero,
      totalBytesReadUfs: formatSize(readUfs),
      totalBytesReadUfsThroughput: perMinute(prefixed(UFS_READ)),
      totalBytesWrittenLocal: formatSize(writtenLocal),
      totalBytesWrittenLocalThroughput: perMinute(named('Cluster.BytesWrittenLocal')),
      totalBytesWrittenDomainSocket: zero,
      totalBytesWrittenDomainSocketThroughput: zero,
      totalBytesWrittenRemote: zero,
      totalBytesWrittenRemoteThroughput: zero,
      totalBytesWrittenUfs: formatSize(writtenUfs),
      totalBytesWrittenUfsThroughput: perMinute(prefixed(UFS_WRITTEN)),
      cacheHitLocal: ratio(hits),
      cacheHitRemote: (0).toFixed(2),
      cacheMiss: ratio(misses),
      ufsReadSize,
      ufsWriteSize,
      ufsOps,
      ufsOpsSaved: {},
      operationMetrics,
      rpcInvocationMetrics,
      timeSeriesMetrics: [],
      journalDiskMetrics: [],
      journalLastCheckpointTime: 'N/A',
      journalEntriesSinceCheckpoint: 0,
    };
  });
}

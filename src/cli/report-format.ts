/**
 * `alluxio fsadmin report` layouts (facts §5), rendered from the master's `GET /api/v1/master/info`. Java's
 * `%-Ns` padding is kept where Alluxio prints it, trailing spaces included.
 */
import type {AlluxioMasterInfo, MountPointInfo, WorkerInfo} from '../master/webui/types.js';
import {formatDate} from './date-format.js';
import {formatSize} from './sizes.js';

const INDENT = '    ';

export const REPORT_CATEGORIES = ['capacity', 'metrics', 'summary', 'ufs', 'jobservice'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export type WorkerRange = 'all' | 'live' | 'lost' | 'specified';

/** Alluxio's tier order: MEM, SSD, HDD, then any other alias alphabetically. */
export function compareTierNames(a: string, b: string): number {
  const rank = (t: string) => {
    const i = ['MEM', 'SSD', 'HDD'].indexOf(t);
    return i < 0 ? 3 : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Alluxio's clock string of a duration. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  return `${days} day(s), ${hours} hour(s), ${minutes} minute(s), and ${s % 60} second(s)`;
}

/** Java's `(int) (100L * used / capacity)`. */
function percent(used: number, capacity: number): number {
  return Math.trunc((100 * used) / capacity);
}

function tierLines(tiers: Record<string, number>, indent: string): string[] {
  return Object.keys(tiers)
    .sort(compareTierNames)
    .map((tier) => `${indent}Tier: ${tier}  Size: ${formatSize(tiers[tier])}`);
}

export interface SummaryOptions {
  /** The port the report reached the master on. */
  webPort: number;
  /** alluxio.user.date.format.pattern. */
  datePattern: string;
}

export function formatSummary(info: AlluxioMasterInfo, options: SummaryOptions): string[] {
  const tiers = Object.entries(info.tierCapacity);
  const totals = Object.fromEntries(tiers.map(([tier, c]) => [tier, c.total]));
  const used = Object.fromEntries(tiers.map(([tier, c]) => [tier, c.used]));
  return [
    'Alluxio cluster summary: ',
    `${INDENT}Master Address: ${info.rpcAddress}`,
    `${INDENT}Web Port: ${options.webPort}`,
    `${INDENT}Rpc Port: ${info.rpcAddress.slice(info.rpcAddress.lastIndexOf(':') + 1)}`,
    `${INDENT}Started: ${formatDate(info.startTimeMs, options.datePattern)}`,
    `${INDENT}Uptime: ${formatUptime(info.uptimeMs)}`,
    `${INDENT}Version: ${info.version}`,
    `${INDENT}Safe Mode: false`,
    `${INDENT}Zookeeper Enabled: false`,
    // The namespace is a SQLite metastore shared by the processes of one host, not a Raft-replicated journal.
    `${INDENT}Raft-based Journal: false`,
    `${INDENT}Live Workers: ${info.workers.length}`,
    `${INDENT}Lost Workers: ${info.lostWorkers.length}`,
    `${INDENT}Total Capacity: ${formatSize(info.capacity.total)}`,
    ...tierLines(totals, INDENT + INDENT),
    `${INDENT}Used Capacity: ${formatSize(info.capacity.used)}`,
    ...tierLines(used, INDENT + INDENT),
    `${INDENT}Free Capacity: ${formatSize(info.capacity.total - info.capacity.used)}`,
  ];
}

/** Java's Map.toString(). */
function mapToString(map: Record<string, string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

export function formatUfsReport(mountPoints: Record<string, MountPointInfo>): string[] {
  const entries = Object.entries(mountPoints);
  const uriWidth = Math.max(0, ...entries.map(([, m]) => m.ufsUri.length));
  const pointWidth = Math.max(0, ...entries.map(([path]) => path.length));
  const lines = ['Alluxio under storage system information:'];
  for (const [path, m] of entries) {
    const usedPercent = m.ufsCapacityBytes > 0 ? `(${percent(m.ufsUsedBytes, m.ufsCapacityBytes)}%)` : '';
    lines.push(
      `${m.ufsUri.padEnd(uriWidth)}  on  ${path.padEnd(pointWidth)}  (${m.ufsType}, ` +
        `capacity=${formatSize(m.ufsCapacityBytes)}, used=${formatSize(m.ufsUsedBytes)}${usedPercent}, ` +
        `${m.readOnly ? '' : 'not '}read-only, ${m.shared ? '' : 'not '}shared, properties=${mapToString(m.properties)})`,
    );
  }
  return lines;
}

/** The workers a capacity report covers, by seconds since their last heartbeat, ascending (as Alluxio sorts). */
export function selectWorkers(info: AlluxioMasterInfo, range: WorkerRange, names: string[] = []): WorkerInfo[] {
  const all = [...info.workers, ...info.lostWorkers];
  const selected =
    range === 'live'
      ? info.workers
      : range === 'lost'
        ? info.lostWorkers
        : range === 'specified'
          ? all.filter((w) => names.includes(w.address.host))
          : all;
  return [...selected].sort((a, b) => a.lastContactSec - b.lastContactSec);
}

function sumTiers(workers: WorkerInfo[], pick: (w: WorkerInfo) => Record<string, number>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const w of workers) for (const [tier, bytes] of Object.entries(pick(w))) sums[tier] = (sums[tier] ?? 0) + bytes;
  return sums;
}

export function formatCapacityReport(workers: WorkerInfo[], range: WorkerRange): string[] {
  if (workers.length === 0) return ['No workers found.'];
  const capacity = workers.reduce((n, w) => n + w.capacityBytes, 0);
  const used = workers.reduce((n, w) => n + w.usedBytes, 0);
  const capacityOnTiers = sumTiers(workers, (w) => w.capacityBytesOnTiers);
  const lines = [
    `Capacity information for ${range} workers: `,
    `${INDENT}Total Capacity: ${formatSize(capacity)}`,
    ...tierLines(capacityOnTiers, INDENT + INDENT),
    `${INDENT}Used Capacity: ${formatSize(used)}`,
    ...tierLines(sumTiers(workers, (w) => w.usedBytesOnTiers), INDENT + INDENT),
  ];
  if (capacity !== 0) {
    const usedPercent = percent(used, capacity);
    lines.push(`${INDENT}Used Percentage: ${usedPercent}%`, `${INDENT}Free Percentage: ${100 - usedPercent}%`);
  }
  return [...lines, ...workerTable(workers, Object.keys(capacityOnTiers).sort(compareTierNames))];
}

/** The worker table after a blank line: one tier in short form, several with a Total column and one per tier. */
function workerTable(workers: WorkerInfo[], tiers: string[]): string[] {
  if (tiers.length === 0) return [];
  const longest = Math.max(...workers.map((w) => w.address.host.length));
  const nameWidth = longest >= 16 ? longest + 5 : 16;
  const row = (cells: string[], last: string) =>
    cells.map((c, i) => c.padEnd([nameWidth, 16, 13, 16][i])).join(' ') + ' ' + last;
  const short = tiers.length === 1;
  const tierCells = (values: Record<string, number>) =>
    tiers.map((t) => (t in values ? formatSize(values[t]) : '-').padEnd(14)).join('');
  const lines = ['', short ? row(['Worker Name', 'Last Heartbeat', 'Storage'], tiers[0]) : row(['Worker Name', 'Last Heartbeat', 'Storage', 'Total'], tiers.map((t) => t.padEnd(14)).join(''))];
  for (const w of workers) {
    const capacity = formatSize(w.capacityBytes);
    const used = formatSize(w.usedBytes) + (w.capacityBytes !== 0 ? ` (${percent(w.usedBytes, w.capacityBytes)}%)` : '');
    const first = [w.address.host, String(w.lastContactSec), 'capacity'];
    const second = ['', '', 'used'];
    if (short) lines.push(row(first, capacity), row(second, used));
    else lines.push(row([...first, capacity], tierCells(w.capacityBytesOnTiers)), row([...second, used], tierCells(w.usedBytesOnTiers)));
  }
  return lines;
}

/** Gauges among the master's metrics; every other one is a counter. */
const GAUGES = new Set(['Master.FilesPinned']);

export function formatMetrics(metrics: Record<string, number>): string[] {
  return Object.keys(metrics)
    .sort()
    .map((name) => `${name}  (Type: ${GAUGES.has(name) ? 'GAUGE' : 'COUNTER'}, Value: ${metrics[name]})`);
}

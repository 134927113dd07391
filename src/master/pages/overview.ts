/** Overview (facts §4.2): Alluxio Summary, Cluster Usage Summary, Storage Usage Summary, and the leader jobs. */
import type {JobStatus, WebUiOverview} from '../webui/types.js';
import {dataTable, summaryTable, usageBar, type Column} from './components.js';
import {html, yesNo, type Html, type HtmlPart} from './html.js';

export function renderOverview(o: WebUiOverview, formatTime: (epochMs: number) => string): Html {
  const summary: Array<readonly [string, HtmlPart]> = [
    ['Master Address', o.masterNodeAddress],
    ['Cluster Id', o.clusterId],
    ['Started', o.startTime],
    ['Uptime', o.uptime],
    ['Version', o.version],
    ['Running Workers', o.liveWorkerNodes],
    ['Server Configuration Check', o.configCheckStatus],
  ];
  if (o.masterRole !== null) summary.push(['Role', o.masterRole]);
  if (o.leaderId !== null) summary.push(['LeaderId', o.leaderId]);
  const inconsistent = [...Object.values(o.configCheckErrors), ...Object.values(o.configCheckWarns)].flat();
  if (inconsistent.length > 0) {
    summary.push(['Inconsistent Properties', inconsistent.map((p) => html`<div>${p.name}: ${describeValues(p.values)}</div>`)]);
  }
  if (o.journalDiskWarnings && o.journalDiskWarnings.length > 0) {
    summary.push(['Journal Disk Warning(s)', o.journalDiskWarnings.map((w) => html`<div>${w}</div>`)]);
  }
  if (o.journalCheckpointTimeWarning) summary.push(['Journal Checkpoint Warning', o.journalCheckpointTimeWarning]);

  const tiers: Column<WebUiOverview['storageTierInfos'][number]>[] = [
    {header: 'Storage Alias', cell: (t) => t.storageTierAlias},
    {header: 'Space Capacity', cell: (t) => t.capacity, className: 'num'},
    {header: 'Space Used', cell: (t) => t.usedCapacity, className: 'num'},
    {header: 'Space Usage', cell: (t) => usageBar(t.usedSpacePercent, t.freeSpacePercent)},
  ];
  const jobs: Column<JobStatus>[] = [
    {header: 'Job', cell: (j) => j.name},
    {header: 'Enabled', cell: (j) => yesNo(j.enabled)},
    {header: 'Interval', cell: (j) => formatInterval(j.intervalMs)},
    {header: 'Last Run', cell: (j) => (j.lastRunStart === null ? 'never' : formatTime(j.lastRunStart))},
    {header: 'Took', cell: (j) => tookText(j), className: 'num'},
    {header: 'Last Outcome', cell: (j) => j.lastOutcome ?? '', className: 'name'},
    {header: 'Runs / Failures', cell: (j) => `${j.runs} / ${j.failures}`, className: 'num'},
    {header: 'Pending', cell: (j) => j.pending, className: 'num'},
  ];
  return html`<h2>Alluxio Summary</h2>
${summaryTable(summary)}
<h2>Cluster Usage Summary</h2>
${summaryTable([
  ['Workers Capacity', o.capacity],
  ['Workers Free / Used', `${o.freeCapacity} / ${o.usedCapacity}`],
  ['UnderFS Capacity', o.diskCapacity],
  ['UnderFS Free / Used', `${o.diskFreeCapacity} / ${o.diskUsedCapacity}`],
  ['Total Paths', o.totalPath],
  ['Unique Block Count', o.uniqueBlockCount],
  ['Replica Block Count', o.replicaBlockCount],
])}
<h2>Storage Usage Summary</h2>
${dataTable(tiers, o.storageTierInfos, 'No storage tier has capacity.')}
<h2>Background Jobs</h2>
${dataTable(jobs, o.backgroundJobs, 'No background jobs.')}`;
}

function describeValues(values: unknown): string {
  return typeof values === 'string' ? values : JSON.stringify(values);
}

function tookText(job: JobStatus): string {
  if (job.lastRunStart === null) return '';
  if (job.lastRunEnd === null || job.lastRunEnd < job.lastRunStart) return 'running';
  return `${job.lastRunEnd - job.lastRunStart} ms`;
}

/** In the units of Alluxio's duration values (`1sec`, `5min`, `1day`), the largest that divides evenly. */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['min', 60_000],
    ['sec', 1000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

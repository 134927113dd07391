/** Metrics (facts §4.8): the sections that have data; graphs and the journal sections need a journal we do not have. */
import type {WebUiMetrics} from '../webui/types.js';
import {dataTable, summaryTable, usageBar, type Column} from './components.js';
import {html, type Html} from './html.js';

type IoField = 'DomainSocket' | 'Local' | 'Remote' | 'Ufs';

const IO_ROWS: Array<[label: string, field: IoField]> = [
  ['Local Alluxio (Domain Socket)', 'DomainSocket'],
  ['Local Alluxio (Short-circuit)', 'Local'],
  ['Remote Alluxio', 'Remote'],
  ['Under Filesystem', 'Ufs'],
];

export function renderMetrics(m: WebUiMetrics): Html {
  const sections: Html[] = [
    html`<h2>Capacity</h2>${summaryTable([
      ['Alluxio Storage', usageBar(m.masterCapacityUsedPercentage, m.masterCapacityFreePercentage)],
      ['Under FileSystem', usageBar(m.masterUnderfsCapacityUsedPercentage, m.masterUnderfsCapacityFreePercentage)],
    ])}`,
    html`<h2>Total IO Size</h2>${ioTable(m, '')}`,
    html`<h2>Total IO Throughput (Per Minute)</h2>${ioTable(m, 'Throughput')}`,
    html`<h2>Cache Hit and Miss</h2>${summaryTable([
      ['Cache Hit Rate (Alluxio Local)', `${m.cacheHitLocal}%`],
      ['Cache Hit Rate (Alluxio Remote)', `${m.cacheHitRemote}%`],
      ['Cache Miss Rate', `${m.cacheMiss}%`],
    ])}`,
  ];
  const maybe = (title: string, rows: Array<[string, string | number]>, header: [string, string]) => {
    if (rows.length > 0) sections.push(html`<h2>${title}</h2>${pairTable(rows, header)}`);
  };
  maybe('Mounted Under FileSystem Read', Object.entries(m.ufsReadSize), ['Under FileSystem', 'Size']);
  maybe('Mounted Under FileSystem Write', Object.entries(m.ufsWriteSize), ['Under FileSystem', 'Size']);
  maybe(
    'Logical Operations',
    Object.entries(m.operationMetrics).map(([name, v]) => [name, 'count' in v ? v.count : v.value]),
    ['Operation', 'Count'],
  );
  maybe('RPC Invocations', Object.entries(m.rpcInvocationMetrics).map(([name, v]) => [name, v.count]), ['Operation', 'Count']);
  for (const [ufs, ops] of Object.entries(m.ufsOps)) {
    maybe(`Under FileSystem Operations of ${ufs}`, Object.entries(ops), ['Operation', 'Count']);
  }
  for (const [ufs, ops] of Object.entries(m.ufsOpsSaved)) {
    maybe(`Saved Under FileSystem Operations of ${ufs}`, Object.entries(ops), ['Operation', 'Count']);
  }
  return html`<h1>Metrics</h1>${sections}`;
}

function ioTable(m: WebUiMetrics, suffix: '' | 'Throughput'): Html {
  const value = (direction: 'Read' | 'Written', field: IoField) =>
    m[`totalBytes${direction}${field}${suffix}` as keyof WebUiMetrics] as string;
  return html`<table><tbody>
${IO_ROWS.map(
  ([label, field]) =>
    html`<tr><th>${label} Read</th><td class="num">${value('Read', field)}</td><th>${label} Write</th><td class="num">${value('Written', field)}</td></tr>\n`,
)}</tbody></table>`;
}

function pairTable(rows: Array<[string, string | number]>, [nameHeader, valueHeader]: [string, string]): Html {
  const columns: Column<[string, string | number]>[] = [
    {header: nameHeader, cell: ([name]) => name, className: 'name'},
    {header: valueHeader, cell: ([, value]) => value, className: 'num'},
  ];
  return dataTable(columns, rows, '');
}

/** Workers (facts §4.7): the local cache is the one worker; lost workers would follow. */
import type {NodeInfo, WebUiWorkers} from '../webui/types.js';
import {dataTable, usageBar, type Column} from './components.js';
import {html, type Html} from './html.js';

// Alluxio links the node name to the worker's own web UI; this master has no worker UI to link to.
const name: Column<NodeInfo> = {header: 'Node Name', cell: (n) => n.host, className: 'name'};

function debugColumns(debug: boolean): Column<NodeInfo>[] {
  return debug
    ? [
        {header: '[D]Worker Id', cell: (n) => n.workerId, className: 'num'},
        {header: '[D]Uptime', cell: (n) => n.uptimeClockTime},
      ]
    : [];
}

export function renderWorkers(w: WebUiWorkers): Html {
  const live: Column<NodeInfo>[] = [
    name,
    ...debugColumns(w.debug),
    {header: 'Last Heartbeat', cell: (n) => n.lastHeartbeat, className: 'num'},
    {header: 'State', cell: (n) => n.state},
    {header: 'Block Count', cell: (n) => n.blockCount, className: 'num'},
    {header: 'Workers Capacity', cell: (n) => n.capacity, className: 'num'},
    {header: 'Space Used', cell: (n) => n.usedMemory, className: 'num'},
    {header: 'Space Usage', cell: (n) => usageBar(n.usedSpacePercent, n.freeSpacePercent)},
  ];
  const lost: Column<NodeInfo>[] = [
    name,
    ...debugColumns(w.debug),
    {header: 'Last Heartbeat', cell: (n) => n.lastHeartbeat, className: 'num'},
    {header: 'Workers Capacity', cell: (n) => n.capacity, className: 'num'},
  ];
  return html`<h2>Live Workers</h2>
${dataTable(live, w.normalNodeInfos, 'No live workers.')}
<h2>Lost Workers</h2>
${dataTable(lost, w.failedNodeInfos, 'No lost workers.')}`;
}

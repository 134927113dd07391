/** Mount Table (facts §4.9). */
import type {MountPointUiInfo, WebUiMountTable} from '../webui/types.js';
import {dataTable, type Column} from './components.js';
import {html, yesNo, type Html} from './html.js';

const COLUMNS: Column<MountPointUiInfo>[] = [
  {header: 'Mount Point', cell: (m) => m.mountPoint, className: 'name'},
  {header: 'UFS URI', cell: (m) => m.ufsUri, className: 'name'},
  {header: 'UFS Type', cell: (m) => m.ufsType},
  {header: 'UFS Capacity Bytes', cell: (m) => m.ufsCapacityBytes, className: 'num'},
  {header: 'UFS Used Bytes', cell: (m) => m.ufsUsedBytes, className: 'num'},
  {header: 'ReadOnly', cell: (m) => yesNo(m.readOnly)},
  {header: 'Shared', cell: (m) => yesNo(m.shared)},
  {header: 'Properties', cell: (m) => m.properties, className: 'name'},
];

export function renderMountTable(m: WebUiMountTable): Html {
  return html`<h1>Mount table</h1>
${dataTable(COLUMNS, m.mountPointInfos, 'No mount points.')}`;
}

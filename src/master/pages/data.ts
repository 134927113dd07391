/** In-Alluxio Data (facts §4.4): the files wholly in the cache, paged. */
import type {PageQuery, UIFileInfo, WebUiData} from '../webui/types.js';
import {dataTable, errorList, pager, requestedWindow, type Column} from './components.js';
import {html, link, yesNo, type Html} from './html.js';

const COLUMNS: Column<UIFileInfo>[] = [
  {header: 'File Path', cell: (f) => html`<a href="${link('/browse', {path: f.absolutePath})}">${f.absolutePath}</a>`, className: 'name'},
  {header: 'Size', cell: (f) => f.size, className: 'num'},
  {header: 'Block Size', cell: (f) => f.blockSizeBytes, className: 'num'},
  {header: 'Permission', cell: (f) => f.mode},
  {header: 'Owner', cell: (f) => f.owner},
  {header: 'Group', cell: (f) => f.group},
  {header: 'Pin', cell: (f) => yesNo(f.pinned)},
  {header: 'Creation Time', cell: (f) => f.creationTime},
  {header: 'Modification Time', cell: (f) => f.modificationTime},
];

export function renderData(d: WebUiData, query: PageQuery): Html {
  const {offset, limit} = requestedWindow(query);
  return html`<h1>In-Alluxio Data</h1>
${errorList([d.fatalError, d.permissionError])}
${pager({path: '/data', offset, limit, shown: d.fileInfos.length, total: d.inAlluxioFileNum, totalKnown: true})}
${dataTable(COLUMNS, d.fileInfos, 'No file is wholly in Alluxio.')}`;
}

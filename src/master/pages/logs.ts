/** Logs (facts §4.5): the *.log files of the logs folder, and the 5 KB view of one (by base name only). */
import type {LogsQuery, UIFileInfo, WebUiLogs} from '../webui/types.js';
import {dataTable, errorList, fileWindow, pager, requestedWindow, type Column} from './components.js';
import {html, link, yesNo, type Html} from './html.js';

const COLUMNS: Column<UIFileInfo>[] = [
  {header: 'File Name', cell: (f) => html`<a href="${link('/logs', {path: f.name})}">${f.name}</a>`, className: 'name'},
  {header: 'Size', cell: (f) => f.size, className: 'num'},
  {header: 'Block Size', cell: (f) => f.blockSizeBytes, className: 'num'},
  {header: 'In-Alluxio', cell: (f) => `${f.inAlluxioPercentage}%`, className: 'num'},
  {header: 'Persistence State', cell: (f) => f.persistenceState},
  {header: 'Pin', cell: (f) => yesNo(f.pinned)},
  {header: 'Modification Time', cell: (f) => f.modificationTime},
];

export function renderLogs(l: WebUiLogs, query: LogsQuery): Html {
  const errors = errorList([l.invalidPathError, l.fatalError]);
  const asked = query.path ?? '';
  if (asked !== '') {
    const name = l.currentPath || asked;
    return html`<p><a href="/logs">All logs</a></p>${errors}
${fileWindow({action: '/logs', path: asked, title: name, viewingOffset: l.viewingOffset, fileData: l.fileData, query})}`;
  }
  const {offset, limit} = requestedWindow(query);
  const files = l.fileInfos ?? [];
  return html`<h1>Logs</h1>
${errors}
${pager({path: '/logs', offset, limit, shown: files.length, total: l.ntotalFile, totalKnown: true})}
${dataTable(COLUMNS, files, 'No log files.')}`;
}

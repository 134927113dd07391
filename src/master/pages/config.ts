/** Configuration (facts §4.6): every key with its value and source, filtered by a name search; the whitelist. */
import type {WebUiConfig} from '../webui/types.js';
import {dataTable, type Column} from './components.js';
import {html, type Html} from './html.js';

type Row = WebUiConfig['configuration'][number];

const COLUMNS: Column<Row>[] = [
  {header: 'Property', cell: (r) => r.left, className: 'name'},
  {header: 'Value', cell: (r) => r.middle, className: 'name'},
  {header: 'Source', cell: (r) => r.right},
];

export function renderConfig(c: WebUiConfig, search: string): Html {
  const term = search.trim().toLowerCase();
  const rows = term === '' ? c.configuration : c.configuration.filter((r) => r.left.toLowerCase().includes(term));
  return html`<h1>Alluxio Configuration</h1>
<form class="inline" method="get" action="/config" role="search">
<label>Search by Property <input type="search" name="search" value="${search}"></label>
<button type="submit">Search</button>
${term !== '' && html`<a href="/config">Clear</a>`}
</form>
${dataTable(COLUMNS, rows, 'Sorry, no matching properties.')}
<h2>Whitelist</h2>
${dataTable([{header: 'Path', cell: (p: string) => p, className: 'name'}], c.whitelist, 'No whitelisted paths.')}`;
}

/** Pieces shared by the pages: tables, error lists, usage bars, the paginator and the 5 KB file window. */
import {html, link, type Html, type HtmlPart} from './html.js';

export interface Column<T> {
  header: string;
  cell: (row: T) => HtmlPart;
  /** `num` right-aligns, `name` lets long names wrap. */
  className?: 'num' | 'name';
}

export function dataTable<T>(columns: readonly Column<T>[], rows: readonly T[], empty: string): Html {
  return html`<table>
<thead><tr>${columns.map((c) => html`<th>${c.header}</th>`)}</tr></thead>
<tbody>
${
  rows.length === 0
    ? html`<tr><td class="empty" colspan="${columns.length}">${empty}</td></tr>`
    : rows.map(
        (row) =>
          html`<tr>${columns.map((c) => (c.className ? html`<td class="${c.className}">${c.cell(row)}</td>` : html`<td>${c.cell(row)}</td>`))}</tr>\n`,
      )
}</tbody>
</table>`;
}

/** A two-column table of named values (Alluxio's summary tables). */
export function summaryTable(rows: ReadonlyArray<readonly [string, HtmlPart]>): Html {
  return html`<table class="summary"><tbody>
${rows.map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>\n`)}</tbody></table>`;
}

/** Alluxio's error texts, as the source put them in its fields; empty ones are left out. */
export function errorList(messages: ReadonlyArray<string | null | undefined>): Html {
  const shown = messages.filter((m): m is string => typeof m === 'string' && m !== '');
  return shown.length === 0 ? html`` : html`<ul class="errors">${shown.map((m) => html`<li>${m}</li>`)}</ul>`;
}

export function usageBar(usedPercent: number, freePercent: number): Html {
  const used = clampPercent(usedPercent);
  return html`<progress max="100" value="${used}" aria-label="${used}% used"></progress><span class="bar-label">${clampPercent(freePercent)}% Free / ${used}% Used</span>`;
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value))) : 0;
}

export const DEFAULT_LIMIT = 20;
export const PAGE_SIZES = [20, 100, 500] as const;

/** The window the user asked for; a malformed value falls back to the default (the source reports it). */
export function requestedWindow(query: {offset?: string; limit?: string}): {offset: number; limit: number} {
  const offset = /^\d+$/.test(query.offset ?? '') ? Number(query.offset) : 0;
  const limit = /^\d+$/.test(query.limit ?? '') && Number(query.limit) > 0 ? Number(query.limit) : DEFAULT_LIMIT;
  return {offset, limit};
}

export interface PagerState {
  path: string;
  /** Parameters every link keeps (Browse's folder). */
  keep?: Record<string, string | undefined>;
  offset: number;
  limit: number;
  /** Entries on this page. */
  shown: number;
  total: number;
  /** False while an object-store folder has not been listed to its end: "next" is offered, "last" is not. */
  totalKnown: boolean;
}

export function pager(state: PagerState): Html {
  const {path, keep = {}, offset, limit, shown, total, totalKnown} = state;
  const at = (o: number, l = limit) => link(path, {...keep, offset: o, limit: l});
  const hasPrev = offset > 0;
  const hasNext = offset + shown < total || (!totalKnown && shown > 0 && shown >= limit);
  const lastOffset = total > 0 ? Math.floor((total - 1) / limit) * limit : 0;
  const step = (label: string, enabled: boolean, target: number) =>
    enabled ? html`<a href="${at(target)}">${label}</a>` : html`<span class="disabled">${label}</span>`;
  const range = shown === 0 ? 'No entries' : `Entries ${offset + 1}–${offset + shown} of ${total}${totalKnown ? '' : ' so far'}`;
  return html`<nav class="pager" aria-label="Pages">
<span>${range}</span>
${step('First', hasPrev, 0)}
${step('Previous', hasPrev, Math.max(0, offset - limit))}
${step('Next', hasNext, offset + limit)}
${totalKnown && step('Last', offset < lastOffset, lastOffset)}
<span>Per page: ${PAGE_SIZES.map((size) =>
    size === limit ? html`<a class="current" href="${at(offset, size)}">${size}</a> ` : html`<a href="${at(offset, size)}">${size}</a> `,
  )}</span>
</nav>`;
}

export interface FileWindow {
  /** `/browse` or `/logs`. */
  action: string;
  /** The path as the user gave it (the form sends it back). */
  path: string;
  /** What the heading names: the file's path, or a log's base name. */
  title: string;
  viewingOffset: number;
  fileData: string | null;
  query: {offset?: string; end?: string};
}

/** Alluxio's file view: at most 5 KB from an offset counted from the beginning or the end, as plain text. */
export function fileWindow(view: FileWindow): Html {
  const fromEnd = (view.query.end ?? '') !== '';
  return html`<h1>${view.title}: First 5KB from ${view.viewingOffset} in ASCII</h1>
${view.fileData !== null && html`<pre class="file">${view.fileData}</pre>`}
<form class="inline" method="get" action="${view.action}">
<input type="hidden" name="path" value="${view.path}">
<label>Display from byte offset <input type="number" name="offset" min="0" value="${view.query.offset ?? String(view.viewingOffset)}"></label>
<span>Relative to</span>
${
  fromEnd
    ? html`<label><input type="radio" name="end" value=""> begin</label><label><input type="radio" name="end" value="1" checked> end</label>`
    : html`<label><input type="radio" name="end" value="" checked> begin</label><label><input type="radio" name="end" value="1"> end</label>`
}
<button type="submit">Go</button>
</form>`;
}

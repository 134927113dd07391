/** Browse (facts §4.3): a folder listing with paging, or the 5 KB view of a file with its blocks. */
import type {BrowseQuery, UIFileBlockInfo, UIFileInfo, WebUiBrowse, WebUiInit} from '../webui/types.js';
import {dataTable, errorList, fileWindow, pager, requestedWindow, type Column} from './components.js';
import {html, link, yesNo, type Html} from './html.js';

export function renderBrowse(b: WebUiBrowse, init: WebUiInit, query: BrowseQuery): Html {
  const path = b.currentPath || query.path || '/';
  const errors = errorList([
    b.invalidPathError,
    b.fatalError,
    b.fileDoesNotExistException,
    b.invalidPathException,
    b.accessControlException,
  ]);
  const form = html`<form class="inline" method="get" action="/browse">
<a class="button plain" href="/browse?path=%2F">Root</a>
<label>Path <input type="text" name="path" value="${path}"></label>
<button type="submit">Go</button>
</form>`;
  if (b.currentDirectory && !b.currentDirectory.isDirectory) {
    return html`${form}${crumbs(b)}${errors}
${fileWindow({action: '/browse', path, title: path, viewingOffset: b.viewingOffset, fileData: b.fileData, query})}
${downloadLink(init, path)}
${b.fileBlocks && fileBlocks(b.fileBlocks, b.highestTierAlias ?? 'MEM')}`;
  }
  const {offset, limit} = requestedWindow(query);
  const files = b.fileInfos ?? [];
  return html`<h1>Browse</h1>
${form}${crumbs(b)}${errors}
${
  b.fileInfos !== null &&
  html`${pager({path: '/browse', keep: {path}, offset, limit, shown: files.length, total: b.ntotalFile, totalKnown: b.ntotalFileKnown})}
${dataTable(listingColumns(b.showPermissions, b.debug), files, 'This folder is empty.')}`
}`;
}

function crumbs(b: WebUiBrowse): Html {
  const current = b.currentPath;
  const ancestors = b.pathInfos.filter((p) => p.absolutePath !== '/' && p.absolutePath !== current);
  const name = current.split('/').filter(Boolean).pop();
  return html`<div class="crumbs"><a href="/browse?path=%2F">root</a>${ancestors.map(
    (p) => html`<a href="${link('/browse', {path: p.absolutePath})}">${p.name}</a>`,
  )}${name !== undefined && html`<span>${name}</span>`}</div>`;
}

function listingColumns(showPermissions: boolean, debug: boolean): Column<UIFileInfo>[] {
  const columns: Column<UIFileInfo>[] = [
    {header: '', cell: (f) => html`<span class="${f.isDirectory ? 'icon-dir' : 'icon-file'}" title="${f.isDirectory ? 'folder' : 'file'}"></span>`},
    {header: 'File Name', cell: (f) => html`<a href="${link('/browse', {path: f.absolutePath})}">${f.name}</a>`, className: 'name'},
    {header: 'Size', cell: (f) => f.size, className: 'num'},
    {header: 'Block Size', cell: (f) => f.blockSizeBytes, className: 'num'},
    {header: 'In-Alluxio', cell: (f) => `${f.inAlluxioPercentage}%`, className: 'num'},
  ];
  if (showPermissions) {
    columns.push({header: 'Mode', cell: (f) => f.mode}, {header: 'Owner', cell: (f) => f.owner}, {header: 'Group', cell: (f) => f.group});
  }
  columns.push(
    {header: 'Persistence State', cell: (f) => f.persistenceState},
    {header: 'Pin', cell: (f) => yesNo(f.pinned)},
    {header: 'Creation Time', cell: (f) => f.creationTime},
    {header: 'Modification Time', cell: (f) => f.modificationTime},
  );
  if (debug) {
    columns.push(
      {header: '[D]INumber', cell: (f) => f.id, className: 'num'},
      {header: '[D]File Locations', cell: (f) => f.fileLocations.map((l) => html`<div>${l}</div>`), className: 'name'},
    );
  }
  return columns;
}

/** `prefix + encoded path + suffix` from init(); only an http(s) or same-site URL becomes a link. */
function downloadLink(init: WebUiInit, path: string): Html {
  const {prefix, suffix} = init.proxyDownloadFileApiUrl;
  if (!/^(https?:\/\/|\/)/i.test(prefix)) return html``;
  return html`<p><a class="button plain" href="${prefix + encodeURIComponent(path) + suffix}">Download</a></p>`;
}

function fileBlocks(blocks: readonly UIFileBlockInfo[], tier: string): Html {
  const columns: Column<UIFileBlockInfo>[] = [
    {header: 'ID', cell: (k) => k.id, className: 'num'},
    {header: 'Size (Byte)', cell: (k) => k.blockLength, className: 'num'},
    {header: `In ${tier}`, cell: (k) => yesNo(k.isInHighestTier)},
    {header: 'Locations', cell: (k) => k.locations.map((l) => html`<div>${l}</div>`), className: 'name'},
  ];
  return html`<h2>Blocks</h2>${dataTable(columns, blocks, 'No blocks.')}`;
}

/** The frame of every page: Alluxio's header bar with the nav, the page, Alluxio's footer links. */
import {html, type Html} from './html.js';
import {FAVICON_PATH, STYLESHEET_PATH} from './assets.js';

export const NAV = [
  {key: 'overview', label: 'Overview', path: '/overview'},
  {key: 'browse', label: 'Browse', path: '/browse'},
  {key: 'data', label: 'In-Alluxio Data', path: '/data'},
  {key: 'logs', label: 'Logs', path: '/logs'},
  {key: 'config', label: 'Configuration', path: '/config'},
  {key: 'workers', label: 'Workers', path: '/workers'},
  {key: 'metrics', label: 'Metrics', path: '/metrics'},
  {key: 'mounttable', label: 'MountTable', path: '/mounttable'},
] as const;

export type PageKey = (typeof NAV)[number]['key'];

export interface PageFrame {
  title: string;
  /** The nav entry shown as current; none on the error page. */
  active?: PageKey;
  /** Reload the page every this many ms (Alluxio's auto refresh); 0 or absent: never. */
  refreshMs?: number;
  body: Html;
}

export function layout(frame: PageFrame): string {
  const refreshSeconds = frame.refreshMs && frame.refreshMs > 0 ? Math.max(1, Math.round(frame.refreshMs / 1000)) : 0;
  return (
    '<!DOCTYPE html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds > 0 && html`<meta http-equiv="refresh" content="${refreshSeconds}">`}
<title>Alluxio: ${frame.title}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
</head>
<body>
<header class="topbar">
<a class="brand" href="/overview">Alluxio</a>
<nav>${NAV.map((item) =>
      item.key === frame.active
        ? html`<a href="${item.path}" class="active" aria-current="page">${item.label}</a>`
        : html`<a href="${item.path}">${item.label}</a>`,
    )}</nav>
</header>
<main>
${frame.body}
</main>
<footer>
<a href="https://www.alluxio.io/" rel="noopener noreferrer">Project Website</a>
<a href="https://groups.google.com/forum/#!forum/alluxio-users" rel="noopener noreferrer">User Mailing List</a>
<a href="/workers">Workers</a>
<a href="/mounttable">MountTable</a>
</footer>
</body>
</html>
`.text
  );
}

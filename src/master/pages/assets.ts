/** The UI's only assets, served by the master itself (no CDN: the host may have no internet). */
export const STYLESHEET_PATH = '/static/alluxio.css';
export const FAVICON_PATH = '/static/favicon.svg';

export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#f15a22"/><path d="M4 13 8 3l4 10h-2.2L8 8.2 6.2 13z" fill="#fff"/></svg>`;

export const STYLESHEET = `
:root { --accent: #f15a22; --line: #dee2e6; --head: #f6f7f9; --text: #212529; --muted: #6c757d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
a { color: #0b63b6; text-decoration: none; }
a:hover { text-decoration: underline; }
.topbar { display: flex; align-items: center; gap: 24px; padding: 0 20px; background: #2b2b2b; border-bottom: 3px solid var(--accent); }
.topbar .brand { color: #fff; font-weight: 700; font-size: 18px; padding: 10px 0; }
.topbar .brand::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 8px; border-radius: 2px; background: var(--accent); }
.topbar nav { display: flex; flex-wrap: wrap; }
.topbar nav a { color: #ddd; padding: 12px 12px 10px; border-bottom: 3px solid transparent; margin-bottom: -3px; }
.topbar nav a:hover { color: #fff; text-decoration: none; }
.topbar nav a.active { color: #fff; border-bottom-color: #fff; }
main { padding: 16px 20px 24px; max-width: 1400px; }
h1 { font-size: 20px; margin: 8px 0 12px; font-weight: 600; word-break: break-all; }
h2 { font-size: 16px; margin: 20px 0 8px; font-weight: 600; }
table { border-collapse: collapse; margin-bottom: 12px; min-width: 40%; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; white-space: nowrap; }
th { background: var(--head); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfbfc; }
td.num { text-align: right; }
td.name { white-space: normal; overflow-wrap: anywhere; min-width: 12em; }
table.summary td { min-width: 320px; white-space: normal; overflow-wrap: anywhere; }
td.empty { color: var(--muted); font-style: italic; }
table.summary th { width: 240px; }
.icon-dir::before, .icon-file::before { content: ""; display: inline-block; width: 14px; height: 11px; border-radius: 2px; }
.icon-dir::before { background: #f5b041; }
.icon-file::before { border: 1px solid #8a939b; height: 13px; width: 11px; }
.errors { list-style: none; padding: 0; margin: 8px 0 12px; }
.errors li { background: #fdecea; border: 1px solid #f5c2c0; color: #842029; padding: 6px 10px; margin-bottom: 4px; word-break: break-all; }
form.inline { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0 12px; }
input[type=text], input[type=search], input[type=number] { padding: 4px 6px; border: 1px solid #adb5bd; border-radius: 3px; font: inherit; }
input[name=path] { width: 420px; max-width: 100%; }
button, .button { display: inline-block; padding: 4px 12px; border: 1px solid var(--accent); border-radius: 3px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
.button.plain, button.plain { background: #fff; color: var(--accent); }
.button:hover { text-decoration: none; }
.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; margin: 8px 0; color: var(--muted); }
.pager .disabled { color: #b5bbc0; }
.pager a.current { color: var(--text); font-weight: 600; }
.crumbs { margin: 4px 0 8px; word-break: break-all; }
.crumbs a + a::before, .crumbs a + span::before { content: " / "; color: var(--muted); }
pre.file { background: #f8f9fa; border: 1px solid var(--line); padding: 10px; max-height: 480px; overflow: auto; white-space: pre-wrap; word-break: break-all; }
progress { appearance: none; width: 140px; height: 12px; vertical-align: middle; border: 1px solid #ced4da; border-radius: 3px; background: #e9ecef; }
progress::-webkit-progress-bar { background: #e9ecef; border-radius: 3px; }
progress::-webkit-progress-value { background: var(--accent); border-radius: 3px; }
progress::-moz-progress-bar { background: var(--accent); }
.bar-label { color: var(--muted); margin-left: 6px; white-space: nowrap; }
.note { color: var(--muted); }
footer { border-top: 1px solid var(--line); padding: 12px 20px; color: var(--muted); display: flex; gap: 18px; }
`;

import Fastify, {type FastifyInstance} from 'fastify';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {AlluxioError} from '../../../src/errors.js';
import {escapeHtml, html, link} from '../../../src/master/pages/html.js';
import {registerPages, type PagesOptions} from '../../../src/master/pages/index.js';
import {NAV} from '../../../src/master/pages/layout.js';
import {formatInterval} from '../../../src/master/pages/overview.js';
import type {WebUiSource} from '../../../src/master/webui/types.js';
import {injectedMarkup} from '../../helpers/markup.js';
import {BIG_FOLDER, HOSTILE, STUB_INIT, TEXT, TEXT_FILE, stubSource} from '../../helpers/webui-stub.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function get(url: string, overrides: Partial<WebUiSource> = {}, options: PagesOptions = {}) {
  app = Fastify({logger: false});
  registerPages(app, stubSource(overrides), options);
  const response = await app.inject({method: 'GET', url});
  return {status: response.statusCode, headers: response.headers, body: response.body};
}

/** The text of the header cells of the first table after `heading` (or of the first table). */
function headers(body: string, heading?: string): string[] {
  const from = heading === undefined ? 0 : body.indexOf(`>${heading}</h`);
  expect(from, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const thead = /<thead><tr>(.*?)<\/tr><\/thead>/s.exec(body.slice(from));
  return [...(thead?.[1] ?? '').matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);
}

const escaped = (text: string) => escapeHtml(text);

describe('html', () => {
  it('escapes interpolated text and attribute values, keeps Html, joins arrays, drops null/false', () => {
    const name = `${HOSTILE.script}&${HOSTILE.attribute}`;
    const out = html`<a title="${name}">${name}</a>${[html`<b>`, 'x<']}${null}${false}${undefined}${0}`;
    expect(out.text).toBe(`<a title="${escaped(name)}">${escaped(name)}</a><b>x&lt;0`);
    expect(escaped(name)).not.toMatch(/[<>"']/);
  });

  it('builds links with encoded query values', () => {
    expect(link('/browse', {path: '/a b/?&#"<', offset: 0, end: '', limit: undefined})).toBe('/browse?path=%2Fa%20b%2F%3F%26%23%22%3C&offset=0');
    expect(link('/logs')).toBe('/logs');
  });

  it('shows intervals in the units of Alluxio durations', () => {
    expect([formatInterval(1000), formatInterval(86_400_000), formatInterval(300_000), formatInterval(1500)]).toEqual(['1sec', '1day', '5min', '1500ms']);
  });
});

describe('every page', () => {
  const hostileScript = encodeURIComponent(HOSTILE.script);
  it.each([
    '/overview', '/browse', '/browse?path=%2Fdata%2Fhello.txt', `/browse?path=%2F${hostileScript}`, `/browse?path=%2F${encodeURIComponent(HOSTILE.img)}`,
    `/browse?path=%2F${encodeURIComponent(HOSTILE.quote)}`,
    '/data', '/logs', '/logs?path=master.log', `/logs?path=${hostileScript}`, '/config', `/config?search=${encodeURIComponent(HOSTILE.quote)}`, '/workers', '/metrics', '/mounttable',
  ])(
    '%s: HTML with the nav in order, strict CSP, nosniff, and no markup from names',
    async (url) => {
      const {status, headers: h, body} = await get(url);
      expect(status).toBe(200);
      expect(h['content-type']).toBe('text/html; charset=utf-8');
      expect(h['content-security-policy']).toContain("default-src 'none'");
      expect(h['content-security-policy']).toContain("style-src 'self'");
      expect(h['content-security-policy']).not.toContain('script-src');
      expect(h['x-content-type-options']).toBe('nosniff');
      const nav = [...body.matchAll(/<nav><a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)];
      expect(nav).toHaveLength(1);
      const labels = [...(/<nav>(.*?)<\/nav>/s.exec(body)?.[1] ?? '').matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(labels).toEqual(['Overview', 'Browse', 'In-Alluxio Data', 'Logs', 'Configuration', 'Workers', 'Metrics', 'MountTable']);
      const current = NAV.find((item) => url.startsWith(item.path));
      expect(body).toContain(`<a href="${current?.path}" class="active" aria-current="page">`);
      for (const footer of ['Project Website', 'User Mailing List', 'Workers', 'MountTable']) expect(body).toMatch(new RegExp(`<footer>[^]*>${footer}</a>`));
      expect(injectedMarkup(body)).toEqual([]);
      expect(body).not.toMatch(/<script|<img|<svg|style="/i);
    },
  );

  it('auto-refreshes Overview, Workers and Metrics every refreshInterval, not forms or file views', async () => {
    for (const url of ['/overview', '/workers', '/metrics']) {
      expect((await get(url)).body, url).toContain('<meta http-equiv="refresh" content="15">');
      await app?.close();
    }
    expect((await get('/overview', {init: async () => ({...STUB_INIT, refreshInterval: 0})})).body).not.toContain('http-equiv');
    await app?.close();
    for (const url of ['/browse', `/browse?path=${encodeURIComponent(TEXT_FILE)}`, '/config', '/logs', '/data', '/mounttable']) {
      expect((await get(url)).body, url).not.toContain('http-equiv');
      await app?.close();
    }
  });

  it('/ redirects to /overview; the stylesheet and icon are served with nosniff', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/overview');
    const css = await app!.inject('/static/alluxio.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    expect(css.body).toContain('#f15a22');
    const icon = await app!.inject('/static/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
  });
});

describe('Overview', () => {
  it('has the three summaries of Alluxio and the background jobs', async () => {
    const {body} = await get('/overview');
    const rows = [...body.matchAll(/<tr><th>([^<]+)<\/th><td>/g)].map((m) => m[1]);
    expect(rows).toEqual([
      'Master Address', 'Cluster Id', 'Started', 'Uptime', 'Version', 'Running Workers', 'Server Configuration Check',
      'Workers Capacity', 'Workers Free / Used', 'UnderFS Capacity', 'UnderFS Free / Used', 'Total Paths', 'Unique Block Count', 'Replica Block Count',
    ]);
    expect(body).toContain('<td>1023.99MB / 12B</td>');
    expect(headers(body, 'Storage Usage Summary')).toEqual(['Storage Alias', 'Space Capacity', 'Space Used', 'Space Usage']);
    expect(body).toContain('<progress max="100" value="1" aria-label="1% used"></progress><span class="bar-label">99% Free / 1% Used</span>');
    expect(headers(body, 'Background Jobs')).toEqual(['Job', 'Enabled', 'Interval', 'Last Run', 'Took', 'Last Outcome', 'Runs / Failures', 'Pending']);
    expect(body).toContain('<td>UFS cleanup</td><td>YES</td><td>1day</td>');
    expect(body).toContain('<td class="num">42 ms</td>');
    expect(body).toContain('<td>Async persistence</td><td>YES</td><td>1sec</td><td>never</td>');
    expect(body).toContain(escaped(`aborted 0 uploads under s3://${HOSTILE.img}/`));
    expect(body).toContain(`<td>${escaped(HOSTILE.script)}</td>`);
  });

  it('shows job times in alluxio.user.date.format.pattern, and Role/LeaderId and warnings when set', async () => {
    const source = stubSource();
    const {body} = await get('/overview', {
      overview: async () => ({
        ...(await source.overview()),
        masterRole: 'LEADER',
        leaderId: HOSTILE.img,
        configCheckStatus: 'WARN',
        configCheckWarns: {MASTER: [{name: HOSTILE.svg, values: {a: '1'}}]},
        journalDiskWarnings: [HOSTILE.script],
      }),
    }, {datePattern: "yyyy'T'"});
    expect(body).toContain('<td>2026T</td>');
    expect(body).toContain(`<tr><th>Role</th><td>LEADER</td></tr>`);
    expect(body).toContain(`<tr><th>LeaderId</th><td>${escaped(HOSTILE.img)}</td></tr>`);
    expect(body).toContain(`${escaped(HOSTILE.svg)}: {&quot;a&quot;:&quot;1&quot;}`);
    expect(body).toContain(`<tr><th>Journal Disk Warning(s)</th><td><div>${escaped(HOSTILE.script)}</div></td></tr>`);
    expect(injectedMarkup(body)).toEqual([]);
  });
});

describe('Browse', () => {
  it('lists a folder with Alluxio columns, links to each entry, Root, Path and Go', async () => {
    const {body} = await get('/browse');
    expect(body).toContain('<a class="button plain" href="/browse?path=%2F">Root</a>');
    expect(body).toContain('<label>Path <input type="text" name="path" value="/"></label>');
    expect(body).toContain('<button type="submit">Go</button>');
    expect(headers(body, 'Browse')).toEqual(['', 'File Name', 'Size', 'Block Size', 'In-Alluxio', 'Mode', 'Owner', 'Group', 'Persistence State', 'Pin', 'Creation Time', 'Modification Time']);
    expect(body).toContain(`<a href="/browse?path=${escaped(encodeURIComponent(`/${HOSTILE.img}`))}">${escaped(HOSTILE.img)}</a>`);
    expect(body).toContain(`<a href="/browse?path=${encodeURIComponent(`/${HOSTILE.script}`)}">${escaped(HOSTILE.script)}</a>`);
    expect(body).toContain(`<td>${escaped(HOSTILE.svg)}</td><td>${escaped(HOSTILE.script)}</td>`);
    expect(body).toContain('<td>TO_BE_PERSISTED</td><td>NO</td>');
    expect(body).toContain('Entries 1–4 of 4');
  });

  it('leaves out Mode, Owner and Group without permissions, adds [D] columns with debug', async () => {
    const source = stubSource();
    const {body} = await get('/browse', {browse: async (q) => ({...(await source.browse(q)), showPermissions: false, debug: true})});
    expect(headers(body, 'Browse')).toEqual(['', 'File Name', 'Size', 'Block Size', 'In-Alluxio', 'Persistence State', 'Pin', 'Creation Time', 'Modification Time', '[D]INumber', '[D]File Locations']);
    expect(body).toContain(`<div>${escaped(HOSTILE.img)}</div>`);
  });

  it('pages an object-store folder with next but no last until the total is known', async () => {
    const first = (await get(`/browse?path=${BIG_FOLDER}`)).body;
    expect(first).toContain('Entries 1–20 of 21 so far');
    expect(first).toContain('<a href="/browse?path=%2Fbig&amp;offset=20&amp;limit=20">Next</a>');
    expect(first).toContain('<span class="disabled">Previous</span>');
    expect(first).not.toContain('Last');
    expect(first).toContain('<a href="/browse?path=%2Fbig&amp;offset=0&amp;limit=500">500</a>');
    await app?.close();
    const known = (await get(`/browse?path=${BIG_FOLDER}&offset=700&limit=500`)).body;
    expect(known).toContain('Entries 701–1200 of 1200</span>');
    expect(known).toContain('<a href="/browse?path=%2Fbig&amp;offset=1000&amp;limit=500">Last</a>');
    expect(known).toContain('<a href="/browse?path=%2Fbig&amp;offset=200&amp;limit=500">Previous</a>');
    expect(known).toContain('<span class="disabled">Next</span>');
    expect(known).toContain('<a class="current" href="/browse?path=%2Fbig&amp;offset=700&amp;limit=500">500</a>');
  });

  it('shows a file: the 5 KB window, the offset form, the download link and the blocks', async () => {
    const {body} = await get(`/browse?path=${encodeURIComponent(TEXT_FILE)}`);
    expect(body).toContain(`<h1>${TEXT_FILE}: First 5KB from 0 in ASCII</h1>`);
    expect(body).toContain(`<pre class="file">${escaped(TEXT.slice(0, 5120))}</pre>`);
    expect(body).toContain(`<input type="hidden" name="path" value="${TEXT_FILE}">`);
    expect(body).toContain('Display from byte offset <input type="number" name="offset" min="0" value="0">');
    expect(body).toContain('<input type="radio" name="end" value="" checked> begin');
    expect(body).toContain(`href="http://localhost:39999/api/v1/paths/${encodeURIComponent(TEXT_FILE)}/download-file/">Download</a>`);
    expect(headers(body, 'Blocks')).toEqual(['ID', 'Size (Byte)', 'In MEM', 'Locations']);
    expect(body).toContain(`<td>YES</td><td class="name"><div>${escaped(HOSTILE.img)}</div></td>`);
    expect(body).toMatch(/<div class="crumbs"><a href="\/browse\?path=%2F">root<\/a><a href="\/browse\?path=%2Fdata">data<\/a><span>hello.txt<\/span><\/div>/);
  });

  it('counts the offset from the end with end=1, and keeps that choice in the form', async () => {
    const {body} = await get(`/browse?path=${encodeURIComponent(TEXT_FILE)}&offset=100&end=1`);
    expect(body).toContain(`First 5KB from ${TEXT.length - 100} in ASCII`);
    expect(body).toContain('<input type="radio" name="end" value="1" checked> end');
    expect(body).toContain('name="offset" min="0" value="100"');
  });

  it('escapes a hostile file name in the heading, the form and the download link', async () => {
    const path = `/${HOSTILE.img}`;
    const {body} = await get(`/browse?path=${encodeURIComponent(path)}`);
    expect(body).toContain(`<h1>${escaped(path)}: First 5KB from 0 in ASCII</h1>`);
    expect(body).toContain(`<pre class="file">${escaped(HOSTILE.svg)}</pre>`);
    expect(body).toContain(`value="${escaped(path)}"`);
    expect(body).toContain(`/api/v1/paths/${encodeURIComponent(path)}/download-file/`);
    expect(injectedMarkup(body)).toEqual([]);
  });

  it('shows no download link unless the proxy URL is http(s) or same-site', async () => {
    const {body} = await get(`/browse?path=${encodeURIComponent(TEXT_FILE)}`, {
      init: async () => ({...STUB_INIT, proxyDownloadFileApiUrl: {prefix: 'javascript:alert(1)//', suffix: ''}}),
    });
    expect(body).not.toContain('Download');
    expect(body).not.toContain('javascript:');
  });

  it("shows Alluxio's error texts from the answer", async () => {
    const missing = (await get(`/browse?path=${encodeURIComponent(`/nope/${HOSTILE.img}`)}`)).body;
    expect(missing).toContain(`<li>Error: File /nope/${escaped(HOSTILE.img)} is not available File does not exist</li>`);
    expect(injectedMarkup(missing)).toEqual([]);
    await app?.close();
    const bad = (await get('/browse?offset=x')).body;
    expect(bad).toContain('<li>Error: offset or limit parse error, For input string: &quot;x&quot;</li>');
  });

  it.each(['/browse?path=%E0%A4%A', '/browse?offset=-5&limit=1e9', '/browse?path', '/browse?=&&path[]=x', '/data?offset=%00', '/logs?path=%2e%2e%2f'])(
    'a malformed query (%s) still renders a page',
    async (url) => {
      const {status, body} = await get(url);
      expect(status).toBe(200);
      expect(injectedMarkup(body)).toEqual([]);
    },
  );

  it('takes the first of repeated query parameters', async () => {
    const {body} = await get(`/browse?path=${encodeURIComponent(TEXT_FILE)}&path=%2F`);
    expect(body).toContain(`<h1>${TEXT_FILE}: First 5KB`);
  });
});

describe('In-Alluxio Data, Logs, Configuration, Workers, Metrics, Mount table', () => {
  it('In-Alluxio Data: the paginator and the columns of Alluxio', async () => {
    const {body} = await get('/data');
    expect(body).toContain('<h1>In-Alluxio Data</h1>');
    expect(body).toContain('Entries 1–2 of 2');
    expect(headers(body)).toEqual(['File Path', 'Size', 'Block Size', 'Permission', 'Owner', 'Group', 'Pin', 'Creation Time', 'Modification Time']);
    expect(body).toContain(`<a href="/browse?path=${escaped(encodeURIComponent(`/${HOSTILE.img}`))}">/${escaped(HOSTILE.img)}</a>`);
    expect(body.indexOf('class="pager"')).toBeLessThan(body.indexOf('<table'));
  });

  it('Logs: the listing links each file by its base name', async () => {
    const {body} = await get('/logs');
    expect(headers(body, 'Logs')).toEqual(['File Name', 'Size', 'Block Size', 'In-Alluxio', 'Persistence State', 'Pin', 'Modification Time']);
    expect(body).toContain('<a href="/logs?path=master.log">master.log</a>');
    expect(body).toContain(`<a href="/logs?path=${escaped(encodeURIComponent(`${HOSTILE.img}.log`))}">${escaped(HOSTILE.img)}.log</a>`);
    expect(body).toContain('<td>NOT_PERSISTED</td>');
  });

  it('Logs: a file view with the 5 KB window; an unknown name shows the error', async () => {
    const view = (await get('/logs?path=master.log')).body;
    expect(view).toContain('<h1>master.log: First 5KB from 0 in ASCII</h1>');
    expect(view).toContain(`started ${escaped(HOSTILE.script)}`);
    expect(view).toContain('<form class="inline" method="get" action="/logs">');
    await app?.close();
    const outside = (await get('/logs?path=..%2F..%2Fetc%2Fpasswd')).body;
    expect(outside).toContain('<li>Error: File passwd is not available</li>');
    expect(outside).toContain('<h1>passwd: First 5KB from 0 in ASCII</h1>');
  });

  it('Configuration: Property | Value | Source, a search by name, and the whitelist', async () => {
    const all = (await get('/config')).body;
    expect(all).toContain('<h1>Alluxio Configuration</h1>');
    expect(all).toContain('Search by Property <input type="search" name="search" value="">');
    expect(headers(all, 'Alluxio Configuration')).toEqual(['Property', 'Value', 'Source']);
    expect(all).toContain(`<td class="name">alluxio.${escaped(HOSTILE.script)}</td><td class="name">${escaped(HOSTILE.attribute)}</td><td>${escaped(HOSTILE.svg)}</td>`);
    expect(all).toContain('<td class="name">******</td>');
    expect(headers(all, 'Whitelist')).toEqual(['Path']);
    expect(all).toContain(`<td class="name">${escaped(HOSTILE.img)}</td>`);
    await app?.close();
    const found = (await get('/config?search=WEB.PORT')).body;
    expect([...found.matchAll(/<td class="name">(alluxio[^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['alluxio.master.web.port']);
    expect(found).toContain('value="WEB.PORT"');
    await app?.close();
    const none = (await get(`/config?search=${encodeURIComponent(HOSTILE.script + 'zz')}`)).body;
    expect(none).toContain('Sorry, no matching properties.');
    expect(none).toContain(`value="${escaped(HOSTILE.script)}zz"`);
    expect(injectedMarkup(none)).toEqual([]);
  });

  it('Workers: live and lost tables with the usage bar', async () => {
    const {body} = await get('/workers');
    expect(headers(body, 'Live Workers')).toEqual(['Node Name', 'Last Heartbeat', 'State', 'Block Count', 'Workers Capacity', 'Space Used', 'Space Usage']);
    expect(headers(body, 'Lost Workers')).toEqual(['Node Name', 'Last Heartbeat', 'Workers Capacity']);
    expect(body).toContain(`<td class="name">localhost ${escaped(HOSTILE.img)}</td>`);
    expect(body).toContain('99% Free / 1% Used');
    expect(body).toContain('No lost workers.');
  });

  it('Metrics: the sections that have data', async () => {
    const {body} = await get('/metrics');
    const sections = [...body.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    const ufs = escaped(`s3://${HOSTILE.img}/`);
    expect(sections).toEqual([
      'Capacity', 'Total IO Size', 'Total IO Throughput (Per Minute)', 'Cache Hit and Miss', 'Mounted Under FileSystem Read',
      'Mounted Under FileSystem Write', 'Logical Operations', 'RPC Invocations', `Under FileSystem Operations of ${ufs}`,
    ]);
    expect(body).toContain('<tr><th>Under Filesystem Read</th><td class="num">7.00KB</td><th>Under Filesystem Write</th><td class="num">24B</td></tr>');
    expect(body).toContain('<tr><th>Cache Hit Rate (Alluxio Local)</th><td>50.00%</td></tr>');
    expect(body).toContain('<td class="name">FilesPinned</td><td class="num">0</td>');
    expect(body).toContain('<td class="name">GetFileStatus</td><td class="num">12</td>');
  });

  it('Mount table: Alluxio columns, YES/NO, escaped properties', async () => {
    const {body} = await get('/mounttable');
    expect(body).toContain('<h1>Mount table</h1>');
    expect(headers(body)).toEqual(['Mount Point', 'UFS URI', 'UFS Type', 'UFS Capacity Bytes', 'UFS Used Bytes', 'ReadOnly', 'Shared', 'Properties']);
    expect(body).toContain('<td>NO</td><td>NO</td><td class="name">{}</td>');
    expect(body).toContain(`<td>YES</td><td>YES</td><td class="name">{aws.accessKeyId=******, x=${escaped(HOSTILE.svg)}}</td>`);
  });
});

describe('errors of the source', () => {
  it('a bug renders a 500 page with one generic line, no stack, and is reported to onError', async () => {
    const onError = vi.fn();
    const bug = new TypeError(`Cannot read properties of undefined (reading 'x') ${HOSTILE.img}`);
    const {status, headers: h, body} = await get('/overview', {overview: async () => Promise.reject(bug)}, {onError});
    expect(status).toBe(500);
    expect(h['content-security-policy']).toContain("default-src 'none'");
    expect(body).toContain('<li>Internal error: this page could not be built (the master log has the details).</li>');
    expect(body).not.toContain('Cannot read');
    expect(body).not.toMatch(/\bat .*\.ts:\d+/);
    expect(onError).toHaveBeenCalledWith(bug, '/overview');
  });

  it('an AlluxioError shows its one line, escaped; a system error its description', async () => {
    const ours = await get('/mounttable', {mountTable: async () => Promise.reject(new AlluxioError('UNAVAILABLE', `Metastore busy ${HOSTILE.script}\nsecond`))});
    expect(ours.status).toBe(500);
    expect(ours.body).toContain(`<li>Metastore busy ${escaped(HOSTILE.script)}\\nsecond</li>`);
    expect(injectedMarkup(ours.body)).toEqual([]);
    await app?.close();
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/master.log'"), {code: 'ENOENT', syscall: 'open', path: '/x/master.log'});
    const system = await get('/logs', {logs: async () => Promise.reject(enoent)});
    expect(system.status).toBe(500);
    expect(system.body).not.toContain('ENOENT');
    expect(system.body).toMatch(/<li>[^<]*\/x\/master\.log[^<]*<\/li>/);
  });
});

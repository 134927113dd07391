/**
 * The web UI's pages in a real browser (Debian's chromium, headless), served from a stub WebUiSource on a free
 * loopback port: every page opens with its headings, paging, the Path form and the file view's offset form work
 * without JavaScript, and no hostile name runs, adds an element or trips the Content-Security-Policy.
 * Screenshots of each page go to test-output/screenshots/.
 */
import Fastify, {type FastifyInstance} from 'fastify';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, beforeEach, afterEach, describe, expect, it} from 'vitest';
import {registerPages} from '../../src/master/pages/index.js';
import {launchBrowser, screenshot, watch, type PageWatch} from '../helpers/browser.js';
import {BIG_FOLDER, BIG_FOLDER_SIZE, HOSTILE, TEXT, TEXT_FILE, stubSource} from '../helpers/webui-stub.js';

let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
let watched: PageWatch;

beforeAll(async () => {
  app = Fastify({logger: false});
  registerPages(app, stubSource());
  await app.listen({host: '127.0.0.1', port: 0});
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

beforeEach(async () => {
  page = await browser.newPage({viewport: {width: 1280, height: 800}});
  watched = await watch(page);
});

afterEach(async () => {
  await page.close();
});

/** Opens a page and checks what every page must: 200, no injected element ran or exists, no CSP violation. */
async function open(path: string): Promise<void> {
  const response = await page.goto(base + path);
  expect(response?.status(), path).toBe(200);
  await expectNothingRan();
}

async function expectNothingRan(): Promise<void> {
  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    svgs: document.querySelectorAll('svg').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    autofocus: document.querySelectorAll('[autofocus]').length,
  }));
  expect(injected).toEqual({images: 0, scripts: 0, svgs: 0, handlers: [], autofocus: 0});
  expect(watched.problems).toEqual([]);
}

const texts = (selector: string) => page.locator(selector).allInnerTexts();

describe('web UI pages in chromium', () => {
  it('Overview: the summaries, the background jobs, the nav; / redirects here', async () => {
    await open('/');
    expect(new URL(page.url()).pathname).toBe('/overview');
    expect(await texts('h2')).toEqual(['Alluxio Summary', 'Cluster Usage Summary', 'Storage Usage Summary', 'Background Jobs']);
    expect(await texts('header nav a')).toEqual(['Overview', 'Browse', 'In-Alluxio Data', 'Logs', 'Configuration', 'Workers', 'Metrics', 'MountTable']);
    expect(await page.locator('td', {hasText: 'aborted 0 uploads'}).innerText()).toBe(`aborted 0 uploads under s3://${HOSTILE.img}/`);
    // the stylesheet applied (served by the master, allowed by the CSP)
    expect(await page.locator('header.topbar').evaluate((e) => getComputedStyle(e).borderBottomColor)).toBe('rgb(241, 90, 34)');
    await screenshot(page, 'overview');
  });

  it('Browse: hostile names show as text, entries link to their folder, the Path form goes', async () => {
    await open('/browse');
    expect(await texts('td.name a')).toEqual([HOSTILE.script, HOSTILE.img, 'big', 'data']);
    await screenshot(page, 'browse');
    await page.getByRole('link', {name: HOSTILE.script, exact: true}).click();
    expect(new URL(page.url()).searchParams.get('path')).toBe(`/${HOSTILE.script}`);
    expect(await texts('td.name a')).toEqual([HOSTILE.svg]);
    await expectNothingRan();
    await page.getByLabel('Path').fill('/data');
    await page.getByRole('button', {name: 'Go'}).click();
    await page.waitForURL(/path=%2Fdata/);
    expect(await texts('td.name a')).toEqual(['hello.txt']);
    await page.getByRole('link', {name: 'Root', exact: true}).click();
    await page.waitForURL(/path=%2F$/);
    expect(await page.locator('td.name a').count()).toBe(4);
    await expectNothingRan();
  });

  it(`Browse: pages through a ${BIG_FOLDER_SIZE}-entry object-store folder; "Last" only once the total is known`, async () => {
    await open(`/browse?path=${encodeURIComponent(BIG_FOLDER)}`);
    expect(await page.locator('.pager span').first().innerText()).toBe('Entries 1–20 of 21 so far');
    expect(await page.getByRole('link', {name: 'Last'}).count()).toBe(0);
    await screenshot(page, 'browse-paging');
    await page.getByRole('link', {name: '500', exact: true}).click();
    await page.getByRole('link', {name: 'Next'}).click();
    await page.getByRole('link', {name: 'Next'}).click();
    expect(await page.locator('.pager span').first().innerText()).toBe(`Entries 1001–${BIG_FOLDER_SIZE} of ${BIG_FOLDER_SIZE}`);
    expect((await texts('td.name a')).at(-1)).toBe('f1199');
    await page.getByRole('link', {name: 'First'}).click();
    expect(await page.locator('td.name a').first().innerText()).toBe('f0000');
    await expectNothingRan();
  });

  it('Browse: a file view with the 5 KB window, reading from the end with the offset form', async () => {
    await open(`/browse?path=${encodeURIComponent(TEXT_FILE)}`);
    expect(await page.locator('h1').innerText()).toBe(`${TEXT_FILE}: First 5KB from 0 in ASCII`);
    expect(await page.locator('pre.file').textContent()).toBe(TEXT.slice(0, 5120));
    expect(await texts('h2')).toEqual(['Blocks']);
    expect(await page.getByRole('link', {name: 'Download'}).getAttribute('href')).toBe(
      `http://localhost:39999/api/v1/paths/${encodeURIComponent(TEXT_FILE)}/download-file/`,
    );
    await screenshot(page, 'browse-file');
    await page.getByLabel('Display from byte offset').fill('100');
    await page.getByLabel('end').check();
    await page.locator('form', {has: page.getByLabel('Display from byte offset')}).getByRole('button', {name: 'Go'}).click();
    await page.waitForURL(/end=1/);
    expect(await page.locator('h1').innerText()).toBe(`${TEXT_FILE}: First 5KB from ${TEXT.length - 100} in ASCII`);
    expect(await page.locator('pre.file').textContent()).toBe(TEXT.slice(TEXT.length - 100));
    await expectNothingRan();
  });

  it('Browse: the hostile file name in a file view heading, form and link stays text', async () => {
    await open(`/browse?path=${encodeURIComponent(`/${HOSTILE.img}`)}`);
    expect(await page.locator('h1').innerText()).toBe(`/${HOSTILE.img}: First 5KB from 0 in ASCII`);
    expect(await page.getByLabel('Path').inputValue()).toBe(`/${HOSTILE.img}`);
    expect(await page.locator('pre.file').textContent()).toBe(HOSTILE.svg);
    await open(`/browse?path=${encodeURIComponent(`/${HOSTILE.quote}`)}`);
    expect(await page.getByLabel('Path').inputValue()).toBe(`/${HOSTILE.quote}`);
    expect(await texts('ul.errors li')).toEqual([`Error: File /${HOSTILE.quote} is not available File does not exist`]);
  });

  it('In-Alluxio Data, Logs and a log file', async () => {
    await open('/data');
    expect(await page.locator('h1').innerText()).toBe('In-Alluxio Data');
    expect(await texts('td.name a')).toEqual([TEXT_FILE, `/${HOSTILE.img}`]);
    await screenshot(page, 'data');
    await open('/logs');
    expect(await texts('td.name a')).toEqual(['master.log', `${HOSTILE.img}.log`]);
    await screenshot(page, 'logs');
    await page.getByRole('link', {name: 'master.log'}).click();
    expect(await page.locator('h1').innerText()).toBe('master.log: First 5KB from 0 in ASCII');
    expect(await page.locator('pre.file').innerText()).toContain(`started ${HOSTILE.script}`);
    await screenshot(page, 'logs-file');
    await expectNothingRan();
  });

  it('Configuration: search by property, no match, and the whitelist', async () => {
    await open('/config');
    expect(await texts('h1, h2')).toEqual(['Alluxio Configuration', 'Whitelist']);
    expect(await page.locator('td', {hasText: 'alluxio.'}).count()).toBe(3);
    await screenshot(page, 'config');
    await page.getByLabel('Search by Property').fill('web.port');
    await page.getByRole('button', {name: 'Search'}).click();
    await page.waitForURL(/search=web.port/);
    expect(await page.locator('table').first().locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search by Property').fill(HOSTILE.quote);
    await page.getByRole('button', {name: 'Search'}).click();
    await page.waitForURL(/search=/);
    expect(await page.locator('td.empty').first().innerText()).toBe('Sorry, no matching properties.');
    expect(await page.getByLabel('Search by Property').inputValue()).toBe(HOSTILE.quote);
    await expectNothingRan();
  });

  it('Workers, Metrics and Mount table', async () => {
    await open('/workers');
    expect(await texts('h2')).toEqual(['Live Workers', 'Lost Workers']);
    expect(await page.locator('progress').first().getAttribute('value')).toBe('1');
    await screenshot(page, 'workers');
    await open('/metrics');
    expect(await texts('h2')).toContain('Total IO Throughput (Per Minute)');
    expect(await texts('h2')).toContain(`Under FileSystem Operations of s3://${HOSTILE.img}/`);
    await screenshot(page, 'metrics');
    await open('/mounttable');
    expect(await page.locator('h1').innerText()).toBe('Mount table');
    expect(await page.locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'mounttable');
  });
});

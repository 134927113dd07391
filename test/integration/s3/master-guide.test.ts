/**
 * The real master (bin/alluxio-start.sh local) over radosgw:
 * - the guide's workflow on an S3 root mount: format, start, the UI answers, runTests passes, aws-cli sees the 18
 *   persisted files, stop leaves no process;
 * - every page in a real browser (chromium) over a radosgw mount holding a 1,200-object folder, a text file and a
 *   hostile name: nothing runs, secrets show as `******`, a screenshot of each page;
 * - the master killed with SIGKILL in the middle of an async persist, then started again: the file is persisted,
 *   its bytes intact, no multipart upload left.
 */
import {createHash, randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {GetObjectCommand} from '@aws-sdk/client-s3';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {parseLsLine} from '../../helpers/alluxio-format.js';
import {type PageWatch, launchBrowser, screenshot, watch} from '../../helpers/browser.js';
import {type Home, type RunResult, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {type FaultProxy, type ProxiedRequest, startFaultProxy} from '../../helpers/fault-proxy.js';
import {alive, freePort, httpStatus, killMasters, pidFile, pidFileOf, processesOf, runScript, trackHome, waitFor} from '../../helpers/master.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {allSecrets, awsList, guardSecrets, keyOptions, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {multipartUploads, putMany} from '../../helpers/s3-fs.js';

guardSecrets();
afterAll(killMasters);
afterAll(cleanupHomes);

const HOST = hostname();
const PASSED = '\u001b[32mPassed the test!\u001b[0m';
const TESTS = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'].flatMap((rt) =>
  ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'].flatMap((wt) => ['BASIC', 'BASIC_NON_BYTE_BUFFER'].map((op) => `${op}_${rt}_${wt}`)),
);
const XSS = '<img src=x onerror=alert(1)>';
const TEXT = Array.from({length: 200}, (_, i) => `line ${String(i).padStart(3, '0')} of the text object\n`).join('');
const BIG = Array.from({length: 1200}, (_, i) => `f${String(i).padStart(4, '0')}`);

/** A home for a master on a free port; its site file keeps the given keys. */
async function masterHome(site: Record<string, string>): Promise<Home> {
  return trackHome(s3Home({keys: 1, site: {'alluxio.master.web.port': String(await freePort()), ...site}}));
}

/** The scripts' output and the master's logs never hold a secret. */
function expectNoSecrets(home: Home, ...results: RunResult[]): void {
  const texts = [...results.flatMap((r) => [r.stdout, r.stderr]), readFileSync(join(home.dir, 'logs', 'master.log'), 'utf8'), readFileSync(join(home.dir, 'logs', 'master.out'), 'utf8')];
  for (const secret of allSecrets()) for (const text of texts) expect(text.includes(secret)).toBe(false);
}

async function start(home: Home): Promise<RunResult> {
  const r = await runScript(home, 'start', ['local']);
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr, describeResult(r)).toBe('');
  return r;
}

async function stop(home: Home): Promise<RunResult> {
  const r = await runScript(home, 'stop', ['local']);
  expect(r.code, describeResult(r)).toBe(0);
  expect(lines(r.stdout), describeResult(r)).toEqual([`Successfully Killed 1 process(es) successfully on ${HOST}`]);
  expect(processesOf(home)).toEqual([]);
  return r;
}

async function stateOf(home: Home, path: string): Promise<string> {
  const r = await home.run(['fs', 'ls', '-d', path]);
  expectSuccess(r);
  return parseLsLine(lines(r.stdout)[0]!).state;
}

describe("the guide's workflow on a radosgw root mount", () => {
  let bucket: string;
  beforeAll(async () => {
    ({bucket} = await freshBucket('master-guide'));
    await putObjects(bucket, {'root/': ''});
  });
  afterAll(() => emptyAndDeleteBucket(bucket));

  it('format, start local, the UI answers, runTests passes, aws-cli sees the 18 files, stop leaves no process', async () => {
    const home = await masterHome({'alluxio.master.mount.table.root.ufs': `s3://${bucket}/root`});
    expectSuccess(await home.run(['format']));
    const started = await start(home);
    const base = pidFileOf(home)!.url;
    expect(await httpStatus(`${base}/overview`)).toBe(200);
    expect(await httpStatus(`${base}/api/v1/master/info`)).toBe(200);

    const r = await home.run(['runTests'], {timeoutMs: 150_000});
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout).filter((l) => l === PASSED), describeResult(r)).toHaveLength(24);
    // The ASYNC_THROUGH files are the master's to upload: they come within seconds.
    const persisted = TESTS.filter((t) => !t.endsWith('_MUST_CACHE'))
      .sort()
      .map((name) => ({key: `root/default_tests_files/${name}`, size: name.startsWith('BASIC_NON_BYTE_BUFFER') ? 84 : 80}));
    const files = async () => (await awsList(bucket, 'root/')).filter((o) => !o.key.endsWith('/'));
    await waitFor(async () => (await files()).length === persisted.length, 20_000);
    expect(await files()).toEqual(persisted);

    const summary = await home.run(['fsadmin', 'report']);
    expectSuccess(summary);
    expect(lines(summary.stdout)).toContain('    Live Workers: 1');
    const ufs = await home.run(['fsadmin', 'report', 'ufs']);
    expectSuccess(ufs);
    expect(lines(ufs.stdout)[1]).toMatch(new RegExp(`^s3://${bucket}/root/? {2}on {2}/ {2}\\(s3, `));

    const stopped = await stop(home);
    expect(await httpStatus(`${base}/overview`)).toBeUndefined();
    expectNoSecrets(home, started, stopped);
  }, 200_000);
});

describe('every page of the real master in chromium, over a radosgw mount', () => {
  let bucket: string;
  let home: Home;
  let base: string;
  let browser: Browser;
  let page: Page;
  let watched: PageWatch;
  const results: RunResult[] = [];

  beforeAll(async () => {
    ({bucket} = await freshBucket('master-pages'));
    await Promise.all([
      putMany(bucket, BIG.map((n) => `dir/big/${n}`)),
      putObjects(bucket, {'dir/': '', [`dir/${XSS}`]: 'not a picture', 'dir/hello.txt': TEXT}),
    ]);
    home = await masterHome({});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', ...keyOptions(1), '/mnt/s3', `s3://${bucket}/dir`]), [`Mounted s3://${bucket}/dir at /mnt/s3`]);
    writeFileSync(join(home.dir, 'notes.txt'), 'cached in the worker');
    expectSuccess(await home.run(['fs', 'copyFromLocal', join(home.dir, 'notes.txt'), '/notes.txt']));
    results.push(await start(home));
    base = pidFileOf(home)!.url;
    browser = await launchBrowser();
    page = await browser.newPage({viewport: {width: 1280, height: 800}});
    watched = await watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (home) results.push(await stop(home));
    if (home) expectNoSecrets(home, ...results);
    await emptyAndDeleteBucket(bucket);
  });

  const texts = (selector: string) => page.locator(selector).allInnerTexts();
  // A folder of their own: the page tests over a stub source save theirs under the same names.
  const shot = (name: string) => screenshot(page, `real-master/${name}`);

  /** Opens a page: 200, nothing injected ran or exists, no console error, no secret in the HTML. */
  async function open(path: string): Promise<void> {
    const response = await page.goto(base + path);
    expect(response?.status(), path).toBe(200);
    await expectNothingRan();
  }

  async function expectNothingRan(): Promise<void> {
    expect(await page.locator('img, script, svg').count()).toBe(0);
    expect(watched.problems).toEqual([]);
    const html = await page.content();
    for (const secret of allSecrets()) expect(html.includes(secret)).toBe(false);
  }

  it('Overview, In-Alluxio Data, Logs, Workers, Metrics, Mount table', async () => {
    await open('/overview');
    expect(await texts('h2')).toEqual(expect.arrayContaining(['Alluxio Summary', 'Cluster Usage Summary', 'Storage Usage Summary']));
    await shot('overview');
    await open('/data');
    expect(await texts('td.name a')).toEqual(['/notes.txt']);
    await shot('data');
    await open('/logs');
    expect(await texts('td.name a')).toEqual(['master.log']);
    await shot('logs');
    await open('/workers');
    expect(await texts('h2')).toEqual(['Live Workers', 'Lost Workers']);
    await shot('workers');
    await open('/metrics');
    expect(await texts('h2')).toContain('Total IO Throughput (Per Minute)');
    await shot('metrics');
    await open('/mounttable');
    const s3Row = page.locator('tbody tr', {hasText: `s3://${bucket}/dir`});
    expect((await s3Row.locator('td').allInnerTexts()).at(-1)).toBe('{s3a.accessKeyId=******, s3a.secretKey=******}');
    await shot('mounttable');
  });

  it('Configuration shows the secret key as ******', async () => {
    await open('/config');
    const row = page.locator('tr', {has: page.locator('td', {hasText: /^s3a\.secretKey$/})});
    expect(await row.locator('td').allInnerTexts()).toEqual(['s3a.secretKey', '******', `SITE_PROPERTY (${home.siteFile})`]);
    await shot('config');
  });

  it('Browse into the mount: the hostile name is text; the 1,200-object folder paged with Next until Last appears', async () => {
    await open('/browse');
    expect(await texts('td.name a')).toEqual(['mnt', 'notes.txt']);
    await page.getByRole('link', {name: 'mnt', exact: true}).click();
    await page.getByRole('link', {name: 's3', exact: true}).click();
    await page.waitForURL(/path=%2Fmnt%2Fs3$/);
    expect(await texts('td.name a')).toEqual([XSS, 'big', 'hello.txt']);
    await expectNothingRan();
    await shot('browse-mount');
    await page.getByRole('link', {name: 'big', exact: true}).click();
    await page.waitForURL(/path=%2Fmnt%2Fs3%2Fbig/);
    expect(await page.locator('.pager span').first().innerText()).toMatch(/^Entries 1–20 of \d+ so far$/);
    await page.locator('.pager').getByRole('link', {name: '500', exact: true}).click();
    const seen: string[] = [];
    for (let i = 0; i < 5 && (await page.locator('.pager').getByText('Last').count()) === 0; i++) {
      seen.push(...(await texts('td.name a')));
      await page.locator('.pager').getByRole('link', {name: 'Next'}).click();
    }
    seen.push(...(await texts('td.name a')));
    expect(seen).toEqual(BIG);
    expect(await page.locator('.pager span').first().innerText()).toBe('Entries 1001–1200 of 1200');
    await shot('browse-big-page');
    await page.locator('.pager').getByRole('link', {name: 'First'}).click();
    expect(await page.locator('td.name a').first().innerText()).toBe('f0000');
    await expectNothingRan();
  });

  it('Browse: the text file view, then from an offset counted from the end; the hostile file shows as text', async () => {
    await open(`/browse?path=${encodeURIComponent('/mnt/s3/hello.txt')}`);
    expect(await page.locator('h1').innerText()).toBe('/mnt/s3/hello.txt: First 5KB from 0 in ASCII');
    expect(await page.locator('pre.file').textContent()).toBe(TEXT.slice(0, 5120));
    await shot('browse-file');
    await page.getByLabel('Display from byte offset').fill('100');
    await page.getByLabel('end').check();
    await page.locator('form', {has: page.getByLabel('Display from byte offset')}).getByRole('button', {name: 'Go'}).click();
    await page.waitForURL(/end=1/);
    expect(await page.locator('h1').innerText()).toBe(`/mnt/s3/hello.txt: First 5KB from ${TEXT.length - 100} in ASCII`);
    expect(await page.locator('pre.file').textContent()).toBe(TEXT.slice(TEXT.length - 100));
    await expectNothingRan();
    await open(`/browse?path=${encodeURIComponent(`/mnt/s3/${XSS}`)}`);
    expect(await page.locator('h1').innerText()).toBe(`/mnt/s3/${XSS}: First 5KB from 0 in ASCII`);
    expect(await page.locator('pre.file').textContent()).toBe('not a picture');
  });
});

describe('the master killed with SIGKILL during an async persist, then started again', () => {
  let bucket: string;
  let gate: FaultProxy;
  beforeAll(async () => {
    ({bucket} = await freshBucket('master-kill'));
    await putObjects(bucket, {'data/': ''});
    gate = await startFaultProxy(s3Env().endpoint);
  });
  afterAll(async () => {
    await gate?.close();
    await emptyAndDeleteBucket(bucket);
  });

  const isPart = ({method, path}: ProxiedRequest) => method === 'PUT' && /[?&]partNumber=/.test(path) && /[?&]uploadId=/.test(path);

  it('the file is persisted by the next master, its bytes intact, no multipart upload left', async () => {
    const home = await masterHome({
      'alluxio.underfs.s3.endpoint': gate.url,
      'alluxio.underfs.s3.streaming.upload.enabled': 'true',
      'alluxio.underfs.s3.streaming.upload.partition.size': '5MB',
      'alluxio.underfs.s3.upload.threads.max': '2',
      'alluxio.master.persistence.checker.interval': '200ms',
      'alluxio.underfs.cleanup.enabled': 'true',
      'alluxio.underfs.s3.intermediate.upload.clean.age': '0',
    });
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]));
    const first = await start(home);
    const killed = pidFileOf(home)!.pid;

    const data = randomBytes(24 * 1024 * 1024);
    const file = join(home.dir, 'big.bin');
    writeFileSync(file, data);
    // Parts crawl through the gate: the persist is surely under way when the first one arrives, and then killed.
    gate.inject({match: isPart, fault: {delayMs: 2000}, times: Infinity});
    const partArrived = new Promise<void>((resolve) => {
      gate.onRequest = (request) => {
        if (!isPart(request)) return;
        gate.onRequest = undefined;
        process.kill(killed, 'SIGKILL');
        resolve();
      };
    });
    // With a master running here, the command returns once the data is cached and leaves the upload to it.
    expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=ASYNC_THROUGH', 'copyFromLocal', file, '/mnt/s3/big.bin']));
    await partArrived;
    await waitFor(() => !alive(killed), 5_000);
    gate.heal();
    expect(await multipartUploads(bucket)).toEqual(['data/big.bin']);
    expect(await stateOf(home, '/mnt/s3/big.bin')).toBe('TO_BE_PERSISTED');

    // Start stops what its pid file names first: a dead master's pid file is stale.
    const second = await start(home);
    expect(lines(second.stdout)).toContain(`Removed the stale pid file ${pidFile(home)}: process ${killed} is not the master that wrote it.`);
    await waitFor(async () => (await stateOf(home, '/mnt/s3/big.bin')) === 'PERSISTED', 30_000);
    const out = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: 'data/big.bin'}));
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(await out.Body!.transformToByteArray())).toBe(sha(data));
    expect(await multipartUploads(bucket)).toEqual([]);
    const log = readFileSync(join(home.dir, 'logs', 'master.log'), 'utf8');
    expect(log).toContain(`INFO  UfsCleaner - Aborted 1 multipart upload(s) under /mnt/s3 (s3://${bucket}/data)\n`);
    expect(log).toContain('INFO  PersistenceChecker - Persisted /mnt/s3/big.bin\n');
    const stopped = await stop(home);
    expectNoSecrets(home, first, second, stopped);
  }, 120_000);
});

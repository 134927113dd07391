/**
 * The master's JSON endpoints (facts §3, §4), served in-process by startWebServer over a Home that bin/alluxio
 * works in: what the CLI does shows on the next request; bad requests get Alluxio's answers and never a stack.
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {type IncomingMessage, request} from 'node:http';
import {hostname} from 'node:os';
import {join} from 'node:path';
import Fastify from 'fastify';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Configuration} from '../../src/conf/configuration.js';
import {openFileSystem} from '../../src/context.js';
import type {LeaderJobs} from '../../src/master/jobs.js';
import {type MasterLog, openMasterLog} from '../../src/master/master-log.js';
import {type RunningWebServer, startWebServer} from '../../src/master/web-server.js';
import {registerApiRoutes} from '../../src/master/webui/api-routes.js';
import {createWebUiSource} from '../../src/master/webui/source.js';
import type {JobStatus, WebUiBrowse, WebUiSource} from '../../src/master/webui/types.js';
import {openStore} from '../helpers/meta-store.js';
import {type Home, cleanupHomes, makeHome} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';

const JOB: JobStatus = {
  name: 'UFS cleanup',
  enabled: false,
  intervalMs: 86_400_000,
  lastRunStart: null,
  lastRunEnd: null,
  lastOutcome: null,
  runs: 0,
  failures: 0,
  pending: 0,
};
const jobs: LeaderJobs = {status: () => [JOB], stop: async () => {}};
const XSS = '<img src=x onerror=alert(1)>.txt';
const SECRET = 'TOPSECRETVALUE42';

function confOf(home: Home, extra: Record<string, string> = {}): Configuration {
  const conf = Configuration.load({env: home.env, installDir: home.dir, homeDir: home.userHome});
  conf.set('alluxio.master.web.port', '0');
  for (const [k, v] of Object.entries(extra)) conf.set(k, v);
  return conf;
}

async function serve(home: Home, extra: Record<string, string> = {}): Promise<{server: RunningWebServer; base: string; log: MasterLog}> {
  const conf = confOf(home, extra);
  const log = openMasterLog(conf);
  const server = await startWebServer({conf, log, jobs, startedAt: Date.now() - 125_000});
  return {server, base: `http://127.0.0.1:${server.port}`, log};
}

afterAll(cleanupHomes);

/** A GET with the Host header a browser would send for `host` (fetch sets its own). */
function getAs(base: string, path: string, host: string): Promise<{status: number; text: string}> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, {headers: {host}}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString()}));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('master JSON endpoints', () => {
  let home: Home;
  let server: RunningWebServer;
  let base: string;
  const big = Buffer.from('0123456789'.repeat(700));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON whose fields each test checks
  async function get(path: string): Promise<{status: number; body: any; text: string; headers: Headers}> {
    const r = await fetch(base + path);
    const text = await r.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    expect(text).not.toMatch(/\bat .+:\d+:\d+|node:internal|<html/i);
    return {status: r.status, body, text, headers: r.headers};
  }

  const browse = async (query: string): Promise<WebUiBrowse> => {
    const r = await get(`/api/v1/master/webui_browse${query}`);
    expect(r.status).toBe(200);
    return r.body as WebUiBrowse;
  };

  beforeAll(async () => {
    home = makeHome({site: {'s3a.secretKey': SECRET, 'alluxio.worker.tieredstore.level0.dirs.quota': '64MB'}});
    const dir = join(home.ufs, 'dir');
    mkdirSync(dir, {recursive: true});
    for (let i = 0; i < 25; i++) writeFileSync(join(dir, `f${String(i).padStart(2, '0')}`), `file ${i}\n`);
    writeFileSync(join(home.ufs, XSS), 'x');
    writeFileSync(join(home.ufs, 'big.txt'), big);
    ({server, base} = await serve(home));
    const logs = join(home.dir, 'logs');
    writeFileSync(join(logs, 'user.log'), 'hello from the user log\n');
    writeFileSync(join(logs, 'notes.txt'), 'not a log');
    mkdirSync(join(logs, 'folder.log'));
    symlinkSync('/etc/hostname', join(logs, 'escape.log'));
    // Opening a FIFO waits for a writer: a blocked open would hold a thread of libuv's pool (4 of them) for good.
    execFileSync('mkfifo', [join(logs, 'pipe.log')]);
    symlinkSync(join(logs, 'pipe.log'), join(logs, 'link-to-pipe.log'));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('webui_init points downloads at this master', async () => {
    const {body} = await get('/api/v1/master/webui_init');
    expect(body).toEqual({
      debug: false,
      newerVersionAvailable: false,
      webFileInfoEnabled: true,
      securityAuthorizationPermissionEnabled: true,
      workerPort: 30000,
      refreshInterval: 15000,
      proxyDownloadFileApiUrl: {prefix: `${base}/api/v1/paths/`, suffix: '/download-file/'},
    });
  });

  it('webui_overview: cluster id, uptime, the cache as capacity, the leader jobs', async () => {
    const {body} = await get('/api/v1/master/webui_overview');
    expect(body.clusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.masterNodeAddress).toBe('localhost/127.0.0.1:19998');
    expect(body.uptime).toMatch(/^0 day\(s\), 0 hour\(s\), 2 minute\(s\), and \d+ second\(s\)$/);
    expect(body.capacity).toBe('64.00MB');
    expect(body.liveWorkerNodes).toBe('1');
    expect(body.diskCapacity).toBe('UNKNOWN');
    expect(body.totalPath).toMatch(/^\d+$/);
    expect(body.storageTierInfos).toEqual([
      {storageTierAlias: 'MEM', capacity: '64.00MB', usedCapacity: '0B', freeCapacity: '64.00MB', usedSpacePercent: 0, freeSpacePercent: 100},
    ]);
    expect(body.backgroundJobs).toEqual([JOB]);
    expect(body.masterRole).toBeNull();
  });

  it('webui_browse lists the root with UIFileInfo fields; names come back verbatim', async () => {
    const b = await browse('');
    expect(b.currentPath).toBe('/');
    expect(b.currentDirectory?.name).toBe('root');
    expect(b.pathInfos).toEqual([]);
    expect(b.ntotalFileKnown).toBe(true);
    const names = b.fileInfos!.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([XSS, 'big.txt', 'dir']));
    const file = b.fileInfos!.find((f) => f.name === 'big.txt')!;
    expect(file).toMatchObject({absolutePath: '/big.txt', size: '6.84KB', blockSizeBytes: '64.00MB', isDirectory: false, persistenceState: 'PERSISTED', inAlluxioPercentage: 0});
    expect(file.mode).toMatch(/^-[rwx-]{9}$/);
    expect(file.modificationTime).toMatch(/^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d:\d{3}$/);
    expect(b.fileInfos!.find((f) => f.name === 'dir')).toMatchObject({isDirectory: true, size: '', mode: expect.stringMatching(/^d/)});
  });

  it('webui_browse pages a folder: only offset + limit entries are read, the total is known at the end', async () => {
    const first = await browse('?path=/dir');
    expect(first.fileInfos!.map((f) => f.name)).toEqual(Array.from({length: 20}, (_, i) => `f${String(i).padStart(2, '0')}`));
    expect([first.ntotalFile, first.ntotalFileKnown]).toEqual([20, false]);
    const last = await browse('?path=/dir&offset=20&limit=20');
    expect(last.fileInfos!.map((f) => f.name)).toEqual(['f20', 'f21', 'f22', 'f23', 'f24']);
    expect([last.ntotalFile, last.ntotalFileKnown]).toEqual([25, true]);
    expect((await browse('?path=/dir/f03')).pathInfos.map((p) => p.absolutePath)).toEqual(['/dir']);
    expect((await browse('?path=/dir&offset=25')).fileInfos).toEqual([]);
    expect((await browse('?path=/dir&offset=30')).fatalError).toBe('Error: offset or offset + limit is out of bound, fromIndex(30) > toIndex(25)');
    // limit 0: no entries, the total counts the offset entries read (the folder is not listed to its end)
    const counted = await browse('?path=/dir&offset=7&limit=0');
    expect([counted.fileInfos, counted.ntotalFile, counted.ntotalFileKnown]).toEqual([[], 7, false]);
    expect((await browse('?path=/dir&limit=0')).ntotalFile).toBe(0);
    expect((await browse('?path=/dir&offset=30&limit=0')).fatalError).toBe('Error: offset or offset + limit is out of bound, fromIndex(30) > toIndex(25)');
  });

  it('webui_browse answers bad offsets and limits with Alluxio texts', async () => {
    const cases: Array<[string, string]> = [
      ['offset=abc', 'Error: offset or limit parse error, For input string: "abc"'],
      ['limit=1.5', 'Error: offset or limit parse error, For input string: "1.5"'],
      ['offset=99999999999', 'Error: offset or limit parse error, For input string: "99999999999"'],
      ['offset=', 'Error: offset or limit parse error, For input string: ""'],
      ['offset=-1', 'Error: offset or offset + limit is out of bound, fromIndex = -1'],
      ['limit=-5', 'Error: offset or offset + limit is out of bound, limit = -5'],
      ['limit=10001', 'Error: offset or offset + limit is out of bound, limit = 10001 is above 10000, the most one page may hold'],
      ['offset=2147483000&limit=5000', 'Error: offset or offset + limit is out of bound, toIndex = 2147488000'],
    ];
    for (const [query, error] of cases) {
      const b = await browse(`?path=/dir&${query}`);
      expect(b.fatalError, query).toBe(error);
      expect(b.fileInfos, query).toBeNull();
    }
  });

  it('webui_browse shows 5 KB of a file, from the start or counted back from the end, clamped', async () => {
    const head = await browse('?path=/big.txt');
    expect(head.fileData).toBe(big.subarray(0, 5120).toString());
    expect(head.viewingOffset).toBe(0);
    expect(head.blockSizeBytes).toBe('64.00MB');
    expect(head.fileBlocks).toEqual([]);
    const tail = await browse('?path=/big.txt&offset=100&end=1');
    expect([tail.viewingOffset, tail.fileData]).toEqual([6900, big.subarray(6900).toString()]);
    expect((await browse('?path=/big.txt&offset=99999999')).fileData).toBe('');
    expect((await browse('?path=/big.txt&offset=99999999&end=1')).viewingOffset).toBe(0);
    expect((await browse('?path=/big.txt&offset=x')).fatalError).toBe('Error: offset or limit parse error, For input string: "x"');
  });

  it('webui_browse: missing, relative and climbing paths are invalid paths, not errors', async () => {
    expect((await browse('?path=/nope')).invalidPathError).toMatch(/^Error: Invalid Path .*\/nope/);
    expect((await browse('?path=../etc/passwd')).invalidPathError).toMatch(/^Error: Invalid Path /);
    expect((await browse('?path=/../..')).invalidPathError).toMatch(/^Error: Invalid Path /);
  });

  it('malformed query strings and repeated parameters neither crash nor leak internals', async () => {
    expect((await browse('?path=%zz&offset=%')).invalidPathError).toMatch(/^Error: Invalid Path /);
    const repeated = await browse('?path=/dir&path=/nope&offset=20&offset=0');
    expect([repeated.currentPath, repeated.fileInfos!.length]).toEqual(['/dir', 5]);
    for (const endpoint of ['webui_data', 'webui_logs']) {
      const r = await get(`/api/v1/master/${endpoint}?offset=%E0%A4%A&limit=%%`);
      expect(r.status).toBe(200);
      expect(r.body.fatalError).toMatch(/^Error: offset or limit parse error, /);
    }
    expect((await get(`/api/v1/master/webui_overview?%%=%zz`)).status).toBe(200);
  });

  it('unknown paths are 404 JSON; downloads stream with an attachment header and Alluxio error bodies', async () => {
    expect(await get('/api/v1/master/nope')).toMatchObject({status: 404, body: {statusCode: 'NOT_FOUND'}});
    expect(await get('/api/v1/paths/big.txt')).toMatchObject({status: 404, body: {statusCode: 'NOT_FOUND'}});
    const r = await fetch(`${base}/api/v1/paths/${encodeURIComponent('/big.txt')}/download-file/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="big.txt"; filename*=UTF-8''big.txt`);
    expect(Buffer.from(await r.arrayBuffer())).toEqual(big);
    const xss = await fetch(`${base}/api/v1/paths/${encodeURIComponent('/' + XSS)}/download-file/`);
    expect(xss.headers.get('content-disposition')).toBe(`attachment; filename="${XSS}"; filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt`);
    expect(await get(`/api/v1/paths/${encodeURIComponent('/nope')}/download-file/`)).toMatchObject({status: 500, body: {statusCode: 'NOT_FOUND'}});
    expect(await get(`/api/v1/paths/dir/download-file/`)).toMatchObject({status: 500, body: {statusCode: 'INVALID_ARGUMENT'}});
    expect(await get(`/api/v1/paths/%E0%A4%A/download-file/`)).toMatchObject({status: 400, body: {statusCode: 'INVALID_ARGUMENT'}});
    const head = await fetch(`${base}/api/v1/paths/${encodeURIComponent('/big.txt')}/download-file/`, {method: 'HEAD'});
    expect([head.status, head.headers.get('content-length'), head.headers.get('content-disposition')]).toEqual([
      200,
      String(big.length),
      `attachment; filename="big.txt"; filename*=UTF-8''big.txt`,
    ]);
    expect((await fetch(`${base}/api/v1/paths/dir/download-file/`, {method: 'HEAD'})).status).toBe(500);
    expect((await fetch(`${base}/api/v1/paths/nope/download-file/`, {method: 'HEAD'})).status).toBe(500);
    expect(await get(`/api/v1/master/webui_%zz`)).toMatchObject({status: 400, body: {statusCode: 'INVALID_ARGUMENT'}});
    expect((await get('/api/v1/master/webui_init')).status).toBe(200);
  });

  it('webui_logs lists *.log files that are regular files inside the logs folder, and shows one by base name', async () => {
    const list = (await get('/api/v1/master/webui_logs')).body;
    expect(list.fileInfos.map((f: {name: string}) => f.name)).toEqual(['master.log', 'user.log']);
    expect(list.fileInfos[1]).toMatchObject({id: -1, creationTime: '', persistenceState: 'NOT_PERSISTED', size: '24B'});
    expect(list.ntotalFile).toBe(2);
    for (const path of ['user.log', '../../user.log', '/etc/../user.log']) {
      const view = (await get(`/api/v1/master/webui_logs?path=${encodeURIComponent(path)}`)).body;
      expect([view.currentPath, view.fileData, view.invalidPathError], path).toEqual(['user.log', 'hello from the user log\n', '']);
    }
    expect((await get('/api/v1/master/webui_logs?path=user.log&offset=6&end=1')).body.fileData).toBe('r log\n');
    for (const path of ['escape.log', 'folder.log', 'missing.log', '../../../etc/hostname']) {
      const view = (await get(`/api/v1/master/webui_logs?path=${encodeURIComponent(path)}`)).body;
      expect(view.invalidPathError, path).toMatch(/^Error: File \S+ is not available /);
      expect(view.fileData, path).toBeNull();
    }
    expect((await get('/api/v1/master/webui_logs?offset=-3')).body.fatalError).toMatch(/^Error: offset or offset \+ limit is out of bound/);
  });

  it('webui_logs never opens a FIFO named *.log: more such requests than libuv has threads, then the master still answers', async () => {
    const views = await Promise.all(
      Array.from({length: 6}, (_, i) => get(`/api/v1/master/webui_logs?path=${i % 2 ? 'pipe.log' : 'link-to-pipe.log'}`)),
    );
    for (const view of views) {
      expect(view.body.invalidPathError).toMatch(/^Error: File \S+ is not available .*not a regular file/);
      expect(view.body.fileData).toBeNull();
    }
    expect((await get('/api/v1/master/webui_logs?path=user.log')).body.fileData).toBe('hello from the user log\n');
  }, 10_000);

  it('a NUL byte in a path is an invalid path in every endpoint, without Node\'s error text', async () => {
    const log = await get('/api/v1/master/webui_logs?path=master.log%00.x');
    expect(log.body.invalidPathError).toBe('Error: File master.log\\x00.x is not available: a log file name holds no control characters');
    expect(log.body.fileData).toBeNull();
    const b = await browse('?path=%2Fbig.txt%00');
    expect(b.invalidPathError).toBe('Error: Invalid Path Path "/big.txt\\x00" is invalid.');
    const download = await get('/api/v1/paths/%2Fbig.txt%00/download-file/');
    expect(download).toMatchObject({status: 500, body: {statusCode: 'INVALID_ARGUMENT', message: 'Path "/big.txt\\x00" is invalid.'}});
    for (const r of [log, download]) expect(r.text).not.toMatch(/null bytes|ERR_INVALID_ARG/);
    const page = await fetch(`${base}/browse?path=%2Fbig.txt%00`);
    expect(await page.text()).not.toMatch(/null bytes|ERR_INVALID_ARG/);
  });

  it('webui_config and info mask secrets; info shows resolved or raw values', async () => {
    const config = await get('/api/v1/master/webui_config');
    expect(config.text).not.toContain(SECRET);
    const byName = new Map(config.body.configuration.map((c: {left: string}) => [c.left, c]));
    expect(byName.get('s3a.secretKey')).toEqual({left: 's3a.secretKey', middle: '******', right: expect.stringMatching(/^SITE_PROPERTY/)});
    expect(byName.get('alluxio.master.web.port')).toEqual({left: 'alluxio.master.web.port', middle: '0', right: 'RUNTIME'});
    expect(config.body.whitelist).toEqual(['/']);
    const info = await get('/api/v1/master/info');
    const raw = await get('/api/v1/master/info?raw_configuration=true');
    for (const r of [info, raw]) expect(r.text).not.toContain(SECRET);
    expect(info.body.configuration['alluxio.logs.dir']).toBe(join(home.dir, 'logs'));
    expect(raw.body.configuration['alluxio.logs.dir']).toBe('${alluxio.work.dir}/logs');
    expect(info.body).toMatchObject({
      capacity: {total: 64 * 1024 * 1024, used: 0},
      lostWorkers: [],
      rpcAddress: 'localhost/127.0.0.1:19998',
      tierCapacity: {MEM: {total: 64 * 1024 * 1024, used: 0}},
      metrics: {'Master.FilesPinned': 0},
    });
    expect(info.body.mountPoints['/']).toMatchObject({ufsUri: home.ufs, ufsType: 'local', readOnly: false});
    expect(info.body.workers).toHaveLength(1);
  });

  it('webui_workers shows this host\'s cache as the one worker', async () => {
    const {body} = await get('/api/v1/master/webui_workers');
    expect(body.failedNodeInfos).toEqual([]);
    expect(body.normalNodeInfos).toEqual([
      expect.objectContaining({webPort: 30000, lastHeartbeat: '0', capacity: '64.00MB', usedMemory: '0B', usedSpacePercent: 0, freeSpacePercent: 100}),
    ]);
  });

  it('a mount and a cached file made by the CLI show on the next request, secrets masked', async () => {
    const local = home.mkdir('mounted');
    writeFileSync(join(local, 'inside.txt'), 'inside');
    expectSuccess(await home.run(['fs', 'mount', '--option', `s3a.secretKey=${SECRET}`, '--option', 'alluxio.underfs.s3.threads.max=8', '/mnt', local]));
    const table = await get('/api/v1/master/webui_mounttable');
    expect(table.text).not.toContain(SECRET);
    expect(table.body.mountPointInfos).toContainEqual({
      mountPoint: '/mnt',
      ufsUri: local,
      ufsType: 'local',
      ufsCapacityBytes: expect.stringMatching(/B$/),
      ufsUsedBytes: expect.stringMatching(/B$/),
      readOnly: false,
      shared: false,
      properties: '{s3a.secretKey=******, alluxio.underfs.s3.threads.max=8}',
    });
    expect((await browse('?path=/mnt')).fileInfos!.map((f) => f.name)).toEqual(['inside.txt']);

    expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'copyFromLocal', join(local, 'inside.txt'), '/cached.txt']));
    expectSuccess(await home.run(['fs', '-Dalluxio.user.file.readtype.default=CACHE', 'cat', '/big.txt']));
    const data = (await get('/api/v1/master/webui_data')).body;
    expect(data.inAlluxioFileNum).toBe(2);
    expect(data.fileInfos.map((f: {absolutePath: string}) => f.absolutePath)).toEqual(['/big.txt', '/cached.txt']);
    expect(data.fileInfos[1]).toMatchObject({persistenceState: 'NOT_PERSISTED', inAlluxioPercentage: 100, size: '6B'});
    expect((await get('/api/v1/master/webui_data?offset=1&limit=1')).body.fileInfos.map((f: {name: string}) => f.name)).toEqual(['cached.txt']);
    expect((await get('/api/v1/master/webui_data?offset=3')).body.fatalError).toBe('Error: offset or offset + limit is out of bound, fromIndex(3) > toIndex(2)');
    // Data only the cache holds is read from it: the view shows it.
    expect((await browse('?path=/cached.txt')).fileData).toBe('inside');
  });

  it('webui_metrics adds up the counters every process records', async () => {
    // A namespace of its own: the other tests' commands add real counters to the shared one. This process's own
    // counters (the in-process reads of the tests above) go to the next namespace released: to the shared one first.
    await (await openFileSystem(confOf(home), () => {})).release();
    const fresh = makeHome();
    const conf = confOf(fresh);
    const store = await openStore(conf.get('alluxio.master.journal.folder'));
    try {
      await store.addMetrics(
        new Map([
          ['Cluster.BytesReadLocal', 3 * 1024 * 1024],
          [`Cluster.BytesReadUfs.UFS:${fresh.ufs}`, 2048],
          [`Cluster.BytesReadUfs.UFS:s3://gone/`, 1024],
          [`Cluster.BytesWrittenUfs.UFS:${fresh.ufs}/`, 10],
          [`Master.UfsOpListStatus.UFS:${fresh.ufs}`, 7],
          ['Master.FilesCreated', 4],
          ['Master.CreateFileOps', 5],
          ['Cluster.CacheHits', 1],
          ['Cluster.CacheMisses', 2],
        ]),
      );
    } finally {
      await store.close();
    }
    const own = await serve(fresh);
    const json = async (path: string) => (await fetch(own.base + path)).json();
    const body = await json('/api/v1/master/webui_metrics');
    expect(body).toMatchObject({
      totalBytesReadLocal: '3072.00KB',
      totalBytesReadUfs: '3072B',
      totalBytesWrittenUfs: '10B',
      totalBytesReadRemote: '0B',
      cacheHitLocal: '33.33',
      cacheHitRemote: '0.00',
      cacheMiss: '66.67',
      ufsOps: {[fresh.ufs]: {ListStatus: 7}},
      operationMetrics: {FilesCreated: {count: 4}, FilesPinned: {value: 0}},
      rpcInvocationMetrics: {CreateFileOps: {count: 5}},
      journalLastCheckpointTime: 'N/A',
    });
    expect(body.ufsReadSize[fresh.ufs]).toBe('2048B');
    expect(body.ufsWriteSize[fresh.ufs]).toBe('10B');
    expect(body.ufsReadSize['s3://gone/']).toBeUndefined();
    // Throughputs count what was added since this master started: nothing yet.
    expect([body.totalBytesReadLocalThroughput, body.totalBytesReadUfsThroughput, body.totalBytesWrittenUfsThroughput]).toEqual(['0B', '0B', '0B']);
    const later = await openStore(conf.get('alluxio.master.journal.folder'));
    try {
      await later.addMetrics(new Map([['Cluster.BytesReadLocal', 3 * 1024 * 1024], [`Cluster.BytesWrittenUfs.UFS:${fresh.ufs}/`, 1000]]));
    } finally {
      await later.close();
    }
    const after = await json('/api/v1/master/webui_metrics');
    await own.server.close();
    expect([after.totalBytesReadLocal, after.totalBytesWrittenUfs, after.totalBytesReadUfsThroughput]).toEqual(['6.00MB', '1010B', '0B']);
    // Added over 2 minutes of uptime: about half per minute (not the totals since format)
    expect(after.totalBytesReadLocalThroughput).toMatch(/^14\d\d\.\d\dKB$/);
    expect(after.totalBytesWrittenUfsThroughput).toMatch(/^4\d\dB$/);
    const again = await serve(fresh);
    expect((await (await fetch(again.base + '/api/v1/master/info')).json()).metrics).toMatchObject({'Master.FilesCreated': 4, 'Cluster.CacheHits': 1});
    await again.server.close();
  });

  it('as a user who may not read a folder: Alluxio\'s access error in the answer', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/private']));
    expectSuccess(await home.run(['fs', 'chmod', '700', '/private']));
    const visitor = await serve(home, {'alluxio.security.login.username': 'visitor'});
    try {
      const r = await fetch(`${visitor.base}/api/v1/master/webui_browse?path=/private`);
      const b = (await r.json()) as WebUiBrowse;
      expect(b.accessControlException).toMatch(/^Error: File \/private cannot be accessed .*Permission denied/);
      expect(b.fileInfos).toBeNull();
    } finally {
      await visitor.server.close();
    }
  });

  it('with alluxio.web.file.info.enabled=false browse, data and logs are empty objects; CORS headers when enabled', async () => {
    const other = await serve(home, {'alluxio.web.file.info.enabled': 'false', 'alluxio.web.cors.enabled': 'true'});
    try {
      for (const endpoint of ['webui_browse', 'webui_data', 'webui_logs']) {
        const r = await fetch(`${other.base}/api/v1/master/${endpoint}?path=/big.txt`);
        expect(await r.json(), endpoint).toEqual({});
        expect(r.headers.get('access-control-allow-origin')).toBe('*');
        expect(r.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      }
      expect((await fetch(`${base}/api/v1/master/webui_init`)).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.server.close();
    }
  });
});

describe('the web server against slow and foreign clients', () => {
  it('HEAD of a download answers from the status: the data is never opened', async () => {
    const home = makeHome();
    mkdirSync(home.ufs, {recursive: true});
    writeFileSync(join(home.ufs, 'data.bin'), Buffer.alloc(3 * 2 ** 20, 7));
    const conf = confOf(home);
    let opens = 0;
    const source = createWebUiSource({
      conf,
      log: openMasterLog(conf),
      jobs,
      startedAt: 0,
      address: () => ({host: '127.0.0.1', port: 1}),
      openFs: async () => {
        const fs = await openFileSystem(conf, () => {});
        const open = fs.open.bind(fs);
        fs.open = (...args) => {
          opens++;
          return open(...args);
        };
        return fs;
      },
    });
    const app = Fastify();
    registerApiRoutes(app, source, source.context);
    const url = `/api/v1/paths/${encodeURIComponent('/data.bin')}/download-file/`;
    for (let i = 0; i < 5; i++) {
      const head = await app.inject({method: 'HEAD', url});
      expect([head.statusCode, head.headers['content-length'], head.body]).toEqual([200, String(3 * 2 ** 20), '']);
    }
    expect(opens).toBe(0);
    const r = await app.inject({method: 'GET', url});
    expect([r.statusCode, r.rawPayload.length, opens]).toEqual([200, 3 * 2 ** 20, 1]);
    await app.close();
  });

  it('close() cuts a download a slow client reads, after a short drain', async () => {
    const home = makeHome();
    // Sparse: far more than the socket buffers hold, so the answer is in flight while the client does not read.
    mkdirSync(home.ufs, {recursive: true});
    writeFileSync(join(home.ufs, 'huge.bin'), '');
    truncateSync(join(home.ufs, 'huge.bin'), 256 * 2 ** 20);
    const {server, base} = await serve(home);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${base}/api/v1/paths/${encodeURIComponent('/huge.bin')}/download-file/`, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });
    response.on('error', () => {});
    const started = Date.now();
    const closed = await Promise.race([server.close().then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 8_000))]);
    const elapsed = Date.now() - started;
    response.destroy();
    expect(closed).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(1_500);
    expect(elapsed).toBeLessThan(5_000);
  }, 15_000);

  it('bound to loopback it answers only its own names (DNS rebinding); bound to all addresses, any name', async () => {
    const home = makeHome();
    const {server, base} = await serve(home, {'alluxio.master.web.hostname': 'alluxio-web.example', 'alluxio.master.hostname': 'master.example'});
    try {
      for (const host of ['localhost', '127.0.0.1', '[::1]', 'LOCALHOST.', hostname(), 'alluxio-web.example', 'master.example']) {
        for (const hostHeader of [host, `${host}:${server.port}`, `${host}:80`]) {
          expect((await getAs(base, '/api/v1/master/webui_init', hostHeader)).status, hostHeader).toBe(200);
        }
      }
      for (const hostHeader of ['attacker.example', `attacker.example:${server.port}`, 'localhost.attacker.example', '127.0.0.1.nip.io', '[::2]']) {
        for (const path of ['/api/v1/master/webui_browse', '/overview', `/api/v1/paths/%2Fx/download-file/`]) {
          const r = await getAs(base, path, hostHeader);
          expect(r.status, hostHeader).toBe(403);
          expect(JSON.parse(r.text), hostHeader).toEqual({
            statusCode: 'PERMISSION_DENIED',
            message: expect.stringMatching(/^Host ".*" is not allowed: .*set alluxio\.master\.web\.hostname/),
          });
        }
      }
    } finally {
      await server.close();
    }
    const open = await serve(home, {'alluxio.master.web.bind.host': '0.0.0.0'});
    try {
      expect((await getAs(`http://127.0.0.1:${open.server.port}`, '/api/v1/master/webui_init', 'attacker.example')).status).toBe(200);
    } finally {
      await open.server.close();
    }
  });
});

describe('API errors', () => {
  it('a bug is INTERNAL with a generic message; its stack goes to master.log only', async () => {
    const lines: string[] = [];
    const log: MasterLog = {file: 'x', info: () => {}, warn: () => {}, error: (_c, m) => lines.push(m)};
    const home = makeHome();
    const conf = confOf(home);
    const real = createWebUiSource({conf, log, jobs, startedAt: 0, address: () => ({host: '127.0.0.1', port: 1})});
    const broken: WebUiSource = {...real, overview: async () => (undefined as unknown as {x: () => never}).x()};
    const app = Fastify();
    registerApiRoutes(app, broken, real.context);
    const r = await app.inject({method: 'GET', url: '/api/v1/master/webui_overview'});
    expect([r.statusCode, r.json()]).toEqual([500, {statusCode: 'INTERNAL', message: 'Internal error of the master: see master.log'}]);
    expect(lines.join('\n')).toMatch(/TypeError[\s\S]*\n\s+at /);
    expect((await app.inject({method: 'GET', url: '/api/v1/master/webui_init'})).statusCode).toBe(200);
    await app.close();
  });
});

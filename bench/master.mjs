#!/usr/bin/env node
// npm run bench:master: the master of `alluxio-start.sh local` against issue 9's targets. Not part of CI.
//   start   wall time of `bin/alluxio-start.sh local` until it returns with the UI answering (median of BENCH_RUNS)
//   rss     the idle master's RSS (VmRSS of the process that listens on the web port)
//   load    autocannon, 50 connections x 10 s, on webui_overview and webui_browse?path=/
//   browse  a radosgw folder of BENCH_OBJECTS (100,000) empty objects mounted at /mnt/big: first page, a deep page
//           (offset 5000), and the master's peak RSS while paging through 20 pages
// A part whose script or endpoint is not there yet is skipped with a note. Prints a table and writes
// bench/results/master.json.
// Env: BENCH_RUNS (5)  BENCH_OBJECTS (100000)  BENCH_LOAD_SECONDS (10)  BENCH_ONLY=start,rss,load,browse (all)
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync} from 'node:fs';
import {Buffer} from 'node:buffer';
import {get as httpGet} from 'node:http';
import {createServer} from 'node:net';
import {cpus, tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {clearInterval, setInterval} from 'node:timers';
import {fileURLToPath} from 'node:url';
import autocannon from 'autocannon';
import {logSize, requestsSince} from './rgw-requests.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'alluxio');
const startScript = join(root, 'bin', 'alluxio-start.sh');
const stopScript = join(root, 'bin', 'alluxio-stop.sh');
const sdk = join(root, 'bench', 'sdk-client.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const objects = Number(process.env.BENCH_OBJECTS ?? 100_000);
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const only = (process.env.BENCH_ONLY ?? 'start,rss,load,browse').split(',');
const MiB = 1024;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'alluxio-master-bench-'));
const home = join(work, 'home');
mkdirSync(join(home, 'conf'), {recursive: true});
const webPort = await freePort();
const site = join(home, 'conf', 'alluxio-site.properties');
writeFileSync(site, [`alluxio.master.web.port=${webPort}`, `alluxio.master.rpc.port=${await freePort()}`, ''].join('\n'));
const env = {...process.env, ALLUXIO_HOME: home, ALLUXIO_CONF_DIR: join(home, 'conf'), AWS_EC2_METADATA_DISABLED: 'true'};
const web = `http://127.0.0.1:${webPort}`;

const results = {
  date: new Date().toISOString(),
  machine: {cpus: cpus().length, node: process.version},
  targets: {startMs: 2000, idleRssMiB: 120, firstPageMs: 1000, pagingRssMiB: 200, loadErrors: 0},
  start: null,
  idleRss: null,
  load: [],
  browse: null,
  skipped: [],
};
const skip = (part, why) => {
  results.skipped.push(`${part}: ${why}`);
  console.error(`skipped ${part}: ${why}`);
};

let masterStarted = false;
let cephDir;
const cleanup = () => {
  if (masterStarted && existsSync(stopScript)) spawnSync('bash', [stopScript, 'local'], {env, stdio: 'ignore'});
  masterStarted = false;
  if (cephDir) spawnSync('bash', [join(root, 'test/servers/ceph-rgw-stop.sh'), cephDir], {stdio: 'ignore'});
  cephDir = undefined;
};
process.on('exit', () => {
  cleanup();
  rmSync(work, {recursive: true, force: true});
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/**
 * One GET on a connection of its own: a kept-alive socket would go stale while a synchronous step (starting
 * radosgw) blocks this process, and its reuse would then fail.
 */
function get(path) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpGet(web + path, {agent: false, timeout: 30_000}, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started}));
      res.on('error', (e) => resolve({status: 0, body: String(e), ms: performance.now() - started}));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (e) => resolve({status: 0, body: String(e), ms: performance.now() - started}));
  });
}

/**
 * The pid of the process listening on the web port, found through /proc (its socket's inode), so that the bench
 * needs neither the pid file's name nor the master's command line.
 */
function masterPid() {
  const hexPort = webPort.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(pid);
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return undefined;
}

/** VmRSS and VmHWM of a process, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {rssMiB: kb('VmRSS') / MiB, hwmMiB: kb('VmHWM') / MiB};
}

function script(path, args) {
  const started = performance.now();
  const r = spawnSync('bash', [path, ...args], {env, encoding: 'utf8', timeout: 120_000});
  return {ms: performance.now() - started, status: r.status, output: `${r.stdout}${r.stderr}`.trim()};
}

/** Waits until the UI answers (webui_init 200); returns the ms waited, or undefined after 30 s. */
async function untilAnswering() {
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    if ((await get('/api/v1/master/webui_init')).status === 200) return performance.now() - started;
    await sleep(20);
  }
  return undefined;
}

console.error(`formatting a home in ${home} (web port ${webPort})...`);
execFileSync(bin, ['format'], {env, stdio: 'ignore'});

// --- start: each run starts a stopped master; the last one stays up for the other parts ---
let up = false;
if (!existsSync(startScript) || !existsSync(stopScript)) {
  skip('start, rss, load, browse', 'bin/alluxio-start.sh or bin/alluxio-stop.sh is not there yet (the master part of issue 9)');
} else {
  const n = only.includes('start') ? runs : 1;
  const samples = [];
  for (let i = 0; i < n; i++) {
    const start = script(startScript, ['local']);
    masterStarted = true;
    if (start.status !== 0) {
      skip('start', `alluxio-start.sh local exited ${start.status}:\n${start.output.split('\n').slice(-15).join('\n')}`);
      break;
    }
    const waitedMs = await untilAnswering();
    if (waitedMs === undefined) {
      skip('start', 'the UI did not answer within 30 s after alluxio-start.sh local returned');
      break;
    }
    samples.push({returnMs: start.ms, answeredMs: start.ms + waitedMs});
    if (i < n - 1) {
      const stop = script(stopScript, ['local']);
      samples[i].stopMs = stop.ms;
      masterStarted = false;
      if (stop.status !== 0) throw new Error(`alluxio-stop.sh local exited ${stop.status}: ${stop.output}`);
    }
    up = true;
  }
  if (only.includes('start') && samples.length === n) {
    results.start = {
      runs: n,
      returnMs: median(samples.map((s) => s.returnMs)),
      answeredMs: median(samples.map((s) => s.answeredMs)),
      stopMs: n > 1 ? median(samples.slice(0, -1).map((s) => s.stopMs)) : null,
      samples,
    };
  }
}

const pid = up ? masterPid() : undefined;
if (up && pid === undefined) skip('rss, browse RSS', `no process of this user listens on port ${webPort}`);

// --- idle RSS ---
if (up && pid !== undefined && only.includes('rss')) {
  // Idle: the start-up jobs (cleanup, the first persistence scan) are done.
  await sleep(5_000);
  results.idleRss = {pid, ...memory(pid)};
}

// --- load ---
if (up && only.includes('load')) {
  for (const path of ['/api/v1/master/webui_overview', '/api/v1/master/webui_browse?path=/']) {
    const probe = await get(path);
    if (probe.status !== 200) {
      skip(`load ${path}`, `the endpoint answers ${probe.status || probe.body} (not merged yet?)`);
      continue;
    }
    console.error(`autocannon 50 x ${loadSeconds} s on ${path}...`);
    const r = await autocannon({url: web + path, connections: 50, duration: loadSeconds});
    results.load.push({
      path,
      requestsPerSecond: r.requests.average,
      requests: r.requests.total,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      rssAfterMiB: pid === undefined ? null : memory(pid).rssMiB,
    });
  }
}

// --- browse of a 100,000-object folder ---
if (up && only.includes('browse')) {
  const probe = await get('/api/v1/master/webui_browse?path=/');
  if (probe.status !== 200) skip('browse', `webui_browse answers ${probe.status || probe.body} (not merged yet?)`);
  else await browseBigFolder();
}

async function browseBigFolder() {
  const ports = {RGW_PORT: await freePort(), RGW_STS_PORT: await freePort(), MON_PORT_V2: await freePort(), MON_PORT_V1: await freePort()};
  cephDir = join(work, 'ceph');
  console.error('starting radosgw...');
  const started = execFileSync('bash', [join(root, 'test/servers/ceph-rgw-start.sh'), cephDir], {
    env: {...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), STS: '0'},
    encoding: 'utf8',
  });
  const s3 = Object.fromEntries(started.trim().split('\n').filter((l) => l.includes('=')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  const s3Env = {...env, AWS_ACCESS_KEY_ID: s3.S3_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: s3.S3_SECRET_KEY, AWS_DEFAULT_REGION: 'us-east-1', S3_ENDPOINT: s3.S3_ENDPOINT};
  const bucket = 'bench-big';
  execFileSync('/usr/bin/aws', ['--endpoint-url', s3.S3_ENDPOINT, 's3', 'mb', `s3://${bucket}`], {env: s3Env, stdio: 'ignore'});
  console.error(`creating ${objects} empty objects...`);
  const fillStarted = performance.now();
  execFileSync(process.execPath, [sdk, 'fill', bucket, 'many/', String(objects)], {env: s3Env, stdio: ['ignore', 'ignore', 'inherit']});
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  // Made by the CLI while the master runs: the master sees the mount through the shared metastore.
  execFileSync(bin, ['fs', 'mkdir', '/mnt'], {env, stdio: 'ignore'});
  execFileSync(bin, [
    'fs', 'mount', '--readonly',
    '--option', `alluxio.underfs.s3.endpoint=${s3.S3_ENDPOINT}`,
    '--option', 'alluxio.underfs.s3.disable.dns.buckets=true',
    '--option', `s3a.accessKeyId=${s3.S3_ACCESS_KEY}`,
    '--option', `s3a.secretKey=${s3.S3_SECRET_KEY}`,
    '/mnt/big', `s3://${bucket}/many`,
  ], {env, stdio: 'ignore'});

  const page = async (offset) => {
    const from = logSize(s3.RGW_LOG);
    const r = await get(`/api/v1/master/webui_browse?path=/mnt/big&offset=${offset}&limit=20`);
    if (r.status !== 200) throw new Error(`webui_browse offset ${offset}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
    const json = JSON.parse(r.body);
    const names = (json.fileInfos ?? []).map((f) => f.name);
    const expected = `f${String(offset).padStart(6, '0')}`;
    if (names.length !== 20 || names[0] !== expected) {
      throw new Error(`webui_browse offset ${offset}: ${names.length} entries from ${names[0]} (expected 20 from ${expected}); fatalError: ${json.fatalError}`);
    }
    // Counted after the timing: the count itself sends a marker request and reads the gateway's log.
    const requests = requestsSince(s3.RGW_LOG, s3.S3_ENDPOINT, from);
    return {ms: r.ms, ntotalFile: json.ntotalFile, ntotalFileKnown: json.ntotalFileKnown, requests: requests.total, gets: requests.byMethod.GET ?? 0};
  };
  const first = [];
  const deep = [];
  for (let i = 0; i < 3; i++) {
    first.push(await page(0));
    deep.push(await page(5000));
  }
  // Paging through 20 pages as a user clicks "next", the master's RSS sampled every 10 ms.
  let peak = pid === undefined ? NaN : memory(pid).rssMiB;
  const sampler = pid === undefined ? undefined : setInterval(() => (peak = Math.max(peak, memory(pid).rssMiB)), 10);
  const pagingStarted = performance.now();
  const pages = [];
  for (let p = 0; p < 20; p++) pages.push(await page(p * 20));
  const pagingMs = performance.now() - pagingStarted;
  clearInterval(sampler);
  if (pid !== undefined) peak = Math.max(peak, memory(pid).rssMiB);
  results.browse = {
    objects,
    fillSeconds,
    firstPageMs: median(first.map((x) => x.ms)),
    firstPageRequests: median(first.map((x) => x.requests)),
    firstPageGets: median(first.map((x) => x.gets)),
    firstPageTotal: first[0].ntotalFile,
    firstPageTotalKnown: first[0].ntotalFileKnown ?? null,
    deepPageMs: median(deep.map((x) => x.ms)),
    deepPageRequests: median(deep.map((x) => x.requests)),
    deepPageGets: median(deep.map((x) => x.gets)),
    twentyPagesMs: pagingMs,
    pageMedianMs: median(pages.map((x) => x.ms)),
    pagingPeakRssMiB: peak,
    masterHwmMiB: pid === undefined ? null : memory(pid).hwmMiB,
  };
}

cleanup();

// --- report ---
const t = results.targets;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
const rows = [];
if (results.start) {
  rows.push([`alluxio-start.sh local returns (median of ${results.start.runs})`, `${results.start.returnMs.toFixed(0)} ms`, `< ${t.startMs} ms`, verdict(results.start.answeredMs < t.startMs)]);
  rows.push(['... and the UI answers', `${results.start.answeredMs.toFixed(0)} ms`, '', '']);
  if (results.start.stopMs !== null) rows.push(['alluxio-stop.sh local', `${results.start.stopMs.toFixed(0)} ms`, '', '']);
}
if (results.idleRss) rows.push(['idle master RSS', `${results.idleRss.rssMiB.toFixed(1)} MiB`, `< ${t.idleRssMiB} MiB`, verdict(results.idleRss.rssMiB < t.idleRssMiB)]);
for (const l of results.load) {
  const errors = l.errors + l.timeouts + l.non2xx;
  rows.push([`${l.path}: 50 connections x ${loadSeconds} s`, `${l.requestsPerSecond.toFixed(0)} req/s, p99 ${l.p99Ms} ms, ${errors} errors`, 'no errors', verdict(errors === 0)]);
}
if (results.browse) {
  const b = results.browse;
  rows.push([`browse ${b.objects} objects: first page (median of 3)`, `${b.firstPageMs.toFixed(0)} ms, ${b.firstPageRequests} S3 requests (${b.firstPageGets} GET)`, `< ${t.firstPageMs} ms`, verdict(b.firstPageMs < t.firstPageMs)]);
  rows.push(['browse: page at offset 5000 (median of 3)', `${b.deepPageMs.toFixed(0)} ms, ${b.deepPageRequests} S3 requests (${b.deepPageGets} GET)`, '', '']);
  rows.push(['browse: 20 pages one after the other', `${b.twentyPagesMs.toFixed(0)} ms (median page ${b.pageMedianMs.toFixed(0)} ms)`, '', '']);
  rows.push(['browse: master RSS peak while paging', `${b.pagingPeakRssMiB.toFixed(1)} MiB`, `< ${t.pagingRssMiB} MiB`, verdict(b.pagingPeakRssMiB < t.pagingRssMiB)]);
  rows.push(['browse: ntotalFile on the first page', `${b.firstPageTotal}${b.firstPageTotalKnown === false ? ' (seen so far)' : ''}`, '', '']);
}
console.log(`\n## The master (${results.machine.cpus} CPUs, Node ${results.machine.node})`);
console.log('| measure | value | target | |');
console.log('| --- | ---: | ---: | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
for (const s of results.skipped) console.log(`\nskipped ${s}`);
mkdirSync(join(root, 'bench', 'results'), {recursive: true});
writeFileSync(join(root, 'bench', 'results', 'master.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\n(written to bench/results/master.json)`);

#!/usr/bin/env node
// node bench/master-start.mjs: how long `bin/alluxio-start.sh local` takes to return with the web UI answering,
// how long `bin/alluxio-stop.sh local` takes, and the idle master's RSS. Medians of BENCH_RUNS runs (default 10),
// in a fresh home on a free loopback port. Not part of CI.
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.env.BENCH_RUNS ?? 10);

const home = mkdtempSync(join(tmpdir(), 'alluxio-bench-master-'));
mkdirSync(join(home, 'conf'));
const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const {port} = server.address();
    server.close(() => resolve(port));
  });
});
writeFileSync(join(home, 'conf', 'alluxio-site.properties'), `alluxio.master.web.port=${port}\n`, {mode: 0o600});
const env = {...process.env, ALLUXIO_HOME: home, ALLUXIO_CONF_DIR: join(home, 'conf'), AWS_EC2_METADATA_DISABLED: 'true'};

function timed(script) {
  const started = process.hrtime.bigint();
  const result = spawnSync(join(root, 'bin', script), ['local'], {env, stdio: ['ignore', 'ignore', 'pipe']});
  if (result.status !== 0) throw new Error(`${script} local failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const status = (url) =>
  new Promise((resolve, reject) => http.get(url, {agent: false}, (r) => (r.resume(), resolve(r.statusCode))).on('error', reject));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const start = [];
const stop = [];
const rss = [];
try {
  for (let i = 0; i < runs; i++) {
    start.push(timed('alluxio-start.sh'));
    // start returned: the UI must answer at once, with no wait.
    await status(`http://127.0.0.1:${port}/api/v1/master/info`);
    const {pid} = JSON.parse(readFileSync(join(home, 'master.pid'), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rss.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
    stop.push(timed('alluxio-stop.sh'));
  }
} finally {
  spawnSync(join(root, 'bin', 'alluxio-stop.sh'), ['local'], {env, stdio: 'ignore'});
  rmSync(home, {recursive: true, force: true});
}
console.log(`## Master lifecycle (median of ${runs} runs)`);
console.log('| case | median | max |');
console.log('| --- | ---: | ---: |');
console.log(`| alluxio-start.sh local, UI answering | ${median(start).toFixed(0)} ms | ${Math.max(...start).toFixed(0)} ms |`);
console.log(`| alluxio-stop.sh local | ${median(stop).toFixed(0)} ms | ${Math.max(...stop).toFixed(0)} ms |`);
console.log(`| idle master RSS (1 s after start) | ${median(rss).toFixed(0)} MiB | ${Math.max(...rss).toFixed(0)} MiB |`);

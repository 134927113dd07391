#!/usr/bin/env node
// npm run bench:s3: the S3 rows of the benchmark: our CLI against the raw SDK, aws-cli and rclone on one local
// radosgw started here (memstore raised to 6 GiB), medians of interleaved runs. Wall time, client CPU seconds
// and peak RSS come from /usr/bin/time for every client alike; the requests each run sent are counted in the
// gateway's access log. Not part of CI.
//
// Env: BENCH_RUNS (3)  BENCH_MIB (1024)  BENCH_OBJECTS (100000)  BENCH_SMALL_FILES (1000)
//      BENCH_TREE_OBJECTS (100000) in BENCH_TREE_FOLDERS (100) for du -s / count / ls -R
//      BENCH_CHECKSUM_MIB (1024)  BENCH_IO_THREADS (4) and BENCH_IO_MIB (256) for runUfsIOTest
//      BENCH_ONLY=upload,download,list,small,cp,meta,tree,checksum,iotest (all)  BENCH_LATENCY_MS (0): when > 0
//      every client talks to radosgw through bench/latency-proxy.mjs, which delays each direction by that many ms.
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startLatencyProxy} from './latency-proxy.mjs';
import {logSize as rgwLogSize, requestsSince as rgwRequestsSince} from './rgw-requests.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'alluxio');
const sdk = join(root, 'bench', 'sdk-client.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizeMiB = Number(process.env.BENCH_MIB ?? 1024);
const listCount = Number(process.env.BENCH_OBJECTS ?? 100_000);
const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? 1000);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
const mode = latencyMs > 0 ? `+${latencyMs} ms each way (latency proxy)` : 'no added latency';
// BENCH_ONLY=upload,download,list runs some sections only.
const only = (process.env.BENCH_ONLY ?? 'upload,download,list,small,cp,meta,tree,checksum,iotest').split(',');
const treeObjects = Number(process.env.BENCH_TREE_OBJECTS ?? 100_000);
const treeFolders = Number(process.env.BENCH_TREE_FOLDERS ?? 100);
const checksumMiB = Number(process.env.BENCH_CHECKSUM_MIB ?? 1024);
const ioThreads = Number(process.env.BENCH_IO_THREADS ?? 4);
const ioMiB = Number(process.env.BENCH_IO_MIB ?? 256);
const work = mkdtempSync(join(tmpdir(), 'alluxio-s3-bench-'));

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });

const ports = {RGW_PORT: await freePort(), RGW_STS_PORT: await freePort(), MON_PORT_V2: await freePort(), MON_PORT_V1: await freePort()};
const cephDir = join(work, 'ceph');
let proxy;
let stopped = false;
const stop = () => {
  proxy?.stop();
  if (stopped) return;
  stopped = true;
  spawnSync('bash', [join(root, 'test/servers/ceph-rgw-stop.sh'), cephDir], {stdio: 'ignore'});
};
// Also on a failure part way: the cluster's pid files live in `work`, so it is stopped before that is removed.
process.on('exit', () => {
  stop();
  rmSync(work, {recursive: true, force: true});
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
console.error('starting radosgw...');
const started = execFileSync('bash', [join(root, 'test/servers/ceph-rgw-start.sh'), cephDir], {
  env: {...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), STS: '0', MEMSTORE_BYTES: String(6 * 2 ** 30)},
  encoding: 'utf8',
});
const s3 = Object.fromEntries(started.trim().split('\n').filter((l) => l.includes('=')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
// The endpoint every timed client uses; setup and cleanup go straight to the gateway.
let endpoint = s3.S3_ENDPOINT;
if (latencyMs > 0) {
  proxy = await startLatencyProxy({target: `127.0.0.1:${ports.RGW_PORT}`, delayMs: latencyMs});
  endpoint = proxy.url;
  console.error(`latency proxy on ${endpoint}: +${latencyMs} ms each way`);
}

const home = join(work, 'home');
mkdirSync(join(home, 'conf'), {recursive: true});
// A CA bundle set for the machine makes rclone refuse its plain-HTTP transport; nothing here uses TLS.
const machineEnv = {...process.env};
delete machineEnv.AWS_CA_BUNDLE;
const env = {
  ...machineEnv,
  ALLUXIO_HOME: home,
  ALLUXIO_CONF_DIR: join(home, 'conf'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: s3.S3_ACCESS_KEY,
  AWS_SECRET_ACCESS_KEY: s3.S3_SECRET_KEY,
  AWS_DEFAULT_REGION: 'us-east-1',
  S3_ENDPOINT: endpoint,
  RCLONE_CONFIG_RGW_TYPE: 's3',
  RCLONE_CONFIG_RGW_PROVIDER: 'Ceph',
  RCLONE_CONFIG_RGW_ENDPOINT: endpoint,
  RCLONE_CONFIG_RGW_ACCESS_KEY_ID: s3.S3_ACCESS_KEY,
  RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY: s3.S3_SECRET_KEY,
};
const directEnv = {...env, S3_ENDPOINT: s3.S3_ENDPOINT, RCLONE_CONFIG_RGW_ENDPOINT: s3.S3_ENDPOINT};
const bucket = 'bench';
/** Setup and cleanup (not timed, not counted), straight to the gateway. */
const run = (cmd, args) => execFileSync(cmd, args, {env: directEnv, stdio: ['ignore', 'ignore', 'pipe']});
const aws = (...args) => ['/usr/bin/aws', ['--endpoint-url', endpoint, ...args]];
const awsDirect = (...args) => ['/usr/bin/aws', ['--endpoint-url', s3.S3_ENDPOINT, ...args]];
run(...awsDirect('s3', 'mb', `s3://${bucket}`));
writeFileSync(
  join(home, 'conf', 'alluxio-site.properties'),
  [`alluxio.underfs.s3.endpoint=${endpoint}`, 'alluxio.underfs.s3.disable.dns.buckets=true', ''].join('\n'),
);
run(bin, ['format']);
run(bin, ['fs', 'mount', '/s3', `s3://${bucket}/`]);

// --- request counting (bench/rgw-requests.mjs) ---
const logSize = () => rgwLogSize(s3.RGW_LOG);
const requestsSince = (offset) => rgwRequestsSince(s3.RGW_LOG, s3.S3_ENDPOINT, offset);

/** Runs one client under /usr/bin/time: wall s, CPU s, peak RSS MiB, requests sent (and its stdout if `capture`). */
function timed(cmd, args, extraEnv = {}, {capture = false} = {}) {
  const offset = logSize();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], {
    env: {...env, ...extraEnv},
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-800)}`);
  const [wall, user, sys, rssKb] = last.split(' ').map(Number);
  const requests = requestsSince(offset);
  // BENCH_SHOW_REQUESTS=1 lists every counted request on stderr (to check the counts by hand).
  if (process.env.BENCH_SHOW_REQUESTS === '1') console.error(`${[cmd, ...args].join(' ')}: ${requests.total} requests\n  ${requests.lines.slice(0, 40).join('\n  ')}${requests.total > 40 ? '\n  ...' : ''}`);
  return {wall, cpu: user + sys, rssMiB: rssKb / 1024, requests, stdout: r.stdout};
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a, b) => (b === undefined || !(b > 0) ? '–' : (a / b).toFixed(2));
const fmt = (x, digits) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));

/**
 * Runs every case `runs` times, interleaved, and prints one markdown table. A case is
 * {name, cmd: [cmd, args] | (id) => [cmd, args], env?, group?, after?(id)}; `id` is unique per invocation
 * (a fresh destination each time). Ratios compare with the raw SDK and the rclone rows of the same group.
 * Options: bytes (MiB/s column), files (files/s and requests/file columns), after(case, id) (cleanup, untimed).
 */
function table(title, cases, {bytes, files, after, vs}) {
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, j) => {
      const id = `${j}-${i}`;
      const cmd = typeof c.cmd === 'function' ? c.cmd(id) : c.cmd;
      samples[j].push(timed(...cmd, c.env));
      c.after?.(id);
      after?.(c, id);
    });
  }
  const rows = cases.map((c, j) => {
    const reqs = samples[j].map((s) => s.requests.total);
    const methods = {};
    for (const s of samples[j]) for (const [m, n] of Object.entries(s.requests.byMethod)) (methods[m] ??= []).push(n);
    return {
      name: c.name,
      group: c.group,
      wall: median(samples[j].map((s) => s.wall)),
      cpu: median(samples[j].map((s) => s.cpu)),
      rss: Math.max(...samples[j].map((s) => s.rssMiB)),
      requests: median(reqs),
      requestRange: Math.min(...reqs) === Math.max(...reqs) ? '' : ` (${Math.min(...reqs)}–${Math.max(...reqs)})`,
      // medians per method over the runs (a method missing from a run counts 0 there)
      methods: Object.entries(methods)
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([m, ns]) => `${m} ${fmt(median([...ns, ...Array(runs - ns.length).fill(0)]), 1)}`)
        .join(', '),
    };
  });
  const ref = (row, prefix) => rows.find((r) => r.group === row.group && r.name.startsWith(prefix));
  console.log(`\n## ${title}, ${mode} (median of ${runs} interleaved runs)`);
  const head = ['client', 'wall s'];
  if (bytes) head.push('MiB/s');
  if (files) head.push('files/s');
  head.push('requests');
  if (files) head.push('requests / file');
  head.push('client CPU s', 'peak RSS MiB', 'wall / raw SDK', 'CPU / raw SDK', 'wall / rclone', 'CPU / rclone');
  // vs: the name of one more row to compare every row's wall time with
  if (vs) head.push(`wall / ${vs}`);
  head.push('requests by method');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| --- | ${head.slice(1, -1).map(() => '---:').join(' | ')} | --- |`);
  for (const r of rows) {
    const sdkRow = ref(r, 'raw SDK');
    const rcloneRow = ref(r, 'rclone');
    const cells = [r.name, r.wall.toFixed(2)];
    if (bytes) cells.push((bytes / 2 ** 20 / r.wall).toFixed(0));
    if (files) cells.push((files / r.wall).toFixed(0));
    cells.push(`${fmt(r.requests, 1)}${r.requestRange}`);
    if (files) cells.push((r.requests / files).toFixed(2));
    cells.push(r.cpu.toFixed(2), r.rss.toFixed(0), ratio(r.wall, sdkRow?.wall), ratio(r.cpu, sdkRow?.cpu));
    cells.push(ratio(r.wall, rcloneRow?.wall), ratio(r.cpu, rcloneRow?.cpu));
    if (vs) cells.push(ratio(r.wall, rows.find((row) => row.name === vs)?.wall));
    cells.push(r.methods || '–');
    console.log(`| ${cells.join(' | ')} |`);
  }
}

const alluxio = (props, ...args) => [bin, ['fs', ...props.map((p) => `-D${p}`), ...args]];
const THROUGH = 'alluxio.user.file.writetype.default=THROUGH';
const NO_CACHE = 'alluxio.user.file.readtype.default=NO_CACHE';
const STREAMING = 'alluxio.underfs.s3.streaming.upload.enabled=true';
// radosgw frees the data of deleted multipart objects only at garbage collection (hours later by default):
// collect now, or the memstore fills up after a few 1 GiB uploads.
const collectGarbage = () => run('radosgw-admin', ['-c', join(cephDir, 'ceph.conf'), 'gc', 'process', '--include-all']);

// --- upload ---
if (only.includes('upload') || only.includes('download')) {
  const source = join(work, 'source.bin');
  execFileSync('bash', ['-c', `head -c ${sizeMiB}M /dev/urandom > '${source}'`]);
  const bytes = statSync(source).size;
  const key = 'data/object.bin';
  const removeObject = () => {
    run(...awsDirect('s3', 'rm', `s3://${bucket}/${key}`));
    collectGarbage();
  };
  const removeAlluxio = () => {
    spawnSync(bin, ['fs', 'rm', '--alluxioOnly', '/s3/data/object.bin'], {env, stdio: 'ignore'});
    removeObject();
  };
  if (only.includes('upload')) table(`Upload ${sizeMiB} MiB`, [
    {name: 'raw SDK (lib-storage 16 MiB x 4)', cmd: [process.execPath, [sdk, 'upload', bucket, key, source]]},
    {name: 'alluxio copyFromLocal, THROUGH', cmd: alluxio([THROUGH], 'copyFromLocal', source, '/s3/data/object.bin')},
    {name: 'alluxio copyFromLocal, THROUGH, streaming', cmd: alluxio([THROUGH, STREAMING], 'copyFromLocal', source, '/s3/data/object.bin')},
    {name: 'alluxio copyFromLocal, defaults (ASYNC_THROUGH)', cmd: alluxio([], 'copyFromLocal', source, '/s3/data/object.bin')},
    {name: 'aws s3 cp', cmd: aws('s3', 'cp', '--only-show-errors', source, `s3://${bucket}/${key}`)},
    {name: 'rclone copyto', cmd: ['rclone', ['copyto', source, `rgw:${bucket}/${key}`]]},
  ], {bytes, after: (c) => (c.name.startsWith('alluxio') ? removeAlluxio() : removeObject())});

  // --- download ---
  if (only.includes('download')) {
    run(process.execPath, [sdk, 'upload', bucket, key, source]);
    const out = join(work, 'out.bin');
    table(`Download ${sizeMiB} MiB`, [
      {name: 'raw SDK (one GetObject stream)', cmd: [process.execPath, [sdk, 'download', bucket, key, out]]},
      {name: 'alluxio copyToLocal, NO_CACHE', cmd: alluxio([NO_CACHE], 'copyToLocal', '/s3/data/object.bin', out)},
      {name: 'aws s3 cp', cmd: aws('s3', 'cp', '--only-show-errors', `s3://${bucket}/${key}`, out)},
      {name: 'rclone copyto', cmd: ['rclone', ['copyto', `rgw:${bucket}/${key}`, out]]},
    ], {bytes, after: () => rmSync(out, {force: true})});
    removeObject();
  }
  rmSync(source, {force: true});
}

// --- list ---
if (only.includes('list')) {
  console.error(`creating ${listCount} objects...`);
  const listBucket = 'bench-list';
  run(...awsDirect('s3', 'mb', `s3://${listBucket}`));
  run(process.execPath, [sdk, 'fill', listBucket, 'many/', String(listCount)]);
  run(bin, ['fs', 'mount', '--readonly', '/ro', `s3://${listBucket}/many`]);
  table(`List ${listCount} objects under one prefix`, [
    {name: 'raw SDK (paged ListObjectsV2)', cmd: [process.execPath, [sdk, 'list', listBucket, 'many/']]},
    {name: 'alluxio fs ls -R (readonly mount)', cmd: alluxio([], 'ls', '-R', '/ro')},
    {name: 'aws s3 ls --recursive', cmd: aws('s3', 'ls', '--recursive', `s3://${listBucket}/many/`)},
    {name: 'rclone lsf -R', cmd: ['rclone', ['lsf', '-R', `rgw:${listBucket}/many/`]]},
  ], {});
}

// --- small files ---
if (only.includes('small')) {
  const fileKiB = 64;
  const dir = join(work, 'small');
  mkdirSync(dir);
  for (let i = 0; i < smallFiles; i++) writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.bin`), randomBytes(fileKiB * 1024));
  // aws-cli reads its concurrency from the config file only; the defaults row gets an empty one, so that a
  // config on the machine cannot change it.
  const awsConf32 = join(work, 'aws-32.conf');
  writeFileSync(awsConf32, '[default]\ns3 =\n  max_concurrent_requests = 32\n');
  const awsConfDefault = join(work, 'aws-default.conf');
  writeFileSync(awsConfDefault, '[default]\n');
  // Every run copies into a fresh, empty prefix; afterwards the objects are counted (all there, all complete,
  // ASYNC_THROUGH included) and deleted, and our Alluxio-side entries and cached blocks removed.
  const prefix = (id) => `small/${id}`;
  const after = (c, id) => {
    // (our CLI also writes a zero-byte folder marker, "small/<id>/": only keys not ending in / are counted)
    const [count, total] = execFileSync(process.execPath, [sdk, 'count', bucket, `${prefix(id)}/`], {env: directEnv, encoding: 'utf8'}).trim().split(' ').map(Number);
    if (count !== smallFiles || total !== smallFiles * fileKiB * 1024) {
      throw new Error(`${c.name}: ${count} objects, ${total} bytes under ${prefix(id)}/; expected ${smallFiles}, ${smallFiles * fileKiB * 1024}`);
    }
    if (c.name.startsWith('alluxio')) run(bin, ['fs', 'rm', '-R', '--alluxioOnly', `/s3/${prefix(id)}`]);
    run(process.execPath, [sdk, 'rmprefix', bucket, `${prefix(id)}/`]);
  };
  const files = smallFiles;
  const what = `Copy a folder of ${smallFiles} x ${fileKiB} KiB files`;
  table(`${what}, equal concurrency (32)`, [
    {name: 'raw SDK (32 PutObject in flight)', cmd: (id) => [process.execPath, [sdk, 'putdir', bucket, `${prefix(id)}/`, dir, '32']]},
    {name: 'alluxio copyFromLocal --thread 32, THROUGH', cmd: (id) => alluxio([THROUGH], 'copyFromLocal', '--thread', '32', dir, `/s3/${prefix(id)}`)},
    {name: 'aws s3 cp --recursive (max_concurrent_requests 32)', env: {AWS_CONFIG_FILE: awsConf32},
      cmd: (id) => aws('s3', 'cp', '--recursive', '--only-show-errors', dir, `s3://${bucket}/${prefix(id)}/`)},
    {name: 'rclone copy --transfers 32', cmd: (id) => ['rclone', ['copy', '--transfers', '32', dir, `rgw:${bucket}/${prefix(id)}`]]},
  ], {files, after});
  table(`${what}, each tool's defaults`, [
    {name: 'raw SDK (10 PutObject in flight, as aws-cli)', cmd: (id) => [process.execPath, [sdk, 'putdir', bucket, `${prefix(id)}/`, dir, '10']]},
    {name: 'alluxio copyFromLocal, defaults (ASYNC_THROUGH)', cmd: (id) => alluxio([], 'copyFromLocal', dir, `/s3/${prefix(id)}`)},
    {name: 'alluxio copyFromLocal, THROUGH', cmd: (id) => alluxio([THROUGH], 'copyFromLocal', dir, `/s3/${prefix(id)}`)},
    {name: 'aws s3 cp --recursive (defaults: 10)', env: {AWS_CONFIG_FILE: awsConfDefault},
      cmd: (id) => aws('s3', 'cp', '--recursive', '--only-show-errors', dir, `s3://${bucket}/${prefix(id)}/`)},
    {name: 'rclone copy (defaults: --transfers 4)', cmd: (id) => ['rclone', ['copy', dir, `rgw:${bucket}/${prefix(id)}`]]},
  ], {files, after});
  rmSync(dir, {recursive: true, force: true});
}

// --- copy between two S3 mounts (on the server) ---
if (only.includes('cp')) {
  const fileKiB = 64;
  // The source: smallFiles objects of 64 KiB under cp-src/ of a bucket of its own (the bench bucket is mounted
  // whole at /s3, and mounts may not overlap), mounted at /cpsrc; copies go below cp-dst/ (/cpdst).
  const bucket = 'bench-cp';
  run(...awsDirect('s3', 'mb', `s3://${bucket}`));
  run(process.execPath, [sdk, 'fill', bucket, 'cp-src/', String(smallFiles), String(fileKiB * 1024)]);
  run(...awsDirect('s3api', 'put-object', '--bucket', bucket, '--key', 'cp-dst/'));
  run(bin, ['fs', 'mount', '/cpsrc', `s3://${bucket}/cp-src`]);
  run(bin, ['fs', 'mount', '/cpdst', `s3://${bucket}/cp-dst`]);
  const awsConf32 = join(work, 'aws-cp-32.conf');
  writeFileSync(awsConf32, '[default]\ns3 =\n  max_concurrent_requests = 32\n');
  const prefix = (id) => `cp-dst/${id}`;
  const after = (c, id) => {
    const [count, total] = execFileSync(process.execPath, [sdk, 'count', bucket, `${prefix(id)}/`], {env: directEnv, encoding: 'utf8'}).trim().split(' ').map(Number);
    if (count !== smallFiles || total !== smallFiles * fileKiB * 1024) {
      throw new Error(`${c.name}: ${count} objects, ${total} bytes under ${prefix(id)}/; expected ${smallFiles}, ${smallFiles * fileKiB * 1024}`);
    }
    if (c.name.startsWith('alluxio')) run(bin, ['fs', 'rm', '-R', '--alluxioOnly', `/cpdst/${id}`]);
    run(process.execPath, [sdk, 'rmprefix', bucket, `${prefix(id)}/`]);
  };
  table(`Copy a folder of ${smallFiles} x ${fileKiB} KiB objects between two S3 mounts of one bucket (server-side), equal concurrency (32)`, [
    {name: 'raw SDK (paged listing, 32 CopyObject in flight)', cmd: (id) => [process.execPath, [sdk, 'copyprefix', bucket, 'cp-src/', `${prefix(id)}/`, '32']]},
    {name: 'alluxio fs cp -R --thread 32', cmd: (id) => alluxio([], 'cp', '-R', '--thread', '32', '/cpsrc', `/cpdst/${id}`)},
    {name: 'aws s3 cp --recursive s3:// s3:// (max_concurrent_requests 32)', env: {AWS_CONFIG_FILE: awsConf32},
      cmd: (id) => aws('s3', 'cp', '--recursive', '--only-show-errors', `s3://${bucket}/cp-src/`, `s3://${bucket}/${prefix(id)}/`)},
    {name: 'rclone copy --transfers 32 (one remote)', cmd: (id) => ['rclone', ['copy', '--transfers', '32', `rgw:${bucket}/cp-src`, `rgw:${bucket}/${prefix(id)}`]]},
  ], {files: smallFiles, after});
  run(process.execPath, [sdk, 'rmprefix', bucket, 'cp-src/']);
}

// --- metadata and small reads ---
if (only.includes('meta')) {
  const one = 'meta/one.bin';
  const local = join(work, 'one.bin');
  writeFileSync(local, randomBytes(64 * 1024));
  run(...awsDirect('s3', 'cp', '--only-show-errors', local, `s3://${bucket}/${one}`));
  run(process.execPath, [sdk, 'fill', bucket, 'meta/dir/', '100', '1024']);
  const uri = `s3://${bucket}/${one}`;
  // Our cat rows start with nothing cached, except the warm one, which reads what the CACHE row just cached.
  const free = () => run(bin, ['fs', 'free', `/s3/${one}`]);
  table('Metadata and small reads: one 64 KiB object, a folder of 100 x 1 KiB objects (whole processes)', [
    {group: 'floor', name: 'floor: node -e 0', cmd: [process.execPath, ['-e', '0']]},
    {group: 'floor', name: 'floor: alluxio version', cmd: [bin, ['version']]},
    {group: 'stat', name: 'raw SDK HeadObject (stat)', cmd: [process.execPath, [sdk, 'head', bucket, one]]},
    {group: 'stat', name: 'alluxio fs stat', cmd: alluxio([], 'stat', `/s3/${one}`)},
    {group: 'stat', name: 'aws s3api head-object', cmd: aws('s3api', 'head-object', '--bucket', bucket, '--key', one)},
    {group: 'stat', name: 'rclone lsl (one object)', cmd: ['rclone', ['lsl', `rgw:${bucket}/${one}`]]},
    {group: 'cat', name: 'raw SDK GetObject (cat)', cmd: [process.execPath, [sdk, 'cat', bucket, one]]},
    {group: 'cat', name: 'alluxio fs cat, defaults (CACHE), nothing cached', cmd: alluxio([], 'cat', `/s3/${one}`)},
    {group: 'cat', name: 'alluxio fs cat, defaults, cached by the row above', cmd: alluxio([], 'cat', `/s3/${one}`), after: free},
    {group: 'cat', name: 'alluxio fs cat, NO_CACHE, nothing cached', cmd: alluxio([NO_CACHE], 'cat', `/s3/${one}`)},
    {group: 'cat', name: 'aws s3 cp … - (cat)', cmd: aws('s3', 'cp', '--only-show-errors', uri, '-')},
    {group: 'cat', name: 'rclone cat', cmd: ['rclone', ['cat', `rgw:${bucket}/${one}`]]},
    {group: 'ls', name: 'raw SDK ListObjectsV2 (ls 100)', cmd: [process.execPath, [sdk, 'list', bucket, 'meta/dir/']]},
    {group: 'ls', name: 'alluxio fs ls (100)', cmd: alluxio([], 'ls', '/s3/meta/dir')},
    {group: 'ls', name: 'aws s3 ls (100)', cmd: aws('s3', 'ls', `s3://${bucket}/meta/dir/`)},
    {group: 'ls', name: 'rclone lsl (100)', cmd: ['rclone', ['lsl', `rgw:${bucket}/meta/dir`]]},
  ], {});
}

// --- du -s and count against ls -R of one tree ---
/** `fs du -s` and `fs count` sum one recursive listing: as fast as `fs ls -R` of the same tree, same requests. */
function treeSummaries() {
  const treeBucket = 'bench-tree';
  console.error(`creating ${treeObjects} objects in ${treeFolders} folders...`);
  const start = Date.now();
  run(...awsDirect('s3', 'mb', `s3://${treeBucket}`));
  run(process.execPath, [sdk, 'filltree', treeBucket, 'tree/', String(treeObjects), String(treeFolders)]);
  console.error(`created in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  run(bin, ['fs', 'mount', '--readonly', '/tree', `s3://${treeBucket}/tree`]);
  table(`du -s and count of ${treeObjects} objects in ${treeFolders} folders, against ls -R of the same tree`, [
    {name: 'alluxio fs ls -R', cmd: alluxio([], 'ls', '-R', '/tree')},
    {name: 'alluxio fs du -s', cmd: alluxio([], 'du', '-s', '/tree')},
    {name: 'alluxio fs count', cmd: alluxio([], 'count', '/tree')},
    {name: 'raw SDK (paged ListObjectsV2, no delimiter)', cmd: [process.execPath, [sdk, 'list', treeBucket, 'tree/']]},
  ], {vs: 'alluxio fs ls -R'});
  run(bin, ['fs', 'unmount', '/tree']);
}

// --- checksum of one large object ---
/** `fs checksum` streams the object through MD5: its time and peak RSS against aws-cli piped into md5sum. */
function checksumLarge() {
  const source = join(work, 'checksum.bin');
  execFileSync('bash', ['-c', `head -c ${checksumMiB}M /dev/urandom > '${source}'`]);
  const key = 'checksum/object.bin';
  run(process.execPath, [sdk, 'upload', bucket, key, source]);
  rmSync(source, {force: true});
  const uri = `s3://${bucket}/${key}`;
  const free = () => run(bin, ['fs', 'free', `/s3/${key}`]);
  table(`MD5 of one ${checksumMiB} MiB object`, [
    {name: 'raw SDK GetObject, piped to md5sum', cmd: ['bash', ['-c', `'${process.execPath}' '${sdk}' cat ${bucket} ${key} | md5sum`]]},
    {name: 'alluxio fs checksum, NO_CACHE', cmd: alluxio([NO_CACHE], 'checksum', `/s3/${key}`)},
    {name: 'alluxio fs checksum, defaults (CACHE: also fills the cache)', cmd: alluxio([], 'checksum', `/s3/${key}`), after: free},
    {name: 'aws s3 cp … -, piped to md5sum', cmd: ['bash', ['-c', `/usr/bin/aws --endpoint-url ${endpoint} s3 cp --only-show-errors ${uri} - | md5sum`]]},
    {name: 'rclone md5sum --download', cmd: ['rclone', ['md5sum', '--download', `rgw:${bucket}/${key}`]]},
  ], {bytes: checksumMiB * 2 ** 20, vs: 'aws s3 cp … -, piped to md5sum'});
  run(...awsDirect('s3', 'rm', uri));
  collectGarbage();
}

// --- runUfsIOTest against the raw SDK ---
/**
 * `runUfsIOTest --threads N --io-size M` against the SDK writing and reading the same objects the same way
 * (bench/sdk-client.mjs iotest): both report their aggregate write and read throughput; medians of interleaved runs.
 */
function ioTest() {
  const ioTestCase = (label, conf) => ({
    name: `alluxio runUfsIOTest --threads ${ioThreads} --io-size ${ioMiB}m${label}`,
    cmd: [bin, ['runUfsIOTest', '--path', `s3://${bucket}/iotest`, '--threads', String(ioThreads), '--io-size', `${ioMiB}m`, ...conf]],
    speeds: (out) => {
      const summary = JSON.parse(out);
      if (summary.errors.length > 0) throw new Error(`runUfsIOTest: ${summary.errors[0]}`);
      return {write: summary.writeSpeedStat.mAggregateSpeedMbps, read: summary.readSpeedStat.mAggregateSpeedMbps};
    },
  });
  const cases = [
    // Alluxio's default: each file goes to a local temp file first, uploaded when it is closed.
    ioTestCase('', []),
    ioTestCase(' --conf …streaming.upload.enabled=true', ['--conf', `${STREAMING}`]),
    {
      name: `raw SDK (${ioThreads} lib-storage uploads of 16 MiB x 4, ${ioThreads} GetObject streams)`,
      cmd: [process.execPath, [sdk, 'iotest', bucket, 'iotest/', String(ioThreads), String(ioMiB)]],
      speeds: (out) => {
        const {writeMiBps, readMiBps} = JSON.parse(out);
        return {write: writeMiBps, read: readMiBps};
      },
    },
  ];
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, j) => {
      const t = timed(...c.cmd, {}, {capture: true});
      samples[j].push({...t, ...c.speeds(t.stdout)});
      collectGarbage();
    });
  }
  const rows = cases.map((c, j) => ({
    name: c.name,
    write: median(samples[j].map((s) => s.write)),
    read: median(samples[j].map((s) => s.read)),
    wall: median(samples[j].map((s) => s.wall)),
    cpu: median(samples[j].map((s) => s.cpu)),
    rss: Math.max(...samples[j].map((s) => s.rssMiB)),
    requests: median(samples[j].map((s) => s.requests.total)),
  }));
  const raw = rows.at(-1);
  console.log(`\n## ${ioThreads} threads writing then reading ${ioMiB} MiB each, ${mode} (median of ${runs} interleaved runs)`);
  console.log('| client | write MiB/s (all threads) | read MiB/s (all threads) | wall s (whole process) | client CPU s | peak RSS MiB | requests | write / raw SDK | read / raw SDK |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${[r.name, r.write.toFixed(0), r.read.toFixed(0), r.wall.toFixed(2), r.cpu.toFixed(2), r.rss.toFixed(0), fmt(r.requests, 1), ratio(r.write, raw.write), ratio(r.read, raw.read)].join(' | ')} |`);
  }
}

if (only.includes('tree')) treeSummaries();
if (only.includes('checksum')) checksumLarge();
if (only.includes('iotest')) ioTest();

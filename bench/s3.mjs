#!/usr/bin/env node
// npm run bench:s3: the S3 rows of the benchmark: our CLI against the raw SDK, aws-cli and rclone on one local
// radosgw started here (memstore raised to 6 GiB), medians of interleaved runs. Wall time, client CPU seconds
// and peak RSS come from /usr/bin/time for every client alike. Not part of CI.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'alluxio');
const sdk = join(root, 'bench', 'sdk-client.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizeMiB = Number(process.env.BENCH_MIB ?? 1024);
const listCount = Number(process.env.BENCH_OBJECTS ?? 100_000);
// BENCH_ONLY=upload,download,list runs some sections only.
const only = (process.env.BENCH_ONLY ?? 'upload,download,list').split(',');
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
console.error('starting radosgw...');
const started = execFileSync('bash', [join(root, 'test/servers/ceph-rgw-start.sh'), cephDir], {
  env: {...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), STS: '0', MEMSTORE_BYTES: String(6 * 2 ** 30)},
  encoding: 'utf8',
});
const s3 = Object.fromEntries(started.trim().split('\n').filter((l) => l.includes('=')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  spawnSync('bash', [join(root, 'test/servers/ceph-rgw-stop.sh'), cephDir], {stdio: 'ignore'});
};
// Also on a failure part way: the cluster's pid files live in `work`, so this runs before it is removed.
process.on('exit', stop);

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
  S3_ENDPOINT: s3.S3_ENDPOINT,
  RCLONE_CONFIG_RGW_TYPE: 's3',
  RCLONE_CONFIG_RGW_PROVIDER: 'Ceph',
  RCLONE_CONFIG_RGW_ENDPOINT: s3.S3_ENDPOINT,
  RCLONE_CONFIG_RGW_ACCESS_KEY_ID: s3.S3_ACCESS_KEY,
  RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY: s3.S3_SECRET_KEY,
};
const bucket = 'bench';
const run = (cmd, args) => execFileSync(cmd, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
const aws = (...args) => ['/usr/bin/aws', ['--endpoint-url', s3.S3_ENDPOINT, ...args]];
run(...aws('s3', 'mb', `s3://${bucket}`));
writeFileSync(
  join(home, 'conf', 'alluxio-site.properties'),
  [`alluxio.underfs.s3.endpoint=${s3.S3_ENDPOINT}`, 'alluxio.underfs.s3.disable.dns.buckets=true', ''].join('\n'),
);
run(bin, ['format']);
run(bin, ['fs', 'mount', '/s3', `s3://${bucket}/`]);

/** Runs one client under /usr/bin/time: wall s, CPU s, peak RSS MiB. */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], {env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']});
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-800)}`);
  const [wall, user, sys, rssKb] = last.split(' ').map(Number);
  return {wall, cpu: user + sys, rssMiB: rssKb / 1024};
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(title, cases, {bytes, after}) {
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, j) => {
      samples[j].push(timed(...c.cmd));
      after?.(c);
    });
  }
  const rows = cases.map((c, j) => ({
    name: c.name,
    wall: median(samples[j].map((s) => s.wall)),
    cpu: median(samples[j].map((s) => s.cpu)),
    rss: Math.max(...samples[j].map((s) => s.rssMiB)),
  }));
  const sdkRow = rows.find((r) => r.name.startsWith('raw SDK')) ?? rows[0];
  console.log(`\n## ${title} (median of ${runs} interleaved runs)`);
  console.log(`| client | wall s | ${bytes ? 'MiB/s | ' : ''}client CPU s | peak RSS MiB | wall / raw SDK | CPU / raw SDK |`);
  console.log(`| --- | ---: | ${bytes ? '---: | ' : ''}---: | ---: | ---: | ---: |`);
  for (const r of rows) {
    const rate = bytes ? `${(bytes / 2 ** 20 / r.wall).toFixed(0)} | ` : '';
    console.log(`| ${r.name} | ${r.wall.toFixed(2)} | ${rate}${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${(r.wall / sdkRow.wall).toFixed(2)} | ${(r.cpu / sdkRow.cpu).toFixed(2)} |`);
  }
}

// --- upload ---
const source = join(work, 'source.bin');
execFileSync('bash', ['-c', `head -c ${sizeMiB}M /dev/urandom > '${source}'`]);
const bytes = statSync(source).size;
const key = 'data/object.bin';
// radosgw frees the data of deleted multipart objects only at garbage collection (hours later by default):
// collect now, or the memstore fills up after a few 1 GiB uploads.
const collectGarbage = () => run('radosgw-admin', ['-c', join(cephDir, 'ceph.conf'), 'gc', 'process', '--include-all']);
const removeObject = () => {
  run(...aws('s3', 'rm', `s3://${bucket}/${key}`));
  collectGarbage();
};
const removeAlluxio = () => {
  spawnSync(bin, ['fs', 'rm', '/s3/data/object.bin'], {env, stdio: 'ignore'});
  removeObject();
};
const alluxio = (props, ...args) => [bin, ['fs', ...props.map((p) => `-D${p}`), ...args]];
const THROUGH = 'alluxio.user.file.writetype.default=THROUGH';
const NO_CACHE = 'alluxio.user.file.readtype.default=NO_CACHE';
const STREAMING = 'alluxio.underfs.s3.streaming.upload.enabled=true';
if (only.includes('upload')) table(`Upload ${sizeMiB} MiB`, [
  {name: 'raw SDK (lib-storage 16 MiB x 4)', cmd: [process.execPath, [sdk, 'upload', bucket, key, source]]},
  {name: 'alluxio copyFromLocal, THROUGH', cmd: alluxio([THROUGH], 'copyFromLocal', source, '/s3/data/object.bin')},
  {name: 'alluxio copyFromLocal, THROUGH, streaming', cmd: alluxio([THROUGH, STREAMING], 'copyFromLocal', source, '/s3/data/object.bin')},
  {name: 'alluxio copyFromLocal, defaults (ASYNC_THROUGH)', cmd: alluxio([], 'copyFromLocal', source, '/s3/data/object.bin')},
  {name: 'aws s3 cp', cmd: aws('s3', 'cp', '--only-show-errors', source, `s3://${bucket}/${key}`)},
  {name: 'rclone copyto', cmd: ['rclone', ['copyto', source, `rgw:${bucket}/${key}`]]},
], {bytes, after: (c) => (c.name.startsWith('alluxio') ? removeAlluxio() : removeObject())});

// --- download ---
run(process.execPath, [sdk, 'upload', bucket, key, source]);
const out = join(work, 'out.bin');
if (only.includes('download')) table(`Download ${sizeMiB} MiB`, [
  {name: 'raw SDK (one GetObject stream)', cmd: [process.execPath, [sdk, 'download', bucket, key, out]]},
  {name: 'alluxio copyToLocal, NO_CACHE', cmd: alluxio([NO_CACHE], 'copyToLocal', '/s3/data/object.bin', out)},
  {name: 'aws s3 cp', cmd: aws('s3', 'cp', '--only-show-errors', `s3://${bucket}/${key}`, out)},
  {name: 'rclone copyto', cmd: ['rclone', ['copyto', `rgw:${bucket}/${key}`, out]]},
], {bytes, after: () => rmSync(out, {force: true})});
removeObject();

// --- list ---
if (only.includes('list')) {
  console.error(`creating ${listCount} objects...`);
  const listBucket = 'bench-list';
  run(...aws('s3', 'mb', `s3://${listBucket}`));
  run(process.execPath, [sdk, 'fill', listBucket, 'many/', String(listCount)]);
  run(bin, ['fs', 'mount', '--readonly', '/ro', `s3://${listBucket}/many`]);
  table(`List ${listCount} objects under one prefix`, [
    {name: 'raw SDK (paged ListObjectsV2)', cmd: [process.execPath, [sdk, 'list', listBucket, 'many/']]},
    {name: 'alluxio fs ls -R (readonly mount)', cmd: alluxio([], 'ls', '-R', '/ro')},
    {name: 'aws s3 ls --recursive', cmd: aws('s3', 'ls', '--recursive', `s3://${listBucket}/many/`)},
    {name: 'rclone lsf -R', cmd: ['rclone', ['lsf', '-R', `rgw:${listBucket}/many/`]]},
  ], {});
}
stop();
rmSync(work, {recursive: true, force: true});

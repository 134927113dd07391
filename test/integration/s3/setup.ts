/**
 * vitest globalSetup of the `s3` project: one throw-away Ceph cluster (monitor, memstore OSD, radosgw and an STS
 * radosgw) for the whole run, on free loopback ports, in a fresh temp dir. Tests read it with s3Env() from
 * test/helpers/s3-env.ts (vitest provide/inject under the key 's3'). Another project may list this file as its
 * globalSetup too: the cluster is shared, not started twice.
 *
 * The cluster is stopped (by the pid files of test/servers/ceph-rgw-start.sh and by the process group the script
 * ran in; never by process name):
 *   - by the teardown this setup returns (normal end, failed tests, Ctrl-C: vitest runs teardowns on close);
 *   - by a process 'exit' hook, if vitest exits without running teardowns;
 *   - by a detached watchdog that polls this process and runs the stop script once it is gone (SIGKILL, OOM).
 * A failed start stops whatever it had started before this setup throws; the temp dir is kept for its logs.
 * Missing Ceph binaries are an error, never a skip.
 *
 * Beside it, s3rver (test/servers/s3rver.mjs: a second, independent S3 implementation) on a free loopback port with
 * its data in a temp dir: stopped and its dir removed by the same teardown, and ended with this process in any case
 * (it stops when its stdin, a pipe from this process, closes).
 *
 * Env knobs: MEMSTORE_BYTES (OSD capacity, default 1 GiB), CMD_TIMEOUT (s, per admin command in the start
 * script, default 60), S3_TEST_KEEP_CEPH_DIR=1 (stop gracefully and keep the temp dir with its logs).
 */
import {execFile, execFileSync, spawn} from 'node:child_process';
import {accessSync, constants, existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import type {TestProject} from 'vitest/node';

import type {S3Env} from '../../helpers/s3-env.js';
import {startServerChild} from '../../helpers/server-child.js';

const SERVERS = fileURLToPath(new URL('../../servers/', import.meta.url));
const START = path.join(SERVERS, 'ceph-rgw-start.sh');
const S3RVER = path.join(SERVERS, 's3rver.mjs');
const STOP = path.join(SERVERS, 'ceph-rgw-stop.sh');
const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'monmaptool', 'curl'];
const INSTALL_HINT =
  'Run .ci/run (it installs them, then runs the tests), or install the Debian packages yourself:\n' +
  '  sudo apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl tinyproxy awscli s3cmd';
const START_TIMEOUT_MS = 180_000;

function onPath(bin: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

/** n distinct free ports on 127.0.0.1 (all held open together, so they differ, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, {env, timeout: START_TIMEOUT_MS, maxBuffer: 16 << 20}, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({code, stdout: String(stdout), stderr: String(stderr)});
    });
  });
}

/**
 * Runs the start script as the leader of a new process group: the daemons it starts stay in that group, so the
 * group id reaches all of them (and a hung admin command) at once. Killed with its group after START_TIMEOUT_MS.
 */
function startScript(dir: string, env: NodeJS.ProcessEnv): {pgid: number; done: Promise<RunResult>} {
  const child = spawn(START, [dir], {env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const pgid = child.pid!;
  const done = new Promise<RunResult>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pgid, 'SIGTERM');
      setTimeout(() => killGroup(pgid, 'SIGKILL'), 5000).unref();
    }, START_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({code: 127, stdout, stderr: `${stderr}${String(err)}`});
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `\n(killed after ${START_TIMEOUT_MS / 1000} s)` : signal ? `\n(killed by ${signal})` : '';
      resolve({code: code ?? 1, stdout, stderr: stderr + note});
    });
  });
  return {pgid, done};
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(none)';
  }
}

/** Did the start fail because another process took one of our ports after freePorts() released it? */
function portClash(dir: string, stderr: string): boolean {
  const re = /already taken|Address already in use/i;
  if (re.test(stderr)) return true;
  try {
    return readdirSync(path.join(dir, 'log')).some((f) => re.test(readFileSync(path.join(dir, 'log', f), 'utf8')));
  } catch {
    return false;
  }
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function need(vars: Record<string, string>, key: string): string {
  const v = vars[key];
  if (v === undefined || v === '') throw new Error(`ceph-rgw-start.sh did not report ${key}`);
  return v;
}

/**
 * Stops the cluster in `dir` (process group `pgid`) when this process goes away without a teardown: an 'exit'
 * hook (synchronous) and a detached watchdog (for SIGKILL). disarm() removes both; stopNow() stops at once.
 */
function guard(dir: string, pgid: number, keep: boolean): {disarm(): void; stopNow(): Promise<void>} {
  let done = false;
  const args = keep ? [dir, '--keep'] : [dir];
  const onExit = (): void => {
    if (done) return;
    done = true;
    killGroup(pgid, 'SIGTERM');
    try {
      execFileSync(STOP, args, {stdio: 'ignore', timeout: 60_000});
    } catch {
      // best effort at exit
    }
  };
  process.on('exit', onExit);
  const watchdog = spawn(
    'bash',
    [
      '-c',
      'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -TERM -- "-$2" 2>/dev/null; exec "$3" "$4"',
      'ceph-watchdog',
      String(process.pid),
      String(pgid),
      STOP,
      dir,
    ],
    {detached: true, stdio: 'ignore'},
  );
  watchdog.unref();
  const disarm = (): void => {
    process.off('exit', onExit);
    try {
      if (watchdog.pid) process.kill(watchdog.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return {
    disarm,
    async stopNow() {
      if (done) return;
      done = true;
      disarm();
      const r = await run(STOP, args, process.env);
      if (r.code !== 0) console.error(`[s3] ceph-rgw-stop.sh ${dir} exited ${r.code}: ${r.stderr}`);
    },
  };
}

interface Cluster {
  env: S3Env;
  stop(): Promise<void>;
}

interface Server<E> {
  env: E;
  stop(): Promise<void>;
}

async function startCluster(): Promise<Server<Omit<S3Env, 's3rver'>>> {
  const missing = BINARIES.filter((b) => !onPath(b));
  if (missing.length > 0) {
    throw new Error(
      `The S3 integration tests need a local Ceph radosgw, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} ` +
        `not installed (PATH=${process.env.PATH}).\n${INSTALL_HINT}`,
    );
  }

  const keep = process.env.S3_TEST_KEEP_CEPH_DIR === '1';
  const t0 = performance.now();
  let dir = '';
  let cluster: ReturnType<typeof guard> | undefined;
  // Another process may take a port between freePorts() and the daemons' bind: then try again with new ports.
  for (let attempt = 1; !cluster; attempt++) {
    const [rgw, sts, mon2, mon1] = await freePorts(4);
    dir = await mkdtemp(path.join(os.tmpdir(), 'alluxio-s3-ceph-'));
    const start = startScript(dir, {
      ...process.env,
      RGW_PORT: String(rgw),
      RGW_STS_PORT: String(sts),
      MON_PORT_V2: String(mon2),
      MON_PORT_V1: String(mon1),
      STS: '1',
    });
    const g = guard(dir, start.pgid, keep);
    const result = await start.done;
    if (result.code === 0) {
      cluster = g;
      break;
    }
    // The script's ERR trap has stopped what it had started (unless it was killed); make sure of it.
    g.disarm();
    killGroup(start.pgid, 'SIGTERM');
    const clash = portClash(dir, result.stderr);
    try {
      execFileSync(STOP, clash && attempt < 3 ? [dir] : [dir, '--keep'], {stdio: 'ignore', timeout: 60_000});
    } catch {
      // best effort
    }
    if (!clash || attempt >= 3) {
      throw new Error(
        `Could not start the Ceph radosgw test cluster (ceph-rgw-start.sh exited ${result.code}).\n` +
          `stderr:\n${result.stderr.trim()}\n` +
          `--- ${dir}/log/setup.log (tail) ---\n${tail(path.join(dir, 'log/setup.log'))}\n` +
          `Logs of every daemon are kept in ${dir}/log.`,
      );
    }
    console.warn(`[s3 setup] a port was taken meanwhile; retrying with other ports (${attempt}/3)`);
  }
  const seconds = (performance.now() - t0) / 1000;

  try {
    const vars = parseEnvFile(readFileSync(path.join(dir, 'env'), 'utf8'));
    const env: Omit<S3Env, 's3rver'> = {
      endpoint: need(vars, 'S3_ENDPOINT'),
      region: 'us-east-1',
      accessKey: need(vars, 'S3_ACCESS_KEY'),
      secretKey: need(vars, 'S3_SECRET_KEY'),
      userId: need(vars, 'S3_USER_ID'),
      userName: need(vars, 'S3_USER_NAME'),
      accessKey2: need(vars, 'S3_ACCESS_KEY2'),
      secretKey2: need(vars, 'S3_SECRET_KEY2'),
      user2Id: need(vars, 'S3_USER2_ID'),
      user2Name: need(vars, 'S3_USER2_NAME'),
      stsEndpoint: need(vars, 'S3_STS_ENDPOINT'),
      roleArn: need(vars, 'S3_ROLE_ARN'),
      cephDir: need(vars, 'CEPH_DIR'),
      cephConf: need(vars, 'CEPH_CONF'),
      rgwLog: need(vars, 'RGW_LOG'),
      rgwStsLog: need(vars, 'RGW_STS_LOG'),
      startSeconds: Number(need(vars, 'START_SECONDS')),
    };
    console.log(`[s3 setup] radosgw ${env.endpoint}, STS ${env.stsEndpoint}: ready in ${seconds.toFixed(1)} s (${dir})`);
    return {
      env,
      async stop() {
        await cluster.stopNow();
        if (keep) console.log(`[s3 teardown] cluster stopped; its files are kept in ${dir}`);
        else if (existsSync(dir)) console.error(`[s3 teardown] ${dir} was not removed`);
      },
    };
  } catch (err) {
    await cluster.stopNow();
    throw err;
  }
}

/** s3rver in a child process; fails after 30 s without its endpoint line. */
async function startS3rver(): Promise<Server<S3Env['s3rver']>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alluxio-s3-s3rver-'));
  try {
    // s3rver 3.7 makes ListObjectsV2's continuation tokens with DES, which OpenSSL 3 (Node >= 17) keeps in its
    // legacy provider: without it every truncated V2 listing is a 500.
    const {ready: endpoint, stop} = await startServerChild({
      args: ['--openssl-legacy-provider', S3RVER, dir],
      dir,
      readyLine: /^S3RVER_ENDPOINT=(\S+)$/m,
      timeoutMs: 30_000,
      killAfterMs: 5000,
    });
    console.log(`[s3 setup] s3rver ${endpoint} (${dir})`);
    return {env: {endpoint, accessKey: 'S3RVER', secretKey: 'S3RVER', dir}, stop};
  } catch (err) {
    throw new Error(`Could not start s3rver (${S3RVER}): ${(err as Error).message}`);
  }
}

/** Ceph and s3rver, started side by side; one that fails to start stops the other. */
async function startServers(): Promise<Cluster> {
  const [ceph, s3rver] = await Promise.allSettled([startCluster(), startS3rver()]);
  if (ceph.status === 'rejected' || s3rver.status === 'rejected') {
    if (ceph.status === 'fulfilled') await ceph.value.stop();
    if (s3rver.status === 'fulfilled') await s3rver.value.stop();
    throw ceph.status === 'rejected' ? ceph.reason : (s3rver as PromiseRejectedResult).reason;
  }
  return {
    env: {...ceph.value.env, s3rver: s3rver.value.env},
    async stop() {
      await Promise.all([ceph.value.stop(), s3rver.value.stop()]);
    },
  };
}

// One cluster per vitest process even if several projects list this file as their globalSetup (vitest loads it
// once per project): the first setup starts it, the last teardown stops it.
const SHARED = Symbol.for('alluxio-s3.test.ceph-cluster');
interface Shared {
  refs: number;
  cluster: Promise<Cluster>;
}
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[SHARED];
  if (!shared) {
    const fresh: Shared = {refs: 0, cluster: startServers()};
    fresh.cluster.catch(() => {
      if (registry[SHARED] === fresh) delete registry[SHARED];
    });
    registry[SHARED] = shared = fresh;
  }
  shared.refs++;
  let cluster: Cluster;
  try {
    cluster = await shared.cluster;
  } catch (err) {
    shared.refs--;
    throw err;
  }
  project.provide('s3', cluster.env);
  let released = false;
  const mine = shared;
  return async () => {
    if (released) return;
    released = true;
    if (--mine.refs > 0) return;
    if (registry[SHARED] === mine) delete registry[SHARED];
    await cluster.stop();
  };
}

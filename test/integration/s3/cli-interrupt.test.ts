/**
 * `bin/alluxio` interrupted during a multipart upload to radosgw: SIGINT and SIGTERM abort the upload and remove
 * the temporaries before the process dies of the signal, with one line on stderr; a second SIGINT ends it at once,
 * and `fs cleanup --older-than 0` then aborts what it left. The CLI reaches the gateway through a small proxy of
 * this file that freezes the CLI (SIGSTOP) when its first part arrives, so every signal lands mid-upload.
 */
import type {ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {HeadObjectCommand, ListMultipartUploadsCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, collect, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

interface Gate {
  url: string;
  /** Called as each request arrives; true holds it unanswered for good. */
  onRequest?: (method: string, path: string) => boolean | void;
  close(): Promise<void>;
}

/** A forwarding proxy to the gateway that lets a test act on (or hold) each request as it arrives. */
async function startGate(target: string): Promise<Gate> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const gate: Gate = {url: '', close: async () => undefined};
  const server = http.createServer((req, res) => {
    if (gate.onRequest?.(req.method ?? '', req.url ?? '/')) return;
    const out = http.request({host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers}, (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gate.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return gate;
}

const isPart = (method: string, path: string) => method === 'PUT' && /[?&]partNumber=/.test(path) && /[?&]uploadId=/.test(path);
const isAbort = (method: string, path: string) => method === 'DELETE' && /[?&]uploadId=/.test(path);

describe('interrupting a 40 MB upload in 5 MB parts', () => {
  let bucket: string;
  let gate: Gate;
  let home: Home;
  let staging: string;
  let file: string;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-interrupt'));
    await putObjects(bucket, {'data/': ''});
    gate = await startGate(s3Env().endpoint);
    staging = mkdtempSync(join(tmpdir(), 'cli-interrupt-staging-'));
    home = s3Home({
      keys: 1,
      site: {
        'alluxio.underfs.s3.endpoint': gate.url,
        'alluxio.underfs.s3.streaming.upload.enabled': 'true',
        'alluxio.underfs.s3.streaming.upload.partition.size': '5MB',
        'alluxio.underfs.s3.upload.threads.max': '2',
        'alluxio.tmp.dirs': staging,
      },
    });
    home.env.TMPDIR = staging;
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]));
    file = join(home.dir, 'forty-mb.bin');
    writeFileSync(file, randomBytes(40 * 1024 * 1024));
  });

  afterAll(async () => {
    await gate?.close();
    await emptyAndDeleteBucket(bucket);
  });

  async function uploads(): Promise<string[]> {
    const out = await s3Client().send(new ListMultipartUploadsCommand({Bucket: bucket}));
    return (out.Uploads ?? []).map((u) => u.Key!);
  }

  async function objectExists(key: string): Promise<boolean> {
    try {
      await s3Client().send(new HeadObjectCommand({Bucket: bucket, Key: key}));
      return true;
    } catch {
      return false;
    }
  }

  /** Starts copyFromLocal, and resolves with the process frozen once its first part is on its way. */
  async function frozenMidUpload(writeType: string, dst: string): Promise<{child: ChildProcess; result: Promise<RunResult>}> {
    const child = home.start(['fs', `-Dalluxio.user.file.writetype.default=${writeType}`, 'copyFromLocal', file, dst]);
    const partArrived = new Promise<void>((resolve) => {
      gate.onRequest = (method, path) => {
        if (!isPart(method, path)) return;
        gate.onRequest = undefined;
        child.kill('SIGSTOP');
        resolve();
      };
    });
    const result = collect(child, ['copyFromLocal', file, dst], {timeoutMs: 60_000});
    await partArrived;
    expect(await uploads()).toEqual([`data/${dst.split('/').pop()}`]);
    return {child, result};
  }

  function expectEndedBy(r: RunResult, signal: NodeJS.Signals, stderr: string[]): void {
    const d = describeResult(r);
    expect(r.timedOut, d).toBe(false);
    expect(r.signal, d).toBe(signal);
    expect(lines(r.stderr), d).toEqual(stderr);
  }

  const cacheFolder = () => join(home.dir, 'ramdisk', 'alluxioworker');

  it('SIGINT during a THROUGH upload aborts it: no upload, no object, nothing staged', async () => {
    const {child, result} = await frozenMidUpload('THROUGH', '/mnt/s3/through.bin');
    child.kill('SIGINT');
    child.kill('SIGCONT');
    expectEndedBy(await result, 'SIGINT', ['Interrupted: aborted 1 upload']);
    expect(await uploads()).toEqual([]);
    expect(await objectExists('data/through.bin')).toBe(false);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('SIGTERM during a CACHE_THROUGH upload aborts it and drops the cached copy nothing refers to', async () => {
    const {child, result} = await frozenMidUpload('CACHE_THROUGH', '/mnt/s3/cached.bin');
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    expectEndedBy(await result, 'SIGTERM', ['Interrupted: aborted 1 upload, removed 1 temporary file']);
    expect(await uploads()).toEqual([]);
    expect(await objectExists('data/cached.bin')).toBe(false);
    expect(readdirSync(cacheFolder()).sort()).toEqual(['.tmp']);
    expect(readdirSync(join(cacheFolder(), '.tmp'))).toEqual([]);
    expectSuccess(await home.run(['fs', 'ls', '/mnt/s3']), []);
  });

  it('a second SIGINT ends it at once, while the abort hangs; fs cleanup --older-than 0 aborts the upload later', async () => {
    const {child, result} = await frozenMidUpload('THROUGH', '/mnt/s3/twice.bin');
    const abortSent = new Promise<void>((resolve) => {
      gate.onRequest = (method, path) => {
        if (!isAbort(method, path)) return;
        resolve();
        return true;
      };
    });
    child.kill('SIGINT');
    child.kill('SIGCONT');
    await abortSent;
    child.kill('SIGINT');
    expectEndedBy(await result, 'SIGINT', ['Interrupted again: exiting without cleaning up ("alluxio fs cleanup" removes what is left)']);
    gate.onRequest = undefined;
    expect(await uploads()).toEqual(['data/twice.bin']);

    const r = await home.run(['fs', '-Dlog4j.logger.com.amazonaws.request=DEBUG', 'cleanup', '--older-than', '0', '/mnt/s3']);
    expectSuccess(r);
    expect(lines(r.stdout)).toContain(`/mnt/s3: 1 abandoned upload(s) aborted in s3://${bucket}/data`);
    expect(await uploads()).toEqual([]);
    // What the logs name (buckets, keys, whose uploads went) is for their owner only.
    const logs = join(home.dir, 'logs');
    expect(statSync(logs).mode & 0o7777).toBe(0o700);
    expect(statSync(join(logs, 'cleanup.log')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(logs, 'user')).mode & 0o7777).toBe(0o700);
    expect(readdirSync(join(logs, 'user')).map((f) => statSync(join(logs, 'user', f)).mode & 0o7777)).toEqual([0o600]);
  });
});

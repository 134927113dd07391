/**
 * `bin/alluxio` interrupted during a multipart upload to radosgw: SIGINT and SIGTERM abort the upload and remove
 * the temporaries before the process dies of the signal, with one line on stderr; a second SIGINT ends it at once,
 * and `fs cleanup --older-than 0` then aborts what it left. The CLI reaches the gateway through the fault proxy,
 * which freezes the CLI (SIGSTOP) when its first part arrives, so every signal lands mid-upload.
 */
import type {ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {HeadObjectCommand, ListMultipartUploadsCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, collect, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {type FaultProxy, type ProxiedRequest, startFaultProxy} from '../../helpers/fault-proxy.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

const isPart = ({method, path}: ProxiedRequest) => method === 'PUT' && /[?&]partNumber=/.test(path) && /[?&]uploadId=/.test(path);
const isAbort = ({method, path}: ProxiedRequest) => method === 'DELETE' && /[?&]uploadId=/.test(path);

describe('interrupting a 40 MB upload in 5 MB parts', () => {
  let bucket: string;
  let gate: FaultProxy;
  let home: Home;
  let staging: string;
  let file: string;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-interrupt'));
    await putObjects(bucket, {'data/': ''});
    gate = await startFaultProxy(s3Env().endpoint);
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
      gate.onRequest = (request) => {
        if (!isPart(request)) return;
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
    gate.inject({match: isAbort, fault: {stall: true}});
    const abortSent = new Promise<void>((resolve) => {
      gate.onRequest = (request) => {
        if (isAbort(request)) resolve();
      };
    });
    child.kill('SIGINT');
    child.kill('SIGCONT');
    await abortSent;
    child.kill('SIGINT');
    expectEndedBy(await result, 'SIGINT', ['Interrupted again: exiting without cleaning up ("alluxio fs cleanup" removes what is left)']);
    gate.onRequest = undefined;
    gate.heal();
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

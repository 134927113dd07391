/**
 * The master's leader jobs against radosgw, in a process of their own (test/helpers/leader-jobs.ts) next to real
 * CLI processes: a crashed writer's ASYNC_THROUGH file is persisted within seconds; a jobs process killed with
 * SIGKILL in the middle of a multipart persist is restarted, its upload is aborted by the cleanup at start and the
 * file persisted, nothing lost; the metrics of CLI processes add up in the metastore.
 */
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {AbortMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {openStore} from '../../helpers/meta-store.js';
import {parseLsLine} from '../../helpers/alluxio-format.js';
import {type Home, cleanupHomes, collect, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {type FaultProxy, type ProxiedRequest, startFaultProxy} from '../../helpers/fault-proxy.js';
import {type RunningJobs, startLeaderJobsProcess} from '../../helpers/leader-jobs.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {multipartUploads, waitFor} from '../../helpers/s3-fs.js';

guardSecrets();
afterAll(cleanupHomes);

const isPart = ({method, path}: ProxiedRequest) => method === 'PUT' && /[?&]partNumber=/.test(path) && /[?&]uploadId=/.test(path);

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const out = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: key}));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function stateOf(home: Home, path: string): Promise<string> {
  const r = await home.run(['fs', 'ls', '-d', path]);
  expectSuccess(r);
  return parseLsLine(lines(r.stdout)[0]!).state;
}

const masterLog = (home: Home) => readFileSync(join(home.dir, 'logs', 'master.log'), 'utf8');

describe('the leader jobs on an S3 mount', () => {
  let bucket: string;
  let gate: FaultProxy;
  let home: Home;
  const running: RunningJobs[] = [];

  beforeAll(async () => {
    ({bucket} = await freshBucket('master-jobs'));
    await putObjects(bucket, {'data/': ''});
    gate = await startFaultProxy(s3Env().endpoint);
    home = s3Home({
      keys: 1,
      site: {
        'alluxio.underfs.s3.endpoint': gate.url,
        'alluxio.underfs.s3.streaming.upload.enabled': 'true',
        'alluxio.underfs.s3.streaming.upload.partition.size': '5MB',
        'alluxio.underfs.s3.upload.threads.max': '2',
        'alluxio.master.persistence.checker.interval': '200ms',
      },
    });
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]));
  });

  afterAll(async () => {
    for (const jobs of running) jobs.child.kill('SIGKILL');
    await gate?.close();
    await emptyAndDeleteBucket(bucket);
  });

  async function startJobs(env: Record<string, string> = {}): Promise<RunningJobs> {
    const jobs = await startLeaderJobsProcess(home, env);
    running.push(jobs);
    return jobs;
  }

  async function stopJobs(jobs: RunningJobs): Promise<void> {
    jobs.child.kill('SIGTERM');
    expect(await jobs.exited, jobs.output()).toEqual({code: 0, signal: null});
  }

  it("persists within seconds a file whose writer was killed with SIGKILL before it persisted (its lease still runs)", async () => {
    const src = home.mkdir('src');
    writeFileSync(join(src, 'a'), 'persist me');
    // The copy writes "a", then blocks forever opening the FIFO "b".
    execFileSync('mkfifo', [join(src, 'b')]);
    const args = ['fs', 'copyFromLocal', src, '/mnt/s3/dst'];
    const child = home.start(args);
    const done = collect(child, args, {timeoutMs: 30_000});
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor(() => out.includes(`Copied file://${src}/a to /mnt/s3/dst/a`), 15_000, 'the copy of /mnt/s3/dst/a');
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(await stateOf(home, '/mnt/s3/dst/a')).toBe('TO_BE_PERSISTED');

    // Its lease runs for a minute (alluxio.user.file.persistence.lease.duration), but its holder is gone.
    const started = Date.now();
    const jobs = await startJobs();
    await waitFor(async () => (await stateOf(home, '/mnt/s3/dst/a')) === 'PERSISTED', 10_000, '/mnt/s3/dst/a persisted');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await objectBytes(bucket, 'data/dst/a')).toString()).toBe('persist me');
    expect(masterLog(home)).toMatch(/ INFO {2}PersistenceChecker - Persisted \/mnt\/s3\/dst\/a\n/);
    await stopJobs(jobs);
  });

  it('a jobs process killed with SIGKILL mid-persist: restarted, its upload aborted by the cleanup at start, the file persisted', async () => {
    const data = randomBytes(24 * 1024 * 1024);
    const file = join(home.dir, 'big.bin');
    writeFileSync(file, data);
    const first = await startJobs();
    // Parts crawl through the gate, so the persist is surely under way when the first part arrives.
    gate.inject({match: isPart, fault: {delayMs: 3000}, times: Infinity});
    const partArrived = new Promise<void>((resolve) => {
      gate.onRequest = (request) => {
        if (!isPart(request)) return;
        gate.onRequest = undefined;
        first.child.kill('SIGKILL');
        resolve();
      };
    });
    // With a master running here, the command returns once the data is cached and leaves the upload to it.
    const write = await home.run(['fs', 'copyFromLocal', file, '/mnt/s3/big.bin']);
    expectSuccess(write);
    await partArrived;
    expect((await first.exited).signal).toBe('SIGKILL');
    gate.heal();
    expect(await multipartUploads(bucket)).toEqual(['data/big.bin']);
    expect(await stateOf(home, '/mnt/s3/big.bin')).toBe('TO_BE_PERSISTED');
    // An upload outside the mount's prefix is not the mount's to clean.
    const other = await s3Client().send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'other/x'}));

    const second = await startJobs({
      ALLUXIO_JAVA_OPTS: '-Dalluxio.underfs.cleanup.enabled=true -Dalluxio.underfs.s3.intermediate.upload.clean.age=0',
    });
    await waitFor(async () => (await stateOf(home, '/mnt/s3/big.bin')) === 'PERSISTED', 30_000, '/mnt/s3/big.bin persisted');
    expect((await objectBytes(bucket, 'data/big.bin')).equals(data)).toBe(true);
    expect(await multipartUploads(bucket)).toEqual(['other/x']);
    await s3Client().send(new AbortMultipartUploadCommand({Bucket: bucket, Key: 'other/x', UploadId: other.UploadId}));
    const log = masterLog(home);
    expect(log).toContain(`INFO  UfsCleaner - Aborted 1 multipart upload(s) under /mnt/s3 (s3://${bucket}/data)\n`);
    // The cleanup ran first: the persist's own upload came after it.
    expect(log.indexOf('UfsCleaner - Aborted 1')).toBeLessThan(log.indexOf('PersistenceChecker - Persisted /mnt/s3/big.bin'));
    await stopJobs(second);
  });
});

describe('metrics', () => {
  it('the counters of two CLI processes add up in the metastore', async () => {
    const {bucket} = await freshBucket('master-metrics');
    try {
      await putObjects(bucket, {'data/': ''});
      const home = s3Home({keys: 1});
      expectSuccess(await home.run(['fs', 'mount', '/s3', `s3://${bucket}/data`]));
      const file = join(home.dir, 'f.bin');
      writeFileSync(file, randomBytes(1000));
      const [one, two] = await Promise.all([
        home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', file, '/s3/one']),
        home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', file, '/s3/two']),
      ]);
      expectSuccess(one);
      expectSuccess(two);
      expectSuccess(await home.run(['fs', 'cat', '/s3/one']));
      const store = await openStore(home.journal);
      const metrics = await store.readMetrics();
      await store.close();
      const ufs = `s3://${bucket}/data`;
      expect(metrics.get(`Cluster.BytesWrittenUfs.UFS:${ufs}`)).toBe(2000);
      expect(metrics.get(`Master.UfsOpCreate.UFS:${ufs}`)).toBe(2);
      expect(metrics.get('Master.FilesCreated')).toBe(2);
      expect(metrics.get('Master.CreateFileOps')).toBe(2);
      expect(metrics.get('Master.PathsMounted')).toBe(1);
      expect(metrics.get('Cluster.CacheMisses')).toBe(1);
      expect(metrics.get(`Cluster.BytesReadUfs.UFS:${ufs}`)).toBe(1000);
    } finally {
      await emptyAndDeleteBucket(bucket);
    }
  });
});

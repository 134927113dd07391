/**
 * `alluxio runUfsIOTest` on a local folder (facts §5): Alluxio's JSON summary with its field names, our aggregate
 * fields beside them, the test folder removed at the end, on failure and on Ctrl-C, and bad input in one line.
 */
import {readdirSync, watch, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cleanupHomes, collect, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const USAGE = 'runUfsIOTest --path <ufs path> [--io-size <size>] [--threads <n>] [--conf <key=value>]... [--bench-timeout <time>]';
const SPEED_FIELDS = [
  'mTotalDurationSeconds',
  'mTotalSizeBytes',
  'mMaxSpeedMbps',
  'mMinSpeedMbps',
  'mAvgSpeedMbps',
  'mStdDev',
  'mWallDurationSeconds',
  'mAggregateSpeedMbps',
  'className',
];

describe.concurrent('runUfsIOTest on a local folder', () => {
  it("writes and reads --threads files of --io-size, prints Alluxio's summary, and leaves nothing behind", async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    writeFileSync(join(dir, 'kept'), 'x');
    const r = await home.run(['runUfsIOTest', '--path', dir, '--io-size', '3m', '--threads', '3', '--conf', 's3a.secretKey=hush']);
    expectSuccess(r);
    expect(r.stdout).toMatch(/^\{\n {2}"points" : \[ \{\n {4}"mMode" : "WRITE",\n/);
    expect(r.stdout).not.toContain('hush');
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary)).toEqual(['points', 'errors', 'baseParameters', 'parameters', 'readSpeedStat', 'writeSpeedStat', 'className']);
    expect(summary.className).toBe('alluxio.stress.worker.IOTaskSummary');
    expect(summary.errors).toEqual([]);
    expect(summary.points).toHaveLength(6);
    for (const [i, p] of summary.points.entries()) {
      expect(p).toEqual({
        mMode: i < 3 ? 'WRITE' : 'READ',
        mDurationSeconds: expect.any(Number),
        mDataSizeBytes: 3 * 1024 * 1024,
        className: 'alluxio.stress.worker.IOTaskResult$Point',
      });
    }
    expect(summary.parameters).toEqual({mThreads: 3, mDataSize: '3m', mPath: dir, mUseUfsConf: false, mConf: {'s3a.secretKey': '******'}});
    expect(summary.baseParameters).toMatchObject({mCluster: false, mId: 'local-task-0', mBenchTimeout: '20m', mStartMs: -1});
    for (const stat of [summary.readSpeedStat, summary.writeSpeedStat]) {
      expect(Object.keys(stat)).toEqual(SPEED_FIELDS);
      expect(stat.mTotalSizeBytes).toBe(9 * 1024 * 1024);
      expect(stat.mAvgSpeedMbps).toBeGreaterThan(0);
      expect(stat.mMaxSpeedMbps).toBeGreaterThanOrEqual(stat.mMinSpeedMbps);
      // Threads run at once: the aggregate is at least the per-thread average.
      expect(stat.mAggregateSpeedMbps).toBeGreaterThanOrEqual(stat.mAvgSpeedMbps * 0.99);
      expect(stat.mWallDurationSeconds).toBeLessThanOrEqual(stat.mTotalDurationSeconds);
    }
    expect(readdirSync(dir)).toEqual(['kept']);
  });

  it('--json prints the same summary as plain JSON; a missing folder is created and only the test folder removed', async () => {
    const home = makeHome();
    const dir = join(home.dir, 'new', 'dir');
    const r = await home.run(['runUfsIOTest', '--path', `file://${dir}`, '--io-size', '1k', '--threads', '1', '--json']);
    expectSuccess(r);
    const summary = JSON.parse(r.stdout);
    expect(summary.points.map((p: {mMode: string}) => p.mMode)).toEqual(['WRITE', 'READ']);
    expect(summary.parameters.mDataSize).toBe('1k');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses bad sizes, thread counts, timeouts and --conf entries as usage errors', async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    const run = (...args: string[]) => home.run(['runUfsIOTest', '--path', dir, ...args]);
    const [size, negative, threads, timeout, conf, missing] = await Promise.all([
      run('--io-size', '8x'),
      run('--io-size', '-1'),
      run('--threads', '0'),
      run('--bench-timeout', 'soon'),
      run('--conf', 'novalue'),
      home.run(['runUfsIOTest']),
    ]);
    expectUsageError(size, 'Fail to parse 8x to bytes', USAGE);
    expectUsageError(negative, 'Fail to parse -1 to bytes', USAGE);
    expectUsageError(threads, /^Invalid value for --threads: .*greater than or equal to 1/, USAGE);
    expectUsageError(timeout, 'Fail to parse soon to milliseconds', USAGE);
    expectUsageError(conf, 'Invalid --conf novalue: expected key=value', USAGE);
    expectUsageError(missing, 'The following option is required: [--path]', USAGE);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--cluster and its options get one "not supported" line; --use-mount-conf Alluxio\'s text', async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    const run = (...args: string[]) => home.run(['runUfsIOTest', '--path', dir, ...args]);
    const [cluster, limit, javaOpt, mountConf] = await Promise.all([
      run('--cluster'),
      run('--cluster-limit', '2'),
      run('--java-opt', ' -Xmx1g'),
      run('--use-mount-conf'),
    ]);
    expectError(cluster, '--cluster is not supported: runUfsIOTest runs in local mode only', {hint: true});
    expectError(limit, '--cluster-limit is not supported: runUfsIOTest runs in local mode only', {hint: true});
    expectError(javaOpt, '--java-opt is not supported: runUfsIOTest runs in local mode only', {hint: true});
    expectError(mountConf, 'alluxio.stress.cli.UfsIOBench can not use the ufs conf if it is not running in cluster mode');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a store that cannot be written: one line, exit 255, nothing left', async () => {
    const home = makeHome();
    const file = join(home.dir, 'file');
    writeFileSync(file, 'x');
    expectError(await home.run(['runUfsIOTest', '--path', join(file, 'sub'), '--io-size', '1k']), /^Failed to create .*: not a directory$/);
    expectError(await home.run(['runUfsIOTest', '--path', 'relative/dir']), /^Unsupported under file system URI relative\/dir/);
  });

  it('a local folder that cannot be made (below /proc): one line, exit 255, at once', async () => {
    const home = makeHome();
    for (const path of ['/proc/alluxio-x', 'file:///proc/alluxio-x']) {
      const r = await home.run(['runUfsIOTest', '--path', path, '--io-size', '1k'], {timeoutMs: 20_000});
      expectError(r, /^Failed to create the parent directory of \/proc\/alluxio-x\/UfsIOTest-[0-9a-f-]{36}\/io-benchmark-[0-9a-f-]{36}-0: no such file or directory$/, {hint: true});
    }
  });

  it("-h and --help print Alluxio's help of UfsIOBench (description, example, JCommander's option list), exit 0", async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    const [short, long, withPath, viaHelp] = await Promise.all([
      home.run(['runUfsIOTest', '-h']),
      home.run(['runUfsIOTest', '--help']),
      home.run(['runUfsIOTest', '--path', dir, '-h']),
      home.run(['help', 'runUfsIOTest']),
    ]);
    expectSuccess(short);
    for (const r of [long, withPath, viaHelp]) expect(r, describeResult(r)).toMatchObject({code: 0, stdout: short.stdout, stderr: ''});
    const out = lines(short.stdout);
    expect(out[0]).toBe('A benchmarking tool for the I/O between this host and an under storage.');
    expect(out).toContain('$ alluxio runUfsIOTest --path s3://<bucket>/<dir> --io-size 512m --threads 2');
    const usage = out.slice(out.indexOf('Usage: UfsIOBench [options]'));
    expect(usage.slice(0, 5)).toEqual(['Usage: UfsIOBench [options]', '  Options:', '    --bench-timeout', '      Give up after this long.', '      Default: 20m']);
    // Sorted by name, the required one starred, hidden ones (--id, --start-ms ...) left out, as JCommander does.
    const names = usage.filter((l) => /^ {2}[* ] -/.test(l)).map((l) => l.trim());
    expect(names).toEqual([
      '--bench-timeout', '--cluster', '--cluster-limit', '--cluster-start-delay', '--conf', '--debug', '-h, --help', '--io-size',
      '--java-opt', '--json', '--no-color', '* --path', '--profile-agent', '--threads', '--use-mount-conf',
    ]);
    expect(usage).toContain('      Default: 4G');
    for (const line of out) expect(line.length).toBeLessThanOrEqual(line.startsWith('      ') ? 79 : Infinity);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Ctrl-C removes the test folder and ends by the signal', async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    const child = home.start(['runUfsIOTest', '--path', dir, '--io-size', '2g', '--threads', '2']);
    const result = collect(child, ['runUfsIOTest']);
    await new Promise<void>((resolve) => {
      const watcher = watch(dir, () => {
        watcher.close();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(dir)).toHaveLength(1);
    child.kill('SIGINT');
    const r = await result;
    expect(r.signal, describeResult(r)).toBe('SIGINT');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(lines(r.stderr)[0]).toMatch(/^Interrupted: removed \d+ temporary files?$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

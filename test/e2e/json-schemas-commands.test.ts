/**
 * The `--json` output of every command outside `fs`, checked against its committed schema (schemas/*.json) on
 * success, and the one-line error object (schemas/error.json) with its exit code on failure; also the error
 * object where no command's own --json is involved (an unknown command, a command without --json) and the
 * partial results of a multi-path command. The S3 cases (doctor on radosgw, runUfsTests on s3://) are in
 * test/integration/s3/json-schemas-commands.test.ts.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, type RunResult, cleanupHomes, describeResult, makeHome} from '../helpers/cli.js';
import {expectErrorJson, expectSchema} from '../helpers/json-schemas.js';
import {freePort, killMasters, runScript, trackHome} from '../helpers/master.js';

afterAll(cleanupHomes);

/** stdout is one JSON document matching `schema`; exit `code`; nothing on stderr unless `stderr` allows it. */
function expectJson<T = Record<string, unknown>>(r: RunResult, schema: string, code = 0, stderr = ''): T {
  const d = describeResult(r);
  expect(r.code, d).toBe(code);
  expect(r.stderr, d).toBe(stderr);
  const value = JSON.parse(r.stdout) as T;
  expectSchema(schema, value);
  return value;
}

/** The error object alone on stderr, of this kind, nothing on stdout; exit 2 for USAGE, else 255. */
function expectJsonError(r: RunResult, kind: string, message?: string | RegExp): void {
  const d = describeResult(r);
  expect(r.code, d).toBe(kind === 'USAGE' ? 2 : 255);
  expect(r.stdout, d).toBe('');
  const {error} = expectErrorJson(r.stderr);
  expect(error.kind, d).toBe(kind);
  if (typeof message === 'string') expect(error.message, d).toBe(message);
  else if (message) expect(error.message, d).toMatch(message);
}

const BLOCK_SIZE = 'alluxio.user.block.size.bytes.default';
const DURATION_KEY = 'alluxio.master.metastore.postgres.connect.timeout';

describe.concurrent('--json of the commands outside fs', () => {
  it('version', async () => {
    const home = makeHome();
    expect(expectJson(await home.run(['version', '--json']), 'version')).toEqual({version: expect.stringMatching(/^\d+\.\d+\.\d+/)});
    expectJsonError(await home.run(['version', '--bogus', '--json']), 'USAGE', 'Nonexistent flag: --bogus');
    expectJsonError(await home.run(['version', 'extra', '--json']), 'USAGE', 'Unexpected argument: extra');
  });

  it('format and format -s (formatted or skipped)', async () => {
    const home = makeHome();
    const done = expectJson(await home.run(['format', '--json']), 'format');
    expect(done).toMatchObject({formatted: true, journalFolder: home.journal});
    const skipped = expectJson(await home.run(['format', '-s', '--json'], {env: {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: home.mkdir('set-up')}}), 'format');
    expect(skipped).toMatchObject({formatted: false, workerFolders: []});
    expectJsonError(await home.run(['format', 'extra', '--json']), 'USAGE');
    expectJsonError(await home.run(['format', '-Dalluxio.master.metastore=bogus', '--json']), 'CONFIGURATION');
  });

  it('getConf: one key, every key, --source, --unit, an unset key', async () => {
    const home = makeHome();
    const [one, all, source, unit, duration, unset] = await Promise.all([
      home.run(['getConf', BLOCK_SIZE, '--json']),
      home.run(['getConf', '--json']),
      home.run(['getConf', '--source', BLOCK_SIZE, '--json']),
      home.run(['getConf', '--unit', 'kb', BLOCK_SIZE, '--json']),
      home.run(['getConf', '--unit', 'S', DURATION_KEY, '--json']),
      home.run(['getConf', 'alluxio.master.hostname', '--json']),
    ]);
    expect(expectJson(one, 'getConf')).toEqual({key: BLOCK_SIZE, value: '64MB', source: {source: 'DEFAULT'}});
    const list = expectJson<{key: string; source: {source: string; detail?: string}}[]>(all, 'getConf');
    expect(list.find((p) => p.key === 'alluxio.home')?.source).toEqual({source: 'SYSTEM_PROPERTY', detail: 'ALLUXIO_HOME'});
    expect(expectJson(source, 'getConf')).toMatchObject({source: {source: 'DEFAULT'}});
    expect(expectJson(unit, 'getConf')).toEqual({key: BLOCK_SIZE, value: '64MB', source: {source: 'DEFAULT'}, unit: 'KB', valueInUnit: 65536});
    expect(expectJson(duration, 'getConf')).toMatchObject({unit: 'S', valueInUnit: 10});
    expect(expectJson(unset, 'getConf')).toEqual({key: 'alluxio.master.hostname', source: {source: 'DEFAULT'}});
    const [unknownKey, badUnit, wrongType] = await Promise.all([
      home.run(['getConf', 'no.such.key', '--json']),
      home.run(['getConf', '--unit', 'XX', BLOCK_SIZE, '--json']),
      home.run(['getConf', '--unit', 'KB', DURATION_KEY, '--json']),
    ]);
    expectJsonError(unknownKey, 'INVALID_ARGUMENT', 'no.such.key is not a valid configuration key');
    expectJsonError(badUnit, 'USAGE', 'XX is not a valid unit');
    expectJsonError(wrongType, 'USAGE', `KB is not a valid unit for ${DURATION_KEY}`);
  });

  it('runTests: passing, failing (exit = failures, results still on stdout), and its errors', async () => {
    const home = makeHome();
    const passed = expectJson<{passed: number; failed: number}>(await home.run(['runTests', '--readType', 'NO_CACHE', '--operation', 'BASIC', '--json']), 'runTests');
    expect(passed).toMatchObject({passed: 4, failed: 0});
    // A 10-byte cache: MUST_CACHE fails, the other write types fall back to THROUGH with a warning.
    const r = await home.run(['runTests', '--readType', 'CACHE', '-Dalluxio.worker.tieredstore.level0.dirs.quota=10B', '--json']);
    expect(r.code, describeResult(r)).toBe(2);
    const failing = JSON.parse(r.stdout) as {failed: number; results: {passed: boolean; error?: string}[]};
    expectSchema('runTests', failing);
    expect(failing.failed).toBe(2);
    expect(failing.results.filter((t) => t.error !== undefined)).toHaveLength(2);
    expect(r.stderr).not.toContain('{"error"');
    expectJsonError(await home.run(['runTests', '--readType', 'NOPE', '--json']), 'USAGE');
    expectJsonError(await home.run(['runTests', '--directory', 'relative', '--json']), 'INVALID_ARGUMENT');
  });

  it('runUfsTests on a local folder, and its errors', async () => {
    const home = makeHome();
    const dir = home.mkdir('ufs-check');
    const r = await home.run(['runUfsTests', '--path', dir, '--test', 'createAtomicTest', '--test', 'objectCommonPrefixesIsDirectoryTest', '--json']);
    expect(expectJson(r, 'runUfsTests')).toMatchObject({path: dir, passed: 2, failed: 0, skipped: 1});
    expectJsonError(await home.run(['runUfsTests', '--json']), 'USAGE', 'The following option is required: [--path]');
    expectJsonError(await home.run(['runUfsTests', '--path', dir, '--test', 'noSuchTest', '--json']), 'USAGE');
    expectJsonError(await home.run(['runUfsTests', '--path', 'hdfs://nn/x', '--json']), 'INVALID_ARGUMENT');
  });

  it('runUfsIOTest on a local folder, and its errors; -h prints the help even with --json', async () => {
    const home = makeHome();
    const dir = home.mkdir('bench');
    const summary = expectJson<{points: unknown[]}>(await home.run(['runUfsIOTest', '--path', dir, '--io-size', '10k', '--threads', '2', '--json']), 'runUfsIOTest');
    expect(summary.points).toHaveLength(4);
    expectJsonError(await home.run(['runUfsIOTest', '--json']), 'USAGE', 'The following option is required: [--path]');
    expectJsonError(await home.run(['runUfsIOTest', '--path', dir, '--cluster', '--json']), 'INVALID_ARGUMENT');
    const file = join(home.dir, 'file');
    writeFileSync(file, 'x');
    expectJsonError(await home.run(['runUfsIOTest', '--path', join(file, 'sub'), '--io-size', '1k', '--json']), 'IO', /not a directory$/);
    const help = await home.run(['runUfsIOTest', '-h', '--json']);
    expect(help.code, describeResult(help)).toBe(0);
    expect(help.stdout).toMatch(/^A benchmarking tool/);
  });

  it('doctor s3: a report that is not healthy (exit 1, the report on stdout), and its errors', async () => {
    const home = makeHome();
    const r = await home.run([
      'doctor', 's3', 's3://json-schema-bucket/dir', '--json',
      '-Dalluxio.underfs.s3.endpoint=http://127.0.0.1:9', '-Dalluxio.underfs.s3.max.error.retry=0',
      '-Ds3a.accessKeyId=AKIAJSONSCHEMA000001', '-Ds3a.secretKey=not-a-real-secret',
    ]);
    const report = expectJson<{healthy: boolean; probes: {status: string}[]}>(r, 'doctor/s3', 1);
    expect(report.healthy).toBe(false);
    expect(report.probes.map((p) => p.status)).toContain('failed');
    expectJsonError(await home.run(['doctor', 's3', '/', '--json']), 'INVALID_ARGUMENT');
    expectJsonError(await home.run(['doctor', 's3', '--json']), 'USAGE');
  });

  it('fsadmin report with no master: the error object UNAVAILABLE, nothing on stdout; a bad category: USAGE', async () => {
    const home = makeHome({site: {'alluxio.master.web.port': String(await freePort())}});
    expectJsonError(await home.run(['fsadmin', 'report', '--json']), 'UNAVAILABLE', 'Cannot connect to Alluxio leader master.');
    expectJsonError(await home.run(['fsadmin', 'report', 'nope', '--json']), 'USAGE', 'report category is invalid.');
    const help = await home.run(['fsadmin', 'report', '-h', '--json']);
    expect(help.code, describeResult(help)).toBe(0);
    expect(help.stdout).toMatch(/^alluxio fsadmin report \[category\]/);
  });
});

describe('fsadmin report --json against a running master', () => {
  let home: Home;
  beforeAll(async () => {
    home = trackHome(makeHome({site: {'alluxio.master.web.port': String(await freePort())}}));
    const started = await runScript(home, 'start', ['local']);
    expect(started.code, describeResult(started)).toBe(0);
    // Something to count and a second mount to list.
    expect((await home.run(['fs', 'mount', '/mnt', home.mkdir('second-ufs')])).code).toBe(0);
  });
  afterAll(killMasters);

  it.each([[[]], [['summary']], [['ufs']], [['capacity']], [['capacity', '-live']], [['capacity', '-lost']], [['capacity', '-workers', 'nobody']], [['metrics']], [['jobservice']]])(
    'report %j',
    async (args) => {
      const value = expectJson(await home.run(['fsadmin', 'report', ...args, '--json']), 'fsadmin/report');
      if (args[0] === 'ufs') expect(Object.keys(value.mountPoints as object).sort()).toEqual(['/', '/mnt']);
    },
  );
});

describe.concurrent('the error object where no command prints it', () => {
  it('an unknown command, at the top and under a topic: USAGE, exit 2', async () => {
    const home = makeHome();
    const [top, fs, fsadmin] = await Promise.all([
      home.run(['nosuch', '--json']),
      home.run(['fs', 'nosuch', '--json']),
      home.run(['fsadmin', 'nosuch', '--json']),
    ]);
    expectJsonError(top, 'USAGE', 'nosuch is an unknown command.');
    expectJsonError(fs, 'USAGE', 'nosuch is an unknown command.');
    expectJsonError(fsadmin, 'USAGE', 'nosuch is an unknown command.');
  });

  it('a command without --json refuses the flag in JSON; after -- it is an argument like any other', async () => {
    const home = makeHome();
    expectJsonError(await home.run(['fs', 'cat', '/x', '--json']), 'USAGE', 'Nonexistent flag: --json');
    const r = await home.run(['nosuch', '--', '--json']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toMatch(/^nosuch is an unknown command\.\nUsage: /);
  });

  it('several paths, some failing: the results on stdout, then MULTIPLE on stderr, exit 255', async () => {
    const home = makeHome();
    for (const dir of ['j/d1', 'j/d2']) home.mkdir('underFSStorage', dir);
    writeFileSync(join(home.ufs, 'j', 'f1'), '1');
    const r = await home.run(['fs', 'rm', '/j/*', '--json']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(JSON.parse(r.stdout)).toEqual([{path: '/j/f1', alluxioOnly: false}]);
    const {error} = expectErrorJson(r.stderr);
    expect(error.kind).toBe('MULTIPLE');
    expect((error as {errors?: {path: string; kind: string}[]}).errors?.map((e) => [e.path, e.kind])).toEqual([
      ['/j/d1', 'FAILED_PRECONDITION'],
      ['/j/d2', 'FAILED_PRECONDITION'],
    ]);
  });
});

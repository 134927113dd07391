/** `alluxio runTests` on a fresh machine (facts §5.7). */
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectNoCrash, expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const READ_TYPES = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'];
const WRITE_TYPES = ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'];
const OPERATIONS = ['BASIC', 'BASIC_NON_BYTE_BUFFER'];

/** TestRunner's loop order: read type, then write type, then operation. */
const ORDER = READ_TYPES.flatMap((rt) => WRITE_TYPES.flatMap((wt) => OPERATIONS.map((op) => ({op, rt, wt}))));

const GREEN_PASSED = '\u001b[32mPassed the test!\u001b[0m';
const LOG_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} INFO {2}(BasicOperations|BasicNonByteBufferOperations) - (writeFile to file|readFile file) (\S+) took \d+ ms\.$/;

/** BASIC: 20 ints 0..19 in native (little-endian) order. */
function basicBytes(): Buffer {
  const b = Buffer.alloc(80);
  for (let i = 0; i < 20; i++) b.writeInt32LE(i, i * 4);
  return b;
}

/** BASIC_NON_BYTE_BUFFER: DataOutputStream (big-endian): the count 20, then 0..19. */
function nonByteBufferBytes(): Buffer {
  const b = Buffer.alloc(84);
  b.writeInt32BE(20, 0);
  for (let i = 0; i < 20; i++) b.writeInt32BE(i, 4 + i * 4);
  return b;
}

const PERSISTED_NAMES = ORDER.filter((t) => t.wt !== 'MUST_CACHE')
  .map((t) => `${t.op}_${t.rt}_${t.wt}`)
  .sort();

function testsDir(ufs: string): string {
  return join(ufs, 'default_tests_files');
}

/** Checks the whole console output of a run of the given tests, all passing. */
function expectAllPassed(stdout: string, tests: typeof ORDER, directory = ''): void {
  const out = lines(stdout);
  const expected: string[] = [];
  for (const {op, rt, wt} of tests) {
    expected.push(`runTest --operation ${op} --readType ${rt} --writeType ${wt}`);
  }
  // The runTest lines, in the exact loop order.
  expect(out.filter((l) => l.startsWith('runTest '))).toEqual(expected);
  // Each test: its runTest line, its two INFO log lines (write, then read of its own file), a green pass.
  let i = 0;
  for (const {op, rt, wt} of tests) {
    const file = `${directory}/default_tests_files/${op}_${rt}_${wt}`;
    const logger = op === 'BASIC' ? 'BasicOperations' : 'BasicNonByteBufferOperations';
    expect(out[i++]).toBe(`runTest --operation ${op} --readType ${rt} --writeType ${wt}`);
    const write = LOG_LINE.exec(out[i++] ?? '');
    expect(write?.slice(1, 4)).toEqual([logger, 'writeFile to file', file]);
    const read = LOG_LINE.exec(out[i++] ?? '');
    expect(read?.slice(1, 4)).toEqual([logger, 'readFile file', file]);
    expect(out[i++]).toBe(GREEN_PASSED);
  }
  expect(out.slice(i)).toEqual([]);
  expect(out.filter((l) => l === GREEN_PASSED)).toHaveLength(tests.length);
  expect(stdout).not.toContain('Failed the test!');
  expect(stdout).not.toContain('Number of failed tests');
}

function expectTestFiles(ufs: string): void {
  const dir = testsDir(ufs);
  // 18 files: CACHE_THROUGH, THROUGH and ASYNC_THROUGH; MUST_CACHE files are never persisted.
  expect(readdirSync(dir).sort()).toEqual(PERSISTED_NAMES);
  for (const name of PERSISTED_NAMES) {
    const bytes = readFileSync(join(dir, name));
    expect(bytes, name).toEqual(name.startsWith('BASIC_NON_BYTE_BUFFER_') ? nonByteBufferBytes() : basicBytes());
  }
}

describe.concurrent('alluxio runTests', () => {
  it('passes the 24 tests on a fresh machine, in TestRunner order, and leaves the 18 persisted files', async () => {
    const home = makeHome();
    const r = await home.run(['runTests']);
    expectSuccess(r);
    expectAllPassed(r.stdout, ORDER);
    expectTestFiles(home.ufs);
  });

  it('runs exactly one test when operation, read type and write type are all given', async () => {
    const home = makeHome();
    const r = await home.run(['runTests', '--operation', 'BASIC', '--readType', 'CACHE', '--writeType', 'THROUGH']);
    expectSuccess(r);
    expectAllPassed(r.stdout, [{op: 'BASIC', rt: 'CACHE', wt: 'THROUGH'}]);
    expect(readdirSync(testsDir(home.ufs))).toEqual(['BASIC_CACHE_THROUGH']);
    expect(readFileSync(join(testsDir(home.ufs), 'BASIC_CACHE_THROUGH'))).toEqual(basicBytes());
  });

  it('writes a JUnit XML report with 24 test cases', async () => {
    const home = makeHome();
    const report = join(home.dir, 'report.xml');
    const r = await home.run(['runTests', '--junit', report]);
    expectSuccess(r);
    expectAllPassed(r.stdout, ORDER);
    const xml = readFileSync(report, 'utf8');
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml).toMatch(/<testsuite\b[^>]*\btests="24"/);
    expect(xml).toMatch(/<testsuite\b[^>]*\bfailures="0"/);
    const cases = [...xml.matchAll(/<testcase\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]);
    expect(cases).toHaveLength(24);
    expect(new Set(cases).size).toBe(24);
    expect(xml).not.toContain('<failure');
    expect(xml.trimEnd().endsWith('</testsuite>') || xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('gives a parseable result with --json', async () => {
    const home = makeHome();
    const r = await home.run(['runTests', '--json']);
    expect(r.code, describeResult(r)).toBe(0);
    expectNoCrash(r);
    const result = JSON.parse(r.stdout) as {
      passed: number;
      failed: number;
      results: {operation: string; readType: string; writeType: string; passed: boolean}[];
    };
    expect(result.passed).toBe(24);
    expect(result.failed).toBe(0);
    expect(result.results.map((t) => [t.operation, t.readType, t.writeType])).toEqual(
      ORDER.map((t) => [t.op, t.rt, t.wt]),
    );
    expect(result.results.every((t) => t.passed === true)).toBe(true);
  });

  it('runs twice in a row: the test folder is deleted first, stale files included', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['runTests']));
    writeFileSync(join(testsDir(home.ufs), 'stale-file'), 'left over');
    const second = await home.run(['runTests']);
    expectSuccess(second);
    expectAllPassed(second.stdout, ORDER);
    expect(existsSync(join(testsDir(home.ufs), 'stale-file'))).toBe(false);
    expectTestFiles(home.ufs);
  });

  it('runs under --directory', async () => {
    const home = makeHome();
    const r = await home.run(['runTests', '--directory', '/smoke', '--readType', 'NO_CACHE']);
    expectSuccess(r);
    expectAllPassed(
      r.stdout,
      ORDER.filter((t) => t.rt === 'NO_CACHE'),
      '/smoke',
    );
    expect(readdirSync(join(home.ufs, 'smoke', 'default_tests_files')).sort()).toEqual(
      PERSISTED_NAMES.filter((n) => n.includes('_NO_CACHE_')),
    );
  });

  it('exits with the number of failed tests, printing them in red', async () => {
    // A 10-byte cache: MUST_CACHE cannot hold the 80/84-byte files; the other write types fall back to THROUGH.
    const home = makeHome();
    const r = await home.run(['runTests', '--readType', 'CACHE', '-Dalluxio.worker.tieredstore.level0.dirs.quota=10B']);
    expectNoCrash(r);
    expect(r.code, describeResult(r)).toBe(2);
    const out = lines(r.stdout);
    expect(out.filter((l) => l === '\u001b[31mFailed the test!\u001b[0m')).toHaveLength(2);
    expect(out.filter((l) => l === GREEN_PASSED)).toHaveLength(6);
    expect(out[out.length - 1]).toBe('Number of failed tests: 2');
  });
});

/** `alluxio runUfsTests` against a local folder (facts §4): Alluxio's 43 common operations, output and exit code. */
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {type Home, cleanupHomes, collect, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectNoCrash, expectUsageError} from '../helpers/expect-cli.js';
import {COMMON_TESTS, USAGE, allPassed} from '../helpers/ufs-tests.js';

afterAll(cleanupHomes);

describe('runUfsTests on a local folder', () => {
  const home: Home = makeHome();

  it('passes all 43 common operations, in order, and leaves the folder as it found it', async () => {
    const dir = home.mkdir('ufs-all');
    writeFileSync(join(dir, 'kept.txt'), 'mine');
    const r = await home.run(['runUfsTests', '--path', dir], {timeoutMs: 120_000});
    const d = describeResult(r);
    expect(r.code, d).toBe(0);
    expect(r.stderr, d).toBe('');
    expect(COMMON_TESTS).toHaveLength(43);
    expect(lines(r.stdout), d).toEqual(allPassed(COMMON_TESTS));
    expect(readdirSync(dir)).toEqual(['kept.txt']);
  });

  it('takes file:// paths, runs only the tests named by --test, writes --junit and --json', async () => {
    const dir = home.mkdir('ufs-some');
    const junit = join(home.dir, 'ufs.xml');
    const names = ['renameFileTest', 'createAtomicTest'];
    const r = await home.run(['runUfsTests', '--path', `file://${dir}`, '--test', names[0], '--test', names[1], '--junit', junit]);
    expect(r.code, describeResult(r)).toBe(0);
    // Alluxio's order, not the command line's.
    expect(lines(r.stdout), describeResult(r)).toEqual(allPassed(['createAtomicTest', 'renameFileTest']));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="alluxio.runUfsTests" tests="2" failures="0"');
    expect(xml).toMatch(/<testcase classname="alluxio.runUfsTests" name="createAtomicTest" time="\d+\.\d{3}"\/>/);
    expect(readdirSync(dir)).toEqual([]);

    const json = await home.run(['runUfsTests', '--path', dir, '--test', 'objectCommonPrefixesIsDirectoryTest', '--test', 'createMultipartFileTest', '--json']);
    expect(json.code, describeResult(json)).toBe(0);
    const out = JSON.parse(json.stdout) as {passed: number; failed: number; skipped: number; results: {name: string; passed: boolean; skipped: boolean}[]};
    // The object store test is skipped (reported passed, as Alluxio does); the S3 one does not run on a local folder.
    expect(out).toMatchObject({passed: 1, failed: 0, skipped: 1, results: [{name: 'objectCommonPrefixesIsDirectoryTest', passed: true, skipped: true}]});
    expect(out.results).toHaveLength(1);
  });

  it('rejects bad input with one clear line and creates nothing', async () => {
    const dir = home.mkdir('ufs-bad');
    expectUsageError(await home.run(['runUfsTests']), 'The following option is required: [--path]', USAGE);
    expectUsageError(await home.run(['runUfsTests', '--path', dir, '--test', 'noSuchTest']), 'Unknown test noSuchTest', USAGE);
    expectError(await home.run(['runUfsTests', '--path', 'hdfs://nn/x']), 'hdfs://nn/x is not a valid path', {hint: true});
    expectError(await home.run(['runUfsTests', '--path', 'relative/dir']), 'relative/dir is not a valid path', {hint: true});
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(home.dir, 'relative'))).toBe(false);
  });

  it('SIGINT removes the test folder and ends the process by the signal', async () => {
    const dir = home.mkdir('ufs-interrupted');
    const child = home.start(['runUfsTests', '--path', dir]);
    const result = collect(child, ['runUfsTests']);
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Running test: listLargeDirectoryTest...')) resolve();
      });
    });
    child.kill('SIGINT');
    const r = await result;
    expectNoCrash(r);
    expect(r.signal, describeResult(r)).toBe('SIGINT');
    // The test folder and the temporary files of the writes under way.
    expect(lines(r.stderr), describeResult(r)).toEqual([expect.stringMatching(/^Interrupted: removed \d+ temporary files?$/)]);
    expect(r.stdout.trimEnd().endsWith('Running test: listLargeDirectoryTest...'), describeResult(r)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

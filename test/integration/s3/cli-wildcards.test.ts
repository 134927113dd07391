/**
 * `bin/alluxio` wildcards on an S3 mount on radosgw (alluxio-shell-facts.md §2), over keys holding regex-special
 * characters (`. + ( [ $ ^ {`, spaces, `?`), and what an expansion costs at a recording proxy: one delimited LIST
 * per folder visited, no HEAD per match.
 */
import {createHash} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../../helpers/expect-cli.js';
import {measure, mountBehindProxy, requestLine} from '../../helpers/proxied-mount.js';
import type {RecordedRequest, RecordingProxy} from '../../helpers/recording-proxy.js';
import {guardSecrets} from '../../helpers/s3-cli.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';

guardSecrets();
afterAll(cleanupHomes);

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
/** Names below data/w/ (each object's body is its name). */
const NAMES = ['a.txt', 'a+b', 'b.txt', 'p$q', '^hat', '[sq]', 'q?m', 'sp ace.txt', 'x(1).txt', '{br}'];

let bucket: string;
let proxy: RecordingProxy;
let home: Home;

function describeRequest(r: RecordedRequest): string {
  return requestLine(bucket, r, {maxKeys: false});
}

function measured(args: string[]) {
  return measure(proxy, home, args, describeRequest);
}

const names = (out: string) => lines(out).map((l) => l.slice(l.indexOf('/mnt/')));

beforeAll(async () => {
  ({bucket} = await freshBucket('cli-wild'));
  // every folder has its marker: no breadcrumb PUT mixes into the counts
  await putObjects(bucket, {
    'data/': '',
    'data/w/': '',
    ...Object.fromEntries(NAMES.map((n) => [`data/w/${n}`, n])),
    'data/w/sub/': '',
    'data/w/sub/deep.txt': 'deep',
    'data/w/sub/in/': '',
    'data/w/sub/in/deeper.txt': 'deeper',
    'data/r/': '',
    'data/r/f.1': '1',
    'data/r/f+2': '2',
    'data/r/d(1)/': '',
    'data/r/d(1)/k': 'k',
    'data/r/d[2]/': '',
    'data/r/d[2]/k': 'k',
  });
  ({proxy, home} = await mountBehindProxy(bucket));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await emptyAndDeleteBucket(bucket);
});

describe('patterns over keys with regex-special characters', () => {
  it('ls /mnt/s3/w/*: every key once, in path order; one LIST of the folder and one per folder matched, no HEAD', async () => {
    const {r, requests} = await measured(['fs', 'ls', '/mnt/s3/w/*']);
    expectSuccess(r);
    expect(names(r.stdout)).toEqual([
      ...['[sq]', '^hat', 'a+b', 'a.txt', 'b.txt', 'p$q', 'q?m', 'sp ace.txt'].map((n) => `/mnt/s3/w/${n}`),
      '/mnt/s3/w/sub/deep.txt',
      '/mnt/s3/w/sub/in',
      '/mnt/s3/w/x(1).txt',
      '/mnt/s3/w/{br}',
    ]);
    expect(requests).toEqual(['HEAD data/w', 'LIST data/w/', 'LIST data/w/ /', 'LIST data/w/sub/ /']);
  });

  it('. + $ ^ and spaces match themselves; ( [ ? are regex syntax, literal when escaped', async () => {
    const stat = (pattern: string) => home.run(['fs', 'stat', '-f', '%N', pattern]);
    const cases: [string, string[]][] = [
      ['/mnt/s3/w/*.txt', ['a.txt', 'b.txt', 'sp ace.txt', 'x(1).txt']],
      ['/mnt/s3/w/a+*', ['a+b']],
      ['/mnt/s3/w/p$*', ['p$q']],
      ['/mnt/s3/w/^*', ['^hat']],
      ['/mnt/s3/w/sp ace*', ['sp ace.txt']],
      ['/mnt/s3/w/\\[sq]*', ['[sq]']],
      ['/mnt/s3/w/[sq]*', ['q?m', 'sp ace.txt', 'sub']],
      ['/mnt/s3/w/x\\(1\\)*', ['x(1).txt']],
      ['/mnt/s3/w/q\\?m*', ['q?m']],
    ];
    const results = await Promise.all(cases.map(([pattern]) => stat(pattern)));
    cases.forEach(([, expected], i) => expectSuccess(results[i], expected));
    expectError(await stat('/mnt/s3/w/q?m*'), '/mnt/s3/w/q?m* does not exist.');
    expectUsageError(await stat('/mnt/s3/w/x(1*'), 'Invalid wildcard pattern /mnt/s3/w/x(1*: Unterminated group', 'fs stat [-f <format>] <path> or stat [-f <format>] --file-id <file-id>');
  });

  it('descends one folder per pattern component', async () => {
    const {r, requests} = await measured(['fs', 'stat', '-f', '%N', '/mnt/s3/*/*/*.txt']);
    expectSuccess(r, ['deep.txt']);
    // the mount point costs nothing; each folder whose path matches the pattern's first components is listed
    // once, and data/w/sub/in/ (as deep as the pattern) is not
    expect(requests.sort()).toEqual(['LIST data/ /', 'LIST data/r/ /', 'LIST data/r/d(1)/ /', 'LIST data/r/d[2]/ /', 'LIST data/w/ /', 'LIST data/w/sub/ /'].sort());
  });

  it('cat and checksum read each match with one GET, after the listing', async () => {
    const cat = await measured(['fs', 'cat', '/mnt/s3/w/*.txt']);
    expectSuccess(cat.r);
    expect(cat.r.stdout).toBe('a.txtb.txtsp ace.txtx(1).txt');
    expect(cat.requests.filter((q) => !q.startsWith('GET'))).toEqual(['HEAD data/w', 'LIST data/w/', 'LIST data/w/ /']);
    expectSuccess(await home.run(['fs', 'checksum', '/mnt/s3/w/[ab].txt*']), [`md5sum: ${md5('a.txt')}`, '', `md5sum: ${md5('b.txt')}`, '']);
  });

  it('du -s prints the header once and one total per match', async () => {
    expectSuccess(await home.run(['fs', 'du', '-s', '/mnt/s3/w/s*']), [
      'File Size     In Alluxio       Path',
      // cat read it with the default read type (CACHE)
      '10            10 (100%)        /mnt/s3/w/sp ace.txt',
      '10            0 (0%)           /mnt/s3/w/sub',
    ]);
  });
});

describe('errors of several matches', () => {
  it('rm /mnt/s3/r/* removes the objects and refuses each folder on a line of its own, exit 255', async () => {
    const r = await home.run(['fs', 'rm', '/mnt/s3/r/*']);
    const d = describeResult(r);
    expect(r.code, d).toBe(255);
    expect(lines(r.stdout), d).toEqual(['/mnt/s3/r/f+2 has been removed', '/mnt/s3/r/f.1 has been removed']);
    expect(lines(r.stderr), d).toEqual([
      '/mnt/s3/r/d(1) is a directory, to remove it, please use "rm -R/-r/--recursive <path>"',
      '/mnt/s3/r/d[2] is a directory, to remove it, please use "rm -R/-r/--recursive <path>"',
    ]);
    expect(await listAllKeys(bucket, {prefix: 'data/r/'})).toEqual(['data/r/', 'data/r/d(1)/', 'data/r/d(1)/k', 'data/r/d[2]/', 'data/r/d[2]/k']);
  });

  it('a pattern matching nothing: "<pattern> does not exist.", nothing removed', async () => {
    expectError(await home.run(['fs', 'rm', '-R', '/mnt/s3/w/*.nope']), '/mnt/s3/w/*.nope does not exist.');
    expect(await listAllKeys(bucket, {prefix: 'data/w/'})).toHaveLength(NAMES.length + 5);
  });
});

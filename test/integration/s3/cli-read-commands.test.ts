/**
 * `bin/alluxio fs head`, `tail`, `checksum`, `du`, `count` and `test` on an S3 mount on radosgw, and what each
 * costs, counted at a recording proxy that is the mount's endpoint (README "Requests per operation"):
 * checksum = HEAD + one GET; head/tail = HEAD + one ranged GET; du/count of a folder = the requests of `ls -R`
 * (the path's status lookup and the pages of one recursive LIST, no request per folder); test -d/-e/-f = the
 * status lookup; test -s = the status lookup and at most one LIST.
 */
import {createHash, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, crashSigns, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {measure, mountBehindProxy, requestLine} from '../../helpers/proxied-mount.js';
import type {RecordedRequest, RecordingProxy} from '../../helpers/recording-proxy.js';
import {guardSecrets} from '../../helpers/s3-cli.js';
import {putMany} from '../../helpers/s3-fs.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';

guardSecrets();
afterAll(cleanupHomes);

const TEXT = 'The quick brown fox jumps over the lazy dog\n';
const BIG = randomBytes(300 * 1024);
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const MANY = Array.from({length: 2500}, (_, i) => `data/many/f${String(i).padStart(4, '0')}`);
const MANY_BYTES = MANY.reduce((n, k) => n + k.length, 0);

let bucket: string;
let proxy: RecordingProxy;
let home: Home;

function describeRequest(r: RecordedRequest): string {
  return requestLine(bucket, r, {maxKeys: true});
}

function measured(args: string[]) {
  return measure(proxy, home, args, describeRequest);
}

beforeAll(async () => {
  ({bucket} = await freshBucket('cli-reads'));
  // every folder has its marker: no breadcrumb PUT mixes into the counts
  await putObjects(bucket, {
    'data/': '',
    'data/dir/': '',
    'data/dir/a.txt': TEXT,
    'data/dir/zero': '',
    'data/dir/sub/': '',
    'data/dir/sub/big.bin': BIG,
    'data/dir/empty/': '',
    'data/many/': '',
  });
  await putMany(bucket, MANY);
  ({proxy, home} = await mountBehindProxy(bucket));
  const local = join(home.dir, 'cached.txt');
  writeFileSync(local, TEXT);
  // only in the worker cache: counted with its length, 100% in Alluxio
  expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'copyFromLocal', local, '/mnt/s3/dir/cached.txt']));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await emptyAndDeleteBucket(bucket);
});

describe('head, tail, checksum', () => {
  it('checksum: the MD5 of the object, HEAD + one whole GET, nothing cached', async () => {
    const {r, requests, raw} = await measured(['fs', 'checksum', '/mnt/s3/dir/sub/big.bin']);
    expectSuccess(r, [`md5sum: ${md5(BIG)}`, '']);
    expect(requests).toEqual(['HEAD data/dir/sub/big.bin', 'GET data/dir/sub/big.bin']);
    expect(raw[1]!.headers.range).toBeUndefined();
    const ls = await home.run(['fs', 'ls', '/mnt/s3/dir/sub/big.bin']);
    expect(ls.stdout).toMatch(/ 0% +\/mnt\/s3\/dir\/sub\/big\.bin\n$/);
    // data only the cache holds: read from it, no GET
    const cached = await measured(['fs', 'checksum', '/mnt/s3/dir/cached.txt']);
    expectSuccess(cached.r, [`md5sum: ${md5(TEXT)}`, '']);
    expect(cached.requests.filter((q) => q.startsWith('GET'))).toEqual([]);
  });

  it('head / tail: HEAD + one ranged GET of just the bytes printed', async () => {
    const head = await measured(['fs', 'head', '-c', '1k', '/mnt/s3/dir/sub/big.bin']);
    expect(head.r.code, describeResult(head.r)).toBe(0);
    expect(head.r.stdoutBytes.equals(BIG.subarray(0, 1024))).toBe(true);
    expect(head.requests).toEqual(['HEAD data/dir/sub/big.bin', 'GET data/dir/sub/big.bin']);
    expect(head.raw[1]!.headers.range).toBe('bytes=0-1023');

    const tail = await measured(['fs', 'tail', '-c', '100', '/mnt/s3/dir/sub/big.bin']);
    expect(tail.r.stdoutBytes.equals(BIG.subarray(BIG.length - 100))).toBe(true);
    expect(tail.raw.map(describeRequest)).toEqual(['HEAD data/dir/sub/big.bin', 'GET data/dir/sub/big.bin']);
    expect(tail.raw[1]!.headers.range).toBe(`bytes=${BIG.length - 100}-${BIG.length - 1}`);

    const short = await measured(['fs', 'tail', '/mnt/s3/dir/a.txt']);
    expectSuccess(short.r);
    expect(short.r.stdout).toBe(TEXT);
    const empty = await measured(['fs', 'head', '/mnt/s3/dir/zero']);
    expectSuccess(empty.r, []);
    expect(empty.requests).toEqual(['HEAD data/dir/zero']);
  });

  it("a folder and a missing key: Alluxio's messages", async () => {
    expectError(await home.run(['fs', 'head', '/mnt/s3/dir']), 'Path "/mnt/s3/dir" must be a file.');
    expectError(await home.run(['fs', 'checksum', '/mnt/s3/dir/nope']), 'Path "/mnt/s3/dir/nope" does not exist.');
  });
});

describe('du and count', () => {
  it('add up one recursive listing: cache-only files with their length, In Alluxio from the cache', async () => {
    const total = TEXT.length * 2 + BIG.length;
    const du = await home.run(['fs', 'du', '/mnt/s3/dir']);
    expectSuccess(du, [
      'File Size     In Alluxio       Path',
      `${String(TEXT.length).padEnd(13)} ${'0 (0%)'.padEnd(16)} /mnt/s3/dir/a.txt`,
      `${String(TEXT.length).padEnd(13)} ${`${TEXT.length} (100%)`.padEnd(16)} /mnt/s3/dir/cached.txt`,
      `${String(BIG.length).padEnd(13)} ${'0 (0%)'.padEnd(16)} /mnt/s3/dir/sub/big.bin`,
      `${'0'.padEnd(13)} ${'0 (0%)'.padEnd(16)} /mnt/s3/dir/zero`,
    ]);
    const pct = Math.floor((TEXT.length * 100) / total);
    expectSuccess(await home.run(['fs', 'du', '-s', '/mnt/s3/dir']), [
      'File Size     In Alluxio       Path',
      `${String(total).padEnd(13)} ${`${TEXT.length} (${pct}%)`.padEnd(16)} /mnt/s3/dir`,
    ]);
    const count = await home.run(['fs', 'count', '--json', '/mnt/s3/dir']);
    expectSuccess(count);
    expect(JSON.parse(count.stdout)).toEqual({path: '/mnt/s3/dir', files: 4, folders: 2, bytes: total});
  });

  it('cost exactly what ls -R costs: the status lookup and the pages of one recursive LIST', async () => {
    const ls = await measured(['fs', 'ls', '-R', '/mnt/s3/many']);
    expectSuccess(ls.r);
    expect(ls.requests).toEqual([
      'HEAD data/many',
      'LIST data/many/ max=1',
      'LIST data/many/ max=1000',
      'LIST data/many/ max=1000',
      'LIST data/many/ max=1000',
    ]);
    const header = 'File Count               Folder Count             Folder Size    ';
    const count = await measured(['fs', 'count', '/mnt/s3/many']);
    expectSuccess(count.r, [header, `${'2500'.padEnd(25)}${'0'.padEnd(25)}${String(MANY_BYTES).padEnd(15)}`]);
    expect(count.requests).toEqual(ls.requests);
    const du = await measured(['fs', 'du', '-s', '-h', '/mnt/s3/many']);
    expectSuccess(du.r);
    expect(du.requests).toEqual(ls.requests);
    const perFile = await measured(['fs', 'du', '/mnt/s3/many']);
    expect(lines(perFile.r.stdout)).toHaveLength(2501);
    expect(perFile.requests).toEqual(ls.requests);
    // a tree: still one recursive listing, no request per folder
    const tree = await measured(['fs', 'count', '/mnt/s3/dir']);
    expect(tree.requests.filter((q) => q.startsWith('LIST') && !q.endsWith('max=1'))).toEqual(['LIST data/dir/ max=1000']);
    expect(tree.requests.filter((q) => q.startsWith('HEAD'))).toEqual(['HEAD data/dir']);
  });
});

describe('test', () => {
  it('-d/-e/-f cost the status lookup alone; -s the lookup and at most one LIST; exit codes 0/1/3', async () => {
    const fileLookup = ['HEAD data/dir/a.txt'];
    const dirLookup = ['HEAD data/dir', 'LIST data/dir/ max=1'];
    for (const [option, path, code, lookup] of [
      ['-f', '/mnt/s3/dir/a.txt', 0, fileLookup],
      ['-d', '/mnt/s3/dir/a.txt', 1, fileLookup],
      ['-e', '/mnt/s3/dir/a.txt', 0, fileLookup],
      ['-z', '/mnt/s3/dir/a.txt', 1, fileLookup],
      ['-s', '/mnt/s3/dir/a.txt', 1, fileLookup],
      ['-d', '/mnt/s3/dir', 0, dirLookup],
      ['-f', '/mnt/s3/dir', 1, dirLookup],
    ] as const) {
      const t = await measured(['fs', 'test', option, path]);
      expect(t.r.code, describeResult(t.r)).toBe(code);
      expect(t.r.stdout + t.r.stderr).toBe('');
      expect(t.requests, `${option} ${path}`).toEqual(lookup);
    }
    const full = await measured(['fs', 'test', '-s', '/mnt/s3/dir']);
    expect(full.r.code, describeResult(full.r)).toBe(0);
    expect(full.requests).toEqual([...dirLookup, 'LIST data/dir/ max=1000 /']);
    const empty = await measured(['fs', 'test', '-s', '/mnt/s3/dir/empty']);
    expect(empty.r.code, describeResult(empty.r)).toBe(1);
    expect(empty.requests).toEqual(['HEAD data/dir/empty', 'LIST data/dir/empty/ max=1', 'LIST data/dir/empty/ max=1000 /']);
    const missing = await measured(['fs', 'test', '-e', '/mnt/s3/dir/nope']);
    expect(missing.r.code, describeResult(missing.r)).toBe(3);
    expect(missing.r.stdout + missing.r.stderr).toBe('');
    expect(missing.requests).toEqual(['HEAD data/dir/nope', 'LIST data/dir/nope/ max=1']);
  });

  it('exit 2 with its line on stderr when the store cannot be reached', async () => {
    const r = await home.run(['fs', '-Dalluxio.underfs.s3.endpoint=http://127.0.0.1:9', '-Dalluxio.underfs.s3.max.error.retry=0', 'test', '-e', '/mnt/s3/dir/a.txt']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).length, describeResult(r)).toBeGreaterThanOrEqual(1);
    expect(lines(r.stderr).length, describeResult(r)).toBeLessThanOrEqual(2);
    expect(lines(r.stderr)[0], describeResult(r)).not.toMatch(/does not exist/);
    expect(crashSigns(r), describeResult(r)).toEqual([]);
  });
});

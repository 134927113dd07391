/**
 * `bin/alluxio fs updateMount`, `load`, `pin`/`unpin` and `stat --file-id` on an S3 mount on radosgw, and what each
 * costs, counted at a recording proxy that is the mount's endpoint (README "Requests per operation"): load of a file
 * = its status + one GET, and no GET once cached; load of a folder = its recursive listing + one GET per file not
 * cached; pin/unpin = the status lookup; updateMount = mount's probe of the under storage with the new options
 * (HEAD and the first LIST page of the folder, ListBuckets and GetBucketAcl for the mount's owner and mode).
 */
import {randomBytes} from 'node:crypto';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';

import {type Home, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {measure, mountBehindProxy, requestLine} from '../../helpers/proxied-mount.js';
import type {RecordedRequest, RecordingProxy} from '../../helpers/recording-proxy.js';
import {guardSecrets, keyOptions, registerSecret, s3Home, userKeys} from '../../helpers/s3-cli.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';

guardSecrets();
afterAll(cleanupHomes);
// Some tests run a dozen commands in a row, each starting a process that talks to radosgw on a shared 2-core host.
vi.setConfig({testTimeout: 240_000});

const TEXT = 'The quick brown fox jumps over the lazy dog\n';
const BIG = randomBytes(200 * 1024);
const BLOBS = Object.fromEntries(['keep', 'x', 'y', 'z'].map((n) => [n, randomBytes(40 * 1024)]));

let bucket: string;
let proxy: RecordingProxy;
let home: Home;

function describeRequest(r: RecordedRequest): string {
  return requestLine(bucket, r, {maxKeys: true});
}

async function measured(args: string[], on: Home = home) {
  return measure(proxy, on, args, describeRequest);
}

async function cachedPercent(on: Home, path: string): Promise<string> {
  const r = await on.run(['fs', 'ls', path]);
  expect(r.code, describeResult(r)).toBe(0);
  return /\s(\d+%) \S+\s*$/.exec(lines(r.stdout)[0] ?? '')?.[1] ?? `no row: ${r.stdout}`;
}

/** The mount's row of `fs mount` without the space figures. */
async function mountRow(on: Home, mountPoint: string): Promise<string | undefined> {
  const r = await on.run(['fs', 'mount']);
  expect(r.code, describeResult(r)).toBe(0);
  return lines(r.stdout).find((l) => l.includes(`  on  ${mountPoint} `));
}

beforeAll(async () => {
  ({bucket} = await freshBucket('cli-pin'));
  // every folder has its marker: no breadcrumb PUT mixes into the counts
  await putObjects(bucket, {
    'data/': '',
    'data/dir/': '',
    'data/dir/a.txt': TEXT,
    'data/dir/sub/': '',
    'data/dir/sub/big.bin': BIG,
    'data/one.txt': TEXT,
    'data/evict/': '',
    ...Object.fromEntries(Object.entries(BLOBS).map(([n, b]) => [`data/evict/${n}.bin`, b])),
  });
  ({proxy, home} = await mountBehindProxy(bucket));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await emptyAndDeleteBucket(bucket);
});

describe('load', () => {
  it('a file: its status and one GET; loaded again: the status alone; then reads come from the cache', async () => {
    const first = await measured(['fs', 'load', '/mnt/s3/one.txt']);
    expectSuccess(first.r, ['/mnt/s3/one.txt loaded']);
    expect(first.requests).toEqual(['HEAD data/one.txt', 'GET data/one.txt']);
    const again = await measured(['fs', 'load', '/mnt/s3/one.txt']);
    expectSuccess(again.r, ['/mnt/s3/one.txt already in Alluxio fully']);
    expect(again.requests).toEqual(['HEAD data/one.txt']);
    const cat = await measured(['fs', 'cat', '/mnt/s3/one.txt']);
    expect(cat.r.stdout).toBe(TEXT);
    expect(cat.requests.filter((q) => q.startsWith('GET'))).toEqual([]);
  });

  it('a folder: one recursive listing and one GET per file, no request per folder or file status', async () => {
    const r = await measured(['fs', 'load', '/mnt/s3/dir']);
    expectSuccess(r.r, ['/mnt/s3/dir/a.txt loaded', '/mnt/s3/dir/sub/big.bin loaded', '/mnt/s3/dir/sub loaded', '/mnt/s3/dir loaded']);
    expect(r.requests.filter((q) => !q.startsWith('GET data/dir/sub/big.bin'))).toEqual([
      'HEAD data/dir',
      'LIST data/dir/ max=1',
      'LIST data/dir/ max=1000',
      'GET data/dir/a.txt',
    ]);
    // a big object may come as ranges, each read once
    expect(r.requests.filter((q) => q === 'GET data/dir/sub/big.bin').length).toBeGreaterThanOrEqual(1);
    const cat = await measured(['fs', 'cat', '/mnt/s3/dir/sub/big.bin']);
    expect(cat.r.stdoutBytes.equals(BIG)).toBe(true);
    expect(cat.requests).toEqual(['HEAD data/dir/sub/big.bin']);
    const again = await measured(['fs', 'load', '/mnt/s3/dir']);
    expect(again.r.code, describeResult(again.r)).toBe(0);
    expect(again.requests.filter((q) => q.startsWith('GET'))).toEqual([]);
  });
});

describe('pin', () => {
  it('pin and unpin cost the status lookup; pinned data survives eviction, unpinned data is evicted', async () => {
    const small = s3Home({keys: 1, site: {'alluxio.underfs.s3.endpoint': proxy.url, 'alluxio.worker.tieredstore.level0.dirs.quota': '100KB'}});
    expectSuccess(await small.run(['fs', 'mount', '/s3', `s3://${bucket}/data/evict`]));
    const pinned = await measured(['fs', 'pin', '/s3/keep.bin'], small);
    expectSuccess(pinned.r, ["File '/s3/keep.bin' was successfully pinned."]);
    expect(pinned.requests).toEqual(['HEAD data/evict/keep.bin']);
    expectSuccess(await small.run(['fs', 'load', '/s3/keep.bin']));
    for (const name of ['x', 'y', 'z']) expectSuccess(await small.run(['fs', 'load', `/s3/${name}.bin`]));
    expect(await cachedPercent(small, '/s3/keep.bin')).toBe('100%');
    expect(await cachedPercent(small, '/s3/x.bin')).toBe('0%');
    expect(await cachedPercent(small, '/s3/z.bin')).toBe('100%');
    const cat = await measured(['fs', 'cat', '/s3/keep.bin'], small);
    expect(cat.r.stdoutBytes.equals(BLOBS.keep!)).toBe(true);
    expect(cat.requests).toEqual(['HEAD data/evict/keep.bin']);

    const unpinned = await measured(['fs', 'unpin', '/s3/keep.bin'], small);
    expectSuccess(unpinned.r, ["File '/s3/keep.bin' was successfully unpinned."]);
    expect(unpinned.requests).toEqual(['HEAD data/evict/keep.bin']);
    // now the least recently used but for z, which goes first: two more loads reach it
    for (const name of ['x', 'y']) expectSuccess(await small.run(['fs', 'load', `/s3/${name}.bin`]));
    expect(await cachedPercent(small, '/s3/keep.bin')).toBe('0%');
    expect(await cachedPercent(small, '/s3/y.bin')).toBe('100%');
  });

  it('a pinned folder on S3: ls -R -p lists it and all below; free refuses, -f frees and unpins', async () => {
    const pinned = await measured(['fs', 'pin', '/mnt/s3/dir']);
    expectSuccess(pinned.r);
    expect(pinned.requests).toEqual(['HEAD data/dir', 'LIST data/dir/ max=1']);
    const ls = await home.run(['fs', 'ls', '-R', '-p', '/mnt/s3']);
    expect(lines(ls.stdout).map((l) => l.trimEnd().split(' ').at(-1))).toEqual([
      '/mnt/s3/dir', '/mnt/s3/dir/a.txt', '/mnt/s3/dir/sub', '/mnt/s3/dir/sub/big.bin',
    ]);
    expectSuccess(await home.run(['fs', 'load', '/mnt/s3/dir']).then((r) => ({...r, stdout: ''})));
    expectError(
      await home.run(['fs', 'free', '/mnt/s3/dir']),
      'Cannot free file /mnt/s3/dir/a.txt which is pinned. Please unpin it first or set the "forced" flag of free operation to true',
    );
    expect(await cachedPercent(home, '/mnt/s3/dir/a.txt')).toBe('100%');
    expectSuccess(await home.run(['fs', 'free', '-f', '/mnt/s3/dir']), ['/mnt/s3/dir was successfully freed from Alluxio space.']);
    expect(await cachedPercent(home, '/mnt/s3/dir/a.txt')).toBe('0%');
    expectSuccess(await home.run(['fs', 'ls', '-R', '-p', '/mnt/s3']), []);
  });
});

describe('stat --file-id', () => {
  it('costs what stat of the path costs', async () => {
    const byPath = await measured(['fs', 'stat', '-f', '%i', '/mnt/s3/dir/a.txt']);
    const id = byPath.r.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    const byId = await measured(['fs', 'stat', '-f', '%N', '--file-id', id]);
    expectSuccess(byId.r, [`The specified file ID ${id} is /mnt/s3/dir/a.txt`, 'a.txt']);
    expect(byId.requests).toEqual(byPath.requests);
  });
});

describe('updateMount', () => {
  const uri = () => `s3://${bucket}/data`;

  it('to readonly: writes refused with nothing sent; back to writable: writes work; the cache stays valid', async () => {
    expectSuccess(await home.run(['fs', 'load', '/mnt/s3/one.txt']).then((r) => ({...r, stdout: ''})));
    const update = await measured(['fs', 'updateMount', '--readonly', '/mnt/s3']);
    expectSuccess(update.r, ['Updated mount point options at /mnt/s3']);
    // mount's probe of the folder, then the owner and ACL that give the mount its owner, group and mode
    expect(update.requests).toEqual(['HEAD data', 'LIST data/ max=1', 'LIST data/ max=1000 /', 'GET ?ListBuckets', 'GET ?acl']);
    expect(proxy.writes()).toEqual([]);
    expect(await mountRow(home, '/mnt/s3')).toMatch(/, read-only, not shared, properties=\{\}\)$/);
    const refused = await measured(['fs', 'touch', '/mnt/s3/new.txt']);
    expectError(refused.r, 'A write operation on /mnt/s3/new.txt under a readonly mount point /mnt/s3 is not allowed');
    expect(proxy.writes()).toEqual([]);
    // what was cached before is still this object's data
    expect((await measured(['fs', 'cat', '/mnt/s3/one.txt'])).requests.filter((q) => q.startsWith('GET'))).toEqual([]);

    expectSuccess(await home.run(['fs', 'updateMount', '/mnt/s3']));
    expect(await mountRow(home, '/mnt/s3')).toMatch(/, not read-only, not shared, properties=\{\}\)$/);
    const written = await measured(['fs', 'touch', '/mnt/s3/new.txt']);
    expectSuccess(written.r, ['/mnt/s3/new.txt has been created']);
    expect(written.requests).toContain('PUT data/new.txt');
    expectSuccess(await home.run(['fs', 'rm', '/mnt/s3/new.txt']));
  });

  it('credentials given as options are sealed at rest and never printed', async () => {
    const k = userKeys(1);
    const r = await home.run(['fs', 'updateMount', ...keyOptions(1), '/mnt/s3']);
    expectSuccess(r, ['Updated mount point options at /mnt/s3']);
    const journal = readdirSync(home.journal).map((f) => readFileSync(join(home.journal, f)).toString('latin1')).join('\n');
    expect(journal).not.toContain(k.secret);
    expect(await mountRow(home, '/mnt/s3')).toMatch(/properties=\{s3a\.accessKeyId=\*{6}, s3a\.secretKey=\*{6}\}\)$/);
    expectSuccess(await home.run(['fs', 'cat', '/mnt/s3/one.txt']), [TEXT.trimEnd()]);
  });

  it("wrong credentials fail with mount's error and change nothing", async () => {
    const before = await mountRow(home, '/mnt/s3');
    const wrong = ['--option', `s3a.accessKeyId=${userKeys(1).id}`, '--option', `s3a.secretKey=${registerSecret('wrongwrongwrong')}`];
    const updated = await home.run(['fs', 'updateMount', ...wrong, '/mnt/s3']);
    // the same mount in a namespace where it is new
    const fresh = s3Home({keys: 1, site: {'alluxio.underfs.s3.endpoint': proxy.url}});
    expectSuccess(await fresh.run(['fs', 'mkdir', '/mnt']));
    const mounted = await fresh.run(['fs', 'mount', ...wrong, '/mnt/s3', uri()]);
    expectError(updated, /^S3 denied /);
    expect(updated.stderr).toBe(mounted.stderr);
    expect(await mountRow(home, '/mnt/s3')).toBe(before);
    expectSuccess(await home.run(['fs', 'cat', '/mnt/s3/one.txt']), [TEXT.trimEnd()]);
  });

  it('an unreachable endpoint fails with one line and changes nothing', async () => {
    const before = await mountRow(home, '/mnt/s3');
    const r = await home.run([
      'fs', 'updateMount', '--option', 'alluxio.underfs.s3.endpoint=http://127.0.0.1:9', '--option', 'alluxio.underfs.s3.max.error.retry=0', '/mnt/s3',
    ]);
    expectError(r, /\S/);
    expect(await mountRow(home, '/mnt/s3')).toBe(before);
  });
});

/**
 * Listing through the FileSystem over S3 (facts §4.4): a directory larger than a listing page comes back whole and
 * in path order, one list request per page of alluxio.underfs.listing.length keys (ListObjectsV2, or V1 with
 * list.objects.v1), counted at a recording proxy; names that sort differently as keys and as paths; intermediate
 * directories derived in recursive listings.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {compareStrings} from '../../../src/namespace/mount-table.js';
import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, listPaths, openS3Fs, operationOf, putMany, s3Mount} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';

const N = 2500;
const pad = (n: number) => String(n).padStart(4, '0');

/**
 * 2,500 names under big/, in groups of ten around one directory `nGGGG` (its only key `nGGGG/child`): `nGGGG-b`
 * and `nGGGG.txt` come before the directory's key but after its path, `nGGGG0` and `nGGGG_r` after both.
 */
function bigKeys(): {keys: string[]; names: string[]; recursiveNames: string[]} {
  const keys: string[] = [];
  const names: string[] = [];
  const recursiveNames: string[] = [];
  for (let i = 0; i < N; i++) {
    const g = `n${pad(i - (i % 10))}`;
    const r = i % 10;
    if (r === 0) {
      keys.push(`big/${g}/child`);
      names.push(`${g}/`);
      recursiveNames.push(`${g}/`, `${g}/child`);
      continue;
    }
    const name = r === 1 ? `${g}-b` : r === 2 ? `${g}.txt` : r === 3 ? `${g}0` : `${g}_${r}`;
    keys.push(`big/${name}`);
    names.push(name);
    recursiveNames.push(name);
  }
  const byPath = (a: string, b: string) => compareStrings(a.replace(/\/$/, ''), b.replace(/\/$/, ''));
  return {keys, names: names.sort(byPath), recursiveNames: recursiveNames.sort(byPath)};
}

describe('S3 listing', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  const big = bigKeys();
  const opened: S3Fs[] = [];

  /** A FileSystem with s3://bucket/ mounted at /mnt/s3 through the recording proxy, with these mount options. */
  async function mounted(options: Record<string, string> = {}): Promise<S3Fs> {
    const t = await openS3Fs();
    opened.push(t);
    await t.fs.mount('/mnt/s3', `s3://${bucket}/`, s3Mount({endpoint: proxy.url, options}));
    return t;
  }

  /** The list requests for prefix big/ (not the one-key probe of the folder's own status). */
  function pageRequests() {
    return proxy.requests
      .filter((r) => ['ListObjectsV2', 'ListObjects'].includes(operationOf(r)))
      .map((r) => ({op: operationOf(r), q: new URLSearchParams(r.path.split('?')[1])}))
      .filter(({q}) => q.get('prefix') === 'big/' && q.get('max-keys') !== '1');
  }

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-listing'));
    const started = Date.now();
    await putMany(bucket, ['big/', ...big.keys], 32);
    console.log(`[fs-listing] put ${N + 1} objects in ${Date.now() - started} ms`);
    proxy = await startRecordingProxy(s3Env().endpoint);
  });

  afterAll(async () => {
    for (const t of opened) await t.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it(`lists ${N} children completely and in path order, one ListObjectsV2 per 1000 keys`, async () => {
    const t = await mounted({'alluxio.underfs.listing.length': '1000'});
    proxy.clear();
    const paths = await listPaths(t.fs, '/mnt/s3/big');
    expect(paths).toHaveLength(N);
    expect(paths).toEqual(big.names.map((n) => `/mnt/s3/big/${n}`));
    const pages = pageRequests();
    expect(pages).toHaveLength(Math.ceil((N + 1) / 1000));
    expect(pages.map((p) => p.op)).toEqual(['ListObjectsV2', 'ListObjectsV2', 'ListObjectsV2']);
    expect(pages.map((p) => p.q.get('max-keys'))).toEqual(['1000', '1000', '1000']);
    expect(pages.map((p) => p.q.get('delimiter'))).toEqual(['/', '/', '/']);
    expect(pages.map((p) => p.q.has('continuation-token'))).toEqual([false, true, true]);
  });

  it('lists the same subtree recursively, complete and in path order', async () => {
    const t = await mounted();
    proxy.clear();
    const paths = await listPaths(t.fs, '/mnt/s3/big', true);
    expect(paths).toHaveLength(N + N / 10);
    expect(paths).toEqual(big.recursiveNames.map((n) => `/mnt/s3/big/${n}`));
    const pages = pageRequests();
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.q.get('delimiter'))).toEqual([null, null, null]);
  });

  it('alluxio.underfs.listing.length=300 makes pages of 300', async () => {
    const t = await mounted({'alluxio.underfs.listing.length': '300'});
    proxy.clear();
    expect(await listPaths(t.fs, '/mnt/s3/big')).toEqual(big.names.map((n) => `/mnt/s3/big/${n}`));
    const pages = pageRequests();
    expect(pages).toHaveLength(Math.ceil((N + 1) / 300));
    expect(new Set(pages.map((p) => p.q.get('max-keys')))).toEqual(new Set(['300']));
  });

  it('list.objects.v1=true: the same listing with ListObjects (V1) and markers', async () => {
    const t = await mounted({'alluxio.underfs.listing.length': '1000', 'alluxio.underfs.s3.list.objects.v1': 'true'});
    proxy.clear();
    expect(await listPaths(t.fs, '/mnt/s3/big')).toEqual(big.names.map((n) => `/mnt/s3/big/${n}`));
    const pages = pageRequests();
    expect(pages.map((p) => p.op)).toEqual(['ListObjects', 'ListObjects', 'ListObjects']);
    expect(pages.map((p) => p.q.get('max-keys'))).toEqual(['1000', '1000', '1000']);
    expect(pages.map((p) => p.q.has('marker'))).toEqual([false, true, true]);
    expect(proxy.requests.filter((r) => operationOf(r) === 'ListObjectsV2')).toEqual([]);
  });

  it('names that sort differently as keys and as paths (a-b, a/, a.txt) come in path order', async () => {
    await putObjects(bucket, ['order/a-b', 'order/a/', 'order/a/x', 'order/a.txt', 'order/a0', 'order/a/y/']);
    const t = await mounted();
    // as keys: a-b, a.txt, a/, a/x, a/y/, a0
    expect(await listPaths(t.fs, '/mnt/s3/order')).toEqual([
      '/mnt/s3/order/a/',
      '/mnt/s3/order/a-b',
      '/mnt/s3/order/a.txt',
      '/mnt/s3/order/a0',
    ]);
    expect(await listPaths(t.fs, '/mnt/s3/order', true)).toEqual([
      '/mnt/s3/order/a/',
      '/mnt/s3/order/a-b',
      '/mnt/s3/order/a.txt',
      '/mnt/s3/order/a/x',
      '/mnt/s3/order/a/y/',
      '/mnt/s3/order/a0',
    ]);
  });

  it('recursive listing derives the intermediate directories (facts §4.4: 14 entries)', async () => {
    await putObjects(bucket, ['nest/d1/d1/f1', 'nest/d1/d1/f2', 'nest/d1/d2/f1', 'nest/d2/d1/f1', 'nest/d3/', 'nest/d4/', 'nest/d4/f1', 'nest/f1', 'nest/f2']);
    const t = await mounted();
    const listed = await listPaths(t.fs, '/mnt/s3/nest', true);
    expect(listed.map((p) => p.slice('/mnt/s3/nest/'.length))).toEqual([
      'd1/',
      'd1/d1/',
      'd1/d1/f1',
      'd1/d1/f2',
      'd1/d2/',
      'd1/d2/f1',
      'd2/',
      'd2/d1/',
      'd2/d1/f1',
      'd3/',
      'd4/',
      'd4/f1',
      'f1',
      'f2',
    ]);
    expect(await listPaths(t.fs, '/mnt/s3/nest')).toEqual([
      '/mnt/s3/nest/d1/',
      '/mnt/s3/nest/d2/',
      '/mnt/s3/nest/d3/',
      '/mnt/s3/nest/d4/',
      '/mnt/s3/nest/f1',
      '/mnt/s3/nest/f2',
    ]);
    expect(await listPaths(t.fs, '/mnt/s3/nest/d3')).toEqual([]);
  });
});

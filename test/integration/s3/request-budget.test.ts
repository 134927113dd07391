/**
 * The request budget of README ("Requests per operation"), counted at a recording proxy between our S3 client and
 * radosgw. Each `command()` is a fresh FileSystem over the same metastore, as one `bin/alluxio` process is: what
 * one command learned is never reused by the next. Budgets hold on a writable and on a readonly mount, for the
 * superuser and for a user whose permissions are checked; breadcrumb markers are counted apart.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import type {FileSystem} from '../../../src/fs/file-system.js';
import {cp} from '../../../src/fs/copy.js';
import {copyFromLocal, copyToLocal} from '../../../src/fs/local-copy.js';
import {parseSetfacl} from '../../../src/security/acl.js';
import type {LoginUser} from '../../../src/security/user.js';
import {type RecordedRequest, type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {PRESTO, type S3Fs, listPaths, openS3Fs, putMany, readFs, removeDir, s3Mount, tempDir, writeFs} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

/** A request as `METHOD key` plus, for listings, the prefix and max-keys asked for. */
function describeRequest(r: RecordedRequest, bucket: string): string {
  const url = new URL(r.path, 'http://x');
  const key = decodeURIComponent(url.pathname.slice(`/${bucket}/`.length));
  if (r.method === 'GET' && url.searchParams.has('list-type')) {
    return `LIST ${url.searchParams.get('prefix')} max=${url.searchParams.get('max-keys')}`;
  }
  return `${r.method} ${key}`;
}

describe('S3 request budget per operation', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  let owner: S3Fs;
  let local: string;
  const bigNames = Array.from({length: 2500}, (_, i) => `big/f${String(i).padStart(4, '0')}`);

  beforeAll(async () => {
    ({bucket} = await freshBucket('budget'));
    // The same objects below rw/ and ro/: `marked/` has a marker object; `implied/` only keys below it, as other
    // tools leave folders.
    for (const top of ['rw', 'ro']) {
      await putObjects(bucket, ['marked/', 'marked/file.txt', 'implied/file.txt', 'implied/sub/deep.txt'].map((k) => `${top}/${k}`));
      await putMany(bucket, bigNames.map((k) => `${top}/${k}`));
    }
    proxy = await startRecordingProxy(s3Env().endpoint);
    owner = await openS3Fs();
    await owner.fs.mount('/mnt/rw', `s3://${bucket}/rw`, s3Mount({endpoint: proxy.url, shared: true}));
    await owner.fs.mount('/mnt/ro', `s3://${bucket}/ro`, s3Mount({readOnly: true, endpoint: proxy.url, shared: true}));
    local = await tempDir('budget-local-');
  });

  afterAll(async () => {
    await owner?.close();
    await proxy?.close();
    await removeDir(local);
    await emptyAndDeleteBucket(bucket);
  });

  /** Runs `work` as one command (a fresh FileSystem) and returns its requests, described. */
  async function command(work: (fs: FileSystem) => Promise<unknown>, user?: LoginUser): Promise<string[]> {
    const t = await openS3Fs({folders: owner.folders, user});
    try {
      proxy.clear();
      await work(t.fs);
    } finally {
      await t.close();
    }
    const requests = proxy.requests.map((r) => describeRequest(r, bucket));
    // one command never asks the same question twice (a listing's pages differ by their continuation token)
    const lookups = proxy.requests.filter((r) => r.method === 'HEAD' || /[?&]list-type=/.test(r.path)).map((r) => `${r.method} ${r.path}`);
    expect(lookups.length, `repeated lookups in ${JSON.stringify(requests)}`).toBe(new Set(lookups).size);
    return requests;
  }

  const isBreadcrumb = (r: string) => /^PUT .*\/$/.test(r);
  const breadcrumbs = (requests: string[]) => requests.filter(isBreadcrumb);
  const withoutBreadcrumbs = (requests: string[]) => requests.filter((r) => !isBreadcrumb(r));

  for (const [top, readOnly] of [['rw', false], ['ro', true]] as const) {
    const mount = `/mnt/${top}`;
    for (const [who, user] of [['superuser', undefined], ['checked user', PRESTO]] as const) {
      describe(`${readOnly ? 'readonly' : 'writable'} mount, ${who}`, () => {
        it("a file's status is 1 request", async () => {
          expect(await command((fs) => fs.getStatus(`${mount}/marked/file.txt`), user)).toEqual([`HEAD ${top}/marked/file.txt`]);
        });

        it("a folder's status is at most 3 requests: here HEAD key and one LIST of 1 key, marker or not", async () => {
          expect(await command((fs) => fs.getStatus(`${mount}/marked`), user)).toEqual([`HEAD ${top}/marked`, `LIST ${top}/marked/ max=1`]);
          const implied = await command((fs) => fs.getStatus(`${mount}/implied/sub`), user);
          expect(withoutBreadcrumbs(implied)).toEqual([`HEAD ${top}/implied/sub`, `LIST ${top}/implied/sub/ max=1`]);
          // the first command to see the folder without its marker writes it, on a writable mount only
          expect(breadcrumbs(implied)).toEqual(readOnly || user ? [] : [`PUT ${top}/implied/sub/`]);
        });

        it("a missing path's status is at most 3 requests (and its parent's, for a checked user)", async () => {
          const requests = await command(
            async (fs) => expect((await errorOf(() => fs.getStatus(`${mount}/marked/nope`))).kind).toBe('NOT_FOUND'),
            user,
          );
          const own = [`HEAD ${top}/marked/nope`, `LIST ${top}/marked/nope/ max=1`];
          expect(requests).toEqual(user ? [...own, `HEAD ${top}/marked`, `LIST ${top}/marked/ max=1`] : own);
        });

        it('reading a small file is at most 2 requests', async () => {
          const requests = await command(
            async (fs) => expect((await readFs(fs, `${mount}/marked/file.txt`)).toString()).toBe(`${top}/marked/file.txt`),
            user,
          );
          expect(requests).toEqual([`HEAD ${top}/marked/file.txt`, `GET ${top}/marked/file.txt`]);
        });

        it('ls of a folder is its LIST pages plus at most 2', async () => {
          const requests = await command(async (fs) => expect(await listPaths(fs, `${mount}/big`)).toHaveLength(bigNames.length), user);
          expect(withoutBreadcrumbs(requests)).toEqual([
            `HEAD ${top}/big`,
            `LIST ${top}/big/ max=1`,
            `LIST ${top}/big/ max=1000`,
            `LIST ${top}/big/ max=1000`,
            `LIST ${top}/big/ max=1000`,
          ]);
          expect(breadcrumbs(requests).length).toBeLessThanOrEqual(readOnly ? 0 : 1);
        });

        it('ls of a pattern is one LIST per folder visited or matched, no HEAD per match', async () => {
          // what `fs ls <pattern>` does: expand, then list each match (a file lists as itself)
          const ls = (pattern: string) =>
            command(async (fs) => {
              for (const path of await fs.expand(pattern)) await listPaths(fs, path);
            }, user);
          const listing = (dir: string, pages = 1) => Array.from({length: pages}, () => `LIST ${top}/${dir} max=1000`);
          expect(withoutBreadcrumbs(await ls(`${mount}/*`)).sort()).toEqual(
            [...listing(''), ...listing('big/', 3), ...listing('implied/'), ...listing('marked/')].sort(),
          );
          expect(withoutBreadcrumbs(await ls(`${mount}/*/file.txt`)).sort()).toEqual(
            [...listing(''), ...listing('big/', 3), ...listing('implied/'), ...listing('marked/')].sort(),
          );
          // below the mount point, the starting folder's status costs what a folder's status costs
          expect(withoutBreadcrumbs(await ls(`${mount}/implied/*`))).toEqual([
            `HEAD ${top}/implied`,
            `LIST ${top}/implied/ max=1`,
            ...listing('implied/'),
            ...listing('implied/sub/'),
          ]);
        });

        it('the mount point and the folders above a file cost nothing more, however deep', async () => {
          expect(await command((fs) => fs.getStatus(`${mount}/implied/sub/deep.txt`), user)).toEqual([`HEAD ${top}/implied/sub/deep.txt`]);
          expect(await command((fs) => fs.getStatus(mount), user)).toEqual([]);
        });
      });
    }
  }

  it('a folder without a marker gets one breadcrumb per command on a writable mount, however often it is asked for', async () => {
    await putObjects(bucket, ['rw/crumbs/a/x', 'rw/crumbs/a/y']);
    const requests = await command(async (fs) => {
      await fs.getStatus('/mnt/rw/crumbs/a');
      await listPaths(fs, '/mnt/rw/crumbs/a');
      await fs.getStatus('/mnt/rw/crumbs/a');
      await fs.getStatus('/mnt/rw/crumbs/a/x');
    });
    expect(requests).toEqual(['HEAD rw/crumbs/a', 'LIST rw/crumbs/a/ max=1', 'PUT rw/crumbs/a/', 'LIST rw/crumbs/a/ max=1000']);
  });

  it('creating a file in a folder the command already knows is 1 PUT', async () => {
    const since = (mark: number) => proxy.requests.slice(mark).map((r) => describeRequest(r, bucket));
    await command(async (fs) => {
      await listPaths(fs, '/mnt/rw/marked');
      const mark = proxy.requests.length;
      await writeFs(fs, '/mnt/rw/marked/new.txt', 'new');
      expect(since(mark)).toEqual(['PUT rw/marked/new.txt']);
    });
    const made = await command(async (fs) => {
      await fs.mkdir('/mnt/rw/made', {recursive: false});
      const mark = proxy.requests.length;
      await writeFs(fs, '/mnt/rw/made/a.txt', 'a');
      await writeFs(fs, '/mnt/rw/made/b.txt', 'b');
      expect(since(mark)).toEqual(['PUT rw/made/a.txt', 'PUT rw/made/b.txt']);
    });
    expect(made.slice(0, 3)).toEqual(['HEAD rw/made', 'LIST rw/made/ max=1', 'PUT rw/made/']);
  });

  it('getfacl and setfacl are the status of the path (setfacl -R: plus its LIST pages), and never write to the bucket', async () => {
    const modify = (entries: string) => parseSetfacl({modify: entries, removeAll: false, removeDefault: false, toDefault: false});
    expect(await command((fs) => fs.getAcl('/mnt/rw/marked/file.txt'))).toEqual(['HEAD rw/marked/file.txt']);
    expect(await command((fs) => fs.setAcl('/mnt/rw/marked/file.txt', modify('user:presto:r--'), false))).toEqual([
      'HEAD rw/marked/file.txt',
    ]);
    // A checked user who owns nothing pays the same before being refused.
    const refused = await command(
      async (fs) => expect((await errorOf(() => fs.setAcl('/mnt/rw/marked/file.txt', modify('user:presto:rwx'), false))).kind).toBe('PERMISSION_DENIED'),
      PRESTO,
    );
    expect(refused).toEqual(['HEAD rw/marked/file.txt']);
    expect(await command((fs) => fs.setAcl('/mnt/rw/marked', modify('default:user:presto:r-x'), true))).toEqual([
      'HEAD rw/marked',
      'LIST rw/marked/ max=1',
      'LIST rw/marked/ max=1000',
    ]);
    const big = await command((fs) => fs.setAcl('/mnt/rw/big', modify('user:presto:r--'), true));
    expect(withoutBreadcrumbs(big)).toEqual([
      'HEAD rw/big',
      'LIST rw/big/ max=1',
      'LIST rw/big/ max=1000',
      'LIST rw/big/ max=1000',
      'LIST rw/big/ max=1000',
    ]);
    expect(await command(async (fs) => expect((await fs.getAcl('/mnt/rw/big/f0042')).entries).toContain('user:presto:r--'))).toEqual([
      'HEAD rw/big/f0042',
    ]);
  });

  it('copying N files into a folder is N PUTs plus its LIST pages; copying them out, N GETs plus the LIST pages', async () => {
    const n = 1200;
    const src = join(local, 'many');
    mkdirSync(src);
    for (let i = 0; i < n; i++) writeFileSync(join(src, `m${i}`), `m${i}`);
    const quiet = () => undefined;
    const others = (requests: string[], prefix: string) => requests.filter((r) => !r.startsWith(prefix));

    const fresh = await command((fs) => copyFromLocal(fs, src, '/mnt/rw/copied', quiet));
    expect(fresh.filter((r) => r.startsWith('PUT rw/copied/m'))).toHaveLength(n);
    expect(others(fresh, 'PUT rw/copied/m')).toEqual(['HEAD rw/copied', 'LIST rw/copied/ max=1', 'PUT rw/copied/']);
    expect(await listAllKeys(bucket, {prefix: 'rw/copied/'})).toHaveLength(n + 1);

    // into big/, which holds 2,500 objects already: its listing is read once, no file is looked up on its own
    const into = await command((fs) => copyFromLocal(fs, src, '/mnt/rw/big', quiet));
    expect(into.filter((r) => r.startsWith('PUT rw/big/m'))).toHaveLength(n);
    expect(withoutBreadcrumbs(others(into, 'PUT rw/big/m'))).toEqual([
      'HEAD rw/big',
      'LIST rw/big/ max=1',
      'LIST rw/big/ max=1000',
      'LIST rw/big/ max=1000',
      'LIST rw/big/ max=1000',
    ]);

    // a few files into a folder far larger than the copy: one page read at most (and the next one asked for),
    // then each file looked up on its own
    const few = join(local, 'few');
    mkdirSync(few);
    for (const name of ['x1', 'x2', 'x3']) writeFileSync(join(few, name), name);
    const small = await command((fs) => copyFromLocal(fs, few, '/mnt/rw/big', quiet));
    expect(small.filter((r) => r.startsWith('LIST rw/big/ max=1000')).length).toBeLessThanOrEqual(2);
    expect(small.filter((r) => r.startsWith('LIST rw/big/x'))).toHaveLength(3);
    expect(small.filter((r) => r.startsWith('PUT rw/big/x'))).toHaveLength(3);

    const down = await command((fs) => copyToLocal(fs, '/mnt/rw/copied', join(local, 'out'), quiet));
    expect(down.filter((r) => r.startsWith('GET rw/copied/m'))).toHaveLength(n);
    expect(others(down, 'GET rw/copied/m')).toEqual([
      'HEAD rw/copied',
      'LIST rw/copied/ max=1',
      'LIST rw/copied/ max=1000',
      'LIST rw/copied/ max=1000',
    ]);
  });

  it('cp between two mounts of one store: a file is 4 requests, one a CopyObject; a folder of N files its LIST pages + N CopyObjects', async () => {
    const quiet = () => undefined;
    const copies = () => proxy.requests.filter((r) => r.headers['x-amz-copy-source'] !== undefined).length;
    const one = await command((fs) => cp(fs, '/mnt/ro/marked/file.txt', '/mnt/rw/cp-one.txt', {recursive: false, preserve: false}, quiet));
    expect(one).toEqual(['HEAD ro/marked/file.txt', 'HEAD rw/cp-one.txt', 'LIST rw/cp-one.txt/ max=1', 'PUT rw/cp-one.txt']);
    expect(copies()).toBe(1);

    const tree = await command((fs) => cp(fs, '/mnt/ro/big', '/mnt/rw/cp-tree', {recursive: true, preserve: false}, quiet));
    expect(copies()).toBe(bigNames.length);
    expect(tree.filter((r) => /^PUT rw\/cp-tree\/f\d+$/.test(r))).toHaveLength(bigNames.length);
    expect(tree.filter((r) => !/^PUT rw\/cp-tree\/f\d+$/.test(r)).sort()).toEqual(
      [
        'HEAD ro/big',
        'LIST ro/big/ max=1',
        'HEAD rw/cp-tree',
        'LIST rw/cp-tree/ max=1',
        'PUT rw/cp-tree/',
        'LIST ro/big/ max=1000',
        'LIST ro/big/ max=1000',
        'LIST ro/big/ max=1000',
      ].sort(),
    );
    expect(await listAllKeys(bucket, {prefix: 'rw/cp-tree/'})).toHaveLength(bigNames.length + 1);
  });
});

/**
 * Owner, group and mode of S3 paths (facts §3, §6): from the account and the bucket ACL, the id-to-name mapping,
 * a READ-only grantee, inherit.acl=false with default.mode (owner inherited from the mount point's parent),
 * --shared; Alluxio's permission check as another user (the doc's presto/john example); chmod/chown/chgrp change
 * Alluxio's metadata only and never S3.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {
  PRESTO,
  type S3Fs,
  collect,
  grantUser2,
  listPaths,
  openS3Fs,
  operationOf,
  readFs,
  s3Mount,
} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

const PREFIXES = ['own', 'seed', 'shared', 'sharedjohn', 'noacl', 'u2', 'u2r', 'attrs'];
const JOHN = {'alluxio.underfs.s3.owner.id.to.username.mapping': 'user1=john'};
const NO_ACL = {'alluxio.underfs.s3.inherit.acl': 'false', 'alluxio.underfs.s3.default.mode': '0777'};

describe('S3 owner, group and mode', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  let t: S3Fs;
  let presto: S3Fs | undefined;

  const triple = async (fs: S3Fs, path: string) => {
    const s = await fs.fs.getStatus(path);
    return {owner: s.owner, group: s.group, mode: s.mode.toString(8).padStart(4, '0')};
  };

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-identity'));
    // user2 may not HEAD user1's objects (object ACLs are private): no markers under its prefixes
    await putObjects(bucket, PREFIXES.flatMap((p) => [...(p.startsWith('u2') ? [] : [`${p}/`]), `${p}/obj.txt`, `${p}/sub/f`]));
    proxy = await startRecordingProxy(s3Env().endpoint);
    t = await openS3Fs();
  });

  afterAll(async () => {
    await presto?.close();
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('the bucket owner (FULL_CONTROL): owner = display name "User One", group = owner, 0700 on dirs and files', async () => {
    await t.fs.mount('/mnt/own', `s3://${bucket}/own`, s3Mount({endpoint: proxy.url}));
    const expected = {owner: 'User One', group: 'User One', mode: '0700'};
    expect(await triple(t, '/mnt/own')).toEqual(expected);
    expect(await triple(t, '/mnt/own/obj.txt')).toEqual(expected);
    expect(await triple(t, '/mnt/own/sub')).toEqual(expected);
    const listed = await collect(t.fs.list('/mnt/own', {recursive: true}));
    expect(listed.map((s) => [s.path, s.owner, s.group, s.mode])).toEqual([
      ['/mnt/own/obj.txt', 'User One', 'User One', 0o700],
      ['/mnt/own/sub', 'User One', 'User One', 0o700],
      ['/mnt/own/sub/f', 'User One', 'User One', 0o700],
    ]);
    expect((await t.fs.getStatus('/mnt/own')).isMountPoint).toBe(true);
  });

  it('owner.id.to.username.mapping=user1=john gives john', async () => {
    await t.fs.mount('/mnt/s3', `s3://${bucket}/seed`, s3Mount({options: JOHN}));
    expect(await triple(t, '/mnt/s3')).toEqual({owner: 'john', group: 'john', mode: '0700'});
    expect(await triple(t, '/mnt/s3/obj.txt')).toEqual({owner: 'john', group: 'john', mode: '0700'});
  });

  it('user2 with READ (and READ_ACP, to read the ACL) on the bucket: 0500, owner "User Two"', async () => {
    await grantUser2(bucket, ['READ', 'READ_ACP']);
    await t.fs.mount('/mnt/u2', `s3://${bucket}/u2`, s3Mount({user: 2}));
    expect(await triple(t, '/mnt/u2')).toEqual({owner: 'User Two', group: 'User Two', mode: '0500'});
    const listed = await collect(t.fs.list('/mnt/u2', {recursive: true}));
    expect(listed.map((s) => [s.path, s.owner, s.group, s.mode])).toEqual([
      ['/mnt/u2/obj.txt', 'User Two', 'User Two', 0o500],
      ['/mnt/u2/sub', 'User Two', 'User Two', 0o500],
      ['/mnt/u2/sub/f', 'User Two', 'User Two', 0o500],
    ]);
  });

  it('user2 with READ only cannot read the ACL: defaults (0700) with a warning, owner from the parent in Alluxio', async () => {
    await grantUser2(bucket, ['READ']);
    t.warnings.length = 0;
    await t.fs.mount('/mnt/u2r', `s3://${bucket}/u2r`, s3Mount({user: 2}));
    const parent = await t.fs.getStatus('/mnt');
    expect(parent).toMatchObject({owner: 'alice', group: 'staff'});
    expect(await triple(t, '/mnt/u2r')).toEqual({owner: 'alice', group: 'staff', mode: '0700'});
    const aclWarnings = t.warnings.filter((w) => w.includes(`Failed to inherit bucket ACLs of ${bucket}`));
    expect(aclWarnings.length).toBeGreaterThanOrEqual(1);
    expect(aclWarnings[0]).toContain('HTTP 403 AccessDenied');
  });

  it('inherit.acl=false, default.mode=0777: 0777, owner and group of the mount point\'s parent, no ACL request', async () => {
    await t.fs.mkdir('/bobs', {recursive: false, writeType: 'CACHE_THROUGH'});
    await t.fs.chown('/bobs', 'bob', 'bobs', false);
    proxy.clear();
    await t.fs.mount('/bobs/s3', `s3://${bucket}/noacl`, s3Mount({endpoint: proxy.url, options: NO_ACL}));
    expect(await triple(t, '/bobs/s3')).toEqual({owner: 'bob', group: 'bobs', mode: '0777'});
    expect(await triple(t, '/bobs/s3/obj.txt')).toEqual({owner: 'bob', group: 'bobs', mode: '0777'});
    expect(await triple(t, '/bobs/s3/sub')).toEqual({owner: 'bob', group: 'bobs', mode: '0777'});
    const ops = proxy.requests.map((r) => operationOf(r));
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.filter((op) => op === 'ListBuckets' || op === 'GetBucketAcl')).toEqual([]);
  });

  it('--shared turns 0700 into 0707 (rwx---rwx)', async () => {
    await t.fs.mount('/mnt/shared', `s3://${bucket}/shared`, s3Mount({shared: true}));
    expect(await triple(t, '/mnt/shared')).toEqual({owner: 'User One', group: 'User One', mode: '0707'});
    expect(await triple(t, '/mnt/shared/obj.txt')).toEqual({owner: 'User One', group: 'User One', mode: '0707'});
  });

  describe('another user (presto, not a superuser) on the same namespace', () => {
    beforeAll(async () => {
      await t.fs.mount('/mnt/sharedjohn', `s3://${bucket}/sharedjohn`, s3Mount({shared: true, options: JOHN}));
      await t.fs.mount('/mnt/open', `s3://${bucket}/attrs`, s3Mount({options: {...JOHN, ...NO_ACL}}));
      presto = await openS3Fs({folders: t.folders, user: PRESTO});
    });

    it('fails to list the 0700 mount owned by john, with Alluxio\'s message (r-x on the dir, --x below it)', async () => {
      const p = presto!.fs;
      expect(await triple(presto!, '/mnt/s3')).toEqual({owner: 'john', group: 'john', mode: '0700'});
      const listing = await errorOf(() => collect(p.list('/mnt/s3', {recursive: false})));
      expect(listing.message).toBe(
        'Permission denied: user=presto, access=r-x, path=/mnt/s3: failed at s3, inode owner=john, inode group=john, inode mode=rwx------',
      );
      expect(listing.kind).toBe('PERMISSION_DENIED');
      const below = 'Permission denied: user=presto, access=--x, path=/mnt/s3/obj.txt: failed at s3, inode owner=john, inode group=john, inode mode=rwx------';
      expect((await errorOf(() => p.getStatus('/mnt/s3/obj.txt'))).message).toBe(below);
      expect((await errorOf(() => p.open('/mnt/s3/obj.txt', 'NO_CACHE'))).message).toBe(below);
      expect((await errorOf(() => collect(p.list('/mnt/s3/sub', {recursive: false})))).message).toBe(
        'Permission denied: user=presto, access=--x, path=/mnt/s3/sub: failed at s3, inode owner=john, inode group=john, inode mode=rwx------',
      );
    });

    it('passes on a --shared mount of john\'s (0707)', async () => {
      expect(await triple(presto!, '/mnt/sharedjohn')).toEqual({owner: 'john', group: 'john', mode: '0707'});
      expect(await listPaths(presto!.fs, '/mnt/sharedjohn')).toEqual(['/mnt/sharedjohn/obj.txt', '/mnt/sharedjohn/sub/']);
      expect((await readFs(presto!.fs, '/mnt/sharedjohn/obj.txt')).toString()).toBe('sharedjohn/obj.txt');
    });

    it('passes with inherit.acl=false and default.mode=0777', async () => {
      expect(await triple(presto!, '/mnt/open')).toEqual({owner: 'alice', group: 'staff', mode: '0777'});
      expect(await listPaths(presto!.fs, '/mnt/open')).toEqual(['/mnt/open/obj.txt', '/mnt/open/sub/']);
      expect((await readFs(presto!.fs, '/mnt/open/sub/f')).toString()).toBe('attrs/sub/f');
    });
  });

  it('chmod, chown and chgrp change Alluxio\'s view only: no request changes S3', async () => {
    // with markers, so that no breadcrumb is due: any write would come from the attribute changes
    await putObjects(bucket, ['own/attr/', 'own/attr/x', 'own/attr/y/', 'own/attr/y/z']);
    const keysBefore = await listAllKeys(bucket, {prefix: 'own/'});
    proxy.clear();
    await t.fs.chmod('/mnt/own/obj.txt', 0o640, false);
    await t.fs.chmod('/mnt/own/attr', 0o751, true);
    await t.fs.chown('/mnt/own/sub/f', 'bob', 'bobs', false);
    await t.fs.chown('/mnt/own/sub', 'bob', undefined, false);
    await t.fs.chgrp('/mnt/own/attr', 'dev', true);

    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.writes().map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(proxy.requests.filter((r) => /[?&]acl(=|&|$)/.test(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(await listAllKeys(bucket, {prefix: 'own/'})).toEqual(keysBefore);

    expect(await triple(t, '/mnt/own/obj.txt')).toEqual({owner: 'User One', group: 'User One', mode: '0640'});
    expect(await triple(t, '/mnt/own/attr')).toEqual({owner: 'User One', group: 'dev', mode: '0751'});
    expect(await triple(t, '/mnt/own/attr/y/z')).toEqual({owner: 'User One', group: 'dev', mode: '0751'});
    expect(await triple(t, '/mnt/own/sub/f')).toEqual({owner: 'bob', group: 'bobs', mode: '0700'});
    expect(await triple(t, '/mnt/own/sub')).toEqual({owner: 'bob', group: 'User One', mode: '0700'});
    // untouched paths keep the mount's triple
    expect(await triple(t, '/mnt/own')).toEqual({owner: 'User One', group: 'User One', mode: '0700'});
  });
});

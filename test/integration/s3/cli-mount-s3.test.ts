/**
 * `bin/alluxio fs mount` of S3 against radosgw: the mount table (facts §5.1), owner/group/mode from the bucket ACL
 * with the mapping, inherit.acl, default.mode and --shared options (§3), Alluxio's permission check on the mount
 * point (§6, the S3 doc's presto example), and mounts that must be refused.
 */
import {CreateBucketCommand, PutBucketAclCommand, type Grant} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {lsLine, parseLsLine, TIMESTAMP} from '../../helpers/alluxio-format.js';
import {type Home, ME, MY_GROUP, cleanupHomes, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, s3Client, uniqueBucketName} from '../../helpers/s3.js';
import {guardSecrets, keyOptions, mountTable, s3Home} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const DIRS = ['plain', 'dir', 'u2', 'open', 'shared', 'ro', 'acl-fallback'];
const MAPPING = 'alluxio.underfs.s3.owner.id.to.username.mapping';

let bucket: string;
/** user1's bucket where user2 may only READ (no READ_ACP): the ACL cannot be read by user2. */
let readOnlyGrantBucket: string;

function grants(extra: Grant[]): {AccessControlPolicy: {Owner: {ID: string}; Grants: Grant[]}} {
  const env = s3Env();
  return {
    AccessControlPolicy: {
      Owner: {ID: env.userId},
      Grants: [{Grantee: {Type: 'CanonicalUser', ID: env.userId}, Permission: 'FULL_CONTROL'}, ...extra],
    },
  };
}

beforeAll(async () => {
  const env = s3Env();
  ({bucket} = await freshBucket('cli-mount'));
  const objects: Record<string, string> = {};
  for (const d of DIRS) {
    // no marker under u2/: user2 may list the bucket but not read user1's objects (a HEAD of the marker is refused)
    if (d !== 'u2') objects[`${d}/`] = '';
    objects[`${d}/f.txt`] = `file of ${d}`;
  }
  await putObjects(bucket, objects);
  // user2 may list the bucket and read its ACL (READ_ACP: without it GetBucketAcl is refused, see below)
  const user2 = {Type: 'CanonicalUser' as const, ID: env.user2Id};
  await s3Client().send(
    new PutBucketAclCommand({
      Bucket: bucket,
      ...grants([
        {Grantee: user2, Permission: 'READ'},
        {Grantee: user2, Permission: 'READ_ACP'},
      ]),
    }),
  );
  readOnlyGrantBucket = uniqueBucketName('cli-mount-read');
  await s3Client().send(new CreateBucketCommand({Bucket: readOnlyGrantBucket}));
  await putObjects(readOnlyGrantBucket, {'d/f.txt': 'x'});
  await s3Client().send(new PutBucketAclCommand({Bucket: readOnlyGrantBucket, ...grants([{Grantee: user2, Permission: 'READ'}])}));
});

afterAll(async () => {
  await emptyAndDeleteBucket(bucket);
  await emptyAndDeleteBucket(readOnlyGrantBucket);
});

/** `fs ls -d` of one path, parsed. */
async function lsDir(home: Home, path: string, extra: string[] = []) {
  const r = await home.run(['fs', ...extra, 'ls', '-d', path]);
  expectSuccess(r);
  expect(lines(r.stdout)).toHaveLength(1);
  return parseLsLine(lines(r.stdout)[0]!);
}

describe('S3 mounts: table, owner and mode', () => {
  let home: Home;
  const uri = (d: string) => `s3://${bucket}/${d}`;

  beforeAll(async () => {
    // user1's keys in the site file: every mount without keys of its own uses them
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']), ['Successfully created directory /mnt']);
    const mounts: [string[], string, string][] = [
      [[], '/mnt/plain', 'plain'],
      [[...keyOptions(1), '--option', `${MAPPING}=user1=john`], '/mnt/s3', 'dir'],
      [keyOptions(2), '/mnt/u2', 'u2'],
      [['--option', 'alluxio.underfs.s3.inherit.acl=false', '--option', 'alluxio.underfs.s3.default.mode=0777'], '/mnt/open', 'open'],
      [['--shared', '--option', `${MAPPING}=user1=john`], '/mnt/shared', 'shared'],
      [['--readonly'], '/mnt/ro', 'ro'],
    ];
    for (const [options, path, dir] of mounts) {
      expectSuccess(await home.run(['fs', 'mount', ...options, path, `${uri(dir)}/`]), [`Mounted ${uri(dir)} at ${path}`]);
    }
  });

  it('the mount table: URIs with a trailing /, capacity=-1B, used=-1B, flags, options with credentials as ******', async () => {
    const rows = await mountTable(home);
    expect(rows.map((r) => r.path)).toEqual(['/', '/mnt/open', '/mnt/plain', '/mnt/ro', '/mnt/s3', '/mnt/shared', '/mnt/u2']);
    const s3Rows = rows.slice(1).map(({line: _line, ...rest}) => rest);
    const row = (path: string, dir: string, readOnly: boolean, shared: boolean, properties: string[]) => ({
      ufs: `${uri(dir)}/`,
      path,
      type: 's3',
      capacity: '-1B',
      used: '-1B',
      readOnly,
      shared,
      properties: properties.sort(),
    });
    expect(s3Rows).toEqual([
      row('/mnt/open', 'open', false, false, ['alluxio.underfs.s3.inherit.acl=false', 'alluxio.underfs.s3.default.mode=0777']),
      row('/mnt/plain', 'plain', false, false, []),
      row('/mnt/ro', 'ro', true, false, []),
      row('/mnt/s3', 'dir', false, false, ['s3a.accessKeyId=******', 's3a.secretKey=******', `${MAPPING}=user1=john`]),
      row('/mnt/shared', 'shared', false, true, [`${MAPPING}=user1=john`]),
      row('/mnt/u2', 'u2', false, false, ['s3a.accessKeyId=******', 's3a.secretKey=******']),
    ]);
    // the S3 doc's example line, padded as the table pads it
    const width = Math.max(...rows.map((r) => r.ufs.length));
    const pathWidth = Math.max(...rows.map((r) => r.path.length));
    expect(rows.find((r) => r.path === '/mnt/u2')!.line).toBe(
      `${`${uri('u2')}/`.padEnd(width)}  on  ${'/mnt/u2'.padEnd(pathWidth)}  ` +
        '(s3, capacity=-1B, used=-1B, not read-only, not shared, properties={s3a.accessKeyId=******, s3a.secretKey=******})',
    );
  });

  it('owner, group and mode of each mount point (ls -d) and of its files (ls)', async () => {
    const expected: Record<string, [string, string, string]> = {
      // [mode bits, owner, group]
      '/mnt/plain': ['rwx------', 'User One', 'User One'],
      '/mnt/s3': ['rwx------', 'john', 'john'],
      '/mnt/u2': ['r-x------', 'User Two', 'User Two'],
      // no owner from S3: the mount point takes its parent's (/mnt, made by this user)
      '/mnt/open': ['rwxrwxrwx', ME, MY_GROUP],
      '/mnt/shared': ['rwx---rwx', 'john', 'john'],
      '/mnt/ro': ['rwx------', 'User One', 'User One'],
    };
    for (const [path, [bits, owner, group]] of Object.entries(expected)) {
      const dir = await lsDir(home, path);
      expect({perm: dir.perm, owner: dir.owner, group: dir.group, state: dir.state, inAlluxio: dir.inAlluxio, path: dir.path}, path).toEqual({
        perm: `d${bits}`,
        owner,
        group,
        state: 'PERSISTED',
        inAlluxio: 'DIR',
        path,
      });
      const r = await home.run(['fs', 'ls', path]);
      expectSuccess(r);
      const out = lines(r.stdout);
      expect(out, path).toHaveLength(1);
      const f = parseLsLine(out[0]!);
      expect(f.time, path).toMatch(TIMESTAMP);
      const name = path === '/mnt/s3' ? 'dir' : path.slice('/mnt/'.length);
      expect(out[0], path).toBe(
        lsLine({
          perm: `-${bits}`,
          owner,
          group,
          size: `file of ${name}`.length,
          state: 'PERSISTED',
          time: f.time,
          inAlluxio: '0%',
          path: `${path}/f.txt`,
        }),
      );
    }
  });

  it('the S3 doc\'s example: user presto is refused the mount mapped to john, with Alluxio\'s exact message', async () => {
    const r = await home.run(['-Dalluxio.security.login.username=presto', 'fs', 'ls', '/mnt/s3']);
    expectError(
      r,
      'Permission denied: user=presto, access=r-x, path=/mnt/s3: failed at s3, inode owner=john, inode group=john, inode mode=rwx------',
    );
    const plain = await home.run(['fs', '-Dalluxio.security.login.username=presto', 'ls', '/mnt/plain']);
    expectError(
      plain,
      'Permission denied: user=presto, access=r-x, path=/mnt/plain: failed at plain, inode owner=User One, inode group=User One, inode mode=rwx------',
    );
  });

  it('presto may list the --shared mount and the inherit.acl=false + default.mode=0777 one', async () => {
    const shared = await home.run(['fs', '-Dalluxio.security.login.username=presto', 'ls', '/mnt/shared']);
    expectSuccess(shared);
    expect(lines(shared.stdout).map((l) => parseLsLine(l)).map((f) => [f.perm, f.owner, f.path])).toEqual([
      ['-rwx---rwx', 'john', '/mnt/shared/f.txt'],
    ]);
    const open = await home.run(['-Dalluxio.security.login.username=presto', 'fs', 'ls', '/mnt/open']);
    expectSuccess(open);
    expect(lines(open.stdout).map((l) => parseLsLine(l)).map((f) => [f.perm, f.path])).toEqual([['-rwxrwxrwx', '/mnt/open/f.txt']]);
    // and another user may not list the unshared r-x------ mount
    const denied = await home.run(['-Dalluxio.security.login.username=alice', 'fs', 'ls', '/mnt/u2']);
    expectError(
      denied,
      'Permission denied: user=alice, access=r-x, path=/mnt/u2: failed at u2, inode owner=User Two, inode group=User Two, inode mode=r-x------',
    );
  });

  it('a READ grant without READ_ACP: the ACL cannot be read, one warning, default mode 0700, owner from the parent', async () => {
    const h = s3Home();
    expectSuccess(await h.run(['fs', 'mkdir', '/mnt']));
    const r = await h.run(['fs', 'mount', ...keyOptions(2), '/mnt/r', `s3://${readOnlyGrantBucket}/d`]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([`Mounted s3://${readOnlyGrantBucket}/d at /mnt/r`]);
    const warnings = lines(r.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN: Failed to inherit bucket ACLs\b.*GetBucketAcl.*HTTP 403/);
    expect(warnings[0]).toContain('****************0002');
    const dir = await lsDir(h, '/mnt/r');
    expect([dir.perm, dir.owner, dir.group]).toEqual(['drwx------', ME, MY_GROUP]);
  });
});

describe('mounts that must be refused: one clear line, exit 255, nothing mounted', () => {
  let home: Home;
  let before: unknown[];
  // the local root's capacity and use change with the disk: compare everything else
  const table = async () => (await mountTable(home)).map(({ufs, path, type, readOnly, shared, properties}) => ({ufs, path, type, readOnly, shared, properties}));

  beforeAll(async () => {
    home = s3Home({keys: 1});
    before = await table();
    expect(before).toHaveLength(1);
  });

  // [what, the URI, the message's first line] (functions: the bucket is known only once beforeAll ran)
  const cases: [string, () => string, () => string | RegExp][] = [
    ['no bucket', () => 's3://', () => /^s3:\/\/\/? has no bucket name$/],
    ['an invalid bucket name', () => 's3://Bad_Bucket!/x', () => 'Invalid bucket name "Bad_Bucket!" in s3://Bad_Bucket!/x'],
    ['a bucket that does not exist', () => 's3://alluxio-no-such-bucket-7f3a9/x', () => /^Bucket alluxio-no-such-bucket-7f3a9 does not exist\b/],
    ['a directory that does not exist', () => `s3://${bucket}/no/such/dir`, () => `Ufs path s3://${bucket}/no/such/dir does not exist`],
    ['the s3n:// scheme', () => 's3n://b/x', () => /^Unsupported under file system URI s3n:\/\/b\/x\b/],
  ];

  for (const [what, target, message] of cases) {
    it(what, async () => {
      const r = await home.run(['fs', 'mount', '/m', target()]);
      expectError(r, message());
      expect(await table()).toEqual(before);
      const ls = await home.run(['fs', 'ls', '-d', '/m']);
      expectError(ls, 'Path "/m" does not exist.');
    });
  }

  it('the refused directory was not created in the bucket', async () => {
    expect(await listAllKeys(bucket, {prefix: 'no/'})).toEqual([]);
  });
});

import {describe, expect, it} from 'vitest';
import {EXECUTE, NONE, READ, WRITE} from '../../../src/security/mode.js';
import {
  type InodeView,
  PermissionChecker,
  type PermissionCheckerOptions,
  parseGroupName,
  parseOwnerGroup,
} from '../../../src/security/permission-checker.js';
import type {LoginUser} from '../../../src/security/user.js';
import {errorOf} from '../../helpers/thrown.js';

const inode = (path: string, owner: string, group: string, mode: number): InodeView => ({
  name: path === '/' ? '' : (path.split('/').pop() as string),
  path,
  owner,
  group,
  mode,
});

const root = inode('/', 'alluxio', 'alluxio', 0o755);
const mnt = inode('/mnt', 'alluxio', 'alluxio', 0o755);
const s3 = inode('/mnt/s3', 'john', 'john', 0o700);
const obj = inode('/mnt/s3/myobject', 'john', 'john', 0o700);

const user = (name: string, groups: string[] = []): LoginUser => ({name, groups, primaryGroup: groups[0] ?? ''});

const checker = (u: LoginUser, extra: Partial<PermissionCheckerOptions> = {}) =>
  new PermissionChecker({enabled: true, user: u, superUser: 'alluxio', superGroup: 'supergroup', ...extra});

describe('checkPath', () => {
  it('fails on the first ancestor without x, naming it (the S3 doc example)', () => {
    const presto = checker(user('presto', ['presto']));
    const e = errorOf(() => presto.checkPath('/mnt/s3/myobject', [root, mnt, s3, obj], READ));
    expect(e.kind).toBe('PERMISSION_DENIED');
    expect(e.message).toBe(
      'Permission denied: user=presto, access=--x, path=/mnt/s3/myobject: failed at s3, inode owner=john, ' +
        'inode group=john, inode mode=rwx------',
    );
  });

  it('names / for the root', () => {
    const closedRoot = inode('/', 'alluxio', 'alluxio', 0o700);
    const e = errorOf(() => checker(user('presto')).checkPath('/mnt', [closedRoot, mnt], NONE));
    expect(e.message).toBe(
      'Permission denied: user=presto, access=--x, path=/mnt: failed at /, inode owner=alluxio, ' +
        'inode group=alluxio, inode mode=rwx------',
    );
  });

  it('uses owner bits for the owner', () => {
    const c = checker(user('john', ['john']));
    c.checkPath('/mnt/s3/myobject', [root, mnt, s3, obj], READ);
    const locked = inode('/mnt/s3/myobject', 'john', 'john', 0o077);
    expect(errorOf(() => c.checkPath('/mnt/s3/myobject', [root, mnt, s3, locked], READ)).message).toBe(
      'Permission denied: user=john, access=r--, path=/mnt/s3/myobject: failed at myobject, inode owner=john, ' +
        'inode group=john, inode mode=---rwxrwx',
    );
  });

  it('uses group bits for a group member that does not own the inode', () => {
    const dir = inode('/data', 'john', 'hadoop', 0o750);
    const c = checker(user('presto', ['presto', 'hadoop']));
    c.checkPath('/data', [root, dir], READ);
    expect(errorOf(() => c.checkPath('/data', [root, dir], WRITE)).message).toBe(
      'Permission denied: user=presto, access=-w-, path=/data: failed at data, inode owner=john, ' +
        'inode group=hadoop, inode mode=rwxr-x---',
    );
  });

  it('uses other bits for anyone else, even when owner bits are wider', () => {
    const dir = inode('/data', 'john', 'hadoop', 0o705);
    const c = checker(user('presto', ['presto']));
    c.checkPath('/data', [root, dir], READ);
    expect(() => c.checkPath('/data', [root, dir], WRITE)).toThrow('access=-w-');
    // Group bits apply to members even when others have more.
    const member = checker(user('ann', ['hadoop']));
    expect(() => member.checkPath('/data', [root, dir], READ)).toThrow('access=r--');
  });

  it('checks every requested bit', () => {
    const dir = inode('/data', 'john', 'john', 0o704);
    const c = checker(user('presto'));
    expect(() => c.checkPath('/data', [root, dir], 5)).toThrow('access=r-x');
  });

  it('applies the bits to the deepest existing inode when the target is missing', () => {
    const c = checker(user('presto'));
    expect(() => c.checkPath('/mnt/new/file', [root, mnt], WRITE)).toThrow(
      'Permission denied: user=presto, access=-w-, path=/mnt/new/file: failed at mnt',
    );
    c.checkPath('/mnt/new/file', [root, mnt], EXECUTE);
  });

  it('needs only x on ancestors for NONE (getStatus)', () => {
    const c = checker(user('presto'));
    c.checkPath('/mnt/s3', [root, mnt, s3], NONE);
    expect(() => c.checkPath('/mnt/s3/myobject', [root, mnt, s3, obj], NONE)).toThrow('failed at s3');
  });
});

describe('checkParent', () => {
  const c = checker(user('presto', ['presto']));

  it('checks the parent of an existing target', () => {
    const dir = inode('/tmp', 'alluxio', 'alluxio', 0o777);
    const file = inode('/tmp/f', 'john', 'john', 0o600);
    c.checkParent('/tmp/f', [root, dir, file], WRITE);
    expect(errorOf(() => c.checkParent('/mnt/s3', [root, mnt, s3], WRITE)).message).toBe(
      'Permission denied: user=presto, access=-w-, path=/mnt/s3: failed at mnt, inode owner=alluxio, ' +
        'inode group=alluxio, inode mode=rwxr-xr-x',
    );
  });

  it('checks the deepest existing ancestor of a new path', () => {
    expect(() => c.checkParent('/mnt/a/b', [root, mnt], WRITE)).toThrow('access=-w-, path=/mnt/a/b: failed at mnt');
    expect(() => c.checkParent('/new', [root], WRITE)).toThrow('failed at /');
    const dir = inode('/tmp', 'alluxio', 'alluxio', 0o777);
    c.checkParent('/tmp/x/y', [root, dir], WRITE);
  });

  it('still needs x on the ancestors above the parent', () => {
    const sub = inode('/mnt/s3/sub', 'presto', 'presto', 0o777);
    expect(() => c.checkParent('/mnt/s3/sub/f', [root, mnt, s3, sub], WRITE)).toThrow(
      'access=--x, path=/mnt/s3/sub/f: failed at s3',
    );
    expect(() => c.checkParent('/mnt/s3/myobject', [root, mnt, s3, obj], WRITE)).toThrow('access=-w-');
  });

  it('does not check the root, which has no parent', () => {
    c.checkParent('/', [root], WRITE);
  });
});

describe('owner and superuser checks', () => {
  it('lets the owner through and names the path otherwise', () => {
    checker(user('john')).checkOwner('/mnt/s3', [root, mnt, s3]);
    const e = errorOf(() => checker(user('presto')).checkOwner('/mnt', [root, mnt]));
    expect(e.kind).toBe('PERMISSION_DENIED');
    expect(e.message).toBe('Permission denied: user=presto is not the owner of path=/mnt');
  });

  it('still needs x on the ancestors', () => {
    checker(user('john')).checkOwner('/mnt/s3/myobject', [root, mnt, s3, obj]);
    const mine = inode('/mnt/s3/mine', 'presto', 'presto', 0o700);
    expect(() => checker(user('presto')).checkOwner('/mnt/s3/mine', [root, mnt, s3, mine])).toThrow(
      'access=--x, path=/mnt/s3/mine: failed at s3',
    );
  });

  it('refuses chown to non-superusers', () => {
    const e = errorOf(() => checker(user('presto')).checkSuperUser());
    expect(e.kind).toBe('PERMISSION_DENIED');
    expect(e.message).toBe('Permission denied: presto is not a super user or in super group');
  });

  it('lets the superuser and the supergroup through everything', () => {
    for (const c of [checker(user('alluxio')), checker(user('ann', ['staff', 'supergroup']))]) {
      expect(c.isSuperUser()).toBe(true);
      c.checkPath('/mnt/s3/myobject', [root, mnt, s3, obj], 7);
      c.checkParent('/mnt/s3/myobject', [root, mnt, s3, obj], WRITE);
      c.checkOwner('/mnt/s3', [root, mnt, s3]);
      c.checkSuperUser();
    }
    expect(checker(user('presto', ['presto'])).isSuperUser()).toBe(false);
  });

  it('honours a custom supergroup', () => {
    expect(checker(user('ann', ['admins']), {superGroup: 'admins'}).isSuperUser()).toBe(true);
    expect(checker(user('ann', ['supergroup']), {superGroup: 'admins'}).isSuperUser()).toBe(false);
  });

  it('checks nothing when disabled', () => {
    const c = checker(user('presto'), {enabled: false});
    c.checkPath('/mnt/s3/myobject', [root, mnt, s3, obj], 7);
    c.checkParent('/mnt/s3/myobject', [root, mnt, s3, obj], WRITE);
    c.checkOwner('/mnt/s3', [root, mnt, s3]);
    c.checkSuperUser();
    expect(c.isSuperUser()).toBe(false);
  });
});

describe('checkOwnerInGroup', () => {
  const groups: Record<string, string[]> = {john: ['john', 'hadoop']};
  const groupsOf = (u: string) => groups[u] ?? [];

  it('passes when the new owner is in the group', () => {
    checker(user('presto'), {groupsOf}).checkOwnerInGroup('/d', 'john', 'hadoop');
  });

  it('fails with Alluxio text otherwise, for superusers and with checks disabled too', () => {
    for (const c of [checker(user('alluxio'), {groupsOf}), checker(user('presto'), {groupsOf, enabled: false})]) {
      const e = errorOf(() => c.checkOwnerInGroup('/d', 'john', 'staff'));
      expect(e.kind).toBe('FAILED_PRECONDITION');
      expect(e.message).toBe(
        'Could not update owner:group for /d to john:staff. ' +
          'alluxio.exception.status.FailedPreconditionException: Owner john does not belong to the group staff',
      );
    }
    expect(() => checker(user('alluxio'), {groupsOf}).checkOwnerInGroup('/d', 'ghost', 'ghost')).toThrow(
      'Owner ghost does not belong to the group ghost',
    );
  });
});

describe('parseOwnerGroup', () => {
  it.each([
    ['john', {owner: 'john'}],
    ['john:hadoop', {owner: 'john', group: 'hadoop'}],
    ['user_1.a-b', {owner: 'user_1.a-b'}],
    ['machine$:grp$', {owner: 'machine$', group: 'grp$'}],
    ['_x:9', {owner: '_x', group: '9'}],
  ])('parses %s', (arg, parsed) => {
    expect(parseOwnerGroup(arg)).toEqual(parsed);
  });

  it.each(['', ':g', 'john:', '-john', 'a:b:c', 'jo hn', 'a$b', '.x', 'john:.g', 'jöhn'])('rejects %j', (arg) => {
    const e = errorOf(() => parseOwnerGroup(arg));
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe(`Failed to parse ${arg} as user or user:group`);
  });
});

describe('parseGroupName', () => {
  it.each(['staff', 'domain users', 'grp$', '9'])('accepts %j', (name) => {
    expect(parseGroupName(name)).toBe(name);
  });

  it.each(['', '   ', 'a\nb', 'g\u001b', 'x\u007f'])('refuses %j', (name) => {
    const e = errorOf(() => parseGroupName(name));
    expect(e.kind).toBe('USAGE');
    expect(e.message).toBe(`Invalid group name ${JSON.stringify(name)}: a group name is not blank and holds no control characters`);
  });
});

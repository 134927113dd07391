/**
 * `fs getfacl` / `fs setfacl` (facts §3.14) on the local default: output, every error with its exit code, nothing
 * changed on bad input, and enforcement by the permission checks as an ordinary user (presto, a name the OS does
 * not know, so it has no groups; daemon, an OS user whose only group is daemon).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, ME, MY_GROUP, cleanupHomes, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const PRESTO = '-Dalluxio.security.login.username=presto';
const DAEMON = '-Dalluxio.security.login.username=daemon';
const SETFACL_USAGE = 'fs setfacl [-d] [-R] [--set | -m | -x <acl_entries> <path>] | [-b | -k <path>]';

const header = (path: string, owner = ME, group = MY_GROUP) => [`# file: ${path}`, `# owner: ${owner}`, `# group: ${group}`];

const denied = (access: string, path: string, at: string, mode: string) =>
  `Permission denied: user=presto, access=${access}, path=${path}: failed at ${at}, inode owner=${ME}, inode group=${MY_GROUP}, inode mode=${mode}`;

async function getfacl(home: Home, path: string): Promise<string[]> {
  const r = await home.run(['fs', 'getfacl', path]);
  expectSuccess(r);
  return lines(r.stdout);
}

describe('getfacl', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    expectSuccess(await home.run(['fs', 'touch', '/d/f']));
  });

  it('prints the path, owner, group and the base entries from the mode', async () => {
    expect(await getfacl(home, '/d')).toEqual([...header('/d'), 'user::rwx', 'group::r-x', 'other::r-x']);
    expect(await getfacl(home, '/d/f')).toEqual([...header('/d/f'), 'user::rw-', 'group::r--', 'other::r--']);
    expect(await getfacl(home, '/')).toEqual([...header('/'), 'user::rwx', 'group::r-x', 'other::r-x']);
  });

  it('--json has the same entries', async () => {
    const r = await home.run(['fs', 'getfacl', '--json', '/d/f']);
    expectSuccess(r);
    expect(JSON.parse(r.stdout)).toEqual({
      path: '/d/f', owner: ME, group: MY_GROUP, entries: ['user::rw-', 'group::r--', 'other::r--'], defaultEntries: [],
    });
  });

  it('a missing path and a wrong argument count', async () => {
    const [missing, none, two] = await Promise.all([
      home.run(['fs', 'getfacl', '/nope']),
      home.run(['fs', 'getfacl']),
      home.run(['fs', 'getfacl', '/d', '/d/f']),
    ]);
    expectError(missing, 'Path "/nope" does not exist.');
    expectUsageError(none, 'Command getfacl takes 1 arguments, not 0', 'fs getfacl <path>');
    expectUsageError(two, 'Command getfacl takes 1 arguments, not 2', 'fs getfacl <path>');
  });
});

describe('setfacl', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d', '/t', '/t/sub', '/k']));
    expectSuccess(await home.run(['fs', 'touch', '/d/f']));
    expectSuccess(await home.run(['fs', 'touch', '/t/sub/f']));
  });

  it('-m adds named entries and a mask, prints nothing; ls shows a +, stat the entries', async () => {
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r-x,group:daemon:r--', '/d']), []);
    expect(await getfacl(home, '/d')).toEqual([
      ...header('/d'), 'user::rwx', 'group::r-x', 'other::r-x', 'user:presto:r-x', 'group:daemon:r--', 'mask::r-x',
    ]);
    const ls = await home.run(['fs', 'ls', '/']);
    expectSuccess(ls);
    const rows = lines(ls.stdout).map(parseLsLine);
    expect(rows.find((row) => row.path === '/d')?.perm).toBe('drwxr-xr-x+');
    expect(rows.find((row) => row.path === '/k')?.perm).toBe('drwxr-xr-x');
    const stat = await home.run(['fs', 'stat', '/d']);
    expectSuccess(stat);
    expect(stat.stdout).toContain('acl=user::rwx,group::r-x,other::r-x,user:presto:r-x,group:daemon:r--,mask::r-x, defaultAcl=}');
  });

  it('chmod changes the owning group entry and keeps the named entries and the mask', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/c']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:rwx,mask::r--', '/c']), []);
    expectSuccess(await home.run(['fs', 'chmod', '710', '/c']));
    expect(await getfacl(home, '/c')).toEqual([...header('/c'), 'user::rwx', 'group::--x', 'other::---', 'user:presto:rwx', 'mask::r--']);
  });

  it('-d sets a default ACL that new files and directories inherit; -k removes it; -b removes named entries', async () => {
    expectSuccess(await home.run(['fs', 'setfacl', '-d', '-m', 'user:presto:rwx', '/k']), []);
    expect(await getfacl(home, '/k')).toEqual([
      ...header('/k'), 'user::rwx', 'group::r-x', 'other::r-x',
      'default:user::rwx', 'default:group::r-x', 'default:other::r-x', 'default:user:presto:rwx', 'default:mask::rwx',
    ]);
    expectSuccess(await home.run(['fs', 'touch', '/k/file']));
    expectSuccess(await home.run(['fs', 'mkdir', '/k/a/b']));
    // umask 022: a file's mask is limited to r--, a directory's to r-x; the directory passes the default ACL on.
    expect(await getfacl(home, '/k/file')).toEqual([...header('/k/file'), 'user::rw-', 'group::r-x', 'other::r--', 'user:presto:rwx', 'mask::r--']);
    expect(await getfacl(home, '/k/a/b')).toEqual([
      ...header('/k/a/b'), 'user::rwx', 'group::r-x', 'other::r-x', 'user:presto:rwx', 'mask::r-x',
      'default:user::rwx', 'default:group::r-x', 'default:other::r-x', 'default:user:presto:rwx', 'default:mask::rwx',
    ]);
    expectSuccess(await home.run(['fs', 'setfacl', '-k', '/k/a/b']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-b', '/k/a/b']), []);
    expect(await getfacl(home, '/k/a/b')).toEqual([...header('/k/a/b'), 'user::rwx', 'group::r-x', 'other::r-x']);
  });

  it('-R changes the whole tree; below it, files take only the access entries', async () => {
    expectSuccess(await home.run(['fs', 'setfacl', '-R', '-m', 'user:presto:r--,default:group:daemon:r-x', '/t']), []);
    expect((await getfacl(home, '/t/sub')).slice(3)).toEqual([
      'user::rwx', 'group::r-x', 'other::r-x', 'user:presto:r--', 'mask::r-x',
      'default:user::rwx', 'default:group::r-x', 'default:other::r-x', 'default:group:daemon:r-x', 'default:mask::r-x',
    ]);
    expect((await getfacl(home, '/t/sub/f')).slice(3)).toEqual(['user::rw-', 'group::r--', 'other::r--', 'user:presto:r--', 'mask::r--']);
    expectSuccess(await home.run(['fs', 'setfacl', '-R', '--set', 'user::rwx,group::---,other::---', '/t']), []);
    expect((await getfacl(home, '/t/sub/f')).slice(3)).toEqual(['user::rwx', 'group::---', 'other::---']);
  });

  it('rm drops the ACL rows: a folder moved onto the removed name keeps only its own', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/gone']));
    expectSuccess(await home.run(['fs', 'mkdir', '/other']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:rwx', '/gone']));
    expectSuccess(await home.run(['fs', 'rm', '-R', '/gone']));
    expectSuccess(await home.run(['fs', 'mv', '/other', '/gone']));
    expect((await getfacl(home, '/gone')).slice(3)).toEqual(['user::rwx', 'group::r-x', 'other::r-x']);
  });

  it('ls and stat --json show the ACL as getfacl\'s entry strings; setfacl --json names the path changed', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/j']));
    const set = await home.run(['fs', 'setfacl', '--json', '-m', 'user:presto:r-x,default:user:presto:r--', '/j']);
    expectSuccess(set);
    expect(JSON.parse(set.stdout)).toEqual({path: '/j'});
    const stat = JSON.parse((await home.run(['fs', 'stat', '--json', '/j'])).stdout);
    expect(stat.acl).toBeUndefined();
    expect(stat.aclEntries).toEqual(['user::rwx', 'group::r-x', 'other::r-x', 'user:presto:r-x', 'mask::r-x']);
    expect(stat.defaultAclEntries).toContain('default:user:presto:r--');
    const ls = JSON.parse((await home.run(['fs', 'ls', '--json', '-d', '/j'])).stdout);
    expect(ls[0].aclEntries).toEqual(stat.aclEntries);
  });

  it('mv carries the ACL, rm drops it: a path created again starts without one', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/m/inner']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:rwx', '/m/inner']));
    expectSuccess(await home.run(['fs', 'mv', '/m', '/moved']));
    expect((await getfacl(home, '/moved/inner')).at(-2)).toBe('user:presto:rwx');
    expectSuccess(await home.run(['fs', 'rm', '-R', '/moved']));
    expectSuccess(await home.run(['fs', 'mkdir', '/moved/inner']));
    expect((await getfacl(home, '/moved/inner')).slice(3)).toEqual(['user::rwx', 'group::r-x', 'other::r-x']);
    // format starts a fresh metastore: the ACL of a file that stays in the under storage is gone with it.
    expectSuccess(await home.run(['fs', 'touch', '/kept']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:rwx', '/kept']));
    expect(await getfacl(home, '/kept')).toContain('user:presto:rwx');
    expectSuccess(await home.run(['format']));
    const after = await getfacl(home, '/kept');
    expect(after.slice(3).filter((e) => /^(user|group):[^:]|^mask/.test(e))).toEqual([]);
  });
});

describe('setfacl refuses bad input and changes nothing', () => {
  let home: Home;
  let before: string[];
  beforeAll(async () => {
    home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    expectSuccess(await home.run(['fs', 'touch', '/d/f']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:bob:rwx', '/d']));
    before = await getfacl(home, '/d');
  });

  it.each([
    [[], 'No actions specified.'],
    [['-b', '-k'], 'Only 1 action can be specified: b, k'],
    [['--set', 'user::rwx,group::---,other::---', '-m', 'user:a:rwx'], 'Only 1 action can be specified: set, m'],
    [['-m', 'user:bob'], 'Unexpected acl components: user:bob'],
    [['-d', '-m', 'user:bob'], 'Unexpected acl components: default:user:bob'],
    [['-m', ':bob:rwx'], 'ACL entry type is empty: :bob:rwx'],
    [['-m', 'owner:bob:rwx'], 'Unexpected ACL entry type: owner:bob:rwx'],
    [['-m', 'mask:bob:rwx'], 'Subject for acl mask type must be empty: mask:bob:rwx'],
    [['-m', 'other:bob:rwx'], 'Subject for acl other type must be empty: other:bob:rwx'],
    [['-m', 'user:ann:r--,user:bob:rwz'], 'Invalid mode string: rwz'],
    [['-x', 'user:bob:rwx'], 'ACL permissions cannot be specified: user:bob:rwx'],
    [['-x', 'user'], 'ACL entry must have subject: user'],
    [['--set', 'user:bob:rwx'], "Replacing ACL entries must include the base entries for 'user', 'group', and 'other'. missing: OWNING_USER, OWNING_GROUP, OTHER"],
    [['-m', ','], 'No ACL entries in -m ","'],
    [['-q'], /^Nonexistent flag: -q|Unexpected argument: -q|Unknown option -q/],
  ] as [string[], string | RegExp][])('%j: usage error %s', async (flags, message) => {
    expectUsageError(await home.run(['fs', 'setfacl', ...flags, '/d']), message, SETFACL_USAGE);
  });

  it('a wrong argument count', async () => {
    expectUsageError(await home.run(['fs', 'setfacl', '-b']), 'Command setfacl takes 1 arguments, not 0', SETFACL_USAGE);
    expectUsageError(await home.run(['fs', 'setfacl', '-b', '/d', '/d/f']), 'Command setfacl takes 1 arguments, not 2', SETFACL_USAGE);
  });

  it('errors that depend on the path: exit 255 with Alluxio texts', async () => {
    const [mask, other, fileDefault, fileK, missing, notOwner] = await Promise.all([
      home.run(['fs', 'setfacl', '-x', 'user:nobody,mask', '/d']),
      home.run(['fs', 'setfacl', '-x', 'other', '/d']),
      home.run(['fs', 'setfacl', '-d', '-m', 'user:bob:rwx', '/d/f']),
      home.run(['fs', 'setfacl', '-k', '/d/f']),
      home.run(['fs', 'setfacl', '-b', '/nope']),
      home.run(['fs', PRESTO, 'setfacl', '-b', '/d']),
    ]);
    expectError(mask, 'Deleting the mask for an extended ACL is not allowed. entry: AclEntry{type=MASK, subject=, actions=AclActions{actions=[]}, isDefault=false}');
    expectError(other, 'Deleting base entry is not allowed. entry: AclEntry{type=OTHER, subject=, actions=AclActions{actions=[]}, isDefault=false}');
    expectError(fileDefault, 'Can not set default ACL for a file');
    expectError(fileK, 'setDefaultACL: File does not have default ACL');
    expectError(missing, 'Path "/nope" does not exist.');
    expectError(notOwner, 'Permission denied: user=presto is not the owner of path=/d');
    expect(await getfacl(home, '/d')).toEqual(before);
    expect((await getfacl(home, '/d/f')).slice(3)).toEqual(['user::rw-', 'group::r--', 'other::r--']);
  });

  it('-R checks every path before changing any: a file below refusing the change leaves the directory as it was', async () => {
    // /r's default entry can go, but /r/f has a named entry, so its mask cannot: nothing changes anywhere.
    expectSuccess(await home.run(['fs', 'mkdir', '/r']));
    expectSuccess(await home.run(['fs', 'touch', '/r/f']));
    expectSuccess(await home.run(['fs', 'setfacl', '-d', '-m', 'user:bob:rwx', '/r']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:zed:r--', '/r/f']));
    const [dir, file] = [await getfacl(home, '/r'), await getfacl(home, '/r/f')];
    expect(dir).toContain('default:user:bob:rwx');
    expectError(
      await home.run(['fs', 'setfacl', '-R', '-x', 'default:user:bob,mask', '/r']),
      /^Deleting the mask for an extended ACL is not allowed/,
    );
    expect(await getfacl(home, '/r')).toEqual(dir);
    expect(await getfacl(home, '/r/f')).toEqual(file);
    // Without the mask, the same change goes through: the file below keeps its entries.
    expectSuccess(await home.run(['fs', 'setfacl', '-R', '-x', 'default:user:bob', '/r']), []);
    expect(await getfacl(home, '/r')).not.toContain('default:user:bob:rwx');
    expect(await getfacl(home, '/r/f')).toEqual(file);
  });
});

describe('enforcement as an ordinary user', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/p']));
    expectSuccess(await home.run(['fs', 'touch', '/p/f']));
    expectSuccess(await home.run(['fs', 'chmod', '700', '/p']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/p/f']));
  });

  it('a named user entry grants what the mode denies; a mask takes it back; -x removes it', async () => {
    expectError(await home.run(['fs', PRESTO, 'cat', '/p/f']), denied('--x', '/p/f', 'p', 'rwx------'));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:--x', '/p']));
    expectError(await home.run(['fs', PRESTO, 'cat', '/p/f']), denied('r--', '/p/f', 'f', 'rw-------'));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r--', '/p/f']));
    expectSuccess(await home.run(['fs', PRESTO, 'cat', '/p/f']), []);
    // Reading is granted, writing is not: the entry is r--.
    expectError(await home.run(['fs', PRESTO, 'touch', '/p/new']), denied('-w-', '/p/new', 'p', 'rwx------'));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'mask::---', '/p/f']));
    expectError(await home.run(['fs', PRESTO, 'cat', '/p/f']), denied('r--', '/p/f', 'f', 'rw-------'));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r--', '/p/f']));
    expectSuccess(await home.run(['fs', PRESTO, 'cat', '/p/f']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-x', 'user:presto', '/p/f']));
    expectError(await home.run(['fs', PRESTO, 'cat', '/p/f']), denied('r--', '/p/f', 'f', 'rw-------'));
  });

  it('a named group entry grants its members, masked like the owning group', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/g']));
    expectSuccess(await home.run(['fs', 'chmod', '700', '/g']));
    const daemonDenied = 'Permission denied: user=daemon, access=r-x, path=/g: failed at g, ' +
      `inode owner=${ME}, inode group=${MY_GROUP}, inode mode=rwx------`;
    expectError(await home.run(['fs', DAEMON, 'ls', '/g']), daemonDenied);
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'group:daemon:r-x', '/g']));
    expectSuccess(await home.run(['fs', DAEMON, 'ls', '/g']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'mask::r--', '/g']));
    expectError(await home.run(['fs', DAEMON, 'ls', '/g']), daemonDenied);
  });

  it('the owner of a path may set its ACL; a recursive listing skips what the ACL hides', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/mine']));
    expectSuccess(await home.run(['fs', 'chown', 'presto', '/mine']));
    expectSuccess(await home.run(['fs', PRESTO, 'setfacl', '-m', 'user:daemon:---', '/mine']), []);
    expectSuccess(await home.run(['fs', PRESTO, 'mkdir', '/mine/x']));
    expectError(
      await home.run(['fs', DAEMON, 'ls', '/mine']),
      'Permission denied: user=daemon, access=r-x, path=/mine: failed at mine, inode owner=presto, ' +
        `inode group=${MY_GROUP}, inode mode=rwxr-xr-x`,
    );
    const r = await home.run(['fs', DAEMON, 'ls', '-R', '/']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).not.toContain('/mine/x');
  });
});

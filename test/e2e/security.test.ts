/** Permission checks as Alluxio's master makes them (facts §6), with its AccessControlException texts. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lsLineNoAcl, parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, ME, MY_GROUP, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const PRESTO = '-Dalluxio.security.login.username=presto';
const NO_CHECKS = '-Dalluxio.security.authorization.permission.enabled=false';

/** presto is neither the user who formatted nor in the supergroup (no such OS user, so no groups at all). */
const denied = (access: string, path: string, failedAt: string, owner = ME, group = MY_GROUP, mode = 'rwx------') =>
  `Permission denied: user=presto, access=${access}, path=${path}: failed at ${failedAt}, inode owner=${owner}, inode group=${group}, inode mode=${mode}`;

let home: Home;

/** As the superuser (the OS user who first used the namespace): /d (0700) holding /d/sub and /d/f. */
beforeAll(async () => {
  home = makeHome();
  expectSuccess(await home.run(['fs', 'mkdir', '/d', '/d/sub', '/open']));
  expectSuccess(await home.run(['fs', 'touch', '/d/f']));
  expectSuccess(await home.run(['fs', 'chmod', '700', '/d']), ['Changed permission of /d to 700']);
});

describe.concurrent('a superuser', () => {
  it('lists, reads and writes in a 0700 directory of its own', async () => {
    const [ls, cat, touch] = await Promise.all([
      home.run(['fs', 'ls', '/d']),
      home.run(['fs', 'cat', '/d/f']),
      home.run(['fs', 'touch', '/d/sub/by-root']),
    ]);
    expectSuccess(ls);
    expect(lines(ls.stdout).map((l) => parseLsLine(l).path)).toEqual(['/d/f', '/d/sub']);
    expectSuccess(cat, []);
    expectSuccess(touch, ['/d/sub/by-root has been created']);
  });

  it('a member of the supergroup is a superuser too', async () => {
    const sg = ['-Dalluxio.security.login.username=daemon', '-Dalluxio.security.authorization.permission.supergroup=daemon'];
    const h = makeHome();
    expectSuccess(await h.run(['fs', 'mkdir', '/s']));
    expectSuccess(await h.run(['fs', 'chmod', '700', '/s']));
    expectSuccess(await h.run(['fs', ...sg, 'ls', '/s']), []);
    expectSuccess(await h.run(['fs', ...sg, 'chown', 'daemon', '/s']), ['Changed owner of /s to daemon']);
    // Without the supergroup setting, daemon is an ordinary user.
    expectError(
      await h.run(['fs', '-Dalluxio.security.login.username=daemon', 'chown', 'nobody', '/s']),
      'Permission denied: daemon is not a super user or in super group',
    );
  });

  it('the first user to use a fresh namespace becomes its superuser', async () => {
    const h = makeHome();
    expectSuccess(await h.run(['fs', PRESTO, 'mkdir', '/mine']));
    expectSuccess(await h.run(['fs', PRESTO, 'chown', 'nobody', '/mine']), ['Changed owner of /mine to nobody']);
    expectError(await h.run(['fs', 'chown', ME, '/mine']), `Permission denied: ${ME} is not a super user or in super group`);
  });
});

describe.concurrent('an ordinary user (presto)', () => {
  it('cannot list a 0700 directory: access=r-x on it', async () => {
    expectError(await home.run(['fs', PRESTO, 'ls', '/d']), denied('r-x', '/d', 'd'));
  });

  it('cannot go through it: access=--x on the ancestor, for ls, cat and stat below it', async () => {
    const [ls, cat, stat] = await Promise.all([
      home.run(['fs', PRESTO, 'ls', '/d/sub']),
      home.run(['fs', PRESTO, 'cat', '/d/f']),
      home.run(['fs', PRESTO, 'stat', '/d/f']),
    ]);
    expectError(ls, denied('--x', '/d/sub', 'd'));
    expectError(cat, denied('--x', '/d/f', 'd'));
    expectError(stat, denied('--x', '/d/f', 'd'));
  });

  it('cannot create in it (-w- on the parent) nor in / (failed at /)', async () => {
    const [touch, mkdir] = await Promise.all([
      home.run(['fs', PRESTO, 'touch', '/d/g']),
      home.run(['fs', PRESTO, 'mkdir', '/e']),
    ]);
    expectError(touch, denied('-w-', '/d/g', 'd'));
    expectError(mkdir, denied('-w-', '/e', '/', ME, MY_GROUP, 'rwxr-xr-x'));
  });

  it('can still see the directory itself (ls -d needs only x on the ancestors)', async () => {
    const r = await home.run(['fs', PRESTO, 'ls', '-d', '/d']);
    expectSuccess(r);
    expect(parseLsLine(lines(r.stdout)[0])).toMatchObject({perm: 'drwx------', owner: ME, group: MY_GROUP, path: '/d'});
  });

  it('chown: Permission denied: presto is not a super user or in super group', async () => {
    expectError(await home.run(['fs', PRESTO, 'chown', 'presto', '/open']), 'Permission denied: presto is not a super user or in super group');
  });

  it('chmod and chgrp by a non-owner: Permission denied: user=presto is not the owner of path=…', async () => {
    const [chmod, chgrp] = await Promise.all([
      home.run(['fs', PRESTO, 'chmod', '777', '/open']),
      home.run(['fs', PRESTO, 'chgrp', 'presto', '/open']),
    ]);
    expectError(chmod, 'Permission denied: user=presto is not the owner of path=/open');
    expectError(chgrp, 'Permission denied: user=presto is not the owner of path=/open');
    const r = await home.run(['fs', 'ls', '-d', '/open']);
    expect(parseLsLine(lines(r.stdout)[0])).toMatchObject({perm: 'drwxr-xr-x', owner: ME, group: MY_GROUP});
  });

  it('passes every check when permission checks are disabled', async () => {
    const r = await home.run(['fs', PRESTO, NO_CHECKS, 'ls', '/d']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    // No permission, owner and group columns; the paths are those of /d's children.
    const f = out[0];
    expect(f.endsWith(' /d/f ')).toBe(true);
    expect(f).toBe(lsLineNoAcl({size: 0, state: 'PERSISTED', time: f.slice(31, 55).trim(), inAlluxio: '100%', path: '/d/f'}));
    expect(out[1].endsWith(' /d/sub')).toBe(true);
    const cat = await home.run(['fs', PRESTO, NO_CHECKS, 'cat', '/d/f']);
    expectSuccess(cat, []);
  });

  it('owns what it is given: chmod, create and list below its own directory', async () => {
    const h = makeHome();
    expectSuccess(await h.run(['fs', 'mkdir', '/p']));
    expectSuccess(await h.run(['fs', 'chown', 'presto', '/p']), ['Changed owner of /p to presto']);
    expectSuccess(await h.run(['fs', PRESTO, 'chmod', '700', '/p']), ['Changed permission of /p to 700']);
    expectSuccess(await h.run(['fs', PRESTO, 'mkdir', '/p/x']), ['Successfully created directory /p/x']);
    expectSuccess(await h.run(['fs', PRESTO, 'touch', '/p/x/f']), ['/p/x/f has been created']);
    const r = await h.run(['fs', PRESTO, 'ls', '-R', '/p']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => [parseLsLine(l).path, parseLsLine(l).owner])).toEqual([
      ['/p/x', 'presto'],
      ['/p/x/f', 'presto'],
    ]);
    // Another ordinary user is kept out; the superuser is not.
    expectError(
      await h.run(['fs', '-Dalluxio.security.login.username=nobody', 'ls', '/p']),
      `Permission denied: user=nobody, access=r-x, path=/p: failed at p, inode owner=presto, inode group=${MY_GROUP}, inode mode=rwx------`,
    );
    expectSuccess(await h.run(['fs', 'ls', '/p']));
  });
});

import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {OsAccounts, type OsIdentity, currentOsUser, groupsOf} from '../../../src/security/os-accounts.js';
import {resolveLoginUser} from '../../../src/security/user.js';

const dir = mkdtempSync(join(tmpdir(), 'os-accounts-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const passwdPath = join(dir, 'passwd');
const groupPath = join(dir, 'group');
writeFileSync(
  passwdPath,
  [
    '# comment',
    'root:x:0:0:root:/root:/bin/bash',
    'john:x:1000:1000:John:/home/john:/bin/bash',
    'presto:x:1001:1001::/home/presto:/bin/sh',
    'orphan:x:1002:4242::/:/bin/sh',
    'alias:x:1000:1000::/:/bin/sh',
    '+nisuser::::::',
    'broken:x:abc:1',
    '',
  ].join('\n'),
);
writeFileSync(
  groupPath,
  [
    'root:x:0:',
    'john:x:1000:',
    'presto:x:1001:',
    'hadoop:x:2000:presto, john',
    'supergroup:x:2001:john',
    'john2:x:1000:',
    'staff:x:50:presto,john,presto',
    'bad:x:notanumber:john',
  ].join('\n'),
);

const me: OsIdentity = {username: 'ghost', uid: 3000, gid: 2000};
const accounts = (identity: OsIdentity = me) =>
  new OsAccounts({passwdPath, groupPath, currentIdentity: () => identity});

describe('OsAccounts', () => {
  it('maps ids to names, first entry wins, numbers when unknown', () => {
    const a = accounts();
    expect(a.userNameOf(0)).toBe('root');
    expect(a.userNameOf(1000)).toBe('john');
    expect(a.userNameOf(9999)).toBe('9999');
    expect(a.groupNameOf(1000)).toBe('john');
    expect(a.groupNameOf(2000)).toBe('hadoop');
    expect(a.groupNameOf(7)).toBe('7');
  });

  it('lists the primary group first, then supplementary groups once', () => {
    const a = accounts();
    expect(a.groupsOf('presto')).toEqual(['presto', 'hadoop', 'staff']);
    expect(a.groupsOf('john')).toEqual(['john', 'hadoop', 'supergroup', 'staff']);
    expect(a.groupsOf('root')).toEqual(['root']);
    expect(a.primaryGroupOf('presto')).toBe('presto');
  });

  it('shows a primary gid without a group entry as a number, as id does', () => {
    expect(accounts().groupsOf('orphan')).toEqual(['4242']);
  });

  it('knows nothing of users missing from passwd', () => {
    const a = accounts();
    expect(a.groupsOf('nobody-here')).toEqual([]);
    expect(a.primaryGroupOf('nobody-here')).toBe('');
    expect(a.groupsOf('nisuser')).toEqual([]);
    expect(a.groupsOf('broken')).toEqual([]);
  });

  it('takes the gid of the current OS user from the process when passwd lacks it', () => {
    const a = accounts();
    expect(a.currentOsUser()).toBe('ghost');
    expect(a.groupsOf('ghost')).toEqual(['hadoop']);
    expect(a.primaryGroupOf('ghost')).toBe('hadoop');
  });

  it('reads the files once', () => {
    const p = join(dir, 'passwd-once');
    const g = join(dir, 'group-once');
    writeFileSync(p, 'ann:x:5:5::/:/bin/sh\n');
    writeFileSync(g, 'ann:x:5:\n');
    const a = new OsAccounts({passwdPath: p, groupPath: g, currentIdentity: () => me});
    expect(a.groupsOf('ann')).toEqual(['ann']);
    writeFileSync(g, 'other:x:5:\n');
    expect(a.groupsOf('ann')).toEqual(['ann']);
  });

  it('treats missing files as empty', () => {
    const a = new OsAccounts({passwdPath: join(dir, 'none'), groupPath: join(dir, 'none'), currentIdentity: () => me});
    expect(a.userNameOf(0)).toBe('0');
    expect(a.groupsOf('root')).toEqual([]);
  });

  it('resolves the system user without spawning', () => {
    const name = currentOsUser();
    expect(name).not.toBe('');
    expect(Array.isArray(groupsOf(name))).toBe(true);
  });
});

describe('resolveLoginUser', () => {
  const a = accounts({username: 'john', uid: 1000, gid: 1000});

  it('uses alluxio.security.login.username when set', () => {
    expect(resolveLoginUser({username: 'presto'}, a)).toEqual({
      name: 'presto',
      groups: ['presto', 'hadoop', 'staff'],
      primaryGroup: 'presto',
    });
  });

  it('falls back to the OS user', () => {
    expect(resolveLoginUser({}, a).name).toBe('john');
    expect(resolveLoginUser({username: ''}, a).primaryGroup).toBe('john');
  });

  it('gives a user unknown to the OS no groups', () => {
    expect(resolveLoginUser({username: 'alice'}, a)).toEqual({name: 'alice', groups: [], primaryGroup: ''});
  });

  it('works against the real system', () => {
    const user = resolveLoginUser({});
    expect(user.name).toBe(currentOsUser());
    expect(user.primaryGroup).toBe(user.groups[0] ?? '');
  });
});

/** setfacl's entry syntax, the ACL changes it makes, default ACL inheritance and ACL evaluation (facts §3.14). */
import {describe, expect, it} from 'vitest';
import type {AclRecord} from '../../../src/meta/store.js';
import {
  type AclState,
  type SetfaclOptions,
  accessEntryStrings,
  applySetAcl,
  defaultEntryStrings,
  hasAclMarker,
  inheritAcl,
  parseAclEntry,
  parseAclEntryWithoutPermissions,
  parseSetfacl,
  permittedBits,
} from '../../../src/security/acl.js';
import {errorOf} from '../../helpers/thrown.js';

const options = (o: Partial<SetfaclOptions>): SetfaclOptions => ({removeAll: false, removeDefault: false, toDefault: false, ...o});

/** The ACL as getfacl prints its entries. */
const show = (s: AclState) => [...accessEntryStrings(s), ...defaultEntryStrings(s.acl)];

/** Applies setfacl option sets one after the other to a path. */
function setfacl(state: AclState, isDirectory: boolean, ...steps: Partial<SetfaclOptions>[]): AclState {
  return steps.reduce((s, o) => applySetAcl(s, parseSetfacl(options(o)), isDirectory), state);
}

describe('entry syntax', () => {
  it.each([
    ['user::rwx', {type: 'OWNING_USER', subject: '', bits: 7, isDefault: false}],
    ['user:bob:r-x', {type: 'NAMED_USER', subject: 'bob', bits: 5, isDefault: false}],
    ['group::r--', {type: 'OWNING_GROUP', subject: '', bits: 4, isDefault: false}],
    ['group:staff:-w-', {type: 'NAMED_GROUP', subject: 'staff', bits: 2, isDefault: false}],
    ['mask::--x', {type: 'MASK', subject: '', bits: 1, isDefault: false}],
    ['other::---', {type: 'OTHER', subject: '', bits: 0, isDefault: false}],
    ['default:user:bob:rw-', {type: 'NAMED_USER', subject: 'bob', bits: 6, isDefault: true}],
    [' user : bob : rwx ', {type: 'NAMED_USER', subject: 'bob', bits: 7, isDefault: false}],
    // Alluxio takes any name: users of SIMPLE authentication and directory services need not be in /etc/passwd.
    ['user:no-such-user-anywhere:r--', {type: 'NAMED_USER', subject: 'no-such-user-anywhere', bits: 4, isDefault: false}],
  ])('%s', (text, entry) => {
    expect(parseAclEntry(text)).toEqual(entry);
  });

  it.each([
    ['user:bob', 'Unexpected acl components: user:bob'],
    ['user:bob:', 'Unexpected acl components: user:bob:'],
    ['user:bob:rwx:x', 'Unexpected acl components: user:bob:rwx:x'],
    ['default:user:rwx', 'Unexpected acl components: default:user:rwx'],
    ['', 'Unexpected acl components: '],
    [':bob:rwx', 'ACL entry type is empty: :bob:rwx'],
    ['users:bob:rwx', 'Unexpected ACL entry type: users:bob:rwx'],
    ['mask:bob:rwx', 'Subject for acl mask type must be empty: mask:bob:rwx'],
    ['other:bob:rwx', 'Subject for acl other type must be empty: other:bob:rwx'],
    ['user:bob:rwxr', 'Invalid mode string: rwxr'],
    ['user:bob:xwr', 'Invalid mode string: xwr'],
    ['user:bob:7', 'Invalid mode string: 7'],
  ])('%j is refused: %s (a usage error)', (text, message) => {
    const e = errorOf(() => parseAclEntry(text));
    expect(e.message).toBe(message);
    expect(e.exitCode).toBe(2);
  });

  it.each([
    ['user:bob', {type: 'NAMED_USER', subject: 'bob', bits: 0, isDefault: false}],
    ['user:bob:', {type: 'NAMED_USER', subject: 'bob', bits: 0, isDefault: false}],
    ['group:staff', {type: 'NAMED_GROUP', subject: 'staff', bits: 0, isDefault: false}],
    ['mask', {type: 'MASK', subject: '', bits: 0, isDefault: false}],
    ['mask::', {type: 'MASK', subject: '', bits: 0, isDefault: false}],
    ['other', {type: 'OTHER', subject: '', bits: 0, isDefault: false}],
    ['default:user:bob', {type: 'NAMED_USER', subject: 'bob', bits: 0, isDefault: true}],
  ])('-x takes %s', (text, entry) => {
    expect(parseAclEntryWithoutPermissions(text)).toEqual(entry);
  });

  it.each([
    ['user:bob:rwx', 'ACL permissions cannot be specified: user:bob:rwx'],
    ['user', 'ACL entry must have subject: user'],
    ['group::', 'ACL entry must have subject: group::'],
    ['mask:m', 'Subject for acl mask type must be empty: mask:m'],
    ['a:b:c:d', 'Unexpected acl components: a:b:c:d'],
    ['default', 'Unexpected acl components: default'],
    ['bogus:x', 'Unexpected ACL entry type: bogus:x'],
  ])('-x refuses %s: %s', (text, message) => {
    expect(errorOf(() => parseAclEntryWithoutPermissions(text)).message).toBe(message);
  });
});

describe('setfacl options', () => {
  it('takes one action, its entries comma-separated; -d makes them default entries', () => {
    expect(parseSetfacl(options({modify: 'user:a:r--,group:g:rw-'})).entries.map((e) => [e.subject, e.isDefault])).toEqual([
      ['a', false],
      ['g', false],
    ]);
    expect(parseSetfacl(options({modify: 'user:a:r--,default:user:b:r--', toDefault: true})).entries.every((e) => e.isDefault)).toBe(true);
    expect(parseSetfacl(options({remove: 'user:a', toDefault: true})).entries[0]).toMatchObject({isDefault: true, subject: 'a'});
    expect(parseSetfacl(options({removeAll: true}))).toEqual({action: 'REMOVE_ALL', entries: []});
    expect(parseSetfacl(options({removeDefault: true, toDefault: true}))).toEqual({action: 'REMOVE_DEFAULT', entries: []});
    // A trailing comma is nothing (Java's split).
    expect(parseSetfacl(options({modify: 'user:a:r--,'})).entries).toHaveLength(1);
  });

  it.each([
    [{}, 'No actions specified.'],
    [{removeAll: true, removeDefault: true}, 'Only 1 action can be specified: b, k'],
    [{set: 'user::rwx,group::r-x,other::---', modify: 'user:a:rwx', remove: 'user:a'}, 'Only 1 action can be specified: set, m, x'],
    // Entries are parsed before the actions are counted, as in Alluxio.
    [{modify: 'user:a', removeAll: true}, 'Unexpected acl components: user:a'],
    [{modify: 'user:a', toDefault: true}, 'Unexpected acl components: default:user:a'],
    [{set: 'user::rwx'}, "Replacing ACL entries must include the base entries for 'user', 'group', and 'other'. missing: OWNING_GROUP, OTHER"],
    [{set: 'user:bob:rwx'}, "Replacing ACL entries must include the base entries for 'user', 'group', and 'other'. missing: OWNING_USER, OWNING_GROUP, OTHER"],
    [{modify: ','}, 'No ACL entries in -m ","'],
  ] as [Partial<SetfaclOptions>, string][])('%j: %s', (o, message) => {
    const e = errorOf(() => parseSetfacl(options(o)));
    expect(e.message).toBe(message);
    expect(e.exitCode).toBe(2);
  });
});

describe('setfacl changes', () => {
  const plain: AclState = {mode: 0o750};

  it('-m of a named user adds it and a mask that covers it and the owning group', () => {
    const s = setfacl(plain, false, {modify: 'user:bob:rw-'});
    expect(show(s)).toEqual(['user::rwx', 'group::r-x', 'other::---', 'user:bob:rw-', 'mask::rwx']);
    expect(hasAclMarker(s.acl)).toBe(true);
  });

  it('named users, then named groups, each in name order; an explicit mask is kept', () => {
    const s = setfacl(plain, false, {modify: 'group:zeta:r--,user:carl:--x,user:anna:r--,group:alpha:rw-,mask::r--'});
    expect(show(s)).toEqual([
      'user::rwx', 'group::r-x', 'other::---', 'user:anna:r--', 'user:carl:--x', 'group:alpha:rw-', 'group:zeta:r--', 'mask::r--',
    ]);
    // A later -m without a mask recomputes it.
    expect(show(setfacl(s, false, {modify: 'user:anna:r--'})).at(-1)).toBe('mask::rwx');
  });

  it('-m of base entries changes the mode', () => {
    expect(setfacl(plain, false, {modify: 'user::r--,group::rwx,other::--x'})).toEqual({mode: 0o471});
  });

  it('chmod-style mode and mask are apart: the group bits are the owning group, the mask limits them', () => {
    const s = setfacl(plain, false, {modify: 'user:bob:r--,mask::r--'});
    expect(s.mode).toBe(0o750);
    expect(show(s)).toContain('group::r-x');
    expect(show(s)).toContain('mask::r--');
  });

  it('-x removes named entries and recomputes the mask; the last one gone leaves no mask', () => {
    const s = setfacl(plain, false, {modify: 'user:bob:rwx,user:ann:r--'}, {remove: 'user:bob'});
    expect(show(s)).toEqual(['user::rwx', 'group::r-x', 'other::---', 'user:ann:r--', 'mask::r-x']);
    const none = setfacl(s, false, {remove: 'user:ann'});
    expect(none).toEqual(plain);
    expect(hasAclMarker(none.acl)).toBe(false);
  });

  it('-x of an entry that is not there changes nothing', () => {
    expect(setfacl(plain, false, {remove: 'user:nobody,group:none'})).toEqual(plain);
  });

  it('refuses to remove the mask of an extended ACL, or a base entry, with Alluxio texts', () => {
    const s = setfacl(plain, false, {modify: 'user:bob:rwx'});
    const mask = errorOf(() => setfacl(s, false, {remove: 'mask'}));
    expect(mask.message).toBe(
      'Deleting the mask for an extended ACL is not allowed. entry: AclEntry{type=MASK, subject=, actions=AclActions{actions=[]}, isDefault=false}',
    );
    expect(mask.exitCode).toBe(255);
    expect(errorOf(() => setfacl(s, false, {remove: 'other'})).message).toBe(
      'Deleting base entry is not allowed. entry: AclEntry{type=OTHER, subject=, actions=AclActions{actions=[]}, isDefault=false}',
    );
    // Without named entries the mask goes quietly.
    expect(setfacl(plain, false, {remove: 'mask'})).toEqual(plain);
  });

  it('--set replaces everything; default entries alone leave the access ACL', () => {
    const s = setfacl(plain, true, {modify: 'user:bob:rwx,default:user:bob:r--'});
    const replaced = setfacl(s, true, {set: 'user::rw-,group::r--,other::r--,group:staff:rw-'});
    expect(show(replaced)).toEqual([
      'user::rw-', 'group::r--', 'other::r--', 'group:staff:rw-', 'mask::rw-',
      'default:user::rwx', 'default:group::r-x', 'default:other::---', 'default:user:bob:r--', 'default:mask::r-x',
    ]);
    const defaultsOnly = setfacl(s, true, {set: 'user::rwx,group::---,other::---', toDefault: true});
    expect(accessEntryStrings(defaultsOnly)).toEqual(accessEntryStrings(s));
    expect(defaultEntryStrings(defaultsOnly.acl)).toEqual([
      'default:user::rwx', 'default:group::---', 'default:other::---', 'default:user:bob:r--', 'default:mask::r--',
    ]);
  });

  it('a first default entry starts the default ACL from the access base entries; -k removes it, -b keeps it', () => {
    const s = setfacl(plain, true, {modify: 'user:bob:rwx', toDefault: true});
    expect(show(s)).toEqual([
      'user::rwx', 'group::r-x', 'other::---',
      'default:user::rwx', 'default:group::r-x', 'default:other::---', 'default:user:bob:rwx', 'default:mask::rwx',
    ]);
    expect(hasAclMarker(s.acl)).toBe(true);
    expect(setfacl(s, true, {removeDefault: true})).toEqual(plain);
    expect(setfacl(s, true, {removeAll: true})).toEqual(s);
    const both = setfacl(s, true, {modify: 'user:ann:r--'});
    expect(accessEntryStrings(setfacl(both, true, {removeAll: true}))).toEqual(['user::rwx', 'group::r-x', 'other::---']);
  });

  it('a file has no default ACL: default entries and -k are refused, unless met below a path given with -R', () => {
    expect(errorOf(() => setfacl(plain, false, {modify: 'user:bob:rwx', toDefault: true})).message).toBe(
      'Can not set default ACL for a file',
    );
    expect(errorOf(() => setfacl(plain, false, {removeDefault: true})).message).toBe(
      'setDefaultACL: File does not have default ACL',
    );
    const request = parseSetfacl(options({modify: 'user:bob:r--,default:user:bob:rwx'}));
    expect(show(applySetAcl(plain, request, false, true))).toEqual(['user::rwx', 'group::r-x', 'other::---', 'user:bob:r--', 'mask::r-x']);
    expect(applySetAcl(plain, parseSetfacl(options({removeDefault: true})), false, true)).toEqual(plain);
  });
});

describe('default ACL inheritance', () => {
  const defaults = (mode: number, extended?: AclRecord['extended']) => (extended ? {mode, extended} : {mode});

  it('without named entries: the default bits limited by the new mode', () => {
    expect(inheritAcl(defaults(0o770), 0o644, false)).toEqual({mode: 0o640});
    expect(inheritAcl(defaults(0o770), 0o755, true)).toEqual({mode: 0o750, acl: {defaultAcl: {mode: 0o770}}});
  });

  it('with named entries: owner and other limited by the mode, the mask by its group bits, the owning group kept', () => {
    const extended = {users: [['bob', 7]] as [string, number][], groups: [], mask: 7};
    expect(inheritAcl(defaults(0o775, extended), 0o644, false)).toEqual({
      mode: 0o674,
      acl: {extended: {users: [['bob', 7]], groups: [], mask: 4}},
    });
    const dir = inheritAcl(defaults(0o775, extended), 0o755, true);
    expect(dir.acl?.defaultAcl).toEqual({mode: 0o775, extended});
    expect(dir.acl?.extended?.mask).toBe(5);
  });
});

describe('permission evaluation', () => {
  const extended = {users: [['bob', 7]] as [string, number][], groups: [['staff', 6]] as [string, number][], mask: 5};
  const file = {owner: 'owner', group: 'team', mode: 0o640, acl: {extended}};
  it.each([
    ['the owner gets the owner bits, never masked', 'owner', ['staff'], 6],
    ['a named user gets its entry, masked', 'bob', ['team'], 5],
    ['the owning group, masked', 'ann', ['team'], 4],
    ['a named group, masked', 'ann', ['staff'], 4],
    ['the owning and named groups together, masked', 'ann', ['team', 'staff'], 4],
    ['anyone else gets other', 'eve', ['guests'], 0],
  ])('%s', (_what, user, groups, bits) => {
    expect(permittedBits(file, user, groups)).toBe(bits);
  });

  it('without named entries the mode alone decides, and a stale mask means nothing', () => {
    expect(permittedBits({owner: 'o', group: 'g', mode: 0o750}, 'x', ['g'])).toBe(5);
    expect(permittedBits({owner: 'o', group: 'g', mode: 0o750, acl: {defaultAcl: {mode: 0}}}, 'x', ['g'])).toBe(5);
    expect(permittedBits({owner: 'o', group: 'g', mode: 0o754}, 'x', [])).toBe(4);
  });

  it('a mask of none denies named users what their entry grants', () => {
    expect(permittedBits({...file, acl: {extended: {...extended, mask: 0}}}, 'bob', [])).toBe(0);
  });
});

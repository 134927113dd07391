/**
 * POSIX-style ACLs as Alluxio 2.9 keeps them (AccessControlList, DefaultAccessControlList, setfacl's entry syntax).
 * The base entries are the owner, group and mode: the mode's group bits are the owning group's entry (not the
 * mask, unlike Linux), so chmod changes the owning group's bits and leaves the mask alone. The mask limits named
 * users, named groups and the owning group, and exists only while there are named entries.
 */
import {failedPrecondition, invalidArgument, usageError} from '../errors.js';
import type {AclRecord, ExtendedAclRecord} from '../meta/store.js';
import {BITS_STRINGS, type Bits, bitsString, javaSplit} from './mode.js';

export type AclEntryType = 'OWNING_USER' | 'NAMED_USER' | 'OWNING_GROUP' | 'NAMED_GROUP' | 'MASK' | 'OTHER';

export interface AclEntry {
  type: AclEntryType;
  /** The user or group of a named entry; '' otherwise. */
  subject: string;
  bits: Bits;
  isDefault: boolean;
}

/** setfacl's actions: --set, -m, -x, -b, -k. */
export type SetAclAction = 'REPLACE' | 'MODIFY' | 'REMOVE' | 'REMOVE_ALL' | 'REMOVE_DEFAULT';

export interface SetAclRequest {
  action: SetAclAction;
  entries: AclEntry[];
}

/** A path's whole ACL: its mode (base entries) and what the metastore keeps beyond it. */
export interface AclState {
  mode: number;
  acl?: AclRecord;
}

const DEFAULT_KEYWORD = 'default';

// ---------------------------------------------------------------------------------------------------------------
// Parsing setfacl's arguments, with Alluxio's messages (bad input is a usage error: nothing is looked at yet).

function components(text: string): string[] {
  return javaSplit(text, ':').map((c) => c.trim());
}

/** `user::rwx` → `default:user::rwx` for -d; an entry that already says default stays. */
function toDefault(text: string): string {
  return components(text)[0] === DEFAULT_KEYWORD ? text : `${DEFAULT_KEYWORD}:${text}`;
}

function parseBits(text: string): Bits {
  const bits = BITS_STRINGS.indexOf(text as (typeof BITS_STRINGS)[number]);
  if (bits < 0) throw usageError(`Invalid mode string: ${text}`, 'Permissions are three characters of rwx, such as r-x.');
  return bits as Bits;
}

function entryType(kind: string, subject: string, text: string, subjectRequired: boolean): AclEntryType {
  if (kind === '') throw usageError(`ACL entry type is empty: ${text}`);
  switch (kind) {
    case 'user':
    case 'group':
      if (subject === '') {
        if (subjectRequired) throw usageError(`ACL entry must have subject: ${text}`);
        return kind === 'user' ? 'OWNING_USER' : 'OWNING_GROUP';
      }
      return kind === 'user' ? 'NAMED_USER' : 'NAMED_GROUP';
    case 'mask':
    case 'other':
      if (subject !== '') throw usageError(`Subject for acl ${kind} type must be empty: ${text}`);
      return kind === 'mask' ? 'MASK' : 'OTHER';
    default:
      throw usageError(`Unexpected ACL entry type: ${text}`, 'An entry is [default:]user|group|mask|other:[name]:rwx.');
  }
}

/** `[default:]type:[subject]:perm`, as --set and -m take it. */
export function parseAclEntry(text: string): AclEntry {
  const c = components(text);
  const isDefault = c[0] === DEFAULT_KEYWORD;
  if (c.length !== (isDefault ? 4 : 3)) {
    throw usageError(`Unexpected acl components: ${text}`, 'An entry is [default:]user|group|mask|other:[name]:rwx.');
  }
  const [kind, subject, perm] = c.slice(isDefault ? 1 : 0) as [string, string, string];
  const type = entryType(kind, subject, text, false);
  return {type, subject, bits: parseBits(perm), isDefault};
}

/** `[default:]type[:subject[:]]`, as -x takes it: no permissions, and user and group need a subject. */
export function parseAclEntryWithoutPermissions(text: string): AclEntry {
  const c = components(text);
  const isDefault = c[0] === DEFAULT_KEYWORD;
  // Alluxio fails with an index error on a bare `default`; it is as malformed as the rest.
  if (c.length < 1 || c.length > 4 || (c.length === 4 && !isDefault) || (isDefault && c.length < 2)) {
    throw usageError(`Unexpected acl components: ${text}`, 'An entry to remove is [default:]user|group:name, mask or other.');
  }
  const [kind, subject = '', perm = ''] = c.slice(isDefault ? 1 : 0);
  if (perm !== '') throw usageError(`ACL permissions cannot be specified: ${text}`);
  const type = entryType(kind as string, subject, text, true);
  return {type, subject, bits: 0, isDefault};
}

export interface SetfaclOptions {
  set?: string;
  modify?: string;
  remove?: string;
  removeAll: boolean;
  removeDefault: boolean;
  /** -d: the entries are default entries. */
  toDefault: boolean;
}

const BASE_TYPES: readonly AclEntryType[] = ['OWNING_USER', 'OWNING_GROUP', 'OTHER'];

function entryList(list: string, asDefault: boolean, parse: (text: string) => AclEntry, flag: string): AclEntry[] {
  const texts = javaSplit(list, ',');
  // Alluxio takes `-m ,` as no entries and does nothing: a list with no entry is refused instead.
  if (texts.length === 0) throw usageError(`No ACL entries in ${flag} ${JSON.stringify(list)}`, 'Give entries such as user:bob:r-x.');
  return texts.map((t) => parse(asDefault ? toDefault(t) : t));
}

/** setfacl's options as one request, checked as Alluxio checks them (entries first, then the action count). */
export function parseSetfacl(options: SetfaclOptions): SetAclRequest {
  const names: string[] = [];
  let request: SetAclRequest | undefined;
  if (options.set !== undefined) {
    names.push('set');
    request = {action: 'REPLACE', entries: entryList(options.set, options.toDefault, parseAclEntry, '--set')};
  }
  if (options.modify !== undefined) {
    names.push('m');
    request = {action: 'MODIFY', entries: entryList(options.modify, options.toDefault, parseAclEntry, '-m')};
  }
  if (options.remove !== undefined) {
    names.push('x');
    request = {action: 'REMOVE', entries: entryList(options.remove, options.toDefault, parseAclEntryWithoutPermissions, '-x')};
  }
  if (options.removeAll) {
    names.push('b');
    request = {action: 'REMOVE_ALL', entries: []};
  }
  if (options.removeDefault) {
    names.push('k');
    request = {action: 'REMOVE_DEFAULT', entries: []};
  }
  if (!request) throw usageError('No actions specified.', 'Give one of --set, -m, -x, -b or -k.');
  if (names.length > 1) throw usageError(`Only 1 action can be specified: ${names.join(', ')}`);
  if (request.action === 'REPLACE') {
    const missing = BASE_TYPES.filter((t) => !request.entries.some((e) => e.type === t));
    if (missing.length > 0) {
      throw usageError(
        `Replacing ACL entries must include the base entries for 'user', 'group', and 'other'. missing: ${missing.join(', ')}`,
      );
    }
  }
  return request;
}

// ---------------------------------------------------------------------------------------------------------------
// The ACL of a path as entries, and what a user may do.

function hasNamed(e: ExtendedAclRecord | undefined): e is ExtendedAclRecord {
  return e !== undefined && (e.users.length > 0 || e.groups.length > 0);
}

/** Whether `ls` shows a `+` after the mode: extended entries or a default ACL. */
export function hasAclMarker(acl: AclRecord | undefined): boolean {
  return hasNamed(acl?.extended) || acl?.defaultAcl !== undefined;
}

function entryStrings(mode: number, extended: ExtendedAclRecord | undefined, prefix: string): string[] {
  const lines = [
    `${prefix}user::${bitsString(((mode >> 6) & 7) as Bits)}`,
    `${prefix}group::${bitsString(((mode >> 3) & 7) as Bits)}`,
    `${prefix}other::${bitsString((mode & 7) as Bits)}`,
  ];
  if (hasNamed(extended)) {
    for (const [name, bits] of extended.users) lines.push(`${prefix}user:${name}:${bitsString(bits as Bits)}`);
    for (const [name, bits] of extended.groups) lines.push(`${prefix}group:${name}:${bitsString(bits as Bits)}`);
    lines.push(`${prefix}mask::${bitsString(extended.mask as Bits)}`);
  }
  return lines;
}

/** The access ACL in getfacl's order: user, group, other, named users, named groups, mask. */
export function accessEntryStrings(state: AclState): string[] {
  return entryStrings(state.mode, state.acl?.extended, '');
}

/** The default ACL in the same order, each entry prefixed `default:`; none when there is no default ACL. */
export function defaultEntryStrings(acl: AclRecord | undefined): string[] {
  const d = acl?.defaultAcl;
  return d ? entryStrings(d.mode, d.extended, 'default:') : [];
}

export interface AclSubject {
  owner: string;
  group: string;
  mode: number;
  acl?: AclRecord;
}

/**
 * The bits `user` holds on an inode: the owner's; else a named user entry's, masked; else the union of the owning
 * group's and the named groups' of the user's groups, masked when there are named entries; else other's.
 */
export function permittedBits(inode: AclSubject, user: string, groups: readonly string[]): Bits {
  if (user === inode.owner) return ((inode.mode >> 6) & 7) as Bits;
  const extended = inode.acl?.extended;
  const named = hasNamed(extended) ? extended : undefined;
  const namedUser = named?.users.find(([name]) => name === user);
  if (named && namedUser) return (namedUser[1] & named.mask) as Bits;
  let known = false;
  let bits = 0;
  if (groups.includes(inode.group)) {
    known = true;
    bits |= (inode.mode >> 3) & 7;
  }
  if (named) {
    for (const [name, b] of named.groups) {
      if (groups.includes(name)) {
        known = true;
        bits |= b;
      }
    }
  }
  if (known) return (named ? bits & named.mask : bits) as Bits;
  return (inode.mode & 7) as Bits;
}

// ---------------------------------------------------------------------------------------------------------------
// setfacl's changes and default ACL inheritance, on a working copy.

class Extended {
  users = new Map<string, number>();
  groups = new Map<string, number>();
  mask = 0;

  static of(record: ExtendedAclRecord | undefined): Extended | undefined {
    if (!record) return undefined;
    const e = new Extended();
    e.users = new Map(record.users);
    e.groups = new Map(record.groups);
    e.mask = record.mask;
    return e;
  }

  hasNamed(): boolean {
    return this.users.size > 0 || this.groups.size > 0;
  }

  /** The mask that lets every named entry and the owning group keep all of its bits. */
  recomputeMask(groupBits: number): void {
    let mask = groupBits;
    for (const bits of [...this.users.values(), ...this.groups.values()]) mask |= bits;
    this.mask = mask;
  }

  /** Stored sorted by name (Alluxio keeps them in a TreeMap); a mask without named entries means nothing. */
  record(): ExtendedAclRecord | undefined {
    if (!this.hasNamed()) return undefined;
    const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {users: sorted(this.users), groups: sorted(this.groups), mask: this.mask};
  }
}

/** One list of entries: the access ACL, or a directory's default ACL. */
interface Entries {
  mode: number;
  extended?: Extended;
}

function setBits(mode: number, shift: number, bits: number): number {
  return (mode & ~(7 << shift)) | (bits << shift);
}

const SHIFT: Partial<Record<AclEntryType, number>> = {OWNING_USER: 6, OWNING_GROUP: 3, OTHER: 0};

function setEntry(target: Entries, entry: AclEntry): void {
  const shift = SHIFT[entry.type];
  if (shift !== undefined) {
    target.mode = setBits(target.mode, shift, entry.bits);
    return;
  }
  const e = (target.extended ??= new Extended());
  if (entry.type === 'NAMED_USER') e.users.set(entry.subject, entry.bits);
  else if (entry.type === 'NAMED_GROUP') e.groups.set(entry.subject, entry.bits);
  else e.mask = entry.bits;
}

/** Alluxio's toString of an entry, as its error messages quote it. */
function javaEntry(entry: AclEntry): string {
  const actions = (['READ', 'WRITE', 'EXECUTE'] as const).filter((_, i) => entry.bits & (4 >> i)).join(', ');
  return `AclEntry{type=${entry.type}, subject=${entry.subject}, actions=AclActions{actions=[${actions}]}, isDefault=${entry.isDefault}}`;
}

class WorkingAcl {
  access: Entries;
  defaults?: Entries;

  constructor(state: AclState) {
    this.access = {mode: state.mode, extended: Extended.of(state.acl?.extended)};
    const d = state.acl?.defaultAcl;
    if (d) this.defaults = {mode: d.mode, extended: Extended.of(d.extended)};
  }

  /** A default ACL set for the first time starts from the access ACL's base entries. */
  private defaultsForWrite(): Entries {
    return (this.defaults ??= {mode: this.access.mode});
  }

  set(entries: AclEntry[]): void {
    for (const entry of entries) setEntry(entry.isDefault ? this.defaultsForWrite() : this.access, entry);
    this.updateMasks(entries);
  }

  replace(entries: AclEntry[]): void {
    // Default entries alone leave the access ACL as it is (as on Linux).
    if (entries.some((e) => !e.isDefault)) this.access = {mode: 0};
    this.set(entries);
  }

  remove(entries: AclEntry[]): void {
    for (const entry of entries) {
      if (entry.type !== 'MASK') continue;
      const target = entry.isDefault ? this.defaults : this.access;
      if (target?.extended?.hasNamed()) {
        throw invalidArgument(`Deleting the mask for an extended ACL is not allowed. entry: ${javaEntry(entry)}`);
      }
    }
    for (const entry of entries) {
      const target = entry.isDefault ? this.defaults : this.access;
      if (!target) continue;
      if (entry.type === 'OTHER') {
        if (!entry.isDefault) throw invalidArgument(`Deleting base entry is not allowed. entry: ${javaEntry(entry)}`);
        // A default ACL's removed base entry falls back to the access ACL's.
        target.mode = setBits(target.mode, 0, this.access.mode & 7);
      } else if (entry.type === 'NAMED_USER') target.extended?.users.delete(entry.subject);
      else if (entry.type === 'NAMED_GROUP') target.extended?.groups.delete(entry.subject);
      else if (target.extended) target.extended.mask = 0;
    }
    this.updateMasks(entries);
  }

  /** Named entries or the owning group changed and no mask was given: each changed list gets a fitting mask. */
  private updateMasks(entries: AclEntry[]): void {
    if (entries.some((e) => e.type === 'MASK')) return;
    const touches = (isDefault: boolean) =>
      entries.some((e) => e.isDefault === isDefault && (e.type === 'NAMED_USER' || e.type === 'NAMED_GROUP' || e.type === 'OWNING_GROUP'));
    for (const [target, isDefault] of [[this.access, false], [this.defaults, true]] as const) {
      if (target?.extended?.hasNamed() && touches(isDefault)) target.extended.recomputeMask((target.mode >> 3) & 7);
    }
  }

  state(): AclState {
    const acl: AclRecord = {};
    const extended = this.access.extended?.record();
    if (extended) acl.extended = extended;
    if (this.defaults) {
      const dExtended = this.defaults.extended?.record();
      acl.defaultAcl = dExtended ? {mode: this.defaults.mode, extended: dExtended} : {mode: this.defaults.mode};
    }
    return acl.extended || acl.defaultAcl ? {mode: this.access.mode, acl} : {mode: this.access.mode};
  }
}

/**
 * The ACL of a path after a setfacl request. `isDirectory` false: default entries and -k are refused with
 * Alluxio's messages, unless `skipDefaultsOnFiles` (files met by -R, which have no default ACL to change).
 */
export function applySetAcl(state: AclState, request: SetAclRequest, isDirectory: boolean, skipDefaultsOnFiles = false): AclState {
  let entries = request.entries;
  if (!isDirectory) {
    if (skipDefaultsOnFiles) {
      if (request.action === 'REMOVE_DEFAULT') return state;
      entries = entries.filter((e) => !e.isDefault);
      if (entries.length === 0) return state;
    } else if (request.action === 'REMOVE_DEFAULT') {
      throw failedPrecondition('setDefaultACL: File does not have default ACL', 'Only directories have a default ACL.');
    } else if (entries.some((e) => e.isDefault)) {
      throw failedPrecondition('Can not set default ACL for a file', 'Only directories have a default ACL: drop -d and default: entries.');
    }
  }
  const working = new WorkingAcl(state);
  switch (request.action) {
    case 'REPLACE':
      working.replace(entries);
      break;
    case 'MODIFY':
      working.set(entries);
      break;
    case 'REMOVE':
      working.remove(entries);
      break;
    case 'REMOVE_ALL':
      working.access.extended = undefined;
      break;
    case 'REMOVE_DEFAULT':
      working.defaults = undefined;
      break;
  }
  return working.state();
}

/**
 * What a path created in a directory with a default ACL gets (`mode`: the mode it would have had, umask applied):
 * the default ACL with the owner and other bits, and the mask, limited by `mode`; a directory also gets the
 * default ACL itself as its own.
 */
export function inheritAcl(defaultAcl: NonNullable<AclRecord['defaultAcl']>, mode: number, isDirectory: boolean): AclState {
  let childMode: number;
  let extended: ExtendedAclRecord | undefined;
  if (defaultAcl.extended) {
    // The owning group's bits stay as the default ACL has them: the mask limits them.
    childMode = defaultAcl.mode & (mode | 0o070);
    extended = {...defaultAcl.extended, mask: defaultAcl.extended.mask & ((mode >> 3) & 7)};
  } else {
    childMode = defaultAcl.mode & mode;
  }
  const acl: AclRecord = {};
  if (extended) acl.extended = extended;
  if (isDirectory) acl.defaultAcl = defaultAcl;
  return acl.extended || acl.defaultAcl ? {mode: childMode, acl} : {mode: childMode};
}

/**
 * Alluxio's master-side permission checks (DefaultPermissionChecker), run in the client: EXECUTE on every existing
 * ancestor, the requested bits on the last existing inode, owner for chmod/chgrp, superuser for chown.
 */
import {failedPrecondition, invalidArgument, permissionDenied, usageError} from '../errors.js';
import type {AclRecord} from '../meta/store.js';
import {hasControlCharacter} from '../util/control-characters.js';
import {permittedBits} from './acl.js';
import {type Bits, EXECUTE, bitsString, formatMode} from './mode.js';
import {groupsOf as osGroupsOf} from './os-accounts.js';
import type {LoginUser} from './user.js';

export interface InodeView {
  /** Last path component; '' (or '/') for the root. */
  name: string;
  path: string;
  owner: string;
  group: string;
  mode: number;
  /** Extended entries (named users and groups, mask) beyond owner, group and mode. */
  acl?: AclRecord;
}

export interface PermissionCheckerOptions {
  /** `alluxio.security.authorization.permission.enabled`. */
  enabled: boolean;
  user: LoginUser;
  /** The owner of `/`: the user who formatted. */
  superUser: string;
  /** `alluxio.security.authorization.permission.supergroup`. */
  superGroup: string;
  /** Groups of any user, for the owner:group check of chown; the OS's by default. */
  groupsOf?: (user: string) => string[];
}

const depthOf = (path: string): number => path.split('/').filter((c) => c !== '').length;

export class PermissionChecker {
  readonly enabled: boolean;
  readonly user: LoginUser;
  private readonly privileged: boolean;
  private readonly groupsOf: (user: string) => string[];

  constructor(options: PermissionCheckerOptions) {
    this.enabled = options.enabled;
    this.user = options.user;
    this.privileged = options.user.name === options.superUser || options.user.groups.includes(options.superGroup);
    this.groupsOf = options.groupsOf ?? osGroupsOf;
  }

  /** The owner of `/` or a member of the supergroup: passes every check. */
  isSuperUser(): boolean {
    return this.privileged;
  }

  /** The bits the user holds on an inode, from its ACL: owner, named user, groups (masked), other. */
  bitsOn(inode: InodeView): Bits {
    return permittedBits(inode, this.user.name, this.user.groups);
  }

  /**
   * Read, list, exists, setAttribute: `chain` holds the existing inodes from `/` down to the target (or to its
   * deepest existing ancestor). Every inode but the last needs EXECUTE; the last needs `bits`.
   */
  checkPath(path: string, chain: readonly InodeView[], bits: Bits): void {
    if (!this.enabled || this.privileged) return;
    this.checkChain(path, chain, chain.length - 1, bits);
  }

  /**
   * Create, delete, rename, mount, unmount: as checkPath, but the bits apply to the parent, or to the deepest
   * existing ancestor when the parent does not exist. No check for `/`, which has no parent.
   */
  checkParent(path: string, chain: readonly InodeView[], bits: Bits): void {
    if (!this.enabled || this.privileged) return;
    const depth = depthOf(path);
    if (depth === 0) return;
    const last = chain.length === depth + 1 ? chain.length - 2 : chain.length - 1;
    this.checkChain(path, chain, last, bits);
  }

  /** chmod and chgrp: EXECUTE on the ancestors, and the user must own the last inode of `chain`. */
  checkOwner(path: string, chain: readonly InodeView[]): void {
    if (!this.enabled || this.privileged) return;
    const last = chain.length - 1;
    this.checkChain(path, chain, last, 0);
    const target = chain[last];
    if (target && target.owner !== this.user.name) {
      throw permissionDenied(`Permission denied: user=${this.user.name} is not the owner of path=${path}`);
    }
  }

  /** chown: superusers only. */
  checkSuperUser(): void {
    if (!this.enabled || this.privileged) return;
    throw permissionDenied(`Permission denied: ${this.user.name} is not a super user or in super group`);
  }

  /**
   * chown owner:group: the new owner must belong to the group. Alluxio checks this before any permission check,
   * for superusers too and even with permission checks disabled.
   */
  checkOwnerInGroup(path: string, owner: string, group: string): void {
    if (this.groupsOf(owner).includes(group)) return;
    throw failedPrecondition(
      `Could not update owner:group for ${path} to ${owner}:${group}. ` +
        `alluxio.exception.status.FailedPreconditionException: Owner ${owner} does not belong to the group ${group}`,
    );
  }

  /** EXECUTE on chain[0..last), `bits` on chain[last]. */
  private checkChain(path: string, chain: readonly InodeView[], last: number, bits: Bits): void {
    for (let i = 0; i <= last; i++) {
      const inode = chain[i] as InodeView;
      const need = i < last ? EXECUTE : bits;
      if ((this.bitsOn(inode) & need) !== need) throw this.denied(path, inode, need);
    }
  }

  private denied(path: string, inode: InodeView, bits: Bits) {
    const at = inode.name === '' || inode.name === '/' ? '/' : inode.name;
    return permissionDenied(
      `Permission denied: user=${this.user.name}, access=${bitsString(bits)}, path=${path}: failed at ${at}, ` +
        `inode owner=${inode.owner}, inode group=${inode.group}, inode mode=${formatMode(inode.mode)}`,
    );
  }
}

const NAME = String.raw`[\w][\w.-]*\$?`;
const OWNER_GROUP = new RegExp(String.raw`^(${NAME})(?::(${NAME}))?$`);

/** chown's argument: `user` or `user:group`, names as Alluxio's ChownCommand accepts them. */
export function parseOwnerGroup(arg: string): {owner: string; group?: string} {
  const m = OWNER_GROUP.exec(arg);
  if (!m) throw invalidArgument(`Failed to parse ${arg} as user or user:group`);
  return m[2] === undefined ? {owner: m[1] as string} : {owner: m[1] as string, group: m[2]};
}

/**
 * chgrp's argument. Alluxio takes any string, the empty one included (a group no one is in); group names from
 * directory services may hold spaces, so only blank names and control characters are refused.
 */
export function parseGroupName(arg: string): string {
  if (arg.trim() === '' || hasControlCharacter(arg)) {
    throw usageError(`Invalid group name ${JSON.stringify(arg)}: a group name is not blank and holds no control characters`);
  }
  return arg;
}

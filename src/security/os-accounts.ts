/**
 * OS users and groups from /etc/passwd and /etc/group, read once and lazily: no `id` child process on the hot path.
 * Groups follow `id -gn <u>; id -Gn <u>` (Alluxio's ShellBasedUnixGroupsMapping): primary group first, then the
 * supplementary groups that list the user as a member.
 */
import {readFileSync} from 'node:fs';
import {userInfo} from 'node:os';

interface PasswdEntry {
  uid: number;
  gid: number;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

interface Tables {
  users: Map<string, PasswdEntry>;
  userNames: Map<number, string>;
  groups: GroupEntry[];
  groupNames: Map<number, string>;
}

/** The OS user running this process, with uid and gid (os.userInfo() asks NSS, so it knows users /etc lacks). */
export interface OsIdentity {
  username: string;
  uid: number;
  gid: number;
}

export interface OsAccountsSources {
  passwdPath?: string;
  groupPath?: string;
  currentIdentity?: () => OsIdentity;
}

const DIGITS = /^\d+$/;

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** Skips blanks, comments and NIS `+`/`-` lines. */
function fieldsOf(line: string, min: number): string[] | undefined {
  if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) return undefined;
  const fields = line.split(':');
  return fields.length >= min ? fields : undefined;
}

function systemIdentity(): OsIdentity {
  try {
    const info = userInfo();
    return {username: info.username, uid: info.uid, gid: info.gid};
  } catch {
    // No passwd entry for our uid (containers run with --user): fall back to the environment.
    const uid = process.getuid?.() ?? -1;
    return {username: process.env.USER ?? process.env.LOGNAME ?? String(uid), uid, gid: process.getgid?.() ?? -1};
  }
}

export class OsAccounts {
  private readonly passwdPath: string;
  private readonly groupPath: string;
  private readonly currentIdentity: () => OsIdentity;
  private tables?: Tables;
  private identity?: OsIdentity;

  constructor(sources: OsAccountsSources = {}) {
    this.passwdPath = sources.passwdPath ?? '/etc/passwd';
    this.groupPath = sources.groupPath ?? '/etc/group';
    this.currentIdentity = sources.currentIdentity ?? systemIdentity;
  }

  currentOsUser(): string {
    return this.current().username;
  }

  /** The user name of a uid, or the uid itself when no entry has it (as `ls -n` shows). */
  userNameOf(uid: number): string {
    return this.load().userNames.get(uid) ?? String(uid);
  }

  groupNameOf(gid: number): string {
    return this.load().groupNames.get(gid) ?? String(gid);
  }

  /** Primary group first, then supplementary groups; [] for a user the system does not know. */
  groupsOf(user: string): string[] {
    const tables = this.load();
    let gid = tables.users.get(user)?.gid;
    if (gid === undefined) {
      const me = this.current();
      if (me.username !== user || me.gid < 0) return [];
      gid = me.gid;
    }
    const groups = [this.groupNameOf(gid)];
    for (const g of tables.groups) {
      if (g.gid !== gid && g.members.includes(user) && !groups.includes(g.name)) groups.push(g.name);
    }
    return groups;
  }

  /** '' for a user the system does not know. */
  primaryGroupOf(user: string): string {
    return this.groupsOf(user)[0] ?? '';
  }

  private current(): OsIdentity {
    return (this.identity ??= this.currentIdentity());
  }

  private load(): Tables {
    if (this.tables) return this.tables;
    const users = new Map<string, PasswdEntry>();
    const userNames = new Map<number, string>();
    for (const line of readLines(this.passwdPath)) {
      const f = fieldsOf(line, 4);
      if (!f) continue;
      const [name, , uidText, gidText] = f as [string, string, string, string];
      if (!DIGITS.test(uidText) || !DIGITS.test(gidText) || users.has(name)) continue;
      const uid = Number(uidText);
      const gid = Number(gidText);
      users.set(name, {uid, gid});
      if (!userNames.has(uid)) userNames.set(uid, name);
    }
    const groups: GroupEntry[] = [];
    const groupNames = new Map<number, string>();
    for (const line of readLines(this.groupPath)) {
      const f = fieldsOf(line, 3);
      if (!f) continue;
      const [name, , gidText] = f as [string, string, string];
      if (!DIGITS.test(gidText)) continue;
      const gid = Number(gidText);
      const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
      groups.push({name, gid, members});
      if (!groupNames.has(gid)) groupNames.set(gid, name);
    }
    return (this.tables = {users, userNames, groups, groupNames});
  }
}

const system = new OsAccounts();

export const currentOsUser = (): string => system.currentOsUser();
export const userNameOf = (uid: number): string => system.userNameOf(uid);
export const groupNameOf = (gid: number): string => system.groupNameOf(gid);
export const groupsOf = (user: string): string[] => system.groupsOf(user);
export const primaryGroupOf = (user: string): string => system.primaryGroupOf(user);

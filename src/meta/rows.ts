/**
 * What the SQLite and PostgreSQL stores share: their rows as records (SQLite gives booleans as 0/1, PostgreSQL as
 * booleans), the column lists of their common tables, and the path helpers their key ranges rely on.
 */
import type {AclRecord, CacheEntry, InodeRecord, MountRecord, PersistenceState, PinRecord} from './store.js';

type Flag = boolean | number;

export interface MountRow {
  alluxio_path: string;
  ufs_uri: string;
  read_only: Flag;
  shared: Flag;
  options: string;
  ufs_owner: string | null;
  ufs_group: string | null;
  ufs_mode: number | null;
  created_at: number;
}

export interface InodeRow {
  path: string;
  is_dir: Flag;
  state: PersistenceState;
  owner: string | null;
  grp: string | null;
  mode: number | null;
  length: number | null;
  creation_time: number;
  modification_time: number;
  cache_key: string | null;
  cache_host: string | null;
  extended: string | null;
  default_acl: string | null;
}

export interface CacheRow {
  key: string;
  size: number;
  last_access: number;
  pinned: Flag;
  path: string | null;
}

export interface PinRow {
  path: string;
  pinned: Flag;
  media: string;
}

export const INODE_COLUMNS =
  'path, is_dir, state, owner, grp, mode, length, creation_time, modification_time, cache_key, cache_host';
export const CACHE_COLUMNS = 'key, size, last_access, pinned, path';

const flag = (v: Flag): boolean => v === true || v === 1;

export function toMount(r: MountRow): MountRecord {
  return {
    alluxioPath: r.alluxio_path,
    ufsUri: r.ufs_uri,
    readOnly: flag(r.read_only),
    shared: flag(r.shared),
    options: JSON.parse(r.options) as Record<string, string>,
    ufsOwner: r.ufs_owner ?? undefined,
    ufsGroup: r.ufs_group ?? undefined,
    ufsMode: r.ufs_mode ?? undefined,
    createdAt: r.created_at,
  };
}

export function toInode(r: InodeRow): InodeRecord {
  return {
    path: r.path,
    isDirectory: flag(r.is_dir),
    state: r.state,
    owner: r.owner ?? undefined,
    group: r.grp ?? undefined,
    mode: r.mode ?? undefined,
    length: r.length ?? undefined,
    creationTime: r.creation_time,
    modificationTime: r.modification_time,
    cacheKey: r.cache_key ?? undefined,
    cacheHost: r.cache_host ?? undefined,
    acl: aclOf(r),
  };
}

function aclOf(r: InodeRow): AclRecord | undefined {
  if (r.extended === null && r.default_acl === null) return undefined;
  const acl: AclRecord = {};
  if (r.extended !== null) acl.extended = JSON.parse(r.extended) as AclRecord['extended'];
  if (r.default_acl !== null) acl.defaultAcl = JSON.parse(r.default_acl) as AclRecord['defaultAcl'];
  return acl;
}

export function toPin(r: PinRow): PinRecord {
  return {path: r.path, pinned: flag(r.pinned), media: r.media === '' ? [] : r.media.split(',')};
}

export function toCacheEntry(r: CacheRow): CacheEntry {
  return {key: r.key, size: r.size, lastAccess: r.last_access, pinned: flag(r.pinned), path: r.path ?? undefined};
}

const NORMALIZED_PATH = /^\/([^/]+(\/[^/]+)*)?$/;

/** The key ranges rely on normalized paths; anything else is a bug of the caller. */
export function assertPath(path: string): void {
  if (!NORMALIZED_PATH.test(path)) throw new Error(`Not a normalized Alluxio path: ${JSON.stringify(path)}`);
}

/** Key bounds of the paths strictly below `dir`: ('/a/', '/a0'), or ('/', '0') for the root ('0' follows '/'). */
export function below(dir: string): {lo: string; hi: string} {
  assertPath(dir);
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return {lo: prefix, hi: `${prefix.slice(0, -1)}0`};
}

export function parentOf(path: string): string | null {
  if (path === '/') return null;
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** The paths strictly above `path`, nearest first: '/a', '/' for '/a/b'. */
export function ancestorsOf(path: string): string[] {
  const ancestors: string[] = [];
  for (let p = parentOf(path); p !== null; p = parentOf(p)) ancestors.push(p);
  return ancestors;
}

/** Rename guard shared by the stores: a tree never moves into itself, onto an ancestor, or from/to the root. */
export function assertMovable(src: string, dst: string): void {
  assertPath(src);
  assertPath(dst);
  if (src !== dst && (src === '/' || dst === '/' || dst.startsWith(`${src}/`) || src.startsWith(`${dst}/`))) {
    throw new Error(`Cannot move the inodes of ${src} to ${dst}`);
  }
}

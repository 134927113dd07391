/** The metastore seam: everything Alluxio keeps of its own (mounts, inode overrides, cache index, leases). */

export interface FormatInfo {
  clusterId: string;
  /** The user who formatted: the superuser. */
  superUser: string;
  superGroup: string;
  formattedAt: number;
}

export interface MountRecord {
  /** Alluxio path of the mount point, normalized ("/", "/mnt/s3"). */
  alluxioPath: string;
  /** UFS URI as given, normalized (no trailing slash except bucket roots): "/data/x", "file:///x", "s3://b/dir". */
  ufsUri: string;
  readOnly: boolean;
  shared: boolean;
  options: Record<string, string>;
  /** Owner, group and mode the UFS gives everything under this mount, when the UFS has one triple (object stores). */
  ufsOwner?: string;
  ufsGroup?: string;
  ufsMode?: number;
  createdAt: number;
}

export type PersistenceState = 'PERSISTED' | 'NOT_PERSISTED' | 'TO_BE_PERSISTED';

/** Named users and groups (each sorted by name, with its rwx bits) and the mask over them and the owning group. */
export interface ExtendedAclRecord {
  users: [string, number][];
  groups: [string, number][];
  mask: number;
}

/**
 * What a path's ACL holds beyond its owner, group and mode (which are its base entries): extended entries, and for
 * a directory its default ACL (base bits as a mode, and extended entries of its own). Only set parts are stored.
 */
export interface AclRecord {
  extended?: ExtendedAclRecord;
  defaultAcl?: {mode: number; extended?: ExtendedAclRecord};
}

/**
 * A path that Alluxio knows more of than the UFS: attributes changed through Alluxio (owner, group, mode)
 * or data that lives only in the cache (NOT_PERSISTED / TO_BE_PERSISTED).
 */
export interface InodeRecord {
  path: string;
  isDirectory: boolean;
  state: PersistenceState;
  owner?: string;
  group?: string;
  mode?: number;
  /** Bytes of a file whose data is only in the cache; undefined for persisted files (the UFS knows). */
  length?: number;
  creationTime: number;
  modificationTime: number;
  /** Cache key of the data of a non-persisted file. */
  cacheKey?: string;
  /** ACL entries set with setfacl or inherited from a default ACL; kept in their own table. */
  acl?: AclRecord;
}

/** Where a page of inodes in modification order ended. */
export interface InodeCursor {
  modificationTime: number;
  path: string;
}

export interface CacheEntry {
  key: string;
  size: number;
  lastAccess: number;
  /** Pinned entries hold the only copy of some data (not yet persisted): never evicted. */
  pinned: boolean;
  /** The Alluxio path whose data this is, when the writer knew it (for the In-Alluxio Data page). */
  path?: string;
}

/** `fs pin` / `unpin` of a path; what lies below it without a row of its own takes its state. */
export interface PinRecord {
  path: string;
  pinned: boolean;
  /** The storage media asked for; empty for any. */
  media: string[];
}

export interface Lease {
  name: string;
  owner: string;
  expiresAt: number;
}

export interface MetaStore {
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE): all or nothing, serialized across processes. */
  transaction<T>(fn: () => T): T;

  getFormatInfo(): FormatInfo | undefined;
  setFormatInfo(info: FormatInfo): void;

  listMounts(): MountRecord[];
  getMount(alluxioPath: string): MountRecord | undefined;
  putMount(mount: MountRecord): void;
  /** Rewrites the stored UFS triple of a mount. */
  updateMountTriple(alluxioPath: string, triple: {owner: string; group: string; mode: number}): void;
  deleteMount(alluxioPath: string): boolean;

  getInode(path: string): InodeRecord | undefined;
  /** Writes the row and its ACL: a record without `acl` leaves the path with none. */
  putInode(inode: InodeRecord): void;
  /** Direct children of `dirPath`, in path order. */
  listChildInodes(dirPath: string): InodeRecord[];
  /** All inodes strictly below `dirPath`, in path order. */
  listDescendantInodes(dirPath: string): InodeRecord[];
  /** Deletes `path` and everything below it, ACLs and pins included; returns the number of inode rows removed. */
  deleteInodeTree(path: string): number;
  /** Moves `src` and everything below it to `dst`, ACLs and pins included. */
  renameInodeTree(src: string, dst: string): void;
  /** Inodes in the given state, oldest first. */
  listInodesByState(state: PersistenceState, limit: number): InodeRecord[];
  /** The next page of `listInodesByState`: the rows after `after` (by modification time, then path). */
  listInodesByStateAfter(state: PersistenceState, after: InodeCursor | undefined, limit: number): InodeRecord[];
  countInodesByState(state: PersistenceState): number;

  getCacheEntry(key: string): CacheEntry | undefined;
  putCacheEntry(entry: CacheEntry): void;
  touchCacheEntry(key: string, lastAccess: number): void;
  deleteCacheEntry(key: string): void;
  /** Sum of sizes of all entries. */
  cacheUsedBytes(): number;
  /** The distinct sizes of all entries. */
  cacheEntrySizes(): Set<number>;
  /** Unpinned entries, least recently used first. */
  listEvictableCacheEntries(limit: number): CacheEntry[];

  /** Cache entries that name their Alluxio path, in path order: `offset` skipped, at most `limit`. */
  listCachedPaths(offset: number, limit: number): CacheEntry[];
  countCachedPaths(): number;
  /** Number of inode rows: paths created or changed through Alluxio. */
  countInodes(): number;

  /** Adds each delta to its counter (created at 0), in one transaction. */
  addMetrics(deltas: ReadonlyMap<string, number>): void;
  /** Every counter, by name. */
  readMetrics(): Map<string, number>;

  /** Takes the lease when free, expired or already ours; false when another owner holds it. */
  tryAcquireLease(name: string, owner: string, ttlMs: number, now: number): boolean;
  releaseLease(name: string, owner: string): void;
  /** The lease's holder, expired or not; undefined when nobody holds it. */
  getLease(name: string): Lease | undefined;

  /**
   * Claims `path` for `owner` to create it, in one transaction that also prunes expired claims. Refused (false)
   * while any claim on it is in progress, or when it was created (a completed claim) at or after `viewedAt`, the
   * time the caller saw it missing. A claim in progress lapses after `ttlMs` unless renewed.
   */
  tryClaimPath(path: string, owner: string, opts: {viewedAt: number; now: number; ttlMs: number}): boolean;
  /** Extends every claim `owner` has in progress to `expiresAt`. */
  renewClaims(owner: string, expiresAt: number): void;
  /** Marks `owner`'s claim on `path` completed at `now`, and keeps it for `ttlMs`; false when it is not theirs. */
  completeClaim(path: string, owner: string, now: number, ttlMs: number): boolean;
  /** Drops `owner`'s claim on `path` while in progress: the path is free again. */
  releaseClaim(path: string, owner: string): void;
  /** Drops the completed claims on `path` and below: it was deleted or renamed away, so creating it is fine. */
  forgetClaims(path: string): void;

  /** Replaces the pin rows of `path` and everything below it with `row` (none: no row at all). */
  replacePinTree(path: string, row: PinRecord | undefined): void;
  /** The pin rows of these paths (a path and its ancestors, say). */
  getPins(paths: readonly string[]): PinRecord[];
  /** The pin rows strictly below `path`. */
  listPinsBelow(path: string): PinRecord[];
  /** Sets `pinned` on the cache entries of `path` and of the paths below it, except keys starting with `except`. */
  setCacheEntriesPinned(path: string, pinned: boolean, except: string): void;
  /** Cache entries that name `path` as theirs (current and older versions of its data). */
  listCacheEntriesOfPath(path: string): CacheEntry[];

  /** Remembers which path an id shown to a user stands for. */
  recordFileId(id: number, path: string): void;
  getFileIdPath(id: number): string | undefined;

  /** Key-value bookkeeping (e.g. the time of the last cleanup run). */
  getValue(key: string): string | undefined;
  setValue(key: string, value: string): void;

  close(): void;
}

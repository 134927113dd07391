/**
 * The metastore seam: everything Alluxio keeps of its own (mounts, inode overrides, cache index, leases). Every
 * method is async, and there is no public transaction: each method that changes more than one row is one
 * transaction of the store (all or nothing, serialized against other processes, generation-checked: a store
 * opened before a `format` fails its next write with the "replaced" error). Callbacks given to a store method are
 * pure and synchronous (no I/O, no await): the store may run them inside its transaction, and again on a retry.
 */

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
  /** The worker (host) whose cache holds the data of a file that is not persisted; undefined otherwise. */
  cacheHost?: string;
}

/** Where a page of inodes in modification order ended. */
export interface InodeCursor {
  modificationTime: number;
  path: string;
}

/** A cached file of one host: cache entries are per host, and every cache method works on the store's own host's. */
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

/** A host that uses this namespace (its worker), as the Workers page and `fsadmin report capacity` list it. */
export interface WorkerRecord {
  host: string;
  /** Last time a command or the master of that host used the namespace (ms since epoch). */
  lastContact: number;
  capacityBytes: number;
  usedBytes: number;
}

/** What eviction found, when making room for a cache write. */
export type RoomResult =
  | {ok: true; evicted: CacheEntry[]} // rows already deleted in the transaction; the caller deletes their files after
  | {ok: false; free: number; reclaimable: number};

export interface MetaStore {
  /** The worker identity (alluxio.worker.hostname) this store was opened for. */
  readonly host: string;
  /**
   * Whether hosts other than this one may use the namespace (PostgreSQL): their rows name their own caches. False
   * for a store serving one host (SQLite), whose cache holds every file's data whatever host name wrote it.
   */
  readonly sharedByHosts: boolean;
  /** The generation this store was opened on (a host keeps it beside its cache to drop entries from before a format). */
  readonly generation: string;

  // -- format info
  getFormatInfo(): Promise<FormatInfo | undefined>;
  /** Stores `candidate` unless format info exists; returns what is stored (the first user becomes superuser). */
  initializeFormatInfo(candidate: FormatInfo): Promise<FormatInfo>;

  // -- mounts
  listMounts(): Promise<MountRecord[]>;
  getMount(alluxioPath: string): Promise<MountRecord | undefined>;
  /** Inserts the mount; false (nothing written) when that mount point exists. */
  addMount(mount: MountRecord): Promise<boolean>;
  /** Replaces the mount when it is still there with UFS URI `expectedUfsUri`; false otherwise. */
  replaceMount(mount: MountRecord, expectedUfsUri: string): Promise<boolean>;
  /** Rewrites the stored UFS triple of a mount; a no-op when it is gone. */
  updateMountTriple(alluxioPath: string, triple: {owner: string; group: string; mode: number}): Promise<void>;
  /**
   * Unmount: deletes the mount and every inode row (with ACLs, pins, completed claims) at and below it, and this
   * host's cache entries named by those rows' cacheKey (as deleteInodeTree), in one transaction. Returns the
   * deleted cache entries' keys (the caller removes their files afterwards); `removed: false`, and nothing
   * deleted, when the mount was gone.
   */
  removeMount(alluxioPath: string): Promise<{removed: boolean; cacheKeys: string[]}>;

  // -- inodes
  getInode(path: string): Promise<InodeRecord | undefined>;
  /** Writes the row and its ACL: a record without `acl` leaves the path with none. */
  putInode(inode: InodeRecord): Promise<void>;
  /** Inserts the row; false (nothing written) when a row for that path exists. */
  createInode(inode: InodeRecord): Promise<boolean>;
  /**
   * Read-modify-write of several rows in one transaction: for each path, `modify` gets its current row (or
   * undefined) and its index, and returns the row to write, or undefined to leave it. Throwing from `modify`
   * rolls back every row and rejects with that error.
   */
  modifyInodes(
    paths: readonly string[],
    modify: (path: string, current: InodeRecord | undefined, index: number) => InodeRecord | undefined,
  ): Promise<void>;
  /** Direct children of `dirPath`, in path order. */
  listChildInodes(dirPath: string): Promise<InodeRecord[]>;
  /** All inodes strictly below `dirPath`, in path order. */
  listDescendantInodes(dirPath: string): Promise<InodeRecord[]>;
  /**
   * Deletes `path` and everything below it (ACLs, pins, completed claims at and below it too) and this host's
   * cache entries named by the deleted rows' cacheKey, in one transaction; returns the number of inode rows
   * removed and the deleted cache entries' keys (the caller removes their files afterwards). Other hosts' entries
   * of those keys are unpinned, so that their eviction reclaims them.
   */
  deleteInodeTree(path: string): Promise<{removed: number; cacheKeys: string[]}>;
  /**
   * Moves `src` and everything below it to `dst` (ACLs and pins too) and forgets completed claims on `src`. What
   * was at `dst` goes as deleteInodeTree(dst) deletes it: returns the deleted cache entries' keys likewise.
   */
  renameInodeTree(src: string, dst: string): Promise<{cacheKeys: string[]}>;
  /**
   * Inodes in `state`, oldest first (by modification time, then path), after `after` when given; with `host`,
   * only those whose data that host's cache holds.
   */
  listInodesByState(
    state: PersistenceState,
    opts: {limit: number; after?: InodeCursor; host?: string},
  ): Promise<InodeRecord[]>;
  countInodesByState(state: PersistenceState, host?: string): Promise<number>;
  /** Number of inode rows: paths created or changed through Alluxio. */
  countInodes(): Promise<number>;

  // -- this host's cache entries
  getCacheEntry(key: string): Promise<CacheEntry | undefined>;
  /** The entries of these keys that exist, in one query (a listing asks once, not once per entry). */
  getCacheEntries(keys: readonly string[]): Promise<CacheEntry[]>;
  /**
   * Records a cache entry whose file is already in place: pinned when either the new or the existing entry is,
   * with the existing path when the new one has none.
   */
  commitCacheEntry(entry: CacheEntry): Promise<void>;
  touchCacheEntry(key: string, lastAccess: number): Promise<void>;
  /** Deletes the entry; with `ifLastAccess`, only when it still has that last access (not re-cached meanwhile). */
  deleteCacheEntry(key: string, opts?: {ifLastAccess?: number}): Promise<boolean>;
  /** Moves an entry to a new key (pinned as given, last access now); false when `from` is gone. */
  rekeyCacheEntry(from: string, to: string, pinned: boolean, now: number): Promise<boolean>;
  setCacheEntryPinned(key: string, pinned: boolean): Promise<void>;
  /**
   * Makes room for `bytes` under `key` in one transaction: with `capacity` the bytes available to all entries
   * (quota minus room held by writes under way), evicts unpinned entries least recently used first (never `key`
   * itself; its current size counts as free) until the bytes fit, or evicts nothing and reports why not.
   */
  makeCacheRoom(key: string, bytes: number, capacity: number): Promise<RoomResult>;
  /** Sum of sizes of all entries. */
  cacheUsedBytes(): Promise<number>;
  /** The distinct sizes of all entries. */
  cacheEntrySizes(): Promise<Set<number>>;
  /** Unpinned entries, least recently used first (for canHold's estimate). */
  listEvictableCacheEntries(limit: number): Promise<CacheEntry[]>;
  /** Cache entries that name their Alluxio path, in path order: `offset` skipped, at most `limit`. */
  listCachedPaths(offset: number, limit: number): Promise<CacheEntry[]>;
  countCachedPaths(): Promise<number>;
  /** Cache entries that name `path` as theirs (current and older versions of its data). */
  listCacheEntriesOfPath(path: string): Promise<CacheEntry[]>;

  // -- workers (hosts using the namespace)
  /** Records that this host used the namespace now, with its cache's capacity and use. */
  heartbeat(worker: WorkerRecord): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;

  // -- metrics
  /** Adds each delta to its counter (created at 0), in one transaction. */
  addMetrics(deltas: ReadonlyMap<string, number>): Promise<void>;
  /** Every counter, by name. */
  readMetrics(): Promise<Map<string, number>>;

  // -- leases and claims
  /** Takes the lease when free, expired or already ours; false when another owner holds it. */
  tryAcquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  /** The lease's holder, expired or not; undefined when nobody holds it. */
  getLease(name: string): Promise<Lease | undefined>;
  /**
   * Claims `path` for `owner` to create it, in one transaction that also prunes expired claims. Refused (false)
   * while any claim on it is in progress, or when it was created (a completed claim) at or after `viewedAt`, the
   * time the caller saw it missing. A claim in progress lapses after `ttlMs` unless renewed.
   */
  tryClaimPath(path: string, owner: string, opts: {viewedAt: number; now: number; ttlMs: number}): Promise<boolean>;
  /** Extends every claim `owner` has in progress to `expiresAt`. */
  renewClaims(owner: string, expiresAt: number): Promise<void>;
  /** Marks `owner`'s claim on `path` completed at `now`, and keeps it for `ttlMs`; false when it is not theirs. */
  completeClaim(path: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Drops `owner`'s claim on `path` while in progress: the path is free again. */
  releaseClaim(path: string, owner: string): Promise<void>;

  // -- pins
  /**
   * Pins (`pin.pinned`) or unpins `path` and everything below it, and sets `pinned` on this host's cache entries
   * of those paths except keys starting with `exceptKeyPrefix`, in one transaction. Unpinning writes a
   * "not pinned" row only when the nearest row above `path` pins it, and no row otherwise.
   */
  setPinTree(path: string, pin: {pinned: boolean; media: string[]}, exceptKeyPrefix: string): Promise<void>;
  /** The pin rows of these paths (a path and its ancestors, say). */
  getPins(paths: readonly string[]): Promise<PinRecord[]>;
  /** The pin rows strictly below `path`. */
  listPinsBelow(path: string): Promise<PinRecord[]>;

  // -- file ids, key-value bookkeeping
  /** Remembers which path an id shown to a user stands for. */
  recordFileId(id: number, path: string): Promise<void>;
  getFileIdPath(id: number): Promise<string | undefined>;
  /** Key-value bookkeeping (e.g. the time of the last cleanup run). */
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}

/**
 * The asynchronous metastore interface of issue 11 (the lead renames this file to store.ts when the branches
 * merge). Every method is async; there is no public transaction(): each method that changes more than one row is
 * one transaction of the store (all or nothing, serialized against other processes, generation-checked: a store
 * opened before a `format` fails its next write with the "replaced" error). Callbacks given to a store method are
 * pure and synchronous (no I/O, no await): the store may run them inside its transaction, and may run them again
 * when it retries one.
 */
import type {
  CacheEntry,
  FormatInfo,
  InodeCursor,
  InodeRecord as StoredInode,
  Lease,
  MountRecord,
  PersistenceState,
  PinRecord,
} from './store.js';

export type {AclRecord, CacheEntry, ExtendedAclRecord, FormatInfo, InodeCursor, Lease, MountRecord, PersistenceState, PinRecord} from './store.js';

export interface InodeRecord extends StoredInode {
  /** The worker (host) whose cache holds the data of a file that is not persisted; undefined otherwise. */
  cacheHost?: string;
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

  // -- format info
  getFormatInfo(): Promise<FormatInfo | undefined>;
  /** Stores `candidate` unless format info exists; returns what is stored (first user becomes superuser). */
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
   * host's cache entries named by those rows' cacheKey, in one transaction. Returns the deleted cache entries'
   * keys: the caller removes their files afterwards. False-ish (`removed: false`) when the mount was gone.
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
   * rolls back every row and rejects with that error. (chmod/chown batches, setfacl, persisted ancestors.)
   */
  modifyInodes(
    paths: readonly string[],
    modify: (path: string, current: InodeRecord | undefined, index: number) => InodeRecord | undefined,
  ): Promise<void>;
  listChildInodes(dirPath: string): Promise<InodeRecord[]>;
  listDescendantInodes(dirPath: string): Promise<InodeRecord[]>;
  /**
   * Deletes `path` and everything below it (ACLs, pins, completed claims at and below it too) and this host's
   * cache entries named by the deleted rows' cacheKey, in one transaction; returns the number of inode rows
   * removed and the deleted cache entries' keys (the caller removes their files afterwards).
   */
  deleteInodeTree(path: string): Promise<{removed: number; cacheKeys: string[]}>;
  /** Moves `src` and everything below it to `dst` (ACLs and pins too) and forgets completed claims on `src`. */
  renameInodeTree(src: string, dst: string): Promise<void>;
  /**
   * Inodes in `state`, oldest first (by modification time, then path), after `after` when given; with `host`,
   * only those whose data that host's cache holds.
   */
  listInodesByState(
    state: PersistenceState,
    opts: {limit: number; after?: InodeCursor; host?: string},
  ): Promise<InodeRecord[]>;
  countInodesByState(state: PersistenceState, host?: string): Promise<number>;
  countInodes(): Promise<number>;

  // -- this host's cache entries
  getCacheEntry(key: string): Promise<CacheEntry | undefined>;
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
  cacheUsedBytes(): Promise<number>;
  cacheEntrySizes(): Promise<Set<number>>;
  /** Unpinned entries, least recently used first (for canHold's estimate). */
  listEvictableCacheEntries(limit: number): Promise<CacheEntry[]>;
  listCachedPaths(offset: number, limit: number): Promise<CacheEntry[]>;
  countCachedPaths(): Promise<number>;
  listCacheEntriesOfPath(path: string): Promise<CacheEntry[]>;

  // -- workers (hosts using the namespace)
  /** Records that this host used the namespace now, with its cache's capacity and use. */
  heartbeat(worker: WorkerRecord): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;

  // -- metrics
  addMetrics(deltas: ReadonlyMap<string, number>): Promise<void>;
  readMetrics(): Promise<Map<string, number>>;

  // -- leases and claims (unchanged semantics, async)
  tryAcquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  getLease(name: string): Promise<Lease | undefined>;
  tryClaimPath(path: string, owner: string, opts: {viewedAt: number; now: number; ttlMs: number}): Promise<boolean>;
  renewClaims(owner: string, expiresAt: number): Promise<void>;
  completeClaim(path: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseClaim(path: string, owner: string): Promise<void>;

  // -- pins
  /**
   * Pins (`row.pinned`) or unpins `path` and everything below it, and sets `pinned` on this host's cache entries
   * of those paths except keys starting with `exceptKeyPrefix`, in one transaction. Unpinning writes a
   * "not pinned" row only when the nearest row above `path` pins it, and no row otherwise.
   */
  setPinTree(path: string, pin: {pinned: boolean; media: string[]}, exceptKeyPrefix: string): Promise<void>;
  getPins(paths: readonly string[]): Promise<PinRecord[]>;
  listPinsBelow(path: string): Promise<PinRecord[]>;

  // -- file ids, key-value bookkeeping
  recordFileId(id: number, path: string): Promise<void>;
  getFileIdPath(id: number): Promise<string | undefined>;
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string): Promise<void>;

  /** The generation this store was opened on (a host keeps it beside its cache to drop entries from before a format). */
  readonly generation: string;

  close(): Promise<void>;
}

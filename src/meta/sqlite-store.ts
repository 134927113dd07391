/** The metastore in one SQLite file (WAL), shared by every alluxio process that uses the same journal folder. */
import type Database from 'better-sqlite3';

import {translateSqliteError} from './sqlite-errors.js';
import {GENERATION_SQL, openSqliteFile} from './sqlite-file.js';
import {storeReplaced} from './store-errors.js';
import {
  type CacheRow,
  type InodeRow,
  type MountRow,
  type PinRow,
  CACHE_COLUMNS,
  INODE_COLUMNS,
  ancestorsOf,
  assertMovable,
  assertPath,
  below,
  parentOf,
  toCacheEntry,
  toInode,
  toMount,
  toPin,
} from './rows.js';
import type {
  CacheEntry,
  FormatInfo,
  InodeCursor,
  InodeRecord,
  Lease,
  MetaStore,
  MountRecord,
  PersistenceState,
  PinRecord,
  RoomResult,
  WorkerRecord,
} from './store.js';

/** Inode rows with their ACL, if any: `SELECT ${INODE_SELECT} WHERE ...`. */
const INODE_SELECT = `${INODE_COLUMNS}, extended, default_acl FROM inodes LEFT JOIN acls USING (path)`;

export class SqliteMetaStore implements MetaStore {
  private readonly db: Database.Database;
  /** The store_info generation this store was opened on; a format changes it. */
  readonly generation: string;
  /** The file is local to one host: see MetaStore.sharedByHosts. */
  readonly sharedByHosts = false;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly txn: Database.Transaction<(fn: () => unknown) => unknown>;

  /**
   * Opens `file`, creating it (mode 0600) and migrating its schema as needed. The folder must exist. better-sqlite3
   * is synchronous: every method does its work at once and returns a settled promise.
   */
  constructor(
    readonly file: string,
    readonly host: string,
    private readonly busyTimeoutMs?: number,
  ) {
    ({db: this.db, generation: this.generation} = openSqliteFile(file, busyTimeoutMs));
    this.txn = this.db.transaction((fn: () => unknown) => fn());
  }

  async getFormatInfo(): Promise<FormatInfo | undefined> {
    return this.formatInfo();
  }

  async initializeFormatInfo(candidate: FormatInfo): Promise<FormatInfo> {
    // Read first without the write lock: every command but the very first finds it there.
    return this.formatInfo() ?? this.transaction(() => {
      const existing = this.formatInfo();
      if (existing) return existing;
      this.write(
        `INSERT INTO format_info (id, cluster_id, super_user, super_group, formatted_at) VALUES (1, ?, ?, ?, ?)`,
        candidate.clusterId, candidate.superUser, candidate.superGroup, candidate.formattedAt,
      );
      return candidate;
    });
  }

  async listMounts(): Promise<MountRecord[]> {
    return this.all<MountRow>('SELECT * FROM mounts ORDER BY alluxio_path').map(toMount);
  }

  async getMount(alluxioPath: string): Promise<MountRecord | undefined> {
    return this.mountRow(alluxioPath);
  }

  async addMount(mount: MountRecord): Promise<boolean> {
    return this.transaction(() => {
      if (this.mountRow(mount.alluxioPath)) return false;
      this.writeMount(mount);
      return true;
    });
  }

  async replaceMount(mount: MountRecord, expectedUfsUri: string): Promise<boolean> {
    return this.transaction(() => {
      if (this.mountRow(mount.alluxioPath)?.ufsUri !== expectedUfsUri) return false;
      this.writeMount(mount);
      return true;
    });
  }

  /** A no-op when the mount is gone (another process may have unmounted it meanwhile). */
  async updateMountTriple(alluxioPath: string, t: {owner: string; group: string; mode: number}): Promise<void> {
    this.write(
      'UPDATE mounts SET ufs_owner = ?, ufs_group = ?, ufs_mode = ? WHERE alluxio_path = ?',
      t.owner, t.group, t.mode, alluxioPath,
    );
  }

  async removeMount(alluxioPath: string): Promise<{removed: boolean; cacheKeys: string[]}> {
    return this.transaction(() => {
      // A stale unmount (the mount already gone) must not delete what was created at that path since.
      if (this.write('DELETE FROM mounts WHERE alluxio_path = ?', alluxioPath).changes === 0) return {removed: false, cacheKeys: []};
      return {removed: true, cacheKeys: this.deleteTree(alluxioPath).cacheKeys};
    });
  }

  async getInode(path: string): Promise<InodeRecord | undefined> {
    return this.inodeRow(path);
  }

  async putInode(inode: InodeRecord): Promise<void> {
    this.transaction(() => this.writeInode(inode));
  }

  async createInode(inode: InodeRecord): Promise<boolean> {
    assertPath(inode.path);
    return this.transaction(() => {
      if (this.get('SELECT 1 FROM inodes WHERE path = ?', inode.path)) return false;
      this.writeInode(inode);
      return true;
    });
  }

  async modifyInodes(
    paths: readonly string[],
    modify: (path: string, current: InodeRecord | undefined, index: number) => InodeRecord | undefined,
  ): Promise<void> {
    if (paths.length === 0) return;
    this.transaction(() => {
      paths.forEach((path, i) => {
        const next = modify(path, this.inodeRow(path), i);
        if (next) this.writeInode(next);
      });
    });
  }

  async listChildInodes(dirPath: string): Promise<InodeRecord[]> {
    assertPath(dirPath);
    return this.all<InodeRow>(`SELECT ${INODE_SELECT} WHERE parent = ? ORDER BY path`, dirPath).map(toInode);
  }

  async listDescendantInodes(dirPath: string): Promise<InodeRecord[]> {
    const {lo, hi} = below(dirPath);
    return this.all<InodeRow>(`SELECT ${INODE_SELECT} WHERE path > ? AND path < ? ORDER BY path`, lo, hi).map(toInode);
  }

  async deleteInodeTree(path: string): Promise<{removed: number; cacheKeys: string[]}> {
    return this.transaction(() => this.deleteTree(path));
  }

  /** Rows already at `dst` or below it are replaced, as rename(2) replaces its target. */
  async renameInodeTree(src: string, dst: string): Promise<{cacheKeys: string[]}> {
    assertMovable(src, dst);
    if (src === dst) return {cacheKeys: []};
    const {lo, hi} = below(src);
    return this.transaction(() => {
      const {cacheKeys} = this.deleteTree(dst);
      // length() and substr() count characters, as SQLite sees them: computing the offset in JS (UTF-16 units)
      // would be wrong for names outside the BMP.
      this.write(
        `UPDATE inodes SET path = @dst || substr(path, length(@src) + 1),
                           parent = @dst || substr(parent, length(@src) + 1)
         WHERE path > @lo AND path < @hi`,
        {src, dst, lo, hi},
      );
      this.write('UPDATE inodes SET path = ?, parent = ? WHERE path = ?', dst, parentOf(dst), src);
      this.write(
        'UPDATE acls SET path = @dst || substr(path, length(@src) + 1) WHERE path = @src OR (path > @lo AND path < @hi)',
        {src, dst, lo, hi},
      );
      this.write(
        'UPDATE pins SET path = @dst || substr(path, length(@src) + 1) WHERE path = @src OR (path > @lo AND path < @hi)',
        {src, dst, lo, hi},
      );
      this.forgetClaims(src);
      return {cacheKeys};
    });
  }

  /** `host` is not looked at: the file serves one host, whose cache holds every non-persisted file's data. */
  async listInodesByState(
    state: PersistenceState,
    opts: {limit: number; after?: InodeCursor; host?: string},
  ): Promise<InodeRecord[]> {
    const {after, limit} = opts;
    if (after === undefined) {
      return this.all<InodeRow>(
        `SELECT ${INODE_SELECT} WHERE state = ? ORDER BY modification_time, path LIMIT ?`, state, limit,
      ).map(toInode);
    }
    return this.all<InodeRow>(
      `SELECT ${INODE_SELECT} WHERE state = ? AND (modification_time, path) > (?, ?)
       ORDER BY modification_time, path LIMIT ?`,
      state, after.modificationTime, after.path, limit,
    ).map(toInode);
  }

  /** `host` is not looked at, as in listInodesByState. */
  async countInodesByState(state: PersistenceState, _host?: string): Promise<number> {
    return this.get<{n: number}>('SELECT count(*) AS n FROM inodes WHERE state = ?', state)!.n;
  }

  async countInodes(): Promise<number> {
    return this.get<{n: number}>('SELECT count(*) AS n FROM inodes')!.n;
  }

  async getCacheEntry(key: string): Promise<CacheEntry | undefined> {
    return this.cacheRow(key);
  }

  async getCacheEntries(keys: readonly string[]): Promise<CacheEntry[]> {
    if (keys.length === 0) return [];
    return this.all<CacheRow>(
      `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE key IN (SELECT value FROM json_each(?))`,
      JSON.stringify(keys),
    ).map(toCacheEntry);
  }

  async commitCacheEntry(e: CacheEntry): Promise<void> {
    this.transaction(() => {
      const existing = this.cacheRow(e.key);
      const path = e.path ?? existing?.path;
      this.write(
        `INSERT OR REPLACE INTO cache_entries (${CACHE_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
        e.key, e.size, e.lastAccess, Number(e.pinned || (existing?.pinned ?? false)), path ?? null,
      );
    });
  }

  async touchCacheEntry(key: string, lastAccess: number): Promise<void> {
    this.write('UPDATE cache_entries SET last_access = ? WHERE key = ?', lastAccess, key);
  }

  async deleteCacheEntry(key: string, opts: {ifLastAccess?: number} = {}): Promise<boolean> {
    const result = opts.ifLastAccess === undefined
      ? this.write('DELETE FROM cache_entries WHERE key = ?', key)
      : this.write('DELETE FROM cache_entries WHERE key = ? AND last_access = ?', key, opts.ifLastAccess);
    return result.changes > 0;
  }

  async rekeyCacheEntry(from: string, to: string, pinned: boolean, now: number): Promise<boolean> {
    return this.transaction(() => {
      const entry = this.cacheRow(from);
      if (!entry) return false;
      this.write('DELETE FROM cache_entries WHERE key = ?', from);
      this.write(
        `INSERT OR REPLACE INTO cache_entries (${CACHE_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
        to, entry.size, now, Number(pinned), entry.path ?? null,
      );
      return true;
    });
  }

  async setCacheEntryPinned(key: string, pinned: boolean): Promise<void> {
    this.write('UPDATE cache_entries SET pinned = ? WHERE key = ?', Number(pinned), key);
  }

  async makeCacheRoom(key: string, bytes: number, capacity: number): Promise<RoomResult> {
    const free = () => capacity - (this.usedBytes() - (this.cacheRow(key)?.size ?? 0));
    // The common case needs no write lock: room that is there now may be taken by the time the entry is
    // committed whether it was checked under the lock or not.
    if (free() >= bytes) return {ok: true, evicted: []};
    return this.transaction((): RoomResult => {
      const available = free();
      if (available >= bytes) return {ok: true, evicted: []};
      const {victims, reclaimable} = this.lruVictims(bytes - available, key);
      if (victims === undefined) return {ok: false, free: available, reclaimable};
      for (const victim of victims) this.write('DELETE FROM cache_entries WHERE key = ?', victim.key);
      return {ok: true, evicted: victims};
    });
  }

  async cacheUsedBytes(): Promise<number> {
    return this.usedBytes();
  }

  async cacheEntrySizes(): Promise<Set<number>> {
    return new Set(this.all<{size: number}>('SELECT DISTINCT size FROM cache_entries').map((row) => row.size));
  }

  async listEvictableCacheEntries(limit: number): Promise<CacheEntry[]> {
    return this.evictable(limit);
  }

  async listCachedPaths(offset: number, limit: number): Promise<CacheEntry[]> {
    return this.all<CacheRow>(
      `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE path IS NOT NULL ORDER BY path, key LIMIT ? OFFSET ?`,
      limit, offset,
    ).map(toCacheEntry);
  }

  async countCachedPaths(): Promise<number> {
    return this.get<{n: number}>('SELECT count(*) AS n FROM cache_entries WHERE path IS NOT NULL')!.n;
  }

  async listCacheEntriesOfPath(path: string): Promise<CacheEntry[]> {
    return this.all<CacheRow>(`SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE path = ?`, path).map(toCacheEntry);
  }

  async heartbeat(w: WorkerRecord): Promise<void> {
    this.write(
      'INSERT OR REPLACE INTO workers (host, last_contact, capacity_bytes, used_bytes) VALUES (?, ?, ?, ?)',
      w.host, w.lastContact, w.capacityBytes, w.usedBytes,
    );
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return this.all<WorkerRecord>(
      `SELECT host, last_contact AS lastContact, capacity_bytes AS capacityBytes, used_bytes AS usedBytes
       FROM workers ORDER BY host`,
    );
  }

  async addMetrics(deltas: ReadonlyMap<string, number>): Promise<void> {
    if (deltas.size === 0) return;
    this.transaction(() => {
      for (const [name, delta] of deltas) {
        this.write(
          'INSERT INTO metrics (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
          name, delta,
        );
      }
    });
  }

  async readMetrics(): Promise<Map<string, number>> {
    return new Map(this.all<{name: string; value: number}>('SELECT name, value FROM metrics').map((r) => [r.name, r.value]));
  }

  async tryAcquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    // One statement, so atomic on its own: the row is taken only when missing, ours, or expired.
    const result = this.write(
      `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
      {name, owner, expiresAt: now + ttlMs, now},
    );
    return result.changes > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.write('DELETE FROM leases WHERE name = ? AND owner = ?', name, owner);
  }

  async getLease(name: string): Promise<Lease | undefined> {
    return this.get<Lease>('SELECT name, owner, expires_at AS expiresAt FROM leases WHERE name = ?', name);
  }

  async tryClaimPath(path: string, owner: string, opts: {viewedAt: number; now: number; ttlMs: number}): Promise<boolean> {
    assertPath(path);
    return this.transaction(() => {
      this.write('DELETE FROM claims WHERE expires_at <= ?', opts.now);
      const held = this.get<{completed_at: number | null}>('SELECT completed_at FROM claims WHERE path = ?', path);
      if (held && (held.completed_at === null || held.completed_at >= opts.viewedAt)) return false;
      this.write(
        'INSERT OR REPLACE INTO claims (path, owner, expires_at, completed_at) VALUES (?, ?, ?, NULL)',
        path, owner, opts.now + opts.ttlMs,
      );
      return true;
    });
  }

  async renewClaims(owner: string, expiresAt: number): Promise<void> {
    this.write('UPDATE claims SET expires_at = ? WHERE owner = ? AND completed_at IS NULL', expiresAt, owner);
  }

  async completeClaim(path: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.write(
      'UPDATE claims SET completed_at = ?, expires_at = ? WHERE path = ? AND owner = ? AND completed_at IS NULL',
      now, now + ttlMs, path, owner,
    ).changes > 0;
  }

  async releaseClaim(path: string, owner: string): Promise<void> {
    this.write('DELETE FROM claims WHERE path = ? AND owner = ? AND completed_at IS NULL', path, owner);
  }

  async setPinTree(path: string, pin: {pinned: boolean; media: string[]}, exceptKeyPrefix: string): Promise<void> {
    const {lo, hi} = below(path);
    this.transaction(() => {
      const above = pin.pinned ? undefined : nearest(this.pins(ancestorsOf(path)));
      this.deletePinTree(path);
      if (pin.pinned || above?.pinned) {
        this.write('INSERT INTO pins (path, pinned, media) VALUES (?, ?, ?)', path, Number(pin.pinned), pin.media.join(','));
      }
      this.write(
        `UPDATE cache_entries SET pinned = ? WHERE (path = ? OR (path > ? AND path < ?)) AND substr(key, 1, ?) <> ?`,
        Number(pin.pinned), path, lo, hi, exceptKeyPrefix.length, exceptKeyPrefix,
      );
    });
  }

  async getPins(paths: readonly string[]): Promise<PinRecord[]> {
    return this.pins(paths);
  }

  async listPinsBelow(path: string): Promise<PinRecord[]> {
    const {lo, hi} = below(path);
    return this.all<PinRow>('SELECT path, pinned, media FROM pins WHERE path > ? AND path < ?', lo, hi).map(toPin);
  }

  async recordFileId(id: number, path: string): Promise<void> {
    this.write('INSERT OR REPLACE INTO file_ids (id, path) VALUES (?, ?)', id, path);
  }

  async getFileIdPath(id: number): Promise<string | undefined> {
    return this.get<{path: string}>('SELECT path FROM file_ids WHERE id = ?', id)?.path;
  }

  async getValue(key: string): Promise<string | undefined> {
    return this.get<{value: string}>('SELECT value FROM kv WHERE key = ?', key)?.value;
  }

  async setValue(key: string, value: string): Promise<void> {
    this.write('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)', key, value);
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE): all or nothing, serialized across processes. */
  private transaction<T>(fn: () => T): T {
    // Nested: better-sqlite3 runs it in a SAVEPOINT of the outer transaction.
    if (this.db.inTransaction) return this.txn(fn) as T;
    try {
      return this.txn.immediate(() => {
        // Checked under the write lock, which a format holds too: no write of a command that began before a
        // format lands in the fresh store.
        if (this.get<{generation: string}>(GENERATION_SQL)?.generation !== this.generation) {
          throw storeReplaced(this.file);
        }
        return fn();
      }) as T;
    } catch (e) {
      throw translateSqliteError(e, this.file, this.busyTimeoutMs);
    }
  }

  private formatInfo(): FormatInfo | undefined {
    const row = this.get<{cluster_id: string; super_user: string; super_group: string; formatted_at: number}>(
      'SELECT cluster_id, super_user, super_group, formatted_at FROM format_info WHERE id = 1',
    );
    return row && {
      clusterId: row.cluster_id,
      superUser: row.super_user,
      superGroup: row.super_group,
      formattedAt: row.formatted_at,
    };
  }

  private mountRow(alluxioPath: string): MountRecord | undefined {
    const row = this.get<MountRow>('SELECT * FROM mounts WHERE alluxio_path = ?', alluxioPath);
    return row && toMount(row);
  }

  private writeMount(m: MountRecord): void {
    this.write(
      `INSERT OR REPLACE INTO mounts
         (alluxio_path, ufs_uri, read_only, shared, options, ufs_owner, ufs_group, ufs_mode, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.alluxioPath, m.ufsUri, Number(m.readOnly), Number(m.shared), JSON.stringify(m.options),
      m.ufsOwner ?? null, m.ufsGroup ?? null, m.ufsMode ?? null, m.createdAt,
    );
  }

  private inodeRow(path: string): InodeRecord | undefined {
    const row = this.get<InodeRow>(`SELECT ${INODE_SELECT} WHERE path = ?`, path);
    return row && toInode(row);
  }

  /** Inside a transaction: the row and its ACL. */
  private writeInode(i: InodeRecord): void {
    assertPath(i.path);
    const extended = i.acl?.extended ? JSON.stringify(i.acl.extended) : null;
    const defaultAcl = i.acl?.defaultAcl ? JSON.stringify(i.acl.defaultAcl) : null;
    this.write(
      `INSERT OR REPLACE INTO inodes (${INODE_COLUMNS}, parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      i.path, Number(i.isDirectory), i.state, i.owner ?? null, i.group ?? null, i.mode ?? null,
      i.length ?? null, i.creationTime, i.modificationTime, i.cacheKey ?? null, i.cacheHost ?? null, parentOf(i.path),
    );
    if (extended === null && defaultAcl === null) this.write('DELETE FROM acls WHERE path = ?', i.path);
    else this.write('INSERT OR REPLACE INTO acls (path, extended, default_acl) VALUES (?, ?, ?)', i.path, extended, defaultAcl);
  }

  /**
   * Inside a transaction: `path` and everything below it, with ACLs, pins, completed claims, and the cache entries
   * their rows name. Returns the inode rows removed and the keys of the cache entries deleted.
   */
  private deleteTree(path: string): {removed: number; cacheKeys: string[]} {
    const {lo, hi} = below(path);
    const cacheKeys = this.all<{key: string}>(
      `DELETE FROM cache_entries WHERE key IN
         (SELECT cache_key FROM inodes WHERE (path = ? OR (path > ? AND path < ?)) AND cache_key IS NOT NULL)
       RETURNING key`,
      path, lo, hi,
    ).map((row) => row.key);
    this.write('DELETE FROM acls WHERE path = ? OR (path > ? AND path < ?)', path, lo, hi);
    this.deletePinTree(path);
    this.forgetClaims(path);
    const removed =
      this.write('DELETE FROM inodes WHERE path > ? AND path < ?', lo, hi).changes +
      this.write('DELETE FROM inodes WHERE path = ?', path).changes;
    return {removed, cacheKeys};
  }

  /** Drops the completed claims on `path` and below: it was deleted or renamed away, so creating it is fine. */
  private forgetClaims(path: string): void {
    const {lo, hi} = below(path);
    this.write(
      'DELETE FROM claims WHERE (path = ? OR (path > ? AND path < ?)) AND completed_at IS NOT NULL',
      path, lo, hi,
    );
  }

  private deletePinTree(path: string): void {
    const {lo, hi} = below(path);
    this.write('DELETE FROM pins WHERE path = ? OR (path > ? AND path < ?)', path, lo, hi);
  }

  private pins(paths: readonly string[]): PinRecord[] {
    if (paths.length === 0) return [];
    return this.all<PinRow>(
      `SELECT path, pinned, media FROM pins WHERE path IN (${paths.map(() => '?').join(', ')})`, ...paths,
    ).map(toPin);
  }

  private cacheRow(key: string): CacheEntry | undefined {
    const row = this.get<CacheRow>(`SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE key = ?`, key);
    return row && toCacheEntry(row);
  }

  private usedBytes(): number {
    return this.get<{used: number}>('SELECT coalesce(sum(size), 0) AS used FROM cache_entries')!.used;
  }

  private evictable(limit: number): CacheEntry[] {
    return this.all<CacheRow>(
      `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE pinned = 0 ORDER BY last_access, key LIMIT ?`, limit,
    ).map(toCacheEntry);
  }

  /**
   * The least recently used unpinned entries (except `except`) that add up to `bytes`, or no victims when all of
   * them together fall short; `reclaimable` is the size of what was looked at. Lists in growing batches so that
   * the common case reads a few rows, not the whole index.
   */
  private lruVictims(bytes: number, except: string): {victims?: CacheEntry[]; reclaimable: number} {
    for (let limit = 64; ; limit *= 4) {
      const entries = this.evictable(limit);
      const victims: CacheEntry[] = [];
      let reclaimable = 0;
      for (const entry of entries) {
        if (entry.key === except) continue;
        victims.push(entry);
        reclaimable += entry.size;
        if (reclaimable >= bytes) return {victims, reclaimable};
      }
      if (entries.length < limit) return {reclaimable};
    }
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private get<R>(sql: string, ...params: unknown[]): R | undefined {
    try {
      return this.statement(sql).get(...params) as R | undefined;
    } catch (e) {
      throw translateSqliteError(e, this.file, this.busyTimeoutMs);
    }
  }

  private all<R>(sql: string, ...params: unknown[]): R[] {
    try {
      return this.statement(sql).all(...params) as R[];
    } catch (e) {
      throw translateSqliteError(e, this.file, this.busyTimeoutMs);
    }
  }

  /** Every write runs in a transaction, so that it too waits for the lock and checks the generation. */
  private write(sql: string, ...params: unknown[]): Database.RunResult {
    const run = () => this.statement(sql).run(...params);
    return this.db.inTransaction ? run() : this.transaction(run);
  }
}

/** The deepest of the rows of a path's chain. */
function nearest(rows: PinRecord[]): PinRecord | undefined {
  let best: PinRecord | undefined;
  for (const row of rows) if (!best || row.path.length > best.path.length) best = row;
  return best;
}

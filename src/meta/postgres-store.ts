/**
 * The metastore in PostgreSQL, shared by every host and process pointed at one database. Loaded (with the pg
 * driver) only when alluxio.master.metastore is POSTGRES.
 *
 * Concurrency mirrors SQLite's single writer: every write transaction first locks the store_info row and checks
 * the generation this store was opened on (a format changes it, so a process opened before a format stops
 * writing), then reads and writes under that lock at READ COMMITTED. Reads run outside transactions. A
 * transaction cut off by a lost connection (a server restart) is run once more on a new connection; its first
 * attempt was rolled back by the server, so a change is applied once or not at all.
 */
import {randomBytes} from 'node:crypto';
import type {ConnectionOptions} from 'node:tls';

import pg from 'pg';

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
import {
  type PgTarget,
  isConnectionError,
  isRetryableConflict,
  lostCommit,
  lostConnection,
  missingSchema,
  newerPgSchema,
  replacedPg,
  translatePgError,
} from './postgres-errors.js';
import {PG_DATA_TABLES, PG_MIGRATIONS, PG_SCHEMA_VERSION, VERSION_TABLE_SQL} from './postgres-schema.js';

export interface PostgresOptions {
  target: PgTarget;
  password?: string;
  /** Query parameters of the URL passed on to the server: `options` (e.g. `-c search_path=alluxio`), `application_name`. */
  params?: {options?: string; application_name?: string};
  /** TLS to the server (from the URL's sslmode and sslrootcert); none when undefined. */
  ssl?: ConnectionOptions;
  /** The worker identity (alluxio.worker.hostname) whose cache entries this store works on. */
  host: string;
  /** Most connections this store opens at once. */
  poolSize: number;
  connectTimeoutMs: number;
  /** How long a write waits for another process's transaction (10 s by default, like SQLite's). */
  busyTimeoutMs?: number;
  /** False: a database without our schema is an error instead of being set up. */
  create?: boolean;
}

const BUSY_TIMEOUT_MS = 10_000;
/** Rows per statement of a batch write: large enough to amortize round trips, small enough for any engine. */
const BATCH = 2000;

type Params = readonly unknown[];

/** A transaction under way: statements on its connection. */
interface Tx {
  query<R extends object>(sql: string, params?: Params): Promise<R[]>;
  run(sql: string, params?: Params): Promise<number>;
}

const INODE_SELECT = `SELECT i.path, is_dir, state, owner, grp, mode, length, creation_time, modification_time,
  cache_key, cache_host, extended, default_acl FROM inodes i LEFT JOIN acls a ON a.path = i.path`;
const LOCK_SQL = 'SELECT generation FROM store_info WHERE id = 1 FOR UPDATE';

// int8 (count(*), BIGINT columns) as numbers: every value we keep (times in ms, sizes in bytes) is below 2^53.
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export class PostgresMetaStore implements MetaStore {
  readonly host: string;
  readonly sharedByHosts = true;
  private readonly busyTimeoutMs: number;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PostgresOptions,
    readonly generation: string,
  ) {
    this.host = opts.host;
    this.busyTimeoutMs = opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  }

  /** Connects, setting up or migrating the schema as needed (unless `create` is false). */
  static async open(opts: PostgresOptions): Promise<PostgresMetaStore> {
    const pool = createPool(opts);
    try {
      const generation = await prepareSchema(pool, opts, opts.create !== false);
      return new PostgresMetaStore(pool, opts, generation);
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw translatePgError(e, opts.target, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
    }
  }

  /**
   * Empties the namespace for every host and process using this database, with a new generation, in one
   * transaction (the schema is created when missing). Stores opened before fail their next write.
   */
  static async format(opts: PostgresOptions): Promise<void> {
    const pool = createPool({...opts, poolSize: 1});
    try {
      await prepareSchema(pool, opts, true);
      await inTransaction(pool, {lock: true}, async (tx) => {
        for (const table of PG_DATA_TABLES) await tx.run(`DELETE FROM ${table}`);
        await tx.run('UPDATE store_info SET generation = $1 WHERE id = 1', [newGeneration()]);
      });
    } catch (e) {
      throw translatePgError(e, opts.target, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  // -- format info

  async getFormatInfo(): Promise<FormatInfo | undefined> {
    const [row] = await this.read<{cluster_id: string; super_user: string; super_group: string; formatted_at: number}>(
      'SELECT cluster_id, super_user, super_group, formatted_at FROM format_info WHERE id = 1',
    );
    return row && {clusterId: row.cluster_id, superUser: row.super_user, superGroup: row.super_group, formattedAt: row.formatted_at};
  }

  async initializeFormatInfo(candidate: FormatInfo): Promise<FormatInfo> {
    const existing = await this.getFormatInfo();
    if (existing) return existing;
    return this.write(async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO format_info (id, cluster_id, super_user, super_group, formatted_at) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING`,
        [candidate.clusterId, candidate.superUser, candidate.superGroup, candidate.formattedAt],
      );
      if (inserted > 0) return candidate;
      const [row] = await tx.query<{cluster_id: string; super_user: string; super_group: string; formatted_at: number}>(
        'SELECT cluster_id, super_user, super_group, formatted_at FROM format_info WHERE id = 1',
      );
      return {clusterId: row!.cluster_id, superUser: row!.super_user, superGroup: row!.super_group, formattedAt: row!.formatted_at};
    });
  }

  // -- mounts

  async listMounts(): Promise<MountRecord[]> {
    return (await this.read<MountRow>('SELECT * FROM mounts ORDER BY alluxio_path')).map(toMount);
  }

  async getMount(alluxioPath: string): Promise<MountRecord | undefined> {
    const [row] = await this.read<MountRow>('SELECT * FROM mounts WHERE alluxio_path = $1', [alluxioPath]);
    return row && toMount(row);
  }

  async addMount(m: MountRecord): Promise<boolean> {
    return this.write(async (tx) => (await tx.run(`${MOUNT_INSERT} ON CONFLICT (alluxio_path) DO NOTHING`, mountParams(m))) > 0);
  }

  async replaceMount(m: MountRecord, expectedUfsUri: string): Promise<boolean> {
    return this.write(async (tx) => {
      const changed = await tx.run(
        `UPDATE mounts SET ufs_uri = $2, read_only = $3, shared = $4, options = $5, ufs_owner = $6, ufs_group = $7,
           ufs_mode = $8, created_at = $9
         WHERE alluxio_path = $1 AND ufs_uri = $10`,
        [...mountParams(m), expectedUfsUri],
      );
      return changed > 0;
    });
  }

  async updateMountTriple(alluxioPath: string, t: {owner: string; group: string; mode: number}): Promise<void> {
    await this.write((tx) =>
      tx.run('UPDATE mounts SET ufs_owner = $1, ufs_group = $2, ufs_mode = $3 WHERE alluxio_path = $4', [t.owner, t.group, t.mode, alluxioPath]),
    );
  }

  async removeMount(alluxioPath: string): Promise<{removed: boolean; cacheKeys: string[]}> {
    assertPath(alluxioPath);
    return this.write(async (tx) => {
      if ((await tx.run('DELETE FROM mounts WHERE alluxio_path = $1', [alluxioPath])) === 0) return {removed: false, cacheKeys: []};
      const {cacheKeys} = await this.deleteTree(tx, alluxioPath);
      return {removed: true, cacheKeys};
    });
  }

  // -- inodes

  async getInode(path: string): Promise<InodeRecord | undefined> {
    const [row] = await this.read<InodeRow>(`${INODE_SELECT} WHERE i.path = $1`, [path]);
    return row && toInode(row);
  }

  async putInode(inode: InodeRecord): Promise<void> {
    assertPath(inode.path);
    await this.write((tx) => writeInodes(tx, [inode]));
  }

  async createInode(inode: InodeRecord): Promise<boolean> {
    assertPath(inode.path);
    return this.write(async (tx) => {
      const [exists] = await tx.query('SELECT 1 FROM inodes WHERE path = $1', [inode.path]);
      if (exists) return false;
      await writeInodes(tx, [inode]);
      return true;
    });
  }

  async modifyInodes(
    paths: readonly string[],
    modify: (path: string, current: InodeRecord | undefined, index: number) => InodeRecord | undefined,
  ): Promise<void> {
    for (const path of paths) assertPath(path);
    await this.write(async (tx) => {
      const current = new Map<string, InodeRecord>();
      for (let i = 0; i < paths.length; i += BATCH) {
        const rows = await tx.query<InodeRow>(`${INODE_SELECT} WHERE i.path = ANY($1::text[])`, [paths.slice(i, i + BATCH)]);
        for (const row of rows) current.set(row.path, toInode(row));
      }
      const changed: InodeRecord[] = [];
      paths.forEach((path, index) => {
        const next = modify(path, current.get(path), index);
        if (next === undefined) return;
        assertPath(next.path);
        changed.push(next);
        // A later path of the batch sees the row as written here.
        current.set(next.path, next);
      });
      await writeInodes(tx, changed);
    });
  }

  async listChildInodes(dirPath: string): Promise<InodeRecord[]> {
    assertPath(dirPath);
    return (await this.read<InodeRow>(`${INODE_SELECT} WHERE i.parent = $1 ORDER BY i.path`, [dirPath])).map(toInode);
  }

  async listDescendantInodes(dirPath: string): Promise<InodeRecord[]> {
    const {lo, hi} = below(dirPath);
    return (await this.read<InodeRow>(`${INODE_SELECT} WHERE i.path > $1 AND i.path < $2 ORDER BY i.path`, [lo, hi])).map(toInode);
  }

  async deleteInodeTree(path: string): Promise<{removed: number; cacheKeys: string[]}> {
    assertPath(path);
    return this.write((tx) => this.deleteTree(tx, path));
  }

  /** Rows already at `dst` or below it are replaced, as rename(2) replaces its target. */
  async renameInodeTree(src: string, dst: string): Promise<{cacheKeys: string[]}> {
    assertMovable(src, dst);
    if (src === dst) return {cacheKeys: []};
    const {lo, hi} = below(src);
    return this.write(async (tx) => {
      // As in rename(2), what was at the destination goes, with its cache entries (the caller removes the files).
      const {cacheKeys} = await this.deleteTree(tx, dst);
      // length() and substr() count characters on both sides, so names outside the BMP move right.
      const moved = '$1 || substr(path, length($2) + 1)';
      const inTree = 'path = $2 OR (path > $3 AND path < $4)';
      await tx.run(
        `UPDATE inodes SET path = ${moved},
           parent = CASE WHEN path = $2 THEN $5 ELSE $1 || substr(parent, length($2) + 1) END
         WHERE ${inTree}`,
        [dst, src, lo, hi, parentOf(dst)],
      );
      await tx.run(`UPDATE acls SET path = ${moved} WHERE ${inTree}`, [dst, src, lo, hi]);
      await tx.run(`UPDATE pins SET path = ${moved} WHERE ${inTree}`, [dst, src, lo, hi]);
      await tx.run('DELETE FROM claims WHERE (path = $1 OR (path > $2 AND path < $3)) AND completed_at IS NOT NULL', [src, lo, hi]);
      return {cacheKeys};
    });
  }

  async listInodesByState(
    state: PersistenceState,
    opts: {limit: number; after?: InodeCursor; host?: string},
  ): Promise<InodeRecord[]> {
    const params: unknown[] = [state, opts.limit];
    let where = 'state = $1';
    if (opts.host !== undefined) {
      params.push(opts.host);
      where += ` AND cache_host = $${params.length}`;
    }
    if (opts.after) {
      params.push(opts.after.modificationTime, opts.after.path);
      where += ` AND (modification_time, i.path) > ($${params.length - 1}, $${params.length}::text COLLATE "C")`;
    }
    const rows = await this.read<InodeRow>(`${INODE_SELECT} WHERE ${where} ORDER BY modification_time, i.path LIMIT $2`, params);
    return rows.map(toInode);
  }

  async countInodesByState(state: PersistenceState, host?: string): Promise<number> {
    const [row] = host === undefined
      ? await this.read<{n: number}>('SELECT count(*) AS n FROM inodes WHERE state = $1', [state])
      : await this.read<{n: number}>('SELECT count(*) AS n FROM inodes WHERE state = $1 AND cache_host = $2', [state, host]);
    return row!.n;
  }

  async countInodes(): Promise<number> {
    return (await this.read<{n: number}>('SELECT count(*) AS n FROM inodes'))[0]!.n;
  }

  // -- this host's cache entries

  async getCacheEntry(key: string): Promise<CacheEntry | undefined> {
    const [row] = await this.read<CacheRow>(`SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND key = $2`, [this.host, key]);
    return row && toCacheEntry(row);
  }

  async getCacheEntries(keys: readonly string[]): Promise<CacheEntry[]> {
    if (keys.length === 0) return [];
    const rows = await this.read<CacheRow>(`SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND key = ANY($2::text[])`, [this.host, keys]);
    return rows.map(toCacheEntry);
  }

  async commitCacheEntry(e: CacheEntry): Promise<void> {
    await this.write((tx) =>
      tx.run(
        `INSERT INTO cache_entries (host, ${CACHE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (host, key) DO UPDATE SET size = excluded.size, last_access = excluded.last_access,
           pinned = cache_entries.pinned OR excluded.pinned, path = coalesce(excluded.path, cache_entries.path)`,
        [this.host, e.key, e.size, e.lastAccess, e.pinned, e.path ?? null],
      ),
    );
  }

  async touchCacheEntry(key: string, lastAccess: number): Promise<void> {
    await this.write((tx) => tx.run('UPDATE cache_entries SET last_access = $3 WHERE host = $1 AND key = $2', [this.host, key, lastAccess]));
  }

  async deleteCacheEntry(key: string, opts: {ifLastAccess?: number} = {}): Promise<boolean> {
    return this.write(async (tx) =>
      opts.ifLastAccess === undefined
        ? (await tx.run('DELETE FROM cache_entries WHERE host = $1 AND key = $2', [this.host, key])) > 0
        : (await tx.run('DELETE FROM cache_entries WHERE host = $1 AND key = $2 AND last_access = $3', [this.host, key, opts.ifLastAccess])) > 0,
    );
  }

  async rekeyCacheEntry(from: string, to: string, pinned: boolean, now: number): Promise<boolean> {
    return this.write(async (tx) => {
      const [old] = await tx.query<CacheRow>(
        `DELETE FROM cache_entries WHERE host = $1 AND key = $2 RETURNING ${CACHE_COLUMNS}`,
        [this.host, from],
      );
      if (!old) return false;
      await tx.run(
        `INSERT INTO cache_entries (host, ${CACHE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (host, key) DO UPDATE SET size = excluded.size, last_access = excluded.last_access,
           pinned = excluded.pinned, path = excluded.path`,
        [this.host, to, old.size, now, pinned, old.path],
      );
      return true;
    });
  }

  async setCacheEntryPinned(key: string, pinned: boolean): Promise<void> {
    await this.write((tx) => tx.run('UPDATE cache_entries SET pinned = $3 WHERE host = $1 AND key = $2', [this.host, key, pinned]));
  }

  async makeCacheRoom(key: string, bytes: number, capacity: number): Promise<RoomResult> {
    return this.write(async (tx) => {
      const [{used}] = (await tx.query<{used: number}>(
        'SELECT coalesce(sum(size), 0)::bigint AS used FROM cache_entries WHERE host = $1 AND key <> $2',
        [this.host, key],
      )) as [{used: number}];
      const free = capacity - used;
      if (free >= bytes) return {ok: true, evicted: []};
      const victims: CacheEntry[] = [];
      let reclaimable = 0;
      // Growing batches: the common case reads a few rows, not the whole index.
      for (let limit = 64, offset = 0; ; offset += limit, limit *= 4) {
        const rows = await tx.query<CacheRow>(
          `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND NOT pinned AND key <> $2
           ORDER BY last_access, key LIMIT $3 OFFSET $4`,
          [this.host, key, limit, offset],
        );
        for (const row of rows) {
          victims.push(toCacheEntry(row));
          reclaimable += row.size;
          if (free + reclaimable >= bytes) {
            await tx.run('DELETE FROM cache_entries WHERE host = $1 AND key = ANY($2::text[])', [this.host, victims.map((v) => v.key)]);
            return {ok: true, evicted: victims};
          }
        }
        if (rows.length < limit) return {ok: false, free, reclaimable};
      }
    });
  }

  async cacheUsedBytes(): Promise<number> {
    const [row] = await this.read<{used: number}>('SELECT coalesce(sum(size), 0)::bigint AS used FROM cache_entries WHERE host = $1', [this.host]);
    return row!.used;
  }

  async cacheEntrySizes(): Promise<Set<number>> {
    const rows = await this.read<{size: number}>('SELECT DISTINCT size FROM cache_entries WHERE host = $1', [this.host]);
    return new Set(rows.map((r) => r.size));
  }

  async listEvictableCacheEntries(limit: number): Promise<CacheEntry[]> {
    const rows = await this.read<CacheRow>(
      `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND NOT pinned ORDER BY last_access, key LIMIT $2`,
      [this.host, limit],
    );
    return rows.map(toCacheEntry);
  }

  async listCachedPaths(offset: number, limit: number): Promise<CacheEntry[]> {
    const rows = await this.read<CacheRow>(
      `SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND path IS NOT NULL ORDER BY path, key LIMIT $2 OFFSET $3`,
      [this.host, limit, offset],
    );
    return rows.map(toCacheEntry);
  }

  async countCachedPaths(): Promise<number> {
    return (await this.read<{n: number}>('SELECT count(*) AS n FROM cache_entries WHERE host = $1 AND path IS NOT NULL', [this.host]))[0]!.n;
  }

  async listCacheEntriesOfPath(path: string): Promise<CacheEntry[]> {
    const rows = await this.read<CacheRow>(`SELECT ${CACHE_COLUMNS} FROM cache_entries WHERE host = $1 AND path = $2 ORDER BY key`, [this.host, path]);
    return rows.map(toCacheEntry);
  }

  // -- workers

  async heartbeat(w: WorkerRecord): Promise<void> {
    await this.write((tx) =>
      tx.run(
        `INSERT INTO workers (host, last_contact, capacity_bytes, used_bytes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (host) DO UPDATE SET last_contact = excluded.last_contact, capacity_bytes = excluded.capacity_bytes,
           used_bytes = excluded.used_bytes`,
        [w.host, w.lastContact, w.capacityBytes, w.usedBytes],
      ),
    );
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    const rows = await this.read<{host: string; last_contact: number; capacity_bytes: number; used_bytes: number}>(
      'SELECT host, last_contact, capacity_bytes, used_bytes FROM workers ORDER BY host',
    );
    return rows.map((r) => ({host: r.host, lastContact: r.last_contact, capacityBytes: r.capacity_bytes, usedBytes: r.used_bytes}));
  }

  // -- metrics

  async addMetrics(deltas: ReadonlyMap<string, number>): Promise<void> {
    if (deltas.size === 0) return;
    await this.write((tx) =>
      tx.run(
        `INSERT INTO metrics (name, value) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (name) DO UPDATE SET value = metrics.value + excluded.value`,
        [[...deltas.keys()], [...deltas.values()]],
      ),
    );
  }

  async readMetrics(): Promise<Map<string, number>> {
    const rows = await this.read<{name: string; value: number}>('SELECT name, value FROM metrics');
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  // -- leases and claims

  async tryAcquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    return this.write(async (tx) =>
      (await tx.run(
        `INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE leases.owner = excluded.owner OR leases.expires_at <= $4`,
        [name, owner, now + ttlMs, now],
      )) > 0,
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.write((tx) => tx.run('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]));
  }

  async getLease(name: string): Promise<Lease | undefined> {
    const [row] = await this.read<{name: string; owner: string; expires_at: number}>(
      'SELECT name, owner, expires_at FROM leases WHERE name = $1',
      [name],
    );
    return row && {name: row.name, owner: row.owner, expiresAt: row.expires_at};
  }

  async tryClaimPath(path: string, owner: string, opts: {viewedAt: number; now: number; ttlMs: number}): Promise<boolean> {
    assertPath(path);
    // One statement, one round trip under the write lock: prunes the other lapsed claims, and takes the path when
    // it is free, its claim lapsed, or completed before the caller saw it missing (a claim in progress has no
    // completed_at, so the comparison refuses it).
    return this.write(
      async (tx) =>
        (await tx.run(
          `WITH pruned AS (DELETE FROM claims WHERE expires_at <= $4 AND path <> $1)
           INSERT INTO claims (path, owner, expires_at, completed_at) VALUES ($1, $2, $3, NULL)
           ON CONFLICT (path) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, completed_at = NULL
           WHERE claims.expires_at <= $4 OR claims.completed_at < $5`,
          [path, owner, opts.now + opts.ttlMs, opts.now, opts.viewedAt],
        )) > 0,
    );
  }

  async renewClaims(owner: string, expiresAt: number): Promise<void> {
    await this.write((tx) => tx.run('UPDATE claims SET expires_at = $1 WHERE owner = $2 AND completed_at IS NULL', [expiresAt, owner]));
  }

  async completeClaim(path: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.write(async (tx) =>
      (await tx.run(
        'UPDATE claims SET completed_at = $1, expires_at = $2 WHERE path = $3 AND owner = $4 AND completed_at IS NULL',
        [now, now + ttlMs, path, owner],
      )) > 0,
    );
  }

  async releaseClaim(path: string, owner: string): Promise<void> {
    await this.write((tx) => tx.run('DELETE FROM claims WHERE path = $1 AND owner = $2 AND completed_at IS NULL', [path, owner]));
  }

  // -- pins

  async setPinTree(path: string, pin: {pinned: boolean; media: string[]}, exceptKeyPrefix: string): Promise<void> {
    const {lo, hi} = below(path);
    const ancestors = ancestorsOf(path);
    await this.write(async (tx) => {
      let row: PinRecord | undefined = {path, pinned: true, media: pin.media};
      if (!pin.pinned) {
        const [above] = await tx.query<PinRow>(
          'SELECT path, pinned, media FROM pins WHERE path = ANY($1::text[]) ORDER BY length(path) DESC LIMIT 1',
          [ancestors],
        );
        row = above?.pinned ? {path, pinned: false, media: []} : undefined;
      }
      await tx.run('DELETE FROM pins WHERE path = $1 OR (path > $2 AND path < $3)', [path, lo, hi]);
      if (row) await tx.run('INSERT INTO pins (path, pinned, media) VALUES ($1, $2, $3)', [path, row.pinned, row.media.join(',')]);
      await tx.run(
        `UPDATE cache_entries SET pinned = $1
         WHERE host = $2 AND (path = $3 OR (path > $4 AND path < $5)) AND substr(key, 1, char_length($6)) <> $6`,
        [pin.pinned, this.host, path, lo, hi, exceptKeyPrefix],
      );
    });
  }

  async getPins(paths: readonly string[]): Promise<PinRecord[]> {
    if (paths.length === 0) return [];
    return (await this.read<PinRow>('SELECT path, pinned, media FROM pins WHERE path = ANY($1::text[])', [paths])).map(toPin);
  }

  async listPinsBelow(path: string): Promise<PinRecord[]> {
    const {lo, hi} = below(path);
    return (await this.read<PinRow>('SELECT path, pinned, media FROM pins WHERE path > $1 AND path < $2 ORDER BY path', [lo, hi])).map(toPin);
  }

  // -- file ids, key-value bookkeeping

  async recordFileId(id: number, path: string): Promise<void> {
    await this.write((tx) =>
      tx.run('INSERT INTO file_ids (id, path) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET path = excluded.path', [id, path]),
    );
  }

  async getFileIdPath(id: number): Promise<string | undefined> {
    return (await this.read<{path: string}>('SELECT path FROM file_ids WHERE id = $1', [id]))[0]?.path;
  }

  async getValue(key: string): Promise<string | undefined> {
    return (await this.read<{value: string}>('SELECT value FROM kv WHERE key = $1', [key]))[0]?.value;
  }

  async setValue(key: string, value: string): Promise<void> {
    await this.write((tx) =>
      tx.run('INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]),
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * The rows at and below `path` with their ACLs, pins, completed claims, and this host's cache entries of them.
   * Other hosts' entries of them are unpinned: their files are only reclaimable then, by those hosts' eviction.
   */
  private async deleteTree(tx: Tx, path: string): Promise<{removed: number; cacheKeys: string[]}> {
    const {lo, hi} = below(path);
    const tree = [path, lo, hi];
    const inTree = 'path = $1 OR (path > $2 AND path < $3)';
    await tx.run(`DELETE FROM acls WHERE ${inTree}`, tree);
    await tx.run(`DELETE FROM pins WHERE ${inTree}`, tree);
    await tx.run(`DELETE FROM claims WHERE (${inTree}) AND completed_at IS NOT NULL`, tree);
    const rows = await tx.query<{cache_key: string | null}>(`DELETE FROM inodes WHERE ${inTree} RETURNING cache_key`, tree);
    const keys = rows.flatMap((r) => (r.cache_key === null ? [] : [r.cache_key]));
    if (keys.length === 0) return {removed: rows.length, cacheKeys: []};
    const deleted = await tx.query<{key: string}>(
      'DELETE FROM cache_entries WHERE host = $1 AND key = ANY($2::text[]) RETURNING key',
      [this.host, keys],
    );
    await tx.run('UPDATE cache_entries SET pinned = false WHERE host <> $1 AND key = ANY($2::text[]) AND pinned', [this.host, keys]);
    return {removed: rows.length, cacheKeys: deleted.map((r) => r.key)};
  }

  /** A statement outside any transaction; retried once on a new connection when the connection was lost. */
  private async read<R extends object>(sql: string, params: Params = []): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.pool.query<R>(sql, params as unknown[])).rows;
      } catch (e) {
        if (attempt === 1 && isConnectionError(e)) {
          await this.awaitServer();
          continue;
        }
        throw translatePgError(e, this.opts.target, this.busyTimeoutMs);
      }
    }
  }

  /**
   * Runs `fn` in one transaction that holds the store's write lock, checked against the generation. Lost
   * connections and engine-aborted conflicts run it once more on a new connection (`fn` again, from the start).
   */
  private async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, {lock: true}, async (tx, generation) => {
          if (generation !== this.generation) throw replacedPg(this.opts.target);
          return fn(tx);
        });
      } catch (e) {
        if (e instanceof CommitLost) throw lostCommit(this.opts.target, e.cause);
        if (attempt === 1 && (isConnectionError(e) || isRetryableConflict(e))) {
          if (isConnectionError(e)) await this.awaitServer();
          continue;
        }
        if (isConnectionError(e)) throw lostConnection(this.opts.target, e);
        throw translatePgError(e, this.opts.target, this.busyTimeoutMs);
      }
    }
  }

  /** After a lost connection: waits (up to the connect timeout) until the server accepts connections again. */
  private async awaitServer(): Promise<void> {
    const deadline = Date.now() + this.opts.connectTimeoutMs;
    for (;;) {
      try {
        await this.pool.query('SELECT 1');
        return;
      } catch (e) {
        if (!isConnectionError(e) || Date.now() >= deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** Failure of the COMMIT itself: whether the server committed is unknown, so it is never retried. */
class CommitLost extends Error {}

function createPool(opts: PostgresOptions): pg.Pool {
  const {target, params = {}} = opts;
  const {options, application_name: appName} = params;
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password: opts.password,
    max: opts.poolSize,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    idleTimeoutMillis: 10_000,
    application_name: appName ?? `alluxio ${opts.host}`.slice(0, 63),
    // A writer waits for another's lock as long as SQLite's busy timeout, then fails with one line.
    options: [options, `-c lock_timeout=${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`].filter(Boolean).join(' '),
    ...(opts.ssl && {ssl: opts.ssl}),
    types: TYPES,
  });
  // A server restart breaks idle connections: the pool drops them; the next use connects anew.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Runs `fn` between BEGIN and COMMIT on one connection of `pool`; a connection that failed is not reused. With
 * `lock`, the transaction first takes the store's write lock and gives `fn` the generation it found, in the same
 * round trip as BEGIN (a simple query of two statements): the lock is held one round trip less.
 */
async function inTransaction<T>(
  pool: pg.Pool,
  opts: {lock: boolean},
  fn: (tx: Tx, generation: string | undefined) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const tx: Tx = {
    async query<R extends object>(sql: string, params: Params = []) {
      return (await client.query<R>(sql, params as unknown[])).rows;
    },
    async run(sql: string, params: Params = []) {
      return (await client.query(sql, params as unknown[])).rowCount ?? 0;
    },
  };
  try {
    let result: T;
    try {
      let generation: string | undefined;
      if (opts.lock) {
        const results = (await client.query(`BEGIN; ${LOCK_SQL}`)) as unknown as pg.QueryResult<{generation: string}>[];
        generation = results[1]?.rows[0]?.generation;
      } else {
        await client.query('BEGIN');
      }
      result = await fn(tx, generation);
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      else await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    }
    try {
      await client.query('COMMIT');
    } catch (e) {
      broken = e as Error;
      throw isConnectionError(e) ? new CommitLost('commit lost', {cause: e}) : e;
    }
    return result;
  } catch (e) {
    if (isConnectionError(e)) broken ??= e as Error;
    throw e;
  } finally {
    client.release(broken);
  }
}

/** Sets up or migrates the schema under the version row's lock (racing first opens serialize); returns the generation. */
async function prepareSchema(pool: pg.Pool, opts: PostgresOptions, create: boolean): Promise<string> {
  const current = await readState(pool);
  if (current && current.version === PG_SCHEMA_VERSION) return current.generation;
  if (current && current.version > PG_SCHEMA_VERSION) throw newerPgSchema(opts.target, current.version, PG_SCHEMA_VERSION);
  if (!create) throw missingSchema(opts.target);
  await createVersionTable(pool);
  await inTransaction(pool, {lock: false}, async (tx) => {
    const [row] = await tx.query<{version: number}>('SELECT version FROM alluxio_schema WHERE id = 1 FOR UPDATE');
    const version = row!.version;
    if (version > PG_SCHEMA_VERSION) throw newerPgSchema(opts.target, version, PG_SCHEMA_VERSION);
    for (const sql of PG_MIGRATIONS.slice(version)) await tx.run(sql);
    if (version < PG_SCHEMA_VERSION) {
      await tx.run('INSERT INTO store_info (id, generation) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [newGeneration()]);
      await tx.run('UPDATE alluxio_schema SET version = $1 WHERE id = 1', [PG_SCHEMA_VERSION]);
    }
  });
  const after = await readState(pool);
  return after!.generation;
}

/** The schema version and generation in one statement; undefined when the schema is not there yet. */
async function readState(pool: pg.Pool): Promise<{version: number; generation: string} | undefined> {
  try {
    const {rows} = await pool.query<{version: number; generation: string | null}>(
      'SELECT version, (SELECT generation FROM store_info WHERE id = 1) AS generation FROM alluxio_schema WHERE id = 1',
    );
    const [row] = rows;
    if (!row || row.generation === null) return row && row.version > PG_SCHEMA_VERSION ? {version: row.version, generation: ''} : undefined;
    return {version: row.version, generation: row.generation};
  } catch (e) {
    // 42P01: no such table (nothing set up yet).
    if ((e as {code?: string}).code === '42P01') return undefined;
    throw e;
  }
}

/**
 * CREATE TABLE IF NOT EXISTS is not atomic against itself in PostgreSQL: two first opens may both try to create
 * it, and the loser fails with a unique violation on the catalog; it then finds the table made.
 */
async function createVersionTable(pool: pg.Pool): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query(VERSION_TABLE_SQL);
      await pool.query('INSERT INTO alluxio_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
      return;
    } catch (e) {
      const code = (e as {code?: string}).code;
      if (attempt >= 5 || (code !== '23505' && code !== '42P07')) throw e;
    }
  }
}

const newGeneration = (): string => randomBytes(16).toString('hex');

/** Writes the rows and their ACLs; a path given twice is written once, as its last record says. */
async function writeInodes(tx: Tx, records: readonly InodeRecord[]): Promise<void> {
  // One INSERT ... ON CONFLICT may not touch a row twice.
  const inodes = [...new Map(records.map((n) => [n.path, n])).values()];
  for (let i = 0; i < inodes.length; i += BATCH) {
    const chunk = inodes.slice(i, i + BATCH);
    const column = <V>(f: (n: InodeRecord) => V) => chunk.map(f);
    // The old ACLs of these paths go in the same statement (a data-modifying WITH): one round trip less.
    await tx.run(
      `WITH old_acls AS (DELETE FROM acls WHERE path = ANY($1::text[]))
       INSERT INTO inodes (${INODE_COLUMNS}, parent)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[],
         $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[])
       ON CONFLICT (path) DO UPDATE SET is_dir = excluded.is_dir, state = excluded.state, owner = excluded.owner,
         grp = excluded.grp, mode = excluded.mode, length = excluded.length, creation_time = excluded.creation_time,
         modification_time = excluded.modification_time, cache_key = excluded.cache_key,
         cache_host = excluded.cache_host, parent = excluded.parent`,
      [
        column((n) => n.path),
        column((n) => n.isDirectory),
        column((n) => n.state),
        column((n) => n.owner ?? null),
        column((n) => n.group ?? null),
        column((n) => n.mode ?? null),
        column((n) => n.length ?? null),
        column((n) => n.creationTime),
        column((n) => n.modificationTime),
        column((n) => n.cacheKey ?? null),
        column((n) => n.cacheHost ?? null),
        column((n) => parentOf(n.path)),
      ],
    );
    const withAcl = chunk.filter((n) => n.acl?.extended || n.acl?.defaultAcl);
    if (withAcl.length > 0) {
      await tx.run('INSERT INTO acls (path, extended, default_acl) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
        withAcl.map((n) => n.path),
        withAcl.map((n) => (n.acl?.extended ? JSON.stringify(n.acl.extended) : null)),
        withAcl.map((n) => (n.acl?.defaultAcl ? JSON.stringify(n.acl.defaultAcl) : null)),
      ]);
    }
  }
}

const MOUNT_INSERT = `INSERT INTO mounts
  (alluxio_path, ufs_uri, read_only, shared, options, ufs_owner, ufs_group, ufs_mode, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

function mountParams(m: MountRecord): unknown[] {
  return [
    m.alluxioPath, m.ufsUri, m.readOnly, m.shared, JSON.stringify(m.options),
    m.ufsOwner ?? null, m.ufsGroup ?? null, m.ufsMode ?? null, m.createdAt,
  ];
}

import {createHash, randomBytes} from 'node:crypto';
import * as fs from 'node:fs';
import {promises as fsp} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import {join} from 'node:path';
import {Readable} from 'node:stream';

import {failedPrecondition, invalidArgument, ioError, notFound} from '../errors.js';
import {failureReason} from '../util/system-errors.js';
import type {CacheEntry, InodeCursor, MetaStore} from '../meta/store.js';
import {CLUSTER, count} from '../metrics/counters.js';
import {makeDirectories} from '../util/directories.js';
import {removeOnInterrupt} from '../util/interrupts.js';
import {isOwnTemporary, sweepTemporaries, temporaryName} from '../util/temp-files.js';
import {PRIVATE_FILE, PRIVATE_FOLDER, ownedWithWiderMode} from '../util/private-modes.js';

/** Alluxio's worker keeps its data in this folder under each tier directory; `format` empties it. */
const WORKER_FOLDER = 'alluxioworker';
/** Files being written live in this folder of the data folder until renamed into place. */
const TEMP_FOLDER = '.tmp';
/** A temporary's name starts with the size it will have: `<bytes>.<pid>@<host>-<random>.tmp`. */
const TEMP_SIZE = /^(\d+)\./;
const PATH_KEY = 'alluxio.worker.tieredstore.level0.dirs.path';
const QUOTA_KEY = 'alluxio.worker.tieredstore.level0.dirs.quota';
const KEY_PATTERN = /^[0-9A-Za-z_-]{1,128}$/;
/** In the data folder: the metastore generation its data belongs to (a format elsewhere makes it stale). */
const GENERATION_FILE = '.generation';
/** In the data folder: its modification time is when this host last looked for entries of deleted files. */
const SWEEP_FILE = '.swept';
/** How often a host looks for cache entries another host orphaned (it deleted their files, not its cache). */
const SWEEP_INTERVAL_MS = 60 * 60_000;
/**
 * An entry of data not yet persisted that no file names is dropped only once this old: a CACHE_THROUGH write
 * records its file only after uploading the data from the cache, however long that takes.
 */
const ORPHAN_AGE_MS = 24 * 60 * 60_000;
/** How long a process waits for another one of this host emptying the cache after a format elsewhere. */
const EMPTYING_WAIT_MS = 10_000;
const PAGE = 1000;
/** Keys of data that has no UFS object yet: such an entry is the only copy, pinned whatever `fs unpin` says. */
export const PRIVATE_KEY_PREFIX = 'private-';

export interface WorkerCacheOptions {
  /** The tier-0 folder; data lives in `<dir>/alluxioworker`. */
  dir: string;
  quotaBytes: number;
  store: MetaStore;
  /**
   * A temporary file of a writer on another host (a cache on a shared folder) that nobody wrote to for this long
   * is abandoned: alluxio.user.file.persistence.lease.duration, 1 minute by default. Writers on this host count as
   * gone only when their process no longer runs.
   */
  abandonAfterMs?: number;
}

export interface CacheWriteOptions {
  /** Pinned data is the only copy (not yet persisted): never evicted. */
  pinned: boolean;
  /** Exact size of the data: room is made before writing, and a source that yields more or less fails. */
  expectedLength: number;
  /** Room for it was reserved (`reserve`) by the caller, who releases it after the write. */
  reserved?: boolean;
  /** The Alluxio path whose data this is: the In-Alluxio Data page lists cached files by it. */
  path?: string;
}

/**
 * The worker's cache: one file per key in a folder shared by every process on the host, indexed by the
 * metastore's cache entries (size, last access, pinned). Unpinned entries are evicted least recently used
 * first to keep the total under the quota. No file I/O runs inside a metastore transaction: a file is only ever
 * renamed into place complete, and its entry is recorded after that (eviction deletes rows first, files after), so
 * a crash can leave a file without an entry, never an entry without its file; racing processes at worst write the
 * same bytes twice. Files being written count against the quota at their final size, whichever process writes
 * them; those of writers that died (killed, crashed) are removed by the next process that uses the cache.
 */
export class WorkerCache {
  readonly dataDir: string;
  private readonly tempDir: string;
  private readonly dir: string;
  private readonly quota: number;
  private readonly store: MetaStore;
  /** Room held for writes this process has decided to cache and not yet committed (several run at once). */
  private reservedBytes = 0;
  private readonly abandonAfterMs: number;
  private checked = false;
  private dirChecked = false;
  /** Reservations check and take room one at a time, so writes started together never count on the same room. */
  private reserving: Promise<unknown> = Promise.resolve();

  constructor(options: WorkerCacheOptions) {
    this.dir = options.dir;
    this.dataDir = join(options.dir, WORKER_FOLDER);
    this.tempDir = join(this.dataDir, TEMP_FOLDER);
    this.quota = options.quotaBytes;
    this.store = options.store;
    this.abandonAfterMs = options.abandonAfterMs ?? 60_000;
  }

  /**
   * Makes the cache folder belong to the metastore generation `generation`: a folder last used with another one
   * (the namespace was formatted from another host since) is emptied first, its entries being gone with the format.
   * One process of the host empties it; the others wait for it. A folder without a generation file is adopted as
   * it is (a fresh one, or one made before generations were kept). Only for a namespace several hosts share: with
   * one host, the format that changes the generation empties this very folder.
   */
  async adoptGeneration(): Promise<void> {
    if (!this.store.sharedByHosts) return;
    const generation = this.store.generation;
    const marker = join(this.dataDir, GENERATION_FILE);
    const seen = await readIfExists(marker, this.dataDir);
    if (seen === generation || (seen === undefined && !fs.existsSync(this.dataDir))) return;
    if (seen !== undefined) {
      // Renaming the marker away is the lock: of the processes that saw the old generation, one succeeds.
      const held = `${marker}.${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await fsp.rename(marker, held);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unwritable(this.dataDir, e);
        await this.waitForGeneration(marker, generation);
        return;
      }
      await this.empty(held);
    }
    await writeMarker(marker, generation, this.dataDir);
  }

  /**
   * Drops, at most once an hour, this host's entries of data never persisted that no file names any more: another
   * host deleted the file (it cannot delete this host's cache). Only for a namespace several hosts share.
   */
  async dropOrphansIfDue(now = Date.now()): Promise<string[]> {
    if (!this.store.sharedByHosts) return [];
    const stamp = join(this.dataDir, SWEEP_FILE);
    let last: number | undefined;
    try {
      last = (await fsp.stat(stamp)).mtimeMs;
    } catch {
      last = undefined;
    }
    if (last !== undefined && now - last < SWEEP_INTERVAL_MS) return [];
    if (!fs.existsSync(this.dataDir)) return [];
    try {
      await fsp.writeFile(stamp, '', {mode: PRIVATE_FILE});
      await fsp.utimes(stamp, now / 1000, now / 1000);
    } catch (e) {
      throw unwritable(this.dataDir, e);
    }
    return this.dropOrphans(now);
  }

  /** Records that this host used the namespace now, with its cache's quota and use (the Workers page lists it). */
  async recordContact(): Promise<void> {
    await this.store.heartbeat({host: this.store.host, lastContact: Date.now(), capacityBytes: this.quota, usedBytes: await this.store.cacheUsedBytes()});
  }

  /** Key of a UFS object's data: it changes with the object's size and hash (or time), so stale data is never hit. */
  static keyForUfsObject(
    ufsUri: string,
    version: {length: number; lastModified?: number; contentHash?: string},
  ): string {
    // A content hash (an ETag) names the version by itself; times differ in precision between a listing and a
    // HEAD on some stores, so they count only where no hash exists.
    const identity = [ufsUri, version.length, version.contentHash ?? version.lastModified ?? null];
    return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  }

  /** Key for data that has no UFS object yet (MUST_CACHE, ASYNC_THROUGH before persisting). */
  static newPrivateKey(): string {
    return `${PRIVATE_KEY_PREFIX}${randomBytes(16).toString('hex')}`;
  }

  /**
   * Deletes and recreates `<dir>/alluxioworker`. Alluxio leaves it 1777 for the worker and its clients; here the
   * cache belongs to the user whose commands fill it, and holds data whose Alluxio or S3 permissions may be
   * private, so it is readable by that user alone.
   */
  static async format(dir: string): Promise<string[]> {
    const dataDir = join(dir, WORKER_FOLDER);
    try {
      await fsp.rm(dataDir, {recursive: true, force: true});
      await makeDirectories(join(dataDir, TEMP_FOLDER), PRIVATE_FOLDER);
    } catch (e) {
      throw unwritable(dataDir, e);
    }
    return [dataDir];
  }

  /** The file holding a key's data, for readers that want byte ranges of it (e.g. multipart uploads). */
  pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw invalidArgument(`Invalid cache key ${JSON.stringify(key)}`);
    return join(this.dataDir, key);
  }

  /** True when the entry and its file exist; an entry whose file vanished (format, manual cleanup) is dropped. */
  async has(key: string): Promise<boolean> {
    this.removeAbandonedOnce();
    const entry = await this.store.getCacheEntry(key);
    if (!entry) return false;
    if (fs.existsSync(this.pathOf(key))) return true;
    await this.dropStale(entry);
    return false;
  }

  async open(key: string, options: {offset?: number; length?: number} = {}): Promise<Readable> {
    const file = this.pathOf(key);
    this.removeAbandonedOnce();
    let fd: number | undefined;
    const entry = await this.store.getCacheEntry(key);
    try {
      // Holding the descriptor from here on keeps the data readable even if another process evicts it.
      if (entry) fd = fs.openSync(file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw ioError(`Failed to read ${file} from the Alluxio worker cache: ${failureReason(e)}`, {cause: e});
      }
      await this.dropStale(entry!);
    }
    if (fd === undefined) throw notFound(`Block ${key} is not in the Alluxio worker cache (${this.dataDir})`);
    try {
      await this.store.touchCacheEntry(key, Date.now());
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    if (options.length === 0) {
      fs.closeSync(fd);
      return Readable.from([]);
    }
    const start = options.offset ?? 0;
    const end = options.length === undefined ? undefined : start + options.length - 1;
    const stream = fs.createReadStream(file, {fd, start, end});
    stream.once('close', () => count(CLUSTER.BytesReadLocal, stream.bytesRead));
    return stream;
  }

  /** Streams `source` into the cache under `key`; returns the bytes written. */
  async write(key: string, source: AsyncIterable<Uint8Array> | Readable, options: CacheWriteOptions): Promise<number> {
    const filled = this.fill(key, options, async (handle) => {
      let written = 0;
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        written += chunk.length;
        if (written > options.expectedLength) break;
        // writeFile on a handle writes at the current position and loops until the whole chunk is written.
        await handle.writeFile(chunk);
      }
      return written;
    });
    try {
      return await filled;
    } catch (e) {
      // A fill that failed before reading (no room, no folder) must not leave the source's file open.
      if (source instanceof Readable) source.destroy();
      throw e;
    }
  }

  /**
   * Caches `key` from what `writeTo` writes into the (empty, open) file it is given, anywhere in the file; it
   * returns how many bytes it wrote. Returns that count.
   */
  async fill(key: string, options: CacheWriteOptions, writeTo: (handle: FileHandle) => Promise<number>): Promise<number> {
    const file = this.pathOf(key);
    const expected = options.expectedLength;
    await this.ensureDir();
    // Making room first keeps the disk under the quota while writing; room is made again before the commit,
    // since other processes may have filled the cache meanwhile.
    const ownReservation = options.reserved ? expected : 0;
    await this.makeRoom(key, expected, ownReservation);
    const temp = join(this.tempDir, temporaryName(`${expected}.`, '.tmp'));
    // Registered before the file exists: an interrupt that lands while the open completes still removes it.
    const unregister = removeOnInterrupt(temp);
    let handle: FileHandle;
    try {
      handle = await fsp.open(temp, 'wx', PRIVATE_FILE);
    } catch (e) {
      unregister();
      throw unwritable(this.dataDir, e);
    }
    let written = 0;
    try {
      try {
        written = await writeTo(handle);
        // The entry may be the only copy of the data: it must survive a crash once it is recorded.
        if (written === expected) await handle.sync();
      } catch (e) {
        // Why the write failed is the error worth reporting, not a close that fails after it.
        await handle.close().catch(() => undefined);
        throw e;
      }
      await handle.close();
      if (written !== expected) {
        // A UFS object that changed while it was read must not be cached under its old key.
        const got = written > expected ? `more than ${expected}` : `${written}`;
        throw ioError(`Caching ${key} failed: the source gave ${got} bytes, ${expected} expected`);
      }
      await this.makeRoom(key, expected, ownReservation);
      renameIntoPlace(temp, file, key);
      const path = options.path;
      await this.store.commitCacheEntry({key, size: expected, lastAccess: Date.now(), pinned: options.pinned, ...(path === undefined ? {} : {path})});
      count(CLUSTER.BytesWrittenLocal, written);
      return written;
    } catch (e) {
      await fsp.rm(temp, {force: true});
      throw e;
    } finally {
      unregister();
    }
  }

  /**
   * Whether `bytes` could be cached after evicting everything evictable: the quota minus pinned bytes and the room
   * reserved by writes under way.
   */
  async canHold(bytes: number): Promise<boolean> {
    const free = this.quota - (await this.store.cacheUsedBytes()) - this.reservedBytes - this.othersWritingBytes();
    return free >= bytes || (await this.canReclaim(bytes - free));
  }

  /**
   * Holds room for `bytes` when the cache can hold them, so that writes started together do not all count on the
   * same free space; false when it cannot. The caller writes with `reserved: true`, then calls `release`.
   */
  reserve(bytes: number): Promise<boolean> {
    const reserved = this.reserving.then(async () => {
      if (!(await this.canHold(bytes))) return false;
      this.reservedBytes += bytes;
      return true;
    });
    this.reserving = reserved.catch(() => undefined);
    return reserved;
  }

  release(bytes: number): void {
    this.reservedBytes -= bytes;
  }

  /** Makes an entry evictable (its data has been persisted, or its path unpinned). */
  async unpin(key: string): Promise<void> {
    await this.store.setCacheEntryPinned(key, false);
  }

  /**
   * Moves data to another key, unpinned unless its path is pinned: once a file is persisted its cached copy becomes
   * an ordinary copy of the UFS object, keyed by that object's version. The data gets its new name (a hard link)
   * before the entry moves, and loses the old one after.
   */
  async rekey(from: string, to: string, pinned = false): Promise<void> {
    const source = this.pathOf(from);
    const target = this.pathOf(to);
    if (!(await this.store.getCacheEntry(from))) return;
    const linked = linkOnce(source, target, to);
    if (!(await this.store.rekeyCacheEntry(from, to, pinned, Date.now()))) {
      // The entry went meanwhile (removed by another process): so does the name given to its data.
      if (linked) fs.rmSync(target, {force: true});
      return;
    }
    fs.rmSync(source, {force: true});
  }

  /** Drops an entry and its data; false when there was no entry. */
  async remove(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    const existed = await this.store.deleteCacheEntry(key);
    fs.rmSync(file, {force: true});
    return existed;
  }

  /** Deletes the files of entries the metastore has already dropped (a delete, an unmount, or `evict`ion). */
  removeFiles(keys: readonly string[], verb: 'remove' | 'evict' = 'remove'): void {
    for (const key of keys) {
      const file = this.pathOf(key);
      try {
        fs.rmSync(file, {force: true});
      } catch (e) {
        // E.g. another user's file in a sticky cache folder: the entry is gone, the file is left behind.
        throw ioError(`Cannot ${verb} ${file} from the Alluxio worker cache: ${failureReason(e)}`, {cause: e});
      }
    }
  }

  usedBytes(): Promise<number> {
    return this.store.cacheUsedBytes();
  }

  /** Removes what writers that died left being written (only lists it with `dryRun`); returns the paths. */
  removeAbandoned(dryRun = false): string[] {
    this.checked ||= !dryRun;
    return sweepTemporaries(this.tempDir, [''], this.abandonAfterMs, dryRun).removed;
  }

  /** The sizes of what the cache holds: data of any other size is certainly not cached. */
  sizes(): Promise<Set<number>> {
    return this.store.cacheEntrySizes();
  }

  /** Entries of data not yet persisted, older than ORPHAN_AGE_MS, that no file of this host's names: dropped with their data. */
  private async dropOrphans(now: number): Promise<string[]> {
    const candidates: CacheEntry[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.store.listCachedPaths(offset, PAGE);
      for (const e of page) if (e.key.startsWith(PRIVATE_KEY_PREFIX) && e.lastAccess < now - ORPHAN_AGE_MS) candidates.push(e);
      if (page.length < PAGE) break;
    }
    if (candidates.length === 0) return [];
    // Listed after the entries: a file recorded meanwhile names an entry already listed, never a missed one.
    const named = new Set<string>();
    for (const state of ['NOT_PERSISTED', 'TO_BE_PERSISTED'] as const) {
      for (let after: InodeCursor | undefined; ; ) {
        const rows = await this.store.listInodesByState(state, {limit: PAGE, host: this.store.host, ...(after ? {after} : {})});
        for (const row of rows) if (row.cacheKey !== undefined) named.add(row.cacheKey);
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1]!;
        after = {modificationTime: last.modificationTime, path: last.path};
      }
    }
    const dropped: string[] = [];
    for (const entry of candidates) {
      if (named.has(entry.key)) continue;
      if (await this.store.deleteCacheEntry(entry.key, {ifLastAccess: entry.lastAccess})) dropped.push(entry.key);
    }
    this.removeFiles(dropped);
    return dropped;
  }

  /** Empties the data folder but for `keep` (the marker renamed away as a lock), which goes last. */
  private async empty(keep: string): Promise<void> {
    try {
      for (const name of await fsp.readdir(this.dataDir)) {
        const file = join(this.dataDir, name);
        if (file !== keep) await fsp.rm(file, {recursive: true, force: true});
      }
      await makeDirectories(this.tempDir, PRIVATE_FOLDER);
      await fsp.rm(keep, {force: true});
    } catch (e) {
      throw unwritable(this.dataDir, e);
    }
  }

  /** Waits for the process emptying the folder to mark it with `generation`; after a while, goes on without. */
  private async waitForGeneration(marker: string, generation: string): Promise<void> {
    const until = Date.now() + EMPTYING_WAIT_MS;
    while (Date.now() < until) {
      if ((await readIfExists(marker, this.dataDir)) === generation) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Drops an entry whose file is gone, unless another process cached the key again meanwhile (a new last access). */
  private async dropStale(entry: CacheEntry): Promise<void> {
    await this.store.deleteCacheEntry(entry.key, {ifLastAccess: entry.lastAccess});
  }

  /**
   * Room that writes of other processes hold: the final sizes of their temporary files, once those of dead writers
   * are removed (this process's own writes are in `reservedBytes`).
   */
  private othersWritingBytes(): number {
    this.checked = true;
    let bytes = 0;
    for (const name of sweepTemporaries(this.tempDir, [''], this.abandonAfterMs).live) {
      if (!isOwnTemporary(name)) bytes += Number(TEMP_SIZE.exec(name)?.[1] ?? 0);
    }
    return bytes;
  }

  private removeAbandonedOnce(): void {
    if (!this.checked) this.removeAbandoned();
  }

  /**
   * Evicts LRU entries until `bytes` for `key` fit beside the room other writes of this process reserved (`own` is
   * this write's reservation) and the writes of other processes, or throws having evicted nothing. The entries go in
   * the metastore's transaction, their files after it.
   */
  private async makeRoom(key: string, bytes: number, own: number): Promise<void> {
    const capacity = this.quota - (this.reservedBytes - own) - this.othersWritingBytes();
    const room = await this.store.makeCacheRoom(key, bytes, capacity);
    if (!room.ok) {
      throw failedPrecondition(
        `Not enough space in the Alluxio worker cache (${this.dir}): ${bytes} bytes needed, ` +
          `${Math.max(0, room.free + room.reclaimable)} free of ${this.quota}`,
        `Raise ${QUOTA_KEY}, or persist files written with MUST_CACHE or ASYNC_THROUGH so their data can be evicted`,
      );
    }
    this.removeFiles(room.evicted.map((entry) => entry.key), 'evict');
  }

  /**
   * Whether evicting unpinned entries, least recently used first, frees `bytes`: lists in growing batches so that
   * the common case reads a few rows, not the whole index.
   */
  private async canReclaim(bytes: number): Promise<boolean> {
    for (let limit = 64; ; limit *= 4) {
      const entries = await this.store.listEvictableCacheEntries(limit);
      let reclaimable = 0;
      for (const entry of entries) {
        reclaimable += entry.size;
        if (reclaimable >= bytes) return true;
      }
      if (entries.length < limit) return false;
    }
  }

  /**
   * The cache folder is recreated on demand, e.g. after someone removed it by hand; one left open to others by an
   * older format (1777) is closed to them.
   */
  private async ensureDir(): Promise<void> {
    try {
      if (!fs.existsSync(this.tempDir)) {
        await makeDirectories(this.tempDir, PRIVATE_FOLDER);
        // A folder made now holds data of the current generation only.
        const marker = join(this.dataDir, GENERATION_FILE);
        if (this.store.sharedByHosts && !fs.existsSync(marker)) await writeMarker(marker, this.store.generation, this.dataDir);
      }
      if (this.dirChecked) return;
      this.dirChecked = true;
      const st = await fsp.stat(this.dataDir);
      if (ownedWithWiderMode(st, PRIVATE_FOLDER)) await fsp.chmod(this.dataDir, PRIVATE_FOLDER);
    } catch (e) {
      throw unwritable(this.dataDir, e);
    }
  }
}

async function readIfExists(file: string, dataDir: string): Promise<string | undefined> {
  try {
    return (await fsp.readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unwritable(dataDir, e);
  }
}

/** Writes the generation file whole (renamed into place), so that a reader never sees part of it. */
async function writeMarker(marker: string, generation: string, dataDir: string): Promise<void> {
  const temp = `${marker}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fsp.writeFile(temp, generation + '\n', {mode: PRIVATE_FILE});
    await fsp.rename(temp, marker);
  } catch (e) {
    await fsp.rm(temp, {force: true});
    throw unwritable(dataDir, e);
  }
}

/**
 * Gives the data of a rekeyed entry its new name; false when a file already has it, which then holds the same bytes
 * (a key names one version of one object).
 */
function linkOnce(source: string, target: string, key: string): boolean {
  try {
    fs.linkSync(source, target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(`Caching ${key} failed: ${failureReason(e)}`, {cause: e});
  }
}

/** The rename that publishes a cached file; its temporary is gone only if it was taken for a dead writer's. */
function renameIntoPlace(temp: string, file: string, key: string): void {
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    throw ioError(`Caching ${key} failed: its temporary file ${temp} could not be renamed: ${failureReason(e)}`, {cause: e});
  }
}

function unwritable(dataDir: string, e: unknown) {
  return ioError(`Cannot write to the Alluxio worker cache folder ${dataDir}: ${failureReason(e)}`, {
    hint: `Set ${PATH_KEY} to a folder this user can write`,
    cause: e,
  });
}

import {Readable} from 'node:stream';
import {failedPrecondition} from '../errors.js';
import type {MountRecord} from '../meta/store.js';
import {normalizeAlluxioPath, normalizeNewPath} from '../namespace/alluxio-path.js';
import type {SetAclRequest} from '../security/acl.js';
import {type Bits, EXECUTE, NONE, READ} from '../security/mode.js';
import {type AclView, aclView, setAcl} from './acl.js';
import {setAttributes} from './attributes.js';
import {
  type CleanupRequest,
  type CleanupResult,
  cleanupIfDue,
  cleanupUploads,
  removeAbandonedTemporaries,
  underCleanupLease,
} from './cleanup.js';
import {type DiagnosisReport, diagnose} from './diagnose.js';
import {type FsContext, closeMountedUfs} from './fs-context.js';
import {checkPathPermission} from './guards.js';
import {listChildren} from './listing.js';
import {type LoadEvent, loadPath} from './load.js';
import {type MountOptions, dryRunMount, listMounts, mount, refreshMount, unmount, updateMount} from './mounts.js';
import {type DeleteOptions, deletePath, renamePath} from './mutations.js';
import {type PersistRound, handOverWaitingFiles, persistDueFiles, persistFile, persistWaitingFiles, persistWritten} from './persistence.js';
import {masterRunsHere} from '../master/pid-file.js';
import {type ByteRange, type OpenedFile, openFile, readToFile} from './reads.js';
import {type PinState, clearPins, pin, pinState, pinView, unpin} from './pins.js';
import {getStatus, requireStatus} from './status.js';
import {stableId} from './ids.js';
import {hasChildren, md5Hex} from './summaries.js';
import {isObjectStoreUri} from '../ufs/factory.js';
import {forEachLimited} from '../util/limit.js';
import {MASTER, countClientOp, couldNotFlush, isMasterProcess, tryFlushCounters} from '../metrics/counters.js';
import {DEFAULT_TRANSFER_THREADS, type FileStatus, type MountInfo, type ReadType, type WriteType} from './types.js';
import {expandPath} from './wildcards.js';
import {failureReason} from '../util/system-errors.js';
import {NO_PROGRESS, type Progress} from '../util/progress.js';
import {type CreateFileOptions, type FileSource, copyFile, createDirectory, createFile} from './writes.js';

const READ_EXECUTE = (READ | EXECUTE) as Bits;

/** Statuses are made afresh for each lookup and listing: marking them in place spares a copy per entry. */
function withPin(status: FileStatus, pin: PinState): FileStatus {
  status.pinned = pin.pinned;
  if (pin.pinned) status.pinnedMedia = pin.media;
  return status;
}

/**
 * The one API commands call. Paths are Alluxio paths as the user typed them; each method normalizes them,
 * checks permissions as Alluxio's master would, and delegates to the module of its concern.
 */
export class FileSystem {
  /** Whether this process changed anything: only then may it run the periodic cleanup on its way out. */
  private wrote = false;
  /** Files transferred at once by multi-file work: copies, persists, and the files close() persists. */
  transferThreads = DEFAULT_TRANSFER_THREADS;

  constructor(private readonly ctx: FsContext) {}

  /** What the master's pages count and show besides paths: the metastore, the worker cache, the mounts. */
  get internals(): Pick<FsContext, 'conf' | 'store' | 'cache' | 'mounts' | 'user'> {
    return this.ctx;
  }

  get defaultWriteType(): WriteType {
    return this.ctx.conf.getEnum('alluxio.user.file.writetype.default');
  }

  get defaultReadType(): ReadType {
    return this.ctx.conf.getEnum('alluxio.user.file.readtype.default');
  }

  async getStatus(path: string): Promise<FileStatus> {
    countClientOp(MASTER.GetFileInfoOps);
    const p = normalizeAlluxioPath(path);
    await checkPathPermission(this.ctx, p, NONE);
    const status = withPin(await requireStatus(this.ctx, p), await pinState(this.ctx, p));
    countClientOp(MASTER.FileInfosGot);
    return status;
  }

  /** The status, or undefined when nothing is at `path`: one lookup where exists() then getStatus() would be two. */
  async find(path: string): Promise<FileStatus | undefined> {
    countClientOp(MASTER.GetFileInfoOps);
    const p = normalizeAlluxioPath(path);
    await checkPathPermission(this.ctx, p, NONE);
    const status = await getStatus(this.ctx, p);
    if (!status) return undefined;
    countClientOp(MASTER.FileInfosGot);
    return withPin(status, await pinState(this.ctx, p));
  }

  async exists(path: string): Promise<boolean> {
    countClientOp(MASTER.GetFileInfoOps);
    return (await getStatus(this.ctx, normalizeAlluxioPath(path))) !== undefined;
  }

  /** The paths an argument names: itself, or a wildcard pattern's matches in path order (see wildcards.ts). */
  expand(arg: string, options?: {orNone?: boolean}): Promise<string[]> {
    return expandPath(this, arg, options);
  }

  /** A directory's children (or subtree) in path order; a file lists as itself. */
  async *list(path: string, options: {recursive: boolean}): AsyncGenerator<FileStatus> {
    countClientOp(MASTER.ListStatusOps);
    const status = await this.getStatus(path);
    if (!status.isDirectory) {
      yield status;
      return;
    }
    await checkPathPermission(this.ctx, status.path, READ_EXECUTE);
    const pins = await pinView(this.ctx, status.path);
    for await (const child of listChildren(this.ctx, status, options.recursive)) yield withPin(child, pins(child.path));
  }

  async mkdir(path: string, options: {recursive: boolean; writeType?: WriteType}): Promise<void> {
    this.wrote = true;
    countClientOp(MASTER.CreateDirectoryOps);
    await createDirectory(this.ctx, normalizeNewPath(path), {
      recursive: options.recursive,
      writeType: options.writeType ?? this.defaultWriteType,
    });
    countClientOp(MASTER.DirectoriesCreated);
  }

  async createFile(
    path: string,
    source: FileSource,
    options: Omit<CreateFileOptions, 'writeType'> & {writeType?: WriteType},
  ): Promise<void> {
    this.wrote = true;
    countClientOp(MASTER.CreateFileOps);
    await createFile(this.ctx, normalizeNewPath(path), source, {
      ...options,
      writeType: options.writeType ?? this.defaultWriteType,
    });
    countClientOp(MASTER.FilesCreated);
  }

  /**
   * Copies a file, given by the status `getStatus` or `list` returned, to the new file `dst` (Alluxio to Alluxio):
   * on the server when both sides are one S3 store with the same credentials, else streamed.
   */
  async copyFile(source: FileStatus, dst: string, progress: Progress = NO_PROGRESS): Promise<void> {
    this.wrote = true;
    countClientOp(MASTER.CreateFileOps);
    await copyFile(this.ctx, source, normalizeNewPath(dst), {readType: this.defaultReadType, writeType: this.defaultWriteType}, progress);
    countClientOp(MASTER.FilesCreated);
  }

  touch(path: string): Promise<void> {
    return this.createFile(path, Readable.from([]), {length: 0, recursive: true});
  }

  /**
   * Opens a file, or with `range` a part of it (the web UI's 5 KB view, head and tail: one ranged GET); a function
   * picks the range from the file's status.
   */
  open(path: string, readType?: ReadType, range?: ByteRange | ((status: FileStatus) => ByteRange)): Promise<OpenedFile> {
    return openFile(this.ctx, normalizeAlluxioPath(path), readType ?? this.defaultReadType, range);
  }

  /** The status of `path` and, for a directory, its whole subtree in path order: one recursive listing. */
  async subtree(path: string): Promise<{status: FileStatus; entries: Iterable<FileStatus> | AsyncIterable<FileStatus>}> {
    countClientOp(MASTER.ListStatusOps);
    const status = await this.getStatus(path);
    if (!status.isDirectory) return {status, entries: [status]};
    await checkPathPermission(this.ctx, status.path, READ_EXECUTE);
    return {status, entries: listChildren(this.ctx, status, true)};
  }

  /** MD5 of a file's data in hex, streamed, never filling the cache (Alluxio reads it NO_CACHE). */
  async checksum(path: string): Promise<string> {
    const {stream} = await this.open(path, 'NO_CACHE');
    return md5Hex(stream);
  }

  /** Whether a directory has children, as Alluxio's directory length tells: at most one LIST. */
  hasChildren(dir: FileStatus): Promise<boolean> {
    return hasChildren(this.ctx, dir);
  }

  /** Copies a file into a new local file `dest`; a big object read around the cache comes down in ranges at once. */
  readToFile(path: string, dest: string, readType?: ReadType, progress: Progress = NO_PROGRESS): Promise<FileStatus> {
    return readToFile(this.ctx, normalizeAlluxioPath(path), readType ?? this.defaultReadType, dest, progress);
  }

  async delete(path: string, options: DeleteOptions): Promise<void> {
    this.wrote = true;
    countClientOp(MASTER.DeletePathOps);
    await deletePath(this.ctx, normalizeAlluxioPath(path), options);
    countClientOp(MASTER.PathsDeleted);
  }

  /** `progress` hears of the entries an object store copies one by one. */
  async rename(src: string, dst: string, progress: Progress = NO_PROGRESS): Promise<void> {
    this.wrote = true;
    countClientOp(MASTER.RenamePathOps);
    await renamePath(this.ctx, normalizeAlluxioPath(src), normalizeNewPath(dst), progress);
    countClientOp(MASTER.PathsRenamed);
  }

  chmod(path: string, mode: number, recursive: boolean): Promise<void> {
    countClientOp(MASTER.SetAttributeOps);
    return setAttributes(this.ctx, normalizeAlluxioPath(path), {mode}, recursive);
  }

  chown(path: string, owner: string, group: string | undefined, recursive: boolean): Promise<void> {
    countClientOp(MASTER.SetAttributeOps);
    return setAttributes(this.ctx, normalizeAlluxioPath(path), {owner, group}, recursive);
  }

  chgrp(path: string, group: string, recursive: boolean): Promise<void> {
    countClientOp(MASTER.SetAttributeOps);
    return setAttributes(this.ctx, normalizeAlluxioPath(path), {group}, recursive);
  }

  /** getfacl: the path's owner, group and ACL entries. */
  async getAcl(path: string): Promise<AclView> {
    return aclView(await this.getStatus(path));
  }

  /** setfacl: changes the ACL in the metastore only, as chmod does the mode. */
  setAcl(path: string, request: SetAclRequest, recursive: boolean): Promise<void> {
    return setAcl(this.ctx, normalizeAlluxioPath(path), request, recursive);
  }

  /** Files at or below `path` whose data only the cache holds, with their sizes. */
  async filesToPersist(path: string): Promise<{path: string; length: number}[]> {
    const status = await this.getStatus(path);
    const targets = status.isDirectory ? this.list(status.path, {recursive: true}) : [status];
    const files: {path: string; length: number}[] = [];
    for await (const file of targets) {
      if (!file.isDirectory && file.persistenceState !== 'PERSISTED') files.push({path: file.path, length: file.length});
    }
    return files;
  }

  /** Uploads a file that only the cache holds; false when there was nothing to persist. */
  persist(path: string, progress: Progress = NO_PROGRESS): Promise<boolean> {
    countClientOp(MASTER.PersistFileOps);
    return persistFile(this.ctx, normalizeAlluxioPath(path), progress);
  }

  /**
   * Persists each path, `transferThreads` at a time; `done` hears of each one's success or failure, `progress` of
   * the bytes uploaded.
   */
  persistAll(paths: string[], done: (path: string, error?: Error) => void, progress: Progress = NO_PROGRESS): Promise<void> {
    return forEachLimited(paths, this.transferThreads, async (path) => {
      try {
        await this.persist(path, progress);
      } catch (e) {
        done(path, e as Error);
        return;
      }
      done(path);
    });
  }

  /**
   * Drops persisted data below `path` from the worker cache. Every file is checked before anything is freed; pinned
   * files only with `force`, which also unpins them, as Alluxio's forced free does.
   */
  async free(path: string, force = false): Promise<void> {
    countClientOp(MASTER.FreeFileOps);
    const status = await this.getStatus(path);
    const targets = status.isDirectory ? this.list(status.path, {recursive: true}) : [status];
    const keys: string[] = [];
    let pinned = false;
    for await (const file of targets) {
      if (file.isDirectory) continue;
      if (file.persistenceState !== 'PERSISTED') throw failedPrecondition(`Cannot free file ${file.path} which is not persisted`);
      if (file.pinned) {
        if (!force) {
          throw failedPrecondition(
            `Cannot free file ${file.path} which is pinned. Please unpin it first or set the "forced" flag of free operation to true`,
          );
        }
        pinned = true;
      }
      if (file.cacheKey !== undefined) keys.push(file.cacheKey);
    }
    if (pinned) await clearPins(this.ctx, status.path);
    for (const key of keys) if (await this.ctx.cache.remove(key)) countClientOp(MASTER.FilesFreed);
  }

  /** `fs pin`: the data below `path` stays in the cache, now and later (`media`: Alluxio's, checked, else unused). */
  pin(path: string, media: readonly string[]): Promise<void> {
    countClientOp(MASTER.SetAttributeOps);
    return pin(this.ctx, normalizeAlluxioPath(path), media);
  }

  unpin(path: string): Promise<void> {
    countClientOp(MASTER.SetAttributeOps);
    return unpin(this.ctx, normalizeAlluxioPath(path));
  }

  /** `fs load`: the data of a file, or of every file below a folder, into the worker cache; one event per line. */
  load(path: string, progress: Progress = NO_PROGRESS): AsyncGenerator<LoadEvent> {
    return loadPath(this.ctx, normalizeAlluxioPath(path), progress);
  }

  /** The id `stat` shows for a status, remembered so that `stat --file-id` finds its path again. */
  async fileId(status: FileStatus): Promise<number> {
    const id = stableId(status.path);
    await this.ctx.store.recordFileId(id, status.path);
    return id;
  }

  /** The path of an id `stat` has shown; undefined when none had it. */
  pathOfFileId(id: number): Promise<string | undefined> {
    return this.ctx.store.getFileIdPath(id);
  }

  async mount(alluxioPath: string, ufsUri: string, options: MountOptions): Promise<MountRecord> {
    countClientOp(MASTER.MountOps);
    const record = await mount(this.ctx, normalizeNewPath(alluxioPath), ufsUri, options);
    countClientOp(MASTER.PathsMounted);
    return record;
  }

  dryRunMount(alluxioPath: string, ufsUri: string, options: MountOptions): Promise<{record: MountRecord; diagnosis?: DiagnosisReport}> {
    return dryRunMount(this.ctx, normalizeNewPath(alluxioPath), ufsUri, options);
  }

  /** `fs updateMount`: a mount's options replaced entirely, checked against its under storage first. */
  async updateMount(alluxioPath: string, options: MountOptions): Promise<MountRecord> {
    countClientOp(MASTER.MountOps);
    return updateMount(this.ctx, normalizeAlluxioPath(alluxioPath), options);
  }

  async unmount(alluxioPath: string): Promise<void> {
    countClientOp(MASTER.UnmountOps);
    await unmount(this.ctx, normalizeAlluxioPath(alluxioPath));
    countClientOp(MASTER.PathsUnmounted);
  }

  /** Forces metadata of a mount point to be read again (Alluxio's `ls -f`). */
  refresh(path: string): Promise<void> {
    return refreshMount(this.ctx, normalizeAlluxioPath(path));
  }

  /** Aborts abandoned multipart uploads, then removes the temporary files of writers that were killed. */
  async cleanup(request: CleanupRequest): Promise<CleanupResult> {
    const mounts = await cleanupUploads(this.ctx, {...request, mountPoints: request.mountPoints.map(normalizeAlluxioPath)});
    return {mounts, temporaryFiles: removeAbandonedTemporaries(this.ctx, request)};
  }

  /** The cleanup, unless another process runs it now (then undefined): the master's periodic run. */
  cleanupExclusive(owner: string, request: CleanupRequest): Promise<CleanupResult | undefined> {
    return underCleanupLease(this.ctx, owner, () => this.cleanup(request));
  }

  /** One round of the master's async persistence; returns how many files still wait. */
  persistDue(round: Omit<PersistRound, 'threads'>): Promise<number> {
    return persistDueFiles(this.ctx, {...round, threads: this.transferThreads});
  }

  /** `doctor s3`: credentials, client settings and probes for an Alluxio path or an s3:// URI. */
  diagnose(target: string, options: {write: boolean}): Promise<DiagnosisReport> {
    return diagnose(this.ctx, isObjectStoreUri(target) ? target : normalizeAlluxioPath(target), options);
  }

  listMounts(): Promise<MountInfo[]> {
    return listMounts(this.ctx);
  }

  /**
   * Records this host's contact with the namespace (the Workers page and `fsadmin report capacity` list it): once per
   * command, and after each run of the master's jobs. A failure is only a warning: the work is done.
   */
  async recordContact(): Promise<void> {
    try {
      await this.ctx.cache.recordContact();
    } catch (e) {
      this.ctx.warn(`Could not record this host's contact with the metastore: ${failureReason(e)}`);
    }
  }

  /**
   * Releases the UFS clients and the metastore without persisting anything: for readers that wrote nothing, such as
   * one request of the master's web UI (the master persists on its own schedule). This process's metrics go to the
   * metastore first, except in the master, which flushes them on a timer (see master-flush.ts).
   */
  async release(): Promise<void> {
    try {
      await closeMountedUfs(this.ctx);
    } finally {
      try {
        if (!isMasterProcess()) {
          // A store that cannot take the counts (formatted meanwhile, say) would refuse the contact too: one warning.
          const failed = await tryFlushCounters(this.ctx.store);
          if (failed === undefined) await this.recordContact();
          else this.ctx.warn(couldNotFlush(failed));
        }
      } finally {
        await this.ctx.store.close();
      }
    }
  }

  /**
   * Persists the files this command wrote ASYNC_THROUGH now, bytes reported to `progress`, rather than in close():
   * a copy shows its uploads. Left to the master, as close() does, when one runs on this host.
   */
  async persistWritten(progress: Progress): Promise<void> {
    if (!masterRunsHere(this.ctx.conf)) await persistWritten(this.ctx, this.transferThreads, progress);
  }

  /**
   * Persists what this process left TO_BE_PERSISTED (and what crashed writers left), or leaves it to the master when
   * one runs on this host, then releases everything.
   */
  async close(): Promise<void> {
    try {
      if (masterRunsHere(this.ctx.conf)) await handOverWaitingFiles(this.ctx);
      else await persistWaitingFiles(this.ctx, this.transferThreads);
      if (this.wrote) await cleanupIfDue(this.ctx);
    } finally {
      await this.release();
    }
  }
}

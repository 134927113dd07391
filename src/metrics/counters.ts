/**
 * The counters of this process (Alluxio's metric names), flushed to the metastore's `metrics` table when a
 * FileSystem is closed or released (in the master: on a timer, see master-flush.ts), so the master's Metrics page
 * adds up every process working on the namespace. Counting is a Map increment: cheap enough for every UFS call
 * and every stream.
 */
import type {MetaStore} from '../meta/store.js';
import {failureReason} from '../util/system-errors.js';

const counters = new Map<string, number>();
let masterProcess = false;

export function count(name: string, n = 1): void {
  if (n !== 0) counters.set(name, (counters.get(name) ?? 0) + n);
}

/**
 * Counts an operation a client asks of Alluxio's master (`Master.*Ops`, `Master.FileInfosGot`...): CLI commands
 * are those clients; the master's own web UI and jobs are not, so in the master this counts nothing. What the
 * master really does (UFS calls and bytes, files it persists) is counted with `count`.
 */
export function countClientOp(name: string, n = 1): void {
  if (!masterProcess) count(name, n);
}

/**
 * Marks this process as the master, for good: client operations go uncounted, and FileSystems leave flushing to
 * the master's timer (a flush may wait for a CLI's write lock, which would stall every request of the master).
 */
export function becomeMaster(): void {
  masterProcess = true;
}

export function isMasterProcess(): boolean {
  return masterProcess;
}

/** What was counted since the last flush (a copy), for tests and the master's own view. */
export function pendingCounters(): ReadonlyMap<string, number> {
  return new Map(counters);
}

/**
 * Adds what was counted since the last flush to the store in one transaction. On failure the counts are kept for
 * the next flush and the failure only warns: a busy metastore must not fail the command whose work is done.
 */
export async function flushCounters(store: Pick<MetaStore, 'addMetrics'>, warn: (message: string) => void): Promise<void> {
  const error = await tryFlushCounters(store);
  if (error !== undefined) warn(couldNotFlush(error));
}

/** As flushCounters, but returns the failure (the counts kept) instead of warning. */
export async function tryFlushCounters(store: Pick<MetaStore, 'addMetrics'>): Promise<unknown> {
  if (counters.size === 0) return undefined;
  const deltas = new Map(counters);
  counters.clear();
  try {
    await store.addMetrics(deltas);
    return undefined;
  } catch (e) {
    for (const [name, n] of deltas) count(name, n);
    return e;
  }
}

export function hasPendingCounters(): boolean {
  return counters.size > 0;
}

export function couldNotFlush(error: unknown): string {
  return `Could not record this process's metrics in the metastore: ${failureReason(error)}`;
}

/** Logical operations and RPC-like calls of the FileSystem facade, as Alluxio's master counts them. */
export const MASTER = {
  FilesCreated: 'Master.FilesCreated',
  DirectoriesCreated: 'Master.DirectoriesCreated',
  PathsDeleted: 'Master.PathsDeleted',
  PathsRenamed: 'Master.PathsRenamed',
  PathsMounted: 'Master.PathsMounted',
  PathsUnmounted: 'Master.PathsUnmounted',
  FilesPersisted: 'Master.FilesPersisted',
  FilesFreed: 'Master.FilesFreed',
  FileInfosGot: 'Master.FileInfosGot',
  CreateFileOps: 'Master.CreateFileOps',
  CreateDirectoryOps: 'Master.CreateDirectoryOps',
  DeletePathOps: 'Master.DeletePathOps',
  RenamePathOps: 'Master.RenamePathOps',
  GetFileInfoOps: 'Master.GetFileInfoOps',
  ListStatusOps: 'Master.ListStatusOps',
  MountOps: 'Master.MountOps',
  UnmountOps: 'Master.UnmountOps',
  SetAttributeOps: 'Master.SetAttributeOps',
  FreeFileOps: 'Master.FreeFileOps',
  PersistFileOps: 'Master.PersistFileOps',
} as const;

/** Bytes to and from the worker cache, and per file read whether the cache served it. */
export const CLUSTER = {
  BytesReadLocal: 'Cluster.BytesReadLocal',
  BytesWrittenLocal: 'Cluster.BytesWrittenLocal',
  CacheHits: 'Cluster.CacheHits',
  CacheMisses: 'Cluster.CacheMisses',
} as const;

export type UfsOp = 'GetStatus' | 'ListStatus' | 'Mkdirs' | 'Create' | 'Open' | 'Delete' | 'Rename' | 'GetPermissions' | 'Cleanup';

export function ufsOpCounter(op: UfsOp, ufsUri: string): string {
  return `Master.UfsOp${op}.UFS:${ufsUri}`;
}

export function ufsBytesCounter(direction: 'Read' | 'Written', ufsUri: string): string {
  return `Cluster.Bytes${direction}Ufs.UFS:${ufsUri}`;
}

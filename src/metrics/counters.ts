/**
 * The counters of this process (Alluxio's metric names), flushed to the metastore's `metrics` table when a
 * FileSystem is closed or released, so the master's Metrics page adds up every process working on the namespace.
 * Counting is a Map increment: cheap enough for every UFS call and every stream.
 */
import type {MetaStore} from '../meta/store.js';
import {failureReason} from '../util/system-errors.js';

const counters = new Map<string, number>();

export function count(name: string, n = 1): void {
  if (n !== 0) counters.set(name, (counters.get(name) ?? 0) + n);
}

/** What was counted since the last flush (a copy), for tests and the master's own view. */
export function pendingCounters(): ReadonlyMap<string, number> {
  return new Map(counters);
}

/**
 * Adds what was counted since the last flush to the store in one transaction. On failure the counts are kept for
 * the next flush and the failure only warns: a busy metastore must not fail the command whose work is done.
 */
export function flushCounters(store: Pick<MetaStore, 'addMetrics'>, warn: (message: string) => void): void {
  if (counters.size === 0) return;
  const deltas = new Map(counters);
  counters.clear();
  try {
    store.addMetrics(deltas);
  } catch (e) {
    for (const [name, n] of deltas) count(name, n);
    warn(`Could not record this process's metrics in the metastore: ${failureReason(e)}`);
  }
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

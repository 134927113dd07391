import type {AclRecord, PersistenceState} from '../meta/store.js';

export type WriteType = 'MUST_CACHE' | 'CACHE_THROUGH' | 'THROUGH' | 'ASYNC_THROUGH';
export type ReadType = 'CACHE_PROMOTE' | 'CACHE' | 'NO_CACHE';
export const WRITE_TYPES: readonly WriteType[] = ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'];
export const READ_TYPES: readonly ReadType[] = ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'];

/**
 * Files transferred at once by multi-file work (copies, persists). On S3 every file costs at least one round
 * trip (10-80 ms), so a deep queue pays off far beyond Alluxio's cores x 2; the S3 client's connection pool
 * (alluxio.underfs.s3.threads.max) bounds what is really on the wire.
 */
export const DEFAULT_TRANSFER_THREADS = 32;

/** What Alluxio shows of one path: the UFS's view with Alluxio's own changes laid over it. */
export interface FileStatus {
  path: string;
  name: string;
  isDirectory: boolean;
  /** Bytes of a file; for a directory 0 (counting children would cost a listing each). */
  length: number;
  owner: string;
  group: string;
  mode: number;
  persistenceState: PersistenceState;
  /** Percentage of the file's data held by the worker cache; 0 for directories. */
  inAlluxioPercentage: number;
  creationTime?: number;
  lastModificationTime?: number;
  lastAccessTime?: number;
  isMountPoint: boolean;
  /** Id of the mount holding the path (derived from its mount point). */
  mountId: number;
  /** Where the data lives (or will live) in the UFS. */
  ufsPath: string;
  blockSizeBytes: number;
  /** Where the worker cache keeps (or would keep) this file's current data; left out of listings while the cache is empty. */
  cacheKey?: string;
  /** The host (worker) whose cache holds the data of a file not persisted yet: other hosts cannot read it. */
  cacheHost?: string;
  /** Extended ACL entries and default ACL, when setfacl set some or a default ACL was inherited. */
  acl?: AclRecord;
  /** Pinned by `fs pin` (itself or a folder above it); set by the FileSystem's lookups and listings. */
  pinned?: boolean;
  /** The media it was pinned to (empty: any). */
  pinnedMedia?: string[];
}

export interface MountInfo {
  alluxioPath: string;
  ufsUri: string;
  ufsType: string;
  readOnly: boolean;
  shared: boolean;
  /** Mount options for display: credential values are masked. */
  properties: Record<string, string>;
  capacityBytes: number;
  usedBytes: number;
}

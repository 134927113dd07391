import type {Readable, Writable} from 'node:stream';
import type {Progress} from '../util/progress.js';

/** What an under file system knows of one path. Names are relative to the directory listed. */
export interface UfsStatus {
  /** For listStatus: the path relative to the listed directory ("a", "a/b" when recursive). For getStatus: the base name. */
  name: string;
  isDirectory: boolean;
  /** Bytes for files, 0 for directories. */
  length: number;
  /** Milliseconds since the epoch; undefined where the store keeps no time (S3 directories). */
  lastModified?: number;
  /** Changes whenever the content changes (ETag, or size+mtime for local files). */
  contentHash?: string;
  owner: string;
  group: string;
  /** Permission bits, 0o000 to 0o777. */
  mode: number;
}

export interface ListOptions {
  recursive: boolean;
}

export interface CreateOptions {
  /** Create missing parent directories (object stores need nothing for that). */
  createParent: boolean;
  /** Size in bytes when known up front (lets a store pick single PUT or multipart). */
  contentLength?: number;
  /** Mode for the new file on stores that keep one (local). */
  mode?: number;
}

export interface OpenOptions {
  offset?: number;
  length?: number;
}

/** What a server-side copy knows of its source object. */
export interface CopySource {
  length: number;
}

/** A multipart upload left behind (by a crashed writer), aborted or, on a dry run, to be aborted. */
export interface AbandonedUpload {
  key: string;
  uploadId: string;
  initiated: number;
}

export interface CleanupOptions {
  /** Only uploads started before this time (ms since the epoch). */
  startedBefore: number;
  /** Under this UFS path only, unless `wholeBucket`. */
  path: string;
  wholeBucket: boolean;
  dryRun: boolean;
  /** Hears of the uploads found (grow) and aborted (advance). */
  progress?: Progress;
}

/** One line of a diagnosis: a setting and where its value came from. */
export interface DiagnosisRow {
  name: string;
  value: string;
  source?: string;
}

/** One check against the store: what was tried, the permission it needs, and what to do when it failed. */
export interface DiagnosisProbe {
  name: string;
  /** The permission the probe needs, e.g. s3:ListBucket. */
  action: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
  hint?: string;
}

export interface UfsDiagnosis {
  sections: {title: string; rows: DiagnosisRow[]}[];
  probes: DiagnosisProbe[];
}

export interface UfsSpace {
  capacity: number;
  used: number;
}

/**
 * One storage below a mount. Paths are full UFS URIs or absolute local paths as stored in the mount table
 * joined with the relative path ("/data/dir/f", "s3://bucket/dir/f").
 *
 * Writers: `create` returns a Writable that makes the object visible only when it finishes; destroying it
 * (or a failed pipeline) leaves nothing visible at the path.
 */
export interface UnderFileSystem {
  /** "local" or "s3": shown in the mount table. */
  readonly type: string;
  readonly isObjectStore: boolean;

  getStatus(path: string): Promise<UfsStatus | null>;
  /** Pages of children in path order; an empty iteration for an empty directory; throws not-found if `path` is no directory. */
  listStatus(path: string, options: ListOptions): AsyncIterable<UfsStatus[]>;
  /** true when created or already a directory, false when a file is in the way. */
  mkdirs(path: string, options: {createParent: boolean}): Promise<boolean>;
  create(path: string, options: CreateOptions): Promise<Writable>;
  /**
   * Writes a whole local file to `path` without streaming it through the caller; atomic like `create`. `progress`
   * hears of the bytes as they go (a part at a time, or as the file is read).
   */
  createFromFile(path: string, sourceFile: string, length: number, progress?: Progress): Promise<void>;
  open(path: string, options?: OpenOptions): Promise<Readable>;
  deleteFile(path: string): Promise<boolean>;
  /** `progress` hears of the entries found and deleted, where the store deletes them one by one or in batches. */
  deleteDirectory(path: string, options: {recursive: boolean; progress?: Progress}): Promise<boolean>;
  renameFile(src: string, dst: string): Promise<boolean>;
  /** `progress` hears of the entries found and moved, where the store moves them one by one (object stores). */
  renameDirectory(src: string, dst: string, progress?: Progress): Promise<boolean>;
  /** Capacity and use of the store holding `path`; -1 for what the store cannot tell (object stores). */
  getSpace(path: string): Promise<UfsSpace>;
  /** Object stores only: aborts abandoned multipart uploads; returns what it aborted (or would abort). */
  cleanup?(options: CleanupOptions): Promise<AbandonedUpload[]>;
  /** What the store is configured with and whether it answers: credentials, settings, probes (`doctor`). */
  diagnose?(path: string, options: {write: boolean}): Promise<UfsDiagnosis>;
  /**
   * Object stores only: UFSes answering the same scope reach the same store with the same credentials, so one
   * can copy the other's objects on the server (copyObject).
   */
  copyScope?(): Promise<string>;
  /** Copies `src`, a path of a UFS of the same copy scope, to `path` on the server; atomic like `create`. */
  copyObject?(src: string, path: string, source: CopySource): Promise<void>;
  /** Object stores only: the owner, group and mode every path under the mount shows. */
  getPermissions?(): Promise<{owner: string; group: string; mode: number}>;
  close(): Promise<void>;
}

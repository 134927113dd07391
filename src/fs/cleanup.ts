import {closeSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {invalidArgument} from '../errors.js';
import {failureReason} from '../util/system-errors.js';
import type {MountRecord} from '../meta/store.js';
import type {AbandonedUpload} from '../ufs/types.js';
import {tmpdir} from 'node:os';
import {logsDirIsOurs, openPrivateLog, privateFolder} from '../log/log-files.js';
import {STAGING_PREFIXES, sweepTemporaries} from '../util/temp-files.js';
import {type FsContext, ufsOf} from './fs-context.js';
import type {Progress} from '../util/progress.js';

export interface CleanupReport {
  alluxioPath: string;
  ufsUri: string;
  /** Why nothing was done: a readonly mount, or a store with nothing to clean. */
  skipped?: string;
  uploads: AbandonedUpload[];
}

export interface CleanupRequest {
  /** Mount points to clean; all mounts when empty. */
  mountPoints: string[];
  dryRun: boolean;
  wholeBucket: boolean;
  /** Age of what counts as abandoned, for this run: overrides each mount's CLEAN_AGE_KEY. */
  olderThanMs?: number;
  /** Hears of the abandoned uploads found and aborted. */
  progress?: Progress;
}

export interface CleanupResult {
  mounts: CleanupReport[];
  /** Staging files, copy spools and cache temporaries that writers killed on their way left behind. */
  temporaryFiles: string[];
}

const CLEAN_AGE_KEY = 'alluxio.underfs.s3.intermediate.upload.clean.age';

const LAST_RUN_KEY = 'ufs-cleanup-last-run';
const LEASE = 'ufs-cleanup';
const LEASE_MS = 10 * 60_000;

/**
 * Aborts multipart uploads older than `alluxio.underfs.s3.intermediate.upload.clean.age` (each mount's own value,
 * or the request's) under each writable object-store mount. Readonly mounts are never touched.
 */
export async function cleanupUploads(ctx: FsContext, request: CleanupRequest): Promise<CleanupReport[]> {
  const mounts = request.mountPoints.length === 0 ? ctx.mounts.all() : request.mountPoints.map((p) => mountAt(ctx, p));
  const reports: CleanupReport[] = [];
  for (const mount of mounts) {
    const report: CleanupReport = {alluxioPath: mount.alluxioPath, ufsUri: mount.ufsUri, uploads: []};
    reports.push(report);
    if (mount.readOnly) {
      report.skipped = 'readonly mount';
      continue;
    }
    const mounted = await ufsOf(ctx, mount);
    if (!mounted.ufs.cleanup) {
      report.skipped = `${mounted.ufs.type} under storage keeps no intermediate uploads`;
      continue;
    }
    const age = request.olderThanMs ?? ctx.conf.withMountOptions(mount.options, mount.alluxioPath).getDurationMs(CLEAN_AGE_KEY);
    report.uploads = await mounted.ufs.cleanup({
      path: mounted.root,
      startedBefore: Date.now() - age,
      wholeBucket: request.wholeBucket,
      dryRun: request.dryRun,
      progress: request.progress,
    });
    if (!request.dryRun) logAborted(ctx, mount, report.uploads);
  }
  if (!request.dryRun) await ctx.store.setValue(LAST_RUN_KEY, String(Date.now()));
  return reports;
}

/**
 * Removes what writers killed on their way (kill -9, a crash) left: upload staging files in alluxio.tmp.dirs and
 * copy spools in the system's temp folder whose writer on this host no longer runs (or, written on another host,
 * that nobody wrote to for the cleanup age), and the worker cache's temporaries of dead writers.
 */
export function removeAbandonedTemporaries(ctx: FsContext, request: CleanupRequest): string[] {
  const age = request.olderThanMs ?? ctx.conf.getDurationMs(CLEAN_AGE_KEY);
  const prefixes = Object.values(STAGING_PREFIXES);
  const removed: string[] = [];
  for (const dir of new Set([...ctx.conf.getList('alluxio.tmp.dirs'), tmpdir()])) {
    removed.push(...sweepTemporaries(dir, prefixes, age, request.dryRun).removed);
  }
  return [...removed, ...ctx.cache.removeAbandoned(request.dryRun)];
}

/**
 * With `alluxio.underfs.cleanup.enabled`, a command that wrote runs the cleanup when the last run is older than
 * `alluxio.underfs.cleanup.interval`; a lease keeps two processes from running it at once. Failures only warn.
 */
export async function cleanupIfDue(ctx: FsContext): Promise<void> {
  if (!ctx.conf.getBoolean('alluxio.underfs.cleanup.enabled')) return;
  const last = Number((await ctx.store.getValue(LAST_RUN_KEY)) ?? 0);
  if (Date.now() - last < ctx.conf.getDurationMs('alluxio.underfs.cleanup.interval')) return;
  try {
    await underCleanupLease(ctx, `${process.pid}`, () => cleanupUploads(ctx, {mountPoints: [], dryRun: false, wholeBucket: false}));
  } catch (e) {
    ctx.warn(`Cleanup of abandoned uploads failed: ${failureReason(e)}`);
  }
}

/** Runs `work` holding the cleanup lease, so two processes (CLI commands, the master) never clean at once. */
export async function underCleanupLease<T>(ctx: FsContext, owner: string, work: () => Promise<T>): Promise<T | undefined> {
  if (!(await ctx.store.tryAcquireLease(LEASE, owner, LEASE_MS, Date.now()))) return undefined;
  try {
    return await work();
  } finally {
    await ctx.store.releaseLease(LEASE, owner);
  }
}

function mountAt(ctx: FsContext, path: string): MountRecord {
  const mount = ctx.mounts.get(path);
  if (!mount) throw invalidArgument(`${path} is not a mount point`, 'Run "alluxio fs mount" to list the mount points.');
  return mount;
}

/** Every abort goes to `${alluxio.logs.dir}/cleanup.log`, so an operator can tell whose upload went. */
function logAborted(ctx: FsContext, mount: MountRecord, uploads: AbandonedUpload[]): void {
  if (uploads.length === 0) return;
  try {
    const dir = ctx.conf.get('alluxio.logs.dir');
    privateFolder(dir, logsDirIsOurs(ctx.conf));
    const now = new Date().toISOString();
    const lines = uploads.map(
      (u) => `${now} aborted multipart upload ${u.uploadId} of ${u.key} (started ${new Date(u.initiated).toISOString()}) under mount ${mount.alluxioPath} (${mount.ufsUri})\n`,
    );
    const fd = openPrivateLog(join(dir, 'cleanup.log'));
    try {
      writeSync(fd, lines.join(''));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    ctx.warn(`Could not write the cleanup log: ${failureReason(e)}`);
  }
}

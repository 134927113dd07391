import {alreadyExists, failedPrecondition, invalidArgument, ioError, notFound} from '../errors.js';
import type {MountRecord} from '../meta/store.js';
import {displayedValue} from '../conf/display.js';
import {canonicalName, isSecretKey, isSecretReference} from '../conf/property-keys.js';
import {failureReason} from '../util/system-errors.js';
import {SECRET_KEY_FILE_KEY, seal} from '../security/secret-box.js';
import {ROOT, parentPath} from '../namespace/alluxio-path.js';
import {WRITE} from '../security/mode.js';
import {createUnderFileSystem, isObjectStoreUri, normalizeUfsUri, toLocalPath, ufsContains} from '../ufs/factory.js';
import {type DiagnosisReport, diagnoseUri} from './diagnose.js';
import {type FsContext, closeUfsOf, forgetTriple, ufsOf} from './fs-context.js';
import {walkBeforeDelete} from './mutations.js';
import {checkParentPermission, checkWritable} from './guards.js';
import {getStatus, pathDoesNotExist} from './status.js';
import type {MountInfo} from './types.js';

export interface MountOptions {
  readOnly: boolean;
  shared: boolean;
  options: Record<string, string>;
}

/** `fs mount`, with Alluxio's checks in Alluxio's order. */
export async function mount(ctx: FsContext, alluxioPath: string, ufsUriInput: string, options: MountOptions): Promise<MountRecord> {
  const record = await planMount(ctx, alluxioPath, ufsUriInput, options);
  await checkUfsDirectory(ctx, record);
  await ufsOf(ctx, record);
  const stored = {...record, options: sealSecrets(ctx, record.options)};
  // Checked again by the store under its write lock: another process may have mounted meanwhile.
  if (!(await ctx.store.addMount(stored))) {
    throw alreadyExists(
      `Mount point target path ${alluxioPath} already exists in Alluxio namespace. Try mounting to another path.`,
    );
  }
  await ctx.mounts.reload();
  return record;
}

/**
 * `fs updateMount`: the options of a mount replaced entirely (nothing is inherited: a flag or credential left out is
 * gone), checked as `mount` checks them, with the under storage probed with the new options before anything is
 * stored. The metadata and cached data below the mount point stay: its UFS URI is unchanged.
 */
export async function updateMount(ctx: FsContext, alluxioPath: string, options: MountOptions): Promise<MountRecord> {
  const existing = ctx.mounts.get(alluxioPath);
  if (alluxioPath === ROOT || !existing) {
    const root = alluxioPath === ROOT;
    throw invalidArgument(
      `Failed to update mount properties for ${alluxioPath}. Please ensure the path is an existing mount point${root ? ' and not root' : ''}.`,
      root ? 'The root mount takes its options from alluxio.master.mount.table.root.* in alluxio-site.properties.' : undefined,
    );
  }
  for (const warning of ctx.conf.withMountOptions(options.options, alluxioPath).warnings) ctx.warn(warning);
  await checkParentPermission(ctx, alluxioPath, WRITE);
  const record: MountRecord = {
    alluxioPath,
    ufsUri: existing.ufsUri,
    readOnly: options.readOnly,
    shared: options.shared,
    options: canonicalOptions(options.options),
    createdAt: existing.createdAt,
  };
  await checkUfsDirectory(ctx, record);
  const sealed = sealSecrets(ctx, record.options);
  // The owner, group and mode from the bucket ACL are worked out again: the credentials may have changed.
  await ufsOf(ctx, record);
  const stored = {...record, options: sealed};
  // Checked again by the store under its write lock: another process may have unmounted (or remounted) it meanwhile.
  if (!(await ctx.store.replaceMount(stored, existing.ufsUri))) {
    throw invalidArgument(`Failed to update mount properties for ${alluxioPath}. Please ensure the path is an existing mount point.`);
  }
  await Promise.all([closeUfsOf(existing), closeUfsOf(record)]);
  await ctx.mounts.reload();
  return record;
}

function canonicalOptions(options: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [canonicalName(k), v]));
}

/** Literal secrets are stored sealed; `env:` and `file:` values are references and stay as they are. */
function sealSecrets(ctx: FsContext, options: Record<string, string>): Record<string, string> {
  const keyFile = ctx.conf.get(SECRET_KEY_FILE_KEY);
  const sealed: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!isSecretKey(key) || isSecretReference(value)) {
      sealed[key] = value;
      continue;
    }
    try {
      sealed[key] = seal(key, value, keyFile);
    } catch (e) {
      throw ioError(
        `Cannot seal ${key} with the key file ${keyFile}: ${failureReason(e)}`,
        {hint: `Make ${SECRET_KEY_FILE_KEY} name a file this user can create and read, or pass the secret as env:NAME or file:/path.`},
      );
    }
  }
  return sealed;
}

/**
 * `fs mount --dry-run`: every check of a mount, then for S3 the diagnosis of `doctor s3` with the mount's options;
 * nothing is stored.
 */
export async function dryRunMount(
  ctx: FsContext,
  alluxioPath: string,
  ufsUriInput: string,
  options: MountOptions,
): Promise<{record: MountRecord; diagnosis?: DiagnosisReport}> {
  const record = await planMount(ctx, alluxioPath, ufsUriInput, options);
  if (!isObjectStoreUri(record.ufsUri)) {
    await checkUfsDirectory(ctx, record);
    return {record};
  }
  return {record, diagnosis: await diagnoseUri(ctx, record.ufsUri, record.options, alluxioPath, {write: false})};
}

/** The checks that need no UFS, and the record a mount would store. */
async function planMount(ctx: FsContext, alluxioPath: string, ufsUriInput: string, options: MountOptions): Promise<MountRecord> {
  const ufsUri = normalizeUfsUri(ufsUriInput);
  // Option values are checked (types, bounds) before anything else, and unknown keys named, as a site file's are.
  for (const warning of ctx.conf.withMountOptions(options.options, alluxioPath).warnings) ctx.warn(warning);
  await checkParentPermission(ctx, alluxioPath, WRITE);
  checkWritable(ctx, alluxioPath);
  if (alluxioPath === ROOT || (await getStatus(ctx, alluxioPath))) {
    throw alreadyExists(
      `Mount point target path ${alluxioPath} already exists in Alluxio namespace. Try mounting to another path.`,
    );
  }
  for (const existing of ctx.mounts.all()) {
    if (ufsContains(existing.ufsUri, ufsUri)) throw invalidArgument(`Mount point ${existing.ufsUri} is a prefix of ${ufsUri}`);
    if (ufsContains(ufsUri, existing.ufsUri)) throw invalidArgument(`Mount point ${ufsUri} is a prefix of ${existing.ufsUri}`);
  }
  const parentDir = await getStatus(ctx, parentPath(alluxioPath) as string);
  if (!parentDir?.isDirectory) throw pathDoesNotExist(parentPath(alluxioPath) as string);
  return {
    alluxioPath,
    ufsUri,
    readOnly: options.readOnly,
    shared: options.shared,
    options: canonicalOptions(options.options),
    createdAt: Date.now(),
  };
}

/**
 * The UFS path must be an existing directory. For object stores the first page of its listing is read too, so a
 * missing bucket or a user who may not list it fails here, not at first use (a bucket root always "exists").
 */
async function checkUfsDirectory(ctx: FsContext, record: MountRecord): Promise<void> {
  const conf = ctx.conf.withMountOptions(record.options, record.alluxioPath);
  // The owner, group and mode come later, once the path is known to exist.
  const unknownTriple = {owner: '', group: '', mode: 0};
  const ufs = await createUnderFileSystem(record.ufsUri, conf, {readOnly: record.readOnly, triple: unknownTriple, warn: ctx.warn});
  try {
    const root = ufs.isObjectStore ? record.ufsUri : toLocalPath(record.ufsUri);
    const status = await ufs.getStatus(root);
    if (!status?.isDirectory) {
      throw notFound(`Ufs path ${record.ufsUri} does not exist`, 'Create the directory in the under storage first, or check the URI.');
    }
    if (ufs.isObjectStore) {
      const pages = ufs.listStatus(root, {recursive: false})[Symbol.asyncIterator]();
      await pages.next();
      await pages.return?.();
    }
  } finally {
    await ufs.close();
  }
}

export async function unmount(ctx: FsContext, alluxioPath: string): Promise<void> {
  if (alluxioPath === ROOT) {
    throw invalidArgument(`Failed to unmount ${alluxioPath}. Please ensure the path is an existing mount point and not root.`);
  }
  if (!ctx.mounts.isMountPoint(alluxioPath)) {
    if (!(await getStatus(ctx, alluxioPath))) throw notFound(`Failed to unmount: Path ${alluxioPath} does not exist`);
    throw invalidArgument(`Failed to unmount ${alluxioPath}. Please ensure the path is an existing mount point.`);
  }
  const nested = ctx.mounts.mountsBelow(alluxioPath, false);
  if (nested.length > 0) {
    throw failedPrecondition(
      `Failed to unmount ${alluxioPath}: the mount point ${nested[0].alluxioPath} is below it`,
      `Unmount ${nested[0].alluxioPath} first.`,
    );
  }
  await checkParentPermission(ctx, alluxioPath, WRITE);
  const mountPoint = await getStatus(ctx, alluxioPath);
  if (mountPoint) await walkBeforeDelete(ctx, mountPoint, {checkWrite: false});
  const {cacheKeys} = await ctx.store.removeMount(alluxioPath);
  ctx.cache.removeFiles(cacheKeys);
  await ctx.mounts.reload();
}

/** `ls -f` on a mount point: the owner, group and mode an object store gives the mount are worked out again. */
export async function refreshMount(ctx: FsContext, alluxioPath: string): Promise<void> {
  const mount = ctx.mounts.get(alluxioPath);
  if (mount) await forgetTriple(ctx, mount);
}

/** The mount table as `fs mount` with no arguments shows it, credentials masked. */
export async function listMounts(ctx: FsContext): Promise<MountInfo[]> {
  const infos: MountInfo[] = [];
  for (const m of ctx.mounts.all()) {
    const mounted = await ufsOf(ctx, m);
    const space = await mounted.ufs.getSpace(mounted.root).catch(() => ({capacity: -1, used: -1}));
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.options)) properties[key] = displayedValue(key, value);
    infos.push({
      alluxioPath: m.alluxioPath,
      ufsUri: mounted.ufs.isObjectStore ? withSlash(m.ufsUri) : m.ufsUri,
      ufsType: mounted.ufs.type,
      readOnly: m.readOnly,
      shared: m.shared,
      properties,
      capacityBytes: space.capacity,
      usedBytes: space.used,
    });
  }
  return infos;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : uri + '/';
}

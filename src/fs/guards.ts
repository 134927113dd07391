import {alreadyExists, failedPrecondition, notFound} from '../errors.js';
import type {InodeRecord} from '../meta/store.js';
import {ROOT, parentPath} from '../namespace/alluxio-path.js';
import {inheritAcl} from '../security/acl.js';
import {type Bits, applyUmask} from '../security/mode.js';
import type {FsContext} from './fs-context.js';
import {getStatus, inodeChain} from './status.js';
import type {FileStatus} from './types.js';

/** Refuses any write below a readonly mount, with Alluxio's message. */
export function checkWritable(ctx: FsContext, path: string): void {
  const {mount} = ctx.mounts.resolve(path);
  if (mount.readOnly) {
    throw failedPrecondition(
      `A write operation on ${path} under a readonly mount point ${mount.alluxioPath} is not allowed`,
      mount.alluxioPath === ROOT
        ? 'The root mount is readonly: set alluxio.master.mount.table.root.readonly=false to write to it.'
        : `Make it writable with "alluxio fs updateMount ${mount.alluxioPath}" (with its other options) to write to it.`,
    );
  }
}

export async function checkParentPermission(ctx: FsContext, path: string, bits: Bits): Promise<void> {
  ctx.checker.checkParent(path, await inodeChain(ctx, path), bits);
}

export async function checkPathPermission(ctx: FsContext, path: string, bits: Bits): Promise<void> {
  ctx.checker.checkPath(path, await inodeChain(ctx, path), bits);
}

export function alreadyExistsOnCreate(path: string, isDirectory: boolean) {
  if (path === ROOT) return alreadyExists('Not allowed to create existing root path: /');
  const what = isDirectory ? 'directory' : 'file';
  return alreadyExists(`Not allowed to create ${what} because path already exists: ${path}`);
}

/**
 * The parent directory of a path about to be created. Missing parents are an error unless `recursive`, in which
 * case they are returned for the caller to create.
 */
export async function existingParent(
  ctx: FsContext,
  path: string,
  recursive: boolean,
): Promise<{parent?: FileStatus; missing: string[]}> {
  const missing: string[] = [];
  let current = parentPath(path);
  while (current !== undefined) {
    const status = await getStatus(ctx, current);
    if (status) {
      if (!status.isDirectory) {
        throw failedPrecondition(
          `Could not traverse to parent directory of path ${path}. Component ${status.name} is not a directory.`,
        );
      }
      return {parent: status, missing: missing.reverse()};
    }
    if (!recursive) throw notFound(`Path "${current}" does not exist.`, 'Create the parent directory first.');
    missing.push(current);
    current = parentPath(current);
  }
  return {missing: missing.reverse()};
}

/**
 * The inode row of something created through Alluxio: the login user's, with the umask applied, or with the ACL
 * that the parent's default ACL passes on.
 */
export async function newInode(
  ctx: FsContext,
  path: string,
  isDirectory: boolean,
  state: InodeRecord['state'],
  extra: Partial<InodeRecord> = {},
): Promise<InodeRecord> {
  const now = Date.now();
  const umask = ctx.conf.getMode('alluxio.security.authorization.permission.umask');
  const mode = applyUmask(isDirectory ? 0o777 : 0o666, umask);
  const parent = parentPath(path);
  const defaultAcl = parent === undefined ? undefined : (await ctx.store.getInode(parent))?.acl?.defaultAcl;
  const inherited = defaultAcl ? inheritAcl(defaultAcl, mode, isDirectory) : {mode};
  return {
    path,
    isDirectory,
    state,
    owner: ctx.user.name,
    group: ctx.user.primaryGroup,
    creationTime: now,
    modificationTime: now,
    ...inherited,
    ...extra,
  };
}

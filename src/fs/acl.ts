/**
 * getfacl and setfacl: ACLs live in the metastore only, beside the owner, group and mode that chmod and chown
 * keep there. The under storage is never asked to change anything (for S3 it could not be).
 */
import type {InodeRecord} from '../meta/store.js';
import {type AclState, type SetAclRequest, accessEntryStrings, applySetAcl, defaultEntryStrings} from '../security/acl.js';
import type {FsContext} from './fs-context.js';
import {checkWritable} from './guards.js';
import {listChildren} from './listing.js';
import {inodeChain, requireStatus} from './status.js';
import type {FileStatus} from './types.js';

/** What getfacl prints (and its --json). */
export interface AclView {
  path: string;
  owner: string;
  group: string;
  /** The access ACL: user::, group::, other::, then named users, named groups and the mask when there are any. */
  entries: string[];
  /** The default ACL in the same order, `default:` entries; empty when the path has none. */
  defaultEntries: string[];
}

export function aclView(status: FileStatus): AclView {
  return {
    path: status.path,
    owner: status.owner,
    group: status.group,
    entries: accessEntryStrings({mode: status.mode, acl: status.acl}),
    defaultEntries: defaultEntryStrings(status.acl),
  };
}

/**
 * setfacl on one path (and with `recursive` everything below it). The user must own every path changed, as for
 * chmod. Every new ACL is worked out and checked in one transaction before it ends, so an error leaves every path
 * as it was. Below the path, files take the access entries only: a default ACL is a directory's (Alluxio fails
 * halfway through the tree instead).
 */
export async function setAcl(ctx: FsContext, path: string, request: SetAclRequest, recursive: boolean): Promise<void> {
  const status = await requireStatus(ctx, path);
  checkWritable(ctx, path);
  ctx.checker.checkOwner(path, await inodeChain(ctx, path));
  const targets: FileStatus[] = [status];
  if (recursive && status.isDirectory) {
    for await (const child of listChildren(ctx, status, true)) {
      ctx.checker.checkOwner(child.path, [child]);
      targets.push(child);
    }
  }
  // Each row is read in the store's write transaction: a change another process just made is built upon, not lost.
  await ctx.store.modifyInodes(
    targets.map((target) => target.path),
    (_path, row, i) => {
      const target = targets[i];
      const current: AclState = {mode: row?.mode ?? target.mode, acl: row ? row.acl : target.acl};
      const next = applySetAcl(current, request, target.isDirectory, i > 0);
      if (JSON.stringify(next) === JSON.stringify(current)) return undefined;
      return {...baseRow(target, row), mode: next.mode, acl: next.acl};
    },
  );
}

/** The row of a path Alluxio only knew from its UFS: what it shows now, kept. */
function baseRow(status: FileStatus, row: InodeRecord | undefined): InodeRecord {
  return {
    path: status.path,
    isDirectory: status.isDirectory,
    state: 'PERSISTED',
    creationTime: status.creationTime ?? Date.now(),
    modificationTime: status.lastModificationTime ?? Date.now(),
    ...row,
    owner: row?.owner ?? status.owner,
    group: row?.group ?? status.group,
  };
}

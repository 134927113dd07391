import type {InodeRecord} from '../meta/store.js';
import {type FsContext} from './fs-context.js';
import {checkWritable} from './guards.js';
import {listChildren} from './listing.js';
import {inodeChain, requireStatus} from './status.js';
import type {FileStatus} from './types.js';

export interface AttributeChange {
  owner?: string;
  group?: string;
  mode?: number;
}

/** Rows are written in batches so that a recursive change over a large tree holds one batch in memory. */
const BATCH = 500;

/**
 * chmod, chown and chgrp: the change lives in Alluxio's metastore only; the UFS is never touched (for S3 it
 * cannot be, and the local UFS is treated the same so both behave alike).
 */
export async function setAttributes(
  ctx: FsContext,
  path: string,
  change: AttributeChange,
  recursive: boolean,
): Promise<void> {
  const status = await requireStatus(ctx, path);
  checkWritable(ctx, path);
  if (change.owner !== undefined) {
    if (change.group !== undefined) ctx.checker.checkOwnerInGroup(path, change.owner, change.group);
    ctx.checker.checkSuperUser();
  } else {
    ctx.checker.checkOwner(path, await inodeChain(ctx, path));
  }
  let batch: FileStatus[] = [status];
  const flush = async () => {
    const targets = batch;
    batch = [];
    // Each row is read in the store's write transaction: fields this change leaves alone keep what another
    // process may have just set.
    await ctx.store.modifyInodes(
      targets.map((target) => target.path),
      (_path, row, i) => withChange(targets[i], row, change),
    );
  };
  if (recursive && status.isDirectory) {
    for await (const child of listChildren(ctx, status, true)) {
      if (change.owner === undefined) ctx.checker.checkOwner(child.path, [child]);
      batch.push(child);
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
}

function withChange(status: FileStatus, row: InodeRecord | undefined, change: AttributeChange): InodeRecord {
  const base: InodeRecord = row ?? {
    path: status.path,
    isDirectory: status.isDirectory,
    state: 'PERSISTED',
    creationTime: status.creationTime ?? Date.now(),
    modificationTime: status.lastModificationTime ?? Date.now(),
  };
  return {
    ...base,
    owner: change.owner ?? row?.owner ?? status.owner,
    group: change.group ?? row?.group ?? status.group,
    mode: change.mode ?? row?.mode ?? status.mode,
  };
}

import {promises as fsp} from 'node:fs';
import {join, resolve} from 'node:path';
import {failedPrecondition, invalidArgument, isAlluxioError, notFound} from '../errors.js';
import {isSameOrAncestor, joinPath, normalizeNewPath, relativeTo} from '../namespace/alluxio-path.js';
import {failureReason, isSystemError} from '../util/system-errors.js';
import {makeDirectories} from '../util/directories.js';
import {forEachLimited} from '../util/limit.js';
import {NO_PROGRESS, type Progress, whileListing} from '../util/progress.js';
import {hasAclMarker, parseAclEntry} from '../security/acl.js';
import {aclView} from './acl.js';
import type {FileSystem} from './file-system.js';
import {type CopyListener, CopyFailures, DESTINATION_CANNOT_BE_FILE, copyFromLocal, copyToLocal} from './local-copy.js';
import type {FileStatus} from './types.js';
import {isPattern} from './wildcards.js';

export interface CpOptions {
  recursive: boolean;
  /** Alluxio to Alluxio: each copy takes the owner, group, mode and ACL of its source. */
  preserve: boolean;
  /** Hears of each file's bytes when it is found and as they are written (on the server: once copied). */
  progress?: Progress;
}

type Endpoint = {local: true; path: string} | {local: false; path: string};

/**
 * `cp`: Alluxio to Alluxio, local (`file://`) to Alluxio, or Alluxio to local, by the schemes of the two paths
 * (Alluxio: none or `alluxio://`). Multi-file copies go `fs.transferThreads` files at a time; a file that fails
 * is reported and the others still go, then CopyFailures lists what failed. Returns the files copied.
 */
export async function cp(fs: FileSystem, src: string, dst: string, options: CpOptions, listener: CopyListener): Promise<number> {
  const from = endpointOf(src);
  const to = endpointOf(dst);
  if (!from || !to || (from.local && to.local)) {
    throw invalidArgument('Schemes must be either file or alluxio, and at most one file scheme is allowed.');
  }
  if (from.local) {
    const copied = await copyFromLocal(fs, from.path, dst, listener, {progress: options.progress});
    listener({kind: 'copied', src, dst});
    return copied;
  }
  if (isPattern(src)) return copyMatches(fs, src, dst, to, options, listener);
  return copyOne(fs, src, dst, to, options, listener);
}

/** One Alluxio path (never expanded again: a name may hold a `*`) to Alluxio or to a local path. */
function copyOne(fs: FileSystem, src: string, dst: string, to: Endpoint, options: CpOptions, listener: CopyListener): Promise<number> {
  return to.local ? copyToLocal(fs, src, to.path, listener, options.progress) : copyInAlluxio(fs, src, dst, options, listener);
}

/**
 * An Alluxio wildcard source: every match goes into the destination folder, made first when missing (Alluxio's
 * copyWildcard). A match that fails is reported with the others after the rest are copied.
 */
async function copyMatches(fs: FileSystem, src: string, dst: string, to: Endpoint, options: CpOptions, listener: CopyListener): Promise<number> {
  const matches = await fs.expand(src, {orNone: true});
  if (matches.length === 0) throw notFound(`Path "${src}" does not exist.`);
  const into = to.local ? await localFolder(to.path, dst, listener) : await alluxioFolder(fs, src, dst, listener);
  const failures: string[] = [];
  let copied = 0;
  const copyMatch = async (match: FileStatus) => {
    const target = to.local ? join(into, match.name) : joinPath(into, match.name);
    try {
      // Read after the await: `copied += await ...` would add to the count as it was before the copies running beside.
      const files = await copyOne(fs, match.path, to.local ? `file://${target}` : target, to.local ? {local: true, path: target} : to, options, listener);
      copied += files;
    } catch (e) {
      if (e instanceof CopyFailures) failures.push(...e.failures);
      else if (isAlluxioError(e)) failures.push(e.message);
      else throw e;
    }
  };
  // The expansion listed every match, so these lookups cost no request. Files go --thread at a time; a folder's
  // files are already copied that many at once, so folders go one after the other.
  const statuses = await Promise.all(matches.map((match) => fs.getStatus(match)));
  await forEachLimited(statuses.filter((m) => !m.isDirectory), fs.transferThreads, copyMatch);
  for (const folder of statuses.filter((m) => m.isDirectory)) await copyMatch(folder);
  if (failures.length > 0) throw new CopyFailures(failures);
  return copied;
}

async function alluxioFolder(fs: FileSystem, src: string, dst: string, listener: CopyListener): Promise<string> {
  const existing = await fs.find(dst);
  if (existing && !existing.isDirectory) throw failedPrecondition(DESTINATION_CANNOT_BE_FILE);
  if (existing) return existing.path;
  await fs.mkdir(dst, {recursive: true});
  const made = normalizeNewPath(dst);
  listener({kind: 'created-directory', src, dst: made});
  return made;
}

async function localFolder(path: string, dst: string, listener: CopyListener): Promise<string> {
  const abs = resolve(path);
  const existing = await fsp.stat(abs).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw failedPrecondition(DESTINATION_CANNOT_BE_FILE);
  if (!existing) {
    await makeDirectories(abs).catch(() => {
      throw failedPrecondition(`Fail to create directory: ${dst}`);
    });
    listener({kind: 'created-directory', src: dst, dst});
  }
  return abs;
}

function endpointOf(uri: string): Endpoint | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'alluxio') return {local: false, path: uri};
  if (scheme === 'file') return {local: true, path: uri.replace(/^file:(\/\/)?/i, '') || '/'};
  return undefined;
}

async function copyInAlluxio(fs: FileSystem, src: string, dst: string, options: CpOptions, listener: CopyListener): Promise<number> {
  const progress = options.progress ?? NO_PROGRESS;
  const source = await fs.getStatus(src);
  const preserve = options.preserve ? (from: FileStatus, target: string) => preserveAttributes(fs, from, target) : async () => undefined;
  if (!source.isDirectory) {
    const existing = await fs.find(dst);
    const target = existing?.isDirectory ? joinPath(existing.path, source.name) : dst;
    progress.grow(source.length);
    await fs.copyFile(source, target, progress);
    await preserve(source, target);
    listener({kind: 'copied', src, dst: target});
    return 1;
  }
  if (!options.recursive) throw invalidArgument(`${src} is a directory, to copy it please use "cp -R/-r/--recursive <src> <dst>"`);
  const existing = await fs.find(dst);
  if (existing && !existing.isDirectory) throw failedPrecondition(DESTINATION_CANNOT_BE_FILE);
  const root = existing ? joinPath(existing.path, source.name) : normalizeNewPath(dst);
  if (isSameOrAncestor(source.path, root)) {
    throw invalidArgument(`Cannot copy ${src} to ${root}: the destination is inside the source`);
  }
  return copyTree(fs, source, root, existing !== undefined, preserve, listener, progress);
}

async function preserveAttributes(fs: FileSystem, source: FileStatus, target: string): Promise<void> {
  await fs.chown(target, source.owner, source.group, false);
  await fs.chmod(target, source.mode, false);
  // Alluxio's -p replaces the copy's ACL with the source's; the copy may have inherited a default ACL of its own.
  const copied = await fs.getStatus(target);
  if (!hasAclMarker(source.acl) && !hasAclMarker(copied.acl)) return;
  const view = aclView(source);
  await fs.setAcl(target, {action: 'REPLACE', entries: [...view.entries, ...view.defaultEntries].map(parseAclEntry)}, false);
  if (view.defaultEntries.length === 0 && copied.acl?.defaultAcl !== undefined) {
    await fs.setAcl(target, {action: 'REMOVE_DEFAULT', entries: []}, false);
  }
}

/** A directory's subtree into `root`: one recursive listing; folders made on the way, files copied in parallel. */
async function copyTree(
  fs: FileSystem,
  source: FileStatus,
  root: string,
  mayExist: boolean,
  preserve: (from: FileStatus, target: string) => Promise<void>,
  listener: CopyListener,
  progress: Progress,
): Promise<number> {
  const failures: string[] = [];
  const fail = (e: unknown) => {
    if (!isAlluxioError(e) && !isSystemError(e)) throw e;
    failures.push(failureReason(e));
  };
  const makeDirectory = async (from: FileStatus, dir: string) => {
    if (!(mayExist && (await fs.find(dir))?.isDirectory)) {
      await fs.mkdir(dir, {recursive: false});
      listener({kind: 'created-directory', src: from.path, dst: dir});
    }
    await preserve(from, dir);
  };
  await makeDirectory(source, root);
  async function* files(): AsyncGenerator<{status: FileStatus; target: string}> {
    for await (const entry of fs.list(source.path, {recursive: true})) {
      const target = joinPath(root, relativeTo(source.path, entry.path));
      if (!entry.isDirectory) {
        progress.grow(entry.length);
        yield {status: entry, target};
        continue;
      }
      try {
        await makeDirectory(entry, target);
      } catch (e) {
        fail(e);
      }
    }
  }
  let copied = 0;
  await forEachLimited(whileListing(progress, files()), fs.transferThreads, async ({status, target}) => {
    try {
      await fs.copyFile(status, target, progress);
      await preserve(status, target);
      copied++;
      listener({kind: 'copied', src: status.path, dst: target});
    } catch (e) {
      fail(e);
    }
  });
  if (failures.length > 0) throw new CopyFailures(failures);
  return copied;
}

import {randomBytes} from 'node:crypto';
import type {Stats} from 'node:fs';
import {createReadStream, promises as fsp, rmSync} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {Readable, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';

import {invalidArgument, ioError, notFound} from '../../errors.js';
import {failureHint, failureReason} from '../../util/system-errors.js';
import {groupNameOf, userNameOf} from '../../security/os-accounts.js';
import {removeOnInterrupt} from '../../util/interrupts.js';
import {makeDirectories} from '../../util/directories.js';
import {NO_PROGRESS, type Progress, counted} from '../../util/progress.js';
import type {CreateOptions, ListOptions, OpenOptions, UfsSpace, UfsStatus, UnderFileSystem} from '../types.js';

const TEMP_SUFFIX = '.alluxio.tmp';

/**
 * `/x`, `file:///x` or `file://localhost/x` to the local path `/x`, with `//` collapsed and no trailing slash.
 * Anything else is no local path: refusing it keeps a URI from being taken as a folder relative to the cwd.
 */
export function toLocalPath(uri: string): string {
  const path = uri.startsWith('file://') ? uri.slice('file://'.length).replace(/^localhost(?=\/)/, '') : uri;
  if (!path.startsWith('/')) throw invalidArgument(`${uri} is not an absolute local path or file:/// URI`);
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The under file system over a local (or locally mounted) folder. */
export class LocalUnderFileSystem implements UnderFileSystem {
  readonly type = 'local';
  readonly isObjectStore = false;
  private readonly pageSize: number;

  constructor(options: {pageSize?: number} = {}) {
    this.pageSize = Math.max(1, options.pageSize ?? 1000);
  }

  async getStatus(path: string): Promise<UfsStatus | null> {
    const local = toLocalPath(path);
    const st = await statOrNull(local, path);
    return st && toStatus(basename(local), st);
  }

  async *listStatus(path: string, options: ListOptions): AsyncIterable<UfsStatus[]> {
    const local = toLocalPath(path);
    const st = await statOrNull(local, path);
    if (!st?.isDirectory()) throw notFound(`${path} does not exist or is not a directory`);
    let page: UfsStatus[] = [];
    for await (const status of walk(local, '', options.recursive)) {
      page.push(status);
      if (page.length >= this.pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async mkdirs(path: string, options: {createParent: boolean}): Promise<boolean> {
    const local = toLocalPath(path);
    try {
      if (!options.createParent) {
        await fsp.mkdir(local);
        return true;
      }
      // It takes a file in the way as done: whether a directory is there now is the answer.
      await makeDirectories(local);
      return (await statOrNull(local, path))?.isDirectory() ?? false;
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'EEXIST') return (await statOrNull(local, path))?.isDirectory() ?? false;
      // ENOTDIR: a file is in the way above; ENOENT: the parent is missing and may not be created.
      if (code === 'ENOTDIR' || code === 'ENOENT') return false;
      throw fsFailure('create directory', path, e);
    }
  }

  async create(path: string, options: CreateOptions): Promise<Writable> {
    const local = toLocalPath(path);
    const dir = dirname(local);
    if (options.createParent) {
      try {
        await makeDirectories(dir);
      } catch (e) {
        throw fsFailure('create the parent directory of', path, e);
      }
    }
    const temp = join(dir, `.${basename(local)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    // Registered before the file exists: an interrupt that lands while the open completes still removes it.
    const unregister = removeOnInterrupt(temp);
    let handle: FileHandle;
    try {
      handle = await fsp.open(temp, 'wx');
    } catch (e) {
      unregister();
      if (errnoOf(e) === 'ENOENT') throw notFound(`Parent directory of ${path} does not exist`);
      throw fsFailure('create', path, e);
    }
    try {
      // chmod rather than open's mode: the umask must not change the mode asked for.
      await handle.chmod(options.mode ?? 0o644);
    } catch (e) {
      await handle.close().catch(() => undefined);
      await fsp.rm(temp, {force: true});
      unregister();
      throw fsFailure('create', path, e);
    }
    return new AtomicFileWriter(handle, temp, local, path, unregister);
  }

  async createFromFile(path: string, sourceFile: string, _length?: number, progress: Progress = NO_PROGRESS): Promise<void> {
    // The writer first: a source opened before it would fail (a missing file) with nobody listening yet.
    const writer = await this.create(path, {createParent: true});
    await pipeline(counted(createReadStream(sourceFile), progress), writer);
  }

  async open(path: string, options: OpenOptions = {}): Promise<Readable> {
    const local = toLocalPath(path);
    let handle: FileHandle;
    try {
      handle = await fsp.open(local, 'r');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') throw notFound(`${path} does not exist`);
      throw fsFailure('open', path, e);
    }
    // Opening the handle first makes a missing or unreadable file fail here rather than on the first read.
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw notFound(`${path} is a directory`);
    }
    const start = options.offset ?? 0;
    if (options.length === 0) {
      await handle.close();
      return Readable.from([]);
    }
    const end = options.length === undefined ? undefined : start + options.length - 1;
    return handle.createReadStream({start, end});
  }

  async deleteFile(path: string): Promise<boolean> {
    const local = toLocalPath(path);
    const st = await lstatOrNull(local, path);
    if (!st || st.isDirectory()) return false;
    try {
      await fsp.unlink(local);
      return true;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return false;
      throw fsFailure('delete', path, e);
    }
  }

  async deleteDirectory(path: string, options: {recursive: boolean; progress?: Progress}): Promise<boolean> {
    const local = toLocalPath(path);
    const st = await lstatOrNull(local, path);
    if (!st?.isDirectory()) return false;
    try {
      if (options.recursive && options.progress) {
        const end = options.progress.listing?.();
        try {
          await removeTree(local, options.progress);
        } finally {
          end?.();
        }
      }
      else if (options.recursive) await fsp.rm(local, {recursive: true, force: true});
      else await fsp.rmdir(local);
      return true;
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
      throw fsFailure('delete', path, e);
    }
  }

  renameFile(src: string, dst: string): Promise<boolean> {
    return this.rename(src, dst, false);
  }

  renameDirectory(src: string, dst: string): Promise<boolean> {
    return this.rename(src, dst, true);
  }

  async getSpace(path: string): Promise<UfsSpace> {
    // The root folder of a mount may not exist yet: its nearest existing ancestor lives on the same store.
    let local = toLocalPath(path);
    for (;;) {
      try {
        const st = await fsp.statfs(local);
        return {capacity: st.blocks * st.bsize, used: (st.blocks - st.bfree) * st.bsize};
      } catch (e) {
        if (errnoOf(e) !== 'ENOENT' || local === '/') throw fsFailure('get the space of', path, e);
        local = dirname(local);
      }
    }
  }

  async close(): Promise<void> {}

  private async rename(src: string, dst: string, directory: boolean): Promise<boolean> {
    const from = toLocalPath(src);
    const to = toLocalPath(dst);
    const st = await lstatOrNull(from, src);
    if (!st || st.isDirectory() !== directory) return false;
    if (await lstatOrNull(to, dst)) return false;
    try {
      await makeDirectories(dirname(to));
      await fsp.rename(from, to);
      return true;
    } catch (e) {
      const code = errnoOf(e);
      // EINVAL: a directory moved into itself; ENOTDIR/EEXIST: a file in the way of dst's parent.
      if (code === 'ENOENT' || code === 'EINVAL' || code === 'ENOTDIR' || code === 'EEXIST') return false;
      throw fsFailure('rename', `${src} to ${dst}`, e);
    }
  }
}

/**
 * Yields the entries below `dir` in path order: plain string order of the relative paths. A directory "a" is
 * yielded at key "a" but its children at key "a/", so "a-b" (0x2d < 0x2f) lands between "a" and "a/b".
 * Only the names of the directories on the current path are held, never the whole tree.
 */
async function* walk(dir: string, prefix: string, recursive: boolean): AsyncGenerator<UfsStatus> {
  const events: {key: string; name: string; descend: boolean}[] = [];
  try {
    for await (const entry of await fsp.opendir(dir)) {
      if (entry.name.startsWith('.') && entry.name.endsWith(TEMP_SUFFIX)) continue;
      events.push({key: entry.name, name: entry.name, descend: false});
      // Symbolic links are listed but not followed, so a link loop cannot make the walk endless.
      if (recursive && entry.isDirectory()) events.push({key: `${entry.name}/`, name: entry.name, descend: true});
    }
  } catch (e) {
    // A subdirectory removed while the walk was on its way is simply gone.
    if (prefix !== '' && (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR')) return;
    throw fsFailure('list', dir, e);
  }
  events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const event of events) {
    const path = join(dir, event.name);
    if (event.descend) {
      yield* walk(path, `${prefix}${event.name}/`, true);
    } else {
      const st = await statOrNull(path, path);
      if (st) yield toStatus(prefix + event.name, st);
    }
  }
}

function toStatus(name: string, st: Stats): UfsStatus {
  const isDirectory = st.isDirectory();
  return {
    name,
    isDirectory,
    length: isDirectory ? 0 : st.size,
    lastModified: Math.floor(st.mtimeMs),
    contentHash: isDirectory ? undefined : `${st.size}-${st.mtimeMs}`,
    owner: userNameOf(st.uid),
    group: groupNameOf(st.gid),
    mode: st.mode & 0o777,
  };
}

/** stat, following links; null for a missing path. */
async function statOrNull(local: string, shown: string): Promise<Stats | null> {
  try {
    return await fsp.stat(local);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null;
    throw fsFailure('get the status of', shown, e);
  }
}

/** lstat: delete and rename act on a link itself, not on what it points to. */
async function lstatOrNull(local: string, shown: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(local);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null;
    throw fsFailure('get the status of', shown, e);
  }
}

/**
 * A folder's tree removed depth first, as rm -r does, each folder's entries reported found when it is read and
 * done once removed. What vanished meanwhile counts as removed.
 */
async function removeTree(dir: string, progress: Progress): Promise<void> {
  const gone = (e: unknown) => {
    if (errnoOf(e) !== 'ENOENT') throw e;
  };
  const entries = await fsp.readdir(dir, {withFileTypes: true}).catch((e: unknown) => (gone(e), []));
  progress.grow(entries.length);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await removeTree(path, progress);
    else await fsp.unlink(path).catch(gone);
    progress.advance(1);
  }
  await fsp.rmdir(dir).catch(gone);
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function fsFailure(action: string, path: string, e: unknown) {
  return ioError(`Failed to ${action} ${path}: ${failureReason(e)}`, {hint: failureHint(e), cause: e});
}

/** Writes to a temp file beside the target; only a finished write is fsynced and renamed into place. */
class AtomicFileWriter extends Writable {
  private handleClosed = false;
  private published = false;
  constructor(
    private readonly handle: FileHandle,
    private readonly temp: string,
    private readonly target: string,
    private readonly shown: string,
    /** Ends the interrupt's claim on the temporary (made by the creator, before the file existed). */
    private readonly unregister: () => void,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // writeFile on a handle writes at the current position and loops until the whole chunk is written.
    this.handle.writeFile(chunk).then(() => callback(), (e: unknown) => callback(fsFailure('write', this.shown, e)));
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      await this.handle.sync();
      this.handleClosed = true;
      await this.handle.close();
      await fsp.rename(this.temp, this.target);
      this.published = true;
      this.unregister();
    })().then(
      () => callback(),
      (e: unknown) => callback(fsFailure('write', this.shown, e)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.published) {
      callback(error);
      return;
    }
    // Unlinked at once (POSIX lets an open file lose its name) rather than after the handle closes, so the temp
    // file is gone by the time a failed pipeline reports.
    try {
      rmSync(this.temp, {force: true});
    } catch {
      // Best effort: a temp name is hidden from listings anyway.
    }
    this.unregister();
    if (this.handleClosed) {
      callback(error);
      return;
    }
    this.handleClosed = true;
    this.handle.close().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

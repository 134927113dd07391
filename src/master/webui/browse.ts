import {formatSize} from '../../cli/sizes.js';
import {isAlluxioError} from '../../errors.js';
import type {FileSystem} from '../../fs/file-system.js';
import type {FileStatus} from '../../fs/types.js';
import {baseName, parentPath} from '../../namespace/alluxio-path.js';
import type {SourceContext} from './context.js';
import {uiFileInfo} from './file-info.js';
import {type Page, asAscii, parsePage, parseWindow, pastTheEnd} from './paging.js';
import type {BrowseQuery, UIFileInfo, WebUiBrowse} from './types.js';

/** The Browse page (Alluxio's getWebUIBrowse): a folder's listing page by page, or a 5 KB view of a file. */
export async function browse(ctx: SourceContext, query: BrowseQuery): Promise<WebUiBrowse> {
  if (!ctx.fileInfoEnabled) return {} as WebUiBrowse;
  const requested = query.path || '/';
  const response: WebUiBrowse = {
    debug: ctx.debug,
    showPermissions: ctx.showPermissions,
    masterNodeAddress: await ctx.masterNodeAddress(),
    currentPath: requested,
    currentDirectory: null,
    blockSizeBytes: '',
    invalidPathError: '',
    viewingOffset: 0,
    pathInfos: [],
    fileInfos: null,
    ntotalFile: 0,
    ntotalFileKnown: false,
    fatalError: '',
    fileDoesNotExistException: '',
    invalidPathException: '',
    accessControlException: '',
    fileData: null,
    fileBlocks: null,
    highestTierAlias: ctx.tierAlias,
  };
  await ctx.withFs(async (fs) => {
    let status: FileStatus;
    try {
      status = await fs.getStatus(requested);
    } catch (e) {
      Object.assign(response, statusError(e, requested));
      return;
    }
    response.currentPath = status.path;
    response.currentDirectory = uiFileInfo(ctx, status);
    response.pathInfos = breadcrumbs(status.path);
    if (status.isDirectory) await listPage(ctx, fs, status, query, response);
    else await viewFile(fs, status, query, response);
  });
  return response;
}

/** Alluxio's texts for a path that cannot be shown; errors that are not the user's (bugs) go on to a 500. */
function statusError(e: unknown, path: string): Partial<WebUiBrowse> {
  if (!isAlluxioError(e)) throw e;
  switch (e.kind) {
    case 'NOT_FOUND':
    case 'INVALID_ARGUMENT':
    case 'USAGE':
      return {invalidPathError: `Error: Invalid Path ${e.message}`};
    case 'PERMISSION_DENIED':
      return {invalidPathError: `Error: File ${path} cannot be accessed ${e.message}`};
    case 'UNAVAILABLE':
      return {fatalError: `The service is temporarily unavailable. ${e.message}`};
    default:
      return {invalidPathError: `Error: File ${path} is not available ${e.message}`};
  }
}

/**
 * The ancestors of `path` below the root, for the page's breadcrumb links. Built from the path alone: a status
 * each would cost an object store a request per level, which `fs ls` does not pay.
 */
function breadcrumbs(path: string): UIFileInfo[] {
  const infos: UIFileInfo[] = [];
  for (let p = parentPath(path); p !== undefined && p !== '/'; p = parentPath(p)) {
    infos.unshift({
      id: -1,
      name: baseName(p),
      absolutePath: p,
      blockSizeBytes: '',
      size: '',
      creationTime: '',
      modificationTime: '',
      inAlluxio: false,
      inAlluxioPercentage: 0,
      isDirectory: true,
      pinned: false,
      owner: '',
      group: '',
      mode: '',
      persistenceState: 'PERSISTED',
      fileLocations: [],
      blocksOnTier: {},
      onTierPercentages: {},
      blockIds: [],
    });
  }
  return infos;
}

/**
 * One page of a folder. The listing (an object store's LIST pages, pulled lazily) is read only up to
 * offset + limit entries and then dropped, so no further page is asked for; entries before the offset are counted,
 * not kept.
 */
async function listPage(ctx: SourceContext, fs: FileSystem, dir: FileStatus, query: BrowseQuery, response: WebUiBrowse): Promise<void> {
  const page = parsePage(query.offset, query.limit);
  if (!page.ok) {
    response.fatalError = page.fatalError;
    return;
  }
  let listed: {entries: FileStatus[]; seen: number; ended: boolean};
  try {
    listed = await readPage(fs, dir.path, page.value);
  } catch (e) {
    if (!isAlluxioError(e)) throw e;
    if (e.kind === 'NOT_FOUND') response.fileDoesNotExistException = `Error: File does not exist ${e.message}`;
    else if (e.kind === 'PERMISSION_DENIED') response.accessControlException = `Error: File ${dir.path} cannot be accessed ${e.message}`;
    else if (e.kind === 'INVALID_ARGUMENT') response.invalidPathException = `Error: Invalid Path ${e.message}`;
    else response.invalidPathError = `Error: File ${dir.path} is not available ${e.message}`;
    return;
  }
  response.ntotalFile = listed.seen;
  response.ntotalFileKnown = listed.ended;
  if (listed.ended && page.value.offset > listed.seen) {
    response.fatalError = pastTheEnd(page.value.offset, listed.seen);
    return;
  }
  response.fileInfos = listed.entries.map((s) => uiFileInfo(ctx, s));
}

/**
 * Reads up to offset + limit entries. With limit 0 Alluxio still lists the whole folder for its total; here only
 * the offset entries are read (an S3 folder may hold millions), so the total is what was read: a lower bound,
 * ntotalFileKnown false, unless the folder ended first.
 */
async function readPage(fs: FileSystem, path: string, page: Page): Promise<{entries: FileStatus[]; seen: number; ended: boolean}> {
  const entries: FileStatus[] = [];
  let seen = 0;
  const stopAt = page.offset + page.limit;
  if (stopAt === 0) return {entries, seen, ended: false};
  // Leaving the loop early returns the generator: the rest of the listing is never asked for.
  for await (const status of fs.list(path, {recursive: false})) {
    if (seen >= page.offset) entries.push(status);
    seen++;
    if (seen >= stopAt) return {entries, seen, ended: false};
  }
  return {entries, seen, ended: true};
}

/** At most 5 KB of a file, read around the cache as one ranged read. */
async function viewFile(fs: FileSystem, file: FileStatus, query: BrowseQuery, response: WebUiBrowse): Promise<void> {
  response.blockSizeBytes = formatSize(file.blockSizeBytes);
  response.fileBlocks = [];
  const window = parseWindow(query.offset, query.end, file.length);
  if (!window.ok) {
    response.fatalError = window.fatalError;
    return;
  }
  const {offset, length} = window.value;
  response.viewingOffset = offset;
  try {
    response.fileData = length === 0 ? '' : asAscii(await readRange(fs, file.path, offset, length));
  } catch (e) {
    if (!isAlluxioError(e)) throw e;
    if (e.kind === 'PERMISSION_DENIED') response.accessControlException = `Error: File ${file.path} cannot be accessed ${e.message}`;
    else response.invalidPathError = `Error: File ${file.path} is not available ${e.message}`;
  }
}

async function readRange(fs: FileSystem, path: string, offset: number, length: number): Promise<Buffer> {
  const {stream} = await fs.open(path, 'NO_CACHE', {offset, length});
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= length) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, length);
}

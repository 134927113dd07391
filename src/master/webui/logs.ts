import {constants, promises as fsp, type Stats} from 'node:fs';
import {basename, join, relative, isAbsolute} from 'node:path';
import {failedPrecondition} from '../../errors.js';
import {escapeControl, hasControlCharacter} from '../../util/control-characters.js';
import {failureReason} from '../../util/system-errors.js';
import type {SourceContext} from './context.js';
import {localFileInfo} from './file-info.js';
import {asAscii, parsePage, parseWindow, pastTheEnd} from './paging.js';
import type {LogsQuery, UIFileInfo, WebUiLogs} from './types.js';

/**
 * The Logs page: the `*.log` files of alluxio.logs.dir, or a 5 KB view of one. Only the base name of `path` is
 * used, and a file must be a regular file inside the logs folder (a symlink out of it is refused): a FIFO or a
 * device named `*.log` is never opened, as opening one may block a thread of the pool every request shares.
 */
export async function logs(ctx: SourceContext, query: LogsQuery): Promise<WebUiLogs> {
  if (!ctx.fileInfoEnabled) return {} as WebUiLogs;
  const dir = ctx.conf.get('alluxio.logs.dir');
  const response: WebUiLogs = {
    debug: ctx.debug,
    currentPath: '',
    fatalError: '',
    fileData: null,
    fileInfos: null,
    invalidPathError: '',
    ntotalFile: 0,
    viewingOffset: 0,
  };
  if (query.path === undefined || query.path === '') {
    await listLogs(ctx, dir, query, response);
  } else {
    await viewLog(dir, basename(query.path), query, response);
  }
  return response;
}

async function listLogs(ctx: SourceContext, dir: string, query: LogsQuery, response: WebUiLogs): Promise<void> {
  const page = parsePage(query.offset, query.limit);
  if (!page.ok) {
    response.fatalError = page.fatalError;
    return;
  }
  const names = (await fsp.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log')).sort();
  const infos: UIFileInfo[] = [];
  for (const name of names) {
    const stats = await regularFileInside(dir, name).then(
      (found) => found.stats,
      () => undefined,
    );
    if (stats) infos.push(localFileInfo(ctx, name, join(dir, name), stats.size, stats.mtimeMs));
  }
  response.ntotalFile = infos.length;
  const {offset, limit} = page.value;
  if (offset > infos.length) {
    response.fatalError = pastTheEnd(offset, infos.length);
    return;
  }
  response.fileInfos = infos.slice(offset, offset + limit);
}

async function viewLog(dir: string, name: string, query: LogsQuery, response: WebUiLogs): Promise<void> {
  if (hasControlCharacter(name)) {
    response.currentPath = escapeControl(name);
    response.invalidPathError = `Error: File ${escapeControl(name)} is not available: a log file name holds no control characters`;
    return;
  }
  response.currentPath = name;
  let file: {handle: fsp.FileHandle; size: number};
  try {
    file = await openInside(dir, name);
  } catch (e) {
    response.invalidPathError = `Error: File ${name} is not available ${failureReason(e)}`;
    return;
  }
  try {
    const window = parseWindow(query.offset, query.end, file.size);
    if (!window.ok) {
      response.fatalError = window.fatalError;
      return;
    }
    const {offset, length} = window.value;
    const data = Buffer.alloc(length);
    const {bytesRead} = length === 0 ? {bytesRead: 0} : await file.handle.read(data, 0, length, offset);
    response.viewingOffset = offset;
    response.fileData = asAscii(data.subarray(0, bytesRead));
  } catch (e) {
    response.invalidPathError = `Error: File ${name} is not available ${failureReason(e)}`;
  } finally {
    await file.handle.close();
  }
}

/** `dir/name` when it is, after symlinks, a regular file inside `dir`; throws otherwise. Nothing is opened. */
async function regularFileInside(dir: string, name: string): Promise<{target: string; stats: Stats}> {
  const realDir = await fsp.realpath(dir);
  const target = await fsp.realpath(join(dir, name));
  const rel = relative(realDir, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw failedPrecondition('it lies outside the logs folder');
  const stats = await fsp.stat(target);
  if (!stats.isFile()) throw failedPrecondition('it is not a regular file');
  return {target, stats};
}

/**
 * Opens a regular file inside `dir`. O_NONBLOCK: should a FIFO replace the file between the check and the open,
 * the open returns at once instead of waiting for a writer; what is opened is checked again.
 */
async function openInside(dir: string, name: string): Promise<{handle: fsp.FileHandle; size: number}> {
  const {target} = await regularFileInside(dir, name);
  const handle = await fsp.open(target, constants.O_RDONLY | constants.O_NONBLOCK);
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw failedPrecondition('it is not a regular file');
  }
  return {handle, size: stats.size};
}

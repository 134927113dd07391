import {isAlluxioError} from '../errors.js';

/**
 * Errors of the operating system (a local file that is missing, a disk that is full) are the user's to fix, but
 * Node's own text (`ENOENT: no such file or directory, open '/x'`) is not for users: each is worded here as one
 * line naming the path, and a hint saying what to do.
 */

interface Wording {
  what: string;
  hint: string;
}

const WORDING: Record<string, Wording> = {
  ENOENT: {what: 'no such file or directory', hint: 'Check the path: it or one of its parent folders does not exist.'},
  ENAMETOOLONG: {what: 'name too long', hint: 'Local file systems allow at most 255 bytes per name and 4096 per path: use shorter names.'},
  EACCES: {what: 'permission denied', hint: 'Check the permissions of the path and its parent folders, or use another path.'},
  EPERM: {what: 'operation not permitted', hint: 'Check the permissions and attributes of the path, or use another path.'},
  EISDIR: {what: 'is a directory', hint: 'Name a file, not a folder.'},
  ENOTDIR: {what: 'not a directory', hint: 'A part of the path is a file where a folder is expected.'},
  ENOTEMPTY: {what: 'directory not empty', hint: 'Empty the folder first, or use another path.'},
  EEXIST: {what: 'already exists', hint: 'Remove it first, or use another path.'},
  ENOSPC: {what: 'no space left on device', hint: 'Free space on that file system, or use a folder on another one.'},
  EDQUOT: {what: 'disk quota exceeded', hint: 'Free space within your quota, or use a folder on another file system.'},
  EROFS: {what: 'read-only file system', hint: 'Use a folder on a writable file system.'},
  ELOOP: {what: 'too many levels of symbolic links', hint: 'Check the symbolic links along the path for a loop.'},
  EMFILE: {what: 'too many open files', hint: 'Raise the limit of open files (ulimit -n) or use a lower --thread.'},
  ENFILE: {what: 'too many open files in the system', hint: 'Close other programs or raise the system limit of open files.'},
  EBUSY: {what: 'resource busy', hint: 'Another program is using it: try again when it is done.'},
  EXDEV: {what: 'cross-device link', hint: 'Use a folder on the same file system.'},
  EIO: {what: 'input/output error', hint: 'The disk or file system reported a failure: check it (dmesg).'},
  ENXIO: {what: 'no such device or address', hint: 'Redirect the input from a file or a pipe instead.'},
  EFBIG: {what: 'file too large', hint: 'The file system cannot hold a file this large: use a folder on another one.'},
  ETXTBSY: {what: 'text file busy', hint: 'Another program is running that file: try again when it is done.'},
};

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create folder',
  rmdir: 'remove folder',
  unlink: 'remove',
  rm: 'remove',
  rename: 'rename',
  scandir: 'list',
  opendir: 'list',
  stat: 'read the status of',
  lstat: 'read the status of',
  access: 'access',
  chmod: 'change the mode of',
  copyfile: 'copy',
  symlink: 'create a link at',
  utime: 'set the times of',
  realpath: 'resolve',
};

/** Paths longer than this are shortened in the middle: the message stays one readable line. */
const MAX_PATH_SHOWN = 240;

function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Whether `e` is an error of the operating system (Node's errno exceptions). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && errnoCode(e) !== undefined;
}

/**
 * Why an operation failed, for messages that already name the path: `name too long` for an errno exception,
 * else the first line of the error's message.
 */
export function failureReason(e: unknown): string {
  const code = errnoCode(e);
  if (code !== undefined) return WORDING[code]?.what ?? `system error ${code}`;
  // Ours are one line by contract: a newline in them belongs to a name (escaped when printed).
  if (isAlluxioError(e)) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? '';
}

/** What to do about an errno exception, if there is advice. */
export function failureHint(e: unknown): string | undefined {
  const code = errnoCode(e);
  return code === undefined ? undefined : WORDING[code]?.hint;
}

export interface SystemErrorText {
  message: string;
  hint?: string;
}

/** `Cannot open /x: no such file or directory` and a hint, from a Node errno exception. */
export function describeSystemError(error: NodeJS.ErrnoException): SystemErrorText {
  const code = error.code ?? 'EUNKNOWN';
  const wording = WORDING[code];
  const what = wording?.what ?? `system error ${code}`;
  const verb = (error.syscall && VERBS[error.syscall]) ?? 'access';
  const path = typeof error.path === 'string' ? shorten(error.path) : undefined;
  const message = path === undefined ? `Local ${verb} failed: ${what}` : `Cannot ${verb} ${path}: ${what}`;
  return wording ? {message, hint: wording.hint} : {message};
}

function shorten(path: string): string {
  if (path.length <= MAX_PATH_SHOWN) return path;
  const half = Math.floor((MAX_PATH_SHOWN - 3) / 2);
  return `${path.slice(0, half)}...${path.slice(-half)} (${path.length} characters)`;
}

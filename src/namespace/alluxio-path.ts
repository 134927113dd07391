import {invalidArgument, usageError} from '../errors.js';
import {escapeControl, hasControlCharacter} from '../util/control-characters.js';

/**
 * Alluxio paths: absolute, '/'-separated, no trailing slash except the root. `alluxio://host:port/p` is
 * accepted and reduced to `/p`, as the shell does when it talks to one master.
 */
export const ROOT = '/';

export function normalizeAlluxioPath(input: string): string {
  // No file name can hold NUL (POSIX forbids it, S3's XML listings cannot carry it), and Node refuses it in a path
  // with a raw error. Other control characters may be in names an under storage already holds: those stay usable.
  if (input.includes('\u0000')) throw invalidPath(input, 'Alluxio paths cannot hold the NUL character (U+0000).');
  let path = input.trim();
  if (path === '') throw invalidPath(input, 'An Alluxio path is absolute, like /dir/file.');
  const scheme = /^alluxio:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length) || '/';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw invalidPath(input, 'Alluxio paths look like /dir/file; the under storage URI goes only to fs mount.');
  }
  if (!path.startsWith('/')) {
    throw invalidPath(input, `An Alluxio path is absolute: did you mean /${path}?`);
  }
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw invalidPath(input, 'It climbs above the root / with "..".');
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return '/' + parts.join('/');
}

/**
 * A path about to be created (mkdir, touch, a copy's destination, mv's destination, a mount point). Names with
 * control characters are refused: a newline splits lines of `ls` and of scripts reading it, an escape sequence
 * drives the terminal. Such names already in an under storage are still listed (escaped) and can be removed.
 */
export function normalizeNewPath(input: string): string {
  if (hasControlCharacter(input)) {
    throw usageError(`Path "${input}" is invalid: names cannot hold control characters (U+0000 to U+001F, U+007F)`);
  }
  return normalizeAlluxioPath(input);
}

function invalidPath(input: string, hint: string) {
  return invalidArgument(`Path "${escapeControl(input)}" is invalid.`, hint);
}

export function parentPath(path: string): string | undefined {
  if (path === ROOT) return undefined;
  const i = path.lastIndexOf('/');
  return i === 0 ? ROOT : path.slice(0, i);
}

export function baseName(path: string): string {
  return path === ROOT ? '' : path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, relative: string): string {
  if (relative === '') return dir;
  return dir === ROOT ? `/${relative}` : `${dir}/${relative}`;
}

/** True when `ancestor` is `path` or one of its ancestors. */
export function isSameOrAncestor(ancestor: string, path: string): boolean {
  return ancestor === path || ancestor === ROOT || path.startsWith(ancestor + '/');
}

/** The path of `path` below `ancestor` ("" for the ancestor itself). */
export function relativeTo(ancestor: string, path: string): string {
  if (ancestor === path) return '';
  return ancestor === ROOT ? path.slice(1) : path.slice(ancestor.length + 1);
}

/** Every path from the root down to `path`, root first. */
export function pathChain(path: string): string[] {
  const chain = [ROOT];
  if (path === ROOT) return chain;
  let current = '';
  for (const part of path.slice(1).split('/')) {
    current += '/' + part;
    chain.push(current);
  }
  return chain;
}

export function depth(path: string): number {
  return path === ROOT ? 0 : path.split('/').length - 1;
}

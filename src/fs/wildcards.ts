import {type Dirent, promises as fsp} from 'node:fs';
import {join} from 'node:path';
import {notFound, usageError} from '../errors.js';
import {normalizeAlluxioPath} from '../namespace/alluxio-path.js';
import type {FileSystem} from './file-system.js';

/**
 * Alluxio's wildcards (alluxio-shell-facts.md §2). Only `*` makes a pattern. Both the pattern and every candidate
 * path have `. + ^ $ *` replaced by their percent codes before matching, and the pattern's `%2A` becomes `.*`:
 * whatever else the pattern holds (`? [ ] ( ) | { }`) is raw regex syntax, matched against the whole path.
 */
const CODES: Record<string, string> = {'.': '%2E', '+': '%2B', '^': '%5E', $: '%24', '*': '%2A'};

function encode(text: string): string {
  return text.replace(/[.+^$*]/g, (c) => CODES[c]);
}

/** An `alluxio://authority` head is kept on every match, so messages echo the URI as typed. */
const SCHEME = /^alluxio:\/\/[^/]*/i;

/** Whether an argument is a pattern: a `*` in its path part (not in an `alluxio://` authority). */
export function isPattern(arg: string): boolean {
  return arg.replace(SCHEME, '').includes('*');
}

/** Full-path matching against a pattern (or against its first components, for the descent). */
export class PathPattern {
  /** The pattern's absolute path, normalized (no empty or `.` components), backslashes kept as regex escapes. */
  readonly path: string;
  readonly head: string;
  private readonly components: string[];
  private readonly regexes = new Map<number, RegExp>();

  constructor(readonly typed: string) {
    // Alluxio's own checks of the path (absolute, no other scheme), with its messages.
    normalizeAlluxioPath(typed);
    this.head = SCHEME.exec(typed.trim())?.[0] ?? '';
    const parts: string[] = [];
    for (const part of typed.trim().slice(this.head.length).split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    this.components = parts;
    this.path = '/' + parts.join('/');
  }

  get depth(): number {
    return this.components.length;
  }

  /** The folder listed first: the parent of the pattern cut after its first `*`. */
  get start(): string {
    const upTo = this.path.slice(0, this.path.indexOf('*') + 1);
    const slash = upTo.lastIndexOf('/');
    return slash <= 0 ? '/' : upTo.slice(0, slash);
  }

  /** Whether `path` matches the whole pattern. */
  matches(path: string): boolean {
    return this.regex(this.depth).test(encode(path));
  }

  /** Whether a folder at `depth` matches the pattern's first `depth` components: only then is it searched. */
  mayHoldMatches(path: string, depth: number): boolean {
    return depth <= this.depth && this.regex(depth).test(encode(path));
  }

  /** Compiled on first use, as Alluxio compiles each regex when it first matches with it. */
  private regex(depth: number): RegExp {
    let regex = this.regexes.get(depth);
    if (!regex) {
      regex = compile(this.typed, encode('/' + this.components.slice(0, depth).join('/')).replaceAll('%2A', '.*'));
      this.regexes.set(depth, regex);
    }
    return regex;
  }
}

function compile(typed: string, source: string): RegExp {
  try {
    // Checked alone first: wrapped in a group, an unbalanced ")(" would pass.
    new RegExp(source);
    return new RegExp(`^(?:${source})$`);
  } catch (e) {
    throw usageError(
      `Invalid wildcard pattern ${typed}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/: /, '')}`,
      'Only * is a wildcard, but with a * in the path, ? [ ] ( ) { } | are regular expression syntax: escape them with \\ to match them literally.',
    );
  }
}

/** Depth of an absolute path: `/` is 0, `/a` is 1. */
function depthOf(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

/** A folder's children for the walk: each child's path and whether it is a folder. */
type ListFolder = (folder: string) => AsyncIterable<{path: string; isDirectory: boolean}>;

/**
 * Alluxio's search for a pattern's matches: from the folder above the first `*`, one listing per folder visited,
 * each read to its end before a subfolder is listed (so an object store's listing of the parent answers every later
 * lookup of what it named); a folder is searched only when it matches the pattern cut to its depth.
 */
async function walk(pattern: PathPattern, list: ListFolder): Promise<string[]> {
  const matches: string[] = [];
  const folders = [pattern.start];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for await (const child of list(folder)) {
      if (pattern.matches(child.path)) matches.push(child.path);
      else if (child.isDirectory && pattern.mayHoldMatches(child.path, depthOf(child.path))) folders.push(child.path);
    }
  }
  return matches.sort(byPath);
}

/**
 * The Alluxio paths an argument names: itself when it is no pattern, else its matches in path order (with the
 * argument's `alluxio://authority` head). No match: `<pattern> does not exist.`, or with `orNone` no paths
 * (persist's way).
 */
export async function expandPath(fs: FileSystem, arg: string, options: {orNone?: boolean} = {}): Promise<string[]> {
  if (!isPattern(arg)) return [arg];
  const pattern = new PathPattern(arg);
  const matches = await walk(pattern, (folder) => fs.list(folder, {recursive: false}));
  if (matches.length === 0 && !options.orNone) throw notFound(`${arg} does not exist.`);
  return matches.map((path) => pattern.head + path);
}

/**
 * The local files a `copyFromLocal` source names (an absolute local path): itself when it is no pattern, else
 * its matches in path order, by the same algorithm over the local file system. A folder that is missing or cannot
 * be read yields no matches, as in Alluxio.
 */
export async function expandLocalPath(path: string): Promise<string[]> {
  if (!path.includes('*')) return [path];
  return walk(new PathPattern(path), async function* (folder) {
    const entries = await fsp.readdir(folder, {withFileTypes: true}).catch(() => []);
    for (const entry of entries) {
      const child = join(folder, entry.name);
      yield {path: child, isDirectory: await isFolder(child, entry)};
    }
  });
}

/** A folder, or a link to one (Java's File.isDirectory follows links). */
async function isFolder(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await fsp.stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Plain string order (UTF-16 code units), as Java sorts the matches. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

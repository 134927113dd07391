/**
 * S3 lists keys in byte order, Alluxio lists paths in path order, and the two differ around '/': the key
 * "a-b" comes before "a/x", but the directory "a" comes before the file "a-b". This turns pages of keys into
 * pages of entries in path order, holding back only what a later key could still precede, and asking the store
 * (one cheap request) whether a blocking directory exists when too much is held back.
 */

export interface RawObject {
  key: string;
  size: number;
  lastModified?: number;
  etag?: string;
}

export interface RawPage {
  objects: RawObject[];
  /** Common prefixes (non-recursive listings only), each ending with '/'. */
  prefixes: string[];
}

export interface ListedEntry {
  name: string;
  isDirectory: boolean;
  length: number;
  lastModified?: number;
  etag?: string;
}

export interface PathOrderOptions {
  /** The listed directory's key prefix ("" or ending with '/'). */
  prefix: string;
  recursive: boolean;
  /** The directory marker suffix (alluxio.underfs.s3.directory.suffix). */
  suffix: string;
  /** How many held-back entries trigger a probe for the directory that blocks them. */
  holdLimit: number;
  /** Whether any key starts with `<prefix><name>/`. */
  hasChildren(name: string): Promise<boolean>;
}

const SLASH = '/';

export async function* inPathOrder(pages: AsyncIterable<RawPage>, options: PathOrderOptions): AsyncGenerator<ListedEntry[]> {
  const held = new Map<string, ListedEntry>();
  const resolved = new Set<string>();
  let emittedDirs = new Set<string>();

  const add = (entry: ListedEntry) => {
    if (entry.isDirectory && emittedDirs.has(entry.name)) return;
    const existing = held.get(entry.name);
    // A directory and a file of the same name: the directory wins, as in Alluxio.
    if (!existing || (entry.isDirectory && !existing.isDirectory)) held.set(entry.name, entry);
  };
  const addAncestors = (name: string) => {
    for (let i = name.indexOf(SLASH); i > 0; i = name.indexOf(SLASH, i + 1)) {
      add({name: name.slice(0, i), isDirectory: true, length: 0});
    }
  };
  const release = (bound: string | undefined): ListedEntry[] => {
    const out = [...held.values()].filter((e) => bound === undefined || e.name < bound).sort(byName);
    for (const e of out) {
      held.delete(e.name);
      if (e.isDirectory) emittedDirs.add(e.name);
    }
    return out;
  };

  for await (const page of pages) {
    let last = '';
    for (const object of page.objects) {
      const rel = object.key.slice(options.prefix.length);
      if (rel > last) last = rel;
      if (rel === '' || rel === options.suffix) continue;
      if (options.recursive) addAncestors(rel);
      if (rel.endsWith(options.suffix)) {
        add({name: rel.slice(0, -options.suffix.length), isDirectory: true, length: 0});
      } else {
        add({name: rel, isDirectory: false, length: object.size, lastModified: object.lastModified, etag: object.etag});
      }
    }
    for (const prefix of page.prefixes) {
      const rel = prefix.slice(options.prefix.length);
      if (rel > last) last = rel;
      const name = rel.replace(/\/+$/, '');
      if (name !== '') add({name, isDirectory: true, length: 0});
    }
    emittedDirs = new Set([...emittedDirs].filter((d) => last.startsWith(d + SLASH) || d + SLASH > last));
    let bound = boundAfter(last, resolved);
    while (held.size > options.holdLimit && bound !== last) {
      // The only names that can still come before `bound` are directories named `bound`: ask once.
      resolved.add(bound);
      if (await options.hasChildren(bound)) add({name: bound, isDirectory: true, length: 0});
      bound = boundAfter(last, resolved);
    }
    const ready = release(bound);
    if (ready.length > 0) yield ready;
  }
  const rest = release(undefined);
  if (rest.length > 0) yield rest;
}

/**
 * The smallest name a later key could still produce: the shortest prefix of `last` followed by a character that
 * sorts before '/' (a directory of that name may come later), unless already resolved; else `last` itself (a
 * directory named like the last file may follow).
 */
function boundAfter(last: string, resolved: Set<string>): string {
  for (let i = 1; i < last.length; i++) {
    if (last[i] < SLASH && !resolved.has(last.slice(0, i))) return last.slice(0, i);
  }
  return last;
}

function byName(a: ListedEntry, b: ListedEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

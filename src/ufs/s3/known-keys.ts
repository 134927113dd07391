import type {RawObject} from './path-order.js';

/**
 * Above this many facts the cache starts over: it only saves requests, and a command that touches this many keys
 * must not hold them all.
 */
const MAX_FACTS = 200_000;

/**
 * What one command has learned of a bucket's keys, so that it never asks S3 the same question twice (on a real
 * network every question is a 10-80 ms round trip). Per exact key: the object, or null when known absent. Per
 * directory key (no trailing slash, "" for the bucket root): whether any key starts with `dir/`. Per prefix: that
 * a complete delimited listing recorded every direct child, so a child it did not name is not there.
 *
 * It lives as long as the UFS that owns it (one command) and that UFS's own writes keep it true; what other
 * writers do meanwhile is not seen, as with any listing a command has already read.
 */
export class KnownKeys {
  private readonly objects = new Map<string, RawObject | null>();
  /** An entry whose value is undefined means "unknown" and stops inference from a complete parent. */
  private readonly dirs = new Map<string, boolean | undefined>();
  private readonly complete = new Set<string>();

  /** The object at `key`: known present, null when known absent, undefined when unknown. */
  object(key: string): RawObject | null | undefined {
    if (this.objects.has(key)) return this.objects.get(key);
    return this.childrenKnown(parentKey(key)) ? null : undefined;
  }

  /** Whether any key lies below `dir/`: undefined when unknown. */
  hasKeysBelow(dir: string): boolean | undefined {
    if (this.dirs.has(dir)) return this.dirs.get(dir);
    return this.childrenKnown(parentKey(dir)) ? false : undefined;
  }

  /** A lookup's answer: an object found (its parents then have keys below them), or known absent. */
  sawObject(key: string, object: RawObject | null): void {
    this.objects.set(key, object);
    if (object) this.markParents(key);
    this.bound();
  }

  sawKeysBelow(dir: string, present: boolean): void {
    // Whatever is known present below a directory marked it first: with no entry for it, there is nothing to drop.
    if (!present && this.dirs.has(dir)) this.dropBelow(dir);
    this.dirs.set(dir, present);
    if (present) this.markParents(dir);
    this.bound();
  }

  /** A delimited listing of `dir/` named every direct child: children not recorded are absent. */
  sawCompleteListing(dir: string): void {
    this.complete.add(dir);
  }

  /**
   * This command wrote `key`. A directory known to be empty before stays fully known: its only keys are the
   * ones this command writes, and each is recorded here.
   */
  wrote(key: string, object: RawObject): void {
    for (let dir = parentKey(key); dir !== undefined; dir = parentKey(dir)) {
      if (this.hasKeysBelow(dir) === false) this.complete.add(dir);
    }
    this.sawObject(key, object);
  }

  /** This command deleted `key`. */
  deleted(key: string): void {
    this.objects.set(key, null);
    this.unsettleParents(key);
  }

  /** This command deleted every key below `dir/`. */
  deletedBelow(dir: string): void {
    this.sawKeysBelow(dir, false);
    this.unsettleParents(dir);
  }

  /** Keys below `dir/` changed in ways not recorded one by one (a tree copied in): forget them. */
  forgetBelow(dir: string): void {
    this.dropBelow(dir);
    this.dirs.set(dir, undefined);
  }

  private childrenKnown(dir: string | undefined): boolean {
    if (dir === undefined) return false;
    return this.complete.has(dir) || this.hasKeysBelow(dir) === false;
  }

  private markParents(key: string): void {
    for (let dir = parentKey(key); dir !== undefined; dir = parentKey(dir)) this.dirs.set(dir, true);
  }

  /** After a delete, directories above may have nothing left below them. */
  private unsettleParents(key: string): void {
    for (let dir = parentKey(key); dir !== undefined; dir = parentKey(dir)) {
      if (this.dirs.get(dir) === true) this.dirs.set(dir, undefined);
    }
  }

  /** Forgets every fact strictly below `dir/`. */
  private dropBelow(dir: string): void {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const map of [this.objects, this.dirs]) {
      for (const key of map.keys()) if (key.startsWith(prefix) && key !== dir) map.delete(key);
    }
    for (const key of this.complete) if (key.startsWith(prefix) || key === dir) this.complete.delete(key);
  }

  private bound(): void {
    if (this.objects.size + this.dirs.size <= MAX_FACTS) return;
    this.objects.clear();
    this.dirs.clear();
    this.complete.clear();
  }
}

/** The directory holding a key ("a/b/c" and the marker "a/b/c/" are in "a/b" and "a/b/c"), "" at the top. */
export function parentKey(key: string): string | undefined {
  if (key === '') return undefined;
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

import type {MetaStore, MountRecord} from '../meta/store.js';
import {ROOT, isSameOrAncestor, parentPath, relativeTo} from './alluxio-path.js';

export interface Resolution {
  mount: MountRecord;
  /** The path below the mount point ("" for the mount point itself). */
  relative: string;
}

/**
 * The mount table: the root mount (from configuration, never stored) and the nested mounts kept in the
 * metastore. Read once per process; mount and unmount reload it.
 */
export class MountTable {
  private mounts: MountRecord[] = [];

  private constructor(
    private readonly store: MetaStore,
    private readonly root: MountRecord,
  ) {}

  /** The table of `root` and the mounts the store holds. */
  static async open(store: MetaStore, root: MountRecord): Promise<MountTable> {
    const table = new MountTable(store, root);
    await table.reload();
    return table;
  }

  async reload(): Promise<void> {
    const nested = (await this.store.listMounts()).filter((m) => m.alluxioPath !== ROOT);
    this.mounts = [this.root, ...nested].sort((a, b) => compareStrings(a.alluxioPath, b.alluxioPath));
  }

  /** All mounts, root first, in path order. */
  all(): MountRecord[] {
    return this.mounts;
  }

  get rootMount(): MountRecord {
    return this.root;
  }

  /** The mount holding `path`: the one with the longest mount point that is `path` or an ancestor. */
  resolve(path: string): Resolution {
    let best = this.root;
    for (const mount of this.mounts) {
      if (mount.alluxioPath.length > best.alluxioPath.length && isSameOrAncestor(mount.alluxioPath, path)) best = mount;
    }
    return {mount: best, relative: relativeTo(best.alluxioPath, path)};
  }

  get(path: string): MountRecord | undefined {
    return this.mounts.find((m) => m.alluxioPath === path);
  }

  isMountPoint(path: string): boolean {
    return this.get(path) !== undefined;
  }

  /** Mount points strictly below `dir`; with `directOnly`, only those whose parent is `dir`. */
  mountsBelow(dir: string, directOnly: boolean): MountRecord[] {
    return this.mounts.filter(
      (m) =>
        m.alluxioPath !== dir &&
        isSameOrAncestor(dir, m.alluxioPath) &&
        (!directOnly || parentPath(m.alluxioPath) === dir),
    );
  }
}

/** Plain code-unit order: the order Alluxio's `ls` sorts paths in. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

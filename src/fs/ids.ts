import {createHash} from 'node:crypto';

/**
 * A stable positive id (48 bits) for a name: Alluxio numbers inodes and mounts; this namespace has paths, so
 * `stat` shows ids derived from them.
 */
export function stableId(name: string): number {
  return createHash('sha256').update(name).digest().readUIntBE(0, 6);
}

import type {MountInfo} from '../fs/types.js';
import {formatSize} from './sizes.js';

/** The mount table as Alluxio prints it: URIs and paths padded to the longest, one mount a line. */
export function formatMountTable(mounts: MountInfo[]): string[] {
  const uriWidth = Math.max(0, ...mounts.map((m) => m.ufsUri.length));
  const pathWidth = Math.max(0, ...mounts.map((m) => m.alluxioPath.length));
  return mounts.map((m) => {
    const used =
      m.capacityBytes > 0
        ? `${formatSize(m.usedBytes)}(${Math.floor((100 * m.usedBytes) / m.capacityBytes)}%)`
        : formatSize(m.usedBytes);
    const properties = Object.entries(m.properties)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return (
      `${m.ufsUri.padEnd(uriWidth)}  on  ${m.alluxioPath.padEnd(pathWidth)}  ` +
      `(${m.ufsType}, capacity=${formatSize(m.capacityBytes)}, used=${used}, ` +
      `${m.readOnly ? '' : 'not '}read-only, ${m.shared ? '' : 'not '}shared, properties={${properties}})`
    );
  });
}

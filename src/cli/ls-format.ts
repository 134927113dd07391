import type {FileStatus} from '../fs/types.js';
import {hasAclMarker} from '../security/acl.js';
import {formatMode} from '../security/mode.js';
import {formatDate} from './date-format.js';
import {formatSize} from './sizes.js';

export type TimestampField = 'creationTime' | 'lastAccessTime' | 'lastModificationTime';

export interface LsFormat {
  /** Owner, group and permission columns are shown only while permission checks are on. */
  withAcl: boolean;
  humanReadable: boolean;
  timestamp: TimestampField;
  datePattern: string;
}

/** One line of `fs ls`, in Alluxio's fixed-width columns. */
export function formatLsLine(status: FileStatus, format: LsFormat): string {
  const size = status.isDirectory || !format.humanReadable ? String(status.length) : formatSize(status.length);
  const time = timestampOf(status, format.timestamp);
  const when = time === undefined ? '' : formatDate(time, format.datePattern);
  const inAlluxio = status.isDirectory ? 'DIR' : `${status.inAlluxioPercentage}%`;
  const tail =
    size.padStart(15) + status.persistenceState.padStart(16) + when.padStart(24) + inAlluxio.padStart(5) + ' ' + status.path.padEnd(5);
  if (!format.withAcl) return tail;
  // A `+` marks extended ACL entries or a default ACL, as Alluxio's ls shows it.
  const permission = (status.isDirectory ? 'd' : '-') + formatMode(status.mode) + (hasAclMarker(status.acl) ? '+' : '');
  return permission.padEnd(12) + status.owner.padEnd(15) + status.group.padEnd(15) + tail;
}

export function timestampOf(status: FileStatus, field: TimestampField): number | undefined {
  switch (field) {
    case 'creationTime':
      return status.creationTime;
    case 'lastAccessTime':
      return status.lastAccessTime ?? status.lastModificationTime;
    default:
      return status.lastModificationTime;
  }
}

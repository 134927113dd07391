import {stableId} from '../fs/ids.js';
import type {FileStatus} from '../fs/types.js';
import {accessEntryStrings, defaultEntryStrings} from '../security/acl.js';
import {formatDate} from './date-format.js';

/** `fs stat` without -f: Alluxio's header line and its URIStatus/FileInfo rendering. */
export function formatStat(typedPath: string, status: FileStatus, fileId = stableId(status.path)): string[] {
  const header = `${typedPath} is a ${status.isDirectory ? 'directory' : 'file'} path.`;
  const lines = [header, `URIStatus{info=${fileInfo(status, fileId)}, cacheContext=null}`];
  if (!status.isDirectory) lines.push('This file does not contain any blocks.');
  return lines;
}

function fileInfo(s: FileStatus, fileId: number): string {
  const fields: [string, unknown][] = [
    ['fileId', fileId],
    ['fileIdentifier', null],
    ['name', s.name],
    ['path', s.path],
    ['ufsPath', s.ufsPath],
    ['length', s.length],
    ['blockSizeBytes', s.isDirectory ? 0 : s.blockSizeBytes],
    ['creationTimeMs', s.creationTime ?? 0],
    ['completed', true],
    ['folder', s.isDirectory],
    ['pinned', s.pinned ?? false],
    ['pinnedlocation', `[${(s.pinnedMedia ?? []).join(', ')}]`],
    ['cacheable', !s.isDirectory],
    ['persisted', s.persistenceState === 'PERSISTED'],
    ['blockIds', '[]'],
    ['inMemoryPercentage', s.inAlluxioPercentage],
    ['lastModificationTimesMs', s.lastModificationTime ?? 0],
    ['ttl', -1],
    ['lastAccessTimesMs', s.lastAccessTime ?? s.lastModificationTime ?? 0],
    ['ttlAction', 'FREE'],
    ['owner', s.owner],
    ['group', s.group],
    ['mode', s.mode],
    ['persistenceState', s.persistenceState],
    ['mountPoint', s.isMountPoint],
    ['replicationMax', -1],
    ['replicationMin', 0],
    ['fileBlockInfos', '[]'],
    ['mountId', s.mountId],
    ['inAlluxioPercentage', s.inAlluxioPercentage],
    ['ufsFingerprint', s.cacheKey ?? null],
    ['acl', accessEntryStrings({mode: s.mode, acl: s.acl}).join(',')],
    ['defaultAcl', defaultEntryStrings(s.acl).join(',')],
  ];
  return `FileInfo{${fields.map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`).join(', ')}}`;
}

/** `fs stat -f FORMAT`: %N name, %z size, %u owner, %g group, %i file id, %y date, %Y epoch ms, %b blocks. */
export function formatStatPattern(pattern: string, s: FileStatus, fileId = stableId(s.path)): string {
  return pattern.replace(/%([biguyzNY])/g, (_m, c: string) => {
    switch (c) {
      case 'i':
        return String(fileId);
      case 'N':
        return s.name;
      case 'z':
        return s.isDirectory ? 'NA' : String(s.length);
      case 'u':
        return s.owner;
      case 'g':
        return s.group;
      case 'y':
        return formatDate(s.lastModificationTime ?? 0, 'yyyy-MM-dd HH:mm:ss');
      case 'Y':
        return String(s.lastModificationTime ?? 0);
      default:
        return s.isDirectory ? 'NA' : '0';
    }
  });
}

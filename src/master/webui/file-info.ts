import {formatDate} from '../../cli/date-format.js';
import {formatSize} from '../../cli/sizes.js';
import {stableId} from '../../fs/ids.js';
import type {FileStatus} from '../../fs/types.js';
import {hasAclMarker} from '../../security/acl.js';
import {formatMode} from '../../security/mode.js';
import {type SourceContext, WORKER_RPC_PORT} from './context.js';
import type {UIFileInfo} from './types.js';

/** A path as Alluxio's UIFileInfo: sizes and dates as the CLI prints them, the mode as `ls` does. */
export function uiFileInfo(ctx: SourceContext, status: FileStatus): UIFileInfo {
  const date = (ms: number | undefined) => (ms === undefined ? '' : formatDate(ms, ctx.datePattern));
  const cached = !status.isDirectory && status.inAlluxioPercentage === 100;
  return {
    id: stableId(status.path),
    name: status.path === '/' ? 'root' : status.name,
    absolutePath: status.path,
    blockSizeBytes: status.isDirectory ? '' : formatSize(status.blockSizeBytes),
    size: status.isDirectory ? '' : formatSize(status.length),
    creationTime: date(status.creationTime),
    modificationTime: date(status.lastModificationTime),
    inAlluxio: cached,
    inAlluxioPercentage: status.isDirectory ? 0 : status.inAlluxioPercentage,
    isDirectory: status.isDirectory,
    pinned: status.pinned ?? false,
    owner: status.owner,
    group: status.group,
    mode: (status.isDirectory ? 'd' : '-') + formatMode(status.mode) + (hasAclMarker(status.acl) ? '+' : ''),
    persistenceState: status.persistenceState,
    fileLocations: cached ? [`${ctx.workerHost}:${WORKER_RPC_PORT}`] : [],
    blocksOnTier: {},
    onTierPercentages: {[ctx.tierAlias]: status.isDirectory ? 0 : status.inAlluxioPercentage},
    blockIds: [],
  };
}

/** A local file of the logs folder, as Alluxio's Logs page shows it: no creation time, not persisted, id -1. */
export function localFileInfo(ctx: SourceContext, name: string, absolutePath: string, size: number, mtimeMs: number): UIFileInfo {
  return {
    id: -1,
    name,
    absolutePath,
    blockSizeBytes: '',
    size: formatSize(size),
    creationTime: '',
    modificationTime: formatDate(mtimeMs, ctx.datePattern),
    inAlluxio: false,
    inAlluxioPercentage: 0,
    isDirectory: false,
    pinned: false,
    owner: '',
    group: '',
    mode: '',
    persistenceState: 'NOT_PERSISTED',
    fileLocations: [],
    blocksOnTier: {},
    onTierPercentages: {},
    blockIds: [],
  };
}

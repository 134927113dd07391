/**
 * A WebUiSource of our own for the page tests: a small fixed namespace with hostile names in every field that
 * carries a name (file names, paths, owners, config values, mount options, log names, hosts, job outcomes), a
 * 1,200-entry folder that behaves like an object-store listing (its total is known only once read to the end),
 * and Alluxio's error fields for a missing path and a bad offset.
 */
import type {
  BrowseQuery,
  JobStatus,
  LogsQuery,
  PageQuery,
  UIFileInfo,
  WebUiBrowse,
  WebUiInit,
  WebUiSource,
} from '../../src/master/webui/types.js';

/** Strings that would run script, add elements or break out of an attribute if a page did not escape them. */
export const HOSTILE = {
  img: '<img src=x onerror=alert(1)>',
  // no `/`: it is also a file name
  script: '"><script src=data:,alert(2)>',
  attribute: "' onmouseover='alert(3)' x='",
  svg: '<svg onload=alert(4)>',
  quote: '" autofocus onfocus="alert(5)" x="',
} as const;

export const BIG_FOLDER = '/big';
export const BIG_FOLDER_SIZE = 1200;
export const TEXT_FILE = '/data/hello.txt';
export const TEXT = `hello from the stub ${HOSTILE.script}\n`.repeat(400);

const DATE = '12-07-2026 13:00:00:000';

function fileInfo(absolutePath: string, isDirectory: boolean, extra: Partial<UIFileInfo> = {}): UIFileInfo {
  return {
    id: absolutePath.length,
    name: absolutePath === '/' ? 'root' : absolutePath.slice(absolutePath.lastIndexOf('/') + 1),
    absolutePath,
    blockSizeBytes: isDirectory ? '' : '64.00MB',
    size: isDirectory ? '' : '12B',
    creationTime: DATE,
    modificationTime: DATE,
    inAlluxio: !isDirectory,
    inAlluxioPercentage: isDirectory ? 0 : 100,
    isDirectory,
    pinned: false,
    owner: 'alice',
    group: 'staff',
    mode: isDirectory ? 'drwxr-xr-x' : '-rw-r--r--',
    persistenceState: 'PERSISTED',
    fileLocations: ['localhost:29999'],
    blocksOnTier: {},
    onTierPercentages: {},
    blockIds: [],
    ...extra,
  };
}

const ROOT_ENTRIES: UIFileInfo[] = [
  fileInfo(`/${HOSTILE.script}`, true, {owner: HOSTILE.img, group: HOSTILE.attribute}),
  fileInfo(`/${HOSTILE.img}`, false, {owner: HOSTILE.svg, group: HOSTILE.script, fileLocations: [HOSTILE.img]}),
  fileInfo(BIG_FOLDER, true),
  fileInfo('/data', true, {persistenceState: 'TO_BE_PERSISTED'}),
];

const FILES: Record<string, UIFileInfo> = {
  [TEXT_FILE]: fileInfo(TEXT_FILE, false, {size: `${TEXT.length}B`}),
  [`/${HOSTILE.img}`]: ROOT_ENTRIES[1],
};

const FOLDERS: Record<string, () => UIFileInfo[]> = {
  '/': () => ROOT_ENTRIES,
  '/data': () => [FILES[TEXT_FILE]],
  [`/${HOSTILE.script}`]: () => [fileInfo(`/${HOSTILE.script}/${HOSTILE.svg}`, false, {mode: HOSTILE.attribute})],
  [BIG_FOLDER]: () =>
    Array.from({length: BIG_FOLDER_SIZE}, (_, i) => fileInfo(`${BIG_FOLDER}/f${String(i).padStart(4, '0')}`, false)),
};

function emptyBrowse(path: string): WebUiBrowse {
  return {
    debug: false,
    showPermissions: true,
    masterNodeAddress: 'localhost/127.0.0.1:19998',
    currentPath: path,
    currentDirectory: null,
    blockSizeBytes: '',
    invalidPathError: '',
    viewingOffset: 0,
    pathInfos: [],
    fileInfos: null,
    ntotalFile: 0,
    ntotalFileKnown: true,
    fatalError: '',
    fileDoesNotExistException: '',
    invalidPathException: '',
    accessControlException: '',
    fileData: null,
    fileBlocks: null,
    highestTierAlias: 'MEM',
  };
}

function parseWindow(query: PageQuery): {offset: number; limit: number} | string {
  const offset = Number(query.offset ?? '0');
  const limit = Number(query.limit ?? '20');
  if (!Number.isInteger(offset) || !Number.isInteger(limit)) return `Error: offset or limit parse error, For input string: "${query.offset}"`;
  if (offset < 0 || limit < 0) return 'Error: offset or offset + limit is out of bound, offset is negative';
  return {offset, limit};
}

function ancestors(path: string): UIFileInfo[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => fileInfo(`/${parts.slice(0, i + 1).join('/')}`, true));
}

function browse(query: BrowseQuery): WebUiBrowse {
  const path = query.path ?? '/';
  const answer = emptyBrowse(path);
  const window = parseWindow(query);
  if (typeof window === 'string') return {...answer, fatalError: window};
  const file = FILES[path];
  if (file) {
    const length = TEXT.length;
    const wanted = query.end ? length - window.offset : window.offset;
    const from = Math.min(Math.max(0, wanted), length);
    return {
      ...answer,
      currentDirectory: file,
      pathInfos: ancestors(path),
      viewingOffset: from,
      fileData: path === TEXT_FILE ? TEXT.slice(from, from + 5120) : HOSTILE.svg,
      fileBlocks: [{id: 16777216, blockLength: length, lastAccessTimeMs: 0, locations: [HOSTILE.img], isInHighestTier: true}],
    };
  }
  const list = FOLDERS[path];
  if (!list) return {...answer, fileDoesNotExistException: `Error: File ${path} is not available File does not exist`};
  const entries = list();
  const end = window.offset + window.limit;
  // An object store is read page by page: past the window only one more entry is known to exist.
  const known = path !== BIG_FOLDER || end >= entries.length;
  return {
    ...answer,
    currentDirectory: fileInfo(path, true),
    pathInfos: ancestors(path),
    fileInfos: entries.slice(window.offset, end),
    ntotalFile: known ? entries.length : end + 1,
    ntotalFileKnown: known,
  };
}

const JOBS: JobStatus[] = [
  {name: 'UFS cleanup', enabled: true, intervalMs: 86_400_000, lastRunStart: Date.UTC(2026, 11, 7, 12), lastRunEnd: Date.UTC(2026, 11, 7, 12) + 42, lastOutcome: `aborted 0 uploads under s3://${HOSTILE.img}/`, runs: 1, failures: 0, pending: 0},
  {name: 'Async persistence', enabled: true, intervalMs: 1000, lastRunStart: null, lastRunEnd: null, lastOutcome: null, runs: 0, failures: 0, pending: 2},
];

export const STUB_INIT: WebUiInit = {
  debug: false,
  newerVersionAvailable: false,
  webFileInfoEnabled: true,
  securityAuthorizationPermissionEnabled: true,
  workerPort: 30000,
  refreshInterval: 15_000,
  proxyDownloadFileApiUrl: {prefix: 'http://localhost:39999/api/v1/paths/', suffix: '/download-file/'},
};

function logs(query: LogsQuery) {
  const base = {debug: false, currentPath: '', fatalError: '', fileData: null, fileInfos: null, invalidPathError: '', ntotalFile: 0, viewingOffset: 0};
  const logFiles = ['master.log', `${HOSTILE.img}.log`].map((name) =>
    fileInfo(`/logs/${name}`, false, {id: -1, name, creationTime: '', persistenceState: 'NOT_PERSISTED' as const}),
  );
  if (query.path) {
    const name = query.path.slice(query.path.lastIndexOf('/') + 1);
    if (!logFiles.some((f) => f.name === name)) return {...base, currentPath: name, invalidPathError: `Error: File ${name} is not available`};
    return {...base, currentPath: name, fileData: `2026-12-07 13:00:00,000 INFO  Master - started ${HOSTILE.script}\n`};
  }
  return {...base, fileInfos: logFiles, ntotalFile: logFiles.length};
}

/** The stub; pass overrides to make one method answer differently (or throw). */
export function stubSource(overrides: Partial<WebUiSource> = {}): WebUiSource {
  const source: WebUiSource = {
    init: async () => STUB_INIT,
    overview: async () => ({
      debug: false,
      masterNodeAddress: `localhost/127.0.0.1:19998`,
      clusterId: HOSTILE.script,
      version: '2.9.0',
      startTime: DATE,
      uptime: '0 day(s), 0 hour(s), 5 minute(s), and 3 second(s)',
      liveWorkerNodes: '1',
      capacity: '1024.00MB',
      usedCapacity: '12B',
      freeCapacity: '1023.99MB',
      diskCapacity: 'UNKNOWN',
      diskUsedCapacity: 'UNKNOWN',
      diskFreeCapacity: 'UNKNOWN',
      totalPath: '1207',
      uniqueBlockCount: '1',
      replicaBlockCount: '1',
      configCheckStatus: 'PASSED',
      configCheckErrors: {},
      configCheckWarns: {},
      configCheckErrorNum: 0,
      configCheckWarnNum: 0,
      storageTierInfos: [{storageTierAlias: 'MEM', capacity: '1024.00MB', usedCapacity: '12B', freeCapacity: '1023.99MB', usedSpacePercent: 1, freeSpacePercent: 99}],
      journalDiskWarnings: null,
      journalCheckpointTimeWarning: null,
      masterRole: null,
      leaderId: null,
      backgroundJobs: JOBS,
    }),
    browse: async (query) => browse(query),
    data: async (query) => {
      const window = parseWindow(query);
      const files = [FILES[TEXT_FILE], FILES[`/${HOSTILE.img}`]];
      if (typeof window === 'string') return {masterNodeAddress: '', fatalError: window, showPermissions: true, permissionError: '', inAlluxioFileNum: 0, fileInfos: []};
      return {masterNodeAddress: 'localhost/127.0.0.1:19998', fatalError: '', showPermissions: true, permissionError: '', inAlluxioFileNum: files.length, fileInfos: files.slice(window.offset, window.offset + window.limit)};
    },
    logs: async (query) => logs(query),
    config: async () => ({
      configuration: [
        {left: 'alluxio.master.mount.table.root.ufs', middle: `s3://bucket/${HOSTILE.img}`, right: 'SITE_PROPERTY (/etc/alluxio-site.properties)'},
        {left: 'alluxio.master.web.port', middle: '19999', right: 'DEFAULT'},
        {left: 's3a.secretKey', middle: '******', right: 'SITE_PROPERTY'},
        {left: `alluxio.${HOSTILE.script}`, middle: HOSTILE.attribute, right: HOSTILE.svg},
      ],
      whitelist: ['/', HOSTILE.img],
    }),
    workers: async () => ({
      debug: false,
      normalNodeInfos: [{host: `localhost ${HOSTILE.img}`, webPort: 30000, lastHeartbeat: '0', state: 'In Service', capacity: '1024.00MB', usedMemory: '12B', usedSpacePercent: 1, freeSpacePercent: 99, uptimeClockTime: '0 day(s)', workerId: 1, blockCount: 1}],
      failedNodeInfos: [],
    }),
    metrics: async () => ({
      masterCapacityUsedPercentage: 1,
      masterCapacityFreePercentage: 99,
      masterUnderfsCapacityUsedPercentage: 0,
      masterUnderfsCapacityFreePercentage: 100,
      totalBytesReadLocal: '12B',
      totalBytesReadLocalThroughput: '0B',
      totalBytesReadDomainSocket: '0B',
      totalBytesReadDomainSocketThroughput: '0B',
      totalBytesReadRemote: '0B',
      totalBytesReadRemoteThroughput: '0B',
      totalBytesReadUfs: '7.00KB',
      totalBytesReadUfsThroughput: '1.00KB',
      totalBytesWrittenLocal: '12B',
      totalBytesWrittenLocalThroughput: '0B',
      totalBytesWrittenDomainSocket: '0B',
      totalBytesWrittenDomainSocketThroughput: '0B',
      totalBytesWrittenRemote: '0B',
      totalBytesWrittenRemoteThroughput: '0B',
      totalBytesWrittenUfs: '24B',
      totalBytesWrittenUfsThroughput: '0B',
      cacheHitLocal: '50.00',
      cacheHitRemote: '0.00',
      cacheMiss: '50.00',
      ufsReadSize: {[`s3://${HOSTILE.img}/`]: '7.00KB'},
      ufsWriteSize: {[`s3://${HOSTILE.img}/`]: '24B'},
      ufsOps: {[`s3://${HOSTILE.img}/`]: {GetFileStatus: 12, ListStatus: 3, CreateFile: 2}},
      ufsOpsSaved: {},
      operationMetrics: {FilesCreated: {count: 2}, FilesPinned: {value: 0}},
      rpcInvocationMetrics: {CreateFileOps: {count: 2}, GetFileInfoOps: {count: 9}},
      timeSeriesMetrics: [],
      journalDiskMetrics: [],
      journalLastCheckpointTime: 'N/A',
      journalEntriesSinceCheckpoint: 0,
    }),
    mountTable: async () => ({
      debug: false,
      mountPointInfos: [
        {mountPoint: '/', ufsUri: 's3://bucket/data', ufsType: 's3', ufsCapacityBytes: '-1B', ufsUsedBytes: '-1B', readOnly: false, shared: false, properties: '{}'},
        {mountPoint: `/${HOSTILE.img}`, ufsUri: `s3://bucket/${HOSTILE.script}`, ufsType: 's3', ufsCapacityBytes: '-1B', ufsUsedBytes: '-1B', readOnly: true, shared: true, properties: `{aws.accessKeyId=******, x=${HOSTILE.svg}}`},
      ],
    }),
    info: async () => {
      throw new Error('info is not used by the pages');
    },
  };
  return {...source, ...overrides};
}

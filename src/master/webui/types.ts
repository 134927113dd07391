/**
 * The JSON of the master's web UI endpoints (`/api/v1/master/webui_*` and `/api/v1/master/info`), with Alluxio 2.9's
 * field names (Jackson bean names: `getNTotalFile` is `ntotalFile`), so scripts written against Alluxio's endpoints
 * read ours unchanged. Sizes are Alluxio's size strings (`formatSize`), dates use alluxio.user.date.format.pattern.
 * Fields that Alluxio sends as null are null here too.
 */

/** One file or folder as the Browse, In-Alluxio Data and Logs pages show it. */
export interface UIFileInfo {
  id: number;
  /** `root` for `/`. */
  name: string;
  absolutePath: string;
  /** Size strings; "" for folders. */
  blockSizeBytes: string;
  size: string;
  /** Date strings; "" where unknown (log files have no creation time). */
  creationTime: string;
  modificationTime: string;
  inAlluxio: boolean;
  inAlluxioPercentage: number;
  isDirectory: boolean;
  pinned: boolean;
  owner: string;
  group: string;
  /** `drwxr-xr-x` or `-rw-r--r--`. */
  mode: string;
  persistenceState: 'PERSISTED' | 'NOT_PERSISTED' | 'TO_BE_PERSISTED';
  fileLocations: string[];
  blocksOnTier: Record<string, unknown[]>;
  onTierPercentages: Record<string, number>;
  blockIds: number[];
}

export interface UIFileBlockInfo {
  id: number;
  blockLength: number;
  lastAccessTimeMs: number;
  locations: string[];
  isInHighestTier: boolean;
}

/** Query parameters exactly as received: their parsing errors are part of the answer (`fatalError`). */
export interface PageQuery {
  offset?: string;
  limit?: string;
}

export interface BrowseQuery extends PageQuery {
  path?: string;
  /** Non-empty: the offset of the file view counts back from the end of the file. */
  end?: string;
}

export type LogsQuery = BrowseQuery;

export interface WebUiInit {
  debug: boolean;
  newerVersionAvailable: boolean;
  webFileInfoEnabled: boolean;
  securityAuthorizationPermissionEnabled: boolean;
  workerPort: number;
  refreshInterval: number;
  proxyDownloadFileApiUrl: {prefix: string; suffix: string};
}

export interface StorageTierInfo {
  storageTierAlias: string;
  capacity: string;
  usedCapacity: string;
  freeCapacity: string;
  usedSpacePercent: number;
  freeSpacePercent: number;
}

/** A leader job of the master, as the Overview page shows it (our addition to Alluxio's overview fields). */
export interface JobStatus {
  /** `UFS cleanup`, `Async persistence`. */
  name: string;
  enabled: boolean;
  intervalMs: number;
  /** Epoch ms; null before the first run. */
  lastRunStart: number | null;
  lastRunEnd: number | null;
  /** One line: what the last run did, or why it failed. */
  lastOutcome: string | null;
  runs: number;
  failures: number;
  /** Files waiting (async persistence) or other work known to be pending. */
  pending: number;
}

export interface WebUiOverview {
  debug: boolean;
  masterNodeAddress: string;
  clusterId: string;
  version: string;
  startTime: string;
  uptime: string;
  liveWorkerNodes: string;
  capacity: string;
  usedCapacity: string;
  freeCapacity: string;
  diskCapacity: string;
  diskUsedCapacity: string;
  diskFreeCapacity: string;
  totalPath: string;
  uniqueBlockCount: string;
  replicaBlockCount: string;
  configCheckStatus: 'PASSED' | 'WARN' | 'FAILED';
  configCheckErrors: Record<string, Array<{name: string; values: unknown}>>;
  configCheckWarns: Record<string, Array<{name: string; values: unknown}>>;
  configCheckErrorNum: number;
  configCheckWarnNum: number;
  storageTierInfos: StorageTierInfo[];
  journalDiskWarnings: string[] | null;
  journalCheckpointTimeWarning: string | null;
  masterRole: string | null;
  leaderId: string | null;
  /** alluxio-s3: the leader jobs (UFS cleanup, async persistence). */
  backgroundJobs: JobStatus[];
}

export interface WebUiBrowse {
  debug: boolean;
  showPermissions: boolean;
  masterNodeAddress: string;
  currentPath: string;
  currentDirectory: UIFileInfo | null;
  blockSizeBytes: string;
  invalidPathError: string;
  viewingOffset: number;
  pathInfos: UIFileInfo[];
  fileInfos: UIFileInfo[] | null;
  /**
   * Entries seen so far: the folder's total once listed to its end. An object store is listed page by page up to
   * offset + limit only, so until then this counts what was read (see `ntotalFileKnown`).
   */
  ntotalFile: number;
  /** alluxio-s3: false while the folder has not been read to its end (the page offers "next", not "last"). */
  ntotalFileKnown: boolean;
  fatalError: string;
  fileDoesNotExistException: string;
  invalidPathException: string;
  accessControlException: string;
  fileData: string | null;
  fileBlocks: UIFileBlockInfo[] | null;
  highestTierAlias: string | null;
}

export interface WebUiData {
  masterNodeAddress: string;
  fatalError: string;
  showPermissions: boolean;
  permissionError: string;
  inAlluxioFileNum: number;
  fileInfos: UIFileInfo[];
}

export interface WebUiLogs {
  debug: boolean;
  currentPath: string;
  fatalError: string;
  fileData: string | null;
  fileInfos: UIFileInfo[] | null;
  invalidPathError: string;
  ntotalFile: number;
  viewingOffset: number;
}

export interface WebUiConfig {
  /** Every key, sorted: name, value (secrets `******`), source. */
  configuration: Array<{left: string; middle: string; right: string}>;
  whitelist: string[];
}

export interface NodeInfo {
  host: string;
  webPort: number;
  /** Seconds since the last heartbeat, as a string. */
  lastHeartbeat: string;
  state: string;
  capacity: string;
  usedMemory: string;
  usedSpacePercent: number;
  freeSpacePercent: number;
  uptimeClockTime: string;
  workerId: number;
  blockCount: number;
}

export interface WebUiWorkers {
  debug: boolean;
  normalNodeInfos: NodeInfo[];
  failedNodeInfos: NodeInfo[];
}

export interface WebUiMetrics {
  masterCapacityUsedPercentage: number;
  masterCapacityFreePercentage: number;
  masterUnderfsCapacityUsedPercentage: number;
  masterUnderfsCapacityFreePercentage: number;
  totalBytesReadLocal: string;
  totalBytesReadLocalThroughput: string;
  totalBytesReadDomainSocket: string;
  totalBytesReadDomainSocketThroughput: string;
  totalBytesReadRemote: string;
  totalBytesReadRemoteThroughput: string;
  totalBytesReadUfs: string;
  totalBytesReadUfsThroughput: string;
  totalBytesWrittenLocal: string;
  totalBytesWrittenLocalThroughput: string;
  totalBytesWrittenDomainSocket: string;
  totalBytesWrittenDomainSocketThroughput: string;
  totalBytesWrittenRemote: string;
  totalBytesWrittenRemoteThroughput: string;
  totalBytesWrittenUfs: string;
  totalBytesWrittenUfsThroughput: string;
  cacheHitLocal: string;
  cacheHitRemote: string;
  cacheMiss: string;
  ufsReadSize: Record<string, string>;
  ufsWriteSize: Record<string, string>;
  ufsOps: Record<string, Record<string, number>>;
  ufsOpsSaved: Record<string, Record<string, number>>;
  operationMetrics: Record<string, {count: number} | {value: number}>;
  rpcInvocationMetrics: Record<string, {count: number}>;
  timeSeriesMetrics: Array<{name: string; dataPoints: Array<{timeStamp: number; value: number}>}>;
  journalDiskMetrics: unknown[];
  journalLastCheckpointTime: string;
  journalEntriesSinceCheckpoint: number;
}

export interface MountPointUiInfo {
  mountPoint: string;
  ufsUri: string;
  ufsType: string;
  ufsCapacityBytes: string;
  ufsUsedBytes: string;
  readOnly: boolean;
  shared: boolean;
  /** Java's Map.toString(): `{}` or `{k=v, k2=v2}`, secrets `******`. */
  properties: string;
}

export interface WebUiMountTable {
  debug: boolean;
  mountPointInfos: MountPointUiInfo[];
}

/** `GET /api/v1/master/info`. */
export interface AlluxioMasterInfo {
  capacity: {total: number; used: number};
  configuration: Record<string, string>;
  lostWorkers: WorkerInfo[];
  metrics: Record<string, number>;
  mountPoints: Record<string, MountPointInfo>;
  rpcAddress: string;
  startTimeMs: number;
  uptimeMs: number;
  version: string;
  tierCapacity: Record<string, {total: number; used: number}>;
  ufsCapacity: {total: number; used: number};
  workers: WorkerInfo[];
}

export interface WorkerInfo {
  id: number;
  address: {
    host: string;
    containerHost: string;
    rpcPort: number;
    dataPort: number;
    webPort: number;
    domainSocketPath: string;
    tieredIdentity: {tiers: Array<{tierName: string; value: string}>};
  };
  lastContactSec: number;
  state: string;
  capacityBytes: number;
  usedBytes: number;
  startTimeMs: number;
  capacityBytesOnTiers: Record<string, number>;
  usedBytesOnTiers: Record<string, number>;
  blockCount: number;
}

export interface MountPointInfo {
  mountId: number;
  ufsUri: string;
  ufsType: string;
  ufsCapacityBytes: number;
  ufsUsedBytes: number;
  readOnly: boolean;
  /** Secrets `******`. */
  properties: Record<string, string>;
  shared: boolean;
}

/**
 * What the pages and the JSON endpoints are built from: one implementation reads the namespace (a fresh
 * FileSystem per call), the pages render what it returns. Alluxio's errors of a request (a bad offset, a missing
 * path) are fields of the answer; a thrown error is answered as HTTP 500 `{statusCode, message}`.
 */
export interface WebUiSource {
  init(): Promise<WebUiInit>;
  overview(): Promise<WebUiOverview>;
  browse(query: BrowseQuery): Promise<WebUiBrowse>;
  data(query: PageQuery): Promise<WebUiData>;
  logs(query: LogsQuery): Promise<WebUiLogs>;
  config(): Promise<WebUiConfig>;
  workers(): Promise<WebUiWorkers>;
  metrics(): Promise<WebUiMetrics>;
  mountTable(): Promise<WebUiMountTable>;
  info(rawConfiguration: boolean): Promise<AlluxioMasterInfo>;
}

import os from 'node:os';
import {nearest} from '../util/nearest.js';

/** The registry of property keys: Alluxio 2.9's names, aliases and defaults for what this tool reads. */

export type KeyType = 'string' | 'boolean' | 'int' | 'duration' | 'dataSize' | 'mode' | 'enum' | 'list';

export interface PropertyKey {
  name: string;
  aliases?: readonly string[];
  /** May hold `${key}` templates, resolved when read. */
  default?: string;
  type: KeyType;
  /** The allowed values of an enum key. */
  values?: readonly string[];
  /** Bounds of an int or dataSize (bytes) key, both included: values outside are configuration errors. */
  min?: number;
  max?: number;
  /** Never displayed. */
  credential?: boolean;
  description: string;
}

/** Any `alluxio.master.mount.table.root.option.<key>` is an option of the root mount. */
export const ROOT_OPTION_PREFIX = 'alluxio.master.mount.table.root.option.';

/** S3's limits on the size of one part of a multipart upload (the last part may be smaller). */
const PART_SIZE = {min: 5 * 2 ** 20, max: 5 * 2 ** 30};
/** A pool of threads or connections needs one at least. */
const POOL = {min: 1};
const PORT = {min: 0, max: 65_535};

// `as const` keeps every name as a literal type: PropertyName below is derived from this list.
const KEYS = [
  // Core layout
  {name: 'alluxio.home', default: '/opt/alluxio', type: 'string',
    description: 'Install folder (the parent of bin/)'},
  {name: 'alluxio.conf.dir', default: '${alluxio.home}/conf', type: 'string',
    description: 'Folder holding the configuration files'},
  {name: 'alluxio.site.conf.dir', default: '${alluxio.conf.dir}/,~/.alluxio/,/etc/alluxio/', type: 'list',
    description: 'Folders searched in order for alluxio-site.properties; the first found wins'},
  {name: 'alluxio.work.dir', default: '${alluxio.home}', type: 'string',
    description: 'Folder for the journal, local UFS, cache and logs (~/.alluxio if alluxio.home is read-only)'},
  {name: 'alluxio.logs.dir', default: '${alluxio.work.dir}/logs', type: 'string',
    description: 'Folder for log files'},
  {name: 'alluxio.tmp.dirs', default: '/tmp', type: 'list', description: 'Local folders for staging object uploads'},
  {name: 'alluxio.master.journal.folder', default: '${alluxio.work.dir}/journal', type: 'string',
    description: 'Folder holding the metastore'},
  {name: 'alluxio.master.metastore.secret.key.file', default: '${alluxio.master.journal.folder}/secret.key', type: 'string',
    description: 'Key that seals secrets given as mount options in the metastore (created on first use, mode 0600)'},
  // Alluxio's HEAP and ROCKS name its own metastores; both mean the embedded SQLite file here.
  {name: 'alluxio.master.metastore', default: 'SQLITE', type: 'enum', values: ['SQLITE', 'HEAP', 'ROCKS', 'POSTGRES'],
    description: 'Where the namespace lives: SQLITE (a file in the journal folder; HEAP and ROCKS mean it too) or ' +
      'POSTGRES (a PostgreSQL database several hosts can share)'},
  {name: 'alluxio.master.metastore.postgres.url', type: 'string',
    description: 'alluxio-s3 only: the PostgreSQL database of the namespace, postgresql://user@host:port/database'},
  {name: 'alluxio.master.metastore.postgres.password', type: 'string', credential: true,
    description: 'alluxio-s3 only: password of the PostgreSQL user (env:NAME or file:/path keep it out of this file)'},
  {name: 'alluxio.master.metastore.postgres.pool.size', default: '4', type: 'int', min: 1, max: 100,
    description: 'alluxio-s3 only: most connections one process opens to PostgreSQL'},
  {name: 'alluxio.master.metastore.postgres.connect.timeout', default: '10s', type: 'duration',
    description: 'alluxio-s3 only: how long to wait for a PostgreSQL connection'},
  {name: 'alluxio.master.hostname', type: 'string', description: 'Host name of the master (the local daemon)'},
  {name: 'alluxio.master.rpc.port', default: '19998', type: 'int', ...PORT, description: 'RPC port of the master'},
  {name: 'alluxio.master.web.port', default: '19999', type: 'int', ...PORT, description: 'Port of the web UI'},
  // Alluxio binds 0.0.0.0 and asks for no login; a loopback default keeps the namespace off the network until asked.
  {name: 'alluxio.master.web.bind.host', default: '127.0.0.1', type: 'string',
    description: 'Address the web UI listens on (0.0.0.0 for every interface; Alluxio\'s default)'},
  {name: 'alluxio.master.web.hostname', type: 'string',
    description: 'Host name clients use to reach the web UI (default: the bind host, or localhost)'},
  {name: 'alluxio.master.web.in.alluxio.data.page.count', default: '1000', type: 'int', min: 1,
    description: 'Most files the In-Alluxio Data page considers'},
  {name: 'alluxio.master.persistence.checker.interval', default: '1s', type: 'duration',
    description: 'How often the master looks for TO_BE_PERSISTED files to persist'},
  {name: 'alluxio.master.persistence.initial.interval', default: '1s', type: 'duration',
    description: 'Wait before the master retries a failed persist; doubles with each failure'},
  {name: 'alluxio.master.persistence.max.interval', default: '1hr', type: 'duration',
    description: 'Longest wait between the master\'s retries of a failed persist'},
  {name: 'alluxio.master.startup.timeout', default: '30s', type: 'duration',
    description: 'alluxio-s3 only: how long alluxio-start.sh waits for the master\'s web UI to answer'},
  {name: 'alluxio.web.refresh.interval', default: '15s', type: 'duration',
    description: 'How often the web UI pages refresh themselves'},
  {name: 'alluxio.web.file.info.enabled', default: 'true', type: 'boolean',
    description: 'Whether the web UI shows files (Browse, In-Alluxio Data, Logs)'},
  {name: 'alluxio.web.cors.enabled', default: 'false', type: 'boolean',
    description: 'Whether the web UI\'s JSON answers allow cross-origin requests'},
  {name: 'alluxio.debug', default: 'false', type: 'boolean', description: 'Show debug columns in the web UI'},
  {name: 'alluxio.master.metastore.inode.inherit.owner.and.group', default: 'true', type: 'boolean',
    description: 'Whether new inodes take the owner and group of their parent when created by the master'},
  {name: 'alluxio.master.unsafe.direct.persist.object.enabled', default: 'true', type: 'boolean',
    description: 'Persist ASYNC_THROUGH files to object stores straight at their final key'},

  // Worker cache and client defaults
  {name: 'alluxio.worker.tieredstore.level0.dirs.path', default: '${alluxio.work.dir}/ramdisk', type: 'string',
    description: 'Folder of the local cache (Alluxio uses /mnt/ramdisk; here it lives under the work dir)'},
  {name: 'alluxio.worker.tieredstore.level0.dirs.quota', default: '1GB', type: 'dataSize',
    description: 'Capacity of the local cache'},
  {name: 'alluxio.worker.tieredstore.level0.alias', default: 'MEM', type: 'string',
    description: 'Name of the cache tier in reports (the cache is a folder whatever its name)'},
  {name: 'alluxio.master.tieredstore.global.mediumtype', default: 'MEM,SSD,HDD', type: 'string',
    description: 'Storage media `fs pin` accepts (the cache is one tier whatever the medium)'},
  {name: 'alluxio.worker.hostname', type: 'string', description: 'Name of this host\'s worker (default: the host name)'},
  {name: 'alluxio.worker.data.folder.permissions', default: 'rwxrwxrwx', type: 'string',
    description: 'Permissions of the cache data folder'},
  {name: 'alluxio.user.file.writetype.default', default: 'ASYNC_THROUGH', type: 'enum',
    values: ['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'],
    description: 'Default write type of new files'},
  {name: 'alluxio.user.file.persistence.lease.duration', default: '1min', type: 'duration',
    description: 'alluxio-s3 only: how long an ASYNC_THROUGH file stays claimed by its writer before any process may persist it'},
  {name: 'alluxio.user.file.readtype.default', default: 'CACHE', type: 'enum',
    values: ['CACHE_PROMOTE', 'CACHE', 'NO_CACHE'], description: 'Default read type'},
  {name: 'alluxio.user.block.size.bytes.default', default: '64MB', type: 'dataSize', min: 1,
    description: 'Block size of new files, also reported for every S3 file'},
  {name: 'alluxio.user.date.format.pattern', default: 'MM-dd-yyyy HH:mm:ss:SSS', type: 'string',
    description: 'Date format used by the shell'},
  {name: 'alluxio.user.file.metadata.sync.interval', default: '-1', type: 'duration',
    description: 'Metadata sync interval; accepted, metadata is always read from the UFS here'},
  {name: 'alluxio.user.file.metadata.load.type', default: 'ONCE', type: 'enum', values: ['ALWAYS', 'NEVER', 'ONCE'],
    description: 'When to load metadata from the UFS; accepted, metadata is always read from the UFS here'},

  // Root mount
  {name: 'alluxio.master.mount.table.root.ufs', aliases: ['alluxio.underfs.address'],
    default: '${alluxio.work.dir}/underFSStorage', type: 'string', description: 'Under storage URI mounted at /'},
  {name: 'alluxio.master.mount.table.root.alluxio', default: '/', type: 'string',
    description: 'Alluxio path of the root mount'},
  {name: 'alluxio.master.mount.table.root.readonly', default: 'false', type: 'boolean',
    description: 'Whether the root mount is read-only'},
  // Alluxio 2.9 declares true but never reads it; false keeps the root private unless asked (DESIGN.md).
  {name: 'alluxio.master.mount.table.root.shared', default: 'false', type: 'boolean',
    description: 'Whether the root mount is shared with all users'},
  {name: 'alluxio.underfs.object.store.mount.shared.publicly', default: 'false', type: 'boolean',
    description: 'Whether object-store mounts (the root mount) are shared with all users'},
  {name: 'alluxio.dora.client.ufs.root', default: '${alluxio.work.dir}/underFSStorage', type: 'string',
    description: 'Alluxio 3.x name of the root UFS; not read here, use alluxio.master.mount.table.root.ufs'},

  // Credentials
  {name: 's3a.accessKeyId', aliases: ['aws.accessKeyId'], type: 'string', credential: true,
    description: 'S3 access key id'},
  {name: 's3a.secretKey', aliases: ['aws.secretKey'], type: 'string', credential: true, description: 'S3 secret key'},
  {name: 'alluxio.underfs.s3.assumerole.enabled', default: 'false', type: 'boolean',
    description: 'Assume an IAM role for S3 requests (an Alluxio Enterprise key)'},
  {name: 'alluxio.underfs.s3.assumerole.rolearn', type: 'string', description: 'ARN of the role to assume'},
  {name: 'alluxio.underfs.s3.assumerole.session.prefix', default: 'alluxio-assume-role', type: 'string',
    description: 'Prefix of the role session name'},
  {name: 'alluxio.underfs.s3.assumerole.session.duration.second', default: '3600', type: 'int',
    description: 'Lifetime of an assumed-role session in seconds'},
  {name: 'alluxio.underfs.s3.assumerole.refresh.margin', default: '5min', type: 'duration',
    description: 'alluxio-s3 extension: assume the role again this long before its credentials expire'},
  {name: 'alluxio.underfs.s3.assumerole.sts.endpoint', type: 'string',
    description: 'alluxio-s3 extension: STS endpoint of AssumeRole, host[:port] (scheme as for alluxio.underfs.s3.endpoint) ' +
      'or URL; unset, alluxio.underfs.s3.endpoint if set (S3-compatible stores serve STS there), else AWS\'s regional one'},

  // ACL, ownership, mode
  {name: 'alluxio.underfs.s3.inherit.acl', aliases: ['alluxio.underfs.s3a.inherit_acl'], default: 'true',
    type: 'boolean', description: 'Derive owner, group and mode from the bucket ACL'},
  {name: 'alluxio.underfs.s3.default.mode', aliases: ['alluxio.underfs.s3a.default.mode'], default: '0700',
    type: 'mode', description: 'Mode of S3 objects when the ACL is not used or cannot be read'},
  {name: 'alluxio.underfs.s3.owner.id.to.username.mapping', type: 'string',
    description: 'Canonical user id to user name mapping, as id1=user1;id2=user2'},

  // Endpoint, region, addressing, transport
  {name: 'alluxio.underfs.s3.endpoint', type: 'string', description: 'S3 endpoint, host[:port] or URL'},
  {name: 'alluxio.underfs.s3.endpoint.region', type: 'string', description: 'Signing region of a custom endpoint'},
  {name: 'alluxio.underfs.s3.region', type: 'string', description: 'Region of the bucket'},
  {name: 'alluxio.underfs.s3.disable.dns.buckets', default: 'false', type: 'boolean',
    description: 'Use path-style addressing'},
  {name: 'alluxio.underfs.s3.secure.http.enabled', aliases: ['alluxio.underfs.s3a.secure.http.enabled'],
    default: 'false', type: 'boolean', description: 'Use HTTPS (also forced by server-side encryption)'},
  {name: 'alluxio.underfs.s3.server.side.encryption.enabled',
    aliases: ['alluxio.underfs.s3a.server.side.encryption.enabled'], default: 'false', type: 'boolean',
    description: 'Request SSE-S3 encryption of written objects'},
  {name: 'alluxio.underfs.s3.proxy.host', type: 'string', description: 'Proxy host for S3 requests'},
  {name: 'alluxio.underfs.s3.proxy.port', type: 'int', min: 1, max: 65_535, description: 'Proxy port for S3 requests'},
  {name: 'alluxio.underfs.s3.signer.algorithm', aliases: ['alluxio.underfs.s3a.signer.algorithm'], type: 'string',
    description: 'Signer override; S3SignerType selects Signature V2'},

  // Uploads
  {name: 'alluxio.underfs.s3.streaming.upload.enabled', aliases: ['alluxio.underfs.s3a.streaming.upload.enabled'],
    default: 'false', type: 'boolean', description: 'Upload in parts while writing instead of after close'},
  {name: 'alluxio.underfs.s3.streaming.upload.partition.size',
    aliases: ['alluxio.underfs.s3a.streaming.upload.partition.size'], default: '64MB', type: 'dataSize', ...PART_SIZE,
    description: 'Part size of streaming uploads (5MB to 5GB)'},
  {name: 'alluxio.underfs.s3.upload.threads.max', default: '20', type: 'int', ...POOL,
    description: 'Concurrent part uploads and rename copies'},
  {name: 'alluxio.underfs.s3.multipart.copy.threshold', default: '5GB', type: 'dataSize', ...PART_SIZE,
    description: 'alluxio-s3 only: objects copied on the server (fs cp) above this size go as a multipart copy ' +
      'in parts of alluxio.underfs.s3.streaming.upload.partition.size (one CopyObject takes at most 5GB)'},
  {name: 'alluxio.underfs.s3.multipart.upload.enabled', default: 'false', type: 'boolean',
    description: 'Alluxio 3.x multipart upload switch'},
  {name: 'alluxio.underfs.s3.multipart.upload.partition.size', default: '64MB', type: 'dataSize', ...PART_SIZE,
    description: 'Alluxio 3.x multipart upload part size'},
  {name: 'alluxio.underfs.object.store.multipart.upload.timeout', type: 'duration',
    description: 'Alluxio 3.x timeout of a multipart upload'},
  {name: 'alluxio.underfs.object.store.streaming.upload.part.timeout', type: 'duration',
    description: 'Alluxio 3.x timeout of one streamed part'},

  // Cleanup of abandoned uploads
  {name: 'alluxio.underfs.cleanup.enabled', default: 'false', type: 'boolean',
    description: 'Periodically abort abandoned multipart uploads'},
  {name: 'alluxio.underfs.cleanup.interval', default: '1day', type: 'duration',
    description: 'Interval between cleanups'},
  {name: 'alluxio.underfs.s3.intermediate.upload.clean.age',
    aliases: ['alluxio.underfs.s3a.intermediate.upload.clean.age'], default: '3day', type: 'duration',
    description: 'Age after which an unfinished multipart upload is aborted'},

  // Listing, metadata, directory markers
  {name: 'alluxio.underfs.s3.list.objects.v1', aliases: ['alluxio.underfs.s3a.list.objects.v1'], default: 'false',
    type: 'boolean', description: 'List with ListObjects (v1) instead of ListObjectsV2'},
  {name: 'alluxio.underfs.s3.directory.suffix', aliases: ['alluxio.underfs.s3a.directory.suffix'], default: '/',
    type: 'string', description: 'Key suffix of directory marker objects'},
  {name: 'alluxio.underfs.listing.length', default: '1000', type: 'int', min: 1,
    description: 'Listing page size (at most 1000 for object stores)'},
  {name: 'alluxio.underfs.object.store.breadcrumbs.enabled', default: 'true', type: 'boolean',
    description: 'Create directory markers for directories found while reading or listing'},
  {name: 'alluxio.underfs.object.store.skip.parent.directory.creation', default: 'true', type: 'boolean',
    description: 'Do not create parent directory markers when creating a file'},
  {name: 'alluxio.underfs.s3.bulk.delete.enabled', aliases: ['alluxio.underfs.s3a.bulk.delete.enabled'],
    default: 'true', type: 'boolean', description: 'Delete with multi-object DeleteObjects'},

  // Tuning
  {name: 'alluxio.underfs.s3.socket.timeout',
    aliases: ['alluxio.underfs.s3a.socket.timeout.ms', 'alluxio.underfs.s3a.socket.timeout'], default: '50sec',
    type: 'duration', description: 'Socket timeout of S3 connections'},
  {name: 'alluxio.underfs.s3.request.timeout',
    aliases: ['alluxio.underfs.s3a.request.timeout.ms', 'alluxio.underfs.s3a.request.timeout'], default: '1min',
    type: 'duration', description: 'Timeout of one S3 request; 0 means none'},
  {name: 'alluxio.underfs.s3.admin.threads.max', default: '20', type: 'int', ...POOL,
    description: 'Admin threads, counted in the connection limit'},
  {name: 'alluxio.underfs.s3.threads.max', default: '40', type: 'int', ...POOL,
    description: 'Maximum S3 connections (raised to admin + upload threads if lower)'},
  {name: 'alluxio.underfs.object.store.service.threads', default: '20', type: 'int', ...POOL,
    description: 'Concurrent batches of deletes and renames'},
  {name: 'alluxio.underfs.s3.connection.ttl', default: '-1', type: 'duration',
    description: 'Lifetime of pooled connections; -1 means forever'},
  {name: 'alluxio.underfs.s3.max.error.retry', aliases: ['alluxio.underfs.s3a.max.error.retry'], default: '2', type: 'int',
    description: 'Retries of an S3 request after a reset, timeout, 5xx or SlowDown (2: the AWS SDKs\' 3 attempts)'},
  {name: 'alluxio.underfs.eventual.consistency.retry.base.sleep', default: '50ms', type: 'duration',
    description: 'First backoff of eventual-consistency retries'},
  {name: 'alluxio.underfs.eventual.consistency.retry.max.sleep', default: '30sec', type: 'duration',
    description: 'Longest backoff of eventual-consistency retries'},
  {name: 'alluxio.underfs.eventual.consistency.retry.max.num', default: '20', type: 'int', min: 0,
    description: 'Attempts of eventual-consistency retries'},
  {name: 'alluxio.underfs.object.store.multi.range.chunk.size', default: '${alluxio.user.block.size.bytes.default}',
    type: 'dataSize', min: 1, description: 'Size of each ranged GET when reading an object'},
  {name: 'alluxio.underfs.logging.threshold', default: '10s', type: 'duration',
    description: 'UFS calls slower than this are logged'},
  {name: 'alluxio.underfs.io.threads', default: String(Math.max(4, 3 * os.availableParallelism())), type: 'int', ...POOL,
    description: 'Threads for UFS I/O'},
  {name: 'alluxio.underfs.persistence.async.temp.dir', default: '.alluxio_ufs_persistence', type: 'string',
    description: 'Temporary folder of async persistence when direct persistence is off'},

  // Security
  {name: 'alluxio.security.authentication.type', default: 'SIMPLE', type: 'enum',
    values: ['NOSASL', 'SIMPLE', 'CUSTOM'], description: 'Authentication type'},
  {name: 'alluxio.security.authorization.permission.enabled', default: 'true', type: 'boolean',
    description: 'Check permissions in the Alluxio namespace'},
  {name: 'alluxio.security.authorization.permission.umask', default: '022', type: 'mode',
    description: 'Umask of new files and directories'},
  {name: 'alluxio.security.authorization.permission.supergroup', default: 'supergroup', type: 'string',
    description: 'Group whose members are superusers'},
  {name: 'alluxio.security.login.username', type: 'string', description: 'Login user (else the OS user)'},
  {name: 'alluxio.security.group.mapping.class',
    default: 'alluxio.security.group.provider.ShellBasedUnixGroupsMapping', type: 'string',
    description: 'How groups of a user are found'},
  {name: 'alluxio.security.group.mapping.cache.timeout', default: '1min', type: 'duration',
    description: 'How long group lookups are cached'},
] as const satisfies readonly PropertyKey[];

type Registered = (typeof KEYS)[number];
type AliasOf<K> = K extends {aliases: readonly (infer A)[]} ? A : never;

/** The canonical name of a registered key. */
export type CanonicalName = Registered['name'];
/**
 * A name the registry knows, canonical or alias: what Configuration's getters take, so a misspelt key fails to
 * compile; a root mount option wraps any of them. Names known only at run time (user input, options of UFS
 * extensions) go through Configuration.lookup.
 */
export type PropertyName = CanonicalName | AliasOf<Registered> | `${typeof ROOT_OPTION_PREFIX}${CanonicalName}`;
/** The canonical name of a registered enum key. */
export type EnumName = Extract<Registered, {type: 'enum'}>['name'];
/** The allowed values of a registered enum key. */
export type EnumValue<K extends EnumName> = Extract<Registered, {name: K}>['values'][number];

const byName = new Map<string, PropertyKey>();
for (const key of KEYS as readonly PropertyKey[]) {
  for (const name of [key.name, ...(key.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`Duplicate property key ${name}`);
    byName.set(name, key);
  }
}

/** The key registered under a name or alias, or a root mount option (typed like the key it wraps). */
export function findKey(nameOrAlias: string): PropertyKey | undefined {
  const key = byName.get(nameOrAlias);
  if (key || !nameOrAlias.startsWith(ROOT_OPTION_PREFIX)) return key;
  const inner = nameOrAlias.slice(ROOT_OPTION_PREFIX.length);
  if (inner === '') return undefined;
  const wrapped = byName.get(inner);
  return {
    name: ROOT_OPTION_PREFIX + (wrapped?.name ?? inner),
    type: wrapped?.type ?? 'string',
    ...(wrapped?.values && {values: wrapped.values}),
    ...(wrapped?.min !== undefined && {min: wrapped.min}),
    ...(wrapped?.max !== undefined && {max: wrapped.max}),
    ...(wrapped?.credential && {credential: true}),
    description: `Option ${wrapped?.name ?? inner} of the root mount`,
  };
}

/** The canonical name of a key; unknown names return themselves. */
export function canonicalName(nameOrAlias: string): string {
  return findKey(nameOrAlias)?.name ?? nameOrAlias;
}

const SECRET_SUFFIX = /(accesskeyid|secretkey|sessiontoken|password)$/i;
const SECRET_VALUE_SUFFIX = /(secretkey|sessiontoken|password)$/i;

/** Whether a value names where a secret is (`env:NAME`, `file:/path`) rather than holding it. */
export function isSecretReference(value: string): boolean {
  return /^(env|file):/.test(value);
}

/** Whether a value is a secret in itself (a key id only identifies): such values are sealed at rest. */
export function isSecretKey(name: string): boolean {
  return SECRET_VALUE_SUFFIX.test(canonicalName(name));
}

/** Whether a value must never be displayed. */
export function isCredentialKey(name: string): boolean {
  return findKey(name)?.credential === true || SECRET_SUFFIX.test(name);
}

export function allKeys(): readonly PropertyKey[] {
  return KEYS;
}

/** The known key closest to a misspelt name, if one is close enough to be a plausible suggestion. */
export function nearestKey(name: string): string | undefined {
  const best = nearest(name, byName.keys(), Math.max(2, Math.floor(name.length / 4)));
  return best === undefined ? undefined : byName.get(best)?.name;
}

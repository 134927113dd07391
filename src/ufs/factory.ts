import {invalidArgument} from '../errors.js';
import {LocalUnderFileSystem, toLocalPath} from './local/local-ufs.js';
import type {Configuration} from '../conf/configuration.js';
import type {UnderFileSystem} from './types.js';

/** What a UFS needs to know of the mount it serves. */
export interface UfsMountContext {
  readOnly: boolean;
  /** Owner, group and mode stored with the mount (object stores). */
  triple?: {owner: string; group: string; mode: number};
  warn(message: string): void;
}

export {toLocalPath};

/**
 * The under file system for a mount's UFS URI. Local paths go to the local UFS; S3 is loaded only when a URI
 * asks for it, so commands that never touch S3 never load the AWS SDK.
 */
export async function createUnderFileSystem(
  ufsUri: string,
  conf: Configuration,
  context: UfsMountContext,
): Promise<UnderFileSystem> {
  const scheme = schemeOf(ufsUri);
  if (isLocalUri(ufsUri)) {
    toLocalPath(ufsUri); // rejects file://host/x before any use
    return new LocalUnderFileSystem();
  }
  if (scheme === 's3' || scheme === 's3a') {
    const {createS3UnderFileSystem} = await import('./s3/index.js');
    return createS3UnderFileSystem(ufsUri, conf, context);
  }
  throw invalidArgument(
    `Unsupported under file system URI ${ufsUri}: use an absolute local path, file:///path, or s3://bucket/dir`,
  );
}

/** Whether a UFS URI is on the local file system: an absolute path or a file:// URI. */
export function isLocalUri(uri: string): boolean {
  return uri.startsWith('/') || uri.startsWith('file://');
}

/** Whether a UFS URI names an object store (s3://, s3a://): folders are key prefixes, a bucket root always exists. */
export function isObjectStoreUri(uri: string): boolean {
  return /^s3a?:\/\//i.test(uri);
}

/**
 * Whether `uri` is `root` or under it. Only within one store (scheme and authority): local paths and file:///
 * URIs share one, so /data holds file:///data/x.
 */
export function ufsContains(root: string, uri: string): boolean {
  return storeOf(root) === storeOf(uri) && prefixForm(uri).startsWith(prefixForm(normalizeUfsUri(root)));
}

/** The root of the store holding `uri`: `/`, `file:///` or `s3://bucket/`. */
export function storeRoot(uri: string): string {
  const authority = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)/.exec(uri);
  return authority ? `${authority[1]}/` : '/';
}

function storeOf(uri: string): string {
  return /^([a-z][a-z0-9+.-]*:\/\/[^/]*)/i.exec(uri)?.[1]?.toLowerCase() ?? 'file://';
}

/** The form in which a prefix test is a containment test: file:// dropped, a trailing slash. */
function prefixForm(uri: string): string {
  const path = uri.replace(/^file:\/\//i, '');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * A UFS URI in the form used in messages and the mount table: `//` collapsed in the path, no trailing slash
 * except for `/` and a bucket root (`s3://b/`).
 */
export function normalizeUfsUri(uri: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(.*)$/.exec(uri);
  if (!match) return normalizePathPart(uri);
  const [, scheme, authority, path] = match;
  return `${scheme}://${authority}${normalizePathPart(path)}`;
}

/** Joins a UFS root (`/x`, `file:///x`, `s3://b/`, `s3://b/dir`) with an Alluxio-relative path ("a/b", "/a/b", ""). */
export function ufsJoin(root: string, relative: string): string {
  const base = normalizeUfsUri(root);
  const rel = relative.split('/').filter((part) => part !== '').join('/');
  if (rel === '') return base;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

function schemeOf(uri: string): string | undefined {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
}

function normalizePathPart(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  if (collapsed === '' || collapsed === '/') return '/';
  return collapsed.replace(/\/$/, '');
}

import {invalidArgument} from '../../errors.js';

export interface S3Location {
  bucket: string;
  /** Object key without a leading slash; "" for the bucket root. */
  key: string;
}

const SCHEME = /^s3a?:\/\//i;
// Bucket naming rules of S3 (3 to 63 characters, lower case, digits, dots and hyphens), plus the underscores
// and capitals that S3-compatible stores and legacy buckets allow.
const BUCKET = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/;

export function isS3Uri(uri: string): boolean {
  return SCHEME.test(uri);
}

/** Splits `s3://bucket/dir/key` (or `s3a://`) into bucket and key, with clear errors for what S3 cannot hold. */
export function parseS3Uri(uri: string): S3Location {
  if (!SCHEME.test(uri)) throw invalidArgument(`${uri} is not an S3 URI: expected s3://bucket/dir`);
  const rest = uri.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') {
    throw invalidArgument(`${uri} has no bucket name`, 'Write the bucket after the scheme: s3://bucket/dir (or s3://bucket/ for all of it).');
  }
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw invalidArgument(
      `Invalid bucket name "${bucket}" in ${uri}`,
      'Bucket names have 3 to 63 letters, digits, dots or hyphens and start with a letter or digit.',
    );
  }
  const key = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+/, '');
  return {bucket, key: key.replace(/\/{2,}/g, '/')};
}

/** The key of a directory as a prefix: "dir/" ("" for the bucket root). */
export function directoryPrefix(key: string): string {
  const trimmed = key.replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

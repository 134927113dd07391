/**
 * AWS Signature Version 2 for S3 (the "S3SignerType" of Alluxio's `alluxio.underfs.s3.signer.algorithm`), as
 * described in AWS's "Signing and authenticating REST requests":
 *
 *   StringToSign = Verb \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource
 *   Authorization = "AWS " + AccessKeyId + ":" + Base64(HMAC-SHA1(SecretAccessKey, UTF-8(StringToSign)))
 *
 * Pure functions over plain request shapes: no SDK import here. `sigv2-hook.ts` plugs them into an S3Client.
 */
import {createHmac} from 'node:crypto';

/** The parts of an HTTP request that Signature V2 reads. */
export interface SigV2Request {
  method: string;
  /** The path exactly as sent on the wire (already percent-encoded), without the query string. */
  path: string;
  /** Query parameters with their decoded values; `null` (or '') stands for a bare name such as `?uploads`. */
  query: Record<string, string | string[] | null | undefined>;
  /** Header names in any case. */
  headers: Record<string, string>;
}

export interface SigV2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV2Options {
  /**
   * The bucket, when the request addresses it by host name (virtual-host style `bucket.host/key`, or a CNAME):
   * the canonical resource then starts with `/bucket`. Leave unset for path-style requests.
   */
  virtualHostBucket?: string;
}

/**
 * The query parameters that are part of the canonical resource. Every other parameter (`x-id`, `list-type`, `prefix`,
 * `delimiter`, `max-keys`, `continuation-token`, `marker`, ...) is left out: signing it fails verification.
 */
export const SIGNED_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/** Headers left by another signer (or an earlier attempt) that must not travel with a V2 signature. */
const STALE_AUTH_HEADERS: ReadonlySet<string> = new Set(['authorization', 'date', 'x-amz-date', 'x-amz-content-sha256']);

const SECURITY_TOKEN_HEADER = 'x-amz-security-token';

/** The HTTP date (RFC 7231 IMF-fixdate, e.g. `Tue, 27 Mar 2007 19:36:42 GMT`) sent as the `Date` header. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * The string to sign. The Date line is empty when the request carries `x-amz-date`; otherwise it is the request's
 * own `Date` header when it has one (signed as is: it is what the server reads), else `date` formatted by
 * {@link formatHttpDate} (the caller must then send exactly that as `Date`; {@link applySignatureV2} does).
 */
export function stringToSignV2(request: SigV2Request, date: Date, options: SigV2Options = {}): string {
  const {headers} = request;
  const dateLine = headerValue(headers, 'x-amz-date') !== undefined
    ? ''
    : (headerValue(headers, 'date') ?? formatHttpDate(date));
  return [
    request.method.toUpperCase(),
    headerValue(headers, 'content-md5') ?? '',
    headerValue(headers, 'content-type') ?? '',
    dateLine,
    canonicalAmzHeaders(headers) + canonicalResource(request, options),
  ].join('\n');
}

/**
 * The `Authorization` header value, `AWS <accessKeyId>:<signature>`. With a session token the request is signed as
 * carrying `x-amz-security-token: <token>`, which the caller must send (as {@link applySignatureV2} does).
 */
export function signV2(
  request: SigV2Request,
  credentials: SigV2Credentials,
  date: Date,
  options: SigV2Options = {},
): string {
  const headers = credentials.sessionToken
    ? {...withoutHeaders(request.headers, new Set([SECURITY_TOKEN_HEADER])), [SECURITY_TOKEN_HEADER]: credentials.sessionToken}
    : request.headers;
  const stringToSign = stringToSignV2({...request, headers}, date, options);
  const signature = createHmac('sha1', credentials.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  return `AWS ${credentials.accessKeyId}:${signature}`;
}

/**
 * The headers to send for a V2-signed request: the request's headers without any `authorization`, `date`,
 * `x-amz-date` or `x-amz-content-sha256`, plus `date`, `authorization` and (with a session token)
 * `x-amz-security-token`. The input is not changed.
 */
export function applySignatureV2(
  request: SigV2Request,
  credentials: SigV2Credentials,
  date: Date,
  options: SigV2Options = {},
): Record<string, string> {
  const headers = withoutHeaders(
    request.headers,
    credentials.sessionToken ? new Set([...STALE_AUTH_HEADERS, SECURITY_TOKEN_HEADER]) : STALE_AUTH_HEADERS,
  );
  if (credentials.sessionToken) headers[SECURITY_TOKEN_HEADER] = credentials.sessionToken;
  headers.date = formatHttpDate(date);
  headers.authorization = signV2({...request, headers}, credentials, date, options);
  return headers;
}

/** `x-amz-*` headers: lower-cased names, sorted, repeated names joined by `,`, values unfolded and trimmed. */
function canonicalAmzHeaders(headers: Record<string, string>): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-amz-') || value === undefined) continue;
    const values = byName.get(lower) ?? [];
    values.push(String(value).replace(/\s*[\r\n]+\s*/g, ' ').trim());
    byName.set(lower, values);
  }
  return [...byName.keys()]
    .sort(compareCodeUnits)
    .map((name) => `${name}:${byName.get(name)!.join(',')}\n`)
    .join('');
}

/** `[/bucket]` + the path as sent + `?` + the signed sub-resources, sorted by name, values not encoded. */
function canonicalResource(request: SigV2Request, options: SigV2Options): string {
  const path = request.path === '' ? '/' : request.path;
  const base = options.virtualHostBucket ? `/${options.virtualHostBucket}${path}` : path;
  const subResources: string[] = [];
  for (const name of Object.keys(request.query).filter((key) => SIGNED_SUB_RESOURCES.has(key)).sort(compareCodeUnits)) {
    const raw = request.query[name];
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      subResources.push(value === null || value === undefined || value === '' ? name : `${name}=${value}`);
    }
  }
  return subResources.length === 0 ? base : `${base}?${subResources.join('&')}`;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name.toLowerCase() === lowerName) return String(value).trim();
  }
  return undefined;
}

function withoutHeaders(headers: Record<string, string>, lowerNames: ReadonlySet<string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!lowerNames.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

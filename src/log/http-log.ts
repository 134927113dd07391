/**
 * What the request and wire loggers write about one HTTP exchange, with every credential redacted: signatures,
 * session tokens and SSE-C keys in headers, and the signing parameters of presigned URLs in query strings.
 */

export const REDACTED = '******';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-amz-security-token',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
  'cookie',
  'set-cookie',
]);

// Presigned SigV4 (X-Amz-*) and SigV2 (Signature, AWSAccessKeyId) query parameters.
const SECRET_QUERY = /([?&;\s]|^)(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|AWSAccessKeyId)=[^&\s#"']*/gi;

/** `text` (a URL, a query string, an error message) with the values of signing query parameters redacted. */
export function redactQuery(text: string): string {
  return text.replace(SECRET_QUERY, `$1$2=${REDACTED}`);
}

export function redactHeader(name: string, value: string): string {
  return SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
}

export interface RequestRecord {
  method: string;
  /** SDK operation, e.g. `PutObject`, `AssumeRole`. */
  operation: string;
  bucket?: string;
  key?: string;
  prefix?: string;
  /** HTTP status; undefined when no response came (see `error`). */
  status?: number;
  error?: string;
  /** From sending the request to the response headers. */
  durationMs: number;
  requestId?: string;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
}

/** `PUT PutObject bucket=b key=dir/f status=200 4.2ms request-id=tx00… attempt=1` */
export function formatRequest(r: RequestRecord): string {
  const fields = [r.method, r.operation];
  if (r.bucket !== undefined) fields.push(`bucket=${quote(r.bucket)}`);
  if (r.key !== undefined) fields.push(`key=${quote(r.key)}`);
  if (r.prefix !== undefined) fields.push(`prefix=${quote(r.prefix)}`);
  if (r.status !== undefined) fields.push(`status=${r.status}`);
  if (r.error !== undefined) fields.push(`error=${JSON.stringify(redactQuery(r.error))}`);
  fields.push(`${r.durationMs.toFixed(1)}ms`);
  if (r.requestId !== undefined) fields.push(`request-id=${quote(r.requestId)}`);
  fields.push(`attempt=${r.attempt}`);
  return fields.join(' ');
}

/** `>> PUT /b/k?x-id=PutObject`, then `>> name: value` per header. */
export function wireRequest(method: string, pathAndQuery: string, headers: Record<string, string>): string[] {
  return [`>> ${method} ${oneLine(redactQuery(pathAndQuery))}`, ...headerLines('>>', headers)];
}

/** `<< 200 OK`, then `<< name: value` per header. */
export function wireResponse(status: number, reason: string | undefined, headers: Record<string, string>): string[] {
  return [`<< ${status}${reason ? ` ${oneLine(reason)}` : ''}`, ...headerLines('<<', headers)];
}

function headerLines(direction: string, headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${direction} ${oneLine(name)}: ${oneLine(redactHeader(name, value))}`);
}

/** A field value: as is when printable ASCII without spaces or quotes, else JSON-quoted. */
function quote(value: string): string {
  return /^[!#-~]+$/.test(value) ? value : JSON.stringify(value);
}

/** Control characters (those below a space) escaped as JSON escapes them, so that a log line stays one line. */
function oneLine(text: string): string {
  return text.replace(/[^ -\uffff]/g, (c) => JSON.stringify(c).slice(1, -1));
}

import {AlluxioError, ioError, notFound, permissionDenied} from '../../errors.js';
import {type FailureKind, failureKind, failuresOf} from './retry.js';

/** What an S3 call failed on, for the message: the operation name and the object. */
export interface S3Call {
  operation: string;
  bucket: string;
  key?: string;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: {httpStatusCode?: number; requestId?: string};
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode;
}

const STATUS_NAMES: Record<number, string> = {400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 500: 'InternalError', 503: 'ServiceUnavailable'};

/** The S3 error code; responses without a body (HEAD) carry none, so the HTTP status names them. */
export function errorCodeOf(error: unknown): string {
  const e = error as SdkError;
  const name = e?.name && e.name !== 'Error' ? e.name : e?.code;
  if (name && name !== 'Unknown' && name !== 'UnknownError') return name;
  return STATUS_NAMES[httpStatusOf(error) ?? 0] ?? 'UnknownError';
}

export function isNotFound(error: unknown): boolean {
  const code = errorCodeOf(error);
  return httpStatusOf(error) === 404 || code === 'NotFound' || code === 'NoSuchKey';
}

/** What the messages of a failed request need to know of the mount's client. */
export interface S3ErrorContext {
  /** Who the requests are made as (key id masked). */
  credentials: () => string;
  endpoint: string;
  /** The URI `alluxio doctor s3` is suggested for. */
  doctorTarget: string;
  maxAttempts: number;
  connectionTimeoutMs: number;
  socketTimeoutMs: number;
  requestTimeoutMs: number;
}

const MAX_RETRY = 'alluxio.underfs.s3.max.error.retry';

/**
 * Turns an SDK error into one line a user can act on. S3-compatible stores often send empty error messages
 * (radosgw always does), so the text is ours: operation, object, HTTP status and error code, and for 403 the
 * credentials that were used (key id masked) with what to check.
 */
export function translateS3Error(error: unknown, call: S3Call, context: S3ErrorContext): AlluxioError {
  if (error instanceof AlluxioError) return error;
  const {endpoint} = context;
  const target = `s3://${call.bucket}/${call.key ?? ''}`;
  const status = httpStatusOf(error);
  const code = errorCodeOf(error);
  const sysCode = (error as {code?: string})?.code;
  const kind = failureKind(error);
  if (kind) return transientFailure(error, kind, call, target, context);
  if (status === undefined && sysCode && /^E[A-Z]+$/.test(sysCode)) {
    return new AlluxioError('UNAVAILABLE', `Cannot reach the S3 endpoint ${endpoint} for ${call.operation} ${target}: ${sysCode}`, {
      hint: 'Check alluxio.underfs.s3.endpoint and that the store is running (and the proxy, if one is set).',
      cause: error,
    });
  }
  if (status === 403 || code === 'AccessDenied' || code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId') {
    return permissionDenied(
      `S3 denied ${call.operation} on ${target} (HTTP 403 ${code}) for ${context.credentials()}`,
      'Check the credentials and the user\'s permissions on the bucket and its objects; for a read-only user, mount ' +
        `with --readonly. Run "alluxio doctor s3 ${context.doctorTarget}" for details.`,
    );
  }
  if (status === 412 || code === 'PreconditionFailed') {
    return ioError(`${target} changed while ${call.operation} was reading it`, {
      hint: 'Another writer replaced the object: run the command again.',
      cause: error,
    });
  }
  if (code === 'NoSuchBucket') {
    return notFound(`Bucket ${call.bucket} does not exist (${call.operation} ${target})`, 'Create the bucket, or check the name in the URI.');
  }
  const message = (error as SdkError)?.message;
  const detail = message && message !== 'UnknownError' && message !== code ? `: ${message}` : '';
  return ioError(`S3 ${call.operation} on ${target} failed (HTTP ${status ?? '-'} ${code})${detail}`, {cause: error});
}

const VERBS: [RegExp, string][] = [
  [/^GetObject/, 'read'],
  [/^HeadObject/, 'look up'],
  [/^(PutObject|UploadPart|CreateMultipartUpload|CompleteMultipartUpload)/, 'write'],
  [/^List(Objects|MultipartUploads)/, 'list'],
  [/^Delete/, 'delete'],
  [/^CopyObject/, 'copy'],
  [/^AbortMultipartUpload/, 'abort an upload to'],
  [/^(ListBuckets|GetBucketAcl)/, 'read the permissions of'],
];

/**
 * A request that failed every attempt for a reason that passes (a reset, a timeout, 5xx, SlowDown): what
 * happened and how often, e.g. `Failed to read s3://b/k: the connection was reset 3 times (GetObject)`.
 */
function transientFailure(error: unknown, last: FailureKind, call: S3Call, target: string, context: S3ErrorContext): AlluxioError {
  const failures = failuresOf(error);
  const kinds = failures.length > 0 ? failures : [last];
  const verb = VERBS.find(([pattern]) => pattern.test(call.operation))?.[1] ?? call.operation;
  const what = kinds.every((k) => k === last)
    ? phrase(last, kinds.length, error, context)
    : `${kinds.length} attempts failed, the last: ${phrase(last, 1, error, context)}`;
  const retries = `${MAX_RETRY} sets the retries (now ${context.maxAttempts - 1})`;
  const hints: Record<FailureKind, string> = {
    'reset': `Check that ${context.endpoint} is up and reachable (and the proxy, if one is set), then run the command again; ${retries}.`,
    'refused': `Check alluxio.underfs.s3.endpoint and that the store is running (and the proxy, if one is set); ${retries}.`,
    'unreachable': `Check alluxio.underfs.s3.endpoint and the network (and the proxy, if one is set); ${retries}.`,
    'connect timeout': `Check that ${context.endpoint} is reachable (a firewall dropping packets looks like this); ${retries}.`,
    'request timeout': `The store did not answer in time: check its health, or raise alluxio.underfs.s3.request.timeout; ${retries}.`,
    'socket timeout': `The store stopped sending or receiving: check its health, or raise alluxio.underfs.s3.socket.timeout; ${retries}.`,
    'throttled': `The store is busy: run the command again later, or with fewer threads; ${retries}.`,
    'server error': `The store is failing: check its health and run the command again; ${retries}.`,
    'clock skew': `Check this machine's clock (NTP); ${retries}.`,
  };
  return new AlluxioError('UNAVAILABLE', `Failed to ${verb} ${target}: ${what} (${call.operation})`, {hint: hints[last], cause: error});
}

function phrase(kind: FailureKind, count: number, error: unknown, context: S3ErrorContext): string {
  const times = count > 1 ? ` ${count} times` : '';
  const each = count > 1 ? `, ${count} times` : '';
  switch (kind) {
    case 'reset': return `the connection was reset${times}`;
    case 'refused': return `the connection was refused${times}`;
    case 'unreachable': return `the host was unreachable${times}`;
    case 'connect timeout': return `no connection within ${seconds(context.connectionTimeoutMs)}${each}`;
    case 'request timeout': return `no response within ${seconds(context.requestTimeoutMs)}${each}`;
    case 'socket timeout': return `no data for ${seconds(context.socketTimeoutMs)}${each}`;
    case 'throttled': return `the store asked to slow down (${errorCodeOf(error)})${times}`;
    case 'server error': return `the store failed (HTTP ${httpStatusOf(error) ?? '-'} ${errorCodeOf(error)})${times}`;
    case 'clock skew': return `the request time was refused as skewed${times}`;
  }
}

/** A duration as messages give it: `3 s`, or `300 ms` when not whole seconds. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

import {AlluxioError, ioError, notFound, permissionDenied} from '../../errors.js';

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

/**
 * Turns an SDK error into one line a user can act on. S3-compatible stores often send empty error messages
 * (radosgw always does), so the text is ours: operation, object, HTTP status and error code, and for 403 the
 * credentials that were used (key id masked) with what to check.
 */
export function translateS3Error(
  error: unknown,
  call: S3Call,
  credentials: () => string,
  endpoint: string,
  doctorTarget = `s3://${call.bucket}/`,
): AlluxioError {
  if (error instanceof AlluxioError) return error;
  const target = `s3://${call.bucket}/${call.key ?? ''}`;
  const status = httpStatusOf(error);
  const code = errorCodeOf(error);
  const sysCode = (error as {code?: string})?.code;
  if (status === undefined && sysCode && /^E[A-Z]+$/.test(sysCode)) {
    return new AlluxioError('UNAVAILABLE', `Cannot reach the S3 endpoint ${endpoint} for ${call.operation} ${target}: ${sysCode}`, {
      hint: 'Check alluxio.underfs.s3.endpoint and that the store is running (and the proxy, if one is set).',
      cause: error,
    });
  }
  if (status === 403 || code === 'AccessDenied' || code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId') {
    return permissionDenied(
      `S3 denied ${call.operation} on ${target} (HTTP 403 ${code}) for ${credentials()}`,
      'Check the credentials and the user\'s permissions on the bucket and its objects; for a read-only user, mount ' +
        `with --readonly. Run "alluxio doctor s3 ${doctorTarget}" for details.`,
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

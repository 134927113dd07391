/**
 * The error taxonomy of the core. Everything a user can fix is an AlluxioError: its message is the one line
 * Alluxio prints, `hint` is the optional next step. Any other error reaching the CLI is a bug.
 */
export type ErrorKind =
  | 'USAGE'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'FAILED_PRECONDITION'
  | 'CONFIGURATION'
  | 'UNAVAILABLE'
  | 'IO';

export class AlluxioError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, options: {hint?: string; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'AlluxioError';
    this.kind = kind;
    this.hint = options.hint;
  }

  /** Exit status: 2 for usage errors, 255 (Alluxio's -1) for everything else. */
  get exitCode(): number {
    return this.kind === 'USAGE' ? 2 : 255;
  }
}

export const usageError = (message: string, hint?: string) => new AlluxioError('USAGE', message, {hint});
export const invalidArgument = (message: string, hint?: string) =>
  new AlluxioError('INVALID_ARGUMENT', message, {hint});
export const notFound = (message: string, hint?: string) => new AlluxioError('NOT_FOUND', message, {hint});
export const alreadyExists = (message: string, hint?: string) => new AlluxioError('ALREADY_EXISTS', message, {hint});
export const permissionDenied = (message: string, hint?: string) =>
  new AlluxioError('PERMISSION_DENIED', message, {hint});
export const failedPrecondition = (message: string, hint?: string) =>
  new AlluxioError('FAILED_PRECONDITION', message, {hint});
export const configurationError = (message: string, hint?: string) =>
  new AlluxioError('CONFIGURATION', message, {hint});
export const ioError = (message: string, options: {hint?: string; cause?: unknown} = {}) =>
  new AlluxioError('IO', message, options);

export function isAlluxioError(e: unknown): e is AlluxioError {
  return e instanceof AlluxioError;
}

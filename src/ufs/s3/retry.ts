/**
 * Retries of S3 requests. The SDK's own retry middleware is replaced because it never retries a request whose
 * body is a stream (every upload from a file or a part file) and prints "An error was encountered in a
 * non-retryable streaming request." on stderr each time. Here a streamed body that can be opened again (a file,
 * a file range) is, and every request has the same budget: `maxAttempts` attempts, with backoff in between.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {Readable} from 'node:stream';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeRequestMiddleware,
  HttpRequest,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';

/** Full jitter over `base × 2^retry`, capped: the AWS SDK for Java v1 (Alluxio 2.9's) uses the same figures. */
export const BASE_DELAY_MS = 100;
export const THROTTLED_BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 20_000;

/** Why one attempt failed, for the message the user finally sees; every kind is worth another attempt. */
export type FailureKind =
  | 'reset'
  | 'refused'
  | 'unreachable'
  | 'connect timeout'
  | 'request timeout'
  | 'socket timeout'
  | 'throttled'
  | 'server error'
  | 'clock skew';

export interface SendOptions {
  /** Opens the body again for another attempt; without it a streamed body gets one attempt. */
  reopenBody?: () => Readable;
  /** Fewer attempts than the policy's (a resumed download has used some of its budget already). */
  maxAttempts?: number;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: {httpStatusCode?: number; attempts?: number; clockSkewCorrected?: boolean};
}

const OPTIONS = Symbol('alluxio.retryOptions');
const FAILURES = Symbol('alluxio.failures');
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const THROTTLING_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestThrottled', 'TooManyRequestsException', 'RequestLimitExceeded']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

/** Backoff before retry `retry` (0 for the first), in ms. */
export function backoffMs(retry: number, throttled: boolean, random: () => number = Math.random): number {
  const base = throttled ? THROTTLED_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** retry));
}

/** What went wrong, when another attempt may succeed; undefined when it would fail the same way. */
export function failureKind(error: unknown): FailureKind | undefined {
  const e = error as SdkError | undefined;
  if (!e || e.name === 'AbortError') return undefined;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || THROTTLING_CODES.has(e.name ?? '') || THROTTLING_CODES.has(e.code ?? '')) return 'throttled';
  if (e.$metadata?.clockSkewCorrected) return 'clock skew';
  // Before the name: the SDK names resets and refusals TimeoutError too.
  if (RESET_CODES.has(e.code ?? '')) return 'reset';
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    const message = e.message ?? '';
    if (message.includes('establish a connection')) return 'connect timeout';
    if (message.includes('of inactivity')) return 'socket timeout';
    return 'request timeout';
  }
  if (UNREACHABLE_CODES.has(e.code ?? '')) return 'unreachable';
  if (TRANSIENT_STATUS.has(status ?? 0) || e.name === 'RequestTimeout' || e.name === 'InternalError') return 'server error';
  return undefined;
}

/** The failed attempts behind an error or a response, oldest first. */
export function failuresOf(error: unknown): FailureKind[] {
  return (error as {[FAILURES]?: FailureKind[]} | undefined)?.[FAILURES] ?? [];
}

/** Records the failed attempts on an error or a response, and the attempt count where the SDK keeps it. */
export function withFailures<E>(error: E, failures: FailureKind[], attempts: number): E {
  if (error !== null && typeof error === 'object') {
    const target = error as {[FAILURES]?: FailureKind[]} & SdkError;
    target[FAILURES] = failures;
    target.$metadata = {...target.$metadata, attempts};
  }
  return error;
}

/**
 * Options for one command's send, carried on its input under a symbol (the serializers ignore it, copies of the
 * input keep it): per-command middleware would be ignored, as the client caches its middleware stack.
 */
export function withSendOptions<C extends {input: object}>(command: C, options: SendOptions): C {
  (command.input as Record<symbol, unknown>)[OPTIONS] = options;
  return command;
}

/** Replaces the SDK's retry middleware of a client: `client.middlewareStack.use(retryPlugin(3))`. */
export function retryPlugin<Input extends object, Output extends MetadataBearer>(maxAttempts: number): Pluggable<Input, Output> {
  const middleware: FinalizeRequestMiddleware<Input, Output> = (next: FinalizeHandler<Input, Output>) =>
    async (args: FinalizeHandlerArguments<Input>) => {
      const options = (args.input as Record<symbol, SendOptions | undefined>)[OPTIONS];
      const attempts = Math.max(1, options?.maxAttempts ?? maxAttempts);
      const request = args.request as HttpRequest;
      const failures: FailureKind[] = [];
      let totalRetryDelay = 0;
      for (;;) {
        try {
          const result = await next(args);
          withFailures(result.output, failures, failures.length + 1);
          result.output.$metadata.totalRetryDelay = totalRetryDelay;
          return result;
        } catch (e) {
          const kind = failureKind(e);
          if (kind) failures.push(kind);
          const body = request.body as Readable | undefined;
          const streamed = typeof body?.pipe === 'function';
          if (streamed) body!.destroy();
          if (!kind || failures.length >= attempts || (streamed && !options?.reopenBody)) {
            throw withFailures(e, failures, failures.length + (kind ? 0 : 1));
          }
          if (streamed) request.body = options!.reopenBody!();
          const delay = backoffMs(failures.length - 1, kind === 'throttled');
          totalRetryDelay += delay;
          await sleep(delay);
        }
      }
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, {step: 'finalizeRequest', priority: 'high', name: 'retryMiddleware', tags: ['RETRY'], override: true});
    },
  };
}

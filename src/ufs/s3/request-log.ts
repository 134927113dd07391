/**
 * HTTP debug logging of an SDK client (S3 or STS), as Alluxio's log4j keys ask for it: `com.amazonaws.request`
 * at DEBUG logs one line per HTTP attempt, `org.apache.http.wire` at DEBUG also its request and response headers
 * (redacted). The middleware sits last in the deserialize step, after retries and signing: it sees each attempt
 * as sent, signed, and its raw response.
 */
import type {
  DeserializeHandlerArguments,
  DeserializeMiddleware,
  HandlerExecutionContext,
  HttpRequest,
  HttpResponse,
  Pluggable,
} from '@smithy/types';
import type {Configuration} from '../../conf/configuration.js';
import {formatRequest, type RequestRecord, wireRequest, wireResponse} from '../../log/http-log.js';
import {getLogger, REQUEST_LOGGER, WIRE_LOGGER} from '../../log/logger.js';

/** Attempts so far of one operation: the retry middleware reuses the context for each attempt. */
const attempts = new WeakMap<HandlerExecutionContext, number>();

/** Adds request logging to a client: `client.middlewareStack.use(...)`, or `clientPlugins` of a credential provider. */
export function requestLogPlugin<Input extends object, Output extends object>(
  conf: Configuration,
  warn: (message: string) => void,
): Pluggable<Input, Output> {
  const request = getLogger(REQUEST_LOGGER, conf, warn);
  const wire = getLogger(WIRE_LOGGER, conf, warn);
  const middleware: DeserializeMiddleware<Input, Output> = (next, context) => async (args) => {
    if (!request.debugEnabled && !wire.debugEnabled) return next(args);
    const attempt = (attempts.get(context) ?? 0) + 1;
    attempts.set(context, attempt);
    const http = args.request as HttpRequest;
    const sent = {
      method: http.method,
      operation: (context.commandName ?? 'request').replace(/Command$/, ''),
      ...target(args),
      attempt,
    };
    if (wire.debugEnabled) wireRequest(http.method, pathAndQuery(http), http.headers).forEach((l) => wire.debug(l));
    const start = performance.now();
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } catch (e) {
      const error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      request.debug(formatRequest({...sent, error, durationMs: performance.now() - start}));
      throw e;
    }
    const durationMs = performance.now() - start;
    const response = result.response as HttpResponse;
    const requestId = header(response.headers, 'x-amz-request-id') ?? header(response.headers, 'x-amzn-requestid');
    request.debug(formatRequest({...sent, status: response.statusCode, durationMs, ...(requestId ? {requestId} : {})}));
    if (wire.debugEnabled) {
      wireResponse(response.statusCode, response.reason, response.headers).forEach((l) => wire.debug(l));
    }
    return result;
  };
  return {
    applyToStack(stack) {
      stack.add(middleware, {step: 'deserialize', priority: 'low', name: 'alluxioRequestLog', override: true});
    },
  };
}

function target(args: DeserializeHandlerArguments<object>): Pick<RequestRecord, 'bucket' | 'key' | 'prefix'> {
  const input = args.input as {Bucket?: unknown; Key?: unknown; Prefix?: unknown};
  const out: Pick<RequestRecord, 'bucket' | 'key' | 'prefix'> = {};
  if (typeof input.Bucket === 'string') out.bucket = input.Bucket;
  if (typeof input.Key === 'string') out.key = input.Key;
  if (typeof input.Prefix === 'string') out.prefix = input.Prefix;
  return out;
}

function pathAndQuery(http: HttpRequest): string {
  const query = Object.entries(http.query ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) =>
      v === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(v)}`,
    ),
  );
  return query.length === 0 ? http.path : `${http.path}?${query.join('&')}`;
}

function header(headers: Record<string, string>, lowerName: string): string | undefined {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === lowerName);
  return name === undefined ? undefined : headers[name];
}

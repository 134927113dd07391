import {describe, expect, it} from 'vitest';

import {backoffMs, failureKind, failuresOf, withFailures} from '../../../../src/ufs/s3/retry.js';

const sdkError = (fields: {name?: string; code?: string; message?: string; status?: number; skew?: boolean}) =>
  Object.assign(new Error(fields.message ?? 'x'), {
    name: fields.name ?? 'Error',
    ...(fields.code ? {code: fields.code} : {}),
    $metadata: {httpStatusCode: fields.status, ...(fields.skew ? {clockSkewCorrected: true} : {})},
  });

describe('which failures are worth another attempt', () => {
  it.each([
    [{name: 'TimeoutError', code: 'ECONNRESET'}, 'reset'],
    [{code: 'EPIPE'}, 'reset'],
    [{code: 'ECONNREFUSED'}, 'refused'],
    [{code: 'EHOSTUNREACH'}, 'unreachable'],
    [{name: 'TimeoutError', message: 'the request socket did not establish a connection with the server within the configured timeout of 10000 ms.'}, 'connect timeout'],
    [{name: 'TimeoutError', message: 'the request socket timed out after 5000 ms of inactivity (configured by client requestHandler).'}, 'socket timeout'],
    [{name: 'TimeoutError', message: 'Request did not complete within 3000 ms'}, 'request timeout'],
    [{name: 'SlowDown', status: 503}, 'throttled'],
    [{name: 'Unknown', status: 429}, 'throttled'],
    [{name: 'InternalError', status: 500}, 'server error'],
    [{name: 'Unknown', status: 502}, 'server error'],
    [{name: 'RequestTimeTooSkewed', status: 403, skew: true}, 'clock skew'],
  ] as const)('%o is %s', (fields, kind) => {
    expect(failureKind(sdkError(fields))).toBe(kind);
  });

  it.each([
    {name: 'AccessDenied', status: 403},
    {name: 'NoSuchKey', status: 404},
    {name: 'PreconditionFailed', status: 412},
    {name: 'AbortError'},
    {name: 'InvalidAccessKeyId', status: 403},
  ])('%o is final', (fields) => {
    expect(failureKind(sdkError(fields))).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter over 100 ms x 2^n (500 ms when throttled), capped at 20 s', () => {
    expect(backoffMs(0, false, () => 0.999)).toBe(99);
    expect(backoffMs(3, false, () => 0.5)).toBe(400);
    expect(backoffMs(2, true, () => 0.5)).toBe(1000);
    expect(backoffMs(20, false, () => 0.999)).toBe(19_980);
    expect(backoffMs(5, false, () => 0)).toBe(0);
  });
});

describe('failed attempts travel with the error', () => {
  it('records the kinds and the attempt count', () => {
    const e = withFailures(sdkError({code: 'ECONNRESET'}), ['reset', 'reset', 'server error'], 3);
    expect(failuresOf(e)).toEqual(['reset', 'reset', 'server error']);
    expect((e as unknown as {$metadata: {attempts: number}}).$metadata.attempts).toBe(3);
    expect(failuresOf(new Error('plain'))).toEqual([]);
  });
});

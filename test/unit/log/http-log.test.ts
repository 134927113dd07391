import {describe, expect, it} from 'vitest';
import {formatRequest, redactHeader, redactQuery, wireRequest, wireResponse} from '../../../src/log/http-log.js';

describe('formatRequest', () => {
  it('writes method, operation, bucket, key, status, duration, request id and attempt', () => {
    const line = formatRequest({
      method: 'PUT',
      operation: 'PutObject',
      bucket: 'b',
      key: 'dir/f',
      status: 200,
      durationMs: 4.23,
      requestId: 'tx0000000000000001-0065',
      attempt: 1,
    });
    expect(line).toBe('PUT PutObject bucket=b key=dir/f status=200 4.2ms request-id=tx0000000000000001-0065 attempt=1');
  });

  it('leaves out what an operation does not have, and shows the prefix of listings', () => {
    expect(formatRequest({method: 'POST', operation: 'AssumeRole', status: 200, durationMs: 12, attempt: 2})).toBe(
      'POST AssumeRole status=200 12.0ms attempt=2',
    );
    expect(formatRequest({method: 'GET', operation: 'ListObjectsV2', bucket: 'b', prefix: 'a/', status: 200, durationMs: 1, attempt: 1})).toBe(
      'GET ListObjectsV2 bucket=b prefix=a/ status=200 1.0ms attempt=1',
    );
  });

  it('quotes keys with spaces, quotes or control characters, so that a line stays one line', () => {
    const line = formatRequest({method: 'GET', operation: 'GetObject', bucket: 'b', key: 'a b/"c"\nd', status: 404, durationMs: 1, attempt: 1});
    expect(line).toBe('GET GetObject bucket=b key="a b/\\"c\\"\\nd" status=404 1.0ms attempt=1');
    expect(formatRequest({method: 'GET', operation: 'GetObject', bucket: 'b', key: '', durationMs: 1, attempt: 1, status: 200})).toContain(' key="" ');
  });

  it('writes the error of an attempt that got no response, redacted', () => {
    const line = formatRequest({
      method: 'GET',
      operation: 'GetObject',
      bucket: 'b',
      key: 'k',
      error: 'socket hang up for http://h/b/k?X-Amz-Signature=abc123',
      durationMs: 30,
      attempt: 3,
    });
    expect(line).toBe('GET GetObject bucket=b key=k error="socket hang up for http://h/b/k?X-Amz-Signature=******" 30.0ms attempt=3');
  });
});

describe('redaction', () => {
  it('hides the values of signing query parameters, SigV4 and SigV2, whatever their case', () => {
    const url =
      '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261126%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20261126T100000Z&X-Amz-Expires=900&X-Amz-Security-Token=FwoGZXIvYXdzEJr&X-Amz-SignedHeaders=host' +
      '&x-amz-signature=0123456789abcdef&x-id=GetObject';
    expect(redactQuery(url)).toBe(
      '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=******' +
        '&X-Amz-Date=20261126T100000Z&X-Amz-Expires=900&X-Amz-Security-Token=******&X-Amz-SignedHeaders=host' +
        '&x-amz-signature=******&x-id=GetObject',
    );
    expect(redactQuery('https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKID&Expires=1700000000&Signature=vjbyPxybd%2BZo%3D')).toBe(
      'https://b.s3.amazonaws.com/k?AWSAccessKeyId=******&Expires=1700000000&Signature=******',
    );
    expect(redactQuery('Signature=abc')).toBe('Signature=******');
    expect(redactQuery('/b/k?prefix=Signature-notes&versionId=1')).toBe('/b/k?prefix=Signature-notes&versionId=1');
  });

  it('hides credential headers whatever their case, and only those', () => {
    for (const name of ['Authorization', 'authorization', 'X-Amz-Security-Token', 'x-amz-server-side-encryption-customer-key', 'Proxy-Authorization']) {
      expect(redactHeader(name, 'secret')).toBe('******');
    }
    expect(redactHeader('x-amz-content-sha256', 'UNSIGNED-PAYLOAD')).toBe('UNSIGNED-PAYLOAD');
    expect(redactHeader('x-amz-date', '20261126T100000Z')).toBe('20261126T100000Z');
  });
});

describe('wire lines', () => {
  it('show the request line and each header name and value, credentials redacted', () => {
    const lines = wireRequest('PUT', '/b/dir/f?x-id=PutObject', {
      host: '127.0.0.1:7480',
      'content-length': '5',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-security-token': 'FwoGZXIvYXdzEJr//session',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc',
      'user-agent': 'aws-sdk-js/3 ua/2.1 os/linux',
    });
    expect(lines).toEqual([
      '>> PUT /b/dir/f?x-id=PutObject',
      '>> host: 127.0.0.1:7480',
      '>> content-length: 5',
      '>> x-amz-content-sha256: UNSIGNED-PAYLOAD',
      '>> x-amz-security-token: ******',
      '>> authorization: ******',
      '>> user-agent: aws-sdk-js/3 ua/2.1 os/linux',
    ]);
  });

  it('redact presigned parameters in the request line and escape control characters', () => {
    expect(wireRequest('GET', '/b/k?Signature=s3cr3t&x=1', {'x-odd': 'a\r\nb'})).toEqual([
      '>> GET /b/k?Signature=******&x=1',
      '>> x-odd: a\\r\\nb',
    ]);
  });

  it('show the status, reason and response headers', () => {
    expect(wireResponse(200, 'OK', {'x-amz-request-id': 'tx01', 'set-cookie': 'session=1'})).toEqual([
      '<< 200 OK',
      '<< x-amz-request-id: tx01',
      '<< set-cookie: ******',
    ]);
    expect(wireResponse(404, undefined, {})).toEqual(['<< 404']);
  });
});

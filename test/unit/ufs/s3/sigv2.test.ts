import {Readable} from 'node:stream';

import {
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {describe, expect, it} from 'vitest';

import {useSignatureV2} from '../../../../src/ufs/s3/sigv2-hook.js';
import {applySignatureV2, signV2, stringToSignV2, type SigV2Request} from '../../../../src/ufs/s3/sigv2.js';

// AWS S3 developer guide, "Signing and authenticating REST requests" (examples with the bucket `johnsmith`).
const EXAMPLE = {accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'};
const ANY_DATE = new Date('2030-01-01T00:00:00Z'); // unused when the request has its own Date header

function get(path: string, date: string, query: SigV2Request['query'] = {}): SigV2Request {
  return {method: 'GET', path, query, headers: {Host: 'johnsmith.s3.amazonaws.com', Date: date}};
}

function signature(authorization: string): string {
  expect(authorization).toMatch(/^AWS AKIAIOSFODNN7EXAMPLE:/);
  return authorization.slice('AWS AKIAIOSFODNN7EXAMPLE:'.length);
}

describe('signV2: the AWS guide examples', () => {
  it('GET an object (path style and virtual-host style)', () => {
    const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
    expect(stringToSignV2(get('/johnsmith/photos/puppy.jpg', date), ANY_DATE)).toBe(
      'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg',
    );
    expect(signV2(get('/johnsmith/photos/puppy.jpg', date), EXAMPLE, ANY_DATE)).toBe(
      'AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=',
    );
    const virtualHost = signV2(get('/photos/puppy.jpg', date), EXAMPLE, ANY_DATE, {virtualHostBucket: 'johnsmith'});
    expect(signature(virtualHost)).toBe('bWq2s1WEIj+Ydj0vQ697zp+IXMU=');
  });

  it('PUT an object with a Content-Type', () => {
    const request: SigV2Request = {
      method: 'PUT',
      path: '/photos/puppy.jpg',
      query: {},
      headers: {
        'Content-Type': 'image/jpeg',
        'Content-Length': '94328',
        Host: 'johnsmith.s3.amazonaws.com',
        Date: 'Tue, 27 Mar 2007 21:15:45 +0000',
      },
    };
    expect(signature(signV2(request, EXAMPLE, ANY_DATE, {virtualHostBucket: 'johnsmith'}))).toBe(
      'MyyxeRY7whkBe+bq8fHCL/2kKUg=',
    );
  });

  it('list a bucket: prefix, max-keys and marker are not signed', () => {
    const date = 'Tue, 27 Mar 2007 19:42:41 +0000';
    const query = {prefix: 'photos', 'max-keys': '50', marker: 'puppy'};
    const request = {...get('/', date, query), headers: {...get('/', date).headers, 'User-Agent': 'Mozilla/5.0'}};
    expect(stringToSignV2(request, ANY_DATE, {virtualHostBucket: 'johnsmith'})).toBe(
      'GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/',
    );
    expect(signature(signV2(request, EXAMPLE, ANY_DATE, {virtualHostBucket: 'johnsmith'}))).toBe(
      'htDYFYduRNen8P9ZfE/s9SuKy0U=',
    );
    expect(signature(signV2(get('/johnsmith/', date, query), EXAMPLE, ANY_DATE))).toBe('htDYFYduRNen8P9ZfE/s9SuKy0U=');
  });

  it('GET a bucket ACL: ?acl is signed as a bare sub-resource', () => {
    const date = 'Tue, 27 Mar 2007 19:44:46 +0000';
    for (const acl of [null, '']) {
      expect(signature(signV2(get('/', date, {acl}), EXAMPLE, ANY_DATE, {virtualHostBucket: 'johnsmith'}))).toBe(
        'c2WLPFtWHVgbEmeEG93a4cG37dM=',
      );
      expect(signature(signV2(get('/johnsmith/', date, {acl}), EXAMPLE, ANY_DATE))).toBe('c2WLPFtWHVgbEmeEG93a4cG37dM=');
    }
  });

  it('PUT with x-amz-* headers, repeated metadata, Content-MD5, to a CNAME bucket', () => {
    const common = {
      'User-Agent': 'curl/7.15.5',
      Host: 'static.johnsmith.net:8080',
      Date: 'Tue, 27 Mar 2007 21:06:08 +0000',
      'x-amz-acl': 'public-read',
      'content-type': 'application/x-download',
      'Content-MD5': '4gJE4saaMU4BqNR0kLY+lw==',
      'X-Amz-Meta-FileChecksum': '0x02661779',
      'X-Amz-Meta-ChecksumAlgorithm': 'crc32',
      'Content-Disposition': 'attachment; filename=database.dat',
      'Content-Encoding': 'gzip',
      'Content-Length': '5913339',
    };
    const options = {virtualHostBucket: 'static.johnsmith.net'};
    // The repeated header as one comma-joined value, or as two differently-cased names: the same canonical line.
    const joined = {method: 'PUT', path: '/db-backup.dat.gz', query: {}, headers: {
      ...common,
      'X-Amz-Meta-ReviewedBy': 'joe@johnsmith.net,jane@johnsmith.net',
    }};
    const split = {...joined, headers: {
      ...common,
      'X-Amz-Meta-ReviewedBy': 'joe@johnsmith.net',
      'x-amz-meta-reviewedby': ' jane@johnsmith.net ',
    }};
    const expected =
      'PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n' +
      'x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n' +
      'x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz';
    expect(stringToSignV2(joined, ANY_DATE, options)).toBe(expected);
    expect(stringToSignV2(split, ANY_DATE, options)).toBe(expected);
    expect(signature(signV2(joined, EXAMPLE, ANY_DATE, options))).toBe('ilyl83RwaSoYIEdixDQcA4OnAnc=');
    expect(signature(signV2(split, EXAMPLE, ANY_DATE, options))).toBe('ilyl83RwaSoYIEdixDQcA4OnAnc=');
  });

  it('ListAllMyBuckets', () => {
    const request = {method: 'GET', path: '/', query: {}, headers: {Host: 's3.us-west-1.amazonaws.com', Date: 'Wed, 28 Mar 2007 01:29:59 +0000'}};
    expect(signature(signV2(request, EXAMPLE, ANY_DATE))).toBe('qGdzdERIC03wnaRNKh6OqZehG9s=');
  });

  it('a percent-encoded path is signed exactly as sent', () => {
    const request = {
      method: 'GET',
      path: '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re',
      query: {},
      headers: {Host: 's3.us-west-1.amazonaws.com', Date: 'Wed, 28 Mar 2007 01:49:49 +0000'},
    };
    expect(signature(signV2(request, EXAMPLE, ANY_DATE))).toBe('DNEZGsoieTZ92F3bUfSPQcbGmlM=');
  });

  it('query-string authentication: the Expires value takes the Date line', () => {
    const request = {method: 'GET', path: '/photos/puppy.jpg', query: {}, headers: {Date: '1175139620'}};
    expect(stringToSignV2(request, ANY_DATE, {virtualHostBucket: 'johnsmith'})).toBe(
      'GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg',
    );
    expect(signature(signV2(request, EXAMPLE, ANY_DATE, {virtualHostBucket: 'johnsmith'}))).toBe(
      'NpgCjnDzrM+WFzoENXmpNDUsSn8=',
    );
  });
});

describe('signV2: canonical resource and headers', () => {
  const date = new Date('2024-05-06T07:08:09Z');
  const dateLine = 'Mon, 06 May 2024 07:08:09 GMT';
  const toSign = (method: string, path: string, query: SigV2Request['query'], headers: Record<string, string> = {}) =>
    stringToSignV2({method, path, query, headers}, date);

  it('formats the given date when the request has no Date header', () => {
    expect(toSign('GET', '/b/k', {})).toBe(`GET\n\n\n${dateLine}\n/b/k`);
  });

  it('signs ?delete= and ?uploads= as bare names', () => {
    expect(toSign('POST', '/b', {delete: ''})).toBe(`POST\n\n\n${dateLine}\n/b?delete`);
    expect(toSign('POST', '/b/k', {uploads: ''})).toBe(`POST\n\n\n${dateLine}\n/b/k?uploads`);
    expect(toSign('POST', '/b/k', {uploads: null, 'x-id': 'CreateMultipartUpload'})).toBe(
      `POST\n\n\n${dateLine}\n/b/k?uploads`,
    );
  });

  it('signs partNumber and uploadId sorted, with decoded values', () => {
    expect(toSign('PUT', '/b/k', {uploadId: 'x', partNumber: '1', 'x-id': 'UploadPart'})).toBe(
      `PUT\n\n\n${dateLine}\n/b/k?partNumber=1&uploadId=x`,
    );
    expect(toSign('PUT', '/b/k', {uploadId: '2~a+b/c=d e', partNumber: '10'})).toBe(
      `PUT\n\n\n${dateLine}\n/b/k?partNumber=10&uploadId=2~a+b/c=d e`,
    );
  });

  it('leaves out x-id, list-type and listing parameters', () => {
    expect(toSign('GET', '/b/k', {'x-id': 'GetObject'})).toBe(`GET\n\n\n${dateLine}\n/b/k`);
    const listing = {'list-type': '2', prefix: 'a', delimiter: '/', 'max-keys': '10', 'continuation-token': 't', 'start-after': 's'};
    expect(toSign('GET', '/b', listing)).toBe(`GET\n\n\n${dateLine}\n/b`);
  });

  it('signs versionId, tagging and response-* overrides, values not encoded', () => {
    const query = {
      'response-content-disposition': 'attachment; filename="a b.txt"',
      'response-content-type': 'text/plain',
      versionId: 'v1',
      tagging: '',
      'x-id': 'GetObject',
    };
    expect(toSign('GET', '/b/k', query)).toBe(
      `GET\n\n\n${dateLine}\n/b/k?response-content-disposition=attachment; filename="a b.txt"` +
        '&response-content-type=text/plain&tagging&versionId=v1',
    );
  });

  it('signs every x-amz-* header (sorted, lower-cased, unfolded) and empties the Date line for x-amz-date', () => {
    const headers = {
      'X-Amz-Date': '20240506T070809Z',
      'x-amz-user-agent': 'aws-sdk-js/3',
      'x-amz-checksum-crc32': 'AAAAAA==',
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-meta-long': 'one\r\n  two',
      'Content-Type': 'text/plain',
      'User-Agent': 'not signed',
    };
    expect(toSign('put', '/b/k', {}, headers)).toBe(
      'PUT\n\ntext/plain\n\nx-amz-checksum-crc32:AAAAAA==\nx-amz-date:20240506T070809Z\nx-amz-meta-long:one two\n' +
        'x-amz-sdk-checksum-algorithm:CRC32\nx-amz-user-agent:aws-sdk-js/3\n/b/k',
    );
  });

  it('puts the bucket in front of a virtual-host path', () => {
    expect(stringToSignV2({method: 'GET', path: '/', query: {}, headers: {}}, date, {virtualHostBucket: 'b'})).toBe(
      `GET\n\n\n${dateLine}\n/b/`,
    );
    expect(stringToSignV2({method: 'GET', path: '/a%20b', query: {}, headers: {}}, date, {virtualHostBucket: 'b'})).toBe(
      `GET\n\n\n${dateLine}\n/b/a%20b`,
    );
  });

  it('signs the session token as x-amz-security-token', () => {
    const request = {method: 'GET', path: '/b/k', query: {}, headers: {}};
    const withToken = signV2(request, {...EXAMPLE, sessionToken: 'TOKEN'}, date);
    const explicit = signV2({...request, headers: {'x-amz-security-token': 'TOKEN'}}, EXAMPLE, date);
    expect(withToken).toBe(explicit);
    expect(withToken).not.toBe(signV2(request, EXAMPLE, date));
  });
});

describe('applySignatureV2', () => {
  it('drops V4 leftovers, sets date, authorization and the session token', () => {
    const date = new Date('2024-05-06T07:08:09Z');
    const request = {
      method: 'PUT',
      path: '/b/k',
      query: {},
      headers: {
        Authorization: 'AWS4-HMAC-SHA256 Credential=...',
        'X-Amz-Date': '20240506T070809Z',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        Date: 'old',
        'X-Amz-Security-Token': 'old',
        'content-type': 'text/plain',
      },
    };
    const credentials = {...EXAMPLE, sessionToken: 'TOKEN'};
    const headers = applySignatureV2(request, credentials, date);
    expect(headers).toEqual({
      'content-type': 'text/plain',
      'x-amz-security-token': 'TOKEN',
      date: 'Mon, 06 May 2024 07:08:09 GMT',
      authorization: signV2({...request, headers: {'content-type': 'text/plain'}}, credentials, date),
    });
    expect(stringToSignV2({...request, headers}, date)).toBe(
      'PUT\n\ntext/plain\nMon, 06 May 2024 07:08:09 GMT\nx-amz-security-token:TOKEN\n/b/k',
    );
    expect(request.headers.Authorization).toBe('AWS4-HMAC-SHA256 Credential=...'); // input untouched
  });
});

describe('useSignatureV2', () => {
  interface Sent {
    method: string;
    hostname: string;
    path: string;
    query: Record<string, string | string[] | null>;
    headers: Record<string, string>;
  }

  /** A client whose requests never leave the process: each one is recorded and answered from `reply`. */
  function recordingClient(options: {forcePathStyle?: boolean; sessionToken?: string; reply?: (request: Sent) => string} = {}) {
    const sent: Sent[] = [];
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: options.forcePathStyle === false ? 'http://s3.example.test' : 'http://127.0.0.1:9',
      forcePathStyle: options.forcePathStyle ?? true,
      credentials: {...EXAMPLE, sessionToken: options.sessionToken},
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        handle: async (request: Sent & {body?: unknown}) => {
          sent.push({method: request.method, hostname: request.hostname, path: request.path, query: {...request.query}, headers: {...request.headers}});
          const body = options.reply?.(request) ?? '';
          return {response: {statusCode: 200, headers: {date: new Date().toUTCString()}, body: Readable.from([Buffer.from(body)])}};
        },
      },
    });
    return {client: useSignatureV2(client), sent};
  }

  function expectV2Signed(request: Sent, options: {virtualHostBucket?: string} = {}) {
    expect(request.headers.authorization).toMatch(/^AWS AKIAIOSFODNN7EXAMPLE:[A-Za-z0-9+/]{27}=$/);
    const lower = Object.keys(request.headers).map((name) => name.toLowerCase());
    expect(lower).not.toContain('x-amz-date');
    expect(lower).not.toContain('x-amz-content-sha256');
    expect(request.headers.date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    // The signature is the one of the request as it left the client.
    expect(request.headers.authorization).toBe(signV2(request, EXAMPLE, new Date(0), options));
  }

  it('signs object, listing, bucket and multipart requests with V2, sub-resources included', async () => {
    const {client, sent} = recordingClient({
      reply: (request) =>
        request.query.uploads !== undefined
          ? '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u-1</UploadId></InitiateMultipartUploadResult>'
          : '',
    });
    await client.send(new PutObjectCommand({Bucket: 'b', Key: 'a b+c~(ü).txt', Body: 'hello', ContentType: 'text/plain'}));
    await client.send(new GetObjectCommand({Bucket: 'b', Key: 'k', Range: 'bytes=0-1', ResponseContentType: 'text/x'}));
    await client.send(new ListObjectsV2Command({Bucket: 'b', Prefix: 'a/', Delimiter: '/'}));
    await client.send(new ListBucketsCommand({}));
    await client.send(new CreateMultipartUploadCommand({Bucket: 'b', Key: 'k'}));
    await client.send(new UploadPartCommand({Bucket: 'b', Key: 'k', UploadId: 'u-1', PartNumber: 3, Body: Buffer.alloc(10)}));
    await client.send(new DeleteObjectsCommand({Bucket: 'b', Delete: {Objects: [{Key: 'k'}]}}));
    expect(sent).toHaveLength(7);
    for (const request of sent) expectV2Signed(request);

    const [put, getObject, list, buckets, create, part, del] = sent;
    expect(put.path).toBe('/b/a%20b%2Bc~%28%C3%BC%29.txt');
    expect(getObject.headers.range).toBe('bytes=0-1');
    const sts = (request: Sent) => stringToSignV2(request, new Date(0)).split('\n');
    expect(sts(getObject).at(-1)).toBe('/b/k?response-content-type=text/x');
    expect(list.query['list-type']).toBe('2');
    expect(sts(list).at(-1)).toBe('/b/');
    expect(sts(buckets).at(-1)).toBe('/');
    expect(sts(create).at(-1)).toBe('/b/k?uploads');
    expect(sts(part).at(-1)).toBe('/b/k?partNumber=3&uploadId=u-1');
    expect(sts(del).at(-1)).toBe('/b/?delete');
    expect(sts(del)).toContain('x-amz-sdk-checksum-algorithm:CRC32');
    expect(sts(put)).toEqual(expect.arrayContaining(['text/plain', expect.stringMatching(/^x-amz-user-agent:/)]));
  });

  it('signs virtual-host requests with the bucket in the resource', async () => {
    const {client, sent} = recordingClient({forcePathStyle: false});
    await client.send(new GetObjectCommand({Bucket: 'my-bucket', Key: 'dir/k'}));
    expect(sent[0].hostname).toBe('my-bucket.s3.example.test');
    expect(sent[0].path).toBe('/dir/k');
    expectV2Signed(sent[0], {virtualHostBucket: 'my-bucket'});
  });

  it('sends and signs the session token', async () => {
    const {client, sent} = recordingClient({sessionToken: 'TOKEN'});
    await client.send(new ListBucketsCommand({}));
    expect(sent[0].headers['x-amz-security-token']).toBe('TOKEN');
    expect(stringToSignV2(sent[0], new Date(0))).toContain('\nx-amz-security-token:TOKEN\n');
    expect(sent[0].headers.authorization).toBe(signV2(sent[0], {...EXAMPLE, sessionToken: 'TOKEN'}, new Date(0)));
  });

  it("dates requests with the client's clock-skew correction", async () => {
    const {client, sent} = recordingClient();
    client.config.systemClockOffset = 3_600_000;
    const before = Date.now();
    await client.send(new ListBucketsCommand({}));
    const sentDate = Date.parse(sent[0].headers.date);
    expect(sentDate).toBeGreaterThanOrEqual(Math.floor((before + 3_600_000) / 1000) * 1000);
    expect(sentDate).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it('refuses aws-chunked bodies with a clear message', async () => {
    const client = useSignatureV2(
      new S3Client({
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        forcePathStyle: true,
        credentials: EXAMPLE,
        requestHandler: {handle: async () => ({response: {statusCode: 200, headers: {}, body: Readable.from([])}})},
      }),
    );
    const body = Readable.from([Buffer.from('abc')]);
    await expect(
      client.send(new PutObjectCommand({Bucket: 'b', Key: 'k', Body: body, ContentLength: 3})),
    ).rejects.toThrow("create the S3 client with requestChecksumCalculation: 'WHEN_REQUIRED'");
  });

  it('is idempotent', () => {
    const {client} = recordingClient();
    useSignatureV2(client);
    expect(client.config.httpAuthSchemes.filter((scheme) => scheme.schemeId === 'aws.auth#sigv2')).toHaveLength(1);
  });
});

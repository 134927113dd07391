/**
 * Transient faults between us and radosgw, injected by a TCP-level proxy (test/helpers/fault-proxy.ts): uploads
 * (single PUT and multipart, from files and from streams) and downloads (single GET, ranged parallel download,
 * `fs cat`) survive connection resets with byte-identical results and no multipart upload left behind; a broken
 * download resumes from the byte it reached; a stalled store fails within the documented worst case, with one
 * message and no SDK noise.
 */
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {type FaultProxy, type ProxiedRequest, startFaultProxy} from '../../helpers/fault-proxy.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {type S3Fs, headObject, multipartUploads, openS3Fs, pattern, readFs, removeDir, s3Mount, tempDir, waitFor, writeFs} from '../../helpers/s3-fs.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';

guardSecrets();
afterAll(cleanupHomes);

const MB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A request on `key` (path-style) with this method and, when given, this query parameter (`name` or `name=value`). */
const on = (bucket: string, method: string, key: string, query?: string) => (r: ProxiedRequest) => {
  const [path, search = ''] = r.path.split('?');
  if (r.method !== method || decodeURIComponent(path!) !== `/${bucket}/${key}`) return false;
  if (query === undefined) return true;
  const [name, value] = query.split('=');
  const params = new URLSearchParams(search);
  return value === undefined ? params.has(name!) : params.get(name!) === value;
};

describe('uploads and downloads through a faulty connection', () => {
  let bucket: string;
  let proxy: FaultProxy;
  let t: S3Fs;
  let local: string;
  let staging: string;

  beforeAll(async () => {
    ({bucket} = await freshBucket('faults'));
    await putObjects(bucket, ['put/', 'parts/']);
    local = await tempDir('faults-local-');
    staging = await tempDir('faults-staging-');
    proxy = await startFaultProxy(s3Env().endpoint);
    t = await openS3Fs({conf: {'alluxio.underfs.object.store.multi.range.chunk.size': '1MB'}});
    await t.fs.mount('/mnt/put', `s3://${bucket}/put`, s3Mount({endpoint: proxy.url, options: {'alluxio.tmp.dirs': staging}}));
    await t.fs.mount(
      '/mnt/parts',
      `s3://${bucket}/parts`,
      s3Mount({
        endpoint: proxy.url,
        options: {
          'alluxio.tmp.dirs': staging,
          'alluxio.underfs.s3.streaming.upload.enabled': 'true',
          'alluxio.underfs.s3.streaming.upload.partition.size': '5MB',
        },
      }),
    );
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
    for (const dir of [local, staging]) await removeDir(dir);
  });

  const sent = (match: (r: ProxiedRequest) => boolean) => proxy.requests.filter(match);

  it('a single PUT from a file is sent again after a reset part way through its body', async () => {
    const data = pattern(3 * MB, 1);
    const file = join(local, 'single.bin');
    await writeFile(file, data);
    const put = on(bucket, 'PUT', 'put/single.bin');
    proxy.inject({match: put, fault: {resetRequestAfter: MB}});
    await t.fs.createFile('/mnt/put/single.bin', createReadStream(file), {length: data.length, recursive: false, writeType: 'THROUGH', sourceFile: file});
    expect(sent(put).map((r) => r.fault !== undefined)).toEqual([true, false]);
    expect(sha(await readFs(t.fs, '/mnt/put/single.bin'))).toBe(sha(data));
  });

  it('a single PUT from a stream (staged in a file) is sent again after a reset', async () => {
    const data = pattern(2 * MB, 2);
    const put = on(bucket, 'PUT', 'put/staged.bin');
    proxy.inject({match: put, fault: {resetRequestAfter: 512 * 1024}});
    await writeFs(t.fs, '/mnt/put/staged.bin', data);
    expect(sent(put).map((r) => r.fault !== undefined)).toEqual([true, false]);
    expect(sha(await readFs(t.fs, '/mnt/put/staged.bin'))).toBe(sha(data));
  });

  it('a multipart upload from a file sends a reset part again from its byte range; no upload is left', async () => {
    const data = pattern(12 * MB, 3);
    const file = join(local, 'parts.bin');
    await writeFile(file, data);
    const part2 = on(bucket, 'PUT', 'parts/file.bin', 'partNumber=2');
    proxy.inject({match: part2, fault: {resetRequestAfter: 2 * MB}});
    await t.fs.createFile('/mnt/parts/file.bin', createReadStream(file), {length: data.length, recursive: false, writeType: 'THROUGH', sourceFile: file});
    expect(sent(part2)).toHaveLength(2);
    expect((await headObject(bucket, 'parts/file.bin'))!.etag).toMatch(/-3"$/);
    expect(sha(await readFs(t.fs, '/mnt/parts/file.bin'))).toBe(sha(data));
    expect(await multipartUploads(bucket)).toEqual([]);
  });

  it('a streaming multipart upload sends a reset part again from its part file; no upload is left', async () => {
    const data = pattern(11 * MB, 4);
    const part1 = on(bucket, 'PUT', 'parts/stream.bin', 'partNumber=1');
    const complete = on(bucket, 'POST', 'parts/stream.bin', 'uploadId');
    proxy.inject({match: part1, fault: {resetRequestAfter: MB}});
    proxy.inject({match: complete, fault: {delayMs: 200}});
    await writeFs(t.fs, '/mnt/parts/stream.bin', data);
    expect(sent(part1)).toHaveLength(2);
    expect(sha(await readFs(t.fs, '/mnt/parts/stream.bin'))).toBe(sha(data));
    expect(await multipartUploads(bucket)).toEqual([]);
  });

  describe('a CompleteMultipartUpload answered NoSuchUpload', () => {
    // radosgw answers a repeated Complete with 200; AWS S3 may say NoSuchUpload, which the proxy says for it.
    const noSuchUpload = {
      status: 404,
      headers: {'content-type': 'application/xml'},
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message></Message></Error>',
    };
    const upload = async (name: string, seed: number) => {
      const data = pattern(11 * MB, seed);
      const file = join(local, name);
      await writeFile(file, data);
      const write = t.fs.createFile(`/mnt/parts/${name}`, createReadStream(file), {length: data.length, recursive: false, writeType: 'THROUGH', sourceFile: file});
      return {data, write};
    };

    it('after its first answer was lost (S3 completed it) succeeds: the object is there, whole', async () => {
      const complete = on(bucket, 'POST', 'parts/lost-complete.bin', 'uploadId');
      proxy.inject({match: complete, fault: {resetResponseAfter: 0}});
      proxy.inject({match: complete, fault: {respond: noSuchUpload}});
      const {data, write} = await upload('lost-complete.bin', 11);
      await write;
      expect(sent(complete).map((r) => [r.fault !== undefined, r.status])).toEqual([[true, 200], [true, 404]]);
      expect((await headObject(bucket, 'parts/lost-complete.bin'))!.etag).toMatch(/-3"$/);
      expect(sha(await readFs(t.fs, '/mnt/parts/lost-complete.bin'))).toBe(sha(data));
      expect(await multipartUploads(bucket)).toEqual([]);
    });

    it('at its first attempt fails the write, leaving no object and no upload', async () => {
      const complete = on(bucket, 'POST', 'parts/no-upload.bin', 'uploadId');
      proxy.inject({match: complete, fault: {respond: noSuchUpload}});
      const {write} = await upload('no-upload.bin', 12);
      await expect(write).rejects.toThrow(`s3://${bucket}/parts/no-upload.bin`);
      expect(sent(complete)).toHaveLength(1);
      expect(await headObject(bucket, 'parts/no-upload.bin')).toBeUndefined();
      expect(await multipartUploads(bucket)).toEqual([]);
    });
  });

  it('a GET cut by a reset resumes from the byte it reached, pinned to the ETag', async () => {
    const data = pattern(6 * MB, 5);
    await putObjects(bucket, {'put/download.bin': data});
    const get = on(bucket, 'GET', 'put/download.bin');
    proxy.inject({match: get, fault: {resetResponseAfter: 2 * MB + 12_345}});
    expect(sha(await readFs(t.fs, '/mnt/put/download.bin'))).toBe(sha(data));
    const [first, second, ...more] = sent(get);
    expect(more).toEqual([]);
    expect(first!.headers.range).toBeUndefined();
    expect(first!.responseBytes).toBe(2 * MB + 12_345);
    expect(second!.headers.range).toBe(`bytes=${2 * MB + 12_345}-`);
    expect(second!.headers['if-match']).toBe((await headObject(bucket, 'put/download.bin'))!.etag);
  });

  it('a ranged parallel download resumes the range that broke, inside that range', async () => {
    const data = pattern(4 * MB + 100, 6);
    await putObjects(bucket, {'put/ranges.bin': data});
    const get = on(bucket, 'GET', 'put/ranges.bin');
    proxy.inject({match: (r) => get(r) && r.headers.range === `bytes=${MB}-${2 * MB - 1}`, fault: {resetResponseAfter: 300_000}});
    const dest = join(local, 'ranges.bin');
    await t.fs.readToFile('/mnt/put/ranges.bin', dest, 'NO_CACHE');
    expect(sha(await readFile(dest))).toBe(sha(data));
    expect(sent(get).map((r) => r.headers.range).sort()).toEqual(
      [`bytes=0-${MB - 1}`, `bytes=${MB}-${2 * MB - 1}`, `bytes=${MB + 300_000}-${2 * MB - 1}`, `bytes=${2 * MB}-${3 * MB - 1}`, `bytes=${3 * MB}-${4 * MB - 1}`, `bytes=${4 * MB}-${4 * MB + 99}`].sort(),
    );
  });

  it('a range whose body breaks after its last byte is complete: no further GET', async () => {
    const data = pattern(2 * MB + 10, 9);
    await putObjects(bucket, {'put/whole-range.bin': data});
    const get = on(bucket, 'GET', 'put/whole-range.bin');
    proxy.inject({match: (r) => get(r) && r.headers.range === `bytes=0-${MB - 1}`, fault: {resetChunkedResponseAfter: MB}});
    const dest = join(local, 'whole-range.bin');
    await t.fs.readToFile('/mnt/put/whole-range.bin', dest, 'NO_CACHE');
    expect(sha(await readFile(dest))).toBe(sha(data));
    expect(sent(get).map((r) => r.headers.range).sort()).toEqual([`bytes=0-${MB - 1}`, `bytes=${MB}-${2 * MB - 1}`, `bytes=${2 * MB}-${2 * MB + 9}`]);
  });

  it('a resumed GET answered with the whole object (Range ignored) fails with one line, repeating no byte', async () => {
    const data = pattern(3 * MB, 10);
    await putObjects(bucket, {'put/ignored.bin': data});
    const get = on(bucket, 'GET', 'put/ignored.bin');
    proxy.inject({match: get, fault: {resetResponseAfter: MB}});
    proxy.inject({match: get, fault: {replay: () => sent(get)[0]!}});
    const received: Buffer[] = [];
    const error = await (async () => {
      for await (const chunk of (await t.fs.open('/mnt/put/ignored.bin', 'NO_CACHE')).stream) received.push(chunk as Buffer);
    })().then(() => undefined, (e: unknown) => e as Error & {hint?: string});
    expect(error?.message).toBe(
      `Failed to resume reading s3://${bucket}/put/ignored.bin at byte ${MB}: the server ignored the Range or If-Match of the request (HTTP 200 with the whole object)`,
    );
    expect(error?.hint).toMatch(/proxy/);
    expect(Buffer.concat(received).equals(data.subarray(0, MB))).toBe(true);
    expect(sent(get).map((r) => [r.headers.range, r.status])).toEqual([[undefined, 200], [`bytes=${MB}-`, 200]]);
  });

  it('a download destroyed before its first read gives its connection up', async () => {
    // Bigger than what the socket buffers hold: the response cannot finish unless it is read or its socket closed.
    await putObjects(bucket, {'put/unread.bin': pattern(16 * MB, 13)});
    const get = on(bucket, 'GET', 'put/unread.bin');
    const {stream} = await t.fs.open('/mnt/put/unread.bin', 'NO_CACHE');
    stream.destroy();
    await waitFor(() => sent(get)[0]?.closedEarly === true, 5000, 'the GET connection to close');
  });

  it('a read whose every attempt is reset fails after max.error.retry + 1 attempts, saying so', async () => {
    const data = pattern(3 * MB, 7);
    await putObjects(bucket, {'put/broken.bin': data});
    const get = on(bucket, 'GET', 'put/broken.bin');
    proxy.inject({match: get, fault: {resetResponseAfter: 0}, times: Infinity});
    try {
      const error = await readFs(t.fs, '/mnt/put/broken.bin').then(() => undefined, (e: unknown) => e as Error & {hint?: string});
      expect(error?.message).toBe(`Failed to read s3://${bucket}/put/broken.bin: the connection was reset 3 times (GetObject)`);
      expect(error?.hint).toContain('alluxio.underfs.s3.max.error.retry sets the retries (now 2)');
      expect(sent(get)).toHaveLength(3);
    } finally {
      proxy.heal();
    }
  });
});

describe('the CLI through a faulty connection', () => {
  let bucket: string;
  let proxy: FaultProxy;
  let home: Home;
  const data = pattern(5 * MB, 8);
  const SOCKET_S = 2;
  const REQUEST_S = 3;

  beforeAll(async () => {
    ({bucket} = await freshBucket('faults-cli'));
    await putObjects(bucket, {'data/': '', 'data/file.bin': data});
    proxy = await startFaultProxy(s3Env().endpoint);
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(
      await home.run([
        'fs', 'mount', '/mnt/s3', `s3://${bucket}/data`,
        '--option', `alluxio.underfs.s3.endpoint=${proxy.url}`,
        '--option', `alluxio.underfs.s3.socket.timeout=${SOCKET_S}s`,
        '--option', `alluxio.underfs.s3.request.timeout=${REQUEST_S}s`,
      ]),
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('fs cat writes every byte once when its GET is reset part way', async () => {
    const get = on(bucket, 'GET', 'data/file.bin');
    proxy.inject({match: get, fault: {resetResponseAfter: MB + 7}});
    const r = await home.run(['fs', 'cat', '/mnt/s3/file.bin']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sha(r.stdoutBytes)).toBe(sha(data));
    expect(proxy.requests.filter(get).map((q) => q.headers.range)).toEqual([undefined, `bytes=${MB + 7}-`]);
  });

  it('a stalled store fails within attempts × timeout + backoff, with one message and no SDK warning', async () => {
    // Idle timers under 6 s are armed at once: an attempt ends after socket.timeout (2 s) before request.timeout
    // (3 s). Worst case: 3 attempts × 3 s + backoff (100 + 200 ms), plus the CLI's start.
    proxy.inject({match: () => true, fault: {stall: true}, times: Infinity});
    try {
      const started = Date.now();
      const r = await home.run(['fs', 'cat', '/mnt/s3/file.bin']);
      const seconds = (Date.now() - started) / 1000;
      expect(r.code).toBe(255);
      expect(lines(r.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^Failed to [a-z ]+ s3://${bucket}/data/file\\.bin: no data for ${SOCKET_S} s, 3 times \\((HeadObject|GetObject)\\)$`)),
        expect.stringMatching(/^Hint: The store stopped sending or receiving: .*alluxio\.underfs\.s3\.socket\.timeout.*retries \(now 2\)\.$/),
      ]);
      expect(r.stdout).toBe('');
      expect(seconds).toBeLessThan(3 * REQUEST_S + 0.3 + 10);
    } finally {
      proxy.heal();
    }
  });
});

describe('a credential_process that never answers', () => {
  it('fails the command after request.timeout with one message, and the command ends', async () => {
    const {bucket} = await freshBucket('faults-creds');
    const dir = await tempDir('faults-creds-');
    try {
      const profiles = join(dir, 'credentials');
      await writeFile(profiles, '[default]\ncredential_process = sleep 1000\n');
      const home = s3Home({site: {'alluxio.underfs.s3.request.timeout': '1s'}, env: {AWS_SHARED_CREDENTIALS_FILE: profiles, AWS_CONFIG_FILE: join(dir, 'none')}});
      expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
      const r = await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/`], {timeoutMs: 30_000});
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(255);
      expect(lines(r.stderr)).toEqual([
        'The credential_process of AWS profile default (sleep) did not answer within 1 s',
        'Hint: Run the credential_process of profile default by hand to see why it hangs; alluxio.underfs.s3.request.timeout sets how long it may take.',
      ]);
    } finally {
      await removeDir(dir);
      await emptyAndDeleteBucket(bucket);
    }
  });
});

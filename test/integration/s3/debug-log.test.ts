/**
 * HTTP debug logging against radosgw, as the S3 guide turns it on with log4j keys: `com.amazonaws.request=DEBUG`
 * writes one line per HTTP attempt to the user log file, `org.apache.http.wire=DEBUG` adds the headers (redacted),
 * and `--debug` copies the lines to stderr. Requests go through a small proxy that records what went on the wire
 * (signatures, session tokens, request ids) and can answer 503 once; every log file, CLI output and warning is
 * then scanned for the secret keys, session secrets, signatures and tokens of the run.
 */
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {createS3UnderFileSystem} from '../../../src/ufs/s3/index.js';
import type {S3UnderFileSystem} from '../../../src/ufs/s3/s3-ufs.js';
import {type Home, type RunResult, cleanupHomes, describeResult} from '../../helpers/cli.js';
import {allSecrets, guardSecrets, registerSecret, s3Home} from '../../helpers/s3-cli.js';
import {collect, s3Options} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';

guardSecrets();
afterAll(cleanupHomes);

// ---------------------------------------------------------------------------------------------------------------
// A proxy that records each exchange and registers every signature and session token it sees as a secret

interface Exchange {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  status?: number;
  requestId?: string;
}

interface Proxy {
  url: string;
  readonly seen: Exchange[];
  /** Answers the next request matching `when` with a 503 of its own, once. */
  failOnce(when: (e: Exchange) => boolean): void;
  close(): Promise<void>;
}

/** Authorization headers whose signature could not be told apart (their count must stay 0). */
let unparsedAuthorizations = 0;

function registerWireSecrets(headers: http.IncomingHttpHeaders): void {
  const authorization = headers.authorization;
  if (authorization) {
    registerSecret(authorization);
    // SigV4 `Signature=<hex>`, SigV2 `AWS <key id>:<signature>`
    const signature = /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? /^AWS [^:]+:(\S+)$/.exec(authorization)?.[1];
    if (signature) registerSecret(signature);
    else unparsedAuthorizations++;
  }
  const token = headers['x-amz-security-token'];
  if (typeof token === 'string') registerSecret(token);
}

async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  const seen: Exchange[] = [];
  const agent = new http.Agent({keepAlive: true});
  const sockets = new Set<Socket>();
  let failing: ((e: Exchange) => boolean) | undefined;
  const server = http.createServer((req, res) => {
    const exchange: Exchange = {method: req.method ?? '', path: req.url ?? '/', headers: req.headers};
    seen.push(exchange);
    registerWireSecrets(req.headers);
    if (failing?.(exchange)) {
      failing = undefined;
      exchange.status = 503;
      exchange.requestId = `injected-503-${seen.length}`;
      req.resume();
      req.on('end', () => res.writeHead(503, {'x-amz-request-id': exchange.requestId, 'content-length': '0'}).end());
      return;
    }
    const out = http.request(
      {host: upstream.hostname, port: upstream.port, method: req.method, path: exchange.path, headers: req.headers, agent},
      (answer) => {
        exchange.status = answer.statusCode;
        const id = answer.headers['x-amz-request-id'];
        if (typeof id === 'string') exchange.requestId = id;
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    failOnce(when) {
      failing = when;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Log lines

const STAMP = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`;
const REQUEST_LINE = new RegExp(
  String.raw`^${STAMP} DEBUG request - ([A-Z]+) (\w+)(?: bucket=(\S+))?(?: key=(\S+))?(?: prefix=(\S+))? ` +
    String.raw`status=(\d{3}) (\d+\.\d)ms request-id=(\S+) attempt=(\d+)$`,
);
const WIRE_LINE = new RegExp(String.raw`^${STAMP} DEBUG wire - (>>|<<) (.*)$`);

interface RequestLine {
  method: string;
  operation: string;
  bucket?: string;
  key?: string;
  prefix?: string;
  status: number;
  requestId: string;
  attempt: number;
}

function parseRequest(line: string): RequestLine | undefined {
  const m = REQUEST_LINE.exec(line);
  if (!m) return undefined;
  return {
    method: m[1]!,
    operation: m[2]!,
    ...(m[3] === undefined ? {} : {bucket: m[3]}),
    ...(m[4] === undefined ? {} : {key: m[4]}),
    ...(m[5] === undefined ? {} : {prefix: m[5]}),
    status: Number(m[6]),
    requestId: m[8]!,
    attempt: Number(m[9]),
  };
}

const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');
const requestLines = (text: string) => linesOf(text).filter((line) => / DEBUG request - /.test(line));

// ---------------------------------------------------------------------------------------------------------------
// Secrets in files and in-process outputs

/** Folders whose every file (the log files) is scanned for secrets after each test. */
const scannedDirs: string[] = [];
/** Temporary folders of the in-process mounts, removed at the end. */
const tempDirs: string[] = [];
/** Warnings of the in-process UFSes, scanned with the files. */
const warnings: string[] = [];
let scannedFiles = 0;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

function expectNoSecrets(text: string, where: string): void {
  allSecrets().forEach((secret, i) => expect(text.includes(secret), `secret #${i} in ${where}`).toBe(false));
}

afterEach(() => {
  expect(unparsedAuthorizations, 'Authorization headers without a recognisable signature').toBe(0);
  for (const file of scannedDirs.flatMap(filesUnder)) {
    expectNoSecrets(readFileSync(file, 'utf8'), file);
    scannedFiles++;
  }
  expectNoSecrets(warnings.join('\n'), 'the warnings');
});

afterAll(() => {
  expect(scannedFiles, 'log files scanned').toBeGreaterThan(0);
  for (const dir of tempDirs) rmSync(dir, {recursive: true, force: true});
});

// ---------------------------------------------------------------------------------------------------------------

const env = s3Env();
let bucket: string;
let proxy: Proxy;

beforeAll(async () => {
  ({bucket} = await freshBucket('debug-log'));
  await putObjects(bucket, {'dir/': '', 'dir/seed.txt': 'seed', 'cli/': '', 'cli/a.txt': 'a'});
  proxy = await startProxy(env.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await emptyAndDeleteBucket(bucket);
});

describe('in-process S3 UFS', () => {
  const ufses: S3UnderFileSystem[] = [];
  let dir: string;

  afterEach(async () => {
    for (const ufs of ufses.splice(0)) await ufs.close();
  });

  /** A mount through the proxy whose logs go to a fresh folder; `log4j` goes to the file -Dlog4j.configuration names. */
  async function mount(options: {log4j?: string; properties?: Record<string, string>; mountOptions?: Record<string, string>} = {}) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'debug-log-ufs-'));
    tempDirs.push(dir);
    scannedDirs.push(dir);
    const conf = new Configuration();
    conf.set('alluxio.conf.dir', path.join(dir, 'conf'));
    conf.set('alluxio.logs.dir', path.join(dir, 'logs'));
    conf.set('alluxio.security.login.username', 'debuglog');
    if (options.log4j !== undefined) {
      writeFileSync(path.join(dir, 'log4j.properties'), options.log4j);
      conf.set('log4j.configuration', `file:${path.join(dir, 'log4j.properties')}`, 'SYSTEM_PROPERTY');
    }
    for (const [key, value] of Object.entries(options.properties ?? {})) conf.set(key, value, 'SYSTEM_PROPERTY');
    const mountConf = conf.withMountOptions(s3Options({endpoint: proxy.url, options: options.mountOptions}), '/mnt/s3');
    const ufs = await createS3UnderFileSystem(`s3://${bucket}/`, mountConf, {
      readOnly: false,
      triple: {owner: '', group: '', mode: 0o700},
      warn: (w) => warnings.push(w),
    });
    ufses.push(ufs);
    return ufs;
  }

  const logText = () => {
    const file = path.join(dir, 'logs', 'user', 'user_debuglog.log');
    return statSync(file, {throwIfNoEntry: false}) ? readFileSync(file, 'utf8') : '';
  };

  async function workout(ufs: S3UnderFileSystem, name: string): Promise<void> {
    const out = await ufs.create(`s3://${bucket}/dir/${name}`, {createParent: true});
    await new Promise<void>((resolve, reject) => out.end('logged', (err?: Error | null) => (err ? reject(err) : resolve())));
    const chunks: Buffer[] = [];
    for await (const chunk of await ufs.open(`s3://${bucket}/dir/seed.txt`)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('seed');
    await collect(ufs.listStatus(`s3://${bucket}/dir`, {recursive: false}));
    expect(await ufs.deleteFile(`s3://${bucket}/dir/${name}`)).toBe(true);
  }

  it('writes nothing and makes no log folder when no logger is at DEBUG', async () => {
    const ufs = await mount({log4j: 'log4j.rootLogger=INFO\nlog4j.logger.com.amazonaws=WARN\n'});
    await workout(ufs, 'quiet.txt');
    expect(statSync(path.join(dir, 'logs'), {throwIfNoEntry: false})).toBeUndefined();
  });

  it('com.amazonaws.request=DEBUG: one line per request with method, operation, bucket, key, status, duration, id, attempt', async () => {
    proxy.seen.length = 0;
    const ufs = await mount({log4j: 'log4j.logger.com.amazonaws=WARN\nlog4j.logger.com.amazonaws.request=DEBUG\n'});
    await workout(ufs, 'f.txt');
    const text = logText();
    const lines = linesOf(text);
    expect(lines.length).toBe(proxy.seen.length);
    for (const line of lines) expect(line, text).toMatch(REQUEST_LINE);
    const logged = lines.map((line) => parseRequest(line)!);
    // The same requests, in the same order, with the ids radosgw gave them.
    expect(logged.map((r) => [r.method, r.status, r.requestId])).toEqual(proxy.seen.map((e) => [e.method, e.status, e.requestId]));
    expect(logged.every((r) => r.bucket === bucket && r.attempt === 1 && /^tx/.test(r.requestId))).toBe(true);
    const summary = logged.map((r) => `${r.method} ${r.operation} ${r.key ?? ''}${r.prefix ? `prefix=${r.prefix}` : ''} ${r.status}`);
    expect(summary).toContain('PUT PutObject dir/f.txt 200');
    expect(summary).toContain('GET GetObject dir/seed.txt 200');
    expect(summary).toContain('GET ListObjectsV2 prefix=dir/ 200');
    expect(summary).toContain('DELETE DeleteObject dir/f.txt 204');
    expect(text).not.toMatch(/ wire - /);
  });

  it('counts retries: a 503 answer is logged as attempt 1, its retry as attempt 2', async () => {
    const ufs = await mount({properties: {'log4j.logger.com.amazonaws.request': 'DEBUG'}});
    proxy.failOnce((e) => e.method === 'HEAD' && e.path.startsWith(`/${bucket}/dir/seed.txt`));
    expect((await ufs.getStatus(`s3://${bucket}/dir/seed.txt`))?.length).toBe(4);
    const heads = linesOf(logText())
      .map((line) => parseRequest(line)!)
      .filter((r) => r.operation === 'HeadObject' && r.key === 'dir/seed.txt');
    expect(heads.map((r) => [r.status, r.attempt])).toEqual([
      [503, 1],
      [200, 2],
    ]);
    expect(heads[0]!.requestId).toMatch(/^injected-503-/);
  });

  it('org.apache.http.wire=DEBUG: request and response headers by name and value, credentials as ******', async () => {
    proxy.seen.length = 0;
    const ufs = await mount({
      log4j: 'log4j.logger.com.amazonaws.request=DEBUG, FILE\nlog4j.logger.org.apache.http.wire=DEBUG\n',
    });
    await workout(ufs, 'wire.txt');
    const text = logText();
    for (const line of linesOf(text)) expect(line).toMatch(new RegExp(`${REQUEST_LINE.source}|${WIRE_LINE.source}`));
    const wire = linesOf(text)
      .map((line) => WIRE_LINE.exec(line))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]}`);
    const put = proxy.seen.find((e) => e.method === 'PUT')!;
    expect(wire).toContain(`>> PUT ${put.path}`);
    expect(wire).toContain('>> authorization: ******');
    expect(wire).toContain(`>> x-amz-date: ${String(put.headers['x-amz-date'])}`);
    expect(wire).toContain(`>> x-amz-content-sha256: ${String(put.headers['x-amz-content-sha256'])}`);
    expect(wire).toContain('<< 200 OK');
    expect(wire).toContain(`<< x-amz-request-id: ${put.requestId}`);
    expect(wire.filter((l) => l.startsWith('>> authorization:')).length).toBe(proxy.seen.length);
    expect(wire.filter((l) => /^>> (GET|PUT|HEAD|POST|DELETE) /.test(l)).length).toBe(proxy.seen.length);
  });

  it('Signature V2: the AWS <key>:<signature> header is redacted as a whole', async () => {
    proxy.seen.length = 0;
    const ufs = await mount({
      properties: {'log4j.logger.org.apache.http.wire': 'DEBUG'},
      mountOptions: {'alluxio.underfs.s3.signer.algorithm': 'S3SignerType'},
    });
    await workout(ufs, 'v2.txt');
    expect(proxy.seen.every((e) => /^AWS /.test(e.headers.authorization ?? ''))).toBe(true);
    const text = logText();
    expect(text).toMatch(/ DEBUG wire - >> authorization: \*{6}$/m);
    expect(requestLines(text)).toEqual([]);
  });
});

describe('bin/alluxio', () => {
  let home: Home;

  beforeAll(() => {
    home = s3Home({keys: 1, site: {'alluxio.underfs.s3.endpoint': proxy.url}});
    scannedDirs.push(path.join(home.dir, 'logs'));
  });

  const logFile = () => path.join(home.dir, 'logs', 'user', `user_${os.userInfo().username}.log`);
  const logText = () => (statSync(logFile(), {throwIfNoEntry: false}) ? readFileSync(logFile(), 'utf8') : '');

  function expectOk(r: RunResult): void {
    expect(r.code, describeResult(r)).toBe(0);
  }

  it('--debug on any command: each request on stderr, the same lines in the log file', async () => {
    const mounted = await home.run(['fs', 'mount', '--debug', '/s3', `s3://${bucket}/cli`]);
    expectOk(mounted);
    const listed = await home.run(['fs', 'ls', '/s3', '--debug']);
    expectOk(listed);
    expect(listed.stdout).toMatch(/\/s3\/a\.txt\n$/);
    const stderrLines = [...requestLines(mounted.stderr), ...requestLines(listed.stderr)];
    expect(requestLines(listed.stderr).length).toBeGreaterThan(0);
    for (const line of stderrLines) expect(line, describeResult(listed)).toMatch(REQUEST_LINE);
    expect(requestLines(listed.stderr).map((line) => parseRequest(line)!.operation)).toContain('ListObjectsV2');
    expect(linesOf(logText())).toEqual(stderrLines);
  });

  it('without --debug or a DEBUG logger: nothing on stderr, nothing logged', async () => {
    const before = logText();
    const r = await home.run(['fs', 'ls', '/s3']);
    expectOk(r);
    expect(r.stderr).toBe('');
    expect(logText()).toBe(before);
  });

  it('conf/log4j.properties: request lines in the log file only; -D...wire=DEBUG --debug: headers on stderr, redacted', async () => {
    writeFileSync(path.join(home.confDir, 'log4j.properties'), 'log4j.logger.com.amazonaws.request=DEBUG\n');
    const before = linesOf(logText()).length;
    const quiet = await home.run(['fs', 'ls', '/s3']);
    expectOk(quiet);
    expect(quiet.stderr).toBe('');
    const added = linesOf(logText()).slice(before);
    expect(added.length).toBeGreaterThan(0);
    for (const line of added) expect(line).toMatch(REQUEST_LINE);

    const wire = await home.run(['fs', '-Dlog4j.logger.org.apache.http.wire=DEBUG', 'ls', '--debug', '/s3']);
    expectOk(wire);
    expect(wire.stderr).toMatch(/ DEBUG wire - >> GET \/[^\n]*list-type=2/);
    expect(wire.stderr).toMatch(/ DEBUG wire - >> authorization: \*{6}\n/);
    expect(wire.stderr).toMatch(/ DEBUG wire - << 200 OK\n/);
    expect(wire.stderr).toMatch(/ DEBUG wire - << x-amz-request-id: tx\S+\n/);
    for (const line of linesOf(wire.stderr)) expect(line).toMatch(new RegExp(`${REQUEST_LINE.source}|${WIRE_LINE.source}`));
  });

  it('temporary credentials (AWS_SESSION_TOKEN): the x-amz-security-token header is redacted', async () => {
    const sts = new STSClient({
      endpoint: env.stsEndpoint,
      region: env.region,
      credentials: {accessKeyId: env.accessKey, secretAccessKey: env.secretKey},
      maxAttempts: 1,
    });
    const {Credentials: temporary} = await sts.send(
      new AssumeRoleCommand({RoleArn: env.roleArn, RoleSessionName: 'debug-log-test', DurationSeconds: 900}),
    );
    sts.destroy();
    registerSecret(temporary!.SecretAccessKey!);
    registerSecret(temporary!.SessionToken!);
    const stsProxy = await startProxy(env.stsEndpoint);
    try {
      const session = s3Home({
        site: {'alluxio.underfs.s3.endpoint': stsProxy.url},
        env: {
          AWS_ACCESS_KEY_ID: temporary!.AccessKeyId!,
          AWS_SECRET_ACCESS_KEY: temporary!.SecretAccessKey!,
          AWS_SESSION_TOKEN: temporary!.SessionToken!,
        },
      });
      scannedDirs.push(path.join(session.dir, 'logs'));
      const r = await session.run([
        'fs',
        '-Dlog4j.logger.org.apache.http.wire=DEBUG',
        'mount',
        '--debug',
        '--readonly',
        '/s3',
        `s3://${bucket}/cli`,
      ]);
      expectOk(r);
      expect(stsProxy.seen.length).toBeGreaterThan(0);
      expect(stsProxy.seen.every((e) => e.headers['x-amz-security-token'] === temporary!.SessionToken)).toBe(true);
      const tokenLines = linesOf(r.stderr).filter((line) => / DEBUG wire - >> x-amz-security-token: /.test(line));
      expect(tokenLines.length).toBe(stsProxy.seen.length);
      for (const line of tokenLines) expect(line).toMatch(/: \*{6}$/);
    } finally {
      await stsProxy.close();
    }
  });
});

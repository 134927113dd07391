import http from 'node:http';
import type {AddressInfo, LookupFunction, Socket} from 'node:net';
import {HeadBucketCommand, S3Client, type S3ClientConfig} from '@aws-sdk/client-s3';
import {afterEach, describe, expect, it} from 'vitest';
import {Configuration} from '../../../../src/conf/configuration.js';
import {buildS3ClientConfig, sseEnabled} from '../../../../src/ufs/s3/client-config.js';
import {resolveCredentials, type ResolvedCredentials} from '../../../../src/ufs/s3/credentials.js';

const SECRET = 'CLIENTSECRETxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const env = {AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent'};

function conf(values: Record<string, string> = {}): Configuration {
  const base = new Configuration();
  base.set('s3a.accessKeyId', 'AKIACLIENT0000000001', 'SITE_PROPERTY', '/site');
  base.set('s3a.secretKey', SECRET, 'SITE_PROPERTY', '/site');
  return base.withMountOptions(values, '/mnt/s3');
}

async function build(values: Record<string, string> = {}, dnsLookup?: LookupFunction) {
  const c = conf(values);
  const credentials: ResolvedCredentials = await resolveCredentials(c, {env});
  return buildS3ClientConfig(c, credentials, dnsLookup ? {dnsLookup} : {});
}

const servers: http.Server[] = [];
const clients: S3Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A stub server on a free loopback port. */
async function serve(handler: http.RequestListener): Promise<{server: http.Server; port: number}> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, port: (server.address() as AddressInfo).port};
}

function client(config: S3ClientConfig): S3Client {
  const created = new S3Client(config);
  clients.push(created);
  return created;
}

const toLoopback: LookupFunction = (_host, options, callback) => {
  if (options.all) callback(null, [{address: '127.0.0.1', family: 4}]);
  else callback(null, '127.0.0.1', 4);
};

describe('defaults', () => {
  it('maps Alluxio defaults: us-east-1 with region redirects, virtual hosts, WHEN_REQUIRED checksums', async () => {
    const {config, summary, warnings} = await build();
    expect(config).toMatchObject({
      region: 'us-east-1',
      followRegionRedirects: true,
      forcePathStyle: false,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    expect(config.endpoint).toBeUndefined();
    expect(config.maxAttempts).toBe(3);
    expect(warnings).toEqual([]);
    expect(summary).toEqual({
      endpoint: {value: 'https://s3.us-east-1.amazonaws.com', source: 'AWS, chosen by the SDK (alluxio.underfs.s3.endpoint not set)'},
      region: {value: 'us-east-1', source: expect.stringMatching(/^default/)},
      addressing: {value: 'virtual-host', source: 'alluxio.underfs.s3.disable.dns.buckets (default)'},
      signer: {value: 'V4', source: 'alluxio.underfs.s3.signer.algorithm not set'},
      proxy: {value: undefined, source: 'alluxio.underfs.s3.proxy.host not set'},
      sse: {value: false, source: 'alluxio.underfs.s3.server.side.encryption.enabled (default)'},
      connectionTimeoutMs: {value: 10_000, source: expect.any(String)},
      socketTimeoutMs: {value: 50_000, source: 'alluxio.underfs.s3.socket.timeout (default)'},
      requestTimeoutMs: {value: 60_000, source: 'alluxio.underfs.s3.request.timeout (default)'},
      connectionTtlMs: {value: -1, source: 'alluxio.underfs.s3.connection.ttl (default)'},
      maxConnections: {value: 40, source: 'alluxio.underfs.s3.threads.max (default)'},
      maxAttempts: {value: 3, source: 'alluxio.underfs.s3.max.error.retry (default), plus 1'},
    });
    expect(JSON.stringify(summary)).not.toContain(SECRET);
  });

  it('uses the resolved credentials', async () => {
    const {config} = await build();
    const provider = config.credentials as () => Promise<unknown>;
    expect(await provider()).toEqual({accessKeyId: 'AKIACLIENT0000000001', secretAccessKey: SECRET});
  });
});

describe('endpoint, scheme and region', () => {
  it('adds http to a bare endpoint, https when secure HTTP or SSE is on', async () => {
    expect((await build({'alluxio.underfs.s3.endpoint': 'localhost:9000'})).config.endpoint).toBe('http://localhost:9000');
    const secure = await build({'alluxio.underfs.s3.endpoint': 'localhost:9000', 'alluxio.underfs.s3.secure.http.enabled': 'true'});
    expect(secure.config.endpoint).toBe('https://localhost:9000');
    expect(secure.summary.endpoint.source).toBe(
      'alluxio.underfs.s3.endpoint (mount option /mnt/s3); https because alluxio.underfs.s3.secure.http.enabled is true',
    );
    const sse = await build({'alluxio.underfs.s3.endpoint': 'minio.local', 'alluxio.underfs.s3a.server.side.encryption.enabled': 'true'});
    expect(sse.config.endpoint).toBe('https://minio.local');
    expect(sse.summary.sse.value).toBe(true);
    expect(sse.warnings).toEqual([]);
  });

  it('keeps an explicit scheme, warning when SSE is on over http://', async () => {
    expect((await build({'alluxio.underfs.s3.endpoint': 'https://rgw:7480/'})).config.endpoint).toBe('https://rgw:7480');
    const plain = await build({
      'alluxio.underfs.s3.endpoint': 'http://rgw:7480',
      'alluxio.underfs.s3.server.side.encryption.enabled': 'true',
    });
    expect(plain.config.endpoint).toBe('http://rgw:7480');
    expect(plain.warnings).toEqual([
      'alluxio.underfs.s3.server.side.encryption.enabled is true but alluxio.underfs.s3.endpoint says http://: ' +
        'requests to rgw:7480 are not encrypted in transit',
    ]);
  });

  it('refuses an endpoint that is not http(s)', async () => {
    await expect(build({'alluxio.underfs.s3.endpoint': 'ftp://host'})).rejects.toMatchObject({
      kind: 'CONFIGURATION',
      message: 'Invalid value ftp://host for alluxio.underfs.s3.endpoint (mount option /mnt/s3): expected host[:port] or an http(s) URL',
    });
  });

  it("refuses an empty endpoint rather than falling back to AWS's public one", async () => {
    for (const value of ['', '  ']) {
      await expect(build({'alluxio.underfs.s3.endpoint': value})).rejects.toMatchObject({
        kind: 'CONFIGURATION',
        message: 'Empty value for alluxio.underfs.s3.endpoint (mount option /mnt/s3): expected host[:port] or an http(s) URL',
      });
    }
  });

  it('takes the region from endpoint.region, an AWS host name, or region', async () => {
    const signing = await build({
      'alluxio.underfs.s3.endpoint': 'http://rgw:7480',
      'alluxio.underfs.s3.endpoint.region': 'zonegroup-a',
      'alluxio.underfs.s3.region': 'ignored',
    });
    expect(signing.config.region).toBe('zonegroup-a');
    expect(signing.summary.region.source).toBe('alluxio.underfs.s3.endpoint.region (mount option /mnt/s3)');
    expect((await build({'alluxio.underfs.s3.endpoint': 's3.eu-west-3.amazonaws.com'})).config.region).toBe('eu-west-3');
    expect((await build({'alluxio.underfs.s3.endpoint': 'http://rgw:7480'})).config.region).toBe('us-east-1');
    const region = await build({'alluxio.underfs.s3.region': 'us-west-1'});
    expect(region.config).toMatchObject({region: 'us-west-1', followRegionRedirects: true});
  });

  it('maps disable.dns.buckets to path-style addressing', async () => {
    const {config, summary} = await build({'alluxio.underfs.s3.disable.dns.buckets': 'true'});
    expect(config.forcePathStyle).toBe(true);
    expect(summary.addressing).toEqual({value: 'path', source: 'alluxio.underfs.s3.disable.dns.buckets (mount option /mnt/s3)'});
  });

  it('reaches a virtual-host bucket through the lookup option', async () => {
    const hosts: string[] = [];
    const {port} = await serve((req, res) => {
      hosts.push(`${req.method} ${req.headers.host} ${req.url}`);
      res.end();
    });
    const {config} = await build({'alluxio.underfs.s3.endpoint': `http://localhost:${port}`}, toLoopback);
    await client(config).send(new HeadBucketCommand({Bucket: 'bucket'}));
    expect(hosts).toEqual([`HEAD bucket.localhost:${port} /`]);
  });
});

describe('signer', () => {
  it('reports V2 for S3SignerType and refuses unknown signers', async () => {
    expect((await build({'alluxio.underfs.s3.signer.algorithm': 'S3SignerType'})).summary.signer.value).toBe('V2');
    expect((await build({'alluxio.underfs.s3a.signer.algorithm': 'AWSS3V4SignerType'})).summary.signer.value).toBe('V4');
    await expect(build({'alluxio.underfs.s3.signer.algorithm': 'NoSuchSigner'})).rejects.toMatchObject({
      kind: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^Unsupported value NoSuchSigner for alluxio\.underfs\.s3\.signer\.algorithm .*S3SignerType.*AWSS3V4SignerType/),
    });
  });
});

describe('proxy', () => {
  it('sends plain HTTP requests to the proxy with absolute URLs', async () => {
    const seen: string[] = [];
    const {port} = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end();
    });
    const {config, summary} = await build({
      'alluxio.underfs.s3.endpoint': 'http://s3.example.test:9000',
      'alluxio.underfs.s3.proxy.host': '127.0.0.1',
      'alluxio.underfs.s3.proxy.port': String(port),
    });
    expect(summary.proxy.value).toBe(`http://127.0.0.1:${port}`);
    await client(config).send(new HeadBucketCommand({Bucket: 'bucket'}));
    expect(seen).toEqual(['HEAD http://bucket.s3.example.test:9000/']);
  });

  it('tunnels HTTPS requests with CONNECT', async () => {
    const tunnels: string[] = [];
    const {server, port} = await serve((_req, res) => res.end());
    server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      tunnels.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    const {config} = await build({
      'alluxio.underfs.s3.region': 'eu-west-1',
      'alluxio.underfs.s3.proxy.host': '127.0.0.1',
      'alluxio.underfs.s3.proxy.port': String(port),
      'alluxio.underfs.s3.max.error.retry': '0',
    });
    await expect(client(config).send(new HeadBucketCommand({Bucket: 'bucket'}))).rejects.toThrow();
    expect(tunnels).toEqual(['bucket.s3.eu-west-1.amazonaws.com:443']);
  });

  it('warns about a port without a host', async () => {
    const {summary, warnings} = await build({'alluxio.underfs.s3.proxy.port': '3128'});
    expect(summary.proxy.value).toBeUndefined();
    expect(warnings).toEqual(['alluxio.underfs.s3.proxy.port is set but alluxio.underfs.s3.proxy.host is not: no proxy is used']);
  });
});

describe('timeouts, retries and the connection pool', () => {
  it('fails an idle request after socket.timeout', async () => {
    const {port} = await serve(() => undefined);
    const {config, summary} = await build({
      'alluxio.underfs.s3.endpoint': `http://127.0.0.1:${port}`,
      'alluxio.underfs.s3.socket.timeout': '200ms',
      'alluxio.underfs.s3.request.timeout': '0',
      'alluxio.underfs.s3.max.error.retry': '0',
    });
    expect(summary.requestTimeoutMs.value).toBe(0);
    const started = Date.now();
    await expect(client(config).send(new HeadBucketCommand({Bucket: 'b'}))).rejects.toMatchObject({name: 'TimeoutError'});
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails a request without an answer after request.timeout, before the socket times out', async () => {
    const {port} = await serve(() => undefined);
    const {config} = await build({
      'alluxio.underfs.s3.endpoint': `http://127.0.0.1:${port}`,
      'alluxio.underfs.s3.socket.timeout': '1min',
      'alluxio.underfs.s3.request.timeout': '300ms',
      'alluxio.underfs.s3.max.error.retry': '0',
    });
    const started = Date.now();
    await expect(client(config).send(new HeadBucketCommand({Bucket: 'b'}))).rejects.toThrow(/300 ms requestTimeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('makes max.error.retry + 1 attempts', async () => {
    let attempts = 0;
    const {port} = await serve((_req, res) => {
      attempts++;
      res.writeHead(503).end();
    });
    const {config, summary} = await build({
      'alluxio.underfs.s3.endpoint': `http://127.0.0.1:${port}`,
      'alluxio.underfs.s3.max.error.retry': '1',
    });
    expect(config.maxAttempts).toBe(2);
    expect(summary.maxAttempts.value).toBe(2);
    await expect(client(config).send(new HeadBucketCommand({Bucket: 'b'}))).rejects.toThrow();
    expect(attempts).toBe(2);
    await expect(build({'alluxio.underfs.s3.max.error.retry': '-1'})).rejects.toMatchObject({kind: 'CONFIGURATION'});
  });

  it('raises threads.max to admin + upload threads with a warning, and caps connections at it', async () => {
    const low = await build({'alluxio.underfs.s3.threads.max': '10'});
    expect(low.summary.maxConnections).toEqual({
      value: 40,
      source: 'alluxio.underfs.s3.admin.threads.max + alluxio.underfs.s3.upload.threads.max, as alluxio.underfs.s3.threads.max is lower',
    });
    expect(low.warnings).toEqual([
      'alluxio.underfs.s3.threads.max (10) is less than alluxio.underfs.s3.admin.threads.max (20) plus ' +
        'alluxio.underfs.s3.upload.threads.max (20): using 40 connections',
    ]);

    let open = 0;
    let peak = 0;
    const {port} = await serve((_req, res) => {
      peak = Math.max(peak, ++open);
      setTimeout(() => {
        open--;
        res.end();
      }, 50);
    });
    const {config} = await build({
      'alluxio.underfs.s3.endpoint': `http://127.0.0.1:${port}`,
      'alluxio.underfs.s3.threads.max': '3',
      'alluxio.underfs.s3.admin.threads.max': '1',
      'alluxio.underfs.s3.upload.threads.max': '1',
    });
    const s3 = client(config);
    await Promise.all(Array.from({length: 9}, () => s3.send(new HeadBucketCommand({Bucket: 'b'}))));
    expect(peak).toBe(3);
  });

  it('closes pooled connections idle for connection.ttl, and keeps them with -1', async () => {
    const closed: boolean[] = [];
    const {server, port} = await serve((_req, res) => res.writeHead(200, {'content-length': '0'}).end());
    server.on('connection', (socket: Socket) => {
      const index = closed.push(false) - 1;
      socket.on('close', () => (closed[index] = true));
    });
    for (const ttl of ['200ms', '-1']) {
      const {config} = await build({'alluxio.underfs.s3.endpoint': `http://127.0.0.1:${port}`, 'alluxio.underfs.s3.connection.ttl': ttl});
      await client(config).send(new HeadBucketCommand({Bucket: 'b'}));
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(closed).toEqual([true, false]);
  });
});

describe('sseEnabled', () => {
  it('reads the key or its alias', () => {
    expect(sseEnabled(conf())).toBe(false);
    expect(sseEnabled(conf({'alluxio.underfs.s3a.server.side.encryption.enabled': 'true'}))).toBe(true);
  });
});

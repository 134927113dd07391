import http from 'node:http';
import https from 'node:https';
import type {LookupFunction} from 'node:net';
import type {S3ClientConfig} from '@aws-sdk/client-s3';
import {NodeHttpHandler, type NodeHttpHandlerOptions} from '@smithy/node-http-handler';
import type {Logger} from '@smithy/types';
import type {Configuration} from '../../conf/configuration.js';
import type {PropertyName} from '../../conf/property-keys.js';
import {configurationError, invalidArgument} from '../../errors.js';
import type {ResolvedCredentials} from './credentials.js';

const P = 'alluxio.underfs.s3.';
const ENDPOINT = `${P}endpoint`;
const ENDPOINT_REGION = `${P}endpoint.region`;
const REGION = `${P}region`;
const SECURE_HTTP = `${P}secure.http.enabled`;
const SSE = `${P}server.side.encryption.enabled`;
const PATH_STYLE = `${P}disable.dns.buckets`;
const PROXY_HOST = `${P}proxy.host`;
const PROXY_PORT = `${P}proxy.port`;
const SIGNER = `${P}signer.algorithm`;
const SOCKET_TIMEOUT = `${P}socket.timeout`;
const REQUEST_TIMEOUT = `${P}request.timeout`;
const THREADS = `${P}threads.max`;
const ADMIN_THREADS = `${P}admin.threads.max`;
const UPLOAD_THREADS = `${P}upload.threads.max`;
const CONNECTION_TTL = `${P}connection.ttl`;
const MAX_RETRY = `${P}max.error.retry`;

const DEFAULT_REGION = 'us-east-1';
/** The connection timeout of the AWS SDK for Java v1 that Alluxio 2.9 runs on; Alluxio has no key for it. */
const CONNECTION_TIMEOUT_MS = 10_000;
const SIGNERS: Record<string, 'V2' | 'V4'> = {s3signertype: 'V2', awss3v4signertype: 'V4'};
const SILENT: Logger = {trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined};

/** One effective client setting and, in words, where it came from (for `doctor s3`). */
export interface Setting<T> {
  value: T;
  source: string;
}

export interface ClientSummary {
  endpoint: Setting<string>;
  region: Setting<string>;
  addressing: Setting<'path' | 'virtual-host'>;
  signer: Setting<'V2' | 'V4'>;
  /** Undefined: no proxy. */
  proxy: Setting<string | undefined>;
  sse: Setting<boolean>;
  /** Time to open a TCP connection, per attempt. */
  connectionTimeoutMs: Setting<number>;
  /**
   * Idle time (no byte either way) after which an attempt fails, a download's body included. The SDK arms the
   * timer 3 s into a request when it is 6 s or more: a server silent from the start is noticed 3 s later.
   */
  socketTimeoutMs: Setting<number>;
  /** Time from sending a request to its response headers (the upload of a body included), per attempt; 0 means none. */
  requestTimeoutMs: Setting<number>;
  /** Pooled connections idle this long are closed; -1 means never, 0 means no reuse. */
  connectionTtlMs: Setting<number>;
  maxConnections: Setting<number>;
  /** Attempts of one request: max.error.retry + 1. */
  maxAttempts: Setting<number>;
}

export interface ClientConfigOptions {
  /** Replaces DNS resolution (tests resolve `bucket.localhost` to 127.0.0.1). */
  dnsLookup?: LookupFunction;
}

export function sseEnabled(conf: Configuration): boolean {
  return conf.getBoolean(SSE);
}

/** The S3 client configuration of one mount, what it amounts to, and the warnings to show about it. */
export function buildS3ClientConfig(
  conf: Configuration,
  credentials: ResolvedCredentials,
  options: ClientConfigOptions = {},
): {config: S3ClientConfig; summary: ClientSummary; warnings: string[]} {
  const warnings: string[] = [];

  const endpoint = endpointSetting(conf, warnings);
  const region = regionSetting(conf, endpoint?.url);
  const pathStyle = conf.getBoolean(PATH_STYLE);
  const proxy = proxyUrl(conf, warnings);
  const maxConnections = poolSize(conf, warnings);
  const socketTimeoutMs = conf.getDurationMs(SOCKET_TIMEOUT);
  const requestTimeoutMs = conf.getDurationMs(REQUEST_TIMEOUT);
  const ttlMs = conf.getDurationMs(CONNECTION_TTL);
  const maxAttempts = retryAttempts(conf);
  const signer = signerType(conf);

  const agentOptions: http.AgentOptions = {
    keepAlive: ttlMs !== 0,
    maxSockets: maxConnections.value,
    ...(ttlMs > 0 ? {timeout: ttlMs} : {}),
    ...(options.dnsLookup ? {lookup: options.dnsLookup} : {}),
  };
  const handlerOptions: NodeHttpHandlerOptions = {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: socketTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    // The handler's own warnings (a full connection pool) would go to stderr; queueing there is by design.
    logger: SILENT,
  };
  // The proxy agents are loaded only with a proxy; the handler takes its options from a promise until then.
  const requestHandler = new NodeHttpHandler(proxy ? async () => ({...handlerOptions, ...await proxyAgents(proxy, agentOptions)}) : {
    ...handlerOptions,
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
  });

  const config: S3ClientConfig = {
    region: region.value,
    followRegionRedirects: true,
    forcePathStyle: pathStyle,
    credentials: credentials.provider,
    requestHandler,
    // The middleware stack is complete before the first request (request log, V2 signer): resolve it once per
    // operation instead of on every request, a good part of the SDK's cost per small file.
    cacheMiddleware: true,
    // radosgw and other S3 stores refuse the aws-chunked bodies that flexible checksums bring.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint ? {endpoint: endpoint.url} : {}),
    maxAttempts,
  };

  const summary: ClientSummary = {
    endpoint: endpoint
      ? {value: endpoint.url, source: endpoint.source}
      : {value: `https://s3.${region.value}.amazonaws.com`, source: `AWS, chosen by the SDK (${ENDPOINT} not set)`},
    region,
    addressing: {value: pathStyle ? 'path' : 'virtual-host', source: origin(conf, PATH_STYLE)},
    signer: {value: signer, source: origin(conf, SIGNER)},
    proxy: {value: proxy, source: origin(conf, PROXY_HOST)},
    sse: {value: sseEnabled(conf), source: origin(conf, SSE)},
    connectionTimeoutMs: {value: CONNECTION_TIMEOUT_MS, source: 'fixed, as the AWS SDK for Java v1 default'},
    socketTimeoutMs: {value: socketTimeoutMs, source: origin(conf, SOCKET_TIMEOUT)},
    requestTimeoutMs: {value: requestTimeoutMs, source: origin(conf, REQUEST_TIMEOUT)},
    connectionTtlMs: {value: ttlMs, source: origin(conf, CONNECTION_TTL)},
    maxConnections,
    maxAttempts: {value: maxAttempts, source: `${origin(conf, MAX_RETRY)}, plus 1`},
  };
  return {config, summary, warnings};
}

/** `S3SignerType` selects Signature V2 as in Alluxio; unset (or the v1 SDK's `AWSS3V4SignerType`) means V4. */
export function signerType(conf: Configuration): 'V2' | 'V4' {
  const value = conf.getOrUndefined(SIGNER)?.trim();
  if (!value) return 'V4';
  const signer = SIGNERS[value.toLowerCase()];
  if (signer === undefined) {
    throw invalidArgument(
      `Unsupported value ${value} for ${SIGNER} (${setIn(conf, SIGNER)}): use S3SignerType (Signature V2) or ` +
        'AWSS3V4SignerType (Signature V4, the default)',
    );
  }
  return signer;
}

/**
 * The endpoint as a URL. An explicit scheme wins; without one the protocol is https when secure HTTP or SSE
 * is on, else http (Alluxio 2.9's default).
 */
function endpointSetting(conf: Configuration, warnings: string[]): {url: string; source: string} | undefined {
  const raw = conf.getOrUndefined(ENDPOINT)?.trim();
  if (raw === undefined) return undefined;
  // An empty value is a mistake (a variable that was not set), not a wish for AWS's public endpoint.
  if (raw === '') {
    throw configurationError(
      `Empty value for ${ENDPOINT} (${setIn(conf, ENDPOINT)}): expected host[:port] or an http(s) URL`,
      'Name your S3 server (for example http://localhost:9000), or remove the setting to use AWS.',
    );
  }
  const secureKeys = ([SECURE_HTTP, SSE] as const).filter((key) => conf.getBoolean(key));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  let url: URL;
  try {
    url = new URL(scheme ? raw : `${secureKeys.length > 0 ? 'https' : 'http'}://${raw}`);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' || url.hostname === '') {
    throw configurationError(
      `Invalid value ${raw} for ${ENDPOINT} (${setIn(conf, ENDPOINT)}): expected host[:port] or an http(s) URL`,
      'For example: http://localhost:9000 or s3.us-west-2.amazonaws.com',
    );
  }
  if (scheme === 'http' && secureKeys.length > 0) {
    warnings.push(`${secureKeys.join(' and ')} ${secureKeys.length > 1 ? 'are' : 'is'} true but ${ENDPOINT} ` +
      `says http://: requests to ${url.host} are not encrypted in transit`);
  }
  const source = scheme
    ? origin(conf, ENDPOINT)
    : `${origin(conf, ENDPOINT)}; ${url.protocol.slice(0, -1)} because ` +
      (secureKeys.length > 0 ? `${secureKeys.join(' and ')} ${secureKeys.length > 1 ? 'are' : 'is'} true` :
        `neither ${SECURE_HTTP} nor ${SSE} is true`);
  return {url: url.pathname === '/' ? url.origin : url.href, source};
}

/**
 * The signing and bucket region. With an endpoint, endpoint.region wins, then the region in an AWS host name;
 * without one, region wins. Either falls back to the other key, then us-east-1. Buckets in other regions still
 * work: the client always follows region redirects.
 */
function regionSetting(conf: Configuration, endpoint: string | undefined): Setting<string> {
  const [firstKey, secondKey] = endpoint ? [ENDPOINT_REGION, REGION] as const : [REGION, ENDPOINT_REGION] as const;
  const first = conf.getOrUndefined(firstKey)?.trim();
  if (first) return {value: first, source: origin(conf, firstKey)};
  const fromHost = endpoint && /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com/
    .exec(new URL(endpoint).hostname)?.[1];
  if (fromHost) return {value: fromHost, source: `the host name in ${ENDPOINT}`};
  const second = conf.getOrUndefined(secondKey)?.trim();
  if (second) return {value: second, source: origin(conf, secondKey)};
  return {value: DEFAULT_REGION, source: `default (neither ${REGION} nor ${ENDPOINT_REGION} is set); follows region redirects`};
}

/** `http://host:port` from proxy.host (a scheme there is kept) and proxy.port. */
function proxyUrl(conf: Configuration, warnings: string[]): string | undefined {
  const host = conf.getOrUndefined(PROXY_HOST)?.trim();
  const port = conf.isSet(PROXY_PORT) ? conf.getInt(PROXY_PORT) : undefined;
  if (!host) {
    if (port !== undefined) warnings.push(`${PROXY_PORT} is set but ${PROXY_HOST} is not: no proxy is used`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`);
    if (port !== undefined) url.port = String(port);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' || url.hostname === '') {
    throw configurationError(`Invalid value ${host} for ${PROXY_HOST} (${setIn(conf, PROXY_HOST)}): expected a host name`);
  }
  return url.origin;
}

async function proxyAgents(proxy: string, agentOptions: http.AgentOptions): Promise<Pick<NodeHttpHandlerOptions, 'httpAgent' | 'httpsAgent'>> {
  const [{HttpProxyAgent}, {HttpsProxyAgent}] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  return {httpAgent: new HttpProxyAgent(proxy, agentOptions), httpsAgent: new HttpsProxyAgent(proxy, agentOptions)};
}

/** Alluxio raises threads.max to admin + upload threads when it is lower, with a warning. */
function poolSize(conf: Configuration, warnings: string[]): Setting<number> {
  const max = conf.getInt(THREADS);
  const admin = conf.getInt(ADMIN_THREADS);
  const upload = conf.getInt(UPLOAD_THREADS);
  if (max >= admin + upload) return {value: max, source: origin(conf, THREADS)};
  warnings.push(
    `${THREADS} (${max}) is less than ${ADMIN_THREADS} (${admin}) plus ${UPLOAD_THREADS} (${upload}): ` +
      `using ${admin + upload} connections`,
  );
  return {value: admin + upload, source: `${ADMIN_THREADS} + ${UPLOAD_THREADS}, as ${THREADS} is lower`};
}

/** max.error.retry retries mean one more attempt (the default, 2, gives the AWS SDKs' 3 attempts). */
function retryAttempts(conf: Configuration): number {
  const retries = conf.getInt(MAX_RETRY);
  if (retries < 0) {
    throw configurationError(`Invalid value ${retries} for ${MAX_RETRY} (${setIn(conf, MAX_RETRY)}): expected 0 or more`);
  }
  return retries + 1;
}

/** `key (site property /etc/alluxio/alluxio-site.properties)`, `key (default)`, `key not set`. */
function origin(conf: Configuration, key: PropertyName): string {
  return conf.isSet(key) ? `${key} (${setIn(conf, key)})` : `${key} not set`;
}

/** Where a set key got its value, in words: `mount option /mnt/s3`, `default`… */
function setIn(conf: Configuration, key: string): string {
  const {source, detail} = conf.source(key);
  const words: Record<typeof source, string> = {
    DEFAULT: 'default',
    SITE_PROPERTY: 'site property',
    SYSTEM_PROPERTY: 'system property',
    RUNTIME: 'runtime',
    MOUNT_OPTION: 'mount option',
  };
  return detail ? `${words[source]} ${detail}` : words[source];
}

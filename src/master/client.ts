/**
 * What CLI commands ask the running master (`fsadmin report`): its `GET /api/v1/master/info` over the web port,
 * the one endpoint Alluxio 2.9 keeps for cluster information.
 */
import {request} from 'node:http';
import type {Configuration} from '../conf/configuration.js';
import {AlluxioError} from '../errors.js';
import {readLiveMaster} from './pid-file.js';
import type {AlluxioMasterInfo} from './webui/types.js';

/** Alluxio's words when no leader answers; its shell prints them on stdout. */
export const CANNOT_CONNECT = 'Cannot connect to Alluxio leader master.';

/** A master that accepts the connection but never answers must not hang the command. */
const REQUEST_TIMEOUT_MS = 5_000;

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export interface MasterWebAddress {
  host: string;
  port: number;
}

/**
 * Where the master's web server is reached from this host: alluxio.master.web.hostname, else
 * alluxio.master.hostname, else the bind host unless it is a wildcard, else loopback. `localhost` is skipped in
 * favour of the bind host: it may resolve to ::1 while the master listens on 127.0.0.1 only.
 */
export function masterWebAddress(conf: Configuration): MasterWebAddress {
  const port = conf.getInt('alluxio.master.web.port');
  const webHost = conf.getOrUndefined('alluxio.master.web.hostname')?.trim();
  if (webHost) return {host: webHost, port};
  const masterHost = conf.getOrUndefined('alluxio.master.hostname')?.trim();
  if (masterHost && masterHost !== 'localhost') return {host: masterHost, port};
  const bindHost = conf.get('alluxio.master.web.bind.host').trim();
  return {host: WILDCARDS.has(bindHost) ? '127.0.0.1' : bindHost, port};
}

/**
 * The addresses to ask, in order: the URL in the pid file of a master running on this host (the configured
 * alluxio.master.hostname may name this host by an address it does not listen on), then the configured address.
 */
export function masterWebAddresses(conf: Configuration): MasterWebAddress[] {
  const configured = masterWebAddress(conf);
  const live = readLiveMaster(conf);
  let url: URL | undefined;
  try {
    url = live ? new URL(live.url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'http:' || url.port === '') return [configured];
  const local = {host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port)};
  return local.host === configured.host && local.port === configured.port ? [configured] : [local, configured];
}

/** The info of the first address that answers; when none does, the error of the last one. */
export async function fetchFirstMasterInfo(addresses: MasterWebAddress[]): Promise<{info: AlluxioMasterInfo; address: MasterWebAddress}> {
  let failure: unknown;
  for (const address of addresses) {
    try {
      return {info: await fetchMasterInfo(address), address};
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}

export function webUrl({host, port}: MasterWebAddress, path: string): string {
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${literal}:${port}${path}`;
}

/** The master's info, or an UNAVAILABLE error with CANNOT_CONNECT as its message and the reason as its hint. */
export async function fetchMasterInfo(address: MasterWebAddress, timeoutMs = REQUEST_TIMEOUT_MS): Promise<AlluxioMasterInfo> {
  const url = webUrl(address, '/api/v1/master/info');
  const unreachable = (reason: string, cause?: unknown) =>
    new AlluxioError('UNAVAILABLE', CANNOT_CONNECT, {
      hint: `${reason} at ${webUrl(address, '')}: start it with bin/alluxio-start.sh local, or set alluxio.master.web.port and alluxio.master.web.hostname to where it runs.`,
      cause,
    });
  let answer: {status: number; body: string};
  try {
    answer = await get(url, timeoutMs);
  } catch (e) {
    throw unreachable(e instanceof TimeoutError ? `No master answered within ${timeoutMs / 1000} s` : 'No master answers', e);
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch (e) {
    throw unreachable('Something that is not an Alluxio master answers', e);
  }
  if (answer.status !== 200 || !isMasterInfo(body)) throw unreachable('Something that is not an Alluxio master answers');
  return body;
}

class TimeoutError extends Error {}

/** Far above any master's info: a stranger streaming without end is cut off rather than buffered. */
const MAX_ANSWER_BYTES = 32 * 2 ** 20;

/**
 * One GET with a deadline on the whole exchange (node:http rather than fetch: loading fetch's undici costs a
 * short command about 30 MB and a few hundred ms).
 */
function get(url: string, timeoutMs: number): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {headers: {accept: 'application/json'}}, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

/** Enough of the shape to render every report without a TypeError: anything else is not our master. */
function isMasterInfo(value: unknown): value is AlluxioMasterInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  return (
    typeof v.rpcAddress === 'string' &&
    typeof v.version === 'string' &&
    typeof v.startTimeMs === 'number' &&
    typeof v.uptimeMs === 'number' &&
    Array.isArray(v.workers) &&
    Array.isArray(v.lostWorkers) &&
    isObject(v.capacity) &&
    isObject(v.tierCapacity) &&
    isObject(v.mountPoints) &&
    isObject(v.metrics) &&
    [...v.workers, ...v.lostWorkers].every((w) => isObject(w) && isObject((w as Record<string, unknown>).address))
  );
}

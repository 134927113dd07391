/**
 * The setup of the CLI tests that count S3 requests: a bucket mounted at /mnt/s3 (its `data/` folder) through a
 * recording proxy, and the requests a command makes as lines that read well in an expectation.
 */
import type {Home} from './cli.js';
import {expectSuccess} from './expect-cli.js';
import {type RecordedRequest, type RecordingProxy, startRecordingProxy} from './recording-proxy.js';
import {s3Home} from './s3-cli.js';
import {s3Env} from './s3-env.js';

export interface ProxiedMount {
  proxy: RecordingProxy;
  home: Home;
}

/** A home (user keys 1) whose S3 endpoint is a recording proxy, with `s3://<bucket>/data` mounted at /mnt/s3. */
export async function mountBehindProxy(bucket: string): Promise<ProxiedMount> {
  const proxy = await startRecordingProxy(s3Env().endpoint);
  const home = s3Home({keys: 1, site: {'alluxio.underfs.s3.endpoint': proxy.url}});
  expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
  expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]));
  return {proxy, home};
}

/**
 * `METHOD key`; a listing `LIST prefix[ max=N][ /]` (the page size when `maxKeys`, ` /` when delimited); a request
 * on the bucket itself `METHOD ?<operation>`.
 */
export function requestLine(bucket: string, r: RecordedRequest, options: {maxKeys: boolean}): string {
  const url = new URL(r.path, 'http://x');
  const key = decodeURIComponent(url.pathname.slice(`/${bucket}/`.length));
  if (r.method === 'GET' && url.searchParams.has('list-type')) {
    const max = options.maxKeys ? ` max=${url.searchParams.get('max-keys')}` : '';
    return `LIST ${url.searchParams.get('prefix')}${max}${url.searchParams.has('delimiter') ? ' /' : ''}`;
  }
  if (key === '') return `${r.method} ?${url.searchParams.get('x-id') ?? [...url.searchParams.keys()].join('&')}`;
  return `${r.method} ${key}`;
}

/** Runs one command with the proxy's record cleared first; returns it with the requests it made. */
export async function measure(
  proxy: RecordingProxy,
  home: Home,
  args: string[],
  line: (r: RecordedRequest) => string,
): Promise<{r: Awaited<ReturnType<Home['run']>>; requests: string[]; raw: RecordedRequest[]}> {
  proxy.clear();
  const r = await home.run(args);
  const raw = [...proxy.requests];
  return {r, requests: raw.map(line), raw};
}

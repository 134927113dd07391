/**
 * A tiny HTTP proxy that records every request it forwards (method, url, headers, status), to see exactly what a
 * client puts on the wire: `x-amz-server-side-encryption: AES256`, the number of write requests, etc.
 *
 * It understands both ways of being used:
 *   - as the S3 endpoint (reverse proxy): point the client at `proxy.url`; requests go to `target`
 *     (the Host header is passed through unchanged, so SigV4/SigV2 signatures made for the proxy's
 *     address still verify at radosgw, which does not care which host name it is called by);
 *   - as a forward HTTP proxy (HTTP_PROXY / an http-proxy-agent): the request line holds an absolute URL,
 *     which is where the request goes. CONNECT (https) is refused: the test servers are plain HTTP.
 *
 *   const proxy = await startRecordingProxy(s3Env().endpoint);
 *   const client = s3Client({endpoint: proxy.url});
 *   ...
 *   expect(proxy.requests.filter((r) => r.method === 'PUT')[0]!.headers['x-amz-server-side-encryption']).toBe('AES256');
 *   await proxy.close();
 */
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

export interface RecordedRequest {
  method: string;
  /** As received: a path ("/bucket/key?x-id=PutObject") or, in forward-proxy use, an absolute URL. */
  url: string;
  /** Path and query only. */
  path: string;
  /** Lower-case header names, as node parses them. */
  headers: http.IncomingHttpHeaders;
  /** Where it was sent. */
  target: string;
  /** Upstream status code; undefined while in flight or if forwarding failed. */
  status?: number;
  /** Set when the upstream could not be reached. */
  error?: string;
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests with this method (all if omitted). */
  count(method?: string): number;
  /** Requests other than GET, HEAD and OPTIONS. */
  writes(): RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Starts the proxy on a free port of 127.0.0.1. `target` (e.g. s3Env().endpoint) receives requests whose
 * request line is a plain path; it may be omitted if the proxy is only used as a forward proxy.
 */
export async function startRecordingProxy(target?: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const agent = new http.Agent({keepAlive: true});
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    // Never normalise the path through URL(): S3 keys may hold "//", "." and ".." segments, and they are signed.
    let origin: URL;
    let pathAndQuery: string;
    try {
      const absolute = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(url);
      if (absolute) {
        origin = new URL(absolute[1]!);
        pathAndQuery = absolute[2] || '/';
      } else {
        if (!target) throw new Error('no target given for a path-only request');
        origin = new URL(target);
        pathAndQuery = url;
      }
      if (origin.protocol !== 'http:') throw new Error(`only http is proxied, not ${origin.protocol}`);
    } catch (err) {
      requests.push({method: req.method ?? '', url, path: url, headers: req.headers, target: '', error: String(err)});
      res.writeHead(502, {'content-type': 'text/plain'}).end(`recording proxy: ${String(err)}\n`);
      return;
    }
    const entry: RecordedRequest = {
      method: req.method ?? '',
      url,
      path: pathAndQuery,
      headers: req.headers,
      target: origin.origin,
    };
    requests.push(entry);
    const headers = {...req.headers};
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const out = http.request(
      {
        host: origin.hostname,
        port: origin.port || 80,
        method: req.method,
        path: entry.path,
        headers,
        agent,
      },
      (up) => {
        entry.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
      },
    );
    out.on('error', (err) => {
      entry.error = String(err);
      if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'});
      res.end();
    });
    req.pipe(out);
  });
  server.on('connect', (_req, socket: Socket) => {
    socket.end('HTTP/1.1 501 Not Implemented\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    count(method?: string) {
      return method ? requests.filter((r) => r.method === method.toUpperCase()).length : requests.length;
    },
    writes() {
      return requests.filter((r) => !READ_METHODS.has(r.method));
    },
    clear() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      });
    },
  };
}

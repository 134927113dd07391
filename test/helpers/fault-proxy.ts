/**
 * A reverse proxy on loopback that breaks chosen requests on their way to radosgw, at the TCP level: a reset
 * (RST) after N bytes of the response body or of the request body, a delay, or a stall (the connection stays
 * open and nothing more comes). Every request is recorded, faulted or not, so a test can check what the client
 * asked for next (the Range of a resumed GET, how often a part was sent).
 *
 *   const proxy = await startFaultProxy(s3Env().endpoint);
 *   proxy.inject({match: (r) => r.method === 'GET' && r.path.startsWith(`/${bucket}/big`), fault: {resetResponseAfter: 1 << 20}});
 *   ... point the client at proxy.url ...
 *   expect(proxy.requests.filter((r) => r.method === 'GET').map((r) => r.headers.range)).toEqual([undefined, 'bytes=1048576-']);
 *   await proxy.close();
 */
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

export type Fault =
  /** Forwards the response head and this many body bytes, then resets the connection. */
  | {resetResponseAfter: number}
  /**
   * The same, with the response's Content-Length taken out (it goes chunked): the client cannot tell from the
   * bytes whether the body was complete, so a reset after the last byte still breaks it.
   */
  | {resetChunkedResponseAfter: number}
  /**
   * Sends the server this earlier request (its path and headers: a signed request stays valid for minutes) in
   * place of the one that came, and answers with the server's response to it: a stand-in for a server or proxy
   * that ignores the Range or If-Match of a request, when the earlier one had none.
   */
  | {replay: () => ProxiedRequest}
  /** Answers itself with this response; the request does not reach the server (what another store would say). */
  | {respond: {status: number; headers?: Record<string, string>; body?: string}}
  /** Reads this many bytes of the request body (nothing reaches the server), then resets the connection. */
  | {resetRequestAfter: number}
  /** Holds the request this long, then forwards it. */
  | {delayMs: number}
  /** Forwards the response head and this many body bytes, then sends nothing more (the connection stays open). */
  | {stallResponseAfter: number}
  /** Accepts the request and never answers. */
  | {stall: true};

export interface FaultRule {
  match: (request: ProxiedRequest) => boolean;
  fault: Fault;
  /** How many matching requests it breaks; 1 unless given (Infinity: all). */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The fault applied to it, if any. */
  fault?: Fault;
  /** Response body bytes that went out to the client. */
  responseBytes: number;
  status?: number;
  /** The client closed the connection before the whole response went out. */
  closedEarly?: boolean;
}

export interface FaultProxy {
  url: string;
  readonly requests: ProxiedRequest[];
  /** Called as each request arrives, before any rule: lets a test act at that moment (freeze the client, say). */
  onRequest?: (request: ProxiedRequest) => void;
  inject(rule: FaultRule): void;
  /** Forgets the rules not used up. */
  heal(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const rules: {rule: FaultRule; left: number}[] = [];
  const agent = new http.Agent({keepAlive: true, maxSockets: 64});
  const sockets = new Set<Socket>();

  const faultFor = (entry: ProxiedRequest): Fault | undefined => {
    const hit = rules.find((r) => r.left > 0 && r.rule.match(entry));
    if (!hit) return undefined;
    hit.left--;
    return hit.rule.fault;
  };

  /** A reset once what was written has left: the client then has every byte counted in responseBytes. */
  const reset = (socket: Socket) => setTimeout(() => socket.resetAndDestroy(), 50);

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: ProxiedRequest,
    cutAfter?: number,
    action?: 'reset' | 'stall',
    options: {as?: ProxiedRequest; chunked?: boolean} = {},
  ) => {
    const sent = options.as ?? {path: entry.path, headers: req.headers};
    const out = http.request(
      {host: upstream.hostname, port: upstream.port, method: req.method, path: sent.path, headers: sent.headers, agent},
      (up) => {
        entry.status = up.statusCode;
        const headers = options.chunked ? up.rawHeaders.filter((_, i, all) => all[i - (i % 2)]!.toLowerCase() !== 'content-length') : up.rawHeaders;
        res.writeHead(up.statusCode ?? 502, headers);
        if (cutAfter === undefined) {
          up.on('data', (chunk: Buffer) => (entry.responseBytes += chunk.length));
          up.pipe(res);
          return;
        }
        res.flushHeaders();
        up.on('data', (chunk: Buffer) => {
          const take = Math.max(0, Math.min(chunk.length, cutAfter - entry.responseBytes));
          if (take > 0) {
            entry.responseBytes += take;
            res.write(chunk.subarray(0, take));
          }
          if (entry.responseBytes >= cutAfter) {
            up.destroy();
            if (action === 'reset') reset(req.socket);
          }
        });
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    const entry: ProxiedRequest = {method: req.method ?? '', path: req.url ?? '/', headers: req.headers, responseBytes: 0};
    requests.push(entry);
    res.on('close', () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });
    proxy.onRequest?.(entry);
    const fault = faultFor(entry);
    if (fault) entry.fault = fault;
    if (!fault) return forward(req, res, entry);
    if ('resetResponseAfter' in fault) return forward(req, res, entry, fault.resetResponseAfter, 'reset');
    if ('resetChunkedResponseAfter' in fault) return forward(req, res, entry, fault.resetChunkedResponseAfter, 'reset', {chunked: true});
    if ('replay' in fault) return forward(req, res, entry, undefined, undefined, {as: fault.replay()});
    if ('respond' in fault) {
      const {status, headers = {}, body = ''} = fault.respond;
      entry.status = status;
      req.resume();
      req.on('end', () => {
        entry.responseBytes = Buffer.byteLength(body);
        res.writeHead(status, headers).end(body);
      });
      return;
    }
    if ('stallResponseAfter' in fault) return forward(req, res, entry, fault.stallResponseAfter, 'stall');
    if ('delayMs' in fault) {
      setTimeout(() => forward(req, res, entry), fault.delayMs);
      return;
    }
    if ('resetRequestAfter' in fault) {
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= fault.resetRequestAfter) req.socket.resetAndDestroy();
      });
      req.on('end', () => req.socket.resetAndDestroy());
    }
    // A stall: the request is read and never answered.
  });
  server.requestTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject(rule) {
      rules.push({rule, left: rule.times ?? 1});
    },
    heal() {
      rules.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
  return proxy;
}

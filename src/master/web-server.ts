/**
 * The master's HTTP server (fastify): the web UI pages and Alluxio's JSON under /api/v1, on
 * alluxio.master.web.bind.host:alluxio.master.web.port.
 */
import {isIP} from 'node:net';
import {hostname} from 'node:os';
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyRequest} from 'fastify';
import type {Configuration} from '../conf/configuration.js';
import {AlluxioError, isAlluxioError} from '../errors.js';
import type {LeaderJobs} from './jobs.js';
import type {MasterLog} from './master-log.js';
import {registerPages} from './pages/index.js';
import {failureReason} from '../util/system-errors.js';
import {registerApiRoutes} from './webui/api-routes.js';
import type {SharedMetaStore} from '../meta/shared-store.js';
import {createWebUiSource} from './webui/source.js';

export interface WebServerOptions {
  conf: Configuration;
  log: MasterLog;
  jobs: LeaderJobs;
  /** Epoch ms the master started: Started and Uptime on the Overview page. */
  startedAt: number;
  /** The master's one metastore, leased by every request; by default each request opens its own. */
  store?: SharedMetaStore;
}

/** How long close() lets answers in flight finish before it cuts their connections (a slow download). */
export const CLOSE_DRAIN_MS = 2_000;

export interface RunningWebServer {
  host: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const {conf} = options;
  const host = conf.get('alluxio.master.web.bind.host');
  const port = conf.getInt('alluxio.master.web.port');
  const app = Fastify({
    logger: false,
    // A URL that fails before routing (bad percent-encoding in the path) is answered in Alluxio's error shape too.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply).code(400).send({statusCode: 'INVALID_ARGUMENT', message: `Malformed request: ${error.message.split('\n')[0]}`});
    },
  });
  const allowedHost = hostCheck(conf, host);
  if (allowedHost) {
    app.addHook('onRequest', async (request, reply) => {
      if (!allowedHost(request)) {
        return reply.code(403).send({
          statusCode: 'PERMISSION_DENIED',
          message:
            `Host ${JSON.stringify(request.headers.host ?? '')} is not allowed: this master listens on loopback and answers only ` +
            'its own names (a page rebinding a DNS name to it cannot read it); set alluxio.master.web.hostname to the name you use',
        });
      }
    });
  }
  let listening = {host, port};
  const source = createWebUiSource({...options, address: () => listening});
  registerApiRoutes(app, source, source.context);
  registerPages(app, source, {
    datePattern: conf.get('alluxio.user.date.format.pattern'),
    // Our own errors are the user's (a missing path): one line; anything else is a bug, logged with its stack.
    onError: (error, url) =>
      isAlluxioError(error)
        ? options.log.warn('WebServer', `Page ${url} failed: ${error.message}`)
        : options.log.error('WebServer', `Page ${url} failed: ${(error as Error)?.stack ?? failureReason(error)}`),
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({statusCode: 'NOT_FOUND', message: `No such page or endpoint: ${request.url.split('?')[0]}`});
  });
  try {
    await app.listen({host, port});
  } catch (e) {
    await app.close();
    throw listenError(e, host, port);
  }
  const address = app.server.address();
  listening = {host, port: typeof address === 'object' && address ? address.port : port};
  return {
    host,
    port: listening.port,
    app,
    close: () => closeWithin(app, CLOSE_DRAIN_MS),
  };
}

/** Closes the server: answers in flight get `drainMs` to finish, then their connections are cut. */
async function closeWithin(app: FastifyInstance, drainMs: number): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), drainMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK_NAMES.includes(h) || (isIP(h) === 4 && h.startsWith('127.'));
}

/** The name in a Host header (or a configured name), without port, brackets, trailing dot or case. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  if (isIP(h) === 6) return h;
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * Against DNS rebinding: bound to loopback (the default), the master answers only requests that name it by one of
 * its own names (any port). Bound elsewhere, the operator chose to expose it: no check. A request without Host
 * (HTTP/1.0) comes from no browser and is answered.
 */
function hostCheck(conf: Configuration, bindHost: string): ((request: FastifyRequest) => boolean) | undefined {
  if (!isLoopback(bindHost)) return undefined;
  const names = [...LOOPBACK_NAMES, bindHost, hostname(), conf.getOrUndefined('alluxio.master.hostname'), conf.getOrUndefined('alluxio.master.web.hostname')];
  const allowed = new Set(names.filter((n): n is string => Boolean(n?.trim())).map(hostName));
  return (request) => request.headers.host === undefined || allowed.has(hostName(request.headers.host));
}

function listenError(e: unknown, host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new AlluxioError('UNAVAILABLE', `Cannot start the web UI: port ${port} is in use (${where})`, {
      hint: 'Stop what listens there, or set alluxio.master.web.port to a free port.',
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AlluxioError('CONFIGURATION', `Cannot start the web UI: ${host} is not an address of this host`, {
      hint: 'Set alluxio.master.web.bind.host to 127.0.0.1, 0.0.0.0 or an address of this host.',
    });
  }
  if (code === 'EACCES') {
    return new AlluxioError('UNAVAILABLE', `Cannot start the web UI: no permission to listen on ${where}`, {
      hint: 'Ports below 1024 need privileges: set alluxio.master.web.port to 1024 or above.',
    });
  }
  return e as Error;
}

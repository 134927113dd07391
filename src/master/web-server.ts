/**
 * The master's HTTP server (fastify): the web UI pages and Alluxio's JSON under /api/v1, on
 * alluxio.master.web.bind.host:alluxio.master.web.port.
 */
import Fastify, {type FastifyInstance, type FastifyReply} from 'fastify';
import type {Configuration} from '../conf/configuration.js';
import {AlluxioError, isAlluxioError} from '../errors.js';
import type {LeaderJobs} from './jobs.js';
import type {MasterLog} from './master-log.js';
import {registerPages} from './pages/index.js';
import {failureReason} from '../util/system-errors.js';
import {registerApiRoutes} from './webui/api-routes.js';
import {createWebUiSource} from './webui/source.js';

export interface WebServerOptions {
  conf: Configuration;
  log: MasterLog;
  jobs: LeaderJobs;
  /** Epoch ms the master started: Started and Uptime on the Overview page. */
  startedAt: number;
}

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
    close: () => app.close(),
  };
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

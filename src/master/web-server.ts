/**
 * The master's HTTP server (fastify): the web UI pages and Alluxio's JSON under /api/v1, on
 * alluxio.master.web.bind.host:alluxio.master.web.port.
 */
import Fastify, {type FastifyInstance} from 'fastify';
import type {Configuration} from '../conf/configuration.js';
import {AlluxioError} from '../errors.js';
import type {LeaderJobs} from './jobs.js';
import type {MasterLog} from './master-log.js';

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
  const app = Fastify({logger: false});
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
  return {
    host,
    port: typeof address === 'object' && address ? address.port : port,
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

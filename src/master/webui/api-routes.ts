/**
 * Alluxio's JSON under /api/v1 on the master's web port: `master/info`, `master/webui_*`, and the file download
 * the Browse page links to (`paths/<path>/download-file/`, which Alluxio's proxy serves; here the master does).
 * A thrown error is answered as Alluxio's REST resources do, HTTP 500 `{statusCode, message}` with a gRPC status
 * name; a bug never shows its stack (that goes to master.log).
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify';
import {type ErrorKind, invalidArgument, isAlluxioError} from '../../errors.js';
import type {FileStatus} from '../../fs/types.js';
import {LOG_COMPONENT, type SourceContext} from './context.js';
import type {BrowseQuery, PageQuery, WebUiSource} from './types.js';

const GRPC_CODE: Record<ErrorKind, string> = {
  USAGE: 'INVALID_ARGUMENT',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
  CONFIGURATION: 'FAILED_PRECONDITION',
  UNAVAILABLE: 'UNAVAILABLE',
  IO: 'UNKNOWN',
};

const DOWNLOAD = /^\/api\/v1\/paths\/(.+?)\/download-file\/?$/;

/**
 * The query's parameters, parsed from the raw URL: the first of a repeated parameter wins (as JAX-RS's
 * @QueryParam), and bad percent-encoding is kept as typed instead of failing the request.
 */
function queryOf(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? '';
  const i = url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
}

function param(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

function pageQuery(request: FastifyRequest): BrowseQuery & PageQuery {
  const q = queryOf(request);
  return {path: param(q, 'path'), offset: param(q, 'offset'), limit: param(q, 'limit'), end: param(q, 'end')};
}

export function registerApiRoutes(app: FastifyInstance, source: WebUiSource, ctx: SourceContext): void {
  void app.register(async (api) => {
    if (ctx.conf.getBoolean('alluxio.web.cors.enabled')) {
      api.addHook('onRequest', async (_request, reply) => {
        void reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      });
      api.options('/api/*', async (_request, reply) => reply.code(204).send());
    }
    api.setErrorHandler((error, request, reply) => sendError(ctx, error, request, reply));

    const master = '/api/v1/master';
    api.get(`${master}/info`, (request) => source.info(queryOf(request).get('raw_configuration')?.toLowerCase() === 'true'));
    api.get(`${master}/webui_init`, () => source.init());
    api.get(`${master}/webui_overview`, () => source.overview());
    api.get(`${master}/webui_browse`, (request) => source.browse(pageQuery(request)));
    api.get(`${master}/webui_data`, (request) => source.data(pageQuery(request)));
    api.get(`${master}/webui_logs`, (request) => source.logs(pageQuery(request)));
    api.get(`${master}/webui_config`, () => source.config());
    api.get(`${master}/webui_workers`, () => source.workers());
    api.get(`${master}/webui_metrics`, () => source.metrics());
    api.get(`${master}/webui_mounttable`, () => source.mountTable());
    // Before the GET: fastify's own HEAD route would run the download and drain the whole file.
    api.head('/api/v1/paths/*', (request, reply) => downloadHeaders(ctx, request, reply));
    api.get('/api/v1/paths/*', (request, reply) => download(ctx, request, reply));
  });
}

/** Alluxio's error body; a fastify error of the request itself (a 4xx) keeps its status. */
function sendError(ctx: SourceContext, error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAlluxioError(error)) return reply.code(500).send({statusCode: GRPC_CODE[error.kind], message: error.message});
  const status = (error as {statusCode?: number}).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(status).send({statusCode: 'INVALID_ARGUMENT', message: `Bad request: ${request.method} ${request.url.split('?')[0]}`});
  }
  ctx.log.error(LOG_COMPONENT, `${request.method} ${request.url} failed: ${(error as Error)?.stack ?? String(error)}`);
  return reply.code(500).send({statusCode: 'INTERNAL', message: 'Internal error of the master: see master.log'});
}

/** The Alluxio path of a download URL, or the error answer already sent. */
function downloadPath(request: FastifyRequest, reply: FastifyReply): string | FastifyReply {
  const match = DOWNLOAD.exec((request.raw.url ?? '').split('?')[0]);
  if (!match) {
    return reply.code(404).send({statusCode: 'NOT_FOUND', message: `No such page or endpoint: ${request.url.split('?')[0]}`});
  }
  let path: string;
  try {
    path = decodeURIComponent(match[1]);
  } catch {
    return reply.code(500).send({statusCode: 'INVALID_ARGUMENT', message: `The path ${match[1]} is not properly percent-encoded`});
  }
  return path.startsWith('/') ? path : `/${path}`;
}

function attachmentHeaders(reply: FastifyReply, status: FileStatus): FastifyReply {
  return reply
    .header('Content-Type', 'application/octet-stream')
    .header('Content-Length', String(status.length))
    .header('Content-Disposition', attachment(status.name));
}

/** A download's headers from the file's status alone: a HEAD never reads the data. */
async function downloadHeaders(ctx: SourceContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = downloadPath(request, reply);
  if (typeof path !== 'string') return path;
  const status = await ctx.withFs((fs) => fs.getStatus(path));
  if (status.isDirectory) throw invalidArgument(`Path "${status.path}" must be a file.`, `${status.path} is a directory.`);
  return attachmentHeaders(reply, status).send();
}

/** Streams a file as an attachment, read around the cache; the FileSystem is released when the stream closes. */
async function download(ctx: SourceContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = downloadPath(request, reply);
  if (typeof path !== 'string') return path;
  const fs = await ctx.open();
  let opened;
  try {
    opened = await fs.open(path, 'NO_CACHE');
  } catch (e) {
    await fs.release();
    throw e;
  }
  const {status, stream} = opened;
  stream.once('close', () => {
    fs.release().catch((e: unknown) => ctx.log.warn(LOG_COMPONENT, `Releasing the namespace after a download failed: ${String(e)}`));
  });
  stream.once('error', (e) => ctx.log.warn(LOG_COMPONENT, `Download of ${path} failed: ${e.message.split('\n')[0]}`));
  return attachmentHeaders(reply, status).send(stream);
}

/** An attachment header any browser reads: a plain-ASCII name, and the exact name in RFC 5987 form. */
function attachment(name: string): string {
  const plain = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

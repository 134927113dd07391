/**
 * The master's web UI as server-rendered HTML (usable without JavaScript): each page is built from what the
 * WebUiSource returns for the request, every string escaped, under a Content-Security-Policy that allows no script.
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify';
import {formatDate} from '../../cli/date-format.js';
import {isAlluxioError} from '../../errors.js';
import {escapeControl} from '../../util/control-characters.js';
import {describeSystemError, isSystemError} from '../../util/system-errors.js';
import type {WebUiSource} from '../webui/types.js';
import {FAVICON, FAVICON_PATH, STYLESHEET, STYLESHEET_PATH} from './assets.js';
import {renderBrowse} from './browse.js';
import {renderConfig} from './config.js';
import {renderData} from './data.js';
import {html, type Html} from './html.js';
import {layout, type PageKey} from './layout.js';
import {renderLogs} from './logs.js';
import {renderMetrics} from './metrics.js';
import {renderMountTable} from './mount-table.js';
import {renderOverview} from './overview.js';
import {renderWorkers} from './workers.js';

export interface PagesOptions {
  /** alluxio.user.date.format.pattern: how the Overview shows the background jobs' run times. */
  datePattern?: string;
  /** Told of every error that stopped a page (the master logs it); the browser only gets one line. */
  onError?: (error: unknown, url: string) => void;
}

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

interface Built {
  body: Html;
  /** Auto refresh (init().refreshInterval), for pages that show changing state rather than a form. */
  refreshMs?: number;
}

type Query = Record<string, string | undefined>;

export function registerPages(app: FastifyInstance, source: WebUiSource, options: PagesOptions = {}): void {
  const formatTime = (epochMs: number) => formatDate(epochMs, options.datePattern ?? 'MM-dd-yyyy HH:mm:ss:SSS');
  const refreshing = async (body: Promise<Html>): Promise<Built> => {
    const [init, built] = await Promise.all([source.init(), body]);
    return {body: built, refreshMs: init.refreshInterval};
  };

  app.get('/', (_request, reply) => reply.redirect('/overview'));
  app.get(STYLESHEET_PATH, (_request, reply) => asset(reply, 'text/css; charset=utf-8', STYLESHEET));
  app.get(FAVICON_PATH, (_request, reply) => asset(reply, 'image/svg+xml', FAVICON));

  const page = (key: PageKey, title: string, build: (query: Query) => Promise<Built>) => {
    app.get(`/${key}`, async (request, reply) => {
      try {
        const built = await build(queryOf(request));
        return sendPage(reply, 200, layout({title, active: key, refreshMs: built.refreshMs, body: built.body}));
      } catch (e) {
        options.onError?.(e, request.url);
        const body = html`<h1>Error</h1><ul class="errors"><li>${errorLine(e)}</li></ul>`;
        return sendPage(reply, 500, layout({title: 'Error', body}));
      }
    });
  };

  page('overview', 'Overview', (_q) => refreshing(source.overview().then((o) => renderOverview(o, formatTime))));
  page('browse', 'Browse', async (q) => {
    const query = {path: q.path, offset: q.offset, limit: q.limit, end: q.end};
    const [init, browse] = await Promise.all([source.init(), source.browse(query)]);
    return {body: renderBrowse(browse, init, query)};
  });
  page('data', 'In-Alluxio Data', async (q) => {
    const query = {offset: q.offset, limit: q.limit};
    return {body: renderData(await source.data(query), query)};
  });
  page('logs', 'Logs', async (q) => {
    const query = {path: q.path, offset: q.offset, limit: q.limit, end: q.end};
    return {body: renderLogs(await source.logs(query), query)};
  });
  page('config', 'Configuration', async (q) => ({body: renderConfig(await source.config(), q.search ?? '')}));
  page('workers', 'Workers', (_q) => refreshing(source.workers().then(renderWorkers)));
  page('metrics', 'Metrics', (_q) => refreshing(source.metrics().then(renderMetrics)));
  page('mounttable', 'Mount Table', async (_q) => ({body: renderMountTable(await source.mountTable())}));
}

/** The first value of each query parameter (`?path=a&path=b` is `a`). */
function queryOf(request: FastifyRequest): Query {
  const query: Query = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[key] = first;
  }
  return query;
}

function sendPage(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(text);
}

function asset(reply: FastifyReply, type: string, text: string): FastifyReply {
  return reply.headers({'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=300'}).type(type).send(text);
}

/** One line for the browser: our errors and the system's are the user's to read; anything else is a bug. */
export function errorLine(e: unknown): string {
  if (isAlluxioError(e)) return escapeControl(e.message);
  if (isSystemError(e)) return escapeControl(describeSystemError(e).message);
  return 'Internal error: this page could not be built (the master log has the details).';
}

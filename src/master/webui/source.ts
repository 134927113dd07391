/**
 * The web UI's data: Alluxio's JSON answers built from the namespace (a fresh FileSystem per request, released
 * after), the master's configuration and its leader jobs. The JSON routes and the HTML pages both render these.
 */
import {browse} from './browse.js';
import {config, info, init, mountTable, overview, workers} from './cluster.js';
import {SourceContext, type WebUiSourceOptions} from './context.js';
import {data} from './data.js';
import {logs} from './logs.js';
import {metrics} from './metrics.js';
import type {WebUiSource} from './types.js';

export type {WebUiSourceOptions} from './context.js';

export function createWebUiSource(options: WebUiSourceOptions): WebUiSource & {context: SourceContext} {
  const ctx = new SourceContext(options);
  return {
    context: ctx,
    init: async () => init(ctx),
    overview: () => overview(ctx),
    browse: (query) => browse(ctx, query),
    data: (query) => data(ctx, query),
    logs: (query) => logs(ctx, query),
    config: async () => config(ctx),
    workers: () => workers(ctx),
    metrics: () => metrics(ctx),
    mountTable: () => mountTable(ctx),
    info: (raw) => info(ctx, raw),
  };
}

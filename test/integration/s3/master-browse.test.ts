/**
 * The web UI's Browse page over a radosgw folder of 1,200 objects, listed 100 keys a LIST page: a page of the
 * folder reads its LIST pages only up to offset + limit (plus the one page the S3 listing asks for ahead), and the
 * whole folder costs what `fs ls` of it costs; counted at a recording proxy.
 */
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Configuration} from '../../../src/conf/configuration.js';
import {openFileSystem} from '../../../src/context.js';
import {openMasterLog} from '../../../src/master/master-log.js';
import {type RunningWebServer, startWebServer} from '../../../src/master/web-server.js';
import type {WebUiBrowse} from '../../../src/master/webui/types.js';
import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {putMany, s3Mount} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket} from '../../helpers/s3.js';
import {type FsFolders, makeFolders, removeFolders} from '../../helpers/unit-fs.js';

const COUNT = 1200;
const PAGE = 100;
const LIST_PAGE = `LIST d/many/ max=${PAGE}`;
const names = Array.from({length: COUNT}, (_, i) => `f${String(i).padStart(4, '0')}`);

describe('Browse paging on an S3 folder', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  let folders: FsFolders;
  let conf: Configuration;
  let server: RunningWebServer;

  /** Requests as `METHOD key` or `LIST prefix max=N`. */
  const described = () =>
    proxy.requests.map((r) => {
      const url = new URL(r.path, 'http://x');
      if (r.method === 'GET' && url.searchParams.has('list-type')) {
        return `LIST ${url.searchParams.get('prefix')} max=${url.searchParams.get('max-keys')}`;
      }
      return `${r.method} ${decodeURIComponent(url.pathname.slice(`/${bucket}/`.length))}`;
    });

  /** The requests once none came for a while: the LIST page asked for ahead may land after the answer. */
  async function settled(): Promise<string[]> {
    let seen = -1;
    while (seen !== proxy.requests.length) {
      seen = proxy.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return described();
  }

  async function browse(query: string): Promise<{body: WebUiBrowse; requests: string[]}> {
    await settled();
    proxy.clear();
    const r = await fetch(`http://127.0.0.1:${server.port}/api/v1/master/webui_browse${query}`);
    expect(r.status).toBe(200);
    return {body: (await r.json()) as WebUiBrowse, requests: await settled()};
  }

  beforeAll(async () => {
    ({bucket} = await freshBucket('master-browse'));
    await putMany(bucket, names.map((n) => `d/many/${n}`));
    proxy = await startRecordingProxy(s3Env().endpoint);
    folders = await makeFolders('master-browse-');
    conf = new Configuration();
    conf.set('alluxio.master.journal.folder', folders.journal);
    conf.set('alluxio.master.mount.table.root.ufs', folders.ufs);
    conf.set('alluxio.worker.tieredstore.level0.dirs.path', folders.cache);
    conf.set('alluxio.logs.dir', join(folders.base, 'logs'));
    conf.set('alluxio.master.web.port', '0');
    const fs = await openFileSystem(conf, () => {});
    try {
      // Readonly: no breadcrumb markers, so every request counted is a read.
      await fs.mount('/s3', `s3://${bucket}/d`, s3Mount({readOnly: true, endpoint: proxy.url, options: {'alluxio.underfs.listing.length': String(PAGE)}}));
    } finally {
      await fs.release();
    }
    const log = openMasterLog(conf);
    server = await startWebServer({conf, log, jobs: {status: () => [], stop: async () => {}}, startedAt: Date.now()});
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    if (folders) await removeFolders(folders);
    if (bucket) await emptyAndDeleteBucket(bucket);
  });

  async function lsRequests(): Promise<string[]> {
    const fs = await openFileSystem(conf, () => {});
    proxy.clear();
    try {
      const listed: string[] = [];
      for await (const status of fs.list('/s3/many', {recursive: false})) listed.push(status.name);
      expect(listed).toEqual(names);
    } finally {
      await fs.release();
    }
    return settled();
  }

  it('a page reads the LIST pages up to offset + limit and one ahead; the whole folder costs what fs ls costs', async () => {
    const ls = await lsRequests();
    const others = ls.filter((r) => r !== LIST_PAGE);
    expect(ls.filter((r) => r === LIST_PAGE)).toHaveLength(COUNT / PAGE);
    // The S3 listing asks for the next LIST page as soon as one arrives, and holds back the keys at the end of a page
    // until the next page shows that no folder sorts before them: a page that ends where a LIST page ends needs one more.
    const cases: Array<[offset: number, limit: number, listPages: number, known: boolean]> = [
      [0, 20, 2, false],
      [80, 20, 3, false],
      [500, 20, 7, false],
      [980, 100, 12, false],
      [1180, 100, 12, true],
    ];
    for (const [offset, limit, listPages, known] of cases) {
      const {body, requests} = await browse(`?path=/s3/many&offset=${offset}&limit=${limit}`);
      const what = `offset=${offset} limit=${limit}: ${JSON.stringify(requests)}`;
      expect(body.fileInfos!.map((f) => f.name), what).toEqual(names.slice(offset, offset + limit));
      expect([body.ntotalFile, body.ntotalFileKnown], what).toEqual([Math.min(offset + limit, COUNT), known]);
      expect(requests.filter((r) => r === LIST_PAGE), what).toHaveLength(listPages);
      expect(requests.filter((r) => r !== LIST_PAGE).sort(), what).toEqual([...others].sort());
    }
  });

  it('a file of the folder is viewed with one ranged GET after its HEAD', async () => {
    const {body, requests} = await browse('?path=/s3/many/f0007&offset=2');
    expect(body.fileData).toBe('d/many/f0007'.slice(2));
    expect(requests).toEqual(['HEAD d/many/f0007', 'GET d/many/f0007']);
    const range = proxy.requests.find((r) => r.method === 'GET')!.headers.range;
    expect(range).toBe('bytes=2-11');
  });
});

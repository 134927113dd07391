import {isAlluxioError} from '../../errors.js';
import type {SourceContext} from './context.js';
import {uiFileInfo} from './file-info.js';
import {parsePage, pastTheEnd} from './paging.js';
import type {PageQuery, UIFileInfo, WebUiData} from './types.js';

/**
 * The In-Alluxio Data page: files whose data the worker cache holds whole, by path, from the cache's index. The
 * candidates are capped by alluxio.master.web.in.alluxio.data.page.count, as in Alluxio.
 */
export async function data(ctx: SourceContext, query: PageQuery): Promise<WebUiData> {
  if (!ctx.fileInfoEnabled) return {} as WebUiData;
  const response: WebUiData = {
    masterNodeAddress: await ctx.masterNodeAddress(),
    fatalError: '',
    showPermissions: ctx.showPermissions,
    permissionError: '',
    inAlluxioFileNum: 0,
    fileInfos: [],
  };
  const page = parsePage(query.offset, query.limit);
  if (!page.ok) {
    response.fatalError = page.fatalError;
    return response;
  }
  await ctx.withFs(async (fs) => {
    const {store} = fs.internals;
    const total = Math.min(await store.countCachedPaths(), ctx.conf.getInt('alluxio.master.web.in.alluxio.data.page.count'));
    response.inAlluxioFileNum = total;
    const {offset, limit} = page.value;
    if (offset > total) {
      response.fatalError = pastTheEnd(offset, total);
      return;
    }
    const infos: UIFileInfo[] = [];
    for (const entry of await store.listCachedPaths(offset, Math.min(limit, total - offset))) {
      try {
        const status = await fs.find(entry.path as string);
        // An entry of an older version of the file (or of a path since renamed or removed) is not its data.
        if (status && !status.isDirectory && status.cacheKey === entry.key) infos.push(uiFileInfo(ctx, {...status, inAlluxioPercentage: 100}));
      } catch (e) {
        if (!isAlluxioError(e)) throw e;
        if (e.kind === 'PERMISSION_DENIED') response.permissionError = e.message;
      }
    }
    response.fileInfos = infos;
  });
  return response;
}

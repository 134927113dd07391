/** The web UI's requests lease the master's one metastore; a request that meets a format runs again on a fresh one. */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {openMasterLog} from '../../../src/master/master-log.js';
import {SourceContext} from '../../../src/master/webui/context.js';
import {formatMetaStore, openMetaStore} from '../../../src/meta/open.js';
import {SharedMetaStore} from '../../../src/meta/shared-store.js';
import {type FsFolders, folderConf, makeFolders, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let shared: SharedMetaStore;
let opens: number;

beforeEach(async () => {
  folders = await makeFolders('webui-store-');
  opens = 0;
});
afterEach(async () => {
  await shared.close();
  await removeFolders(folders);
});

function source(): SourceContext {
  const conf = folderConf(folders, {'alluxio.master.mount.table.root.ufs': folders.ufs, 'alluxio.logs.dir': `${folders.base}/logs`});
  shared = new SharedMetaStore(() => {
    opens++;
    return openMetaStore(conf);
  });
  return new SourceContext({
    conf,
    log: openMasterLog(conf),
    jobs: {status: () => [], stop: async () => undefined},
    startedAt: Date.now(),
    address: () => ({host: '127.0.0.1', port: 19999}),
    store: shared,
  });
}

describe('web UI requests on the master\'s metastore', () => {
  it('share one store, and a request that meets a format by another process runs again on the store reopened', async () => {
    const ctx = source();
    await ctx.metricsBaseline;
    await Promise.all([1, 2, 3].map((i) => ctx.withFs((fs) => fs.internals.store.setValue(`k${i}`, 'v'))));
    expect(opens).toBe(1);
    await formatMetaStore(ctx.conf);
    // Opening the namespace records the format info again: the old store fails that write, the request goes on
    // with the store reopened.
    await ctx.withFs((fs) => fs.internals.store.setValue('after', 'format'));
    expect(opens).toBe(2);
    expect(await ctx.withFs((fs) => fs.internals.store.getValue('after'))).toBe('format');
  });
});

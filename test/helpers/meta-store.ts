/** Opening a real metastore in a test's journal folder, as commands open theirs from the configuration. */
import {Configuration} from '../../src/conf/configuration.js';
import {formatMetaStore, openMetaStore} from '../../src/meta/open.js';
import type {InodeRecord, MetaStore} from '../../src/meta/store.js';

/** Built-in defaults with the metastore in `journal` and `values` on top. */
export function journalConf(journal: string, values: Record<string, string> = {}): Configuration {
  const conf = new Configuration();
  conf.set('alluxio.master.journal.folder', journal);
  for (const [key, value] of Object.entries(values)) conf.set(key, value);
  return conf;
}

export function openStore(
  journal: string,
  opts: {create?: boolean; busyTimeoutMs?: number; host?: string} = {},
): Promise<MetaStore> {
  const {host, ...open} = opts;
  return openMetaStore(journalConf(journal, host === undefined ? {} : {'alluxio.worker.hostname': host}), open);
}

export function formatStore(journal: string): Promise<void> {
  return formatMetaStore(journalConf(journal));
}

/** A persisted file's row at `p`, times 1, with `extra` on top. */
export const inode = (p: string, extra: Partial<InodeRecord> = {}): InodeRecord => ({
  path: p,
  isDirectory: false,
  state: 'PERSISTED',
  creationTime: 1,
  modificationTime: 1,
  ...extra,
});

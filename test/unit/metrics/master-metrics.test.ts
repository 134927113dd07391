/**
 * The master's counting: its web requests and job runs never write the metastore (a flush waiting for a CLI's write
 * lock would stall the master's event loop), its own timer does, waiting only briefly; and the web UI's reads are
 * not counted as client operations. becomeMaster() is for good: this file is the master's process.
 */
import {Readable} from 'node:stream';
import Database from 'better-sqlite3';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import {journalConf, openStore} from '../../helpers/meta-store.js';
import {becomeMaster, count, flushCounters, pendingCounters} from '../../../src/metrics/counters.js';
import {MASTER_FLUSH_BUSY_TIMEOUT_MS, flushMasterCounters, startMasterFlusher} from '../../../src/metrics/master-flush.js';
import {type FsFolders, makeFolders, openFs, readAll, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;

beforeAll(() => becomeMaster());
beforeEach(async () => {
  folders = await makeFolders('master-metrics-');
  await flushCounters({addMetrics: async () => undefined}, () => undefined);
});
afterEach(async () => {
  await removeFolders(folders);
});

async function storedMetrics(): Promise<Map<string, number>> {
  const store = await openStore(folders.journal);
  try {
    return await store.readMetrics();
  } finally {
    await store.close();
  }
}

/** Another process's write transaction on the metastore, held until the returned function is called. */
function holdWriteLock(): () => void {
  const db = new Database(metaStoreFile(folders.journal));
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

describe('in the master', () => {
  it('reads of the web UI count no client operation; UFS calls and bytes still count; release writes nothing', async () => {
    const {fs} = await openFs(folders);
    await fs.createFile('/f', Readable.from([Buffer.from('0123456789')]), {length: 10, recursive: false, writeType: 'THROUGH'});
    await fs.getStatus('/f');
    await fs.find('/f');
    for await (const status of fs.list('/', {recursive: false})) expect(status.path).toBe('/f');
    expect(await readAll((await fs.open('/f', 'NO_CACHE')).stream)).toBe('0123456789');
    await fs.release();

    const pending = pendingCounters();
    expect([...pending.keys()].filter((k) => /^Master\.[A-Za-z]+$/.test(k))).toEqual([]);
    expect(pending.get(`Cluster.BytesReadUfs.UFS:${folders.ufs}`)).toBe(10);
    expect(pending.get(`Master.UfsOpOpen.UFS:${folders.ufs}`)).toBe(1);
    expect((await storedMetrics()).size).toBe(0);
  });

  it('the timer\'s flush skips a busy metastore at once, keeping the counts, and writes them once it is free', async () => {
    await (await openStore(folders.journal)).close();
    count('Cluster.BytesReadUfs.UFS:/x', 5);
    const warnings: string[] = [];
    const release = holdWriteLock();
    try {
      const started = performance.now();
      expect(await flushMasterCounters(() => openStore(folders.journal, {busyTimeoutMs: MASTER_FLUSH_BUSY_TIMEOUT_MS}), (m) => warnings.push(m))).toBe(false);
      // Not the CLI's 10 s busy timeout: the master's requests would wait as long.
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      release();
    }
    expect(warnings).toEqual([]);
    expect(pendingCounters().get('Cluster.BytesReadUfs.UFS:/x')).toBe(5);

    expect(await flushMasterCounters(() => openStore(folders.journal, {busyTimeoutMs: MASTER_FLUSH_BUSY_TIMEOUT_MS}), (m) => warnings.push(m))).toBe(true);
    expect(pendingCounters().size).toBe(0);
    expect((await storedMetrics()).get('Cluster.BytesReadUfs.UFS:/x')).toBe(5);
  });

  it('the flusher writes on its interval and once more when stopped', async () => {
    const flusher = startMasterFlusher({conf: journalConf(folders.journal), intervalMs: 50, finalBusyTimeoutMs: 1000, warn: () => undefined});
    try {
      count('Master.FilesPersisted', 2);
      const deadline = Date.now() + 5000;
      while ((await storedMetrics()).get('Master.FilesPersisted') !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await storedMetrics()).get('Master.FilesPersisted')).toBe(2);
      count('Master.FilesPersisted', 1);
    } finally {
      await flusher.stop();
    }
    expect((await storedMetrics()).get('Master.FilesPersisted')).toBe(3);
  });
});

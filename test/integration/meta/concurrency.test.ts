/**
 * The SQLite metastore shared by several OS processes: the racing suite every store passes
 * (test/helpers/metastore-race.ts), and what only a file has: its integrity and mode after the race, WAL set-up
 * racing with another process, and folders or files a user cannot write.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import {openStore} from '../../helpers/meta-store.js';
import {buildChildStore, describeRacingProcesses, firstLine, type Props, result, startChild} from '../../helpers/metastore-race.js';

const isRoot = process.getuid?.() === 0;
const journalOf = (props: Props) => props['alluxio.master.journal.folder']!;

function integrity(file: string): unknown {
  const raw = new Database(file, {readonly: true});
  try {
    return raw.pragma('integrity_check', {simple: true});
  } finally {
    raw.close();
  }
}

describeRacingProcesses('SQLite', {
  async fresh() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-conc-'));
    return {props: {'alluxio.master.journal.folder': path.join(dir, 'journal')}, cleanup: () => fs.rmSync(dir, {recursive: true, force: true})};
  },
  where: (props) => metaStoreFile(journalOf(props)),
  check(props) {
    const file = metaStoreFile(journalOf(props));
    expect(integrity(file)).toBe('ok');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  },
});

describe('SQLite alone', () => {
  let openUrl: string;
  let removeBuild: () => void;
  let dir: string;
  let journal: string;

  beforeAll(() => {
    ({openUrl, cleanup: removeBuild} = buildChildStore());
  });
  afterAll(() => removeBuild?.());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-conc-'));
    journal = path.join(dir, 'journal');
    return () => fs.rmSync(dir, {recursive: true, force: true});
  });

  it('waits for a process that is setting up a new file, though SQLite does not wait to switch it to WAL', async () => {
    const holder = startChild(openUrl, 'lockFresh', {'alluxio.master.journal.folder': journal}, ['1000']);
    const done = result<{ok: boolean}>(holder);
    await firstLine(holder);
    const started = Date.now();
    const store = await openStore(journal);
    try {
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      await store.setValue('k', 'v');
    } finally {
      await store.close();
    }
    await done;
    const raw = new Database(metaStoreFile(journal), {readonly: true});
    expect(raw.pragma('journal_mode', {simple: true})).toBe('wal');
    raw.close();
  });

  describe.runIf(isRoot)('an unprivileged user', () => {
    const nobody = 65534;
    const open = () => result<{message: string; hint: string}>(startChild(openUrl, 'open', {'alluxio.master.journal.folder': journal}, [], nobody));

    it('is told which folder or file it cannot write, and which property to change', async () => {
      fs.chmodSync(dir, 0o755);
      const missing = await open();
      expect(missing.message).toBe(`Cannot write the metastore in ${journal}: permission denied`);
      expect(missing.hint).toContain('alluxio.master.journal.folder');

      fs.mkdirSync(journal, {mode: 0o755});
      const readOnly = await open();
      expect(readOnly.message).toBe(`Cannot write the metastore in ${journal}: permission denied`);

      fs.chmodSync(journal, 0o777);
      await (await openStore(journal)).close();
      const foreignFile = await open();
      expect(foreignFile.message).toBe(`Cannot write the metastore ${metaStoreFile(journal)}: permission denied`);
    });
  });
});

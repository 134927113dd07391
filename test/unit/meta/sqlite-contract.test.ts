/** The metastore contract (test/helpers/metastore-contract.ts) against the embedded SQLite store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll} from 'vitest';

import {resetSqliteMetaStore} from '../../../src/meta/sqlite-file.js';
import {SqliteMetaStore} from '../../../src/meta/sqlite-store.js';
import {describeMetaStoreContract} from '../../helpers/metastore-contract.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alluxio-sqlite-contract-'));
const file = path.join(dir, 'metastore.db');
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describeMetaStoreContract(
  'SQLite',
  async (host = 'host-a') => new SqliteMetaStore(file, host),
  async () => resetSqliteMetaStore(file),
  {perHost: false},
);

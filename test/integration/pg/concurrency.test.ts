/**
 * The racing-processes suite (test/helpers/metastore-race.ts) against a real PostgreSQL: each test in a new,
 * empty database that the processes race to set up. The children read the password through an env: reference, as
 * users are told to pass it; no SQLite file is made beside them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {expect} from 'vitest';

import {metaStoreFile} from '../../../src/meta/open.js';
import {PG_SCHEMA_VERSION} from '../../../src/meta/postgres-schema.js';
import {describeRacingProcesses} from '../../helpers/metastore-race.js';
import {adminSql, createDatabase, pgEnv} from '../../helpers/pg-env.js';

const PASSWORD_VARIABLE = 'ALLUXIO_TEST_PG_PASSWORD';
let databases = 0;

describeRacingProcesses('PostgreSQL', {
  async fresh() {
    const env = pgEnv();
    // The children inherit it.
    process.env[PASSWORD_VARIABLE] = env.password;
    const url = await createDatabase(env, `race${++databases}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-conc-pg-'));
    return {
      props: {
        'alluxio.master.metastore': 'POSTGRES',
        'alluxio.master.metastore.postgres.url': url,
        'alluxio.master.metastore.postgres.password': `env:${PASSWORD_VARIABLE}`,
        'alluxio.master.journal.folder': path.join(dir, 'journal'),
      },
      cleanup: () => fs.rmSync(dir, {recursive: true, force: true}),
    };
  },
  where: (props) => props['alluxio.master.metastore.postgres.url']!,
  async check(props) {
    const database = new URL(props['alluxio.master.metastore.postgres.url']!).pathname.slice(1);
    expect(await adminSql(pgEnv(), 'SELECT version FROM alluxio_schema', database)).toBe(`${PG_SCHEMA_VERSION}\n`);
    expect(fs.existsSync(metaStoreFile(props['alluxio.master.journal.folder']!))).toBe(false);
  },
});

/** The metastore contract (test/helpers/metastore-contract.ts) against a real PostgreSQL. */
import {beforeAll} from 'vitest';

import {PostgresMetaStore, type PostgresOptions} from '../../../src/meta/postgres-store.js';
import {describeMetaStoreContract} from '../../helpers/metastore-contract.js';
import {createDatabase, pgEnv} from '../../helpers/pg-env.js';

let options: Omit<PostgresOptions, 'host'>;

beforeAll(async () => {
  const env = pgEnv();
  await createDatabase(env, 'contract');
  options = {
    target: {user: env.user, host: env.host, port: env.port, database: 'contract'},
    password: env.password,
    poolSize: 4,
    connectTimeoutMs: 10_000,
  };
});

describeMetaStoreContract(
  'PostgreSQL',
  (host = 'host-a') => PostgresMetaStore.open({...options, host}),
  () => PostgresMetaStore.format({...options, host: 'formatter'}),
  {perHost: true},
);

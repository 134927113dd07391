import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {AlluxioError} from '../../../src/errors.js';
import {workerHost} from '../../../src/meta/open.js';
import {metaStoreKind, postgresOptions} from '../../../src/meta/postgres-config.js';
import {errorOf} from '../../helpers/thrown.js';

const URL_KEY = 'alluxio.master.metastore.postgres.url';
const PASSWORD_KEY = 'alluxio.master.metastore.postgres.password';

function conf(settings: Record<string, string>): Configuration {
  const c = new Configuration();
  for (const [k, v] of Object.entries(settings)) c.set(k, v);
  return c;
}


describe('metastore selection', () => {
  it('is SQLite by default, and for Alluxio\'s HEAP and ROCKS; POSTGRES in any case', () => {
    expect(metaStoreKind(conf({}))).toBe('SQLITE');
    expect(metaStoreKind(conf({'alluxio.master.metastore': 'HEAP'}))).toBe('SQLITE');
    expect(metaStoreKind(conf({'alluxio.master.metastore': 'ROCKS'}))).toBe('SQLITE');
    expect(metaStoreKind(conf({'alluxio.master.metastore': 'postgres'}))).toBe('POSTGRES');
    expect(() => metaStoreKind(conf({'alluxio.master.metastore': 'MYSQL'}))).toThrow(AlluxioError);
  });

  it('identifies the host by alluxio.worker.hostname, by default the machine\'s name', () => {
    expect(workerHost(conf({}))).toBe(os.hostname());
    expect(workerHost(conf({'alluxio.worker.hostname': 'w1'}))).toBe('w1');
  });
});

describe('PostgreSQL settings', () => {
  it('reads the URL, pool size, connect timeout and host', () => {
    const opts = postgresOptions(conf({
      [URL_KEY]: 'postgresql://ali%40ce@db.example:6543/name?options=-c%20search_path%3Dalluxio',
      'alluxio.master.metastore.postgres.pool.size': '2',
    }), 'w1', {});
    expect(opts).toEqual({
      target: {user: 'ali@ce', host: 'db.example', port: 6543, database: 'name'},
      params: {options: '-c search_path=alluxio'},
      password: undefined,
      host: 'w1',
      poolSize: 2,
      connectTimeoutMs: 10_000,
    });
    expect(postgresOptions(conf({[URL_KEY]: 'postgres://u@[::1]/d'}), 'h1', {}).target).toEqual({user: 'u', host: '::1', port: 5432, database: 'd'});
  });

  it('refuses a missing or malformed URL, and one that holds a password (never echoing it)', () => {
    expect(errorOf(() => postgresOptions(conf({}), 'h1', {})).message).toBe(`alluxio.master.metastore is POSTGRES but ${URL_KEY} is not set`);
    expect(errorOf(() => postgresOptions(conf({[URL_KEY]: 'db:5432'}), 'h1', {})).message).toMatch(/must start with postgresql:\/\//);
    expect(errorOf(() => postgresOptions(conf({[URL_KEY]: 'postgresql://host/db'}), 'h1', {})).message).toBe(
      `${URL_KEY} must name a user, a host and a database`,
    );
    const err = errorOf(() => postgresOptions(conf({[URL_KEY]: 'postgresql://u:hunter2@h/d'}), 'h1', {}));
    expect(`${err.message} ${err.hint}`).not.toContain('hunter2');
    expect(err.hint).toContain(PASSWORD_KEY);
  });

  it('reads the password from env: and file: references, and masks it wherever configuration is shown', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-conf-'));
    try {
      const file = path.join(dir, 'pw');
      fs.writeFileSync(file, 's3cret-file\n');
      const base = {[URL_KEY]: 'postgresql://u@h/d'};
      expect(postgresOptions(conf({...base, [PASSWORD_KEY]: 'literal'}), 'h1', {}).password).toBe('literal');
      expect(postgresOptions(conf({...base, [PASSWORD_KEY]: 'env:PGPW'}), 'h1', {PGPW: 's3cret-env'}).password).toBe('s3cret-env');
      expect(postgresOptions(conf({...base, [PASSWORD_KEY]: `file:${file}`}), 'h1', {}).password).toBe('s3cret-file');
      expect(errorOf(() => postgresOptions(conf({...base, [PASSWORD_KEY]: 'env:PGPW'}), 'h1', {})).message).toBe(
        `${PASSWORD_KEY} refers to env:PGPW but the environment variable PGPW is not set`,
      );
      expect(errorOf(() => postgresOptions(conf({...base, [PASSWORD_KEY]: `file:${dir}/none`}), 'h1', {})).message).toMatch(/cannot be read \(ENOENT\)/);
      const shown = conf({...base, [PASSWORD_KEY]: 'literal'});
      expect(shown.displayValue(PASSWORD_KEY)).toBe('******');
      expect(shown.entries({includeDefaults: false}).find((e) => e.key === PASSWORD_KEY)?.displayValue).toBe('******');
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('PostgreSQL URL parameters', () => {
  const ssl = (query: string) => postgresOptions(conf({[URL_KEY]: `postgresql://u@db.example/d?${query}`}), 'h1', {}).ssl;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-tls-'));
  const rootCert = path.join(dir, 'root.crt');
  fs.writeFileSync(rootCert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('maps sslmode as libpq: verify-ca checks the chain but not the host name, verify-full both', () => {
    const verifyCa = ssl(`sslmode=verify-ca&sslrootcert=${encodeURIComponent(rootCert)}`)!;
    expect(verifyCa).toMatchObject({rejectUnauthorized: true, ca: fs.readFileSync(rootCert, 'utf8')});
    expect(verifyCa.checkServerIdentity?.('other.example', {} as never)).toBeUndefined();
    const verifyFull = ssl('sslmode=verify-full')!;
    expect(verifyFull).toEqual({rejectUnauthorized: true});
    expect(verifyFull.checkServerIdentity).toBeUndefined();
    expect(ssl('sslmode=require')).toEqual({rejectUnauthorized: false});
    // As libpq: with a root certificate given, require checks the chain.
    expect(ssl(`sslmode=require&sslrootcert=${encodeURIComponent(rootCert)}`)).toMatchObject({rejectUnauthorized: true});
    expect(ssl('sslmode=disable')).toBeUndefined();
    expect(ssl('application_name=x')).toBeUndefined();
  });

  it('refuses parameters it does not honour, bad sslmode values and unreadable root certificates', () => {
    const unknown = errorOf(() => ssl('connect_timeout=5'));
    expect(unknown.message).toBe(`${URL_KEY} has the parameter connect_timeout, which alluxio does not know`);
    expect(unknown.hint).toContain('sslmode');
    expect(errorOf(() => ssl('sslmode=verify')).message).toBe(`${URL_KEY} has sslmode=verify`);
    const missing = errorOf(() => ssl(`sslmode=verify-ca&sslrootcert=${encodeURIComponent(path.join(dir, 'none.crt'))}`));
    expect(missing.message).toMatch(/^Cannot read sslrootcert .*none\.crt of alluxio\.master\.metastore\.postgres\.url: no such file$/);
    expect(missing.kind).toBe('CONFIGURATION');
  });
});

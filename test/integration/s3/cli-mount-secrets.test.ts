/**
 * Secrets at rest: a literal secret given as a mount option is stored sealed in the metastore under a key file
 * (alluxio.master.metastore.secret.key.file), `env:`/`file:` references are stored as given, and a host without
 * the key file gets one line naming the mount and the key file when it needs the secret.
 */
import {chmodSync, copyFileSync, existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {cleanupHomes} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {freshBucket, putObjects} from '../../helpers/s3.js';
import {guardSecrets, s3Home, userKeys} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

let bucket: string;

beforeAll(async () => {
  ({bucket} = await freshBucket('cli-secrets'));
  await putObjects(bucket, {'dir/': '', 'dir/f.txt': 'hello'});
});

/** Every byte the journal folder holds (metastore, its WAL, the key file), as text. */
function journalBytes(journal: string): string {
  return readdirSync(journal).map((f) => readFileSync(join(journal, f)).toString('latin1')).join('\n');
}

function storedOptions(metastore: string, mountPoint: string): Record<string, string> {
  const db = new Database(metastore, {readonly: true});
  try {
    const row = db.prepare('SELECT options FROM mounts WHERE alluxio_path = ?').get(mountPoint) as {options: string};
    return JSON.parse(row.options) as Record<string, string>;
  } finally {
    db.close();
  }
}

describe('mount-option secrets at rest', () => {
  it('seals a literal secret, keeps it working, and names the mount and key file when the key is missing', async () => {
    const home = s3Home();
    const k = userKeys(1);
    expectSuccess(await home.run(['format']));
    const mounted = await home.run([
      'fs', 'mount', '--option', `aws.accessKeyId=${k.id}`, '--option', `aws.secretKey=${k.secret}`, '/s3', `s3://${bucket}/dir`,
    ]);
    expect(mounted.code, mounted.stderr).toBe(0);

    const keyFile = join(home.journal, 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(journalBytes(home.journal)).not.toContain(k.secret);
    const options = storedOptions(home.metastore, '/s3');
    expect(options['s3a.accessKeyId']).toBe(k.id);
    expect(options['s3a.secretKey']).toMatch(/^enc:v1:/);

    expectSuccess(await home.run(['fs', 'cat', '/s3/f.txt']), ['hello']);

    // another host sharing the metastore, without the key file
    renameSync(keyFile, `${keyFile}.away`);
    expectError(
      await home.run(['fs', 'cat', '/s3/f.txt']),
      `s3a.secretKey (mount option of /s3) is sealed, and the key file ${keyFile} cannot be read (ENOENT)`,
      {hint: true},
    );
    // a different key file: the same line, with why
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, {mode: 0o600});
    expectError(
      await home.run(['fs', 'ls', '/s3']),
      `s3a.secretKey (mount option of /s3) is sealed, and the key file ${keyFile} is not the key the secret was sealed with`,
      {hint: true},
    );
    // the key file copied over, as README says
    copyFileSync(`${keyFile}.away`, keyFile);
    chmodSync(keyFile, 0o600);
    expectSuccess(await home.run(['fs', 'cat', '/s3/f.txt']), ['hello']);
  });

  it('stores env: and file: references as given, and creates no key file for them', async () => {
    const home = s3Home({env: {MY_SECRET: userKeys(1).secret}});
    expectSuccess(await home.run(['format']));
    const r = await home.run([
      'fs', 'mount', '--option', `s3a.accessKeyId=${userKeys(1).id}`, '--option', 's3a.secretKey=env:MY_SECRET', '/s3', `s3://${bucket}/dir`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedOptions(home.metastore, '/s3')['s3a.secretKey']).toBe('env:MY_SECRET');
    expect(existsSync(join(home.journal, 'secret.key'))).toBe(false);
    expectSuccess(await home.run(['fs', 'cat', '/s3/f.txt']), ['hello']);
  });
});

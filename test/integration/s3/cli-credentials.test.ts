/**
 * `bin/alluxio` against radosgw: Alluxio's credential levels (facts §2), each beating the one below it, seen by
 * which user's private bucket the CLI reaches; the error of refused keys; getConf on credential keys (§7).
 *
 * user1 owns bucket A, user2 owns bucket B, both private. A level holding user1's keys above a level holding
 * user2's keys must mount A and be refused B, and the refusal must name the winning level.
 */
import {CreateBucketCommand} from '@aws-sdk/client-s3';
import {writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunOptions, type RunResult, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects, s3Client, uniqueBucketName} from '../../helpers/s3.js';
import {
  deniedLine,
  gatewaySite,
  guardSecrets,
  keyOptions,
  keyProperties,
  mountTable,
  registerSecret,
  s3Home,
  userKeys,
} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const WRONG_SECRET = registerSecret('wrongSecretThatMustNeverBePrinted00000000001');

let bucketA: string;
let bucketB: string;
const user2 = () => s3Client({user: 2});

beforeAll(async () => {
  ({bucket: bucketA} = await freshBucket('cli-cred-a'));
  bucketB = uniqueBucketName('cli-cred-b');
  await user2().send(new CreateBucketCommand({Bucket: bucketB}));
  await putObjects(bucketA, {'dir/': '', 'dir/a.txt': 'in A'});
  await putObjects(bucketB, {'dir/': '', 'dir/b.txt': 'in B'}, user2());
});

afterAll(async () => {
  await emptyAndDeleteBucket(bucketA);
  await emptyAndDeleteBucket(bucketB, user2());
});

/** `fs [pre...] mount [mountArgs...] /a s3://A/dir` and the same for B, each in the home. */
async function mountBoth(
  home: Home,
  opts: {pre?: string[]; mountArgs?: string[]; run?: RunOptions} = {},
): Promise<{a: RunResult; b: RunResult}> {
  const mountOf = (path: string, bucket: string) =>
    home.run(['fs', ...(opts.pre ?? []), 'mount', ...(opts.mountArgs ?? []), path, `s3://${bucket}/dir`], opts.run);
  const a = await mountOf('/a', bucketA);
  const b = await mountOf('/b', bucketB);
  return {a, b};
}

/**
 * The winner (user `winner`) reaches its own bucket and is refused the other one, with a message naming `level`;
 * only the successful mount is in the table afterwards.
 */
async function expectWinner(home: Home, r: {a: RunResult; b: RunResult}, winner: 1 | 2, level: (mountPoint: string) => string) {
  const [ok, refused] = winner === 1 ? [r.a, r.b] : [r.b, r.a];
  const [okPath, okBucket] = winner === 1 ? ['/a', bucketA] : ['/b', bucketB];
  const [refusedPath, refusedBucket] = winner === 1 ? ['/b', bucketB] : ['/a', bucketA];
  expectSuccess(ok, [`Mounted s3://${okBucket}/dir at ${okPath}`]);
  expectError(refused, deniedLine(`s3://${refusedBucket}/dir`, userKeys(winner).id, level(refusedPath)), {hint: true});
  expect(lines(refused.stderr)[1]).toMatch(/^Hint: Check the credentials/);
  expect((await mountTable(home)).map((m) => m.path)).toEqual(['/', okPath]);
}

describe('credential levels, each beating the one below it', () => {
  it('mount option (aws.* aliases) beats -D on the command line; the stored option keeps winning later', async () => {
    const home = s3Home();
    const r = await mountBoth(home, {pre: keyProperties(2), mountArgs: keyOptions(1, 'aws')});
    await expectWinner(home, r, 1, (mp) => `mount option of ${mp}`);
    // A later command with user2's keys as -D still uses the mount's own keys.
    const ls = await home.run(['fs', ...keyProperties(2), 'ls', '/a']);
    expectSuccess(ls);
    expect(lines(ls.stdout).map((l) => l.slice(103).trimEnd())).toEqual(['/a/a.txt']);
  });

  it('mount option beats -D in ALLUXIO_JAVA_OPTS', async () => {
    const home = s3Home({env: {ALLUXIO_JAVA_OPTS: keyProperties(2).join(' ')}});
    const r = await mountBoth(home, {mountArgs: keyOptions(1, 'aws')});
    await expectWinner(home, r, 1, (mp) => `mount option of ${mp}`);
  });

  it('a root mount option in the site file beats -D', async () => {
    const k1 = userKeys(1);
    const rootOn = (bucket: string) =>
      s3Home({
        keys: 2,
        site: {
          'alluxio.master.mount.table.root.ufs': `s3://${bucket}/dir`,
          'alluxio.master.mount.table.root.option.s3a.accessKeyId': k1.id,
          'alluxio.master.mount.table.root.option.s3a.secretKey': k1.secret,
        },
      });
    const onA = await rootOn(bucketA).run(['fs', ...keyProperties(2), 'ls', '/']);
    expectSuccess(onA);
    expect(lines(onA.stdout).map((l) => l.slice(103).trimEnd())).toEqual(['/a.txt']);
    const onB = await rootOn(bucketB).run(['fs', ...keyProperties(2), 'ls', '/']);
    // The root mount's owner/mode are read first; that refusal's warning is checked (strictly) in "refused keys".
    const withoutAclWarning = {
      ...onB,
      stderr: lines(onB.stderr)
        .filter((l) => !l.startsWith('WARN: Failed to inherit bucket ACLs'))
        .map((l) => `${l}\n`)
        .join(''),
    };
    expectError(withoutAclWarning, deniedLine(`s3://${bucketB}/dir`, k1.id, 'mount option of /'), {hint: true});
  });

  it('-D on the command line beats s3a.* in the site file', async () => {
    const home = s3Home({keys: 2});
    const r = await mountBoth(home, {pre: keyProperties(1)});
    await expectWinner(home, r, 1, () => 'system property (command line)');
  });

  it('-D in ALLUXIO_JAVA_OPTS beats s3a.* in the site file', async () => {
    const home = s3Home({keys: 2, env: {ALLUXIO_JAVA_OPTS: keyProperties(1).join(' ')}});
    const r = await mountBoth(home);
    await expectWinner(home, r, 1, () => 'system property (ALLUXIO_JAVA_OPTS)');
  });

  it('s3a.* in the site file beats AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', async () => {
    const k2 = userKeys(2);
    const home = s3Home({keys: 1, env: {AWS_ACCESS_KEY_ID: k2.id, AWS_SECRET_ACCESS_KEY: k2.secret}});
    const r = await mountBoth(home);
    await expectWinner(home, r, 1, () => `site property (${home.siteFile})`);
  });

  describe('the environment beats the profile file', () => {
    function profileHome(env: Record<string, string>): Home {
      const home = s3Home({env});
      const file = join(home.dir, 'aws-credentials');
      const k2 = userKeys(2);
      writeFileSync(
        file,
        `[default]\naws_access_key_id = WRONGDEFAULTKEY00000\naws_secret_access_key = ${WRONG_SECRET}\n\n` +
          `[team]\naws_access_key_id = ${k2.id}\naws_secret_access_key = ${k2.secret}\n`,
      );
      home.env.AWS_SHARED_CREDENTIALS_FILE = file;
      home.env.AWS_PROFILE = 'team';
      return home;
    }

    it('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', async () => {
      const k1 = userKeys(1);
      const home = profileHome({AWS_ACCESS_KEY_ID: k1.id, AWS_SECRET_ACCESS_KEY: k1.secret});
      const r = await mountBoth(home);
      await expectWinner(home, r, 1, () => 'environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
    });

    it('the alternate names AWS_ACCESS_KEY / AWS_SECRET_KEY', async () => {
      const k1 = userKeys(1);
      const home = profileHome({AWS_ACCESS_KEY: k1.id, AWS_SECRET_KEY: k1.secret});
      const r = await mountBoth(home);
      await expectWinner(home, r, 1, () => 'environment (AWS_ACCESS_KEY, AWS_SECRET_KEY)');
    });

    it('without the environment, the profile named by AWS_PROFILE in AWS_SHARED_CREDENTIALS_FILE is used', async () => {
      const home = profileHome({});
      const r = await mountBoth(home);
      await expectWinner(home, r, 2, () => `profile file (profile team in ${home.env.AWS_SHARED_CREDENTIALS_FILE})`);
    });
  });

  describe('instance profile (loopback IMDS stub with user1 keys)', () => {
    let imds: {url: string; requests: string[]; close(): Promise<void>};

    beforeAll(async () => {
      imds = await startImdsStub(userKeys(1));
    });
    afterAll(async () => {
      await imds?.close();
    });

    /** The metadata service is on for these runs only, pointed at the stub (never 169.254.169.254). */
    function imdsHome(): Home {
      return s3Home({env: {AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url}});
    }

    it('the profile file beats the instance profile, which is then never asked', async () => {
      const home = imdsHome();
      const k2 = userKeys(2);
      const file = join(home.dir, 'aws-credentials');
      writeFileSync(file, `[default]\naws_access_key_id = ${k2.id}\naws_secret_access_key = ${k2.secret}\n`);
      home.env.AWS_SHARED_CREDENTIALS_FILE = file;
      imds.requests.length = 0;
      const r = await mountBoth(home);
      await expectWinner(home, r, 2, () => `profile file (profile default in ${file})`);
      expect(imds.requests).toEqual([]);
    });

    it('with nothing else configured, the instance profile answers (IMDSv2 token, role, credentials)', async () => {
      const home = imdsHome();
      imds.requests.length = 0;
      const r = await mountBoth(home);
      await expectWinner(home, r, 1, () => 'instance profile (EC2 instance metadata)');
      expect(imds.requests).toContain('PUT /latest/api/token');
      expect(imds.requests).toContain(`GET /latest/meta-data/iam/security-credentials/ token`);
      expect(imds.requests).toContain(`GET /latest/meta-data/iam/security-credentials/alluxio-test-role token`);
    });
  });
});

describe('refused keys', () => {
  it('a wrong secret: one line naming the operation, the object, HTTP 403, the level and the masked key id; exit 255', async () => {
    const home = s3Home();
    const k1 = userKeys(1);
    const r = await home.run(['fs', 'mount', '--option', `s3a.accessKeyId=${k1.id}`, '--option', `s3a.secretKey=${WRONG_SECRET}`, '/w', `s3://${bucketA}/dir`]);
    expectError(r, deniedLine(`s3://${bucketA}/dir`, k1.id, 'mount option of /w'), {hint: true});
    expect(lines(r.stderr)[0]).toContain('****************0001');
    expect((await mountTable(home)).map((m) => m.path)).toEqual(['/']);
  });

  it('an unknown access key (as -D): same shape, naming the system property level', async () => {
    const home = s3Home();
    const unknown = 'AKIANOSUCHUSERKEY0001';
    const r = await home.run(['fs', `-Ds3a.accessKeyId=${unknown}`, `-Ds3a.secretKey=${WRONG_SECRET}`, 'mount', '/w', `s3://${bucketA}/dir`]);
    expectError(r, deniedLine(`s3://${bucketA}/dir`, unknown, 'system property (command line)'), {hint: true});
    expect(lines(r.stderr)[0]).toContain('****************0001');
    expect(r.stderr).not.toContain(unknown);
    expect((await mountTable(home)).map((m) => m.path)).toEqual(['/']);
  });

  it('a wrong secret in the site file of an S3 root mount fails fs ls / the same way', async () => {
    const k1 = userKeys(1);
    const home = s3Home({
      site: {
        'alluxio.master.mount.table.root.ufs': `s3://${bucketA}/dir`,
        's3a.accessKeyId': k1.id,
        's3a.secretKey': WRONG_SECRET,
      },
    });
    const r = await home.run(['fs', 'ls', '/']);
    expectError(r, deniedLine(`s3://${bucketA}/dir`, k1.id, `site property (${home.siteFile})`), {hint: true});
  });

  it('once the secret is fixed, the S3 root mount shows the bucket owner (a refused ACL read is not kept)', async () => {
    const k1 = userKeys(1);
    const site = {...gatewaySite(), 'alluxio.master.mount.table.root.ufs': `s3://${bucketA}/dir`, 's3a.accessKeyId': k1.id};
    const home = s3Home({site: {...site, 's3a.secretKey': WRONG_SECRET}});
    expect((await home.run(['fs', 'ls', '/'])).code).toBe(255);
    home.writeSite({...site, 's3a.secretKey': k1.secret});
    const r = await home.run(['fs', 'ls', '/']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => [l.slice(0, 12).trim(), l.slice(12, 27).trim(), l.slice(103).trimEnd()])).toEqual([
      ['-rwx------', 'User One', '/a.txt'],
    ]);
  });
});

describe('getConf on credential keys', () => {
  it('--source names where the key comes from; the values print as ******', async () => {
    const env = s3Env();
    const home = s3Home({keys: 1});
    const source = await home.run(['getConf', '--source', 's3a.accessKeyId']);
    expectSuccess(source, [`SITE_PROPERTY (${home.siteFile})`]);
    const sourceD = await home.run(['getConf', ...keyProperties(2), '--source', 's3a.secretKey']);
    expectSuccess(sourceD, ['SYSTEM_PROPERTY']);
    const secret = await home.run(['getConf', 's3a.secretKey']);
    expectSuccess(secret, ['******']);
    const viaAlias = await home.run(['getConf', 'aws.secretKey']);
    expectSuccess(viaAlias, ['******']);
    const id = await home.run(['getConf', 's3a.accessKeyId']);
    expectSuccess(id, ['******']);
    const all = await home.run(['getConf']);
    expectSuccess(all);
    expect(lines(all.stdout)).toContain('s3a.secretKey=******');
    expect(lines(all.stdout)).toContain('s3a.accessKeyId=******');
    const json = await home.run(['getConf', '--json', 's3a.secretKey']);
    expect(json.code, describeResult(json)).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({key: 's3a.secretKey', value: '******'});
    for (const r of [source, sourceD, secret, viaAlias, id, all, json]) {
      expect(r.stdout + r.stderr).not.toContain(env.secretKey);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

/**
 * A loopback EC2 instance metadata service: IMDSv2 token, then the role list and the role's credentials, each
 * only with the token. Records `METHOD path` (plus ` token` when the token header came along).
 */
async function startImdsStub(keys: {id: string; secret: string}): Promise<{url: string; requests: string[]; close(): Promise<void>}> {
  const TOKEN = 'imds-session-token-for-tests';
  const ROLE = 'alluxio-test-role';
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const withToken = req.headers['x-aws-ec2-metadata-token'] === TOKEN;
    requests.push(`${req.method} ${req.url}${withToken ? ' token' : ''}`);
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      if (!req.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, {'content-type': 'text/plain'}).end(TOKEN);
      return;
    }
    if (!withToken) {
      res.writeHead(401).end();
      return;
    }
    if (req.method === 'GET' && req.url === '/latest/meta-data/iam/security-credentials/') {
      res.writeHead(200, {'content-type': 'text/plain'}).end(ROLE);
      return;
    }
    if (req.method === 'GET' && req.url === `/latest/meta-data/iam/security-credentials/${ROLE}`) {
      const now = Date.now();
      res.writeHead(200, {'content-type': 'application/json'}).end(
        JSON.stringify({
          Code: 'Success',
          LastUpdated: new Date(now).toISOString(),
          Type: 'AWS-HMAC',
          AccessKeyId: keys.id,
          SecretAccessKey: keys.secret,
          Token: 'imds-session-token-value',
          Expiration: new Date(now + 6 * 3600_000).toISOString(),
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

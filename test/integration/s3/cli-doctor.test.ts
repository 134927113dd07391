/**
 * `bin/alluxio doctor s3` and `fs mount --dry-run` against radosgw: the six credential levels and which one is used
 * (key ids masked), the client settings with their sources, the probes (list, bucket ACL, read, write) and what a
 * refusal says, the exit codes (0 healthy, 1 not, 255 for a path that is not on S3), and the `Hint:` of a 403 on a
 * normal command that sends the user to the doctor. Every output is scanned for secrets (guardSecrets).
 *
 * user1 owns bucket A (dir/a.txt) and bucket R (dir/a.txt); user2 has only a READ grant on R (and, later, on its
 * object).
 */
import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PutBucketAclCommand, PutObjectAclCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, crashSigns, describeResult, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, type RequestLog, requestLog, s3Client} from '../../helpers/s3.js';
import {
  deniedLine,
  guardSecrets,
  keyOptions,
  keyProperties,
  masked,
  mountTable,
  registerSecret,
  s3Home,
  userKeys,
} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const WRONG_SECRET = registerSecret('wrongDoctorSecretThatMustNeverBePrinted0001');
const UNKNOWN_KEY_ID = 'AKIADOCTORNOSUCHKEY0009';

let bucketA: string;
let bucketR: string;

beforeAll(async () => {
  ({bucket: bucketA} = await freshBucket('cli-doctor-a'));
  ({bucket: bucketR} = await freshBucket('cli-doctor-r'));
  await putObjects(bucketA, {'dir/': '', 'dir/a.txt': 'in A'});
  await putObjects(bucketR, {'dir/': '', 'dir/a.txt': 'in R'});
});

afterAll(async () => {
  await emptyAndDeleteBucket(bucketA);
  await emptyAndDeleteBucket(bucketR);
});

// ---------------------------------------------------------------------------------------------------------------
// Expected output

const LEVELS = ['mount option', 'system property', 'site property', 'environment', 'profile file', 'instance profile'] as const;
type Level = (typeof LEVELS)[number];

/** The "Credentials" section: every level "nothing" (or what an empty home gives) unless overridden. */
function credentialsSection(home: Home, rows: Partial<Record<Level, string>>): string[] {
  const defaults: Record<Level, string> = {
    'mount option': 'nothing',
    'system property': 'nothing',
    'site property': 'nothing',
    environment: 'nothing',
    'profile file':
      'Could not resolve credentials using profile: [default] in configuration/credentials file(s).' +
      `  [profile default in ${join(home.userHome, '.aws', 'credentials')}]`,
    'instance profile': 'disabled by AWS_EC2_METADATA_DISABLED',
  };
  return ['Credentials (highest level first):', ...LEVELS.map((l) => `  ${l.padEnd(16)}  ${rows[l] ?? defaults[l]}`)];
}

/** The lines of a titled section of a diagnosis (title line included), up to the next blank line. */
function section(r: RunResult, title: string): string[] {
  const all = lines(r.stdout);
  const start = all.indexOf(title);
  expect(start, `no "${title}" section in\n${describeResult(r)}`).toBeGreaterThanOrEqual(0);
  const end = all.indexOf('', start);
  return all.slice(start, end < 0 ? undefined : end);
}

const SKIP_WRITE = '  SKIP write        run with --write to test writing (the probe object is deleted afterwards)';
const ACL_OK = '  OK   bucket ACL   owner=User One group=User One mode=0700 from canonical id user1';
const FIX_INDENT = ' '.repeat(20);
const HEALTHY = 'Healthy.';
const NOT_HEALTHY = 'Not healthy: see the failed probes above.';

function probesOk(bucket: string, used: string, write: string = SKIP_WRITE): string[] {
  return [
    'Probes:',
    `  OK   credentials  using access key ${masked(userKeys(1).id)} from ${used}`,
    `  OK   list         s3://${bucket}/dir/ lists 2 key(s) in its first page`,
    ACL_OK,
    `  OK   read         read the first byte of s3://${bucket}/dir/a.txt`,
    write,
  ];
}

/** A diagnosis on stdout: exit `code`, nothing on stderr, never a raw key id, no crash. */
function expectDiagnosis(r: RunResult, code: 0 | 1): void {
  const d = describeResult(r);
  expect(r.timedOut, d).toBe(false);
  expect(r.code, d).toBe(code);
  expect(r.stderr, d).toBe('');
  expect(crashSigns(r), d).toEqual([]);
  for (const id of [userKeys(1).id, userKeys(2).id, UNKNOWN_KEY_ID]) expect(r.stdout, d).not.toContain(id);
  const last = lines(r.stdout).at(-1);
  if (!r.stdout.includes('Would mount ')) expect(last, d).toBe(code === 0 ? HEALTHY : NOT_HEALTHY);
}

/** The one line of the Credentials section that carries the `<- used` marker. */
function usedLines(r: RunResult): string[] {
  return section(r, 'Credentials (highest level first):').filter((l) => l.includes('<- used'));
}

/** The gateway's requests on `bucket` from now on (earlier ones the gateway logs late are left out). */
async function freshLog(bucket: string): Promise<RequestLog> {
  const log = requestLog({bucket});
  await log.reset();
  return log;
}

/** A home with /mnt made, so that mounts can go to /mnt/<name>. */
async function homeWithMnt(options: Parameters<typeof s3Home>[0] = {}): Promise<Home> {
  const home = s3Home(options);
  expectSuccess(await home.run(['fs', 'mkdir', '/mnt']), ['Successfully created directory /mnt']);
  return home;
}

/** A site file holding secrets is chmod 600, so that the CLI has no reason to warn on stderr. */
function privateSite(home: Home): Home {
  chmodSync(home.siteFile, 0o600);
  return home;
}

// ---------------------------------------------------------------------------------------------------------------

describe('doctor s3 on a healthy mount', () => {
  let home: Home;
  const uri = () => `s3://${bucketA}/dir`;

  beforeAll(async () => {
    home = await homeWithMnt();
    const env = s3Env();
    const r = await home.run(['fs', 'mount', '--option', `alluxio.underfs.s3.endpoint=${env.endpoint}`, ...keyOptions(1), '/mnt/s3', uri()]);
    expectSuccess(r, [`Mounted ${uri()} at /mnt/s3`]);
  });

  it('the whole report: six credential levels, the client settings with their sources, the probes; exit 0; writes nothing', async () => {
    const env = s3Env();
    const log = await freshLog(bucketA);
    const r = await home.run(['doctor', 's3', '/mnt/s3']);
    expectDiagnosis(r, 0);
    expect(lines(r.stdout), describeResult(r)).toEqual([
      `Diagnosis of /mnt/s3 (mount /mnt/s3, ${uri()})`,
      '',
      ...credentialsSection(home, {'mount option': `${masked(userKeys(1).id)}  <- used  [/mnt/s3]`}),
      '',
      'Client:',
      `  endpoint                ${env.endpoint}  [alluxio.underfs.s3.endpoint (mount option /mnt/s3)]`,
      '  region                  us-east-1  [default (neither alluxio.underfs.s3.region nor alluxio.underfs.s3.endpoint.region is set); follows region redirects]',
      `  addressing              path  [alluxio.underfs.s3.disable.dns.buckets (site property ${home.siteFile})]`,
      '  signer                  V4  [alluxio.underfs.s3.signer.algorithm not set]',
      '  proxy                   none  [alluxio.underfs.s3.proxy.host not set]',
      '  server-side encryption  off  [alluxio.underfs.s3.server.side.encryption.enabled (default)]',
      '  socket timeout          50000ms  [alluxio.underfs.s3.socket.timeout (default)]',
      '  request timeout         60000ms  [alluxio.underfs.s3.request.timeout (default)]',
      '  connection ttl          never  [alluxio.underfs.s3.connection.ttl (default)]',
      '  max connections         40  [alluxio.underfs.s3.threads.max (default)]',
      '  max attempts            3  [alluxio.underfs.s3.max.error.retry (default), plus 1]',
      '',
      ...probesOk(bucketA, 'mount option of /mnt/s3'),
      '',
      HEALTHY,
    ]);
    expect(await log.writes()).toEqual([]);
  });

  it('--write: the write probe is OK, really wrote and deleted its object, and leaves nothing behind', async () => {
    const log = await freshLog(bucketA);
    const r = await home.run(['doctor', 's3', '--write', '/mnt/s3']);
    expectDiagnosis(r, 0);
    const probes = section(r, 'Probes:');
    expect(probes.slice(0, 5)).toEqual(probesOk(bucketA, 'mount option of /mnt/s3').slice(0, 5));
    expect(probes).toHaveLength(6);
    const m = new RegExp(`^  OK   write        wrote and deleted s3://${bucketA}/(dir/\\.alluxio-doctor-[0-9a-f-]{36})$`).exec(probes[5]!);
    expect(m, describeResult(r)).not.toBeNull();
    const probeKey = m![1]!;
    expect(lines(r.stdout).at(-1)).toBe(HEALTHY);
    // The gateway saw the PUT and the DELETE of that very key, and nothing else that writes.
    const writes = (await log.writes()).map((e) => [e.method, e.uri.split('?')[0], e.status]);
    expect(writes).toEqual([
      ['PUT', `/${bucketA}/${probeKey}`, 200],
      ['DELETE', `/${bucketA}/${probeKey}`, 204],
    ]);
    expect(await listAllKeys(bucketA)).toEqual(['dir/', 'dir/a.txt']);
  });

  it('--json: one parseable report, healthy, with every probe status; the secret is not in it', async () => {
    const r = await home.run(['doctor', 's3', '--json', '/mnt/s3']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr, describeResult(r)).toBe('');
    const report = JSON.parse(r.stdout) as {
      target: string;
      ufsUri: string;
      mountPoint: string;
      healthy: boolean;
      sections: {title: string; rows: {name: string; value: string}[]}[];
      probes: {name: string; action: string; status: string}[];
    };
    expect(report).toMatchObject({target: '/mnt/s3', ufsUri: uri(), mountPoint: '/mnt/s3', healthy: true});
    expect(report.probes.map((p) => [p.name, p.action, p.status])).toEqual([
      ['credentials', 'credentials', 'ok'],
      ['list', 's3:ListBucket', 'ok'],
      ['bucket ACL', 's3:GetBucketAcl', 'ok'],
      ['read', 's3:GetObject', 'ok'],
      ['write', 's3:PutObject', 'skipped'],
    ]);
    expect(report.sections.map((s) => s.title)).toEqual(['Credentials (highest level first)', 'Client']);
    expect(report.sections[0]!.rows.map((row) => [row.name, row.value.includes('<- used')])).toEqual(
      LEVELS.map((l) => [l, l === 'mount option']),
    );
    expect(report.sections[0]!.rows[0]!.value).toBe(`${masked(userKeys(1).id)}  <- used`);
    expect(r.stdout).not.toContain(userKeys(1).id);
  });
});

describe('each credential level winning, keys at that level only', () => {
  const uri = () => `s3://${bucketA}/dir`;

  async function expectWinner(r: RunResult, home: Home, level: Level, row: string, used: string, header?: string) {
    expectDiagnosis(r, 0);
    expect(lines(r.stdout)[0], describeResult(r)).toBe(header ?? `Diagnosis of ${uri()}`);
    expect(section(r, 'Credentials (highest level first):'), describeResult(r)).toEqual(
      credentialsSection(home, {[level]: row}),
    );
    expect(usedLines(r)).toEqual([`  ${level.padEnd(16)}  ${row}`]);
    expect(section(r, 'Probes:'), describeResult(r)).toEqual(probesOk(bucketA, used));
  }

  it('mount option: the Alluxio path of a mount made with --option keys, and a URI under that mount', async () => {
    const home = await homeWithMnt();
    expectSuccess(await home.run(['fs', 'mount', ...keyOptions(1), '/mnt/s3', uri()]), [`Mounted ${uri()} at /mnt/s3`]);
    const row = `${masked(userKeys(1).id)}  <- used  [/mnt/s3]`;
    const byPath = await home.run(['doctor', 's3', '/mnt/s3']);
    await expectWinner(byPath, home, 'mount option', row, 'mount option of /mnt/s3', `Diagnosis of /mnt/s3 (mount /mnt/s3, ${uri()})`);
    const byUri = await home.run(['doctor', 's3', uri()]);
    await expectWinner(byUri, home, 'mount option', row, 'mount option of /mnt/s3', `Diagnosis of ${uri()} (mount /mnt/s3, ${uri()})`);
  });

  it('system property: -Ds3a.accessKeyId / -Ds3a.secretKey on the command line', async () => {
    const home = s3Home();
    const r = await home.run(['doctor', ...keyProperties(1), 's3', uri()]);
    await expectWinner(r, home, 'system property', `${masked(userKeys(1).id)}  <- used  [command line]`, 'system property (command line)');
  });

  it('site property: s3a.* in alluxio-site.properties', async () => {
    const home = privateSite(s3Home({keys: 1}));
    const r = await home.run(['doctor', 's3', uri()]);
    await expectWinner(r, home, 'site property', `${masked(userKeys(1).id)}  <- used  [${home.siteFile}]`, `site property (${home.siteFile})`);
  });

  it('environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', async () => {
    const k1 = userKeys(1);
    const home = s3Home({env: {AWS_ACCESS_KEY_ID: k1.id, AWS_SECRET_ACCESS_KEY: k1.secret}});
    const r = await home.run(['doctor', 's3', uri()]);
    await expectWinner(
      r,
      home,
      'environment',
      `${masked(k1.id)}  <- used  [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]`,
      'environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)',
    );
  });

  it('profile file: the default profile of AWS_SHARED_CREDENTIALS_FILE', async () => {
    const k1 = userKeys(1);
    const home = s3Home();
    const file = join(home.dir, 'aws-credentials');
    writeFileSync(file, `[default]\naws_access_key_id = ${k1.id}\naws_secret_access_key = ${k1.secret}\n`, {mode: 0o600});
    home.env.AWS_SHARED_CREDENTIALS_FILE = file;
    const r = await home.run(['doctor', 's3', uri()]);
    await expectWinner(r, home, 'profile file', `${masked(k1.id)}  <- used  [profile default in ${file}]`, `profile file (profile default in ${file})`);
  });

  it('a higher level beats a lower one that holds other keys: both are shown, masked, the marker on the winner', async () => {
    const home = privateSite(s3Home({keys: 2}));
    const r = await home.run(['doctor', ...keyProperties(1), 's3', uri()]);
    expectDiagnosis(r, 0);
    expect(section(r, 'Credentials (highest level first):')).toEqual(
      credentialsSection(home, {
        'system property': `${masked(userKeys(1).id)}  <- used  [command line]`,
        'site property': `${masked(userKeys(2).id)}  [${home.siteFile}]`,
      }),
    );
    expect(section(r, 'Probes:')).toEqual(probesOk(bucketA, 'system property (command line)'));
  });
});

describe('refused keys', () => {
  const uri = () => `s3://${bucketA}/dir`;

  it('a wrong secret: list and bucket ACL FAIL with SignatureDoesNotMatch and a fix about the secret; exit 1', async () => {
    const home = s3Home();
    const k1 = userKeys(1);
    const r = await home.run(['doctor', `-Ds3a.accessKeyId=${k1.id}`, `-Ds3a.secretKey=${WRONG_SECRET}`, 's3', uri()]);
    expectDiagnosis(r, 1);
    expect(usedLines(r)).toEqual([`  system property   ${masked(k1.id)}  <- used  [command line]`]);
    const fix = `${FIX_INDENT}fix: The secret key does not match the access key id: check the secret at the level marked "used".`;
    expect(section(r, 'Probes:'), describeResult(r)).toEqual([
      'Probes:',
      `  OK   credentials  using access key ${masked(k1.id)} from system property (command line)`,
      '  FAIL list         s3:ListBucket denied (HTTP 403 SignatureDoesNotMatch)',
      fix,
      '  FAIL bucket ACL   s3:GetBucketAcl denied (HTTP 403 SignatureDoesNotMatch)',
      fix,
      '  SKIP read         nothing to read: the listing failed',
      SKIP_WRITE,
    ]);
    expect(lines(r.stdout).at(-1)).toBe(NOT_HEALTHY);
  });

  it('a wrong secret with --json: healthy false, the failed probes, exit 1', async () => {
    const home = s3Home();
    const r = await home.run(['doctor', `-Ds3a.accessKeyId=${userKeys(1).id}`, `-Ds3a.secretKey=${WRONG_SECRET}`, 's3', '--json', uri()]);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr, describeResult(r)).toBe('');
    const report = JSON.parse(r.stdout) as {healthy: boolean; probes: {name: string; status: string; detail: string}[]};
    expect(report.healthy).toBe(false);
    expect(report.probes.map((p) => [p.name, p.status])).toEqual([
      ['credentials', 'ok'],
      ['list', 'failed'],
      ['bucket ACL', 'failed'],
      ['read', 'skipped'],
      ['write', 'skipped'],
    ]);
    expect(report.probes[1]!.detail).toBe('s3:ListBucket denied (HTTP 403 SignatureDoesNotMatch)');
  });

  it('an unknown access key id: InvalidAccessKeyId and a fix about the key id; exit 1', async () => {
    const home = s3Home();
    const r = await home.run(['doctor', `-Ds3a.accessKeyId=${UNKNOWN_KEY_ID}`, `-Ds3a.secretKey=${WRONG_SECRET}`, 's3', uri()]);
    expectDiagnosis(r, 1);
    expect(usedLines(r)).toEqual([`  system property   ${masked(UNKNOWN_KEY_ID)}  <- used  [command line]`]);
    const fix = `${FIX_INDENT}fix: The store does not know this access key id: check the key id at the level marked "used".`;
    expect(section(r, 'Probes:'), describeResult(r)).toEqual([
      'Probes:',
      `  OK   credentials  using access key ${masked(UNKNOWN_KEY_ID)} from system property (command line)`,
      '  FAIL list         s3:ListBucket denied (HTTP 403 InvalidAccessKeyId)',
      fix,
      '  FAIL bucket ACL   s3:GetBucketAcl denied (HTTP 403 InvalidAccessKeyId)',
      fix,
      '  SKIP read         nothing to read: the listing failed',
      SKIP_WRITE,
    ]);
    expect(lines(r.stdout).at(-1)).toBe(NOT_HEALTHY);
  });
});

describe('a user with only READ grants (user2 on user1\'s bucket)', () => {
  const uri = () => `s3://${bucketR}/dir`;
  const FIX_ACL =
    `${FIX_INDENT}fix: Grant s3:GetBucketAcl (and s3:ListAllMyBuckets for the owner), or set ` +
    'alluxio.underfs.s3.inherit.acl=false and alluxio.underfs.s3.default.mode.';
  const user2Probes = (read: string[], write: string[]) => [
    'Probes:',
    `  OK   credentials  using access key ${masked(userKeys(2).id)} from system property (command line)`,
    `  OK   list         s3://${bucketR}/dir/ lists 2 key(s) in its first page`,
    '  FAIL bucket ACL   s3:GetBucketAcl denied (HTTP 403 AccessDenied)',
    FIX_ACL,
    ...read,
    ...write,
  ];

  it('READ on the bucket only: list OK, bucket ACL FAIL, read FAIL (the object is private); then READ on the object too: read OK, --write FAIL', async () => {
    const env = s3Env();
    const client = s3Client();
    const owner = {ID: env.userId};
    const grants = [
      {Grantee: {Type: 'CanonicalUser' as const, ID: env.userId}, Permission: 'FULL_CONTROL' as const},
      {Grantee: {Type: 'CanonicalUser' as const, ID: env.user2Id}, Permission: 'READ' as const},
    ];
    await client.send(new PutBucketAclCommand({Bucket: bucketR, AccessControlPolicy: {Owner: owner, Grants: grants}}));
    const home = s3Home();

    const bucketOnly = await home.run(['doctor', ...keyProperties(2), 's3', uri()]);
    expectDiagnosis(bucketOnly, 1);
    expect(usedLines(bucketOnly)).toEqual([`  system property   ${masked(userKeys(2).id)}  <- used  [command line]`]);
    expect(section(bucketOnly, 'Probes:'), describeResult(bucketOnly)).toEqual(
      user2Probes(
        ['  FAIL read         s3:GetObject denied (HTTP 403 AccessDenied)', `${FIX_INDENT}fix: Grant s3:GetObject on the objects under the prefix.`],
        [SKIP_WRITE],
      ),
    );

    await client.send(
      new PutObjectAclCommand({Bucket: bucketR, Key: 'dir/a.txt', AccessControlPolicy: {Owner: owner, Grants: grants}}),
    );
    const log = await freshLog(bucketR);
    const withWrite = await home.run(['doctor', ...keyProperties(2), 's3', '--write', uri()]);
    expectDiagnosis(withWrite, 1);
    expect(section(withWrite, 'Probes:'), describeResult(withWrite)).toEqual(
      user2Probes(
        [`  OK   read         read the first byte of s3://${bucketR}/dir/a.txt`],
        [
          '  FAIL write        s3:PutObject denied (HTTP 403 AccessDenied)',
          `${FIX_INDENT}fix: Grant s3:PutObject and s3:DeleteObject under the prefix, or mount with --readonly.`,
        ],
      ),
    );
    expect(lines(withWrite.stdout).at(-1)).toBe(NOT_HEALTHY);
    // The refused PUT is the only write attempt; no DELETE follows it; the bucket is as it was.
    expect((await log.writes()).map((e) => [e.method, e.status])).toEqual([['PUT', 403]]);
    expect(await listAllKeys(bucketR)).toEqual(['dir/', 'dir/a.txt']);
  });
});

describe('fs mount --dry-run', () => {
  const uri = () => `s3://${bucketA}/dir`;

  it('healthy S3: the diagnosis with the mount options, then "Would mount"; exit 0; nothing mounted, nothing written', async () => {
    const home = await homeWithMnt();
    const log = await freshLog(bucketA);
    const r = await home.run(['fs', 'mount', '--dry-run', ...keyOptions(1), '/mnt/x', uri()]);
    expectDiagnosis(r, 0);
    const out = lines(r.stdout);
    expect(out[0]).toBe(`Diagnosis of ${uri()}`);
    expect(section(r, 'Credentials (highest level first):')).toEqual(
      credentialsSection(home, {'mount option': `${masked(userKeys(1).id)}  <- used  [/mnt/x]`}),
    );
    expect(section(r, 'Probes:')).toEqual(probesOk(bucketA, 'mount option of /mnt/x'));
    expect(out.slice(-2)).toEqual([HEALTHY, `Would mount ${uri()} at /mnt/x`]);
    expect((await mountTable(home)).map((m) => m.path)).toEqual(['/']);
    expectSuccess(await home.run(['fs', 'ls', '/mnt']), []);
    expect(await log.writes()).toEqual([]);
  });

  it('a wrong secret: the failed probes, then "Would mount …, but the under storage is not healthy"; exit 1; nothing mounted', async () => {
    const home = await homeWithMnt();
    const k1 = userKeys(1);
    const r = await home.run([
      'fs', 'mount', '--dry-run', '--option', `s3a.accessKeyId=${k1.id}`, '--option', `s3a.secretKey=${WRONG_SECRET}`, '/mnt/x', uri(),
    ]);
    expectDiagnosis(r, 1);
    expect(usedLines(r)).toEqual([`  mount option      ${masked(k1.id)}  <- used  [/mnt/x]`]);
    expect(section(r, 'Probes:')[2]).toBe('  FAIL list         s3:ListBucket denied (HTTP 403 SignatureDoesNotMatch)');
    expect(lines(r.stdout).slice(-2)).toEqual([NOT_HEALTHY, `Would mount ${uri()} at /mnt/x, but the under storage is not healthy`]);
    expect((await mountTable(home)).map((m) => m.path)).toEqual(['/']);
  });

  it('a local folder: only "Would mount <folder> at /mnt/y"; exit 0; nothing mounted', async () => {
    const home = await homeWithMnt();
    const folder = home.mkdir('local-ufs');
    const r = await home.run(['fs', 'mount', '--dry-run', '/mnt/y', folder]);
    expectSuccess(r, [`Would mount ${folder} at /mnt/y`]);
    expect((await mountTable(home)).map((m) => m.path)).toEqual(['/']);
    expectSuccess(await home.run(['fs', 'ls', '/mnt']), []);
  });
});

describe('doctor s3 on what is not S3', () => {
  it('the local default root: one error line and its hint; exit 255', async () => {
    const home = s3Home();
    const r = await home.run(['doctor', 's3', '/']);
    expectError(r, `/ is on a ${home.ufs} mount, not an S3 one`, {hint: true});
    expect(lines(r.stderr)[1]).toBe('Hint: Give an Alluxio path under an S3 mount, or an s3://bucket/dir URI.');
  });
});

describe('the hint of a 403 on a normal command names the doctor command', () => {
  const uri = () => `s3://${bucketA}/dir`;
  const hint = (target: string) =>
    "Hint: Check the credentials and the user's permissions on the bucket and its objects; for a read-only user, " +
    `mount with --readonly. Run "alluxio doctor s3 ${target}" for details.`;

  it('an S3 root mount with a wrong secret in the site file: fs ls / fails with the hint; the command it names diagnoses it', async () => {
    const k1 = userKeys(1);
    const home = privateSite(
      s3Home({site: {'alluxio.master.mount.table.root.ufs': uri(), 's3a.accessKeyId': k1.id, 's3a.secretKey': WRONG_SECRET}}),
    );
    const r = await home.run(['fs', 'ls', '/']);
    expectError(r, deniedLine(uri(), k1.id, `site property (${home.siteFile})`), {hint: true});
    expect(lines(r.stderr)[1]).toBe(hint(uri()));
    const doctor = await home.run(['doctor', 's3', uri()]);
    expectDiagnosis(doctor, 1);
    expect(lines(doctor.stdout)[0]).toBe(`Diagnosis of ${uri()} (mount /, ${uri()})`);
    expect(usedLines(doctor)).toEqual([`  site property     ${masked(k1.id)}  <- used  [${home.siteFile}]`]);
    expect(section(doctor, 'Probes:')[2]).toBe('  FAIL list         s3:ListBucket denied (HTTP 403 SignatureDoesNotMatch)');
  });

  it('a mount whose keys are env: references, run with a wrong secret in that variable: fs ls fails with the hint', async () => {
    const k1 = userKeys(1);
    const home = await homeWithMnt();
    const opts = ['--option', 's3a.accessKeyId=env:DOCTOR_TEST_KEY_ID', '--option', 's3a.secretKey=env:DOCTOR_TEST_SECRET'];
    const good = {DOCTOR_TEST_KEY_ID: k1.id, DOCTOR_TEST_SECRET: k1.secret};
    expectSuccess(await home.run(['fs', 'mount', ...opts, '/mnt/s3', uri()], {env: good}), [`Mounted ${uri()} at /mnt/s3`]);
    const bad = {...good, DOCTOR_TEST_SECRET: WRONG_SECRET};
    const r = await home.run(['fs', 'ls', '/mnt/s3'], {env: bad});
    expectError(r, deniedLine(uri(), k1.id, 'mount option of /mnt/s3'), {hint: true});
    expect(lines(r.stderr)[1]).toBe(hint(uri()));
    const doctor = await home.run(['doctor', 's3', uri()], {env: bad});
    expectDiagnosis(doctor, 1);
    expect(usedLines(doctor)).toEqual([`  mount option      ${masked(k1.id)}  <- used  [/mnt/s3]`]);
  });
});

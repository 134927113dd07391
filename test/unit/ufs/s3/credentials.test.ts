import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Configuration} from '../../../../src/conf/configuration.js';
import {AlluxioError} from '../../../../src/errors.js';
import {
  inspectCredentialLevels,
  resolveCredentials,
  type ResolvedCredentials,
} from '../../../../src/ufs/s3/credentials.js';
import {MASK, maskKeyId} from '../../../../src/ufs/s3/mask.js';

const SITE = '/etc/alluxio/alluxio-site.properties';
const SECRETS = ['MOUNTSECRETxxxxxxxxxx', 'SYSSECRETxxxxxxxxxxxx', 'SITESECRETxxxxxxxxxxx', 'ENVSECRETxxxxxxxxxxxx',
  'PROFILESECRETxxxxxxxx', 'PROCSECRETxxxxxxxxxxx', 'IMDSSECRETxxxxxxxxxxx', 'REFSECRETxxxxxxxxxxxx'];

let tmp: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's3-creds-'));
  env = {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-credentials'),
    AWS_CONFIG_FILE: path.join(tmp, 'no-config'),
  };
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(tmp, {recursive: true, force: true});
});

type Pairs = Record<string, string>;

function conf(levels: {site?: Pairs; system?: Pairs; mount?: Pairs}): Configuration {
  const base = new Configuration();
  for (const [key, value] of Object.entries(levels.site ?? {})) base.set(key, value, 'SITE_PROPERTY', SITE);
  for (const [key, value] of Object.entries(levels.system ?? {})) base.set(key, value, 'SYSTEM_PROPERTY', 'ALLUXIO_JAVA_OPTS');
  return levels.mount ? base.withMountOptions(levels.mount, '/mnt/s3') : base;
}

const pair = (id: string, secret: string): Pairs => ({'s3a.accessKeyId': id, 's3a.secretKey': secret});

function writeProfiles(text: string): string {
  const file = path.join(tmp, 'credentials');
  fs.writeFileSync(file, text);
  return file;
}

/** Everything a user may see of a resolution, to check that no secret leaks into it. */
function visible(creds: ResolvedCredentials): string {
  return [creds.describe(), ...creds.warnings, creds.maskedKeyId ?? ''].join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<AlluxioError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    return e as AlluxioError;
  }
  throw new Error('expected a failure');
}

describe('masking', () => {
  it('shows an access key id by its last four characters only', () => {
    expect(maskKeyId('AKIAIOSFODNN70000001')).toBe('****************0001');
    expect(maskKeyId('short0001')).toBe('****************0001');
    expect(maskKeyId('abcd')).toBe('********************');
    expect(maskKeyId('')).toBe('********************');
    expect(MASK).toBe('******');
  });
});

describe('the configuration levels', () => {
  it('takes a mount option over a system property over a site property', async () => {
    const mount = await resolveCredentials(conf({
      site: pair('SITEKEY0000000000003', SECRETS[2]!),
      system: pair('SYSKEY00000000000002', SECRETS[1]!),
      mount: pair('MOUNTKEY000000000001', SECRETS[0]!),
    }), {env});
    expect(await mount.provider()).toEqual({accessKeyId: 'MOUNTKEY000000000001', secretAccessKey: SECRETS[0]});
    expect(mount.level).toBe('mount option');
    expect(mount.secretLevel).toBe('mount option');
    expect(mount.describe()).toBe('access key ****************0001 from mount option of /mnt/s3');

    const system = await resolveCredentials(conf({
      site: pair('SITEKEY0000000000003', SECRETS[2]!),
      system: pair('SYSKEY00000000000002', SECRETS[1]!),
    }), {env});
    expect((await system.provider()).secretAccessKey).toBe(SECRETS[1]);
    expect(system.describe()).toBe('access key ****************0002 from system property (ALLUXIO_JAVA_OPTS)');

    const site = await resolveCredentials(conf({site: pair('SITEKEY0000000000003', SECRETS[2]!)}), {env});
    expect((await site.provider()).accessKeyId).toBe('SITEKEY0000000000003');
    expect(site.describe()).toBe(`access key ****************0003 from site property (${SITE})`);
    for (const creds of [mount, system, site]) expectNoSecret(visible(creds));
  });

  it('accepts the aws.* aliases', async () => {
    const creds = await resolveCredentials(conf({site: {'aws.accessKeyId': 'ALIASKEY000000000009', 'aws.secretKey': SECRETS[2]!}}), {env});
    expect(await creds.provider()).toEqual({accessKeyId: 'ALIASKEY000000000009', secretAccessKey: SECRETS[2]});
  });

  it('takes the site file over the environment', async () => {
    env.AWS_ACCESS_KEY_ID = 'ENVKEY00000000000004';
    env.AWS_SECRET_ACCESS_KEY = SECRETS[3];
    const creds = await resolveCredentials(conf({site: pair('SITEKEY0000000000003', SECRETS[2]!)}), {env});
    expect(creds.level).toBe('site property');
    expect((await creds.provider()).secretAccessKey).toBe(SECRETS[2]);
  });

  it('pairs a key id and a secret from different levels and names both', async () => {
    const creds = await resolveCredentials(conf({
      site: {'s3a.secretKey': SECRETS[2]!},
      mount: {'s3a.accessKeyId': 'MOUNTKEY000000000001'},
    }), {env});
    expect(await creds.provider()).toEqual({accessKeyId: 'MOUNTKEY000000000001', secretAccessKey: SECRETS[2]});
    expect(creds.level).toBe('mount option');
    expect(creds.secretLevel).toBe('site property');
    expect(creds.describe()).toBe(
      `access key ****************0001 from mount option of /mnt/s3, secret from site property (${SITE})`,
    );
    expect(creds.warnings).toEqual([]);
  });

  it('warns about half a pair instead of falling through silently', async () => {
    env.AWS_ACCESS_KEY_ID = 'ENVKEY00000000000004';
    env.AWS_SECRET_ACCESS_KEY = SECRETS[3];
    const creds = await resolveCredentials(conf({mount: {'s3a.accessKeyId': 'MOUNTKEY000000000001'}}), {env});
    expect(creds.level).toBe('environment');
    expect((await creds.provider()).secretAccessKey).toBe(SECRETS[3]);
    expect(creds.warnings).toEqual([
      's3a.accessKeyId is set (mount option of /mnt/s3) but s3a.secretKey is not: ignoring it and looking for ' +
        'credentials in the environment, the profile file and the instance profile',
    ]);

    const secretOnly = await resolveCredentials(conf({system: {'s3a.secretKey': SECRETS[1]!}}), {env});
    expect(secretOnly.warnings[0]).toMatch(/^s3a\.secretKey is set \(system property \(ALLUXIO_JAVA_OPTS\)\) but s3a\.accessKeyId is not/);
    expectNoSecret(visible(secretOnly));
  });

  it('treats an empty value as unset', async () => {
    env.AWS_ACCESS_KEY_ID = 'ENVKEY00000000000004';
    env.AWS_SECRET_ACCESS_KEY = SECRETS[3];
    const creds = await resolveCredentials(conf({mount: pair('', '')}), {env});
    expect(creds.level).toBe('environment');
    expect(creds.warnings).toEqual([]);
  });
});

describe('env: and file: references', () => {
  it('reads the value from the named variable or file at resolve time', async () => {
    env.MY_ID = 'REFKEY00000000000007';
    env.MY_SECRET = SECRETS[7];
    const file = path.join(tmp, 'secret');
    fs.writeFileSync(file, `${SECRETS[7]}\n`);
    const fromEnv = await resolveCredentials(conf({mount: pair('env:MY_ID', 'env:MY_SECRET')}), {env});
    expect(await fromEnv.provider()).toEqual({accessKeyId: 'REFKEY00000000000007', secretAccessKey: SECRETS[7]});
    expect(fromEnv.describe()).toBe('access key ****************0007 from mount option of /mnt/s3');
    const fromFile = await resolveCredentials(conf({mount: pair('env:MY_ID', `file:${file}`)}), {env});
    expect((await fromFile.provider()).secretAccessKey).toBe(SECRETS[7]);
  });

  it('fails clearly on a missing variable or an unreadable file, naming the key and the reference', async () => {
    const missingVar = await failure(resolveCredentials(conf({mount: pair('KEY00000000000000001', 'env:NOPE')}), {env}));
    expect(missingVar.kind).toBe('CONFIGURATION');
    expect(missingVar.message).toBe(
      's3a.secretKey refers to env:NOPE (mount option of /mnt/s3) but the environment variable NOPE is not set',
    );
    expect(missingVar.hint).toBe('Export NOPE before running the command, or change s3a.secretKey');

    const file = path.join(tmp, 'missing');
    const missingFile = await failure(resolveCredentials(conf({site: pair(`file:${file}`, SECRETS[2]!)}), {env}));
    expect(missingFile.message).toBe(
      `s3a.accessKeyId refers to file:${file} (site property (${SITE})) but the file cannot be read (ENOENT)`,
    );
    expectNoSecret(`${missingFile.message} ${missingFile.hint}`);

    fs.writeFileSync(file, '\n');
    const empty = await failure(resolveCredentials(conf({site: pair('KEY00000000000000001', `file:${file}`)}), {env}));
    expect(empty.message).toBe(`s3a.secretKey refers to file:${file} (site property (${SITE})) but the file is empty`);
  });
});

describe('the environment', () => {
  it('reads both name forms and a session token', async () => {
    env.AWS_ACCESS_KEY = 'ENVKEY00000000000004';
    env.AWS_SECRET_KEY = SECRETS[3];
    env.AWS_SESSION_TOKEN = 'TOKENxxxx';
    const creds = await resolveCredentials(conf({}), {env});
    expect(await creds.provider()).toEqual({
      accessKeyId: 'ENVKEY00000000000004',
      secretAccessKey: SECRETS[3],
      sessionToken: 'TOKENxxxx',
    });
    expect(creds.describe()).toBe(
      'access key ****************0004 from environment (AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_SESSION_TOKEN)',
    );
    expect(visible(creds)).not.toContain('TOKENxxxx');
  });

  it('prefers the standard names', async () => {
    Object.assign(env, {AWS_ACCESS_KEY_ID: 'STANDARD000000000001', AWS_ACCESS_KEY: 'ALTERNATE00000000002',
      AWS_SECRET_ACCESS_KEY: SECRETS[3], AWS_SECRET_KEY: 'other'});
    const creds = await resolveCredentials(conf({}), {env});
    expect(await creds.provider()).toEqual({accessKeyId: 'STANDARD000000000001', secretAccessKey: SECRETS[3]});
  });

  it('beats the profile file, and warns about half a pair', async () => {
    env.AWS_SHARED_CREDENTIALS_FILE = writeProfiles(
      `[default]\naws_access_key_id = PROFILEKEY0000000005\naws_secret_access_key = ${SECRETS[4]}\n`,
    );
    env.AWS_ACCESS_KEY_ID = 'ENVKEY00000000000004';
    env.AWS_SECRET_ACCESS_KEY = SECRETS[3];
    expect((await resolveCredentials(conf({}), {env})).level).toBe('environment');

    delete env.AWS_SECRET_ACCESS_KEY;
    const creds = await resolveCredentials(conf({}), {env});
    expect(creds.warnings).toEqual([
      "AWS_ACCESS_KEY_ID is set but neither AWS_SECRET_ACCESS_KEY nor AWS_SECRET_KEY is: ignoring the environment's key",
    ]);
    expect((await creds.provider()).accessKeyId).toBe('PROFILEKEY0000000005');
    expect(creds.level).toBe('profile file');
  });
});

describe('the profile file', () => {
  it('is read lazily and records that it answered', async () => {
    const file = writeProfiles(
      `[default]\naws_access_key_id = PROFILEKEY0000000005\naws_secret_access_key = ${SECRETS[4]}\n` +
        '[other]\naws_access_key_id = OTHERKEY000000000006\naws_secret_access_key = x\n',
    );
    env.AWS_SHARED_CREDENTIALS_FILE = file;
    const creds = await resolveCredentials(conf({}), {env});
    expect(creds.level).toBeUndefined();
    expect(creds.describe()).toBe(`credentials from the profile file (profile default in ${file}), not resolved yet`);
    const identity = await creds.provider();
    expect(identity).toMatchObject({accessKeyId: 'PROFILEKEY0000000005', secretAccessKey: SECRETS[4]});
    expect(creds.level).toBe('profile file');
    expect(creds.secretLevel).toBe('profile file');
    expect(creds.maskedKeyId).toBe('****************0005');
    expect(creds.describe()).toBe(`access key ****************0005 from profile file (profile default in ${file})`);
    expectNoSecret(visible(creds));
  });

  it('follows AWS_PROFILE, the profileFile option and credential_process', async () => {
    const script = path.join(tmp, 'creds.sh');
    fs.writeFileSync(script, `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"PROCKEY0000000000008","SecretAccessKey":"${SECRETS[5]}"}'\n`);
    fs.chmodSync(script, 0o755);
    const file = writeProfiles(`[default]\naws_access_key_id = WRONG\naws_secret_access_key = x\n[proc]\ncredential_process = ${script}\n`);
    env.AWS_PROFILE = 'proc';
    const creds = await resolveCredentials(conf({}), {env, profileFile: file});
    expect(await creds.provider()).toMatchObject({accessKeyId: 'PROCKEY0000000000008', secretAccessKey: SECRETS[5]});
    expect(creds.describe()).toBe(`access key ****************0008 from profile file (profile proc in ${file})`);
  });

  it('stops a credential_process that does not answer within request.timeout, and everything it started', async () => {
    const marker = path.join(tmp, 'still-running');
    const file = writeProfiles(`[slow]\ncredential_process = sh -c 'sleep 1; touch ${marker}' & sleep 1000\n`);
    env.AWS_PROFILE = 'slow';
    const creds = await resolveCredentials(conf({site: {'alluxio.underfs.s3.request.timeout': '300ms'}}), {env, profileFile: file});
    const started = Date.now();
    const error = await creds.provider().then(() => undefined, (e: unknown) => e as AlluxioError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({kind: 'CONFIGURATION', message: 'The credential_process of AWS profile slow (sh) did not answer within 300 ms'});
    expect(error?.hint).toContain('alluxio.underfs.s3.request.timeout sets how long it may take');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('says how a credential_process failed, without trying the next level, naming only its program', async () => {
    // Its arguments and its stderr may hold tokens: neither is shown.
    const file = writeProfiles(
      `[bad]\ncredential_process = sh -c 'echo denied for s.TOKEN123 >&2; exit 3' --token s.TOKEN123\n[text]\ncredential_process = echo s.TOKEN123\n`,
    );
    env.AWS_PROFILE = 'bad';
    const bad = await resolveCredentials(conf({}), {env, profileFile: file});
    const error = await bad.provider().then(() => undefined, (e: unknown) => e as AlluxioError);
    expect(error).toMatchObject({message: 'The credential_process of AWS profile bad (sh) failed with exit status 3'});
    expect(error?.hint).toBe('Run the credential_process of profile bad by hand to see why.');
    env.AWS_PROFILE = 'text';
    const text = await resolveCredentials(conf({}), {env, profileFile: file});
    const notJson = await text.provider().then(() => undefined, (e: unknown) => e as AlluxioError);
    expect(notJson).toMatchObject({message: 'The credential_process of AWS profile text (echo) did not print JSON'});
    expect(notJson?.hint).toBe('Run the credential_process of profile text by hand: it must print credentials as JSON (Version 1).');
  });
});

describe('the instance profile', () => {
  let server: http.Server;
  let requests: string[];

  beforeEach(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') return res.end('TOKEN');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'TOKEN') return res.writeHead(401).end();
      if (req.url === '/latest/meta-data/iam/security-credentials/') return res.end('role');
      if (req.url === '/latest/meta-data/iam/security-credentials/role') {
        return res.end(JSON.stringify({
          Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: 'IMDSKEY0000000000009', SecretAccessKey: SECRETS[6],
          Token: 'IMDSTOKEN', Expiration: new Date(Date.now() + 3_600_000).toISOString(), LastUpdated: new Date().toISOString(),
        }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    delete env.AWS_EC2_METADATA_DISABLED;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers when nothing above it does, through IMDSv2', async () => {
    const creds = await resolveCredentials(conf({}), {env});
    expect(creds.describe()).toBe(
      `credentials from the profile file (profile default in ${env.AWS_SHARED_CREDENTIALS_FILE}) or the instance ` +
        'profile (EC2 instance metadata), not resolved yet',
    );
    expect(await creds.provider()).toMatchObject({accessKeyId: 'IMDSKEY0000000000009', secretAccessKey: SECRETS[6], sessionToken: 'IMDSTOKEN'});
    expect(creds.level).toBe('instance profile');
    expect(creds.describe()).toBe('access key ****************0009 from instance profile (EC2 instance metadata)');
    expect(requests[0]).toBe('PUT /latest/api/token');
    expectNoSecret(visible(creds));
  });

  it('loses to the profile file', async () => {
    env.AWS_SHARED_CREDENTIALS_FILE = writeProfiles(`[default]\naws_access_key_id = PROFILEKEY0000000005\naws_secret_access_key = ${SECRETS[4]}\n`);
    const creds = await resolveCredentials(conf({}), {env});
    expect((await creds.provider()).accessKeyId).toBe('PROFILEKEY0000000005');
    expect(requests).toEqual([]);
  });

  it('is listed by inspectCredentialLevels only when asked', async () => {
    const unchecked = await inspectCredentialLevels(conf({}), env);
    expect(unchecked[5]).toEqual({level: 'instance profile', hasSecret: false, detail: 'EC2 instance metadata', note: 'not checked'});
    expect(requests).toEqual([]);
    const checked = await inspectCredentialLevels(conf({}), env, {checkInstanceProfile: true});
    expect(checked[5]).toEqual({level: 'instance profile', hasSecret: true, accessKeyId: '****************0009', detail: 'EC2 instance metadata'});
  });
});

describe('no credentials anywhere', () => {
  it('fails when first used with a one-liner naming the keys and the levels tried', async () => {
    const creds = await resolveCredentials(conf({}), {env});
    expect(creds.describe()).toBe(
      `credentials from the profile file (profile default in ${env.AWS_SHARED_CREDENTIALS_FILE}), not resolved yet`,
    );
    const error = await failure(creds.provider());
    expect(error.kind).toBe('CONFIGURATION');
    expect(error.message).toBe(
      'No S3 credentials found: set s3a.accessKeyId and s3a.secretKey, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
        '(tried mount option, system property, site property, environment, ' +
        `profile file (profile default in ${env.AWS_SHARED_CREDENTIALS_FILE}), ` +
        'instance profile (disabled by AWS_EC2_METADATA_DISABLED))',
    );
    expect(error.message).not.toContain('\n');
    expect(error.hint).toContain('--option s3a.secretKey=env:<VAR>');
    expect(creds.level).toBeUndefined();
  });
});

describe('inspectCredentialLevels', () => {
  it('lists all six levels, including values hidden by higher ones, without secrets', async () => {
    const root = path.join(tmp, 'install');
    fs.mkdirSync(path.join(root, 'conf'), {recursive: true});
    const siteFile = path.join(root, 'conf', 'alluxio-site.properties');
    fs.writeFileSync(siteFile, `aws.accessKeyId=SITEKEY0000000000003\naws.secretKey=${SECRETS[2]}\n`);
    const loaded = Configuration.load({
      env: {ALLUXIO_JAVA_OPTS: `-Ds3a.accessKeyId=SYSKEY00000000000002 -Ds3a.secretKey=${SECRETS[1]}`},
      installDir: root,
      homeDir: path.join(tmp, 'home'),
      isWritable: () => true,
    });
    const mounted = loaded.withMountOptions({'s3a.accessKeyId': 'MOUNTKEY000000000001'}, '/mnt/s3');
    Object.assign(env, {AWS_ACCESS_KEY: 'ENVKEY00000000000004', AWS_SECRET_ACCESS_KEY: SECRETS[3]});
    env.AWS_SHARED_CREDENTIALS_FILE = writeProfiles(`[default]\naws_access_key_id = PROFILEKEY0000000005\naws_secret_access_key = ${SECRETS[4]}\n`);

    const reports = await inspectCredentialLevels(mounted, env);
    expect(reports).toEqual([
      {level: 'mount option', accessKeyId: '****************0001', hasSecret: false, detail: '/mnt/s3'},
      {level: 'system property', accessKeyId: '****************0002', hasSecret: true, detail: 'ALLUXIO_JAVA_OPTS'},
      {level: 'site property', accessKeyId: '****************0003', hasSecret: true, detail: siteFile},
      {level: 'environment', accessKeyId: '****************0004', hasSecret: true, detail: 'AWS_ACCESS_KEY, AWS_SECRET_ACCESS_KEY'},
      {level: 'profile file', accessKeyId: '****************0005', hasSecret: true,
        detail: `profile default in ${env.AWS_SHARED_CREDENTIALS_FILE}`},
      {level: 'instance profile', hasSecret: false, note: 'disabled by AWS_EC2_METADATA_DISABLED'},
    ]);
    expectNoSecret(JSON.stringify(reports));

    const resolved = await resolveCredentials(mounted, {env});
    expect(resolved.describe()).toBe(
      'access key ****************0001 from mount option of /mnt/s3, secret from system property (ALLUXIO_JAVA_OPTS)',
    );
  });

  it('reports a broken reference as a note instead of failing', async () => {
    const reports = await inspectCredentialLevels(conf({site: pair('env:NOPE', SECRETS[2]!)}), env);
    expect(reports[2]).toEqual({
      level: 'site property', hasSecret: true, detail: SITE,
      note: `s3a.accessKeyId refers to env:NOPE (site property (${SITE})) but the environment variable NOPE is not set`,
    });
    expect(reports[4]).toMatchObject({level: 'profile file', hasSecret: false, note: expect.stringContaining('profile')});
  });
});

/**
 * STS AssumeRole (alluxio.underfs.s3.assumerole.*, an alluxio-s3 extension) against radosgw's STS gateway: the
 * base pair only signs AssumeRole, S3 requests carry the temporary credentials, sessions are refreshed, and a
 * role that cannot be assumed fails in one line. radosgw accepts session credentials only at the STS gateway, so
 * the S3 endpoint is a recording proxy in front of it.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {AlluxioError} from '../../../src/errors.js';
import {withAssumedRole} from '../../../src/ufs/s3/assume-role.js';
import {buildS3ClientConfig} from '../../../src/ufs/s3/client-config.js';
import {resolveCredentials} from '../../../src/ufs/s3/credentials.js';
import {createS3UnderFileSystem} from '../../../src/ufs/s3/index.js';
import type {S3UnderFileSystem} from '../../../src/ufs/s3/s3-ufs.js';
import {type RecordedRequest, type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Env, s3Env} from '../../helpers/s3-env.js';
import {s3Options} from '../../helpers/s3-fs.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects} from '../../helpers/s3.js';

const P = 'alluxio.underfs.s3.assumerole.';
const DURATION = `${P}session.duration.second`;
const SITE = '/etc/alluxio/alluxio-site.properties';

/** The key id and the service of a SigV4 Authorization header. */
function signer(request: RecordedRequest): {keyId: string; service: string} {
  const match = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  return {keyId: match?.[1] ?? '', service: match?.[2] ?? ''};
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

describe('S3 through an assumed role (radosgw STS)', () => {
  let env: S3Env;
  let bucket: string;
  /** In front of the STS gateway: the S3 endpoint of the mounts. */
  let s3Proxy: RecordingProxy;
  /** Also in front of the STS gateway: the STS endpoint, to count AssumeRole calls. */
  let stsProxy: RecordingProxy;
  const ufses: S3UnderFileSystem[] = [];

  beforeAll(async () => {
    env = s3Env();
    ({bucket} = await freshBucket('assume-role'));
    await putObjects(bucket, {'seed.txt': 'seed'});
    s3Proxy = await startRecordingProxy(env.stsEndpoint);
    stsProxy = await startRecordingProxy(env.stsEndpoint);
  });

  afterAll(async () => {
    for (const ufs of ufses) await ufs.close();
    await s3Proxy?.close();
    await stsProxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  /** A mount's configuration: user1's pair as mount options, AssumeRole of S3Access, STS at the STS proxy. */
  function roleConf(options: Record<string, string> = {}, user: 1 | 2 = 1): Configuration {
    return new Configuration().withMountOptions(s3Options({user, endpoint: s3Proxy.url, options: {
      [`${P}enabled`]: 'true',
      [`${P}rolearn`]: env.roleArn,
      [`${P}sts.endpoint`]: stsProxy.url,
      ...options,
    }}), '/mnt/s3');
  }

  async function mount(conf: Configuration, warnings: string[] = []): Promise<S3UnderFileSystem> {
    const ufs = await createS3UnderFileSystem(`s3://${bucket}/`, conf, {
      readOnly: false,
      triple: {owner: '', group: '', mode: 0o700},
      warn: (w) => warnings.push(w),
    });
    ufses.push(ufs);
    return ufs;
  }

  /** Writes, reads, lists, renames and deletes under `dir`, one call after the other. */
  async function workout(ufs: S3UnderFileSystem, dir: string): Promise<void> {
    const root = `s3://${bucket}/${dir}`;
    expect(await ufs.mkdirs(root, {createParent: true})).toBe(true);
    const out = await ufs.create(`${root}/a.txt`, {createParent: true});
    await new Promise<void>((resolve, reject) => out.end('through the role', (err?: Error | null) => (err ? reject(err) : resolve())));
    const chunks: Buffer[] = [];
    for await (const chunk of await ufs.open(`s3://${bucket}/seed.txt`)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('seed');
    expect(await ufs.renameFile(`${root}/a.txt`, `${root}/b.txt`)).toBe(true);
    expect((await ufs.getStatus(`${root}/b.txt`))?.length).toBe('through the role'.length);
    expect(await ufs.deleteFile(`${root}/b.txt`)).toBe(true);
  }

  it('makes every S3 request with the temporary credentials; the base pair only signs AssumeRole', async () => {
    s3Proxy.clear();
    stsProxy.clear();
    const ufs = await mount(roleConf());
    await workout(ufs, 'work');

    expect(stsProxy.requests.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/', 200]]);
    expect(signer(stsProxy.requests[0]!)).toEqual({keyId: env.accessKey, service: 'sts'});
    expect(stsProxy.requests[0]!.headers['x-amz-security-token']).toBeUndefined();

    const s3 = s3Proxy.requests;
    expect(s3.length).toBeGreaterThanOrEqual(8);
    const keyIds = new Set(s3.map((r) => signer(r).keyId));
    expect(keyIds.size).toBe(1);
    const [temporary] = keyIds;
    expect(temporary).toMatch(/^\w{16,}$/);
    expect(temporary).not.toBe(env.accessKey);
    for (const request of s3) {
      expect(signer(request).service).toBe('s3');
      expect(request.headers['x-amz-security-token']).toMatch(/.{20,}/);
      expect(request.status).toBeLessThan(500);
    }
    expect(s3.filter((r) => r.method === 'PUT').every((r) => r.status === 200)).toBe(true);
    // What the role wrote and deleted, seen by user1 on the main gateway.
    expect(await listAllKeys(bucket)).toEqual(['seed.txt', 'work/']);
  });

  it('calls STS at alluxio.underfs.s3.endpoint when no STS endpoint is set', async () => {
    s3Proxy.clear();
    const ufs = await mount(roleConf({[`${P}sts.endpoint`]: ''}));
    expect(await ufs.getStatus(`s3://${bucket}/seed.txt`)).toMatchObject({name: 'seed.txt', length: 4});

    const [assume, ...rest] = s3Proxy.requests;
    expect([assume!.method, assume!.path, assume!.status]).toEqual(['POST', '/', 200]);
    expect(signer(assume!)).toEqual({keyId: env.accessKey, service: 'sts'});
    expect(rest.length).toBeGreaterThan(0);
    for (const request of rest) {
      expect(signer(request).service).toBe('s3');
      expect(signer(request).keyId).not.toBe(env.accessKey);
      expect(request.headers['x-amz-security-token']).toBeDefined();
    }
  });

  it('names the session with the prefix and a random suffix, as the AssumedRoleUser ARN shows', async () => {
    const conf = roleConf({[`${P}session.prefix`]: 'etl.nightly'});
    const sessions: string[] = [];
    for (let i = 0; i < 2; i++) {
      const base = await resolveCredentials(conf, {env: process.env});
      const credentials = withAssumedRole(conf, base, buildS3ClientConfig(conf, base));
      await credentials.provider();
      const match = /^temporary key \*{16}\w{4} of arn:aws:sts::[^:]*:assumed-role\/S3Access\/(etl\.nightly-[0-9a-f]{12}), assumed with access key \*{16}\w{4} from mount option of \/mnt\/s3$/
        .exec(credentials.describe());
      expect(match, credentials.describe()).not.toBeNull();
      sessions.push(match![1]!);
    }
    expect(sessions[0]).not.toBe(sessions[1]);
  });

  it('accepts session durations from 900 to 43200 seconds only', async () => {
    for (const value of ['899', '43201']) {
      const e = await failure(mount(roleConf({[DURATION]: value})));
      expect(e.message).toBe(`Invalid value ${value} for ${DURATION} (mount option of /mnt/s3): expected 900 to 43200 seconds`);
    }
    const conf = roleConf({[DURATION]: '900'});
    const base = await resolveCredentials(conf, {env: process.env});
    const identity = await withAssumedRole(conf, base, buildS3ClientConfig(conf, base)).provider();
    const lifetime = identity.expiration!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(840_000);
    expect(lifetime).toBeLessThanOrEqual(960_000);
    const ufs = await mount(conf);
    expect(await ufs.getStatus(`s3://${bucket}/seed.txt`)).toMatchObject({length: 4});
  });

  it('refreshes before expiry: a margin longer than the session assumes the role for every request', async () => {
    s3Proxy.clear();
    stsProxy.clear();
    const warnings: string[] = [];
    const ufs = await mount(roleConf({[DURATION]: '900', [`${P}refresh.margin`]: '20min'}), warnings);
    expect(warnings).toContain(`${P}refresh.margin is not shorter than ${DURATION}: the role is assumed again for every S3 request`);
    await workout(ufs, 'refresh');

    const assumed = stsProxy.requests.filter((r) => r.method === 'POST');
    const keyIds = s3Proxy.requests.map((r) => signer(r).keyId);
    expect(keyIds.length).toBeGreaterThanOrEqual(8);
    expect(assumed.every((r) => r.status === 200)).toBe(true);
    // Each request got credentials of its own; the SDK asks twice per request (auth scheme, then signer).
    expect(new Set(keyIds).size).toBe(keyIds.length);
    expect(assumed.length).toBeGreaterThanOrEqual(keyIds.length);
    expect(keyIds).not.toContain(env.accessKey);

    // With the default margin (5 min) the same 15-minute session serves the whole workout.
    s3Proxy.clear();
    stsProxy.clear();
    await workout(await mount(roleConf({[DURATION]: '900'})), 'once');
    expect(stsProxy.count('POST')).toBe(1);
    expect(new Set(s3Proxy.requests.map((r) => signer(r).keyId)).size).toBe(1);
  });

  it('fails in one line naming the role and the base level when the role cannot be assumed', async () => {
    // user2 is not in S3Access's trust policy.
    const denied = await mount(roleConf({}, 2));
    const e = await failure(denied.getStatus(`s3://${bucket}/seed.txt`));
    expect(e.message).toBe(
      `Cannot assume role ${env.roleArn} with access key ${'*'.repeat(16)}${env.accessKey2.slice(-4)} from mount option ` +
        `of /mnt/s3 (STS ${stsProxy.url}: HTTP 403 Forbidden)`,
    );
    expect(e.kind).toBe('PERMISSION_DENIED');

    // A role that does not exist, assumed with user1's pair from the site file.
    const site = new Configuration();
    site.set('s3a.accessKeyId', env.accessKey, 'SITE_PROPERTY', SITE);
    site.set('s3a.secretKey', env.secretKey, 'SITE_PROPERTY', SITE);
    const bogusArn = 'arn:aws:iam:::role/NoSuchRole';
    const warnings: string[] = [];
    const bogus = await mount(site.withMountOptions({
      'alluxio.underfs.s3.endpoint': s3Proxy.url,
      'alluxio.underfs.s3.disable.dns.buckets': 'true',
      [`${P}enabled`]: 'true',
      [`${P}rolearn`]: bogusArn,
      [`${P}sts.endpoint`]: stsProxy.url,
    }, '/mnt/s3'), warnings);
    const missing = await failure(bogus.mkdirs(`s3://${bucket}/never`, {createParent: true}));
    expect(missing.message).toBe(
      `Cannot assume role ${bogusArn} with access key ${'*'.repeat(16)}${env.accessKey.slice(-4)} from site property ` +
        `(${SITE}) (STS ${stsProxy.url}: HTTP 404 NotFound)`,
    );
    expect(missing.kind).toBe('CONFIGURATION');
    for (const err of [e, missing]) {
      const visible = [err.message, err.hint ?? '', ...warnings].join('\n');
      expect(err.message).not.toContain('\n');
      for (const secret of [env.secretKey, env.secretKey2]) expect(visible).not.toContain(secret);
    }
    expect(await listAllKeys(bucket, {prefix: 'never'})).toEqual([]);
  });
});

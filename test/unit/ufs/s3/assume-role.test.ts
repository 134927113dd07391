import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Configuration} from '../../../../src/conf/configuration.js';
import {AlluxioError} from '../../../../src/errors.js';
import {withAssumedRole} from '../../../../src/ufs/s3/assume-role.js';
import {buildS3ClientConfig} from '../../../../src/ufs/s3/client-config.js';
import {resolveCredentials, type ResolvedCredentials} from '../../../../src/ufs/s3/credentials.js';

const SITE = '/etc/alluxio/alluxio-site.properties';
const BASE_ID = 'AKIABASE000000000001';
const BASE_SECRET = 'BASESECRETxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const TEMP_SECRET = 'TEMPSECRETxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const ROLE = 'arn:aws:iam::123456789012:role/alluxio';
const DURATION_KEY = 'alluxio.underfs.s3.assumerole.session.duration.second';
const env = {AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent'};

interface StsCall {
  params: URLSearchParams;
  authorization: string;
  token: string | undefined;
}

interface FakeSts {
  url: string;
  calls: StsCall[];
  /** CONNECT targets, when used as a forward proxy. */
  tunnels: string[];
  /** Replaces the answer: status and XML body. */
  answer?: (call: StsCall) => {status: number; body: string};
}

const servers: http.Server[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An STS stand-in on a free loopback port: every AssumeRole gets fresh credentials valid for DurationSeconds. */
async function fakeSts(): Promise<FakeSts> {
  const sts: FakeSts = {url: '', calls: [], tunnels: []};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const call = {params: new URLSearchParams(body), authorization: req.headers.authorization ?? '',
        token: req.headers['x-amz-security-token'] as string | undefined};
      sts.calls.push(call);
      const {status, body: xml} = sts.answer?.(call) ?? {status: 200, body: granted(call, sts.calls.length)};
      res.writeHead(status, {'content-type': 'text/xml'}).end(xml);
    });
  });
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    sts.tunnels.push(req.url ?? '');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sts.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sts;
}

function granted(call: StsCall, n: number): string {
  const session = call.params.get('RoleSessionName');
  const expiration = new Date(Date.now() + Number(call.params.get('DurationSeconds')) * 1000).toISOString();
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIATEMP00000000000${n}</AccessKeyId><SecretAccessKey>${TEMP_SECRET}</SecretAccessKey>
<SessionToken>TOKEN${n}</SessionToken><Expiration>${expiration}</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/alluxio/${session}</Arn><AssumedRoleId>AROA:${session}</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r${n}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

function refused(status: number, code: string, message: string) {
  return {status, body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`};
}

/** A mount with the base pair as mount options, AssumeRole on, `values` as more mount options, `site` below them. */
function conf(values: Record<string, string>, site: Record<string, string> = {}): Configuration {
  const c = new Configuration();
  for (const [key, value] of Object.entries(site)) c.set(key, value, 'SITE_PROPERTY', SITE);
  return c.withMountOptions({
    's3a.accessKeyId': BASE_ID,
    's3a.secretKey': BASE_SECRET,
    'alluxio.underfs.s3.assumerole.enabled': 'true',
    'alluxio.underfs.s3.assumerole.rolearn': ROLE,
    'alluxio.underfs.s3.max.error.retry': '0',
    ...values,
  }, '/mnt/s3');
}

async function assumed(c: Configuration): Promise<{base: ResolvedCredentials; creds: ResolvedCredentials}> {
  const base = await resolveCredentials(c, {env});
  return {base, creds: withAssumedRole(c, base, buildS3ClientConfig(c, base))};
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

function expectNoSecret(...texts: (string | undefined)[]): void {
  for (const text of texts) {
    expect(text ?? '').not.toContain(BASE_SECRET);
    expect(text ?? '').not.toContain(TEMP_SECRET);
  }
}

describe('AssumeRole off', () => {
  it('uses the base credentials as they are, and warns about a role ARN that is not used', async () => {
    const c = conf({'alluxio.underfs.s3.assumerole.enabled': 'false'});
    const {base, creds} = await assumed(c);
    expect(creds).toBe(base);
    expect(creds.warnings).toEqual([
      'alluxio.underfs.s3.assumerole.rolearn is set but alluxio.underfs.s3.assumerole.enabled is not true: the role is not assumed',
    ]);
  });
});

describe('settings', () => {
  it('needs a role ARN', async () => {
    const e = await failure(assumed(conf({'alluxio.underfs.s3.assumerole.rolearn': ''})));
    expect(e.message).toBe('alluxio.underfs.s3.assumerole.enabled is true but alluxio.underfs.s3.assumerole.rolearn is not set');
    const bad = await failure(assumed(conf({'alluxio.underfs.s3.assumerole.rolearn': 'S3Access'})));
    expect(bad.message).toBe(
      'Invalid value S3Access for alluxio.underfs.s3.assumerole.rolearn (mount option of /mnt/s3): expected a role ARN',
    );
  });

  it('keeps the session duration within 900 to 43200 seconds', async () => {
    for (const value of ['899', '43201', '0']) {
      const e = await failure(assumed(conf({[DURATION_KEY]: value})));
      expect(e.kind).toBe('CONFIGURATION');
      expect(e.message).toBe(`Invalid value ${value} for ${DURATION_KEY} (mount option of /mnt/s3): expected 900 to 43200 seconds`);
    }
    const fromSite = await failure(assumed(conf({}, {[DURATION_KEY]: '60'})));
    expect(fromSite.message).toBe(`Invalid value 60 for ${DURATION_KEY} (site property (${SITE})): expected 900 to 43200 seconds`);
    for (const value of ['900', '43200']) await assumed(conf({[DURATION_KEY]: value}));
  });

  it('checks the session name prefix and the STS endpoint', async () => {
    const prefix = await failure(assumed(conf({'alluxio.underfs.s3.assumerole.session.prefix': 'my prefix'})));
    expect(prefix.message).toBe(
      'Invalid value my prefix for alluxio.underfs.s3.assumerole.session.prefix (mount option of /mnt/s3): expected 1 to 51 ' +
        'letters, digits or any of _+=,.@-',
    );
    await failure(assumed(conf({'alluxio.underfs.s3.assumerole.session.prefix': 'p'.repeat(52)})));
    await assumed(conf({'alluxio.underfs.s3.assumerole.session.prefix': 'p'.repeat(51)}));
    const endpoint = await failure(assumed(conf({'alluxio.underfs.s3.assumerole.sts.endpoint': 'ftp://sts'})));
    expect(endpoint.message).toBe(
      'Invalid value ftp://sts for alluxio.underfs.s3.assumerole.sts.endpoint (mount option of /mnt/s3): expected host[:port] ' +
        'or an http(s) URL',
    );
  });
});

describe('assuming the role', () => {
  it('signs AssumeRole with the base pair only and hands out the temporary credentials', async () => {
    const sts = await fakeSts();
    const {creds} = await assumed(conf({
      'alluxio.underfs.s3.endpoint': sts.url,
      'alluxio.underfs.s3.assumerole.session.prefix': 'etl.job',
      [DURATION_KEY]: '900',
    }));
    expect(creds.describe()).toBe(`role ${ROLE} (not assumed yet) with access key ****************0001 from mount option of /mnt/s3`);
    const identity = await creds.provider();
    expect(identity).toMatchObject({accessKeyId: 'ASIATEMP000000000001', secretAccessKey: TEMP_SECRET, sessionToken: 'TOKEN1'});
    expect(identity.expiration!.getTime() - Date.now()).toBeGreaterThan(890_000);

    expect(sts.calls).toHaveLength(1);
    const [call] = sts.calls;
    expect(call!.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${BASE_ID}/\\d{8}/us-east-1/sts/aws4_request,`));
    expect(call!.token).toBeUndefined();
    expect(call!.params.get('Action')).toBe('AssumeRole');
    expect(call!.params.get('RoleArn')).toBe(ROLE);
    expect(call!.params.get('DurationSeconds')).toBe('900');
    const session = call!.params.get('RoleSessionName')!;
    expect(session).toMatch(/^etl\.job-[0-9a-f]{12}$/);

    expect(creds.level).toBe('mount option');
    expect(creds.describe()).toBe(
      `temporary key ****************0001 of arn:aws:sts::123456789012:assumed-role/alluxio/${session}, ` +
        'assumed with access key ****************0001 from mount option of /mnt/s3',
    );
    expectNoSecret(creds.describe(), ...creds.warnings);
  });

  it('asks the STS endpoint key over alluxio.underfs.s3.endpoint, which is the default', async () => {
    const s3 = await fakeSts();
    const sts = await fakeSts();
    const explicit = await assumed(conf({
      'alluxio.underfs.s3.endpoint': s3.url,
      'alluxio.underfs.s3.assumerole.sts.endpoint': sts.url.replace('http://', ''),
    }));
    await explicit.creds.provider();
    expect([s3.calls.length, sts.calls.length]).toEqual([0, 1]);
    const byDefault = await assumed(conf({'alluxio.underfs.s3.endpoint': s3.url}));
    await byDefault.creds.provider();
    expect([s3.calls.length, sts.calls.length]).toEqual([1, 1]);
  });

  it("goes to AWS's regional STS endpoint without an endpoint, through the S3 proxy", async () => {
    const proxy = await fakeSts();
    const {creds} = await assumed(conf({
      'alluxio.underfs.s3.region': 'eu-west-3',
      'alluxio.underfs.s3.proxy.host': proxy.url,
    }));
    const e = await failure(creds.provider());
    expect(proxy.tunnels).toEqual(['sts.eu-west-3.amazonaws.com:443']);
    // The proxy's 403 to CONNECT reaches the SDK as the response.
    expect(e.message).toBe(
      `Cannot assume role ${ROLE} with access key ****************0001 from mount option of /mnt/s3 ` +
        '(STS AWS STS in eu-west-3: HTTP 403 Forbidden)',
    );
  });
});

describe('refresh', () => {
  it('assumes the role again once the refresh margin before expiry is reached', async () => {
    vi.useFakeTimers({toFake: ['Date']});
    const sts = await fakeSts();
    const {creds} = await assumed(conf({'alluxio.underfs.s3.endpoint': sts.url, [DURATION_KEY]: '900'}));
    expect((await creds.provider()).accessKeyId).toBe('ASIATEMP000000000001');
    vi.setSystemTime(Date.now() + 9 * 60_000);
    expect((await creds.provider()).accessKeyId).toBe('ASIATEMP000000000001');
    vi.setSystemTime(Date.now() + 61_000); // 4 min 59 s left, under the default 5 min margin
    expect((await creds.provider()).accessKeyId).toBe('ASIATEMP000000000002');
    expect(sts.calls).toHaveLength(2);
    expect(creds.warnings).toEqual([]);
  });

  it('with a margin not shorter than the session, assumes it for every use; concurrent uses share one call', async () => {
    const sts = await fakeSts();
    const {creds} = await assumed(conf({
      'alluxio.underfs.s3.endpoint': sts.url,
      [DURATION_KEY]: '900',
      'alluxio.underfs.s3.assumerole.refresh.margin': '15min',
    }));
    expect(creds.warnings).toEqual([
      'alluxio.underfs.s3.assumerole.refresh.margin is not shorter than alluxio.underfs.s3.assumerole.session.duration.second: ' +
        'the role is assumed again for every S3 request',
    ]);
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push((await creds.provider()).accessKeyId);
    expect(keys).toEqual(['ASIATEMP000000000001', 'ASIATEMP000000000002', 'ASIATEMP000000000003']);
    const together = await Promise.all([creds.provider(), creds.provider(), creds.provider()]);
    expect(new Set(together.map((identity) => identity.accessKeyId)).size).toBe(1);
    expect(sts.calls).toHaveLength(4);
    const sessions = sts.calls.map((call) => call.params.get('RoleSessionName'));
    expect(new Set(sessions).size).toBe(4);
  });

  it('keeps the current credentials while they are valid if a refresh fails', async () => {
    vi.useFakeTimers({toFake: ['Date']});
    const sts = await fakeSts();
    const {creds} = await assumed(conf({'alluxio.underfs.s3.endpoint': sts.url, [DURATION_KEY]: '900'}));
    await creds.provider();
    sts.answer = () => refused(503, 'ServiceUnavailable', 'try later');
    vi.setSystemTime(Date.now() + 12 * 60_000);
    expect((await creds.provider()).accessKeyId).toBe('ASIATEMP000000000001');
    vi.setSystemTime(Date.now() + 4 * 60_000);
    const e = await failure(creds.provider());
    expect(e.message).toContain('HTTP 503 ServiceUnavailable: try later');
  });
});

describe('a role that cannot be assumed', () => {
  it('fails in one line naming the role and the base level, never a secret', async () => {
    const sts = await fakeSts();
    sts.answer = () => refused(403, 'AccessDenied', 'User is not authorized to perform sts:AssumeRole');
    const {creds} = await assumed(conf({'alluxio.underfs.s3.endpoint': sts.url}));
    const e = await failure(creds.provider());
    expect(e.kind).toBe('PERMISSION_DENIED');
    expect(e.message).toBe(
      `Cannot assume role ${ROLE} with access key ****************0001 from mount option of /mnt/s3 ` +
        `(STS ${sts.url}: HTTP 403 AccessDenied: User is not authorized to perform sts:AssumeRole)`,
    );
    expect(e.hint).toContain('trust policy');
    expectNoSecret(e.message, e.hint, creds.describe());
  });

  it('names both levels when the key id and the secret come from different ones', async () => {
    const sts = await fakeSts();
    sts.answer = () => refused(404, 'NoSuchEntity', '');
    const c = new Configuration();
    c.set('s3a.secretKey', BASE_SECRET, 'SITE_PROPERTY', SITE);
    const mount = c.withMountOptions({
      's3a.accessKeyId': BASE_ID,
      'alluxio.underfs.s3.assumerole.enabled': 'true',
      'alluxio.underfs.s3.assumerole.rolearn': ROLE,
      'alluxio.underfs.s3.endpoint': sts.url,
    }, '/mnt/s3');
    const e = await failure(assumed(mount).then(({creds}) => creds.provider()));
    expect(e.kind).toBe('CONFIGURATION');
    expect(e.message).toBe(
      `Cannot assume role ${ROLE} with access key ****************0001 from mount option of /mnt/s3, secret from site ` +
        `property (${SITE}) (STS ${sts.url}: HTTP 404 NoSuchEntity)`,
    );
    expect(e.message).not.toContain('\n');
  });

  it('says when STS cannot be reached', async () => {
    const sts = await fakeSts();
    const url = sts.url;
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    const {creds} = await assumed(conf({'alluxio.underfs.s3.assumerole.sts.endpoint': url}));
    const e = await failure(creds.provider());
    expect(e.kind).toBe('UNAVAILABLE');
    expect(e.message).toBe(`Cannot reach the STS endpoint ${url} to assume role ${ROLE}: ECONNREFUSED`);
  });
});

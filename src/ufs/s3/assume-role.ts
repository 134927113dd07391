/**
 * STS AssumeRole on top of the six credential levels (an alluxio-s3 extension; facts §1.10): the resolved key
 * pair only signs AssumeRole, and every S3 request uses the role's temporary credentials, refreshed ahead of
 * their expiry.
 */
import {randomBytes} from 'node:crypto';
import type {S3ClientConfig} from '@aws-sdk/client-s3';
import type {AssumeRoleCommandInput, AssumeRoleCommandOutput, ServiceInputTypes, ServiceOutputTypes, STSClientConfig} from '@aws-sdk/client-sts';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import type {Configuration} from '../../conf/configuration.js';
import {AlluxioError, configurationError} from '../../errors.js';
import {type ClientSummary, sseEnabled} from './client-config.js';
import {type ResolvedCredentials, whereSet} from './credentials.js';
import {maskKeyId} from './mask.js';
import {requestLogPlugin} from './request-log.js';
import {errorCodeOf, httpStatusOf} from './s3-errors.js';

const P = 'alluxio.underfs.s3.assumerole.';
const ENABLED = `${P}enabled`;
const ROLE_ARN = `${P}rolearn`;
const SESSION_PREFIX = `${P}session.prefix`;
const DURATION = `${P}session.duration.second`;
const REFRESH_MARGIN = `${P}refresh.margin`;
const STS_ENDPOINT = `${P}sts.endpoint`;
const S3_ENDPOINT = 'alluxio.underfs.s3.endpoint';
const SECURE_HTTP = 'alluxio.underfs.s3.secure.http.enabled';

/** STS's bounds on DurationSeconds. */
const MIN_DURATION = 900;
const MAX_DURATION = 43_200;
/** Role session names: 2 to 64 of these characters; the random suffix takes 13 of them. */
const SESSION_NAME_CHARS = /^[\w+=,.@-]+$/;
const SUFFIX_BYTES = 6;
const MAX_PREFIX = 64 - 1 - 2 * SUFFIX_BYTES;

interface AssumeRoleSettings {
  roleArn: string;
  sessionPrefix: string;
  durationSeconds: number;
  refreshMarginMs: number;
  /** Undefined: AWS's regional STS endpoint. */
  endpoint?: string;
}

/** The mount's AssumeRole settings, validated; undefined when AssumeRole is off. */
function assumeRoleSettings(conf: Configuration, s3Endpoint: string | undefined): AssumeRoleSettings | undefined {
  if (!conf.getBoolean(ENABLED)) return undefined;
  const roleArn = conf.getOrUndefined(ROLE_ARN)?.trim();
  if (!roleArn) {
    throw configurationError(`${ENABLED} is true but ${ROLE_ARN} is not set`, `Set ${ROLE_ARN} to the ARN of the role to assume`);
  }
  if (!/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(roleArn)) {
    throw configurationError(
      `Invalid value ${roleArn} for ${ROLE_ARN} (${whereSet(conf, ROLE_ARN)}): expected a role ARN`,
      'For example: arn:aws:iam::123456789012:role/alluxio',
    );
  }
  const sessionPrefix = conf.get(SESSION_PREFIX).trim();
  if (!SESSION_NAME_CHARS.test(sessionPrefix) || sessionPrefix.length > MAX_PREFIX) {
    throw configurationError(
      `Invalid value ${sessionPrefix} for ${SESSION_PREFIX} (${whereSet(conf, SESSION_PREFIX)}): expected 1 to ` +
        `${MAX_PREFIX} letters, digits or any of _+=,.@-`,
    );
  }
  const durationSeconds = conf.getInt(DURATION);
  if (durationSeconds < MIN_DURATION || durationSeconds > MAX_DURATION) {
    throw configurationError(
      `Invalid value ${durationSeconds} for ${DURATION} (${whereSet(conf, DURATION)}): expected ${MIN_DURATION} to ` +
        `${MAX_DURATION} seconds`,
    );
  }
  const refreshMarginMs = conf.getDurationMs(REFRESH_MARGIN);
  if (refreshMarginMs < 0) {
    throw configurationError(`Invalid value ${conf.get(REFRESH_MARGIN)} for ${REFRESH_MARGIN} (${whereSet(conf, REFRESH_MARGIN)}): expected 0 or more`);
  }
  const endpoint = stsEndpoint(conf) ?? s3Endpoint;
  return {roleArn, sessionPrefix, durationSeconds, refreshMarginMs, ...(endpoint ? {endpoint} : {})};
}

/**
 * The credentials S3 requests are made with: `base` itself, or, with AssumeRole on, the role's temporary
 * credentials obtained with `base` from an STS client sharing the S3 client's region and HTTP settings.
 */
export function withAssumedRole(
  conf: Configuration,
  base: ResolvedCredentials,
  {config, summary}: {config: S3ClientConfig; summary: ClientSummary},
): ResolvedCredentials {
  const settings = assumeRoleSettings(conf, conf.getOrUndefined(S3_ENDPOINT)?.trim() ? summary.endpoint.value : undefined);
  if (!settings) {
    if (conf.getOrUndefined(ROLE_ARN)?.trim()) {
      base.warnings.push(`${ROLE_ARN} is set but ${ENABLED} is not true: the role is not assumed`);
    }
    return base;
  }
  const stsConfig: STSClientConfig = {
    region: summary.region.value,
    credentials: base.provider,
    requestHandler: config.requestHandler,
    ...(settings.endpoint ? {endpoint: settings.endpoint} : {}),
    ...(config.maxAttempts !== undefined ? {maxAttempts: config.maxAttempts} : {}),
  };
  const stsName = settings.endpoint ?? `AWS STS in ${summary.region.value}`;
  const warnings = [...base.warnings];
  const requestLog = requestLogPlugin<ServiceInputTypes, ServiceOutputTypes>(conf, (warning) => warnings.push(warning));
  if (settings.refreshMarginMs >= settings.durationSeconds * 1000) {
    warnings.push(`${REFRESH_MARGIN} is not shorter than ${DURATION}: the role is assumed again for every S3 request`);
  }
  // The STS client is loaded on the first AssumeRole only: it costs tens of milliseconds of start-up.
  let sts: Promise<(input: AssumeRoleCommandInput) => Promise<AssumeRoleCommandOutput>> | undefined;
  const assumeRole = async (input: AssumeRoleCommandInput): Promise<AssumeRoleCommandOutput> => {
    sts ??= import('@aws-sdk/client-sts').then(({AssumeRoleCommand, STSClient}) => {
      const client = new STSClient(stsConfig);
      client.middlewareStack.use(requestLog);
      return (request) => client.send(new AssumeRoleCommand(request));
    });
    return (await sts)(input);
  };
  return assumedRole(base, settings, assumeRole, stsName, warnings);
}

interface Session {
  identity: AwsCredentialIdentity;
  expiresAt: number;
  /** When to assume the role again: the expiry less the refresh margin. */
  refreshAt: number;
  /** `arn:aws:sts::…:assumed-role/<role>/<session name>`, or the role and session name. */
  user: string;
}

/**
 * Credentials that assume the role on first use and again once the refresh margin is reached. Concurrent
 * requests share one AssumeRole call; a failed refresh keeps the current credentials while they are valid.
 */
function assumedRole(
  base: ResolvedCredentials,
  settings: AssumeRoleSettings,
  assumeRole: (input: AssumeRoleCommandInput) => Promise<AssumeRoleCommandOutput>,
  stsName: string,
  warnings: string[],
): ResolvedCredentials {
  let session: Session | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    const sessionName = `${settings.sessionPrefix}-${randomBytes(SUFFIX_BYTES).toString('hex')}`;
    const requestedAt = Date.now();
    let output: AssumeRoleCommandOutput;
    try {
      output = await assumeRole({
        RoleArn: settings.roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: settings.durationSeconds,
      });
    } catch (e) {
      if (session && Date.now() < session.expiresAt) return session.identity;
      throw assumeRoleError(e, settings.roleArn, base, stsName);
    }
    const {AccessKeyId, SecretAccessKey, SessionToken, Expiration} = output.Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey || !SessionToken) {
      throw new AlluxioError('IO', `STS at ${stsName} assumed role ${settings.roleArn} but returned no credentials`);
    }
    const expiration = Expiration ?? new Date(requestedAt + settings.durationSeconds * 1000);
    session = {
      identity: {accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration},
      expiresAt: expiration.getTime(),
      refreshAt: expiration.getTime() - settings.refreshMarginMs,
      user: output.AssumedRoleUser?.Arn ?? `role ${settings.roleArn} (session ${sessionName})`,
    };
    return session.identity;
  };

  // `memoized` tells the SDK not to cache on its own schedule, so that the refresh margin is ours to apply.
  const provider: AwsCredentialIdentityProvider & {memoized: boolean} = Object.assign(
    async () => {
      if (session && Date.now() < session.refreshAt) return session.identity;
      pending ??= assume().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    {memoized: true},
  );

  return {
    provider,
    get level() {
      return base.level;
    },
    get secretLevel() {
      return base.secretLevel;
    },
    get maskedKeyId() {
      return base.maskedKeyId;
    },
    describe() {
      if (!session) return `role ${settings.roleArn} (not assumed yet) with ${base.describe()}`;
      return `temporary key ${maskKeyId(session.identity.accessKeyId)} of ${session.user}, assumed with ${base.describe()}`;
    },
    warnings,
  };
}

/** One line naming the role, the base credentials' level and what STS answered; never a secret. */
function assumeRoleError(e: unknown, roleArn: string, base: ResolvedCredentials, stsName: string): AlluxioError {
  if (e instanceof AlluxioError) return e;
  const status = httpStatusOf(e);
  const code = errorCodeOf(e);
  const sysCode = (e as {code?: string})?.code;
  if (status === undefined && sysCode && /^E[A-Z]+$/.test(sysCode)) {
    return new AlluxioError('UNAVAILABLE', `Cannot reach the STS endpoint ${stsName} to assume role ${roleArn}: ${sysCode}`, {
      hint: `Check ${STS_ENDPOINT} (or ${S3_ENDPOINT}, its default) and that the STS service is running`,
      cause: e,
    });
  }
  const message = (e instanceof Error ? e.message : '').split('\n')[0];
  const detail = message && !['Unknown', 'UnknownError', code].includes(message) ? `: ${message}` : '';
  const kind = status === 403 ? 'PERMISSION_DENIED' : status !== undefined && status < 500 ? 'CONFIGURATION' : 'IO';
  return new AlluxioError(
    kind,
    `Cannot assume role ${roleArn} with ${base.describe()} (STS ${stsName}: HTTP ${status ?? '-'} ${code}${detail})`,
    {
      hint: `Check that the role exists, that its trust policy lets this user call sts:AssumeRole, and that ${DURATION} ` +
        'does not exceed the role\'s maximum session duration',
      cause: e,
    },
  );
}

/**
 * The STS endpoint key as a URL. Without a scheme the protocol follows the S3 endpoint's rule: https when
 * secure HTTP or SSE is on, else http.
 */
function stsEndpoint(conf: Configuration): string | undefined {
  const raw = conf.getOrUndefined(STS_ENDPOINT)?.trim();
  if (!raw) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  const secure = conf.getBoolean(SECURE_HTTP) || sseEnabled(conf);
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `${secure ? 'https' : 'http'}://${raw}`);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' || url.hostname === '') {
    throw configurationError(
      `Invalid value ${raw} for ${STS_ENDPOINT} (${whereSet(conf, STS_ENDPOINT)}): expected host[:port] or an http(s) URL`,
      'For example: http://localhost:7480 or sts.us-west-2.amazonaws.com',
    );
  }
  return url.pathname === '/' ? url.origin : url.href;
}

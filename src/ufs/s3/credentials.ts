import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import type {Configuration, Source} from '../../conf/configuration.js';
import {parseProperties} from '../../conf/properties-parser.js';
import {canonicalName, type PropertyName} from '../../conf/property-keys.js';
import {AlluxioError, configurationError} from '../../errors.js';
import {SECRET_KEY_FILE_KEY, SecretKeyFileError, isSealed, unseal} from '../../security/secret-box.js';
import {dereferenceSecret} from '../../security/secret-reference.js';
import {interrupts} from '../../util/interrupts.js';
import {maskKeyId} from './mask.js';
import {seconds} from './s3-errors.js';

/** Alluxio's credential levels, highest first. */
export type CredentialLevel =
  | 'mount option'
  | 'system property'
  | 'site property'
  | 'environment'
  | 'profile file'
  | 'instance profile';

export const CREDENTIAL_LEVELS: readonly CredentialLevel[] = [
  'mount option',
  'system property',
  'site property',
  'environment',
  'profile file',
  'instance profile',
];

export const ACCESS_KEY_ID = 's3a.accessKeyId';
export const SECRET_KEY = 's3a.secretKey';

/** What one level holds, for `doctor s3`. Never carries a secret. */
export interface LevelReport {
  level: CredentialLevel;
  /** Masked. */
  accessKeyId?: string;
  hasSecret: boolean;
  /** Where within the level: mount path, site file, env var names, profile and file, metadata service. */
  detail?: string;
  /** Why the level says nothing or failed: 'not checked', 'disabled by …', an error message. */
  note?: string;
}

export interface ResolvedCredentials {
  provider: AwsCredentialIdentityProvider;
  /** Where the key id came from; undefined while the profile file / instance profile chain has not answered yet. */
  readonly level: CredentialLevel | undefined;
  /** Where the secret came from (differs from `level` only for Alluxio's configuration levels). */
  readonly secretLevel: CredentialLevel | undefined;
  readonly maskedKeyId: string | undefined;
  /** E.g. `access key ****************0001 from mount option of /mnt/s3, secret from site property (/etc/…)`. */
  describe(): string;
  warnings: string[];
}

export interface CredentialOptions {
  env: NodeJS.ProcessEnv;
  /** Replaces AWS_SHARED_CREDENTIALS_FILE / `~/.aws/credentials`. */
  profileFile?: string;
  /** How long a profile's credential_process may take; 0: no limit. */
  processTimeoutMs?: number;
}

/** A credential_process gets as long as one request: the key users already know for "time to an answer". */
const PROCESS_TIMEOUT_KEY = 'alluxio.underfs.s3.request.timeout';

interface Located {
  level: CredentialLevel;
  detail?: string;
}

interface Found extends Located {
  value: string;
}

/** One of the SDK-backed levels, tried only when credentials are first needed. */
interface Link extends Located {
  provider: AwsCredentialIdentityProvider;
}

const ID_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY'];
const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY'];

/** Resolves the credentials of one mount, following Alluxio's order of levels (facts §2). */
export async function resolveCredentials(conf: Configuration, options: CredentialOptions): Promise<ResolvedCredentials> {
  const warnings: string[] = [];
  const id = configured(conf, ACCESS_KEY_ID, options.env);
  const secret = configured(conf, SECRET_KEY, options.env);
  if (id && secret) {
    return fixed({accessKeyId: id.value, secretAccessKey: secret.value}, id, secret, warnings);
  }
  const half = id ?? secret;
  if (half) {
    const [present, missing] = id ? [ACCESS_KEY_ID, SECRET_KEY] : [SECRET_KEY, ACCESS_KEY_ID];
    warnings.push(
      `${present} is set (${where(half)}) but ${missing} is not: ignoring it and looking for credentials ` +
        'in the environment, the profile file and the instance profile',
    );
  }

  const env = fromEnvironment(options.env, warnings);
  if (env) return fixed(env.identity, env.located, env.located, warnings);

  const {links, skipped} = sdkLinks({processTimeoutMs: conf.getDurationMs(PROCESS_TIMEOUT_KEY), ...options});
  return chained(links, skipped, warnings);
}

/** Every level and what it holds, without using any of them; the instance profile is asked only on request. */
export async function inspectCredentialLevels(
  conf: Configuration,
  env: NodeJS.ProcessEnv,
  options: {profileFile?: string; checkInstanceProfile?: boolean} = {},
): Promise<LevelReport[]> {
  const ids = perConfigLevel(conf, ACCESS_KEY_ID);
  const secrets = perConfigLevel(conf, SECRET_KEY);
  const reports: LevelReport[] = [];
  for (const level of CREDENTIAL_LEVELS.slice(0, 3)) {
    const id = ids.get(level);
    const secret = secrets.get(level);
    const report: LevelReport = {level, hasSecret: secret !== undefined};
    const detail = id?.detail ?? secret?.detail;
    if (detail !== undefined) report.detail = detail;
    try {
      if (id) report.accessKeyId = maskKeyId(dereference(conf, ACCESS_KEY_ID, id, env));
      if (secret) dereference(conf, SECRET_KEY, secret, env);
    } catch (e) {
      report.note = (e as Error).message;
    }
    reports.push(report);
  }

  const fromEnv = fromEnvironment(env, []);
  reports.push(
    fromEnv
      ? {level: 'environment', accessKeyId: maskKeyId(fromEnv.identity.accessKeyId), hasSecret: true, detail: fromEnv.located.detail}
      : {level: 'environment', hasSecret: false},
  );

  const {links, skipped} = sdkLinks({env, processTimeoutMs: conf.getDurationMs(PROCESS_TIMEOUT_KEY), ...options});
  for (const link of links) {
    const report: LevelReport = {level: link.level, hasSecret: false};
    if (link.detail !== undefined) report.detail = link.detail;
    if (link.level === 'instance profile' && !options.checkInstanceProfile) {
      report.note = 'not checked';
    } else {
      try {
        const identity = await link.provider();
        report.accessKeyId = maskKeyId(identity.accessKeyId);
        report.hasSecret = identity.secretAccessKey !== '';
      } catch (e) {
        report.note = firstLine(e);
      }
    }
    reports.push(report);
  }
  for (const {level, detail} of skipped) reports.push({level, hasSecret: false, note: detail});
  return reports;
}

/** The value in effect for a credential key, `env:`/`file:` references read; undefined when unset or empty. */
function configured(conf: Configuration, key: PropertyName, env: NodeJS.ProcessEnv): Found | undefined {
  const raw = conf.getOrUndefined(key);
  if (!raw) return undefined;
  const at = {value: raw, ...levelOfSource(conf.source(key))};
  return {...at, value: dereference(conf, key, at, env)};
}

function levelOfSource({source, detail}: {source: Source; detail?: string}): Located {
  switch (source) {
    case 'MOUNT_OPTION':
      return detail ? {level: 'mount option', detail} : {level: 'mount option'};
    case 'SYSTEM_PROPERTY':
    case 'RUNTIME':
      return {level: 'system property', detail: detail ?? 'runtime'};
    default:
      return detail ? {level: 'site property', detail} : {level: 'site property'};
  }
}

/**
 * A credential value may be `env:NAME` or `file:/path`, so that secrets stay out of argv and the metastore, or a
 * secret sealed in the metastore by `fs mount`, opened with the key file.
 */
function dereference(conf: Configuration, key: string, found: Found, env: NodeJS.ProcessEnv): string {
  const {value} = found;
  if (isSealed(value)) {
    const keyFile = conf.get(SECRET_KEY_FILE_KEY);
    try {
      return unseal(key, value, keyFile);
    } catch (e) {
      if (!(e instanceof SecretKeyFileError)) throw e;
      throw configurationError(
        `${key} (${where(found)}) is sealed, and the key file ${keyFile} ${e.message}`,
        `Hosts that share a metastore must share its key file: copy ${keyFile} from the host that made the mount ` +
          `(mode 0600), or set ${SECRET_KEY_FILE_KEY}, or mount again with the secret.`,
      );
    }
  }
  return dereferenceSecret(key, value, env, where(found));
}

/** `AWS_ACCESS_KEY_ID` or `AWS_ACCESS_KEY` with `AWS_SECRET_ACCESS_KEY` or `AWS_SECRET_KEY`, and any session token. */
function fromEnvironment(
  env: NodeJS.ProcessEnv,
  warnings: string[],
): {identity: AwsCredentialIdentity; located: Located} | undefined {
  const idName = ID_ENV.find((name) => env[name]?.trim());
  const secretName = SECRET_ENV.find((name) => env[name]?.trim());
  if (idName && secretName) {
    const token = env.AWS_SESSION_TOKEN?.trim();
    const identity: AwsCredentialIdentity = {
      accessKeyId: env[idName]!.trim(),
      secretAccessKey: env[secretName]!.trim(),
      ...(token ? {sessionToken: token} : {}),
    };
    const names = [idName, secretName, ...(token ? ['AWS_SESSION_TOKEN'] : [])];
    return {identity, located: {level: 'environment', detail: names.join(', ')}};
  }
  if (idName) {
    warnings.push(`${idName} is set but neither ${SECRET_ENV.join(' nor ')} is: ignoring the environment's key`);
  } else if (secretName) {
    warnings.push(`${secretName} is set but neither ${ID_ENV.join(' nor ')} is: ignoring the environment's secret`);
  }
  return undefined;
}

/** The profile file and instance-profile levels, through the SDK's providers; `skipped` are the disabled ones. */
function sdkLinks({env, profileFile, processTimeoutMs = 0}: CredentialOptions): {links: Link[]; skipped: Located[]} {
  const home = os.homedir();
  const profile = env.AWS_PROFILE || 'default';
  const filepath = profileFile ?? (env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'));
  const configFilepath = env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config');
  const fromProfile = sdkProvider((sdk) => sdk.fromIni({profile, filepath, configFilepath, ignoreCache: true}));
  let command: Promise<string | undefined> | undefined;
  const links: Link[] = [
    {
      level: 'profile file',
      detail: `profile ${profile} in ${filepath}`,
      provider: async (props) => {
        command ??= credentialProcess(profile, filepath, configFilepath);
        const found = await command;
        return found ? runCredentialProcess(found, profile, processTimeoutMs) : fromProfile(props);
      },
    },
  ];
  const skipped: Located[] = [];
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    links.push({level: 'instance profile', detail: 'ECS container metadata', provider: sdkProvider((sdk) => sdk.fromContainerMetadata())});
  } else if (env.AWS_EC2_METADATA_DISABLED && env.AWS_EC2_METADATA_DISABLED !== 'false') {
    skipped.push({level: 'instance profile', detail: 'disabled by AWS_EC2_METADATA_DISABLED'});
  } else {
    links.push({level: 'instance profile', detail: 'EC2 instance metadata', provider: sdkProvider((sdk) => sdk.fromInstanceMetadata())});
  }
  return {links, skipped};
}

/**
 * The profile's credential_process, when the SDK would run it (no keys, role or web identity in the profile): it
 * is run here instead, as the SDK runs it with no time limit and no way to stop it. The files are read by the
 * SDK's own loader, so that this choice and the SDK's agree on what the profile says.
 */
async function credentialProcess(profile: string, credentialsFile: string, configFile: string): Promise<string | undefined> {
  const {loadSharedConfigFiles} = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({filepath: credentialsFile, configFilepath: configFile, ignoreCache: true});
  const settings = {...files.configFile[profile], ...files.credentialsFile[profile]};
  const other = ['aws_access_key_id', 'role_arn', 'web_identity_token_file'].some((key) => settings[key]);
  return other ? undefined : settings.credential_process || undefined;
}

/**
 * Runs a credential_process and reads the credentials it prints (JSON, Version 1). It runs in its own session and
 * process group, so that a timeout stops whatever it started; Ctrl-C reaches only our group, so an interrupt
 * stops it too. Being in a session of its own, it has no terminal to prompt on. Any failure is final: the
 * profile asked for this process.
 * Messages name the program only, and never repeat what it wrote to stderr: its arguments and its complaints
 * may hold tokens.
 */
function runCredentialProcess(command: string, profile: string, timeoutMs: number): Promise<AwsCredentialIdentity> {
  const program = command.trim().split(/\s+/)[0];
  const byHand = `Run the credential_process of profile ${profile} by hand`;
  const fail = (what: string, hint?: string) =>
    new AlluxioError('CONFIGURATION', `The credential_process of AWS profile ${profile} (${program}) ${what}`, {
      hint: hint ?? `${byHand}: it must print credentials as JSON (Version 1).`,
    });
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {detached: true, stdio: ['ignore', 'pipe', 'ignore']});
    const stopGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
      return 0;
    };
    // Counts 0: nothing of the user's is taken back, so the interrupt's summary line does not mention it.
    const unregister = interrupts.register('file', stopGroup);
    const stdout: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    const timer = timeoutMs > 0
      ? setTimeout(() => {
          stopGroup();
          reject(fail(`did not answer within ${seconds(timeoutMs)}`,
            `${byHand} to see why it hangs; ${PROCESS_TIMEOUT_KEY} sets how long it may take.`));
        }, timeoutMs)
      : undefined;
    child.on('error', (e) => {
      clearTimeout(timer);
      unregister();
      reject(fail(`could not be started (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      unregister();
      if (code !== 0) {
        reject(fail(`failed with exit status ${code}`, `${byHand} to see why.`));
        return;
      }
      let data: {Version?: number; AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: string};
      try {
        data = JSON.parse(Buffer.concat(stdout).toString('utf8'));
      } catch {
        reject(fail('did not print JSON'));
        return;
      }
      if (data.Version !== 1 || !data.AccessKeyId || !data.SecretAccessKey) {
        reject(fail('printed no Version 1 credentials (Version, AccessKeyId and SecretAccessKey)'));
        return;
      }
      const expiration = data.Expiration ? new Date(data.Expiration) : undefined;
      if (expiration && expiration.getTime() <= Date.now()) {
        reject(fail(`printed credentials that expired at ${data.Expiration}`));
        return;
      }
      resolve({
        accessKeyId: data.AccessKeyId,
        secretAccessKey: data.SecretAccessKey,
        ...(data.SessionToken ? {sessionToken: data.SessionToken} : {}),
        ...(expiration ? {expiration} : {}),
      });
    });
  });
}

/** An SDK provider whose package is loaded when the chain first reaches it: static keys never load it. */
function sdkProvider(
  make: (sdk: typeof import('@aws-sdk/credential-providers')) => AwsCredentialIdentityProvider,
): AwsCredentialIdentityProvider {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (props) => {
    provider ??= import('@aws-sdk/credential-providers').then(make);
    return (await provider)(props);
  };
}

/** Credentials known now: a static pair from the configuration or the environment. */
function fixed(identity: AwsCredentialIdentity, id: Located, secret: Located, warnings: string[]): ResolvedCredentials {
  const maskedKeyId = maskKeyId(identity.accessKeyId);
  return {
    provider: async () => identity,
    level: id.level,
    secretLevel: secret.level,
    maskedKeyId,
    describe: () => describeFound(maskedKeyId, id, secret),
    warnings,
  };
}

/** Tries the SDK levels in order when first asked, then keeps asking the one that answered (for refreshes). */
function chained(links: Link[], skipped: Located[], warnings: string[]): ResolvedCredentials {
  let answered: {link: Link; maskedKeyId: string} | undefined;
  let first: Promise<AwsCredentialIdentity> | undefined;

  const tryLinks = async (props?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
    const failures: string[] = [];
    for (const link of links) {
      try {
        const identity = await link.provider(props);
        answered = {link, maskedKeyId: maskKeyId(identity.accessKeyId)};
        return identity;
      } catch (e) {
        if (e instanceof AlluxioError) throw e;
        if ((e as {tryNextLink?: boolean}).tryNextLink === false) {
          throw new AlluxioError('CONFIGURATION', `Cannot get S3 credentials from the ${where(link)}: ${firstLine(e)}`, {
            cause: e,
          });
        }
        failures.push(`${link.level}: ${firstLine(e)}`);
      }
    }
    throw missingCredentials([...links, ...skipped], failures);
  };

  const provider: AwsCredentialIdentityProvider = (props) => {
    if (answered) return answered.link.provider(props);
    first ??= tryLinks(props).finally(() => {
      first = undefined;
    });
    return first;
  };

  return {
    provider,
    get level() {
      return answered?.link.level;
    },
    get secretLevel() {
      return answered?.link.level;
    },
    get maskedKeyId() {
      return answered?.maskedKeyId;
    },
    describe() {
      if (answered) return describeFound(answered.maskedKeyId, answered.link, answered.link);
      return `credentials from the ${links.map(where).join(' or the ')}, not resolved yet`;
    },
    warnings,
  };
}

function missingCredentials(sdkLevels: Located[], failures: string[]): AlluxioError {
  const tried = [...CREDENTIAL_LEVELS.slice(0, 4), ...sdkLevels.map(where)].join(', ');
  return new AlluxioError(
    'CONFIGURATION',
    `No S3 credentials found: set ${ACCESS_KEY_ID} and ${SECRET_KEY}, or AWS_ACCESS_KEY_ID and ` +
      `AWS_SECRET_ACCESS_KEY (tried ${tried})`,
    {
      hint:
        `Pass them as mount options (--option ${ACCESS_KEY_ID}=<id> --option ${SECRET_KEY}=env:<VAR>), ` +
        'as -D system properties, in alluxio-site.properties, or in the environment',
      cause: new Error(failures.join('; ')),
    },
  );
}

function describeFound(maskedKeyId: string, id: Located, secret: Located): string {
  const text = `access key ${maskedKeyId} from ${where(id)}`;
  return id.level === secret.level && id.detail === secret.detail ? text : `${text}, secret from ${where(secret)}`;
}

/** Where the value in effect for `key` was set, in the same words: `mount option of /mnt/s3`, `default`. */
export function whereSet(conf: Configuration, key: string): string {
  const source = conf.source(key);
  return source.source === 'DEFAULT' ? 'default' : where(levelOfSource(source));
}

/** A level in words, with where within it: `mount option of /mnt/s3`, `site property (/etc/alluxio/…)`. */
function where({level, detail}: Located): string {
  if (detail === undefined) return level;
  return level === 'mount option' ? `${level} of ${detail}` : `${level} (${detail})`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/**
 * What each of Alluxio's configuration levels holds for `key`, including values hidden by a higher level:
 * mount options are peeled off with an empty mount, and a site value shadowed by a system property is read
 * from the site file itself.
 */
function perConfigLevel(conf: Configuration, key: PropertyName): Map<CredentialLevel, Found> {
  const found = new Map<CredentialLevel, Found>();
  const add = (value: string | undefined, source: {source: Source; detail?: string}) => {
    if (value) found.set(levelOfSource(source).level, {value, ...levelOfSource(source)});
  };
  let rest = conf;
  if (conf.isSet(key) && conf.source(key).source === 'MOUNT_OPTION') {
    add(conf.get(key), conf.source(key));
    rest = conf.withMountOptions({}, '');
  }
  if (!rest.isSet(key)) return found;
  add(rest.get(key), rest.source(key));
  if (!found.has('site property') && rest.siteFile !== undefined) {
    add(siteFileValue(rest.siteFile, key), {source: 'SITE_PROPERTY', detail: rest.siteFile});
  }
  return found;
}

function siteFileValue(file: string, key: string): string | undefined {
  try {
    const entries = parseProperties(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), file);
    return entries.filter((entry) => canonicalName(entry.key) === key).pop()?.value;
  } catch {
    return undefined;
  }
}

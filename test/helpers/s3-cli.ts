/**
 * Shared code of the `bin/alluxio`-against-radosgw tests (test/integration/s3/cli-*.test.ts): isolated homes whose
 * site file points at the test gateway, a recorder of every CLI output (so that each test can be checked for
 * leaked secrets), an independent S3 client (aws-cli) and parsers of the mount table.
 *
 *   guardSecrets();                                   // at the top of a test file: afterEach scans every output
 *   const home = s3Home({keys: 1});                   // site: endpoint, path style, user1's s3a.* keys
 *   const r = await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/dir`]);
 *   expect(await awsList(bucket, 'dir/')).toEqual([...]);
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, expect} from 'vitest';

import {type Home, type RunOptions, type RunResult, describeResult, lines, makeHome} from './cli.js';
import {s3Env} from './s3-env.js';

// ---------------------------------------------------------------------------------------------------------------
// Secrets: every output of every CLI run is scanned for them

const recorded: RunResult[] = [];
const extraSecrets = new Set<string>();
let scanned = 0;

/** A string that must never appear in any output (wrong secrets a test passes on purpose, for instance). */
export function registerSecret(secret: string): string {
  extraSecrets.add(secret);
  return secret;
}

/** The secrets of both test users, plus those registered. */
export function allSecrets(): string[] {
  const env = s3Env();
  return [env.secretKey, env.secretKey2, ...extraSecrets];
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('<SECRET>');
  return out;
}

/** Fails when any recorded output holds a secret; clears the record. */
export function expectNoSecretsInOutputs(): void {
  const secrets = allSecrets();
  const batch = recorded.splice(0);
  scanned += batch.length;
  for (const r of batch) {
    for (const s of secrets) {
      const leaked = r.stdout.includes(s) || r.stderr.includes(s);
      expect(leaked, `a secret leaked into the output of\n${redact(describeResult(r), secrets)}`).toBe(false);
    }
  }
}

/**
 * Registers the scan for the calling test file: after each test, every output of `bin/alluxio` recorded since the
 * previous scan is checked; at the end of the file, that something was scanned at all.
 */
export function guardSecrets(): void {
  afterEach(() => expectNoSecretsInOutputs());
  afterAll(() => {
    expectNoSecretsInOutputs();
    expect(scanned, 'the secret scan saw no CLI output at all').toBeGreaterThan(0);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Homes

export interface S3HomeOptions {
  /** user1's or user2's keys as s3a.* in the site file; none by default. */
  keys?: 1 | 2;
  /** More site properties. */
  site?: Record<string, string>;
  /** Extra environment variables for every run. */
  env?: Record<string, string | undefined>;
}

/** Site properties that reach the test gateway: its endpoint and path-style addressing. */
export function gatewaySite(): Record<string, string> {
  const env = s3Env();
  return {
    'alluxio.underfs.s3.endpoint': env.endpoint,
    'alluxio.underfs.s3.disable.dns.buckets': 'true',
  };
}

export function userKeys(user: 1 | 2): {id: string; secret: string} {
  const env = s3Env();
  return user === 1 ? {id: env.accessKey, secret: env.secretKey} : {id: env.accessKey2, secret: env.secretKey2};
}

/** An isolated home (see cli.ts makeHome) whose site file reaches the gateway, and whose runs are all recorded. */
export function s3Home(options: S3HomeOptions = {}): Home {
  const site: Record<string, string> = {...gatewaySite()};
  if (options.keys) {
    const k = userKeys(options.keys);
    site['s3a.accessKeyId'] = k.id;
    site['s3a.secretKey'] = k.secret;
  }
  Object.assign(site, options.site ?? {});
  const home = makeHome({site, env: options.env});
  const run = home.run.bind(home);
  home.run = async (args: string[], opts: RunOptions = {}): Promise<RunResult> => {
    const r = await run(args, {timeoutMs: 60_000, ...opts});
    recorded.push(r);
    return r;
  };
  return home;
}

/** `--option k=v` pairs for a user's keys, under the given names (s3a.* or the aws.* aliases). */
export function keyOptions(user: 1 | 2, names: 's3a' | 'aws' = 's3a'): string[] {
  const k = userKeys(user);
  const [id, secret] = names === 's3a' ? ['s3a.accessKeyId', 's3a.secretKey'] : ['aws.accessKeyId', 'aws.secretKey'];
  return ['--option', `${id}=${k.id}`, '--option', `${secret}=${k.secret}`];
}

/** `-D` arguments for a user's keys. */
export function keyProperties(user: 1 | 2): string[] {
  const k = userKeys(user);
  return [`-Ds3a.accessKeyId=${k.id}`, `-Ds3a.secretKey=${k.secret}`];
}

// ---------------------------------------------------------------------------------------------------------------
// The error of a denied S3 request

/** `****************0001`: what an access key id looks like in messages. */
export function masked(id: string): string {
  return '*'.repeat(16) + id.slice(-4);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The one line of a 403: `S3 denied <Operation> on s3://<bucket>/<key> (HTTP 403 <code>) for access key <masked>
 * from <level>`. `target` is the URI the mount names (the message may add a trailing slash for a listing).
 */
export function deniedLine(target: string, keyId: string, level: string): RegExp {
  return new RegExp(
    `^S3 denied [A-Z][A-Za-z0-9]+ on ${escape(target)}/? \\(HTTP 403 [A-Za-z]+\\) for access key ${escape(masked(keyId))} from ${escape(level)}$`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Mount table

export interface MountRow {
  ufs: string;
  path: string;
  type: string;
  capacity: string;
  used: string;
  readOnly: boolean;
  shared: boolean;
  /** Sorted (the order of properties is unspecified, as in Alluxio). */
  properties: string[];
  line: string;
}

const ROW = /^(\S+)( +)on {2}(\S+)( +)\((\w+), capacity=(\S+), used=(\S+), (not )?read-only, (not )?shared, properties=\{(.*)\}\)$/;

/** Parses `fs mount` output, checking that the `on` and `(` columns line up, padded to the longest entries. */
export function parseMountTable(out: string): MountRow[] {
  const rows = lines(out).map((line) => {
    const m = ROW.exec(line);
    if (!m) throw new Error(`not a mount table line: ${JSON.stringify(line)}\n${out}`);
    return {m, line};
  });
  expect(new Set(rows.map(({line}) => line.indexOf('  on  '))).size, `"on" column misaligned:\n${out}`).toBe(1);
  expect(new Set(rows.map(({m}) => m[1]!.length + m[2]!.length + 4 + m[3]!.length + m[4]!.length)).size, `"(" misaligned:\n${out}`).toBe(1);
  expect(Math.min(...rows.map(({m}) => m[2]!.length)), `padding after the URIs:\n${out}`).toBe(2);
  expect(Math.min(...rows.map(({m}) => m[4]!.length)), `padding after the paths:\n${out}`).toBe(2);
  return rows.map(({m, line}) => ({
    ufs: m[1]!,
    path: m[3]!,
    type: m[5]!,
    capacity: m[6]!,
    used: m[7]!,
    readOnly: m[8] === undefined,
    shared: m[9] === undefined,
    properties: m[10] === '' ? [] : m[10]!.split(', ').sort(),
    line,
  }));
}

/** Runs `fs mount` (no arguments) and parses it. */
export async function mountTable(home: Home): Promise<MountRow[]> {
  const r = await home.run(['fs', 'mount']);
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr, describeResult(r)).toBe('');
  return parseMountTable(r.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// aws-cli: an S3 client that shares no code with the CLI under test

let awsDir: string | undefined;

function awsConfigDir(): string {
  if (!awsDir) {
    awsDir = mkdtempSync(join(tmpdir(), 'alluxio-s3-awscli-'));
    writeFileSync(join(awsDir, 'config'), '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n');
  }
  return awsDir;
}

export interface AwsObject {
  key: string;
  size: number;
}

/** `aws s3 ls --recursive s3://bucket/prefix` as user1 (or user2), parsed. */
export function awsList(bucket: string, prefix = '', user: 1 | 2 = 1): Promise<AwsObject[]> {
  const env = s3Env();
  const k = userKeys(user);
  const dir = awsConfigDir();
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      ['--endpoint-url', env.endpoint, 's3', 'ls', '--recursive', `s3://${bucket}/${prefix}`],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          AWS_CONFIG_FILE: join(dir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
          AWS_ACCESS_KEY_ID: k.id,
          AWS_SECRET_ACCESS_KEY: k.secret,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        // aws s3 ls exits 1 when nothing matches
        if (err && !(err.code === 1 && String(stdout).trim() === '' && String(stderr).trim() === '')) {
          reject(new Error(`aws s3 ls failed: ${String(stderr).trim() || err.message}`));
          return;
        }
        const out: AwsObject[] = [];
        for (const line of String(stdout).split('\n')) {
          if (line.trim() === '') continue;
          const m = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+(\d+) (.+)$/.exec(line);
          if (!m) {
            reject(new Error(`unexpected aws s3 ls line: ${JSON.stringify(line)}`));
            return;
          }
          out.push({key: m[2]!, size: Number(m[1])});
        }
        resolve(out);
      },
    );
  });
}

import {randomUUID} from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {Configuration} from '../../conf/configuration.js';
import {AlluxioError} from '../../errors.js';
import type {DiagnosisProbe, DiagnosisRow, UfsDiagnosis} from '../types.js';
import {readBucketPermissions} from './bucket-permissions.js';
import type {ClientSummary} from './client-config.js';
import {type ResolvedCredentials, inspectCredentialLevels} from './credentials.js';
import {errorCodeOf, httpStatusOf} from './s3-errors.js';
import {directoryPrefix, parseS3Uri} from './s3-uri.js';

export interface DiagnosisContext {
  client: S3Client;
  conf: Configuration;
  credentials: ResolvedCredentials;
  summary: ClientSummary;
}

const FIX = {
  list: 'Grant s3:ListBucket on the bucket (for this prefix) to this user.',
  acl: 'Grant s3:GetBucketAcl (and s3:ListAllMyBuckets for the owner), or set alluxio.underfs.s3.inherit.acl=false and alluxio.underfs.s3.default.mode.',
  read: 'Grant s3:GetObject on the objects under the prefix.',
  write: 'Grant s3:PutObject and s3:DeleteObject under the prefix, or mount with --readonly.',
};

/**
 * `doctor s3`: the six credential levels (which one wins), the client settings with their sources, then probes
 * that need no write (list, bucket ACL, read one object) and, on request, a write that removes what it wrote.
 */
export async function diagnoseS3(uri: string, ctx: DiagnosisContext, options: {write: boolean}): Promise<UfsDiagnosis> {
  const {bucket, key} = parseS3Uri(uri);
  const prefix = directoryPrefix(key);
  const probes: DiagnosisProbe[] = [];
  const identity = await probe(probes, 'credentials', 'credentials', 'Set s3a.accessKeyId and s3a.secretKey, or fix the level named above.', async () => {
    await ctx.credentials.provider();
    return `using ${ctx.credentials.describe()}`;
  });
  let firstKey: string | undefined;
  if (identity) {
    await probe(probes, 'list', 's3:ListBucket', FIX.list, async () => {
      const out = await ctx.client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, MaxKeys: 10}));
      firstKey = out.Contents?.find((o) => !o.Key?.endsWith('/'))?.Key;
      return `s3://${bucket}/${prefix} lists ${out.KeyCount ?? 0} key(s) in its first page${out.IsTruncated ? ' (more follow)' : ''}`;
    });
    await probe(probes, 'bucket ACL', 's3:GetBucketAcl', FIX.acl, async () => {
      const found = await readBucketPermissions(ctx.client, bucket, ctx.conf.getOrUndefined('alluxio.underfs.s3.owner.id.to.username.mapping'));
      const {owner, canonicalId: id} = found;
      const mode = found.mode.toString(8).padStart(4, '0');
      const used = ctx.conf.getBoolean('alluxio.underfs.s3.inherit.acl') ? '' : ' (not used: alluxio.underfs.s3.inherit.acl=false)';
      return `owner=${owner} group=${owner} mode=${mode} from canonical id ${id}${used}`;
    });
    if (firstKey === undefined) {
      const why = probes.some((p) => p.name === 'list' && p.status === 'failed') ? 'the listing failed' : 'no object under the prefix';
      probes.push({name: 'read', action: 's3:GetObject', status: 'skipped', detail: `nothing to read: ${why}`});
    } else {
      const readKey = firstKey;
      await probe(probes, 'read', 's3:GetObject', FIX.read, async () => {
        const out = await ctx.client.send(new GetObjectCommand({Bucket: bucket, Key: readKey, Range: 'bytes=0-0'}));
        await out.Body?.transformToByteArray();
        return `read the first byte of s3://${bucket}/${readKey}`;
      });
    }
    if (options.write) {
      const probeKey = `${prefix}.alluxio-doctor-${randomUUID()}`;
      await probe(probes, 'write', 's3:PutObject', FIX.write, async () => {
        await ctx.client.send(new PutObjectCommand({Bucket: bucket, Key: probeKey, Body: 'alluxio doctor', ContentType: 'text/plain'}));
        await ctx.client.send(new DeleteObjectCommand({Bucket: bucket, Key: probeKey}));
        return `wrote and deleted s3://${bucket}/${probeKey}`;
      });
    } else {
      probes.push({name: 'write', action: 's3:PutObject', status: 'skipped', detail: 'run with --write to test writing (the probe object is deleted afterwards)'});
    }
  }
  return {sections: [await credentialSection(ctx), clientSection(ctx.summary)], probes};
}

async function probe(
  probes: DiagnosisProbe[],
  name: string,
  action: string,
  fix: string,
  run: () => Promise<string>,
): Promise<boolean> {
  try {
    probes.push({name, action, status: 'ok', detail: await run()});
    return true;
  } catch (e) {
    const status = httpStatusOf(e);
    const code = errorCodeOf(e);
    const denied = status === 403 || code === 'AccessDenied';
    const what = e instanceof AlluxioError ? e.message : `HTTP ${status ?? '-'} ${code}`;
    const hint =
      e instanceof AlluxioError && e.hint ? e.hint
      : code === 'SignatureDoesNotMatch' ? 'The secret key does not match the access key id: check the secret at the level marked "used".'
      : code === 'InvalidAccessKeyId' ? 'The store does not know this access key id: check the key id at the level marked "used".'
      : denied || name === 'credentials' ? fix
      : 'Check the endpoint and that the store is running.';
    probes.push({name, action, status: 'failed', detail: denied ? `${action} denied (${what})` : what, hint});
    return false;
  }
}

async function credentialSection(ctx: DiagnosisContext): Promise<{title: string; rows: DiagnosisRow[]}> {
  const levels = await inspectCredentialLevels(ctx.conf, process.env);
  const winner = ctx.credentials.level;
  const rows = levels.map((report) => {
    const holds = report.accessKeyId
      ? `${report.accessKeyId}${report.hasSecret ? '' : ' (no secret)'}`
      : report.hasSecret ? 'secret only' : (report.note ?? 'nothing');
    const wins = report.level === winner ? '  <- used' : '';
    return {name: report.level, value: `${holds}${wins}`, ...(report.detail ? {source: report.detail} : {})};
  });
  return {title: 'Credentials (highest level first)', rows};
}

function clientSection(s: ClientSummary): {title: string; rows: DiagnosisRow[]} {
  const ms = (n: number) => (n < 0 ? 'never' : n === 0 ? 'none' : `${n}ms`);
  const rows: DiagnosisRow[] = [
    {name: 'endpoint', ...s.endpoint},
    {name: 'region', ...s.region},
    {name: 'addressing', ...s.addressing},
    {name: 'signer', ...s.signer},
    {name: 'proxy', value: s.proxy.value ?? 'none', source: s.proxy.source},
    {name: 'server-side encryption', value: s.sse.value ? 'AES256' : 'off', source: s.sse.source},
    {name: 'socket timeout', value: ms(s.socketTimeoutMs.value), source: s.socketTimeoutMs.source},
    {name: 'request timeout', value: ms(s.requestTimeoutMs.value), source: s.requestTimeoutMs.source},
    {name: 'connection ttl', value: ms(s.connectionTtlMs.value), source: s.connectionTtlMs.source},
    {name: 'max connections', value: String(s.maxConnections.value), source: s.maxConnections.source},
    {name: 'max attempts', value: String(s.maxAttempts.value), source: s.maxAttempts.source},
  ];
  return {title: 'Client', rows: rows.map((r) => ({...r, value: String(r.value)}))};
}

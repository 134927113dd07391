import {createHash} from 'node:crypto';
import {lookup as dnsLookup, type LookupAddress, type LookupOptions} from 'node:dns';
import {S3Client} from '@aws-sdk/client-s3';
import type {Configuration} from '../../conf/configuration.js';
import type {Triple} from './acl.js';
import {withAssumedRole} from './assume-role.js';
import {buildS3ClientConfig, sseEnabled, signerType} from './client-config.js';
import {resolveCredentials} from './credentials.js';
import {diagnoseS3} from './diagnose.js';
import {requestLogPlugin} from './request-log.js';
import {retryPlugin} from './retry.js';
import {S3UnderFileSystem} from './s3-ufs.js';
import {parseS3Uri} from './s3-uri.js';
import {useSignatureV2} from './sigv2-hook.js';

export interface S3MountContext {
  readOnly: boolean;
  /** The mount's stored owner, group and mode, when known (saves the two ACL requests). */
  triple?: Triple;
  warn(message: string): void;
}

/** The S3 under file system of one mount, configured from the mount's own configuration. */
export async function createS3UnderFileSystem(uri: string, conf: Configuration, context: S3MountContext): Promise<S3UnderFileSystem> {
  const {bucket} = parseS3Uri(uri);
  // This tool supports Node 20 on purpose; the SDK's notice about future versions is noise on every command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const base = await resolveCredentials(conf, {env: process.env});
  const {config, summary, warnings} = buildS3ClientConfig(conf, base, {dnsLookup: loopbackForLocalhost});
  const credentials = withAssumedRole(conf, base, {config, summary});
  for (const warning of [...credentials.warnings, ...warnings]) context.warn(warning);
  const client = new S3Client({...config, credentials: credentials.provider});
  client.middlewareStack.use(requestLogPlugin(conf, context.warn));
  client.middlewareStack.use(retryPlugin(summary.maxAttempts.value));
  if (signerType(conf) === 'V2') useSignatureV2(client);
  return new S3UnderFileSystem(
    client,
    {
      bucket,
      mountUri: uri,
      readOnly: context.readOnly,
      directorySuffix: conf.get('alluxio.underfs.s3.directory.suffix'),
      breadcrumbs: conf.getBoolean('alluxio.underfs.object.store.breadcrumbs.enabled'),
      listingLength: Math.min(1000, Math.max(1, conf.getInt('alluxio.underfs.listing.length'))),
      listV1: conf.getBoolean('alluxio.underfs.s3.list.objects.v1'),
      sse: sseEnabled(conf),
      serviceThreads: Math.max(1, conf.getInt('alluxio.underfs.object.store.service.threads')),
      uploadThreads: Math.max(1, conf.getInt('alluxio.underfs.s3.upload.threads.max')),
      streamingUpload: conf.getBoolean('alluxio.underfs.s3.streaming.upload.enabled'),
      partitionSize: conf.getBytes('alluxio.underfs.s3.streaming.upload.partition.size'),
      copyThreshold: conf.getBytes('alluxio.underfs.s3.multipart.copy.threshold'),
      // The SDK's own resolved credentials: resolving them again for this costs no second credential_process run.
      copyScope: async () => {
        const identity = await client.config.credentials();
        const fields = [summary.endpoint.value, summary.signer.value, identity.accessKeyId, identity.secretAccessKey, identity.sessionToken ?? ''];
        return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
      },
      tmpDirs: conf.getList('alluxio.tmp.dirs'),
      inheritAcl: conf.getBoolean('alluxio.underfs.s3.inherit.acl'),
      defaultMode: conf.getMode('alluxio.underfs.s3.default.mode'),
      ownerMapping: conf.getOrUndefined('alluxio.underfs.s3.owner.id.to.username.mapping'),
      endpoint: summary.endpoint.value,
      limits: {
        maxAttempts: summary.maxAttempts.value,
        connectionTimeoutMs: summary.connectionTimeoutMs.value,
        socketTimeoutMs: summary.socketTimeoutMs.value,
        requestTimeoutMs: summary.requestTimeoutMs.value,
      },
      describeCredentials: () => credentials.describe(),
      diagnose: (path, options) => diagnoseS3(path, {client, conf, credentials, summary}, options),
      warn: context.warn,
    },
    context.triple,
  );
}

/** Names under `localhost` are loopback (RFC 6761), whatever the resolver says: `bucket.localhost` works. */
function loopbackForLocalhost(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{address: '127.0.0.1', family: 4}]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

/**
 * The radosgw cluster that test/integration/s3/setup.ts (vitest globalSetup of the `s3` project) starts once per
 * run, as the tests see it. Inside a test file (or a helper it imports):
 *
 *   import {s3Env} from '../../helpers/s3-env.js';
 *   const env = s3Env();   // throws if the file does not run in a project with that setup
 *
 * The setup hands the values over with vitest's provide('s3', ...); `inject('s3')` reads them.
 */
import {inject} from 'vitest';

export interface S3Env {
  /** Main gateway, STS auth off (so wrong keys/secrets get InvalidAccessKeyId / SignatureDoesNotMatch). */
  endpoint: string;
  /** Always us-east-1 (radosgw's default zonegroup answers to any region, the SDK needs one). */
  region: string;
  /** user1, "User One": the owner of the buckets made by freshBucket(). */
  accessKey: string;
  secretKey: string;
  /** Canonical user id (radosgw uses the uid), as in Owner.ID and ACL grants. */
  userId: string;
  userName: string;
  /** user2, "User Two": has no rights on user1's private buckets. */
  accessKey2: string;
  secretKey2: string;
  user2Id: string;
  user2Name: string;
  /** Second gateway with STS (AssumeRole, also sessions' S3 calls) and IAM on. */
  stsEndpoint: string;
  /** Role that user1 may assume; its policy allows s3:* on everything. */
  roleArn: string;
  /** Temp dir holding ceph.conf, the daemons' data, pid files and logs (deleted at teardown). */
  cephDir: string;
  cephConf: string;
  /** Log of the main gateway: one "beast: ... "METHOD URI HTTP/1.1" STATUS" line per request. */
  rgwLog: string;
  /** Log of the STS gateway. */
  rgwStsLog: string;
  /** Seconds the start script took. */
  startSeconds: number;
  /** s3rver, a second and independent S3 implementation (path-style only; one fixed key pair). */
  s3rver: {endpoint: string; accessKey: string; secretKey: string; dir: string};
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3Env;
  }
}

export function s3Env(): S3Env {
  const env = inject('s3');
  if (!env) {
    throw new Error(
      's3Env(): no S3 cluster was provided. This test must run in the vitest project `s3` ' +
        '(test/integration/**, whose globalSetup test/integration/s3/setup.ts starts radosgw), e.g. `npx vitest run --project s3`.',
    );
  }
  return env;
}

/** The same values as environment variables, for subprocesses (bin/alluxio, aws-cli, s3cmd). */
export function s3ProcessEnv(env: S3Env = s3Env()): Record<string, string> {
  return {
    S3_ENDPOINT: env.endpoint,
    S3_ACCESS_KEY: env.accessKey,
    S3_SECRET_KEY: env.secretKey,
    S3_USER_ID: env.userId,
    S3_ACCESS_KEY2: env.accessKey2,
    S3_SECRET_KEY2: env.secretKey2,
    S3_USER2_ID: env.user2Id,
    S3_STS_ENDPOINT: env.stsEndpoint,
    S3_ROLE_ARN: env.roleArn,
    CEPH_DIR: env.cephDir,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

import {defineConfig} from 'vitest/config';

// Every project: long enough for a real radosgw on a 2-core machine, and the AWS SDK's instance-metadata
// credential lookup (169.254.169.254) switched off.
const common = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  env: {AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
};

export default defineConfig({
  test: {
    ...common,
    projects: [
      {test: {...common, name: 'unit', include: ['test/unit/**/*.test.ts']}},
      // the metastore shared by OS processes: no S3 needed, so no Ceph either
      {test: {...common, name: 'meta', include: ['test/integration/meta/**/*.test.ts']}},
      {
        test: {
          ...common,
          name: 's3',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/meta/**', 'test/integration/pg/**', '**/node_modules/**'],
          // one Ceph cluster (mon, OSD, radosgw, STS radosgw) per run; tests read it with s3Env(); and a PostgreSQL
          // (about 2 s more) for S3 mounts with the namespace in it, read with pgEnv()
          globalSetup: ['test/integration/s3/setup.ts', 'test/integration/pg/setup.ts'],
        },
      },
      // the metastore in PostgreSQL: one throw-away server per run, read with pgEnv(); one file at a time, since
      // the fault tests restart it
      {
        test: {
          ...common,
          name: 'pg',
          include: ['test/integration/pg/**/*.test.ts'],
          globalSetup: ['test/integration/pg/setup.ts'],
          fileParallelism: false,
        },
      },
      {test: {...common, name: 'e2e', include: ['test/e2e/**/*.test.ts']}},
    ],
  },
});

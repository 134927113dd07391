import {ufsJoin} from '../../ufs/factory.js';
import {type ContractTest, check} from './context.js';

/** Alluxio's TEST_BYTES of the S3 suite. */
const S3_BYTES = Buffer.from('TestBytesInS3AFiles');
/** More than one 5 MB part (the suite forces alluxio.underfs.s3.streaming.upload.partition.size=5MB). */
const MULTIPART_BYTES = Buffer.concat(Array(Math.ceil((6 * 1024 * 1024) / S3_BYTES.length)).fill(S3_BYTES));

/** Settings Alluxio's S3 suite forces before it re-creates the UFS. */
export const S3_SUITE_SETTINGS: Record<string, string> = {
  'alluxio.underfs.s3.list.objects.v1': 'true',
  'alluxio.underfs.s3.streaming.upload.enabled': 'true',
  'alluxio.underfs.s3.streaming.upload.partition.size': '5MB',
  'alluxio.underfs.s3.intermediate.upload.clean.age': '0',
};

const MULTIPART_OPS = ['initiateMultipartUpload', 'uploadPart', 'completeMultipartUpload'];

/** Alluxio's S3-specific operations (streaming multipart uploads), run only on S3. */
export const S3_TESTS: ContractTest[] = [
  {
    name: 'createEmptyFileTest',
    related: [],
    async run(t) {
      const path = t.path('createEmptyFile');
      await t.write(path, Buffer.alloc(0));
      check((await t.read(path)).length === 0, 'The written file should be empty but is not');
    },
  },
  {
    name: 'createFileLessThanOnePartTest',
    related: MULTIPART_OPS,
    async run(t) {
      const path = t.path('createFileLessThanOnePart');
      await t.write(path, S3_BYTES);
      check((await t.read(path)).equals(S3_BYTES), 'The content of the written file is incorrect');
    },
  },
  {
    name: 'createMultipartFileTest',
    related: [...MULTIPART_OPS, 'listObjects'],
    async run(t) {
      const parent = t.path('createParent');
      const path = ufsJoin(parent, 'createMultipartFile');
      await t.write(path, MULTIPART_BYTES);
      const read = await t.read(path);
      check(read.length === MULTIPART_BYTES.length, `The content length of the written file is ${read.length} but expected ${MULTIPART_BYTES.length}`);
      check(read.equals(MULTIPART_BYTES), 'The content of the written file is incorrect');
      check(await t.isDirectory(parent), 'Should succeed in UnderFileSystem.isDirectory() check, but failed');
      const entries = await t.list(parent);
      check(entries !== null && entries.length === 1, 'The result of UnderFileSystem.listStatus() is incorrect');
    },
  },
  {
    name: 'createAndAbortMultipartFileTest',
    related: ['initiateMultipartUpload', 'uploadPart', 'abortMultipartUploads'],
    async run(t) {
      const path = t.path('createAndAbortMultipartFile');
      const writer = await t.ufs.create(path, {createParent: true});
      const failure = new Promise<Error | undefined>((resolve) => {
        writer.once('error', resolve);
        writer.once('finish', () => resolve(undefined));
      });
      // Once this write returns, the first part is uploaded: the multipart upload is under way.
      await new Promise<void>((resolve, reject) => writer.write(MULTIPART_BYTES, (e) => (e ? reject(e) : resolve())));
      t.log(
        'Waiting for the in progress upload to be finished so that we can abort it. This file may need longer time to upload which may cause test to fail.',
      );
      check(t.ufs.cleanup !== undefined, 'The under file system cannot clean up multipart uploads');
      await t.ufs.cleanup({startedBefore: Date.now() + 1000, path: t.dir, wholeBucket: false, dryRun: false});
      writer.end();
      const error = await failure;
      check(error !== undefined, 'The in progress multipart upload did not be aborted.');
      check(!(await t.exists(path)), 'The in progress multipart upload did not be aborted.');
    },
  },
];

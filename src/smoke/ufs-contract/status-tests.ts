import {type ContractTest, MULTI_BLOCK, TEST_BYTES, check, checkPredicate} from './context.js';

const UPLOAD_META = ['upload', 'getObjectMetadata'];
const PUT_META = ['putObject', 'getObjectMetadata'];
/** How far a modification time may be from the write (clocks of client and store differ; S3 keeps seconds). */
const MOD_TIME_SLACK_MS = 5000;

async function checkMissing(t: Parameters<ContractTest['run']>[0], kind: 'file' | 'directory' | 'path'): Promise<void> {
  const status = await t.ufs.getStatus(t.path(`nonExisting${kind}`));
  check(status === null, `getStatus of a ${kind} that does not exist should fail with "not found", but returned a status`);
}

/** Tests 15 to 26 of Alluxio's common operations: exists, isFile, isDirectory and statuses. */
export const STATUS_TESTS: ContractTest[] = [
  {
    name: 'existsTest',
    related: PUT_META,
    async run(t) {
      const file = t.path('testFileNonExistent');
      const dir = t.path('testDirNonExistent');
      checkPredicate(await t.isFile(file), false, 'isFile');
      checkPredicate(await t.isDirectory(dir), false, 'isDirectory');
      await t.write(file, TEST_BYTES);
      await t.ufs.mkdirs(dir, {createParent: true});
      checkPredicate(await t.isFile(file), true, 'isFile');
      checkPredicate(await t.isDirectory(dir), true, 'isDirectory');
    },
  },
  {
    name: 'getDirectoryStatusTest',
    related: PUT_META,
    async run(t) {
      const dir = t.path('testDir');
      await t.ufs.mkdirs(dir, {createParent: true});
      await t.directoryStatus(dir);
    },
  },
  {
    name: 'createThenGetExistingDirectoryStatusTest',
    related: PUT_META,
    async run(t) {
      const dir = t.path('testDir');
      await t.ufs.mkdirs(dir, {createParent: true});
      check((await t.ufs.getStatus(dir))?.isDirectory === true, 'Failed to get ufs directory status');
    },
  },
  {
    name: 'getFileSizeTest',
    related: UPLOAD_META,
    async run(t) {
      const empty = t.path('testFileEmpty');
      const full = t.path('testFileNonEmpty');
      await t.write(empty, Buffer.alloc(0));
      await t.write(full, TEST_BYTES);
      check((await t.fileStatus(empty)).length === 0, 'The result of UnderFileSystem.getFileStatus() is incorrect');
      check((await t.fileStatus(full)).length === TEST_BYTES.length, 'The result of UnderFileSystem.getFileStatus() is incorrect');
    },
  },
  {
    name: 'createThenGetExistingFileStatusTest',
    related: UPLOAD_META,
    async run(t) {
      const small = t.path('testFileNonEmpty');
      const large = t.path('testLargeFile');
      await t.write(small, TEST_BYTES);
      await t.write(large, MULTI_BLOCK);
      check((await t.fileStatus(small)).length === TEST_BYTES.length, 'The result of UnderFileSystem.getFileStatus() is incorrect');
      check((await t.fileStatus(large)).length === MULTI_BLOCK.length, 'The result of UnderFileSystem.getFileStatus() is incorrect');
    },
  },
  {
    name: 'getFileStatusTest',
    related: UPLOAD_META,
    async run(t) {
      const file = t.path('testFile');
      await t.write(file, TEST_BYTES);
      await t.fileStatus(file);
    },
  },
  {
    name: 'createThenGetExistingStatusTest',
    related: [],
    async run(t) {
      const file = t.path('testFile');
      await t.write(file, TEST_BYTES);
      check((await t.ufs.getStatus(file))?.isDirectory === false, 'Failed to get ufs file status');
    },
  },
  {
    name: 'getModTimeTest',
    related: UPLOAD_META,
    async run(t) {
      const file = t.path('testFile');
      const start = Date.now();
      await t.write(file, TEST_BYTES);
      const end = Date.now();
      const modTime = (await t.fileStatus(file)).lastModified;
      check(
        modTime !== undefined && modTime >= start - MOD_TIME_SLACK_MS && modTime <= end + MOD_TIME_SLACK_MS,
        `The modification time ${modTime ?? 'unknown'} is not within ${MOD_TIME_SLACK_MS} ms of the write (${start} to ${end})`,
      );
    },
  },
  {name: 'getNonExistingDirectoryStatusTest', related: ['getObjectMetadata'], run: (t) => checkMissing(t, 'directory')},
  {name: 'getNonExistingFileStatusTest', related: ['getObjectMetadata'], run: (t) => checkMissing(t, 'file')},
  {name: 'getNonExistingPathStatusTest', related: ['getObjectMetadata'], run: (t) => checkMissing(t, 'path')},
  {
    name: 'isFileTest',
    related: ['putObject', 'deleteObject'],
    async run(t) {
      const file = t.path('testFile');
      const dir = t.path('testDir');
      checkPredicate(await t.isFile(file), false, 'isFile');
      await t.write(file, TEST_BYTES);
      await t.ufs.mkdirs(dir, {createParent: true});
      checkPredicate(await t.isFile(file), true, 'isFile');
      checkPredicate(await t.isFile(dir), false, 'isFile');
    },
  },
];

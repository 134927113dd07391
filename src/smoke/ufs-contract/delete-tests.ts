import {ufsJoin} from '../../ufs/factory.js';
import {type ContractTest, TEST_BYTES, check, checkPredicate} from './context.js';

const DIR_OPS = ['putObject', 'deleteObjects', 'listObjectsV2', 'getObjectMetadata'];

/** Tests 10 to 14 of Alluxio's common operations: deleting files and folders. */
export const DELETE_TESTS: ContractTest[] = [
  {
    name: 'deleteFileTest',
    related: ['upload', 'deleteObject', 'getObjectMetadata'],
    async run(t) {
      const path = t.path('deleteFile');
      await t.write(path, TEST_BYTES);
      await t.ufs.deleteFile(path);
      checkPredicate(await t.exists(path), false, 'exists');
      checkPredicate(await t.isFile(path), false, 'isFile');
    },
  },
  {
    name: 'deleteDirTest',
    related: DIR_OPS,
    async run(t) {
      const empty = t.path('deleteDir1');
      const full = t.path('deleteDir2');
      const child = ufsJoin(full, 'deleteDir3');
      const file = ufsJoin(full, 'deleteFile1');
      const nested = ufsJoin(child, 'deleteFile2');
      await t.ufs.mkdirs(empty, {createParent: false});
      await t.ufs.mkdirs(child, {createParent: true});
      await t.write(file, TEST_BYTES);
      await t.write(nested, TEST_BYTES);
      await t.ufs.deleteDirectory(empty, {recursive: false});
      checkPredicate(await t.isDirectory(empty), false, 'isDirectory');
      const removed = await t.ufs.deleteDirectory(full, {recursive: false}).catch(() => false);
      check(!removed, 'Deleting a non-empty directory non-recursively should fail, but succeeded');
      checkPredicate(await t.isDirectory(full), true, 'isDirectory');
      await t.ufs.deleteDirectory(full, {recursive: true});
      for (const path of [full, child, file, nested]) check(!(await t.exists(path)), 'Deleted file or directory still exist');
    },
  },
  {
    name: 'deleteLargeDirectoryTest',
    related: DIR_OPS,
    async run(t) {
      const top = t.path('topLevelDir');
      const names = await t.largeDirectory(top);
      await t.ufs.deleteDirectory(top, {recursive: true});
      for (const name of names) {
        await t.eventually(async () => !(await t.exists(ufsJoin(top, name))), 'Deleted file or directory still exist');
      }
    },
  },
  {
    name: 'createDeleteFileConjuctionTest',
    related: ['upload', 'getObjectMetadata', 'deleteObject'],
    async run(t) {
      const path = t.path('deleteThenCreateNonexistingFile');
      await t.write(path, TEST_BYTES);
      checkPredicate(await t.exists(path), true, 'exists');
      await t.ufs.deleteFile(path);
      checkPredicate(await t.exists(path), false, 'exists');
      await t.write(path, TEST_BYTES);
      checkPredicate(await t.exists(path), true, 'exists');
    },
  },
  {
    name: 'createThenDeleteExistingDirectoryTest',
    related: DIR_OPS,
    async run(t) {
      const path = t.path('deleteThenCreateNonexistingDirectory');
      await t.ufs.mkdirs(path, {createParent: true});
      checkPredicate(await t.isDirectory(path), true, 'isDirectory');
      check(await t.ufs.deleteDirectory(path, {recursive: true}), 'Deleting an existing directory should return true');
      checkPredicate(await t.exists(path), false, 'exists');
    },
  },
];

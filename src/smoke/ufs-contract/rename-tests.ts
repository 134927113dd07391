import {ufsJoin} from '../../ufs/factory.js';
import {type ContractContext, type ContractTest, MULTI_BLOCK, TEST_BYTES, check, checkPredicate, sortedNames} from './context.js';

const FILE_OPS = ['upload', 'copyObject', 'deleteObject', 'getObjectMetadata'];
const DIR_OPS = ['putObject', 'upload', 'copyObject', 'listObjectsV2', 'getObjectMetadata'];

async function renameFile(t: ContractContext, data: Buffer): Promise<void> {
  const src = t.path('renameFileSrc');
  const dst = t.path('renameFileDst');
  await t.write(src, data);
  check(await t.ufs.renameFile(src, dst), 'renameFile returned false');
  checkPredicate(await t.exists(src), false, 'exists');
  checkPredicate(await t.isFile(dst), true, 'isFile');
}

/** Renames a tree of files (`relative` paths with their content) and checks every one moved. */
async function renameTree(t: ContractContext, files: Record<string, Buffer>): Promise<void> {
  const src = t.path('renameDirectorySrc');
  const dst = t.path('renameDirectoryDst');
  await t.ufs.mkdirs(src, {createParent: true});
  for (const [name, data] of Object.entries(files)) await t.write(ufsJoin(src, name), data);
  check(await t.ufs.renameDirectory(src, dst), 'renameDirectory returned false');
  checkPredicate(await t.exists(src), false, 'exists');
  checkPredicate(await t.isDirectory(dst), true, 'isDirectory');
  for (const name of Object.keys(files)) {
    checkPredicate(await t.exists(ufsJoin(src, name)), false, 'exists');
    checkPredicate(await t.isFile(ufsJoin(dst, name)), true, 'isFile');
  }
}

/** Tests 38 to 43 of Alluxio's common operations: renames. */
export const RENAME_TESTS: ContractTest[] = [
  {name: 'renameFileTest', related: FILE_OPS, run: (t) => renameFile(t, TEST_BYTES)},
  {name: 'renameRenamableFileTest', related: FILE_OPS, run: (t) => renameFile(t, MULTI_BLOCK)},
  {name: 'renameDirectoryTest', related: DIR_OPS, run: (t) => renameTree(t, {testFile: TEST_BYTES})},
  {
    name: 'renameDirectoryDeepTest',
    related: DIR_OPS,
    run: (t) => renameTree(t, {testFile: TEST_BYTES, 'testDir/testFile2': TEST_BYTES, 'testDir/testDir2/testFile3': TEST_BYTES}),
  },
  {
    name: 'renameRenamableDirectoryTest',
    related: DIR_OPS,
    run: (t) => renameTree(t, {testFile: MULTI_BLOCK, 'testDir/testFile2': MULTI_BLOCK, 'testDir/testDir2/testFile3': MULTI_BLOCK}),
  },
  {
    name: 'renameLargeDirectoryTest',
    related: DIR_OPS,
    async run(t) {
      const src = t.path('topLevelDir');
      const dst = t.path('topLevelDirRenamed');
      const names = await t.largeDirectory(src);
      check(await t.ufs.renameDirectory(src, dst), 'renameDirectory returned false');
      for (const name of names) {
        await t.eventually(async () => !(await t.exists(ufsJoin(src, name))), 'Renamed file or directory still exists at its source');
      }
      let listed: string[] = [];
      await t.eventually(async () => {
        listed = sortedNames((await t.list(dst)) ?? []);
        return listed.length >= names.length;
      }, 'The result of UnderFileSystem.listStatus() is incorrect');
      check(listed.join('/') === names.join('/'), 'The result of UnderFileSystem.listStatus() is incorrect');
    },
  },
];

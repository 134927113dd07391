import {storeRoot, ufsJoin} from '../../ufs/factory.js';
import {type ContractContext, type ContractTest, TEST_BYTES, check, checkPredicate, sortedNames} from './context.js';

const LIST_OPS = ['putObject', 'listObjectsV2', 'getObjectMetadata'];
const LIST_INCORRECT = 'The result of UnderFileSystem.listStatus() is incorrect';

function checkNames(actual: string[], expected: string[]): void {
  const want = [...expected].sort();
  check(actual.length === want.length && actual.every((name, i) => name === want[i]), `${LIST_INCORRECT}: got [${actual.join(', ')}], expected [${want.join(', ')}]`);
}

/** Alluxio's object store layout: `base` with 3 files, and 3 folders implied by keys, each with the same 3 files. */
async function prepareCommonPrefixes(t: ContractContext): Promise<{base: string; dirs: string[]; files: string[]}> {
  const base = t.path('base');
  const dirs = ['a', 'b', 'c'];
  const files = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg'];
  for (const name of [...files, ...dirs.flatMap((d) => files.map((f) => `${d}/${f}`))]) {
    await t.write(ufsJoin(base, name), TEST_BYTES);
  }
  return {base, dirs, files};
}

/** Tests 27 to 37 of Alluxio's common operations: listings and mkdirs. */
export const LIST_TESTS: ContractTest[] = [
  {
    name: 'listStatusRootTest',
    related: LIST_OPS,
    async run(t) {
      await t.write(t.path('testFile'), TEST_BYTES);
      const entries = await t.list(storeRoot(t.dir), false, true);
      check(entries !== null && entries.length > 0, 'Unable to list UFS root path');
    },
  },
  {
    name: 'listStatusTest',
    related: LIST_OPS,
    async run(t) {
      const top = t.path('testDirNonEmpty1');
      const child = ufsJoin(top, 'testDirNonEmpty2');
      await t.ufs.mkdirs(child, {createParent: true});
      await t.write(ufsJoin(top, 'testDirNonEmptyChildFile'), TEST_BYTES);
      await t.write(ufsJoin(child, 'testDirNonEmptyChildDirFile'), TEST_BYTES);
      for (const path of [top, `${top}/`]) {
        const entries = await t.list(path);
        check(entries !== null, LIST_INCORRECT);
        checkNames(sortedNames(entries), ['testDirNonEmpty2', 'testDirNonEmptyChildFile']);
        for (const entry of entries) {
          check(entry.isDirectory === (await t.isDirectory(ufsJoin(top, entry.name))), LIST_INCORRECT);
        }
      }
      const nested = await t.list(child);
      check(nested !== null, LIST_INCORRECT);
      checkNames(sortedNames(nested), ['testDirNonEmptyChildDirFile']);
    },
  },
  {
    name: 'listStatusEmptyTest',
    related: LIST_OPS,
    async run(t) {
      const dir = t.path('testDir');
      await t.ufs.mkdirs(dir, {createParent: true});
      const entries = await t.list(dir);
      check(entries !== null && entries.length === 0, LIST_INCORRECT);
    },
  },
  {
    name: 'listStatusFileTest',
    related: LIST_OPS,
    async run(t) {
      const file = t.path('testFile');
      await t.write(file, TEST_BYTES);
      check((await t.list(file)) === null, `${LIST_INCORRECT}: listing a file should return nothing`);
    },
  },
  {
    name: 'listLargeDirectoryTest',
    related: LIST_OPS,
    async run(t) {
      const top = t.path('topLevelDir');
      const names = await t.largeDirectory(top);
      let listed: string[] = [];
      await t.eventually(async () => {
        listed = sortedNames((await t.list(top)) ?? []);
        return listed.length >= names.length;
      }, LIST_INCORRECT);
      checkNames(listed, names);
    },
  },
  {
    name: 'listStatusRecursiveTest',
    related: LIST_OPS,
    async run(t) {
      const root = t.path('root');
      await t.ufs.mkdirs(ufsJoin(root, 'sub1/sub11'), {createParent: true});
      await t.ufs.mkdirs(ufsJoin(root, 'sub2'), {createParent: true});
      for (const file of ['file', 'sub1/sub11/file11', 'sub2/file2']) await t.write(ufsJoin(root, file), TEST_BYTES);
      const expected = ['sub1', 'sub2', 'sub1/sub11', 'sub1/sub11/file11', 'sub2/file2', 'file'];
      for (const path of [root, `${root}/`]) {
        const entries = await t.list(path, true);
        check(entries !== null, LIST_INCORRECT);
        checkNames(sortedNames(entries), expected);
      }
      check((await t.list(t.path('nonExistentDir'), true)) === null, `${LIST_INCORRECT}: listing a missing folder should return nothing`);
    },
  },
  {
    name: 'mkdirsTest',
    related: LIST_OPS,
    async run(t) {
      const single = t.path('testDirTop');
      const deep = ['testDirTop1', 'testDirTop1/testDir2', 'testDirTop1/testDir2/testDir3'].map((p) => t.path(p));
      check(await t.ufs.mkdirs(single, {createParent: false}), 'mkdirs without parents failed');
      checkPredicate(await t.isDirectory(single), true, 'isDirectory');
      check(await t.ufs.mkdirs(deep[2], {createParent: true}), 'mkdirs with parents failed');
      for (const dir of deep) checkPredicate(await t.isDirectory(dir), true, 'isDirectory');
    },
  },
  {
    name: 'objectCommonPrefixesIsDirectoryTest',
    related: LIST_OPS,
    objectStoreOnly: true,
    async run(t) {
      const {base, dirs} = await prepareCommonPrefixes(t);
      checkPredicate(await t.isDirectory(base), true, 'isDirectory');
      for (const dir of dirs) checkPredicate(await t.isDirectory(ufsJoin(base, dir)), true, 'isDirectory');
    },
  },
  {
    name: 'objectCommonPrefixesListStatusNonRecursiveTest',
    related: LIST_OPS,
    objectStoreOnly: true,
    async run(t) {
      const {base, dirs, files} = await prepareCommonPrefixes(t);
      const entries = await t.list(base);
      check(entries !== null, LIST_INCORRECT);
      checkNames(sortedNames(entries), [...dirs, ...files]);
    },
  },
  {
    name: 'objectCommonPrefixesListStatusRecursiveTest',
    related: LIST_OPS,
    objectStoreOnly: true,
    async run(t) {
      const {base, dirs, files} = await prepareCommonPrefixes(t);
      const entries = await t.list(base, true);
      check(entries !== null, LIST_INCORRECT);
      checkNames(sortedNames(entries), [...dirs, ...files, ...dirs.flatMap((d) => files.map((f) => `${d}/${f}`))]);
    },
  },
  {
    name: 'objectNestedDirsListStatusRecursiveTest',
    related: LIST_OPS,
    async run(t) {
      const dirs = ['dir0', 'dir1', 'dir2', 'dir3', 'dir4'].map((_, i, all) => all.slice(0, i + 1).join('/'));
      await t.write(t.path(`${dirs[4]}/file.txt`), TEST_BYTES, true);
      const entries = await t.list(t.dir, true);
      check(entries !== null, LIST_INCORRECT);
      checkNames(sortedNames(entries), [...dirs, `${dirs[4]}/file.txt`]);
    },
  },
];

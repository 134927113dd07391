/** What the runUfsTests tests (e2e on a local folder, s3 on radosgw) expect of its output (facts §4). */

/** Alluxio's common operations, in its source order (facts §4.1). */
export const COMMON_TESTS = [
  'createAtomicTest', 'createEmptyTest', 'createNoParentTest', 'createParentTest', 'createOpenTest',
  'createOpenEmptyTest', 'createOpenAtPositionTest', 'createOpenLargeTest', 'createOpenExistingLargeFileTest',
  'deleteFileTest', 'deleteDirTest', 'deleteLargeDirectoryTest', 'createDeleteFileConjuctionTest',
  'createThenDeleteExistingDirectoryTest', 'existsTest', 'getDirectoryStatusTest',
  'createThenGetExistingDirectoryStatusTest', 'getFileSizeTest', 'createThenGetExistingFileStatusTest',
  'getFileStatusTest', 'createThenGetExistingStatusTest', 'getModTimeTest', 'getNonExistingDirectoryStatusTest',
  'getNonExistingFileStatusTest', 'getNonExistingPathStatusTest', 'isFileTest', 'listStatusRootTest', 'listStatusTest',
  'listStatusEmptyTest', 'listStatusFileTest', 'listLargeDirectoryTest', 'listStatusRecursiveTest', 'mkdirsTest',
  'objectCommonPrefixesIsDirectoryTest', 'objectCommonPrefixesListStatusNonRecursiveTest',
  'objectCommonPrefixesListStatusRecursiveTest', 'objectNestedDirsListStatusRecursiveTest', 'renameFileTest',
  'renameRenamableFileTest', 'renameDirectoryTest', 'renameDirectoryDeepTest', 'renameRenamableDirectoryTest',
  'renameLargeDirectoryTest',
];

export const PASSED = '\u001b[32mPassed the test!\u001b[0m';
export const FAILED = '\u001b[31mFailed the test!\u001b[0m';
export const USAGE = 'runUfsTests --path <ufs path> [--test <test name>]...';

/** The stdout of a run in which every one of `names` passed. */
export function allPassed(names: string[]): string[] {
  return [...names.flatMap((name) => [`Running test: ${name}...`, PASSED]), 'Tests completed with 0 failed.'];
}

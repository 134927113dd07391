/** The line Alluxio's test runners print after each test, with its colour codes (also into pipes, as Alluxio). */
export function testVerdict(passed: boolean): string {
  return passed ? '\u001b[32mPassed the test!\u001b[0m' : '\u001b[31mFailed the test!\u001b[0m';
}

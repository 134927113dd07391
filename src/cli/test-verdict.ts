import {alluxioColours} from './colour.js';

/** The line Alluxio's test runners print after each test, in its colours (also into pipes, as Alluxio). */
export function testVerdict(passed: boolean): string {
  const {green, red} = alluxioColours();
  return passed ? green('Passed the test!') : red('Failed the test!');
}

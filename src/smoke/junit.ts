import type {SmokeResult} from './run-tests.js';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A JUnit XML report of a runTests run, for CI systems. */
export function toJUnit(results: SmokeResult[]): string {
  const failures = results.filter((r) => !r.passed).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((sum, r) => sum + r.writeMs + r.readMs, 0);
  const cases = results.map((r) => {
    const name = `${r.operation}_${r.readType}_${r.writeType}`;
    const open = `  <testcase classname="alluxio.runTests" name="${name}" time="${seconds(r.writeMs + r.readMs)}"`;
    if (r.passed) return `${open}/>`;
    return `${open}>\n    <failure message="${escapeXml(r.error ?? 'failed')}"/>\n  </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="alluxio.runTests" tests="${results.length}" failures="${failures}" time="${seconds(total)}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

import type {SmokeResult} from './run-tests.js';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One test of a JUnit report. */
export interface JUnitCase {
  name: string;
  ms: number;
  /** The failure's message; none when the test passed. */
  error?: string;
  skipped?: boolean;
}

/** A JUnit XML report of one suite, for CI systems. */
export function junitReport(suite: string, cases: JUnitCase[]): string {
  const failures = cases.filter((c) => c.error !== undefined).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = cases.reduce((sum, c) => sum + c.ms, 0);
  const lines = cases.map((c) => {
    const open = `  <testcase classname="${suite}" name="${escapeXml(c.name)}" time="${seconds(c.ms)}"`;
    if (c.error !== undefined) return `${open}>\n    <failure message="${escapeXml(c.error)}"/>\n  </testcase>`;
    if (c.skipped) return `${open}>\n    <skipped/>\n  </testcase>`;
    return `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${suite}" tests="${cases.length}" failures="${failures}"${skipped > 0 ? ` skipped="${skipped}"` : ''} time="${seconds(total)}">`,
    ...lines,
    '</testsuite>',
    '',
  ].join('\n');
}

/** A JUnit XML report of a runTests run. */
export function toJUnit(results: SmokeResult[]): string {
  return junitReport(
    'alluxio.runTests',
    results.map((r) => ({
      name: `${r.operation}_${r.readType}_${r.writeType}`,
      ms: r.writeMs + r.readMs,
      error: r.passed ? undefined : (r.error ?? 'failed'),
    })),
  );
}

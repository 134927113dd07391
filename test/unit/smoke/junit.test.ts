import {describe, expect, it} from 'vitest';

import {toJUnit} from '../../../src/smoke/junit.js';
import type {SmokeResult} from '../../../src/smoke/run-tests.js';

const pass: SmokeResult = {
  operation: 'BASIC',
  readType: 'CACHE',
  writeType: 'MUST_CACHE',
  path: '/default_tests_files/BASIC_CACHE_MUST_CACHE',
  passed: true,
  writeMs: 12,
  readMs: 3,
};
const fail: SmokeResult = {
  operation: 'BASIC_NON_BYTE_BUFFER',
  readType: 'NO_CACHE',
  writeType: 'THROUGH',
  path: '/default_tests_files/BASIC_NON_BYTE_BUFFER_NO_CACHE_THROUGH',
  passed: false,
  error: 'Path "/x" <does> not & "exist"',
  writeMs: 1500,
  readMs: 0,
};

describe('toJUnit', () => {
  it('one testcase per result, failures with escaped messages', () => {
    expect(toJUnit([pass, fail])).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuite name="alluxio.runTests" tests="2" failures="1" time="1.515">',
        '  <testcase classname="alluxio.runTests" name="BASIC_CACHE_MUST_CACHE" time="0.015"/>',
        '  <testcase classname="alluxio.runTests" name="BASIC_NON_BYTE_BUFFER_NO_CACHE_THROUGH" time="1.500">',
        '    <failure message="Path &quot;/x&quot; &lt;does&gt; not &amp; &quot;exist&quot;"/>',
        '  </testcase>',
        '</testsuite>',
        '',
      ].join('\n'),
    );
  });

  it('a failure without an error message says "failed"', () => {
    const noError: SmokeResult = {...fail};
    delete noError.error;
    expect(toJUnit([noError])).toContain('    <failure message="failed"/>');
  });

  it('an empty run is an empty suite', () => {
    expect(toJUnit([])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="alluxio.runTests" tests="0" failures="0" time="0.000">\n</testsuite>\n',
    );
  });
});

import {describe, expect, it} from 'vitest';
import {formatJackson} from '../../../src/cli/jackson-format.js';

describe('formatJackson', () => {
  it("prints nested objects and arrays as Jackson's default pretty printer does", () => {
    const value = {points: [{mMode: 'WRITE', mDurationSeconds: 2}, {mMode: 'READ', mDurationSeconds: 0.5}], errors: [], conf: {}, n: 3};
    expect(formatJackson(value, new Set(['mDurationSeconds']))).toBe(
      [
        '{',
        '  "points" : [ {',
        '    "mMode" : "WRITE",',
        '    "mDurationSeconds" : 2.0',
        '  }, {',
        '    "mMode" : "READ",',
        '    "mDurationSeconds" : 0.5',
        '  } ],',
        '  "errors" : [ ],',
        '  "conf" : { },',
        '  "n" : 3',
        '}',
      ].join('\n'),
    );
  });
});

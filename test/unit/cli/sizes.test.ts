import {describe, expect, it} from 'vitest';

import {formatSize} from '../../../src/cli/sizes.js';

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;
const TB = GB * 1024;
const PB = TB * 1024;

describe("formatSize (Alluxio's FormatUtils.getSizeFromBytes)", () => {
  it.each([
    [0, '0B'],
    [1, '1B'],
    [1024, '1024B'],
    [5120, '5120B'],
    [-1, '-1B'],
    [-5000, '-5000B'],
  ])('%d bytes → %s', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });

  it.each([
    [5121, '5.00KB'],
    [5128, '5.01KB'],
    [5248, '5.13KB'], // 5.125 exactly: half up, as Java's %.2f
    [5376, '5.25KB'],
    [10000, '9.77KB'],
    [5 * MB, '5120.00KB'],
    [5 * MB + 1, '5.00MB'],
    [64 * MB, '64.00MB'],
    [5 * GB, '5120.00MB'],
    [5 * GB + 1, '5.00GB'],
    [1.5 * 5 * GB, '7.50GB'],
    [5 * TB, '5120.00GB'],
    [5 * TB + 1024, '5.00TB'],
    [5 * PB, '5120.00TB'],
    [6 * PB, '6.00PB'],
    [6 * PB * 1024, '6.00EB'],
  ])('%d bytes → %s', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

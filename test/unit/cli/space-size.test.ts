import {describe, expect, it} from 'vitest';
import {parseSpaceSize} from '../../../src/cli/space-size.js';

describe('parseSpaceSize', () => {
  it('takes a number with an optional binary unit in any case, as Alluxio does', () => {
    expect(parseSpaceSize('10')).toBe(10);
    expect(parseSpaceSize('10b')).toBe(10);
    expect(parseSpaceSize('4K')).toBe(4096);
    expect(parseSpaceSize('4kib')).toBe(4096);
    expect(parseSpaceSize('1.5Mi')).toBe(1.5 * 2 ** 20);
    expect(parseSpaceSize('4G')).toBe(4 * 2 ** 30);
    expect(parseSpaceSize('2pb')).toBe(2 * 2 ** 50);
    expect(parseSpaceSize('0')).toBe(0);
  });

  it("refuses anything else with Alluxio's text", () => {
    for (const bad of ['', 'x', '1x', '-1', '1 k', '1e3', '10 ', 'k']) {
      expect(() => parseSpaceSize(bad)).toThrow(`Fail to parse ${bad} to bytes`);
    }
  });
});

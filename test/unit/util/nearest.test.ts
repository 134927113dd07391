import {describe, expect, it} from 'vitest';
import {editDistance, nearest} from '../../../src/util/nearest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, replacements and swaps of neighbours as one edit each', () => {
    expect(editDistance('copyFromLocal', 'copyFromLocal')).toBe(0);
    expect(editDistance('copyFromLocl', 'copyFromLocal')).toBe(1);
    expect(editDistance('runTestss', 'runTests')).toBe(1);
    expect(editDistance('rumTests', 'runTests')).toBe(1);
    expect(editDistance('mkdri', 'mkdir')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops at the cap', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(2);
    expect(editDistance('a', 'abcdef', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 4)).toBe(3);
  });
});

describe('nearest', () => {
  const names = ['copyFromLocal', 'copyToLocal', 'cp', 'getConf', 'runTests', 'runUfsTests'];

  it('finds the nearest candidate within the distance, ignoring case', () => {
    expect(nearest('copyFromLocl', names, 3)).toBe('copyFromLocal');
    expect(nearest('getconf', names, 1)).toBe('getConf');
    expect(nearest('RUNTEST', names, 1)).toBe('runTests');
  });

  it('prefers the nearer of two candidates, then the first', () => {
    expect(nearest('runUfsTest', names, 2)).toBe('runUfsTests');
    expect(nearest('cx', ['cp', 'cx1', 'cy'], 1)).toBe('cp');
  });

  it('finds nothing beyond the distance', () => {
    expect(nearest('version', names, 2)).toBeUndefined();
    expect(nearest('anything', [], 5)).toBeUndefined();
  });
});

import {describe, expect, it} from 'vitest';
import {RetryBackoff, retryDelayMs} from '../../../src/master/backoff.js';

describe('retry back-off of async persistence', () => {
  it('doubles from the initial interval and stops at the max interval', () => {
    const delays = [1, 2, 3, 4, 5, 12, 13, 100].map((n) => retryDelayMs(n, 1000, 3_600_000));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 2_048_000, 3_600_000, 3_600_000]);
    expect(retryDelayMs(0, 1000, 3_600_000)).toBe(0);
  });

  it('a failed file is not due until its retry time; a success forgets its failures', () => {
    const backoff = new RetryBackoff(1000, 5000);
    expect(backoff.due('/a', 0)).toBe(true);
    expect(backoff.failed('/a', 10_000)).toBe(11_000);
    expect(backoff.due('/a', 10_999)).toBe(false);
    expect(backoff.due('/a', 11_000)).toBe(true);
    expect(backoff.due('/b', 10_000)).toBe(true);
    expect(backoff.failed('/a', 11_000)).toBe(13_000);
    expect(backoff.failed('/a', 13_000)).toBe(17_000);
    expect(backoff.failed('/a', 17_000)).toBe(22_000);
    expect(backoff.failed('/a', 22_000)).toBe(27_000);
    backoff.succeeded('/a');
    expect(backoff.failed('/a', 30_000)).toBe(31_000);
  });

  it('retain forgets files no longer waiting, so a file that comes back starts afresh', () => {
    const backoff = new RetryBackoff(1000, 5000);
    backoff.failed('/gone', 0);
    backoff.failed('/kept', 0);
    backoff.retain(new Set(['/kept']));
    expect(backoff.due('/gone', 1)).toBe(true);
    expect(backoff.due('/kept', 1)).toBe(false);
  });
});

import {describe, expect, it} from 'vitest';

import {forEachLimited} from '../../../src/util/limit.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachLimited', () => {
  it('runs at most `limit` calls at once and pulls items only as slots free up', async () => {
    let running = 0;
    let most = 0;
    let pulled = 0;
    async function* items() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        expect(pulled - finished).toBeLessThanOrEqual(3);
        yield i;
      }
    }
    let finished = 0;
    await forEachLimited(items(), 3, async () => {
      most = Math.max(most, ++running);
      await tick(2);
      running--;
      finished++;
    });
    expect(most).toBe(3);
    expect(finished).toBe(10);
  });

  it('a failed call stops new work and is thrown after the calls under way have settled', async () => {
    const done: number[] = [];
    const error = await forEachLimited([0, 1, 2, 3, 4, 5], 2, async (i) => {
      await tick(i === 1 ? 1 : 5);
      if (i === 1) throw new Error('one failed');
      done.push(i);
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('one failed');
    expect(done).toEqual([0]);
  });

  it('a failing source is thrown only after the calls under way have settled', async () => {
    const done: number[] = [];
    async function* items() {
      yield 0;
      yield 1;
      throw new Error('the listing failed');
    }
    const error = await forEachLimited(items(), 4, async (i) => {
      await tick(10);
      done.push(i);
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('the listing failed');
    expect(done).toEqual([0, 1]);
  });
});

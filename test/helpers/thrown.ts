import {expect} from 'vitest';
import {AlluxioError} from '../../src/errors.js';

/** The AlluxioError `fn` throws; the test fails when it throws nothing or something else. */
export function errorOf(fn: () => unknown): AlluxioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    return e as AlluxioError;
  }
  throw new Error('expected an error');
}

/** The AlluxioError the promise `fn` returns rejects with; the test fails when it resolves or rejects otherwise. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<AlluxioError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    return e as AlluxioError;
  }
  throw new Error('expected an error');
}

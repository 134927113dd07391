/**
 * Conditions every store reports alike, whatever its engine: callers (the master's metrics flush, its shared
 * store) tell them apart by `condition` without knowing which store raised them.
 */
import {AlluxioError, type ErrorKind} from '../errors.js';

/** BUSY: a lock held too long; REPLACED: a format ran since the store opened; OUTCOME_UNKNOWN: a commit cut off. */
export type StoreCondition = 'BUSY' | 'REPLACED' | 'OUTCOME_UNKNOWN';

export class MetaStoreError extends AlluxioError {
  constructor(
    readonly condition: StoreCondition,
    kind: ErrorKind,
    message: string,
    options: {hint?: string; cause?: unknown} = {},
  ) {
    super(kind, message, options);
  }
}

/** Another process held the store's write lock longer than this one would wait. */
export const storeBusy = (where: string, seconds: number, cause: unknown): MetaStoreError =>
  new MetaStoreError('BUSY', 'IO', `The metastore ${where} is busy: another process has held it for more than ${seconds}s`, {
    hint: 'Try again; if it stays busy, look for a stuck alluxio process',
    cause,
  });

/** A format ran since the store was opened: it writes nothing more, and must be opened again. */
export const storeReplaced = (where: string): MetaStoreError =>
  new MetaStoreError('REPLACED', 'FAILED_PRECONDITION', `The metastore ${where} was formatted while this command was running`, {
    hint: 'Run the command again',
  });

export const isBusy = (e: unknown): boolean => e instanceof MetaStoreError && e.condition === 'BUSY';
export const isReplaced = (e: unknown): boolean => e instanceof MetaStoreError && e.condition === 'REPLACED';
/** Whether `e` says a change may or may not have been applied: what it wrote must be left in place. */
export const isOutcomeUnknown = (e: unknown): boolean => e instanceof MetaStoreError && e.condition === 'OUTCOME_UNKNOWN';

import {randomUUID} from 'node:crypto';
import type {Configuration} from '../../conf/configuration.js';
import {invalidArgument, isAlluxioError} from '../../errors.js';
import {createUnderFileSystem, ufsJoin} from '../../ufs/factory.js';
import type {UnderFileSystem} from '../../ufs/types.js';
import {interrupts, settledWithin} from '../../util/interrupts.js';
import {ContractContext, type ContractTest} from './context.js';
import {CREATE_TESTS} from './create-tests.js';
import {DELETE_TESTS} from './delete-tests.js';
import {LIST_TESTS} from './list-tests.js';
import {RENAME_TESTS} from './rename-tests.js';
import {S3_SUITE_SETTINGS, S3_TESTS} from './s3-tests.js';
import {STATUS_TESTS} from './status-tests.js';

/** Alluxio's 43 common operations, in its source order. */
export const COMMON_TESTS: readonly ContractTest[] = [...CREATE_TESTS, ...DELETE_TESTS, ...STATUS_TESTS, ...LIST_TESTS, ...RENAME_TESTS];
export {S3_TESTS};
export const TEST_NAMES: readonly string[] = [...COMMON_TESTS, ...S3_TESTS].map((t) => t.name);

/** Settings Alluxio forces for every contract test (less its journal flush time: there is no journal here). */
const FORCED_SETTINGS: Record<string, string> = {
  'alluxio.underfs.listing.length': '50',
  'alluxio.user.block.size.bytes.default': '512B',
};

export interface ContractResult {
  name: string;
  suite: 'common' | 's3';
  passed: boolean;
  /** Not applicable to this UFS (Alluxio reports it passed). */
  skipped: boolean;
  error?: string;
  /** The S3 operations involved, named when an S3 test fails. */
  relatedOperations: string[];
  ms: number;
}

export interface ContractListener {
  start(name: string): void;
  log(line: string): void;
  warn(message: string): void;
  finish(result: ContractResult): void;
}

export interface ContractOptions {
  path: string;
  /** Only these tests; all when empty. */
  tests: readonly string[];
}

/**
 * Alluxio's runUfsTests: the UFS contract tests against `path`, each suite in a fresh `<path>/<uuid>` folder whose
 * children are removed after every test and which is itself removed at the end, on a failure or an interrupt too.
 * The S3 suite runs only on S3, with a UFS re-created with the streaming upload settings it needs.
 */
// `-Dkey=value` settings reach the UFS through `conf` (system properties); the forced ones override them as mount options.
export async function runUfsContractTests(conf: Configuration, options: ContractOptions, listener: ContractListener): Promise<ContractResult[]> {
  const selected = (tests: readonly ContractTest[]) => tests.filter((t) => options.tests.length === 0 || options.tests.includes(t.name));
  const settings = FORCED_SETTINGS;
  const results: ContractResult[] = [];
  const ufs = await open(options.path, conf, settings, listener);
  const isS3 = ufs.type === 's3';
  try {
    results.push(...(await runSuite(ufs, options.path, selected(COMMON_TESTS), 'common', listener)));
  } finally {
    await ufs.close();
  }
  if (isS3 && selected(S3_TESTS).length > 0) {
    const s3 = await open(options.path, conf, {...settings, ...S3_SUITE_SETTINGS}, listener);
    try {
      results.push(...(await runSuite(s3, options.path, selected(S3_TESTS), 's3', listener)));
    } finally {
      await s3.close();
    }
  }
  return results;
}

async function open(path: string, conf: Configuration, settings: Record<string, string>, listener: ContractListener): Promise<UnderFileSystem> {
  const ufsConf = conf.withMountOptions(settings, path);
  for (const warning of ufsConf.warnings) listener.warn(warning);
  try {
    return await createUnderFileSystem(path, ufsConf, {readOnly: false, warn: listener.warn});
  } catch (e) {
    if (isAlluxioError(e) && e.kind === 'INVALID_ARGUMENT') {
      throw invalidArgument(`${path} is not a valid path`, 'Give an absolute local path, file:///path, or s3://bucket/dir');
    }
    throw e;
  }
}

async function runSuite(
  ufs: UnderFileSystem,
  path: string,
  tests: readonly ContractTest[],
  suite: ContractResult['suite'],
  listener: ContractListener,
): Promise<ContractResult[]> {
  if (tests.length === 0) return [];
  const dir = ufsJoin(path, randomUUID());
  let running: Promise<unknown> = Promise.resolve();
  // Registered before the folder exists: an interrupt during mkdirs still removes whatever got created, once the
  // test under way has ended.
  const unregister = interrupts.register('file', async () => {
    await settledWithin(running);
    return (await removeFolder(ufs, dir)) ? 1 : 0;
  });
  try {
    if (!(await ufs.mkdirs(dir, {createParent: true}))) throw invalidArgument(`Cannot create the test folder ${dir}: a file is in the way`);
    const context = new ContractContext(ufs, dir, listener.log);
    const results: ContractResult[] = [];
    for (const test of tests) {
      if (interrupts.interrupted) break;
      listener.start(test.name);
      const current = runTest(ufs, test, suite, context);
      running = current;
      const result = await current;
      try {
        await emptyFolder(ufs, dir);
      } catch (e) {
        // A test that passed but left what cannot be removed fails: the next tests would see its files.
        if (result.passed) Object.assign(result, {passed: false, error: `Cleaning up after the test failed: ${(e as Error).message}`});
      }
      listener.finish(result);
      results.push(result);
    }
    return results;
  } finally {
    if (!interrupts.interrupted) {
      await removeFolder(ufs, dir).catch((e: unknown) => listener.warn(`Could not remove the test folder ${dir}: ${(e as Error).message}`));
      unregister();
    }
  }
}

async function runTest(ufs: UnderFileSystem, test: ContractTest, suite: ContractResult['suite'], context: ContractContext): Promise<ContractResult> {
  const skipped = (test.objectStoreOnly === true && !ufs.isObjectStore) || (test.localOnly === true && ufs.type !== 'local');
  const result: ContractResult = {name: test.name, suite, passed: true, skipped, relatedOperations: [], ms: 0};
  if (skipped) return result;
  const started = performance.now();
  try {
    await test.run(context);
  } catch (e) {
    result.passed = false;
    result.error = (e as Error).message;
    if (ufs.type === 's3') result.relatedOperations = [...test.related];
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** Removes every child of the test folder, as Alluxio does after each test. */
async function emptyFolder(ufs: UnderFileSystem, dir: string): Promise<void> {
  for await (const page of ufs.listStatus(dir, {recursive: false})) {
    for (const child of page) {
      const path = ufsJoin(dir, child.name);
      if (child.isDirectory) await ufs.deleteDirectory(path, {recursive: true});
      else await ufs.deleteFile(path);
    }
  }
}

async function removeFolder(ufs: UnderFileSystem, dir: string): Promise<boolean> {
  if (!(await ufs.getStatus(dir))) return false;
  return ufs.deleteDirectory(dir, {recursive: true});
}

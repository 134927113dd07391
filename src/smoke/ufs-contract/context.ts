import {pipeline} from 'node:stream/promises';
import {Readable} from 'node:stream';
import {isAlluxioError} from '../../errors.js';
import {ufsJoin} from '../../ufs/factory.js';
import {forEachLimited} from '../../util/limit.js';
import type {UfsStatus, UnderFileSystem} from '../../ufs/types.js';

/** Alluxio's TEST_BYTES. */
export const TEST_BYTES = Buffer.from('TestBytes');
/** The block size the tests force (alluxio.user.block.size.bytes.default=512B). */
export const BLOCK_SIZE = 512;
/** A "multi-block file": three blocks' worth of whole TEST_BYTES copies (170 × 9 = 1530 bytes). */
export const MULTI_BLOCK = Buffer.concat(Array(Math.floor((3 * BLOCK_SIZE) / TEST_BYTES.length)).fill(TEST_BYTES));

/** A check that did not hold: its message is the test's failure reason. */
export class ContractFailure extends Error {}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

/** `Should succeed in UnderFileSystem.exists() check, but failed` and its opposite, as Alluxio words them. */
export function checkPredicate(actual: boolean, expected: boolean, what: 'exists' | 'isFile' | 'isDirectory'): void {
  check(
    actual === expected,
    expected
      ? `Should succeed in UnderFileSystem.${what}() check, but failed`
      : `Should failed in UnderFileSystem.${what}() check, but succeed`,
  );
}

export interface ContractTest {
  name: string;
  /** The S3 operations Alluxio names when the test fails on S3. */
  related: readonly string[];
  /** Runs only on object stores (Alluxio returns at once elsewhere: reported passed, marked skipped). */
  objectStoreOnly?: boolean;
  /** Runs only on the local UFS. */
  localOnly?: boolean;
  run(t: ContractContext): Promise<void>;
}

/** Alluxio's waits for eventually consistent stores: poll every second, up to three minutes. */
const EVENTUAL_POLL_MS = 1000;
const EVENTUAL_LIMIT_MS = 180_000;
/** Requests in flight while building a large directory. */
const CONCURRENCY = 16;

/**
 * What a contract test works with: the UFS under test, its own folder, and the UFS calls the Alluxio tests use
 * (exists, isFile, getFileStatus...) expressed over our UnderFileSystem interface.
 */
export class ContractContext {
  constructor(
    readonly ufs: UnderFileSystem,
    /** The test folder, `<path>/<uuid>`. */
    readonly dir: string,
    /** Lines the test prints (the S3 abort test's wait notice). */
    readonly log: (line: string) => void,
  ) {}

  path(relative: string): string {
    return ufsJoin(this.dir, relative);
  }

  async write(path: string, data: Buffer, createParent = true): Promise<void> {
    const writer = await this.ufs.create(path, {createParent});
    await pipeline(Readable.from(data.length > 0 ? [data] : []), writer);
  }

  async read(path: string, offset?: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.ufs.open(path, offset === undefined ? {} : {offset})) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async exists(path: string): Promise<boolean> {
    return (await this.ufs.getStatus(path)) !== null;
  }

  async isFile(path: string): Promise<boolean> {
    return (await this.ufs.getStatus(path))?.isDirectory === false;
  }

  async isDirectory(path: string): Promise<boolean> {
    return (await this.ufs.getStatus(path))?.isDirectory === true;
  }

  async fileStatus(path: string): Promise<UfsStatus> {
    const status = await this.ufs.getStatus(path);
    check(status !== null && !status.isDirectory, 'Failed to get ufs file status');
    return status;
  }

  async directoryStatus(path: string): Promise<UfsStatus> {
    const status = await this.ufs.getStatus(path);
    check(status !== null && status.isDirectory, 'Failed to get ufs directory status');
    return status;
  }

  /** Every entry of a listing, or null when `path` is no directory (Alluxio's listStatus returns null). */
  async list(path: string, recursive = false, firstPageOnly = false): Promise<UfsStatus[] | null> {
    const entries: UfsStatus[] = [];
    try {
      for await (const page of this.ufs.listStatus(path, {recursive})) {
        entries.push(...page);
        if (firstPageOnly) break;
      }
    } catch (e) {
      if (isAlluxioError(e) && e.kind === 'NOT_FOUND') return null;
      throw e;
    }
    return entries;
  }

  /** Alluxio's "large directory": `top` with 100 empty files a_0000… and 100 folders b_0000…; returns the names. */
  async largeDirectory(top: string): Promise<string[]> {
    const names = Array.from({length: 100}, (_, i) => String(i).padStart(4, '0')).flatMap((n) => [`a_${n}`, `b_${n}`]);
    await forEachLimited(names, CONCURRENCY, async (name) => {
      if (name.startsWith('a_')) await this.write(ufsJoin(top, name), Buffer.alloc(0));
      else await this.ufs.mkdirs(ufsJoin(top, name), {createParent: true});
    });
    return names.sort();
  }

  /** Retries `probe` until it holds, as Alluxio does for eventually consistent stores. */
  async eventually(probe: () => Promise<boolean>, message: string): Promise<void> {
    const deadline = Date.now() + EVENTUAL_LIMIT_MS;
    while (!(await probe())) {
      check(Date.now() < deadline, message);
      await new Promise((resolve) => setTimeout(resolve, EVENTUAL_POLL_MS));
    }
  }
}

export const sortedNames = (entries: UfsStatus[]) => entries.map((e) => e.name.replace(/^\/+/, '')).sort();

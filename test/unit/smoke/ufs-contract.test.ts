/**
 * The UFS contract tests themselves: they pass on a sound UFS, and fail, with Alluxio's messages, on a UFS that
 * breaks the contract (stubbed at our UnderFileSystem interface, over the local UFS in a temp folder).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {copyFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

import {junitReport} from '../../../src/smoke/junit.js';
import {ContractContext, ContractFailure, type ContractTest} from '../../../src/smoke/ufs-contract/context.js';
import {COMMON_TESTS} from '../../../src/smoke/ufs-contract/runner.js';
import {LocalUnderFileSystem} from '../../../src/ufs/local/local-ufs.js';
import type {UfsStatus} from '../../../src/ufs/types.js';

const root = mkdtempSync(join(tmpdir(), 'ufs-contract-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const byName = (name: string): ContractTest => COMMON_TESTS.find((t) => t.name === name)!;

/** Runs one test in a fresh folder of `ufs`; returns its failure message, or undefined when it passed. */
async function outcome(ufs: LocalUnderFileSystem, name: string): Promise<string | undefined> {
  const dir = mkdtempSync(join(root, 'case-'));
  try {
    await byName(name).run(new ContractContext(ufs, dir, () => undefined));
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ContractFailure);
    return (e as Error).message;
  }
}

describe('UFS contract tests', () => {
  it('are the 43 of Alluxio, all passing on the local UFS (the object store ones aside)', async () => {
    expect(COMMON_TESTS).toHaveLength(43);
    const ufs = new LocalUnderFileSystem();
    for (const test of COMMON_TESTS.filter((t) => !t.objectStoreOnly)) expect(await outcome(ufs, test.name), test.name).toBeUndefined();
  });

  it('fail a UFS whose rename leaves the source behind', async () => {
    const ufs = new (class extends LocalUnderFileSystem {
      async renameFile(src: string, dst: string): Promise<boolean> {
        await copyFile(src, dst);
        return true;
      }
    })();
    expect(await outcome(ufs, 'renameFileTest')).toBe('Should failed in UnderFileSystem.exists() check, but succeed');
    expect(await outcome(ufs, 'renameRenamableFileTest')).toBe('Should failed in UnderFileSystem.exists() check, but succeed');
    expect(await outcome(ufs, 'createOpenTest')).toBeUndefined();
  });

  it('fail a UFS that shows a file before its writer closed, or that drops modification times', async () => {
    const early = new (class extends LocalUnderFileSystem {
      async getStatus(path: string): Promise<UfsStatus | null> {
        return (await super.getStatus(path)) ?? {name: 'x', isDirectory: false, length: 0, owner: '', group: '', mode: 0o644};
      }
    })();
    expect(await outcome(early, 'createAtomicTest')).toBe('Should failed in UnderFileSystem.isFile() check, but succeed');
    const timeless = new (class extends LocalUnderFileSystem {
      async getStatus(path: string): Promise<UfsStatus | null> {
        const status = await super.getStatus(path);
        return status && {...status, lastModified: undefined};
      }
    })();
    expect(await outcome(timeless, 'getModTimeTest')).toMatch(/^The modification time unknown is not within 5000 ms of the write/);
  });

  it('fail a UFS whose listing misses entries, naming what it got', async () => {
    const ufs = new (class extends LocalUnderFileSystem {
      async *listStatus(path: string, options: {recursive: boolean}): AsyncIterable<UfsStatus[]> {
        for await (const page of super.listStatus(path, options)) yield page.slice(1);
      }
    })();
    expect(await outcome(ufs, 'listStatusRecursiveTest')).toMatch(/^The result of UnderFileSystem.listStatus\(\) is incorrect: got \[/);
  });

  it('junitReport marks skipped tests and failures', () => {
    const xml = junitReport('alluxio.runUfsTests', [
      {name: 'a', ms: 5, skipped: true},
      {name: 'b', ms: 1000, error: 'x < y'},
    ]);
    expect(xml).toContain('<testsuite name="alluxio.runUfsTests" tests="2" failures="1" skipped="1" time="1.005">');
    expect(xml).toContain('<testcase classname="alluxio.runUfsTests" name="a" time="0.005">\n    <skipped/>\n  </testcase>');
    expect(xml).toContain('<failure message="x &lt; y"/>');
  });
});

import {Flags} from '@oclif/core';
import {writeFileSync} from 'node:fs';
import {AlluxioCommand} from '../cli/base-command.js';
import {checkOutputFile} from '../cli/flags.js';
import {testVerdict} from '../cli/test-verdict.js';
import {formatLogLine} from '../cli/log-format.js';
import {READ_TYPES, WRITE_TYPES} from '../fs/types.js';
import {toJUnit} from '../smoke/junit.js';
import {OPERATIONS, type SmokeResult, runSmokeTests} from '../smoke/run-tests.js';

export default class RunTests extends AlluxioCommand {
  static summary = 'Run the basic read/write smoke tests.';
  static description =
    'Writes and reads back small files with every read type and write type (24 tests) under ' +
    '<directory>/default_tests_files, which is deleted first. The exit code is the number of failed tests.';
  static usageLine = 'runTests [--directory <path>] [--operation <BASIC|BASIC_NON_BYTE_BUFFER>] [--readType <CACHE_PROMOTE|CACHE|NO_CACHE>] [--writeType <MUST_CACHE|CACHE_THROUGH|THROUGH|ASYNC_THROUGH>]';
  static usage = RunTests.usageLine;
  static examples = ['alluxio runTests', 'alluxio runTests --directory /mnt/s3 --writeType THROUGH --junit results.xml'];
  static enableJsonFlag = true;
  static flags = {
    directory: Flags.string({description: 'Alluxio folder to run in.', default: '/'}),
    operation: Flags.string({description: 'Only this operation.', options: [...OPERATIONS]}),
    readType: Flags.string({description: 'Only this read type.', options: [...READ_TYPES]}),
    writeType: Flags.string({description: 'Only this write type.', options: [...WRITE_TYPES]}),
    junit: Flags.file({description: 'Also write a JUnit XML report to this file.'}),
  };

  async run(): Promise<{passed: number; failed: number; results: SmokeResult[]}> {
    const {flags} = await this.parse(RunTests);
    if (flags.junit !== undefined) checkOutputFile('junit', flags.junit);
    const fs = await this.fileSystem();
    const results = await runSmokeTests(
      fs,
      {
        directory: flags.directory,
        operations: flags.operation ? [flags.operation as (typeof OPERATIONS)[number]] : undefined,
        readTypes: flags.readType ? [flags.readType as (typeof READ_TYPES)[number]] : undefined,
        writeTypes: flags.writeType ? [flags.writeType as (typeof WRITE_TYPES)[number]] : undefined,
      },
      {
        start: (op, rt, wt) => this.log(`runTest --operation ${op} --readType ${rt} --writeType ${wt}`),
        log: (logger, message) => this.log(formatLogLine('INFO', logger, message)),
        finish: (result) => {
          if (!result.passed) this.log(formatLogLine('ERROR', 'TestRunner', `Exception running test: ${result.error}`));
          this.logRaw(testVerdict(result.passed));
        },
      },
    );
    const failed = results.filter((r) => !r.passed).length;
    if (flags.junit) writeFileSync(flags.junit, toJUnit(results));
    if (failed > 0) this.log(`Number of failed tests: ${failed}`);
    process.exitCode = failed;
    return {passed: results.length - failed, failed, results};
  }
}

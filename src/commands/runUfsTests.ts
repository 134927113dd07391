import {Flags} from '@oclif/core';
import {writeFileSync} from 'node:fs';
import {AlluxioCommand} from '../cli/base-command.js';
import {checkOutputFile} from '../cli/flags.js';
import {testVerdict} from '../cli/test-verdict.js';
import {usageError} from '../errors.js';
import {interrupts} from '../util/interrupts.js';
import {junitReport} from '../smoke/junit.js';
import {type ContractResult, TEST_NAMES, runUfsContractTests} from '../smoke/ufs-contract/runner.js';

export default class RunUfsTests extends AlluxioCommand {
  static summary = 'Run the under file system contract tests against a UFS path.';
  static description =
    "Alluxio's 43 common UFS operations, and on S3 its 4 streaming multipart ones, through this tool's under " +
    'storage layer, in a fresh <path>/<uuid> folder removed at the end (on a failure or Ctrl-C too). UFS settings ' +
    '(credentials, endpoint, signer...) are given as -Dkey=value. The exit code is the number of failed tests ' +
    '(Alluxio exits 0). --test takes the names printed after "Running test:".';
  static usageLine = 'runUfsTests --path <ufs path> [--test <test name>]...';
  static usage = RunUfsTests.usageLine;
  static examples = [
    'alluxio runUfsTests --path /tmp/ufs-check',
    'alluxio runUfsTests --path s3://bucket/check -Ds3a.accessKeyId=... -Ds3a.secretKey=... -Dalluxio.underfs.s3.endpoint=http://host:8080',
    'alluxio runUfsTests --path s3://bucket/check --test createAtomicTest --test renameFileTest --junit ufs.xml',
  ];
  static enableJsonFlag = true;
  static flags = {
    path: Flags.string({description: 'The UFS path to test under (a local path, file:///path or s3://bucket/dir).'}),
    test: Flags.string({description: 'Run only this test (repeatable).', multiple: true}),
    junit: Flags.file({description: 'Also write a JUnit XML report to this file.'}),
  };

  async run(): Promise<{path: string; passed: number; failed: number; skipped: number; results: ContractResult[]}> {
    const {flags} = await this.parse(RunUfsTests);
    // JCommander's message for the missing option, as Alluxio prints it.
    if (flags.path === undefined) throw usageError('The following option is required: [--path]');
    const path = flags.path;
    if (flags.junit !== undefined) checkOutputFile('junit', flags.junit);
    const tests = flags.test ?? [];
    const unknown = tests.find((name) => !TEST_NAMES.includes(name));
    if (unknown !== undefined) throw usageError(`Unknown test ${unknown}`);
    const warned = new Set<string>();
    // Once interrupted, the interrupt's line is all that is printed: the test under way fails as it is taken back.
    const print = (line: string) => {
      if (!interrupts.interrupted) this.log(line);
    };
    const results = await runUfsContractTests(
      this.conf(),
      {path, tests},
      {
        start: (name) => print(`Running test: ${name}...`),
        log: print,
        warn: (message) => {
          if (!warned.has(message)) this.warnLine(message);
          warned.add(message);
        },
        finish: (result) => {
          if (interrupts.interrupted) return;
          if (!result.passed) {
            if (result.relatedOperations.length > 0) print(`Related S3 operations: ${result.relatedOperations.join(', ')}`);
            print(`Operation ${result.name} failed`);
            print(result.error ?? '');
          }
          this.logRaw(testVerdict(result.passed));
        },
      },
    );
    const failed = results.filter((r) => !r.passed).length;
    if (flags.junit) {
      writeFileSync(flags.junit, junitReport('alluxio.runUfsTests', results.map((r) => ({name: r.name, ms: r.ms, error: r.error, skipped: r.skipped}))));
    }
    print(`Tests completed with ${failed} failed.`);
    process.exitCode = failed;
    const skipped = results.filter((r) => r.skipped).length;
    return {path, passed: results.length - failed, failed, skipped, results};
  }
}

import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {type AlluxioError, isAlluxioError, usageError} from '../../errors.js';
import {type PathTest, passes} from '../../fs/summaries.js';

const TESTS: Record<string, PathTest> = {directory: 'd', exists: 'e', file: 'f', nonEmpty: 's', zeroLength: 'z'};

export default class Test extends AlluxioCommand {
  static summary = 'Test a path: exit 0 if true, 1 if false.';
  static description =
    'Prints nothing. Exit status as Alluxio\'s: 0 true, 1 false, 3 when the path does not exist (or another ' +
    'Alluxio error, printed on stderr), 2 when the under storage cannot be reached. -s is true for a directory ' +
    'with children (at most one LIST), never for a file; -z for a file of 0 bytes, never for a directory.';
  static usageLine = 'fs test [-d|-f|-e|-s|-z] <path>';
  static usage = Test.usageLine;
  static examples = ['alluxio fs test -d /data && echo directory', 'alluxio fs test -e /data/file'];
  static strict = false;
  static flags = {
    directory: Flags.boolean({char: 'd', description: 'Whether the path is a directory.', default: false}),
    exists: Flags.boolean({char: 'e', description: 'Whether the path exists.', default: false}),
    file: Flags.boolean({char: 'f', description: 'Whether the path is a file.', default: false}),
    nonEmpty: Flags.boolean({char: 's', description: 'Whether the path is a directory with children.', default: false}),
    zeroLength: Flags.boolean({char: 'z', description: 'Whether the path is a file of 0 bytes.', default: false}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Test);
    const paths = argv as string[];
    this.checkArgs('test', paths, {exactly: 1});
    const chosen = Object.entries(TESTS).filter(([flag]) => flags[flag as keyof typeof flags]).map(([, test]) => test);
    if (chosen.length !== 1) {
      const given = chosen.length === 0 ? 'none given' : `given ${chosen.map((t) => `-${t}`).join(' ')}`;
      throw usageError(`Command test takes exactly one of -d, -e, -f, -s, -z (${given})`);
    }
    const fs = await this.fileSystem();
    try {
      const status = await fs.getStatus(paths[0]);
      process.exitCode = (await passes(chosen[0], status, () => fs.hasChildren(status))) ? 0 : 1;
    } catch (e) {
      if (!isAlluxioError(e) || e.kind === 'USAGE') throw e;
      // Scripts read "does not exist" from the status alone; any other failure is worth its line on stderr.
      if (e.kind !== 'NOT_FOUND') await this.catch(e);
      process.exitCode = exitCodeOf(e);
    }
  }
}

/** Alluxio's: 2 for an I/O failure (the under storage unreachable), 3 for its own exceptions, not-found included. */
function exitCodeOf(e: AlluxioError): number {
  return e.kind === 'IO' || e.kind === 'UNAVAILABLE' ? 2 : 3;
}

import {AlluxioCommand} from '../cli/base-command.js';
import {formatFsUsageList, fsCommandsOf} from '../cli/fs-usage.js';
import {commandNames, unknownCommandMessage} from '../cli/unknown-command.js';
import {usageError} from '../errors.js';

export default class Fs extends AlluxioCommand {
  static summary = 'Without a command: print the usage line of every fs command.';
  static description =
    "Bare `alluxio fs` prints Alluxio's list of fs commands with their usage lines and exits 255, as Alluxio's shell does.";
  // The unknown-command hook's usage line, for `alluxio fs nosuch extra` that reaches this command.
  static usageLine = 'fs <command> [<args>] ("alluxio fs --help" lists the commands)';
  static usage = 'fs <command> [<args>]';
  static examples = ['alluxio fs', 'alluxio fs help rm'];
  static strict = false;
  static usesContext = false;

  async run(): Promise<void> {
    // Before parsing: the unknown command is the error, not a flag it was given (`fs nosuch --json`).
    const unknown = this.argv.find((a) => !a.startsWith('-'));
    if (unknown !== undefined) throw usageError(unknownCommandMessage(unknown, commandNames(this.config, 'fs')));
    await this.parse(Fs);
    for (const line of formatFsUsageList(fsCommandsOf(this.config))) this.logRaw(line);
    process.exitCode = 255;
  }
}

import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {formatModeOctal, parseMode} from '../../security/mode.js';

export default class Chmod extends AlluxioCommand {
  static summary = 'Change the permission of a file or directory.';
  static description =
    'Sets the mode, octal (755) or symbolic (u=rwx,go=rx), in Alluxio only: the under storage is not changed. ' +
    'Only the owner or a superuser may do it.';
  static usageLine = 'fs chmod [-R] <mode> <path>';
  static usage = Chmod.usageLine;
  static examples = ['alluxio fs chmod 755 /data', 'alluxio fs chmod -R u=rwx,go=rx /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {recursive: Flags.boolean({char: 'R', description: 'Change everything below the path too.', default: false})};

  async run(): Promise<{path: string; mode: string} | {path: string; mode: string}[]> {
    const {argv, flags} = await this.parse(Chmod);
    const args = argv as string[];
    this.checkArgs('chmod', args, {exactly: 2});
    const [modeText, pattern] = args;
    const mode = parseMode(modeText);
    const results = await this.forEachPath([pattern], async (path) => {
      await (await this.fileSystem()).chmod(path, mode, flags.recursive);
      this.log(`Changed permission of ${path} to ${formatModeOctal(mode)}`);
      return {path, mode: formatModeOctal(mode)};
    });
    return this.perPathJson([pattern], results);
  }
}

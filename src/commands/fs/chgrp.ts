import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {parseGroupName} from '../../security/permission-checker.js';

export default class Chgrp extends AlluxioCommand {
  static summary = 'Change the group of a file or directory.';
  static description = 'Sets the group in Alluxio only: the under storage is not changed. The owner or a superuser may do it.';
  static usageLine = 'fs chgrp [-R] <group> <path>';
  static usage = Chgrp.usageLine;
  static examples = ['alluxio fs chgrp staff /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {recursive: Flags.boolean({char: 'R', description: 'Change everything below the path too.', default: false})};

  async run(): Promise<{path: string; group: string} | {path: string; group: string}[]> {
    const {argv, flags} = await this.parse(Chgrp);
    const args = argv as string[];
    this.checkArgs('chgrp', args, {exactly: 2});
    const group = parseGroupName(args[0]);
    const results = await this.forEachPath([args[1]], async (path) => {
      await (await this.fileSystem()).chgrp(path, group, flags.recursive);
      this.log(`Changed group of ${path} to ${group}`);
      return {path, group};
    });
    return this.perPathJson([args[1]], results);
  }
}

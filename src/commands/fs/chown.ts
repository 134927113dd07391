import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {parseOwnerGroup} from '../../security/permission-checker.js';

type Changed = {path: string; owner: string; group?: string};

export default class Chown extends AlluxioCommand {
  static summary = 'Change the owner (and group) of a file or directory.';
  static description = 'Sets the owner, or owner:group, in Alluxio only: the under storage is not changed. Superusers only.';
  static usageLine = 'fs chown [-R] <owner>[:<group>] <path>';
  static usage = Chown.usageLine;
  static examples = ['alluxio fs chown alice /data', 'alluxio fs chown -R alice:staff /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {recursive: Flags.boolean({char: 'R', description: 'Change everything below the path too.', default: false})};

  async run(): Promise<Changed | Changed[]> {
    const {argv, flags} = await this.parse(Chown);
    const args = argv as string[];
    this.checkArgs('chown', args, {exactly: 2});
    const [spec, pattern] = args;
    const {owner, group} = parseOwnerGroup(spec);
    const results = await this.forEachPath([pattern], async (path): Promise<Changed> => {
      await (await this.fileSystem()).chown(path, owner, group, flags.recursive);
      this.log(
        group === undefined
          ? `Changed owner of ${path} to ${owner}`
          : `Changed owner:group of ${path} to ${owner}:${group}.`,
      );
      return {path, owner, ...(group === undefined ? {} : {group})};
    });
    return this.perPathJson([pattern], results);
  }
}

import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';

export default class Free extends AlluxioCommand {
  static summary = 'Free persisted data from the worker cache.';
  static description =
    'Drops the cached copies of persisted files below the path; data only the cache holds stays. Pinned files are ' +
    'refused unless -f is given, which frees and unpins them.';
  static usageLine = 'fs free [-f] <path>';
  static usage = Free.usageLine;
  static examples = ['alluxio fs free /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {force: Flags.boolean({char: 'f', description: 'Free pinned files too (and unpin them).', default: false})};

  async run(): Promise<{path: string} | {path: string}[]> {
    const {argv, flags} = await this.parse(Free);
    const args = argv as string[];
    this.checkArgs('free', args, {exactly: 1});
    const results = await this.forEachPath(args, async (path) => {
      await (await this.fileSystem()).free(path, flags.force);
      this.log(`${path} was successfully freed from Alluxio space.`);
      return {path};
    });
    return this.perPathJson(args, results);
  }
}

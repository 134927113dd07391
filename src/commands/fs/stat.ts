import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {formatStat, formatStatPattern} from '../../cli/stat-format.js';
import {statusJson} from '../../cli/status-json.js';

export default class Stat extends AlluxioCommand {
  static summary = 'Display information about a file or directory.';
  static description =
    'Prints the path\'s status as Alluxio does, or with -f a format where %N is the name, %z the size in bytes, ' +
    '%u the owner, %g the group, %y the modification time (yyyy-MM-dd HH:mm:ss, local time), %Y the same in ' +
    'milliseconds since the epoch and %b the number of blocks.';
  static usageLine = 'fs stat [-f <format>] <path>';
  static usage = Stat.usageLine;
  static examples = ['alluxio fs stat /data/file', "alluxio fs stat -f '%N %z %u:%g %y' /data/file"];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {format: Flags.string({char: 'f', description: 'Print in the given format.'})};

  async run(): Promise<ReturnType<typeof statusJson> | ReturnType<typeof statusJson>[]> {
    const {argv, flags} = await this.parse(Stat);
    const args = argv as string[];
    this.checkArgs('stat', args, {exactly: 1});
    const results = await this.forEachPath(args, async (path) => {
      const status = await this.fileSystem().getStatus(path);
      if (flags.format !== undefined) this.log(formatStatPattern(flags.format, status));
      else for (const line of formatStat(path, status)) this.log(line);
      return statusJson(status);
    });
    return this.perPathJson(args, results);
  }
}

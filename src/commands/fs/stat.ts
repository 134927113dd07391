import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {formatStat, formatStatPattern} from '../../cli/stat-format.js';
import {statusJson} from '../../cli/status-json.js';
import {notFound, usageError} from '../../errors.js';
import type {FileSystem} from '../../fs/file-system.js';
import type {FileStatus} from '../../fs/types.js';

type StatJson = ReturnType<typeof statusJson> & {fileId: number};

export default class Stat extends AlluxioCommand {
  static summary = 'Display information about a file or directory.';
  static description =
    'Prints the path\'s status as Alluxio does, or with -f a format where %N is the name, %z the size in bytes, ' +
    '%u the owner, %g the group, %i the file id, %y the modification time (yyyy-MM-dd HH:mm:ss, local time), %Y ' +
    'the same in milliseconds since the epoch and %b the number of blocks. With --file-id the argument is a file ' +
    'id that stat has shown before.';
  static usageLine = 'fs stat [-f <format>] <path> or stat [-f <format>] --file-id <file-id>';
  static usage = Stat.usageLine;
  static examples = [
    'alluxio fs stat /data/file',
    "alluxio fs stat -f '%N %z %u:%g %y' /data/file",
    'alluxio fs stat --file-id 123456789',
  ];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    format: Flags.string({char: 'f', description: 'Print in the given format.'}),
    'file-id': Flags.boolean({description: 'The argument is a file id, not a path.', default: false}),
  };

  async run(): Promise<StatJson | StatJson[]> {
    const {argv, flags} = await this.parse(Stat);
    const args = argv as string[];
    // A file id may be negative (and then unknown), which is no option.
    this.checkArgs('stat', flags['file-id'] ? args.filter((a) => !/^-\d+$/.test(a)) : args, {});
    if (args.length !== 1) throw usageError(`Command stat takes 1 arguments, not ${args.length}`);
    const fs = await this.fileSystem();
    const show = async (path: string, status: FileStatus): Promise<StatJson> => {
      const fileId = await fs.fileId(status);
      if (flags.format !== undefined) this.log(formatStatPattern(flags.format, status, fileId));
      else for (const line of formatStat(path, status, fileId)) this.log(line);
      return {...statusJson(status), fileId};
    };
    if (flags['file-id']) {
      const {path, status} = await this.statusOfId(fs, args[0]);
      return show(path, status);
    }
    const results = await this.forEachPath(args, async (path) => show(path, await fs.getStatus(path)));
    return this.perPathJson(args, results);
  }

  /** Alluxio asks the master for the path of an id, and says which it is before the status. */
  private async statusOfId(fs: FileSystem, arg: string): Promise<{path: string; status: FileStatus}> {
    if (!/^-?\d+$/.test(arg)) throw usageError(`Invalid file ID ${arg}: it is not a number`);
    const id = Number(arg);
    const path = Number.isSafeInteger(id) ? await fs.pathOfFileId(id) : undefined;
    const status = path === undefined ? undefined : await fs.find(path);
    if (path === undefined || !status) {
      throw notFound(`inodeId ${arg} does not exist`, 'Ids are known once "alluxio fs stat <path>" has shown them.');
    }
    if (!this.jsonEnabled()) this.log(`The specified file ID ${arg} is ${path}`);
    return {path, status};
  }
}

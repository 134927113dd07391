import {Flags} from '@oclif/core';
import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';

export default class Rm extends AlluxioCommand {
  static summary = 'Remove a file or directory.';
  static description =
    'Removes a path from Alluxio and its under storage; a directory needs -R. With --alluxioOnly the under storage ' +
    'keeps the data and only Alluxio forgets it. With -m, mount points at or below the path are unmounted (their ' +
    'under storage is untouched) instead of refusing the removal.';
  static usageLine = 'fs rm [-R/-r/--recursive] [-U] [--alluxioOnly] [-m/--deleteMountPoint] <path>';
  static usage = Rm.usageLine;
  static examples = ['alluxio fs rm /data/old.csv', 'alluxio fs rm -r /data/tmp', 'alluxio fs rm -R -m /data/with-mounts'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    recursive: Flags.boolean({
      char: 'R',
      charAliases: ['r'],
      description: 'Delete directories and everything below them.',
      default: false,
    }),
    unchecked: Flags.boolean({char: 'U', description: 'Accepted for compatibility: nothing is cached to check.', default: false}),
    alluxioOnly: Flags.boolean({description: 'Remove data and metadata from Alluxio space only.', default: false}),
    deleteMountPoint: Flags.boolean({
      char: 'm',
      description: 'Unmount the mount points at or below the path instead of refusing.',
      default: false,
    }),
    quiet: quietFlag,
  };

  async run(): Promise<RmJson | RmJson[]> {
    const {argv, flags} = await this.parse(Rm);
    const paths = argv as string[];
    this.checkArgs('rm', paths, {exactly: 1});
    const results = await this.forEachPath(paths, async (path) => {
      // Entries: the objects of an S3 folder, deleted a thousand at a time.
      await withProgress(this, {label: 'rm', unit: 'entries', quiet: flags.quiet}, async (progress) =>
        (await this.fileSystem()).delete(path, {
          recursive: flags.recursive,
          alluxioOnly: flags.alluxioOnly,
          deleteMountPoint: flags.deleteMountPoint,
          progress,
        }),
      );
      this.log(flags.alluxioOnly ? `${path} has been removed only from Alluxio space` : `${path} has been removed`);
      return {path, alluxioOnly: flags.alluxioOnly};
    });
    return this.perPathJson(paths, results);
  }
}

interface RmJson {
  path: string;
  alluxioOnly: boolean;
}

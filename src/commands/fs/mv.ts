import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';

export default class Mv extends AlluxioCommand {
  static summary = 'Rename a file or directory.';
  static description =
    'Renames within one mount. The destination must not exist (there is no move-into-directory, as in Alluxio); ' +
    'in object stores a rename is a copy and a delete.';
  static usageLine = 'fs mv <src> <dst>';
  static usage = Mv.usageLine;
  static examples = ['alluxio fs mv /data/a.csv /data/b.csv'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {quiet: quietFlag};

  async run(): Promise<{src: string; dst: string}> {
    const {argv, flags} = await this.parse(Mv);
    const paths = argv as string[];
    this.checkArgs('mv', paths, {exactly: 2});
    const [src, dst] = paths;
    const fs = await this.fileSystem();
    // Entries: the objects of an S3 folder, each copied to its new key before the old ones are deleted.
    await withProgress(this, {label: 'mv', unit: 'entries', quiet: flags.quiet}, (progress) => fs.rename(src, dst, progress));
    this.log(`Renamed ${src} to ${dst}`);
    return {src, dst};
  }
}

import {AlluxioCommand} from '../../cli/base-command.js';

export default class Unmount extends AlluxioCommand {
  static summary = 'Unmount a mount point.';
  static description = "Removes a mount and Alluxio's metadata and cached data below it. The under storage is untouched.";
  static usageLine = 'fs unmount <alluxioPath>';
  static usage = Unmount.usageLine;
  static examples = ['alluxio fs unmount /mnt/s3', 'alluxio fs umount /mnt/s3'];
  static aliases = ['fs:umount'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{path: string} | {path: string}[]> {
    const {argv} = await this.parse(Unmount);
    const args = argv as string[];
    this.checkArgs('unmount', args, {exactly: 1});
    const results = await this.forEachPath(args, async (path) => {
      await (await this.fileSystem()).unmount(path);
      this.log(`Unmounted ${path}`);
      return {path};
    });
    return this.perPathJson(args, results);
  }
}

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

  async run(): Promise<{path: string}> {
    const {argv} = await this.parse(Unmount);
    const args = argv as string[];
    this.checkArgs('unmount', args, {exactly: 1});
    await this.fileSystem().unmount(args[0]);
    this.log(`Unmounted ${args[0]}`);
    return {path: args[0]};
  }
}

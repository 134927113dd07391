import {AlluxioCommand} from '../../cli/base-command.js';

export default class Touch extends AlluxioCommand {
  static summary = 'Create a 0 byte file.';
  static description = 'Creates an empty file, with any missing parents, using the default write type.';
  static usageLine = 'fs touch <path>';
  static usage = Touch.usageLine;
  static examples = ['alluxio fs touch /data/_SUCCESS'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{path: string}> {
    const {argv} = await this.parse(Touch);
    const paths = argv as string[];
    this.checkArgs('touch', paths, {exactly: 1});
    await this.fileSystem().touch(paths[0]);
    this.log(`${paths[0]} has been created`);
    return {path: paths[0]};
  }
}

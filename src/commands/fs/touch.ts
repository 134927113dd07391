import {AlluxioCommand} from '../../cli/base-command.js';

export default class Touch extends AlluxioCommand {
  static summary = 'Create a 0 byte file.';
  static description = 'Creates an empty file, with any missing parents, using the default write type.';
  static usageLine = 'fs touch <path>';
  static usage = Touch.usageLine;
  static examples = ['alluxio fs touch /data/_SUCCESS'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{path: string} | {path: string}[]> {
    const {argv} = await this.parse(Touch);
    const paths = argv as string[];
    this.checkArgs('touch', paths, {exactly: 1});
    const results = await this.forEachPath(paths, async (path) => {
      await (await this.fileSystem()).touch(path);
      this.log(`${path} has been created`);
      return {path};
    });
    return this.perPathJson(paths, results);
  }
}

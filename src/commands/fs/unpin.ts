import {AlluxioCommand} from '../../cli/base-command.js';

export default class Unpin extends AlluxioCommand {
  static summary = 'Unpin a file or directory.';
  static description =
    'Lets the worker cache evict the data of the file, or of everything below the directory, again; data written ' +
    'and not yet persisted stays, as it has no other copy.';
  static usageLine = 'fs unpin <path>';
  static usage = Unpin.usageLine;
  static examples = ['alluxio fs unpin /data/hot'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{path: string} | {path: string}[]> {
    const {argv} = await this.parse(Unpin);
    const args = argv as string[];
    this.checkArgs('unpin', args, {exactly: 1});
    const results = await this.forEachPath(args, async (path) => {
      await (await this.fileSystem()).unpin(path);
      this.log(`File '${path}' was successfully unpinned.`);
      return {path};
    });
    return this.perPathJson(args, results);
  }
}

import {AlluxioCommand} from '../../cli/base-command.js';

export default class Checksum extends AlluxioCommand {
  static summary = "Print the MD5 checksum of a file's data.";
  static description =
    'Streams the whole file through MD5 without caching it (one GET on an object store) and prints ' +
    '"md5sum: <hex>" and a blank line, as Alluxio does.';
  static usageLine = 'fs checksum <Alluxio path>';
  static usage = Checksum.usageLine;
  static examples = ['alluxio fs checksum /data/data.csv'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<ChecksumJson | ChecksumJson[]> {
    const {argv} = await this.parse(Checksum);
    const paths = argv as string[];
    this.checkArgs('checksum', paths, {exactly: 1});
    const results = await this.forEachPath(paths, async (path) => {
      const md5 = await (await this.fileSystem()).checksum(path);
      this.log(`md5sum: ${md5}`);
      // Alluxio prints the line with a newline of its own and println: a blank line follows.
      this.log();
      return {path, md5};
    });
    return this.perPathJson(paths, results);
  }
}

interface ChecksumJson {
  path: string;
  md5: string;
}

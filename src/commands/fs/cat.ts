import {pipeline} from 'node:stream/promises';
import {AlluxioCommand} from '../../cli/base-command.js';

export default class Cat extends AlluxioCommand {
  static summary = "Print a file's contents.";
  static description = 'Writes the raw bytes of a file to standard output, with the default read type.';
  static usageLine = 'fs cat <path>';
  static usage = Cat.usageLine;
  static examples = ['alluxio fs cat /data/README'];
  static strict = false;

  async run(): Promise<void> {
    const {argv} = await this.parse(Cat);
    const paths = argv as string[];
    this.checkArgs('cat', paths, {exactly: 1});
    await this.forEachPath(paths, async (path) => {
      const {stream} = await (await this.fileSystem()).open(path);
      await pipeline(stream, process.stdout, {end: false});
    });
  }
}

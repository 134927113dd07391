import {pipeline} from 'node:stream/promises';
import {AlluxioCommand} from '../../cli/base-command.js';
import {byteCountFlag} from '../../cli/flags.js';

export default class Head extends AlluxioCommand {
  static summary = 'Print the first bytes of a file (1 KB by default).';
  static description =
    'Writes the first -c bytes of a file to standard output. Data the worker cache holds is read from it; other ' +
    'data is read with one ranged GET and not cached.';
  static usageLine = 'fs head [-c <bytes>] <path>';
  static usage = Head.usageLine;
  static examples = ['alluxio fs head /data/log.txt', 'alluxio fs head -c 4k /data/log.txt'];
  static strict = false;
  static flags = {
    bytes: byteCountFlag({char: 'c', description: 'Bytes to print, with an optional unit (2k, 1MB).', default: 1024}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Head);
    const paths = argv as string[];
    this.checkArgs('head', paths, {exactly: 1});
    await this.forEachPath(paths, async (path) => {
      const {stream} = await (await this.fileSystem()).open(path, 'NO_CACHE', (status) => ({
        offset: 0,
        length: Math.min(flags.bytes, status.length),
      }));
      await pipeline(stream, process.stdout, {end: false});
    });
  }
}

import {pipeline} from 'node:stream/promises';
import {AlluxioCommand} from '../../cli/base-command.js';
import {byteCountFlag} from '../../cli/flags.js';

export default class Tail extends AlluxioCommand {
  static summary = 'Print the last bytes of a file (1 KB by default).';
  static description =
    'Writes the last -c bytes of a file to standard output. Data the worker cache holds is read from it; other ' +
    'data is read with one ranged GET and not cached.';
  static usageLine = 'fs tail [-c <bytes>] <path>';
  static usage = Tail.usageLine;
  static examples = ['alluxio fs tail /data/log.txt', 'alluxio fs tail -c 4k /data/log.txt'];
  static strict = false;
  static flags = {
    bytes: byteCountFlag({char: 'c', description: 'Bytes to print, with an optional unit (2k, 1MB).', default: 1024}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Tail);
    const paths = argv as string[];
    this.checkArgs('tail', paths, {exactly: 1});
    await this.forEachPath(paths, async (path) => {
      const {stream} = await (await this.fileSystem()).open(path, 'NO_CACHE', (status) => {
        const length = Math.min(flags.bytes, status.length);
        return {offset: status.length - length, length};
      });
      await pipeline(stream, process.stdout, {end: false});
    });
  }
}

import {Flags} from '@oclif/core';
import {resolve} from 'node:path';
import {AlluxioCommand} from '../../cli/base-command.js';
import {copyFromLocal} from '../../fs/local-copy.js';

export default class CopyFromLocal extends AlluxioCommand {
  static summary = 'Copy a local file or folder into Alluxio.';
  static description =
    'Copies with the default write type (alluxio.user.file.writetype.default). A file is visible only once it is ' +
    'completely written; a file that fails is reported and the rest of a folder is still copied.';
  static usageLine = 'fs copyFromLocal [--thread <num>] [--buffersize <bytes>] <src> <remoteDst>';
  static usage = CopyFromLocal.usageLine;
  static examples = ['alluxio fs copyFromLocal ./data.csv /data/data.csv', 'alluxio fs copyFromLocal ./dir /data/dir'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    thread: Flags.integer({description: 'Accepted for compatibility: files are copied one after another.', min: 1}),
    buffersize: Flags.integer({description: 'Accepted for compatibility: data is streamed.', min: 1}),
  };

  async run(): Promise<{src: string; dst: string; files: number}> {
    const {argv} = await this.parse(CopyFromLocal);
    const args = argv as string[];
    this.checkArgs('cp', args, {exactly: 2});
    const [src, dst] = args;
    const files = await copyFromLocal(this.fileSystem(), src, dst, (event) => {
      if (event.kind === 'copied') this.log(`Copied ${event.src} to ${event.dst}`);
      else if (event.kind === 'failed') process.stderr.write(`${event.error}\n`);
    });
    const from = `file://${resolve(src)}`;
    this.log(`Copied ${from} to ${dst}`);
    return {src: from, dst, files};
  }
}

import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import {MAX_TRANSFER_THREADS, integerFlag} from '../../cli/flags.js';
import {copyToLocal} from '../../fs/local-copy.js';
import {DEFAULT_TRANSFER_THREADS} from '../../fs/types.js';

export default class CopyToLocal extends AlluxioCommand {
  static summary = 'Copy an Alluxio file or directory to the local file system.';
  static description =
    'Copies with the default read type (alluxio.user.file.readtype.default), --thread files at a time (an addition ' +
    'to Alluxio, which copies one by one). Each file is written under a temporary name and renamed when complete.';
  static usageLine = 'fs copyToLocal [--buffersize <bytes>]  <src> <localDst>';
  static usage = CopyToLocal.usageLine;
  static examples = ['alluxio fs copyToLocal /data/data.csv ./data.csv'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    thread: integerFlag({description: 'Files copied at once.', min: 1, max: MAX_TRANSFER_THREADS, default: DEFAULT_TRANSFER_THREADS}),
    buffersize: integerFlag({description: 'Accepted for compatibility: data is streamed.', min: 1}),
    quiet: quietFlag,
  };

  async run(): Promise<{src: string; dst: string; files: number}> {
    const {argv, flags} = await this.parse(CopyToLocal);
    const args = argv as string[];
    this.checkArgs('cp', args, {exactly: 2});
    const [src, dst] = args;
    const fs = await this.fileSystem();
    fs.transferThreads = flags.thread;
    const files = await withProgress(this, {label: 'copyToLocal', unit: 'bytes', quiet: flags.quiet}, (progress) =>
      copyToLocal(
        fs,
        src,
        dst,
        (event) => {
          if (event.kind === 'copied') this.log(`Copied ${event.src} to ${event.dst}`);
          else if (event.kind === 'created-directory') this.log(`Create directory: ${event.dst}`);
        },
        progress,
      ),
    );
    return {src, dst, files};
  }
}

import {resolve} from 'node:path';
import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import {MAX_TRANSFER_THREADS, integerFlag} from '../../cli/flags.js';
import {reportCopyFailures} from '../../cli/copy-failures.js';
import {copyFromLocal} from '../../fs/local-copy.js';
import {DEFAULT_TRANSFER_THREADS} from '../../fs/types.js';

export default class CopyFromLocal extends AlluxioCommand {
  static summary = 'Copy a local file or folder into Alluxio.';
  static description =
    'Copies with the default write type (alluxio.user.file.writetype.default), --thread files at a time. A file is ' +
    'visible only once it is completely written; a file that fails is reported and the rest of a folder is still copied.';
  static usageLine = 'fs copyFromLocal [--thread <num>] [--buffersize <bytes>] <src> <remoteDst>';
  static usage = CopyFromLocal.usageLine;
  static examples = ['alluxio fs copyFromLocal ./data.csv /data/data.csv', 'alluxio fs copyFromLocal ./dir /data/dir'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    thread: integerFlag({description: `Files copied at once (Alluxio: cores x 2; here ${DEFAULT_TRANSFER_THREADS}, for S3 round trips).`, min: 1, max: MAX_TRANSFER_THREADS, default: DEFAULT_TRANSFER_THREADS}),
    buffersize: integerFlag({description: 'Bytes per read of a streamed local file (a file uploaded in parts is read by range).', min: 1}),
    quiet: quietFlag,
  };

  async run(): Promise<{src: string; dst: string; files: number} | undefined> {
    const {argv, flags} = await this.parse(CopyFromLocal);
    const args = argv as string[];
    this.checkArgs('cp', args, {exactly: 2});
    const [src, dst] = args;
    const fs = await this.fileSystem();
    fs.transferThreads = flags.thread;
    const show = {unit: 'bytes', quiet: flags.quiet} as const;
    let files: number;
    try {
      files = await withProgress(this, {label: 'copyFromLocal', ...show}, (progress) =>
        copyFromLocal(fs, src, dst, (event) => this.log(`Copied ${event.src} to ${event.dst}`), {bufferSize: flags.buffersize, progress}),
      );
    } catch (e) {
      if (reportCopyFailures(e, this.jsonEnabled())) return undefined;
      throw e;
    }
    const from = `file://${resolve(src)}`;
    this.log(`Copied ${from} to ${dst}`);
    await withProgress(this, {label: 'copyFromLocal (persisting)', ...show}, (progress) => fs.persistWritten(progress));
    return {src: from, dst, files};
  }
}

import {Flags} from '@oclif/core';
import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import {reportCopyFailures} from '../../cli/copy-failures.js';
import {MAX_TRANSFER_THREADS, integerFlag} from '../../cli/flags.js';
import {cp} from '../../fs/copy.js';
import {DEFAULT_TRANSFER_THREADS} from '../../fs/types.js';

export default class Cp extends AlluxioCommand {
  static summary = 'Copy a file or directory in Alluxio, or between Alluxio and the local file system.';
  static description =
    'Copies <src> to <dst>; a file:// path is on the local file system (at most one of the two). A directory in ' +
    'Alluxio needs -R; a local one is copied whole. Between two S3 mounts of one store with the same credentials the ' +
    'data is copied on the server (CopyObject); otherwise it is streamed with the default read and write types. ' +
    '--thread files are copied at once.';
  static usageLine = 'fs cp [-R/-r/--recursive] [--buffersize <bytes>] <src> <dst>';
  static usage = Cp.usageLine;
  static examples = [
    'alluxio fs cp /data/a.csv /backup/a.csv',
    'alluxio fs cp -R /mnt/s3/logs /mnt/archive/logs',
    'alluxio fs cp file:///tmp/data /data',
    'alluxio fs cp /data/a.csv file:///tmp/a.csv',
  ];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    recursive: Flags.boolean({char: 'R', charAliases: ['r'], description: 'Copy a directory and everything below it.', default: false}),
    thread: integerFlag({
      description: `Files copied at once (Alluxio: cores x 2; here ${DEFAULT_TRANSFER_THREADS}, for S3 round trips).`,
      min: 1,
      max: MAX_TRANSFER_THREADS,
      default: DEFAULT_TRANSFER_THREADS,
    }),
    preserve: Flags.boolean({char: 'p', description: 'Give each copy the owner, group, mode and ACL of its source (Alluxio to Alluxio).', default: false}),
    quiet: quietFlag,
  };

  async run(): Promise<{src: string; dst: string; files: number} | undefined> {
    const {argv, flags} = await this.parse(Cp);
    const args = argv as string[];
    this.checkArgs('cp', args, {exactly: 2});
    const [src, dst] = args;
    const fs = await this.fileSystem();
    fs.transferThreads = flags.thread;
    const show = {unit: 'bytes', quiet: flags.quiet} as const;
    let files: number;
    try {
      files = await withProgress(this, {label: 'cp', ...show}, (progress) =>
        cp(fs, src, dst, {recursive: flags.recursive, preserve: flags.preserve, progress}, (event) => {
          this.log(event.kind === 'copied' ? `Copied ${event.src} to ${event.dst}` : `${createdLine(dst)} ${event.dst}`);
        }),
      );
    } catch (e) {
      if (reportCopyFailures(e, this.jsonEnabled())) return undefined;
      throw e;
    }
    await withProgress(this, {label: 'cp (persisting)', ...show}, (progress) => fs.persistWritten(progress));
    return {src, dst, files};
  }
}

/** Alluxio words it "Create directory:" for local folders and "Created directory:" for Alluxio ones. */
function createdLine(dst: string): string {
  return /^file:/i.test(dst) ? 'Create directory:' : 'Created directory:';
}

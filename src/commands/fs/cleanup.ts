import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import type {CleanupReport} from '../../fs/cleanup.js';

export default class Cleanup extends AlluxioCommand {
  static summary = 'Abort abandoned multipart uploads under object-store mounts.';
  static description =
    'Aborts the multipart uploads started more than alluxio.underfs.s3.intermediate.upload.clean.age ago (3day by ' +
    'default) under each writable object-store mount, or under the given mount points. Only the mount\'s own ' +
    'prefix is swept unless --whole-bucket is given (Alluxio sweeps the whole bucket, which can abort other ' +
    'writers\' uploads). With alluxio.underfs.cleanup.enabled=true this also runs by itself after write commands, ' +
    'at most once per alluxio.underfs.cleanup.interval. Aborted uploads are logged in ${alluxio.logs.dir}/cleanup.log.';
  static usageLine = 'fs cleanup [--dry-run] [--whole-bucket] [<mountPoint> ...]';
  static usage = Cleanup.usageLine;
  static examples = ['alluxio fs cleanup --dry-run', 'alluxio fs -Dalluxio.underfs.s3.intermediate.upload.clean.age=1h cleanup /mnt/s3'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    'dry-run': Flags.boolean({description: 'List what would be aborted, abort nothing.', default: false}),
    'whole-bucket': Flags.boolean({description: "Sweep the mount's whole bucket, not only its prefix.", default: false}),
  };

  async run(): Promise<{mounts: CleanupReport[]}> {
    const {argv, flags} = await this.parse(Cleanup);
    const mountPoints = argv as string[];
    this.checkArgs('cleanup', mountPoints, {});
    const reports = await this.fileSystem().cleanup({mountPoints, dryRun: flags['dry-run'], wholeBucket: flags['whole-bucket']});
    const verb = flags['dry-run'] ? 'Would abort' : 'Aborted';
    for (const report of reports) {
      if (report.skipped) {
        this.log(`${report.alluxioPath}: skipped (${report.skipped})`);
        continue;
      }
      for (const u of report.uploads) {
        this.log(`${verb} upload ${u.uploadId} of ${u.key} started ${new Date(u.initiated).toISOString()}`);
      }
      this.log(`${report.alluxioPath}: ${report.uploads.length} abandoned upload(s) ${flags['dry-run'] ? 'found' : 'aborted'} in ${report.ufsUri}`);
    }
    return {mounts: reports};
  }
}

import {Flags} from '@oclif/core';
import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import {durationFlag} from '../../cli/flags.js';
import type {CleanupResult} from '../../fs/cleanup.js';

export default class Cleanup extends AlluxioCommand {
  static summary = 'Abort abandoned multipart uploads and remove temporary files that killed writers left.';
  static description =
    'Aborts the multipart uploads started more than alluxio.underfs.s3.intermediate.upload.clean.age ago (3day by ' +
    'default) under each writable object-store mount, or under the given mount points. Only the mount\'s own ' +
    'prefix is swept unless --whole-bucket is given (Alluxio sweeps the whole bucket, which can abort other ' +
    'writers\' uploads). With alluxio.underfs.cleanup.enabled=true this also runs by itself after write commands, ' +
    'at most once per alluxio.underfs.cleanup.interval. Aborted uploads are logged in ${alluxio.logs.dir}/cleanup.log. ' +
    'It also removes what writers killed on their way (kill -9) left on this host: upload staging files in ' +
    'alluxio.tmp.dirs and copy spools whose process is gone or that are older than that age, and worker cache ' +
    'temporaries of dead processes.';
  static usageLine = 'fs cleanup [--dry-run] [--whole-bucket] [--older-than <duration>] [<mountPoint> ...]';
  static usage = Cleanup.usageLine;
  static examples = ['alluxio fs cleanup --dry-run', 'alluxio fs cleanup --older-than 1h /mnt/s3', 'alluxio fs cleanup --older-than 0'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    'dry-run': Flags.boolean({description: 'List what would be aborted, abort nothing.', default: false}),
    'whole-bucket': Flags.boolean({description: "Sweep the mount's whole bucket, not only its prefix.", default: false}),
    'older-than': durationFlag({
      description:
        "Abandoned means older than this, for this run (e.g. 0, 10min, 1h): overrides alluxio.underfs.s3.intermediate.upload.clean.age. A running process's temporaries on this host are never removed.",
      helpValue: '<duration>',
    }),
    quiet: quietFlag,
  };

  async run(): Promise<CleanupResult> {
    const {argv, flags} = await this.parse(Cleanup);
    const mountPoints = argv as string[];
    this.checkArgs('cleanup', mountPoints, {});
    const olderThanMs = flags['older-than'];
    const dryRun = flags['dry-run'];
    const fs = await this.fileSystem();
    const result = await withProgress(this, {label: 'cleanup', unit: 'entries', quiet: flags.quiet}, (progress) =>
      fs.cleanup({mountPoints, dryRun, wholeBucket: flags['whole-bucket'], olderThanMs, progress}),
    );
    const verb = dryRun ? 'Would abort' : 'Aborted';
    for (const report of result.mounts) {
      if (report.skipped) {
        this.log(`${report.alluxioPath}: skipped (${report.skipped})`);
        continue;
      }
      for (const u of report.uploads) {
        this.log(`${verb} upload ${u.uploadId} of ${u.key} started ${new Date(u.initiated).toISOString()}`);
      }
      this.log(`${report.alluxioPath}: ${report.uploads.length} abandoned upload(s) ${dryRun ? 'found' : 'aborted'} in ${report.ufsUri}`);
    }
    for (const file of result.temporaryFiles) this.log(`${dryRun ? 'Would remove' : 'Removed'} abandoned temporary file ${file}`);
    return result;
  }
}

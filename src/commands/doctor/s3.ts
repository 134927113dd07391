import {Args, Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {colours} from '../../cli/colour.js';
import {formatDiagnosis} from '../../cli/doctor-format.js';
import type {DiagnosisReport} from '../../fs/diagnose.js';

export default class DoctorS3 extends AlluxioCommand {
  static summary = 'Diagnose an S3 mount: which credentials win, the effective settings, and what S3 allows.';
  static description =
    'For an Alluxio path under an S3 mount (with that mount\'s options) or an s3://bucket/dir URI: each of the six ' +
    'credential levels and which one is used (key ids masked to their last four characters), the endpoint, region, ' +
    'addressing, signer, proxy, encryption and timeouts with where each comes from, then probes that write nothing ' +
    '(list the prefix, read the bucket ACL and the owner/group/mode it gives, read one object). --write adds a write ' +
    'probe that deletes what it wrote. Each failed probe names the S3 permission that was denied. Exit code 0 when ' +
    'healthy, 1 when not.';
  static usageLine = 'doctor s3 [--write] <alluxioPath|s3://bucket/dir>';
  static usage = DoctorS3.usageLine;
  static examples = ['alluxio doctor s3 /mnt/s3', 'alluxio doctor s3 --write s3://my-bucket/data', 'alluxio doctor s3 --json /mnt/s3'];
  static enableJsonFlag = true;
  static args = {target: Args.string({description: 'Alluxio path under an S3 mount, or s3://bucket/dir', required: true})};
  static flags = {write: Flags.boolean({description: 'Also check that writing works (the probe object is deleted).', default: false})};

  async run(): Promise<DiagnosisReport> {
    const {args, flags} = await this.parse(DoctorS3);
    const report = await (await this.fileSystem()).diagnose(args.target, {write: flags.write});
    // Escaped by formatDiagnosis, then coloured: printed as they are.
    for (const line of formatDiagnosis(report, colours(process.stdout))) this.logRaw(line);
    process.exitCode = report.healthy ? 0 : 1;
    return report;
  }
}

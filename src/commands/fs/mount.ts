import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {formatMountTable} from '../../cli/mount-format.js';
import {parseMountOptions} from '../../cli/mount-options.js';
import {usageError} from '../../errors.js';
import type {DiagnosisReport} from '../../fs/diagnose.js';
import type {MountInfo} from '../../fs/types.js';
import {formatDiagnosis} from '../../cli/doctor-format.js';

export default class Mount extends AlluxioCommand {
  static summary = 'Mount an under storage path into Alluxio, or list the mount table.';
  static description =
    'Mounts <ufsURI> (a local folder, file:///folder, or s3://bucket/dir) at <alluxioPath>, which must not exist ' +
    'yet. --option key=value sets a property for this mount only and may be repeated. With no arguments, prints ' +
    'the mount table (credentials masked).';
  static usageLine = 'fs mount [--readonly] [--shared] [--dry-run] [--option <key=val>] <alluxioPath> <ufsURI>';
  static usage = Mount.usageLine;
  static examples = [
    'alluxio fs mount /mnt/data /srv/data',
    'alluxio fs mount --readonly --option alluxio.underfs.s3.endpoint=http://127.0.0.1:7480 /mnt/s3 s3://bucket/dir',
    'alluxio fs mount',
  ];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    readonly: Flags.boolean({description: 'No writes through Alluxio below the mount point.', default: false}),
    shared: Flags.boolean({description: "Give all users the owner's permission bits.", default: false}),
    'dry-run': Flags.boolean({
      description: 'Check everything (and for S3 diagnose credentials, settings and access as doctor s3 does), mount nothing.',
      default: false,
    }),
    option: Flags.string({description: 'A property for this mount: key=value (repeatable).', multiple: true, multipleNonGreedy: true}),
  };

  async run(): Promise<
    | {mounts: MountInfo[]}
    | {mounted: {alluxioPath: string; ufsUri: string}}
    | {dryRun: {alluxioPath: string; ufsUri: string; diagnosis?: DiagnosisReport}}
  > {
    const {argv, flags} = await this.parse(Mount);
    const args = argv as string[];
    if (args.length !== 0 && args.length !== 2) throw usageError(`Command mount takes 0 or 2 arguments, not ${args.length}`);
    this.checkArgs('mount', args, {});
    const fs = await this.fileSystem();
    if (args.length === 0) {
      const mounts = await fs.listMounts();
      for (const line of formatMountTable(mounts)) this.log(line);
      return {mounts};
    }
    const options = parseMountOptions(flags.option ?? []);
    const [alluxioPath, ufsUri] = args;
    if (flags['dry-run']) {
      const {record, diagnosis} = await fs.dryRunMount(alluxioPath, ufsUri, {readOnly: flags.readonly, shared: flags.shared, options});
      if (diagnosis) for (const line of formatDiagnosis(diagnosis)) this.log(line);
      this.log(`Would mount ${record.ufsUri} at ${record.alluxioPath}${diagnosis && !diagnosis.healthy ? ', but the under storage is not healthy' : ''}`);
      process.exitCode = diagnosis && !diagnosis.healthy ? 1 : 0;
      return {dryRun: {alluxioPath: record.alluxioPath, ufsUri: record.ufsUri, ...(diagnosis ? {diagnosis} : {})}};
    }
    const record = await fs.mount(alluxioPath, ufsUri, {readOnly: flags.readonly, shared: flags.shared, options});
    this.log(`Mounted ${record.ufsUri} at ${record.alluxioPath}`);
    return {mounted: {alluxioPath: record.alluxioPath, ufsUri: record.ufsUri}};
  }
}

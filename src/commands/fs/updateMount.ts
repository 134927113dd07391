import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {parseMountOptions} from '../../cli/mount-options.js';
import {usageError} from '../../errors.js';

export default class UpdateMount extends AlluxioCommand {
  static summary = 'Replace the options of a mount point.';
  static description =
    'Replaces every option of the mount at <alluxioPath> with the ones given: nothing is kept, so a flag or ' +
    'credential left out is gone (re-supply the credentials). The under storage is checked with the new options ' +
    'before anything changes; the metadata and cached data below the mount point stay.';
  static usageLine = 'fs updateMount [--readonly] [--shared] [--option <key=val>] <alluxioPath>';
  static usage = UpdateMount.usageLine;
  static examples = [
    'alluxio fs updateMount --readonly /mnt/s3',
    'alluxio fs updateMount --option s3a.accessKeyId=env:AWS_ACCESS_KEY_ID --option s3a.secretKey=env:AWS_SECRET_ACCESS_KEY /mnt/s3',
  ];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    readonly: Flags.boolean({description: 'No writes through Alluxio below the mount point.', default: false}),
    shared: Flags.boolean({description: "Give all users the owner's permission bits.", default: false}),
    option: Flags.string({description: 'A property for this mount: key=value (repeatable).', multiple: true, multipleNonGreedy: true}),
  };

  async run(): Promise<{updated: {alluxioPath: string; readOnly: boolean; shared: boolean}}> {
    const {argv, flags} = await this.parse(UpdateMount);
    const args = argv as string[];
    if (args.length !== 1) throw usageError(`Command updateMount takes 1 argument, not ${args.length}`);
    this.checkArgs('updateMount', args, {});
    const options = parseMountOptions(flags.option ?? []);
    const record = await (await this.fileSystem()).updateMount(args[0], {readOnly: flags.readonly, shared: flags.shared, options});
    this.log(`Updated mount point options at ${args[0]}`);
    return {updated: {alluxioPath: record.alluxioPath, readOnly: record.readOnly, shared: record.shared}};
  }
}

import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {countLines} from '../../cli/space-format.js';
import {totalsOf} from '../../fs/summaries.js';

export default class Count extends AlluxioCommand {
  static summary = 'Count the files and folders below a path, and the bytes of the files.';
  static description =
    'Adds up one recursive listing of the path (the path itself is not counted; a file counts as one file). ' +
    'Files only the worker cache holds count with their length.';
  static usageLine = 'fs count [-h] <path>';
  static usage = Count.usageLine;
  static examples = ['alluxio fs count /data', 'alluxio fs count -h /mnt/s3'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    human: Flags.boolean({char: 'h', description: 'Print the size in human-readable form.', default: false}),
  };

  async run(): Promise<{path: string; files: number; folders: number; bytes: number}> {
    const {argv, flags} = await this.parse(Count);
    const paths = argv as string[];
    this.checkArgs('count', paths, {exactly: 1});
    const {entries} = await (await this.fileSystem()).subtree(paths[0]);
    const {files, folders, bytes} = await totalsOf(entries);
    for (const line of countLines({files, folders, bytes}, flags.human)) this.log(line);
    return {path: paths[0], files, folders, bytes};
  }
}

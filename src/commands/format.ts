import {Flags} from '@oclif/core';
import {hostname} from 'node:os';
import {AlluxioCommand} from '../cli/base-command.js';
import {loginUser} from '../context.js';
import {usageError} from '../errors.js';
import {format} from '../fs/format.js';
import {workerHost} from '../meta/open.js';

export default class Format extends AlluxioCommand {
  static summary = 'Format the Alluxio metastore and worker cache.';
  static description =
    'Deletes all Alluxio metadata (mounts, permission changes, files not persisted) and the worker cache. Data in ' +
    'the under storage is never touched. With -s, formats only when ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS does not ' +
    'name an existing local folder or a non-local store.';
  static usageLine = 'format [-s]';
  static usage = Format.usageLine;
  static examples = ['alluxio format', 'alluxio format -s'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    'skip-if-set-up': Flags.boolean({
      char: 's',
      description: 'Format only when ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS names no existing local folder nor a non-local store.',
      default: false,
    }),
  };

  async run(): Promise<{formatted: boolean; journalFolder: string; workerFolders: string[]}> {
    const {argv, flags} = await this.parse(Format);
    // As Alluxio's script: nothing but one optional -s.
    const given = this.argv.filter((a) => a !== '--json' && a !== '--debug' && a !== '--no-color');
    if ((argv as string[]).length > 0 || given.length > 1) throw usageError('format takes no argument but an optional -s');
    const conf = this.conf();
    const result = await format(conf, process.env, flags['skip-if-set-up'], loginUser(conf));
    if (!result.formatted) return result;
    this.log(`Formatting Alluxio Worker @ ${workerHost(conf)}`);
    for (const folder of result.workerFolders) this.log(`Formatting Data path for tier 0:${folder}`);
    this.log(`Formatting Alluxio Master @ ${hostname()}`);
    this.log(`Formatting master journal: ${result.journalFolder}`);
    this.log('Formatting complete');
    return result;
  }
}

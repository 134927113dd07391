import {Flags} from '@oclif/core';
import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import type {LoadEvent} from '../../fs/load.js';

export default class Load extends AlluxioCommand {
  static summary = 'Load data into the worker cache.';
  static description =
    'Reads the file, or every file below the directory, from the under storage into the worker cache of this ' +
    'host, streamed. Files the cache holds already are not read again. --local is accepted: this host is the ' +
    'local worker.';
  static usageLine = 'fs load [--local] <path>';
  static usage = Load.usageLine;
  static examples = ['alluxio fs load /mnt/s3/data', 'alluxio fs load --local /mnt/s3/data/file'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {local: Flags.boolean({description: 'Load into the worker on this host (the only one).', default: false}), quiet: quietFlag};

  async run(): Promise<{loaded: LoadEvent[]}> {
    const {argv, flags} = await this.parse(Load);
    const args = argv as string[];
    this.checkArgs('load', args, {exactly: 1});
    // Only --json keeps the events: a folder of millions of files is loaded in bounded memory.
    const events: LoadEvent[] = [];
    const json = this.jsonEnabled();
    try {
      await this.forEachPath(args, (typed) =>
        withProgress(this, {label: 'load', unit: 'bytes', quiet: flags.quiet}, async (progress) => {
          for await (const event of (await this.fileSystem()).load(typed, progress)) {
            if (json) events.push(event);
            // Alluxio echoes the path as typed, and the paths it found below it as they are.
            const path = event.top ? typed : event.path;
            this.log(event.loaded ? `${path} loaded` : `${path} already in Alluxio fully`);
          }
        }),
      );
    } catch (e) {
      // What the matches that succeeded loaded is on stdout, then the error.
      if (json && events.length > 0) process.stdout.write(JSON.stringify({loaded: events}) + '\n');
      throw e;
    }
    return {loaded: events};
  }
}

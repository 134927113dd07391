import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';

export default class Persist extends AlluxioCommand {
  static summary = 'Persist files that only Alluxio holds to the under storage.';
  static description = 'Uploads every NOT_PERSISTED or TO_BE_PERSISTED file at or below the given paths.';
  static usageLine = 'fs persist [-p|--parallelism <#>] [-t|--timeout <milliseconds>] [-w|--wait <milliseconds>] <path> [<path> ...]';
  static usage = Persist.usageLine;
  static examples = ['alluxio fs persist /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    parallelism: Flags.integer({char: 'p', description: 'Accepted for compatibility: files are persisted in order.', default: 4}),
    timeout: Flags.integer({char: 't', description: 'Accepted for compatibility.', default: 1_200_000}),
    wait: Flags.integer({char: 'w', description: 'Accepted for compatibility.', default: 0}),
  };

  async run(): Promise<{persisted: string[]; failed: string[]}> {
    const {argv} = await this.parse(Persist);
    const args = argv as string[];
    this.checkArgs('persist', args, {atLeast: 1});
    const fs = this.fileSystem();
    const files: string[] = [];
    for (const path of args) files.push(...(await fs.filesToPersist(path)));
    this.log(`Found ${files.length} files to persist.`);
    const persisted: string[] = [];
    const failed: string[] = [];
    for (const file of files) {
      try {
        await fs.persist(file);
        persisted.push(file);
        this.log(`(${persisted.length}/${files.length}) Successfully persisted file: ${file}`);
      } catch (e) {
        failed.push(file);
        this.warnLine(`Failed to persist file ${file}: ${(e as Error).message}`);
      }
    }
    if (failed.length > 0) process.exitCode = 255;
    return {persisted, failed};
  }
}

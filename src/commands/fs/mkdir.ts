import {AlluxioCommand} from '../../cli/base-command.js';

export default class Mkdir extends AlluxioCommand {
  static summary = 'Create directories, with any missing parents.';
  static description =
    'Creates the given directories in Alluxio. With write type THROUGH or CACHE_THROUGH they are created in the ' +
    'under storage at once; otherwise (as in Alluxio) when a file below them is persisted.';
  static usageLine = 'fs mkdir <path1> [path2] ... [pathn]';
  static usage = Mkdir.usageLine;
  static examples = ['alluxio fs mkdir /data/in /data/out'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{created: string[]}> {
    const {argv} = await this.parse(Mkdir);
    const paths = argv as string[];
    this.checkArgs('mkdir', paths, {atLeast: 1});
    const fs = await this.fileSystem();
    const created: string[] = [];
    try {
      for (const path of paths) {
        await fs.mkdir(path, {recursive: true});
        created.push(path);
        this.log(`Successfully created directory ${path}`);
      }
    } catch (e) {
      // As the successes of a multi-path command: what was created before the failure is on stdout, then the error.
      if (this.jsonEnabled() && created.length > 0) process.stdout.write(JSON.stringify({created}) + '\n');
      throw e;
    }
    return {created};
  }
}

import {AlluxioCommand} from '../cli/base-command.js';

export default class Version extends AlluxioCommand {
  static summary = 'Print the version.';
  static usageLine = 'version';
  static usage = Version.usageLine;
  static enableJsonFlag = true;
  static usesContext = false;

  async run(): Promise<{version: string}> {
    await this.parse(Version);
    this.log(this.config.version);
    return {version: this.config.version};
  }
}

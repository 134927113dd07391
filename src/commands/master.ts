import {AlluxioCommand} from '../cli/base-command.js';
import {runMaster} from '../master/daemon.js';

export default class Master extends AlluxioCommand {
  static summary = 'Run the master (web UI and leader jobs) in the foreground.';
  static description =
    'What alluxio-start.sh launches in the background; run it directly under a service manager such as systemd. ' +
    'Logs to ${alluxio.logs.dir}/master.log; SIGTERM or SIGINT stops it cleanly.';
  static usageLine = 'master';
  static usage = Master.usageLine;
  static examples = ['alluxio master'];

  async run(): Promise<void> {
    await this.parse(Master);
    await runMaster(this.conf(), this.config.version);
  }

  protected async catch(err: Error & {exitCode?: number}): Promise<void> {
    await super.catch(err);
    // As a Java process that fails to start: exit status 1, whatever the error.
    if (process.exitCode) process.exitCode = 1;
  }
}

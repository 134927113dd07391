import {AlluxioCommand} from '../cli/base-command.js';
import {parseStopArgs} from '../master/start-args.js';
import {runScript} from '../master/script-io.js';
import {stopMaster} from '../master/stop.js';

export default class Stop extends AlluxioCommand {
  static summary = 'Stop the master: what bin/alluxio-stop.sh runs.';
  static description =
    'Takes alluxio-stop.sh\'s command line: [-h] COMPONENT [-s], COMPONENT being local, master or all. Sends the ' +
    'master SIGTERM and waits for it to end (SIGKILL after 120 s unless -s). Prints nothing when no master runs. ' +
    'Run "alluxio stop -h" for the full usage.';
  static usageLine = 'stop [-h] COMPONENT [-s]';
  static usage = Stop.usageLine;
  static examples = ['alluxio stop local'];
  static strict = false;

  async run(): Promise<void> {
    // Not this.parse(): oclif would refuse the scripts' single-letter flags; --debug and --no-color are read by the
    // base class and the colour module.
    const parsed = parseStopArgs(this.argv.filter((a) => a !== '--debug' && a !== '--no-color'));
    await runScript(parsed, (options, io) => stopMaster(this.conf(), {soft: options.soft}, io));
  }
}

import {AlluxioCommand} from '../cli/base-command.js';
import {startMaster} from '../master/launcher.js';
import {parseStartArgs} from '../master/start-args.js';
import {runScript} from '../master/script-io.js';

export default class Start extends AlluxioCommand {
  static summary = 'Start the master (web UI and leader jobs): what bin/alluxio-start.sh runs.';
  static description =
    'Takes alluxio-start.sh\'s command line: [-hNwa] ACTION [MOPT] [-f], ACTION being local, master or all (one ' +
    'process on one host). Stops a running master first unless -N, formats first with -f, launches the master ' +
    'detached (output in ${alluxio.logs.dir}/master.out) and, unless -a, waits until it serves requests; with -w ' +
    'it then waits until the master exits (status 0 when it was stopped cleanly). Run ' +
    '"alluxio start -h" for the full usage.';
  static usageLine = 'start [-hNwa] ACTION [MOPT] [-f]';
  static usage = Start.usageLine;
  static examples = ['alluxio start local', 'alluxio start -a master'];
  static strict = false;

  async run(): Promise<void> {
    // Not this.parse(): oclif would refuse the scripts' single-letter flags; --debug and --no-color are read by the
    // base class and the colour module (Alluxio's script refuses both, so taking them breaks none of its lines).
    const parsed = parseStartArgs(this.argv.filter((a) => a !== '--debug' && a !== '--no-color'));
    await runScript(parsed, (options, io) => startMaster(this.conf(), {...options, debug: this.argv.includes('--debug')}, io));
  }
}

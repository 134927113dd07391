import {AlluxioCommand} from '../../cli/base-command.js';
import {formatFsHelp, fsCommandsOf} from '../../cli/fs-usage.js';
import {unknownCommandMessage} from '../../cli/unknown-command.js';
import {usageError} from '../../errors.js';

export default class Help extends AlluxioCommand {
  static summary = 'Print the usage of every fs command, or of one.';
  static description = 'Prints the usage information for the given command, or for every command.';
  static usageLine = 'fs help [<command>]';
  static usage = Help.usageLine;
  static examples = ['alluxio fs help', 'alluxio fs help rm'];
  static strict = false;
  static usesContext = false;

  async run(): Promise<void> {
    const {argv} = await this.parse(Help);
    const args = argv as string[];
    this.checkArgs('help', args, {atMost: 1});
    const all = fsCommandsOf(this.config);
    const commands = args.length === 1 ? all.filter((c) => c.name === args[0]) : all;
    if (commands.length === 0) throw usageError(unknownCommandMessage(args[0], all.map((c) => c.name)));
    for (const line of formatFsHelp(commands)) this.logRaw(line);
  }
}

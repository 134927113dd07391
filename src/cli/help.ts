import {type Command, Help} from '@oclif/core';

/** A command that prints its own help, as the Alluxio tool it stands for does (runUfsIOTest). */
interface OwnHelp {
  helpLines(): string[];
}

function hasOwnHelp(c: unknown): c is OwnHelp {
  return typeof (c as Partial<OwnHelp>).helpLines === 'function';
}

/** oclif's help, except for commands whose Alluxio counterpart has a help layout of its own. */
export default class AlluxioHelp extends Help {
  async showCommandHelp(command: Command.Loadable): Promise<void> {
    const loaded = await command.load();
    if (hasOwnHelp(loaded)) {
      for (const line of loaded.helpLines()) this.log(line);
      return;
    }
    await super.showCommandHelp(command);
  }
}

import type {Hook} from '@oclif/core';

/** Alluxio's shell: `<cmd> is an unknown command.`, then a pointer to the list of commands; exit 255. */
const hook: Hook<'command_not_found'> = async function (options) {
  const name = options.id.split(':').pop() ?? options.id;
  process.stderr.write(`${name} is an unknown command.\nHint: Run "alluxio --help" or "alluxio fs --help" for the list of commands.\n`);
  process.exitCode = 255;
};

export default hook;

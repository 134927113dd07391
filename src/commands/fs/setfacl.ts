import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {parseSetfacl} from '../../security/acl.js';

export default class Setfacl extends AlluxioCommand {
  static summary = 'Sets the access control list (ACL) for a path.';
  static description =
    'Changes ACL entries, in Alluxio only: the under storage is never written. Entries are comma-separated ' +
    '[default:]user|group|mask|other:[name]:rwx (-x takes them without permissions). Only the owner or a superuser ' +
    'may do it. Prints nothing on success.';
  static usageLine = 'fs setfacl [-d] [-R] [--set | -m | -x <acl_entries> <path>] | [-b | -k <path>]';
  static usage = Setfacl.usageLine;
  static examples = [
    'alluxio fs setfacl -m user:bob:r-x /data',
    'alluxio fs setfacl -R -m group:analysts:r-x,mask::r-x /data',
    'alluxio fs setfacl -d -m user:bob:rwx /data',
    'alluxio fs setfacl --set user::rwx,group::r-x,other::---,user:bob:r-- /data/file',
    'alluxio fs setfacl -x user:bob /data',
    'alluxio fs setfacl -b /data',
  ];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    default: Flags.boolean({char: 'd', description: 'Operations apply to the default ACL', default: false}),
    recursive: Flags.boolean({char: 'R', description: 'Apply to all files and directories recursively', default: false}),
    set: Flags.string({
      description:
        'Fully replace the ACL while discarding existing entries. New ACL must be a comma separated list of entries, ' +
        'and must include user, group, and other for compatibility with permission bits.',
    }),
    modify: Flags.string({char: 'm', description: 'Modify the ACL by adding/overwriting new entries.'}),
    remove: Flags.string({char: 'x', description: 'Removes specified ACL entries.'}),
    'remove-all': Flags.boolean({char: 'b', description: 'Removes all of the ACL entries, except for the base entries.', default: false}),
    'remove-default': Flags.boolean({
      char: 'k',
      description: 'Remove the default acl. If no default acl exists, no warnings are given.',
      default: false,
    }),
  };

  async run(): Promise<{path: string} | {path: string}[]> {
    const {argv, flags} = await this.parse(Setfacl);
    const args = argv as string[];
    this.checkArgs('setfacl', args, {exactly: 1});
    const request = parseSetfacl({
      set: flags.set,
      modify: flags.modify,
      remove: flags.remove,
      removeAll: flags['remove-all'],
      removeDefault: flags['remove-default'],
      toDefault: flags.default,
    });
    const results = await this.forEachPath(args, async (path) => {
      await (await this.fileSystem()).setAcl(path, request, flags.recursive);
      return {path};
    });
    return this.perPathJson(args, results);
  }
}

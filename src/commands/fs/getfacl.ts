import {AlluxioCommand} from '../../cli/base-command.js';
import type {AclView} from '../../fs/acl.js';

export default class Getfacl extends AlluxioCommand {
  static summary = 'Displays the access control lists (ACLs) for a path.';
  static description =
    'Prints the owner, the group and the ACL entries of a path: user::, group:: and other:: (its mode), then named ' +
    'users, named groups and the mask when setfacl added some, then the default ACL of a directory that has one.';
  static usageLine = 'fs getfacl <path>';
  static usage = Getfacl.usageLine;
  static examples = ['alluxio fs getfacl /data'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<AclView | AclView[]> {
    const {argv} = await this.parse(Getfacl);
    const args = argv as string[];
    this.checkArgs('getfacl', args, {exactly: 1});
    const results = await this.forEachPath(args, async (path) => {
      const view = await (await this.fileSystem()).getAcl(path);
      this.log(`# file: ${path}`);
      this.log(`# owner: ${view.owner}`);
      this.log(`# group: ${view.group}`);
      for (const entry of [...view.entries, ...view.defaultEntries]) this.log(entry);
      return view;
    });
    return this.perPathJson(args, results);
  }
}

/** The login user of this client, as Alluxio's SIMPLE authentication resolves it (the claimed name is trusted). */
import {OsAccounts, currentOsUser, groupsOf} from './os-accounts.js';

export interface LoginUser {
  name: string;
  /** Primary group first; [] when the OS does not know the user. */
  groups: string[];
  /** '' when the OS does not know the user. */
  primaryGroup: string;
}

type Accounts = Pick<OsAccounts, 'currentOsUser' | 'groupsOf'>;

const system: Accounts = {currentOsUser, groupsOf};

/** `alluxio.security.login.username` when set, else the OS user; groups come from the OS for that name. */
export function resolveLoginUser(conf: {username?: string}, accounts: Accounts = system): LoginUser {
  const name = conf.username || accounts.currentOsUser();
  const groups = accounts.groupsOf(name);
  return {name, groups, primaryGroup: groups[0] ?? ''};
}

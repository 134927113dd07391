import type {FileStatus} from '../fs/types.js';
import {accessEntryStrings, defaultEntryStrings} from '../security/acl.js';

/** A status as `ls`/`stat --json` print it: an ACL as getfacl's entry strings, never the metastore's record. */
export function statusJson(status: FileStatus): Omit<FileStatus, 'acl'> & {aclEntries?: string[]; defaultAclEntries?: string[]} {
  const {acl, ...rest} = status;
  if (!acl) return rest;
  const defaults = defaultEntryStrings(acl);
  return {
    ...rest,
    aclEntries: accessEntryStrings({mode: status.mode, acl}),
    ...(defaults.length > 0 ? {defaultAclEntries: defaults} : {}),
  };
}

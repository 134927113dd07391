import {configurationError} from '../../errors.js';

/** Owner, group and mode that an object store gives everything under a mount. */
export interface Triple {
  owner: string;
  group: string;
  mode: number;
}

export interface AclGrant {
  permission?: string;
  granteeId?: string;
  granteeUri?: string;
}

const EVERYONE = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];
const BITS: Record<string, number> = {READ: 0o500, WRITE: 0o200, FULL_CONTROL: 0o700};

/**
 * Alluxio's rule for the mode of an S3 mount: the union of the bits of every bucket grant to the caller's canonical
 * id or to everyone (AllUsers, AuthenticatedUsers). READ gives r-x, WRITE -w-, FULL_CONTROL rwx; the ACL grants
 * (READ_ACP, WRITE_ACP) give nothing, and no matching grant gives 0000. Bucket policies and IAM are not consulted.
 */
export function modeFromBucketAcl(grants: readonly AclGrant[], ownerId: string): number {
  let mode = 0;
  for (const grant of grants) {
    const matches = (grant.granteeId !== undefined && grant.granteeId === ownerId) || EVERYONE.includes(grant.granteeUri ?? '');
    if (matches) mode |= BITS[grant.permission ?? ''] ?? 0;
  }
  return mode;
}

/** `alluxio.underfs.s3.owner.id.to.username.mapping`: "id1=user1;id2=user2". */
export function parseOwnerMapping(text: string | undefined): Map<string, string> {
  const mapping = new Map<string, string>();
  if (!text) return mapping;
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split('=');
    if (parts.length !== 2 || parts[0].trim() === '' || parts[1].trim() === '') {
      throw configurationError(
        `Invalid entry "${entry}" in alluxio.underfs.s3.owner.id.to.username.mapping`,
        'Write it as canonicalId1=user1;canonicalId2=user2.',
      );
    }
    const id = parts[0].trim();
    if (mapping.has(id)) {
      throw configurationError(`Canonical id ${id} appears twice in alluxio.underfs.s3.owner.id.to.username.mapping`);
    }
    mapping.set(id, parts[1].trim());
  }
  return mapping;
}

/** The user name of the account: mapped by canonical id, else the display name, else the canonical id. */
export function ownerName(id: string, displayName: string | undefined, mapping: Map<string, string>): string {
  return mapping.get(id) || displayName || id;
}

import {GetBucketAclCommand, ListBucketsCommand, type S3Client} from '@aws-sdk/client-s3';
import {type Triple, modeFromBucketAcl, ownerName, parseOwnerMapping} from './acl.js';

export interface BucketPermissions extends Triple {
  canonicalId: string;
}

/**
 * Who the caller is (ListBuckets gives the account's canonical id and display name) and what the bucket ACL grants
 * it, turned into owner, group and mode by Alluxio's rules. `progress.operation` names the request under way, so a
 * failure can say which one was refused.
 */
export async function readBucketPermissions(
  client: S3Client,
  bucket: string,
  ownerMapping: string | undefined,
  progress: {operation: string} = {operation: ''},
): Promise<BucketPermissions> {
  const mapping = parseOwnerMapping(ownerMapping);
  progress.operation = 'ListBuckets';
  const account = await client.send(new ListBucketsCommand({}));
  const id = account.Owner?.ID ?? '';
  progress.operation = 'GetBucketAcl';
  const acl = await client.send(new GetBucketAclCommand({Bucket: bucket}));
  const grants = (acl.Grants ?? []).map((g) => ({permission: g.Permission, granteeId: g.Grantee?.ID, granteeUri: g.Grantee?.URI}));
  const owner = ownerName(id, account.Owner?.DisplayName, mapping);
  return {owner, group: owner, mode: modeFromBucketAcl(grants, id), canonicalId: id};
}

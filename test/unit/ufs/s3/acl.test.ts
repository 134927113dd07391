import {describe, expect, it} from 'vitest';

import {modeFromBucketAcl, ownerName, parseOwnerMapping} from '../../../../src/ufs/s3/acl.js';

const USER = '123456789012';
const OTHER = '987654321098';
const ALL = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const grant = (permission: string, granteeId?: string, granteeUri?: string) => ({permission, granteeId, granteeUri});

describe('modeFromBucketAcl', () => {
  it('READ gives r-x to the grantee only; READ_ACP adds nothing', () => {
    expect(modeFromBucketAcl([grant('READ', USER)], USER)).toBe(0o500);
    expect(modeFromBucketAcl([grant('READ', USER)], OTHER)).toBe(0);
    expect(modeFromBucketAcl([grant('READ', USER), grant('READ_ACP', USER)], USER)).toBe(0o500);
  });

  it('WRITE gives -w-, READ and WRITE together rwx, FULL_CONTROL rwx', () => {
    expect(modeFromBucketAcl([grant('WRITE', USER)], USER)).toBe(0o200);
    expect(modeFromBucketAcl([grant('WRITE', USER), grant('READ', USER)], USER)).toBe(0o700);
    expect(modeFromBucketAcl([grant('FULL_CONTROL', USER)], USER)).toBe(0o700);
    expect(modeFromBucketAcl([grant('FULL_CONTROL', USER)], OTHER)).toBe(0);
  });

  it('AllUsers and AuthenticatedUsers grants count for any id', () => {
    for (const uri of [ALL, AUTH]) {
      expect(modeFromBucketAcl([grant('READ', undefined, uri)], OTHER)).toBe(0o500);
      expect(modeFromBucketAcl([grant('WRITE', undefined, uri)], OTHER)).toBe(0o200);
      expect(modeFromBucketAcl([grant('FULL_CONTROL', undefined, uri)], OTHER)).toBe(0o700);
    }
  });

  it('a grantee without an id never matches, and no matching grant gives 0000', () => {
    expect(modeFromBucketAcl([grant('FULL_CONTROL')], USER)).toBe(0);
    expect(modeFromBucketAcl([], USER)).toBe(0);
  });
});

describe('owner names', () => {
  it('maps canonical ids, else uses the display name, else the id', () => {
    const mapping = parseOwnerMapping(' 111=altname ; 222=bob;');
    expect(ownerName('111', 'test', mapping)).toBe('altname');
    expect(ownerName('0', 'test', mapping)).toBe('test');
    expect(ownerName('0', undefined, mapping)).toBe('0');
  });

  it('rejects malformed entries and duplicate ids with the key named', () => {
    expect(() => parseOwnerMapping('111')).toThrow('Invalid entry "111" in alluxio.underfs.s3.owner.id.to.username.mapping');
    expect(() => parseOwnerMapping('1=a=b')).toThrow('Invalid entry "1=a=b"');
    expect(() => parseOwnerMapping('1=a;1=b')).toThrow('Canonical id 1 appears twice');
  });
});

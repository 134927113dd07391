import {describe, expect, it} from 'vitest';

import {createUnderFileSystem, normalizeUfsUri, toLocalPath, ufsJoin} from '../../../src/ufs/factory.js';

describe('createUnderFileSystem', () => {
  it('gives the local UFS for absolute paths and file:// URIs', async () => {
    expect((await createUnderFileSystem('/data/x', {})).type).toBe('local');
    expect((await createUnderFileSystem('file:///data/x', {})).isObjectStore).toBe(false);
  });

  it('says S3 is not available yet', async () => {
    for (const uri of ['s3://bucket/dir', 's3a://bucket/']) {
      await expect(createUnderFileSystem(uri, {})).rejects.toMatchObject({
        kind: 'INVALID_ARGUMENT',
        message: 'The S3 under file system is not available in this build yet',
      });
    }
  });

  it('refuses other schemes and relative paths', async () => {
    for (const uri of ['hdfs://nn:9000/x', 's3n://b/x', 'data/x', 'file://host/x']) {
      await expect(createUnderFileSystem(uri, {})).rejects.toMatchObject({kind: 'INVALID_ARGUMENT'});
    }
    await expect(createUnderFileSystem('hdfs://nn/x', {})).rejects.toThrow(
      'Unsupported under file system URI hdfs://nn/x: use an absolute local path, file:///path, or s3://bucket/dir',
    );
  });
});

describe('URIs', () => {
  it('normalizes', () => {
    expect(normalizeUfsUri('/data//x/')).toBe('/data/x');
    expect(normalizeUfsUri('/')).toBe('/');
    expect(normalizeUfsUri('file:///data/x/')).toBe('file:///data/x');
    expect(normalizeUfsUri('file:///')).toBe('file:///');
    expect(normalizeUfsUri('s3://b')).toBe('s3://b/');
    expect(normalizeUfsUri('s3://b/')).toBe('s3://b/');
    expect(normalizeUfsUri('s3://b//dir//sub/')).toBe('s3://b/dir/sub');
  });

  it('joins a root with a relative path', () => {
    expect(ufsJoin('/x', 'a/b')).toBe('/x/a/b');
    expect(ufsJoin('/', '/a')).toBe('/a');
    expect(ufsJoin('file:///x/', '/a//b/')).toBe('file:///x/a/b');
    expect(ufsJoin('s3://b/', 'a')).toBe('s3://b/a');
    expect(ufsJoin('s3://b/dir', 'a')).toBe('s3://b/dir/a');
    expect(ufsJoin('s3://b/dir', '')).toBe('s3://b/dir');
    expect(ufsJoin('s3://b', '/')).toBe('s3://b/');
  });

  it('turns file URIs into local paths', () => {
    expect(toLocalPath('file:///data/x/')).toBe('/data/x');
    expect(toLocalPath('file://localhost/data')).toBe('/data');
    expect(toLocalPath('/a//b')).toBe('/a/b');
    expect(toLocalPath('file:///')).toBe('/');
    expect(() => toLocalPath('s3://b/x')).toThrow('not an absolute local path');
  });
});

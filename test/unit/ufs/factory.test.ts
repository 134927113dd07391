import {describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {createUnderFileSystem, normalizeUfsUri, toLocalPath, ufsJoin} from '../../../src/ufs/factory.js';

const conf = new Configuration();
const context = {readOnly: false, warn: () => undefined};

describe('createUnderFileSystem', () => {
  it('gives the local UFS for absolute paths and file:// URIs', async () => {
    expect((await createUnderFileSystem('/data/x', conf, context)).type).toBe('local');
    expect((await createUnderFileSystem('file:///data/x', conf, context)).isObjectStore).toBe(false);
  });

  it('gives the S3 UFS for s3:// and s3a:// URIs, and checks the bucket name', async () => {
    const env = {...process.env};
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE0001';
    process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-secret';
    try {
      for (const uri of ['s3://bucket/dir', 's3a://bucket/']) {
        const ufs = await createUnderFileSystem(uri, conf, {...context, triple: {owner: 'o', group: 'g', mode: 0o700}});
        expect(ufs).toMatchObject({type: 's3', isObjectStore: true});
        await ufs.close();
      }
      await expect(createUnderFileSystem('s3:///dir', conf, context)).rejects.toThrow('s3:///dir has no bucket name');
    } finally {
      process.env = env;
    }
  });

  it('refuses other schemes and relative paths', async () => {
    for (const uri of ['hdfs://nn:9000/x', 's3n://b/x', 'data/x', 'file://host/x']) {
      await expect(createUnderFileSystem(uri, conf, context)).rejects.toMatchObject({kind: 'INVALID_ARGUMENT'});
    }
    await expect(createUnderFileSystem('hdfs://nn/x', conf, context)).rejects.toThrow(
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

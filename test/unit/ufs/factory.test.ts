import {describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {
  createUnderFileSystem,
  isLocalUri,
  isObjectStoreUri,
  normalizeUfsUri,
  storeRoot,
  toLocalPath,
  ufsContains,
  ufsJoin,
} from '../../../src/ufs/factory.js';

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

  it('tells local paths and object stores by their scheme', () => {
    for (const uri of ['/data', 'file:///data', 'file://localhost/data']) {
      expect([isLocalUri(uri), isObjectStoreUri(uri)]).toEqual([true, false]);
    }
    for (const uri of ['s3://b/x', 'S3A://b', 's3a://b/']) expect([isLocalUri(uri), isObjectStoreUri(uri)]).toEqual([false, true]);
    for (const uri of ['data/x', 'hdfs://nn/x', 's3:b', 'FILE:///x']) expect([isLocalUri(uri), isObjectStoreUri(uri)]).toEqual([false, false]);
  });

  it('finds the root of the store holding a URI', () => {
    expect(storeRoot('/data/x')).toBe('/');
    expect(storeRoot('file:///data/x')).toBe('file:///');
    expect(storeRoot('s3://bucket/dir/x')).toBe('s3://bucket/');
    expect(storeRoot('s3://bucket')).toBe('s3://bucket/');
  });

  it('tells whether a URI is at or under another, within one store', () => {
    expect(ufsContains('s3://b/dir', 's3://b/dir')).toBe(true);
    expect(ufsContains('s3://b/dir', 's3://b/dir/x')).toBe(true);
    expect(ufsContains('s3://b/', 's3://b/dir')).toBe(true);
    expect(ufsContains('s3://b//dir/', 's3://b/dir/x')).toBe(true);
    expect(ufsContains('s3://b/dir', 's3://b/directory')).toBe(false);
    expect(ufsContains('s3://b/dir/x', 's3://b/dir')).toBe(false);
    expect(ufsContains('s3://b/dir', 's3a://b/dir/x')).toBe(false);
    expect(ufsContains('s3://b', 's3://bb/x')).toBe(false);
    expect(ufsContains('/data', 'file:///data/x')).toBe(true);
    expect(ufsContains('file:///data', '/data')).toBe(true);
    expect(ufsContains('/', '/data')).toBe(true);
    expect(ufsContains('/data', 's3://data/x')).toBe(false);
    expect(ufsContains('file://host/data', '/data/x')).toBe(false);
  });
});

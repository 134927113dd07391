import {describe, expect, it} from 'vitest';

import {KnownKeys, parentKey} from '../../../../src/ufs/s3/known-keys.js';

const object = (key: string, size = 1) => ({key, size, etag: `"${key}"`});

describe('parentKey', () => {
  it('names the directory holding a key or a marker, "" at the top, nothing above the bucket', () => {
    expect(parentKey('a/b/c')).toBe('a/b');
    expect(parentKey('a/b/c/')).toBe('a/b/c');
    expect(parentKey('a')).toBe('');
    expect(parentKey('')).toBeUndefined();
  });
});

describe('KnownKeys', () => {
  it('knows nothing at first', () => {
    const known = new KnownKeys();
    expect(known.object('a/b')).toBeUndefined();
    expect(known.hasKeysBelow('a')).toBeUndefined();
  });

  it('an object found means every directory above it has keys below; an absent one says nothing of them', () => {
    const known = new KnownKeys();
    known.sawObject('a/b/c', object('a/b/c'));
    expect(known.object('a/b/c')).toEqual(object('a/b/c'));
    expect(known.hasKeysBelow('a/b')).toBe(true);
    expect(known.hasKeysBelow('a')).toBe(true);
    expect(known.hasKeysBelow('')).toBe(true);
    // a file and a directory of one name may both exist in S3: the name "a" as an object stays unknown
    expect(known.object('a')).toBeUndefined();

    known.sawObject('x/y', null);
    expect(known.object('x/y')).toBeNull();
    expect(known.hasKeysBelow('x')).toBeUndefined();
  });

  it('nothing below a directory: no object and no directory below it, at any depth', () => {
    const known = new KnownKeys();
    known.sawKeysBelow('d', false);
    expect(known.object('d/f')).toBeNull();
    expect(known.object('d/e/f')).toBeNull();
    expect(known.object('d/')).toBeNull();
    expect(known.hasKeysBelow('d/e')).toBe(false);
    // the name "d" itself may still be an object
    expect(known.object('d')).toBeUndefined();
  });

  it('a complete listing: children it named are known, others are absent, grandchildren stay unknown', () => {
    const known = new KnownKeys();
    known.sawObject('d/', object('d/', 0));
    known.sawObject('d/f', object('d/f'));
    known.sawKeysBelow('d/sub', true);
    known.sawCompleteListing('d');
    expect(known.object('d/f')).toEqual(object('d/f'));
    expect(known.object('d/g')).toBeNull();
    expect(known.hasKeysBelow('d/other')).toBe(false);
    expect(known.object('d/other/x')).toBeNull();
    expect(known.hasKeysBelow('d/sub')).toBe(true);
    expect(known.object('d/sub/x')).toBeUndefined();
    expect(known.object('d/sub/')).toBeUndefined();
    // the marker is a key of the listed prefix itself
    expect(known.object('d/')).toEqual(object('d/', 0));
  });

  it('writes into a directory known to be empty keep it fully known', () => {
    const known = new KnownKeys();
    known.sawKeysBelow('new', false);
    known.wrote('new/', object('new/', 0));
    known.wrote('new/a', object('new/a'));
    expect(known.hasKeysBelow('new')).toBe(true);
    expect(known.object('new/a')).toEqual(object('new/a'));
    // still known absent: the directory held nothing but what this command wrote
    expect(known.object('new/b')).toBeNull();
    expect(known.hasKeysBelow('new/c')).toBe(false);
  });

  it('a deleted key is absent, and directories above it may be empty now', () => {
    const known = new KnownKeys();
    known.sawObject('a/b/c', object('a/b/c'));
    known.deleted('a/b/c');
    expect(known.object('a/b/c')).toBeNull();
    expect(known.hasKeysBelow('a/b')).toBeUndefined();
    expect(known.hasKeysBelow('a')).toBeUndefined();
  });

  it('a deleted directory holds nothing, whatever was known below it before', () => {
    const known = new KnownKeys();
    known.sawObject('t/x/y', object('t/x/y'));
    known.sawCompleteListing('t/x');
    known.deletedBelow('t');
    expect(known.object('t/x/y')).toBeNull();
    expect(known.hasKeysBelow('t/x')).toBe(false);
    expect(known.hasKeysBelow('t')).toBe(false);
    expect(known.hasKeysBelow('')).toBeUndefined();
  });

  it('a forgotten tree is unknown again, even below a complete listing', () => {
    const known = new KnownKeys();
    known.sawCompleteListing('p');
    known.sawObject('p/q/r', object('p/q/r'));
    known.forgetBelow('p/q');
    expect(known.object('p/q/r')).toBeUndefined();
    expect(known.hasKeysBelow('p/q')).toBeUndefined();
    // siblings keep what the listing of p said
    expect(known.hasKeysBelow('p/s')).toBe(false);
  });

  it('starts over rather than grow without bound', () => {
    const known = new KnownKeys();
    known.sawObject('first', object('first'));
    for (let i = 0; i < 200_001; i++) known.sawObject(`k${i}`, null);
    expect(known.object('first')).toBeUndefined();
  });
});

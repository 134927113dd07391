/**
 * Alluxio's wildcards (alluxio-shell-facts.md §2): what makes a pattern, the regex it becomes (only `. + ^ $ *`
 * escaped, the rest raw regex syntax), and the expansion over a real FileSystem on the local UFS and over local
 * folders (copyFromLocal sources).
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {PathPattern, expandLocalPath, expandPath, isPattern} from '../../../src/fs/wildcards.js';
import {type FsFolders, type OpenedFs, errorOf, makeFolders, openFs, removeFolders} from '../../helpers/unit-fs.js';

const matches = (pattern: string, path: string) => new PathPattern(pattern).matches(path);

describe('isPattern', () => {
  it('is true only for a * in the path part', () => {
    expect(isPattern('/d/*')).toBe(true);
    expect(isPattern('/d/a*b/c')).toBe(true);
    expect(isPattern('alluxio://host:19998/d/*.txt')).toBe(true);
    for (const plain of ['/d/q?m', '/d/[ab]', '/d/x{2}', '/d/(a|b)', '/d/a.b', 'alluxio://h*st:1/d']) expect(isPattern(plain), plain).toBe(false);
  });
});

describe('PathPattern', () => {
  it('escapes . + ^ $: they match themselves', () => {
    expect(matches('/d/*.txt', '/d/a.txt')).toBe(true);
    expect(matches('/d/*.txt', '/d/atxt')).toBe(false);
    expect(matches('/d/a+b*', '/d/a+b')).toBe(true);
    expect(matches('/d/a+b*', '/d/aab')).toBe(false);
    expect(matches('/d/p$q*', '/d/p$q')).toBe(true);
    expect(matches('/d/^hat*', '/d/^hat')).toBe(true);
    expect(matches('/d/sp ace*', '/d/sp ace')).toBe(true);
  });

  it('leaves ( [ { ? | as regex syntax: they match themselves only escaped', () => {
    expect(matches('/d/x(1).txt*', '/d/x1.txt')).toBe(true);
    expect(matches('/d/x(1).txt*', '/d/x(1).txt')).toBe(false);
    expect(matches('/d/x\\(1\\).txt*', '/d/x(1).txt')).toBe(true);
    expect(matches('/d/[sq]*', '/d/s1')).toBe(true);
    expect(matches('/d/[sq]*', '/d/[sq]')).toBe(false);
    expect(matches('/d/\\[sq]*', '/d/[sq]')).toBe(true);
    expect(matches('/d/x{2}*', '/d/xxy')).toBe(true);
    expect(matches('/d/x{2}*', '/d/x{2}')).toBe(false);
    expect(matches('/d/q?m*', '/d/m1')).toBe(true);
    expect(matches('/d/q?m*', '/d/q?m')).toBe(false);
    expect(matches('/d/q\\?m*', '/d/q?m')).toBe(true);
    expect(matches('/d/(a|b)*', '/d/b2')).toBe(true);
  });

  it('matches the whole path, and .* crosses /', () => {
    expect(matches('/d/a*', '/x/d/a')).toBe(false);
    expect(matches('/d/a*', '/d/ab/c')).toBe(true);
    expect(matches('/*c', '/a/b/c')).toBe(true);
  });

  it('matches escaped forms as Alluxio does: a name holding %2E matches a dot in the pattern', () => {
    expect(matches('/d/a.b*', '/d/a%2Eb')).toBe(true);
  });

  it('starts at the parent of the part up to the first *', () => {
    expect(new PathPattern('/a/b*/c*').start).toBe('/a');
    expect(new PathPattern('/a*').start).toBe('/');
    expect(new PathPattern('/*').start).toBe('/');
    expect(new PathPattern('/a/b/*').start).toBe('/a/b');
    expect(new PathPattern('alluxio://h:1//a//b*/').start).toBe('/a');
  });

  it('refuses an invalid regex with one usage line', async () => {
    const error = await errorOf(async () => matches('/d/x(1*', '/d/x'));
    expect(error.kind).toBe('USAGE');
    expect(error.message).toBe('Invalid wildcard pattern /d/x(1*: Unterminated group');
    expect((await errorOf(async () => matches('/d/a)(*', '/d/a'))).kind).toBe('USAGE');
  });
});

describe('expandPath on the local UFS', () => {
  let folders: FsFolders;
  let opened: OpenedFs;
  const file = (rel: string) => {
    mkdirSync(join(folders.ufs, rel, '..'), {recursive: true});
    writeFileSync(join(folders.ufs, rel), rel);
  };

  beforeEach(async () => {
    folders = await makeFolders('fs-wildcards-');
    opened = await openFs(folders);
    for (const rel of ['d/b.txt', 'd/a.txt', 'd/x(1).txt', 'd/q?m', 'd/sub/deep.txt', 'a/b/c', 'ab/c', 'abc']) file(rel);
  });
  afterEach(async () => {
    await opened.store.close();
    await removeFolders(folders);
  });

  it('returns a plain path as it is, without looking it up', async () => {
    expect(await expandPath(opened.fs, '/d/q?m')).toEqual(['/d/q?m']);
    expect(await expandPath(opened.fs, '/nope/[x]')).toEqual(['/nope/[x]']);
  });

  it('returns the matches in path order, folders included, without descending into a match', async () => {
    expect(await expandPath(opened.fs, '/d/*')).toEqual(['/d/a.txt', '/d/b.txt', '/d/q?m', '/d/sub', '/d/x(1).txt']);
    expect(await expandPath(opened.fs, '/d/*.txt')).toEqual(['/d/a.txt', '/d/b.txt', '/d/x(1).txt']);
    expect(await expandPath(opened.fs, '/*/*.txt')).toEqual(['/d/a.txt', '/d/b.txt', '/d/x(1).txt']);
    expect(await expandPath(opened.fs, '/d/*/*.txt')).toEqual(['/d/sub/deep.txt']);
  });

  it('descends one folder per pattern component: .* never reaches deeper than the pattern', async () => {
    expect(await expandPath(opened.fs, '/a*/c')).toEqual(['/ab/c']);
    expect(await expandPath(opened.fs, '/*c')).toEqual(['/abc']);
  });

  it('keeps an alluxio:// head on each match', async () => {
    expect(await expandPath(opened.fs, 'alluxio://localhost:19998/d/a*')).toEqual(['alluxio://localhost:19998/d/a.txt']);
  });

  it('says "<pattern> does not exist." when nothing matches, the listing\'s error when the folder is missing', async () => {
    const none = await errorOf(() => expandPath(opened.fs, '/d/*.csv'));
    expect([none.kind, none.message]).toEqual(['NOT_FOUND', '/d/*.csv does not exist.']);
    expect(await expandPath(opened.fs, '/d/*.csv', {orNone: true})).toEqual([]);
    const missing = await errorOf(() => expandPath(opened.fs, '/nope/*'));
    expect(missing.message).toBe('Path "/nope" does not exist.');
  });
});

describe('expandLocalPath', () => {
  let folders: FsFolders;
  beforeEach(async () => {
    folders = await makeFolders('local-wildcards-');
    for (const rel of ['src/a.txt', 'src/b.csv', 'src/in/c.txt', 'src/in/deeper/d.txt']) {
      mkdirSync(join(folders.base, rel, '..'), {recursive: true});
      writeFileSync(join(folders.base, rel), rel);
    }
  });
  afterEach(() => removeFolders(folders));

  it('expands over local folders with the same algorithm', async () => {
    const src = join(folders.base, 'src');
    expect(await expandLocalPath(`${src}/*.txt`)).toEqual([`${src}/a.txt`]);
    expect(await expandLocalPath(`${src}/*`)).toEqual([`${src}/a.txt`, `${src}/b.csv`, `${src}/in`]);
    expect(await expandLocalPath(`${src}/*/*.txt`)).toEqual([`${src}/in/c.txt`]);
    expect(await expandLocalPath(`${src}/a.txt`)).toEqual([`${src}/a.txt`]);
  });

  it('finds nothing below a missing folder', async () => {
    expect(await expandLocalPath(`${folders.base}/nope/*`)).toEqual([]);
  });
});

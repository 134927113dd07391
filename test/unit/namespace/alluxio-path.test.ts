import {describe, expect, it} from 'vitest';

import {AlluxioError} from '../../../src/errors.js';
import {
  ROOT,
  baseName,
  depth,
  isSameOrAncestor,
  joinPath,
  normalizeAlluxioPath,
  normalizeNewPath,
  parentPath,
  pathChain,
  relativeTo,
} from '../../../src/namespace/alluxio-path.js';

function invalid(input: string): AlluxioError {
  try {
    normalizeAlluxioPath(input);
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    return e as AlluxioError;
  }
  throw new Error(`normalizeAlluxioPath(${JSON.stringify(input)}) did not throw`);
}

describe('normalizeAlluxioPath', () => {
  it.each([
    ['/', '/'],
    ['//', '/'],
    ['///', '/'],
    ['/a', '/a'],
    ['/a/', '/a'],
    ['/a//b', '/a/b'],
    ['//a///b//', '/a/b'],
    ['/a/./b', '/a/b'],
    ['/./a/.', '/a'],
    ['/a/b/..', '/a'],
    ['/a/b/../c', '/a/c'],
    ['/a/../..x', '/..x'],
    ['/a/..', '/'],
    ['/a\\b', '/a/b'],
    ['/mnt/s3/dir with space', '/mnt/s3/dir with space'],
    ['/a-b/a.b/...', '/a-b/a.b/...'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeAlluxioPath(input)).toBe(expected);
  });

  it.each([
    ['alluxio://localhost:19998/p/q', '/p/q'],
    ['alluxio://master:19998/', '/'],
    ['alluxio://master:19998', '/'],
    ['ALLUXIO://Master:19998/x//y/', '/x/y'],
    ['alluxio:///a/b', '/a/b'],
  ])('reduces the URI %j to the path %j', (input, expected) => {
    expect(normalizeAlluxioPath(input)).toBe(expected);
  });

  it('refuses a relative path with Alluxio\'s message and a hint', () => {
    const e = invalid('x');
    expect(e.message).toBe('Path "x" is invalid.');
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.hint).toBe('An Alluxio path is absolute: did you mean /x?');
  });

  it('refuses relative paths with dots', () => {
    expect(invalid('./a').message).toBe('Path "./a" is invalid.');
    expect(invalid('a/b').message).toBe('Path "a/b" is invalid.');
  });

  it('refuses the empty path', () => {
    const e = invalid('');
    expect(e.message).toBe('Path "" is invalid.');
    expect(e.kind).toBe('INVALID_ARGUMENT');
  });

  it('refuses climbing above the root with ..', () => {
    expect(invalid('/..').message).toBe('Path "/.." is invalid.');
    expect(invalid('/a/../..').message).toBe('Path "/a/../.." is invalid.');
    expect(invalid('/a/../../b').hint).toBe('It climbs above the root / with "..".');
  });

  it('refuses NUL anywhere (no name can hold it) with the path escaped; other control characters stay usable', () => {
    for (const input of ['/f3\u0000', '/a\u0000/b', '\u0000']) {
      const e = invalid(input);
      expect(e.kind).toBe('INVALID_ARGUMENT');
      expect(e.message).toBe(`Path "${input.replace('\u0000', '\\x00')}" is invalid.`);
      expect(e.hint).toBe('Alluxio paths cannot hold the NUL character (U+0000).');
    }
    expect(normalizeAlluxioPath('/a\nb/\u001b[31m')).toBe('/a\nb/\u001b[31m');
  });

  it('refuses UFS URIs, which only fs mount takes', () => {
    const e = invalid('s3://bucket/dir');
    expect(e.message).toBe('Path "s3://bucket/dir" is invalid.');
    expect(e.hint).toBe('Alluxio paths look like /dir/file; the under storage URI goes only to fs mount.');
    expect(invalid('file:///tmp/x').message).toBe('Path "file:///tmp/x" is invalid.');
  });
});

describe('normalizeNewPath', () => {
  it('normalizes a path to create as any other', () => {
    expect(normalizeNewPath('/a//b/')).toBe('/a/b');
  });

  it.each(['/a\nb', '/a\tb', '/\u001b[31mred', '/x\u0000', '/del\u007f', '/a/b\r', '/trailing\n'])('refuses %j', (input) => {
    let error: unknown;
    try {
      normalizeNewPath(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlluxioError);
    // refused where Alluxio would accept it: a usage error
    expect((error as AlluxioError).kind).toBe('USAGE');
    expect((error as AlluxioError).message).toBe(
      `Path "${input}" is invalid: names cannot hold control characters (U+0000 to U+001F, U+007F)`,
    );
  });

  it('accepts other Unicode, spaces and punctuation', () => {
    expect(normalizeNewPath('/é 日本/a:b,c;d=e+f%20\u00a0x')).toBe('/é 日本/a:b,c;d=e+f%20\u00a0x');
  });
});

describe('parentPath / baseName / joinPath', () => {
  it('parentPath', () => {
    expect(parentPath('/')).toBeUndefined();
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a/b/c')).toBe('/a/b');
  });

  it('baseName', () => {
    expect(baseName('/')).toBe('');
    expect(baseName('/a')).toBe('a');
    expect(baseName('/a/b.txt')).toBe('b.txt');
  });

  it('joinPath', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/', 'a/b')).toBe('/a/b');
    expect(joinPath('/d', 'a')).toBe('/d/a');
    expect(joinPath('/d', 'a/b')).toBe('/d/a/b');
    expect(joinPath('/d', '')).toBe('/d');
    expect(joinPath('/', '')).toBe('/');
  });
});

describe('isSameOrAncestor', () => {
  it.each([
    ['/', '/', true],
    ['/', '/a', true],
    ['/', '/a/b', true],
    ['/a', '/a', true],
    ['/a', '/a/b', true],
    ['/a', '/a/b/c', true],
    ['/a/b', '/a', false],
    ['/mnt', '/mnt2', false],
    ['/mnt', '/mnt2/x', false],
    ['/mnt', '/mnt-b', false],
    ['/a', '/', false],
  ])('(%j, %j) is %j', (ancestor, path, expected) => {
    expect(isSameOrAncestor(ancestor, path)).toBe(expected);
  });
});

describe('relativeTo', () => {
  it.each([
    ['/', '/', ''],
    ['/', '/a', 'a'],
    ['/', '/a/b', 'a/b'],
    ['/a', '/a', ''],
    ['/a', '/a/b', 'b'],
    ['/a', '/a/b/c', 'b/c'],
    ['/mnt/s3', '/mnt/s3/dir/f', 'dir/f'],
  ])('relativeTo(%j, %j) = %j', (ancestor, path, expected) => {
    expect(relativeTo(ancestor, path)).toBe(expected);
  });
});

describe('pathChain and depth', () => {
  it('lists every path from the root down', () => {
    expect(pathChain('/')).toEqual(['/']);
    expect(pathChain('/a')).toEqual(['/', '/a']);
    expect(pathChain('/a/b/c')).toEqual(['/', '/a', '/a/b', '/a/b/c']);
  });

  it('depth counts components', () => {
    expect(depth(ROOT)).toBe(0);
    expect(depth('/a')).toBe(1);
    expect(depth('/a/b/c')).toBe(3);
  });
});

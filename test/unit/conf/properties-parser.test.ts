import {describe, expect, it} from 'vitest';
import {AlluxioError} from '../../../src/errors.js';
import {parseProperties} from '../../../src/conf/properties-parser.js';

const parse = (text: string) => parseProperties(text, '/conf/alluxio-site.properties');
const pairs = (text: string) => parse(text).map(({key, value}) => [key, value]);

describe('parseProperties', () => {
  it('accepts =, : and whitespace as separators', () => {
    expect(pairs('a=1\nb:2\nc 3\nd\t4\ne = 5\nf : 6\ng   =   7\nh  8')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', '5'],
      ['f', '6'],
      ['g', '7'],
      ['h', '8'],
    ]);
  });

  it('takes only the first separator: later = and : belong to the value', () => {
    expect(pairs('url=s3://bucket/a=b\nk:v:w\nk2 = = x\nk3 :=y')).toEqual([
      ['url', 's3://bucket/a=b'],
      ['k', 'v:w'],
      ['k2', '= x'],
      ['k3', '=y'],
    ]);
  });

  it('gives a key alone an empty value', () => {
    expect(pairs('lonely\nempty=\nspaced   ')).toEqual([
      ['lonely', ''],
      ['empty', ''],
      ['spaced', ''],
    ]);
  });

  it('skips # and ! comments and blank lines, even indented, and records line numbers', () => {
    const text = '# comment\n  ! another\n\n   \t\na=1\n  # not a key\nb=2 # not a comment\n';
    expect(parse(text)).toEqual([
      {key: 'a', value: '1', line: 5},
      {key: 'b', value: '2 # not a comment', line: 7},
    ]);
  });

  it('joins continuation lines, dropping the leading blanks of each continued line', () => {
    const text = 'list=a,\\\n    b,\\\n\t c\nnext=1';
    expect(parse(text)).toEqual([
      {key: 'list', value: 'a,b,c', line: 1},
      {key: 'next', value: '1', line: 4},
    ]);
  });

  it('keeps an even run of trailing backslashes as escaped backslashes, not a continuation', () => {
    expect(pairs('path=C:\\\\dir\\\\\nnext=1')).toEqual([
      ['path', 'C:\\dir\\'],
      ['next', '1'],
    ]);
  });

  it('does not continue a comment line ending with a backslash', () => {
    expect(pairs('# comment \\\na=1')).toEqual([['a', '1']]);
  });

  it('treats a # on a continued line as part of the value', () => {
    expect(pairs('a=x\\\n#y')).toEqual([['a', 'x#y']]);
  });

  it('drops a backslash continuing past the end of the file', () => {
    expect(pairs('a=1\\')).toEqual([['a', '1']]);
  });

  it('ends the entry at an empty continued line', () => {
    expect(pairs('a=1\\\n\nb=2')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('handles \\r\\n and \\r line ends', () => {
    expect(pairs('a=1\r\nb=2\rc=3\\\r\n  4')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '34'],
    ]);
  });

  it('decodes escapes in keys and values', () => {
    const text = 'tab=a\\tb\nnl=a\\nb\ncr=a\\rb\nff=a\\fb\nbs=a\\\\b\nuni=\\u00e9t\\u00C9\nother=\\q\\:\\=\\#';
    expect(pairs(text)).toEqual([
      ['tab', 'a\tb'],
      ['nl', 'a\nb'],
      ['cr', 'a\rb'],
      ['ff', 'a\fb'],
      ['bs', 'a\\b'],
      ['uni', 'étÉ'],
      ['other', 'q:=#'],
    ]);
  });

  it('lets escaped separators and blanks stand in keys', () => {
    expect(pairs('a\\=b=1\nc\\:d:2\ne\\ f 3')).toEqual([
      ['a=b', '1'],
      ['c:d', '2'],
      ['e f', '3'],
    ]);
  });

  it('trims keys and values as Alluxio does, after decoding', () => {
    expect(pairs('  key  =  value with spaces   \nx=\\ \\tpadded\\t ')).toEqual([
      ['key', 'value with spaces'],
      ['x', 'padded'],
    ]);
  });

  it('reports a malformed \\u escape with file and line', () => {
    expect(() => parse('a=1\nb=\\u12G4')).toThrowError(
      'Malformed \\uXXXX escape \\u12G4 in /conf/alluxio-site.properties at line 2',
    );
    expect(() => parse('a=1\\\n  x\\u12')).toThrowError(
      'Malformed \\uXXXX escape \\u12 in /conf/alluxio-site.properties at line 2',
    );
    try {
      parse('k\\uZZZZ=v');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AlluxioError);
      expect((e as AlluxioError).kind).toBe('CONFIGURATION');
    }
  });

  it('keeps duplicate keys in order so the last one can win', () => {
    expect(pairs('a=1\na=2')).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });
});

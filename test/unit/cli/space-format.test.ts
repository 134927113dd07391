import {describe, expect, it} from 'vitest';

import {parseByteCountFlag} from '../../../src/cli/flags.js';
import {parseSpaceSize} from '../../../src/cli/sizes.js';
import {countLines, duHeader, duLines} from '../../../src/cli/space-format.js';

const PLAIN = {humanReadable: false, memory: false, grouped: false};

describe("parseSpaceSize (Alluxio's FormatUtils.parseSpaceSize)", () => {
  it.each([
    ['1024', 1024],
    ['0', 0],
    ['10b', 10],
    ['2k', 2048],
    ['2KB', 2048],
    ['2ki', 2048],
    ['2KiB', 2048],
    ['1.5m', 1.5 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1T', 1024 ** 4],
    ['1pb', 1024 ** 5],
    ['0.1k', 102],
    ['.5k', 512],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSpaceSize(text)).toBe(bytes);
  });

  it.each(['', 'abc', 'k', '--1', '1x', '1kbb', '1 k k', '1e3'])('refuses %j', (text) => {
    expect(parseSpaceSize(text)).toBeUndefined();
  });

  it("head/tail -c: Alluxio's two messages, as usage errors", () => {
    expect(parseByteCountFlag('3k')).toBe(3072);
    expect(() => parseByteCountFlag('abc')).toThrow(expect.objectContaining({kind: 'USAGE', message: 'Fail to parse abc to bytes'}));
    expect(() => parseByteCountFlag('0')).toThrow(expect.objectContaining({kind: 'USAGE', message: 'specified bytes must be > 0'}));
    expect(() => parseByteCountFlag('0.0001k')).toThrow('specified bytes must be > 0');
    expect(() => parseByteCountFlag('-5')).toThrow('specified bytes must be > 0');
  });
});

describe("du's lines (Alluxio's DuCommand format strings)", () => {
  it('plain: "%-13s %-16s %s", header and file lines as in Alluxio\'s tests', () => {
    expect(duHeader(PLAIN)).toBe('File Size     In Alluxio       Path');
    expect(duLines({path: '/testRoot/testFileA', bytes: 0, cachedBytes: 0, workers: {}}, PLAIN)).toEqual([
      '0             0 (0%)           /testRoot/testFileA',
    ]);
    expect(duLines({path: '/testRoot/testFileB', bytes: 21243, cachedBytes: 21243, workers: {h: 21243}}, PLAIN)).toEqual([
      '21243         21243 (100%)     /testRoot/testFileB',
    ]);
  });

  it('-h: human sizes in both cells, the percentage rounded down', () => {
    const h = {...PLAIN, humanReadable: true};
    expect(duLines({path: '/testRoot/testDir', bytes: 10_240_000, cachedBytes: 0, workers: {}}, h)).toEqual([
      '9.77MB        0B (0%)          /testRoot/testDir',
    ]);
    expect(duLines({path: '/p', bytes: 3, cachedBytes: 2, workers: {}}, h)[0]).toBe('3B            2B (66%)         /p');
  });

  it('-m: "%-13s %-16s %-16s %s", In Memory equal to In Alluxio', () => {
    const m = {...PLAIN, memory: true};
    expect(duHeader(m)).toBe('File Size     In Alluxio       In Memory        Path');
    expect(duLines({path: '/f', bytes: 100, cachedBytes: 100, workers: {}}, m)).toEqual([
      '100           100 (100%)       100 (100%)       /f',
    ]);
  });

  it('-g and -g -m: "total" on the main line, then one line per worker holding data', () => {
    const g = {...PLAIN, grouped: true};
    expect(duHeader(g)).toBe('File Size     In Alluxio       Worker Host Name          Path');
    const entry = {path: '/f', bytes: 100, cachedBytes: 100, workers: {w1: 100}};
    expect(duLines(entry, g)).toEqual([
      '100           100 (100%)       total                     /f',
      '              100              w1                        ',
    ]);
    const gm = {...g, memory: true};
    expect(duHeader(gm)).toBe('File Size     In Alluxio       In Memory        Worker Host Name          Path');
    expect(duLines(entry, gm)).toEqual([
      '100           100 (100%)       100 (100%)       total                     /f',
      '              100                               w1                        ',
    ]);
    expect(duLines({path: '/e', bytes: 5, cachedBytes: 0, workers: {}}, g)).toHaveLength(1);
  });
});

describe("count's lines (\"%-25s%-25s%-15s\")", () => {
  it('header and values, sizes human-readable with -h', () => {
    const header = 'File Count               Folder Count             Folder Size    ';
    expect(countLines({files: 3, folders: 1, bytes: 60}, false)).toEqual([header, '3                        1                        60             ']);
    expect(countLines({files: 3, folders: 1, bytes: 60}, true)[1]).toBe('3                        1                        60B            ');
    expect(countLines({files: 1, folders: 0, bytes: 21243}, true)[1]).toBe('1                        0                        20.75KB        ');
  });
});

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {formatStat, formatStatPattern} from '../../../src/cli/stat-format.js';
import type {FileStatus} from '../../../src/fs/types.js';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const T = Date.UTC(2019, 5, 14, 7, 2, 45, 248); // 1560495765248
const C = Date.UTC(2019, 5, 1, 0, 0, 0, 0);

const file: FileStatus = {
  path: '/mnt/s3/f',
  name: 'f',
  isDirectory: false,
  length: 80,
  owner: 'john',
  group: 'staff',
  mode: 0o644,
  persistenceState: 'PERSISTED',
  inAlluxioPercentage: 100,
  creationTime: C,
  lastModificationTime: T,
  isMountPoint: false,
  mountId: 42,
  ufsPath: 's3://bucket/data/f',
  blockSizeBytes: 67108864,
  cacheKey: 'abc123',
};

const dir: FileStatus = {
  ...file,
  path: '/mnt/s3',
  name: 's3',
  isDirectory: true,
  length: 0,
  mode: 0o755,
  inAlluxioPercentage: 0,
  isMountPoint: true,
  ufsPath: 's3://bucket/data',
  cacheKey: undefined,
};

/** The key=value pairs of a `FileInfo{...}` rendering, in order. */
function fileInfoFields(line: string): [string, string][] {
  const m = /^URIStatus\{info=FileInfo\{(.*)\}, cacheContext=null\}$/.exec(line);
  expect(m, line).not.toBeNull();
  const body = (m as RegExpExecArray)[1];
  const keys = [...body.matchAll(/(?:^|, )([A-Za-z]+)=/g)];
  return keys.map((k, i) => {
    const start = (k.index ?? 0) + k[0].length;
    const end = i + 1 < keys.length ? (keys[i + 1].index ?? body.length) : body.length;
    return [k[1], body.slice(start, end)];
  });
}

/** FileInfo.toString of Alluxio 2.x (MoreObjects.toStringHelper order). */
const FILE_INFO_KEYS = [
  'fileId',
  'fileIdentifier',
  'name',
  'path',
  'ufsPath',
  'length',
  'blockSizeBytes',
  'creationTimeMs',
  'completed',
  'folder',
  'pinned',
  'pinnedlocation',
  'cacheable',
  'persisted',
  'blockIds',
  'inMemoryPercentage',
  'lastModificationTimesMs',
  'ttl',
  'lastAccessTimesMs',
  'ttlAction',
  'owner',
  'group',
  'mode',
  'persistenceState',
  'mountPoint',
  'replicationMax',
  'replicationMin',
  'fileBlockInfos',
  'mountId',
  'inAlluxioPercentage',
  'ufsFingerprint',
  'acl',
  'defaultAcl',
];

describe('formatStat', () => {
  it('a file: header, URIStatus line, no-blocks line', () => {
    const lines = formatStat('/mnt/s3/f', file);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('/mnt/s3/f is a file path.');
    expect(lines[1]).toMatch(/^URIStatus\{info=FileInfo\{fileId=\d+, /);
    expect(lines[1].endsWith(', defaultAcl=}, cacheContext=null}')).toBe(true);
    expect(lines[2]).toBe('This file does not contain any blocks.');
  });

  it('a directory: header and URIStatus line only', () => {
    const lines = formatStat('/mnt/s3', dir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('/mnt/s3 is a directory path.');
  });

  it('the header repeats the path as typed', () => {
    expect(formatStat('/mnt//s3/f/', file)[0]).toBe('/mnt//s3/f/ is a file path.');
  });

  it("FileInfo fields come in Alluxio's order", () => {
    expect(fileInfoFields(formatStat('/mnt/s3/f', file)[1]).map(([k]) => k)).toEqual(FILE_INFO_KEYS);
  });

  it('FileInfo values of a file', () => {
    const fields = Object.fromEntries(fileInfoFields(formatStat('/mnt/s3/f', file)[1]));
    expect(fields).toMatchObject({
      fileIdentifier: 'null',
      name: 'f',
      path: '/mnt/s3/f',
      ufsPath: 's3://bucket/data/f',
      length: '80',
      blockSizeBytes: '67108864',
      creationTimeMs: String(C),
      completed: 'true',
      folder: 'false',
      pinned: 'false',
      pinnedlocation: '[]',
      cacheable: 'true',
      persisted: 'true',
      blockIds: '[]',
      inMemoryPercentage: '100',
      lastModificationTimesMs: String(T),
      ttl: '-1',
      lastAccessTimesMs: String(T),
      ttlAction: 'FREE',
      owner: 'john',
      group: 'staff',
      mode: '420',
      persistenceState: 'PERSISTED',
      mountPoint: 'false',
      replicationMax: '-1',
      replicationMin: '0',
      fileBlockInfos: '[]',
      mountId: '42',
      inAlluxioPercentage: '100',
      ufsFingerprint: 'abc123',
      acl: 'user::rw-,group::r--,other::r--',
      defaultAcl: '',
    });
  });

  it('FileInfo values of a directory', () => {
    const fields = Object.fromEntries(fileInfoFields(formatStat('/mnt/s3', dir)[1]));
    expect(fields).toMatchObject({
      name: 's3',
      length: '0',
      blockSizeBytes: '0',
      folder: 'true',
      cacheable: 'false',
      mode: '493',
      mountPoint: 'true',
      ufsFingerprint: 'null',
      acl: 'user::rwx,group::r-x,other::r-x',
    });
  });

  it('a non-persisted file says persisted=false and its state', () => {
    const fields = Object.fromEntries(
      fileInfoFields(formatStat('/f', {...file, persistenceState: 'TO_BE_PERSISTED'})[1]),
    );
    expect(fields.persisted).toBe('false');
    expect(fields.persistenceState).toBe('TO_BE_PERSISTED');
  });

  it('a pinned file says pinned=true and its media', () => {
    const fields = Object.fromEntries(fileInfoFields(formatStat('/f', {...file, pinned: true, pinnedMedia: ['MEM', 'SSD']})[1]));
    expect(fields.pinned).toBe('true');
    expect(fields.pinnedlocation).toBe('[MEM, SSD]');
  });

  it('fileId is stable per path and differs between paths', () => {
    const id = (s: FileStatus) => Object.fromEntries(fileInfoFields(formatStat(s.path, s)[1])).fileId;
    expect(id(file)).toBe(id({...file, length: 1}));
    expect(id(file)).not.toBe(id(dir));
    expect(Number(id(file))).toBeGreaterThan(0);
  });
});

describe('formatStatPattern (stat -f)', () => {
  it('every specifier of a file', () => {
    expect(formatStatPattern('%N|%z|%u|%g|%y|%Y|%b', file)).toBe('f|80|john|staff|2019-06-14 07:02:45|1560495765248|0');
  });

  it('%i is the file id, the one the full form shows', () => {
    const fileId = Object.fromEntries(fileInfoFields(formatStat(file.path, file)[1])).fileId;
    expect(formatStatPattern('%i', file)).toBe(fileId);
    expect(formatStatPattern('id=%i %N', file, 77)).toBe('id=77 f');
  });

  it('size and blocks are NA for a directory', () => {
    expect(formatStatPattern('%N %z %b', dir)).toBe('s3 NA NA');
  });

  it('other text, unknown specifiers and a lone % pass through', () => {
    expect(formatStatPattern('name=%N size=%z %q 100% %', file)).toBe('name=f size=80 %q 100% %');
    expect(formatStatPattern('%%N', file)).toBe('%f');
    expect(formatStatPattern('', file)).toBe('');
  });

  it('%y uses the local time zone', () => {
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(formatStatPattern('%y', file)).toBe('2019-06-14 12:32:45');
    } finally {
      process.env.TZ = 'UTC';
    }
  });
});

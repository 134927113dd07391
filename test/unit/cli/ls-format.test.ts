import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type LsFormat, formatLsLine, timestampOf} from '../../../src/cli/ls-format.js';
import type {FileStatus} from '../../../src/fs/types.js';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const T = Date.UTC(2019, 5, 14, 7, 2, 45, 248);

function status(over: Partial<FileStatus>): FileStatus {
  return {
    path: '/mnt/s3',
    name: 's3',
    isDirectory: false,
    length: 0,
    owner: 'john',
    group: 'john',
    mode: 0o700,
    persistenceState: 'PERSISTED',
    inAlluxioPercentage: 0,
    creationTime: T,
    lastModificationTime: T,
    isMountPoint: false,
    mountId: 1,
    ufsPath: 's3://b/x',
    blockSizeBytes: 64 * 1024 * 1024,
    ...over,
  };
}

const withAcl: LsFormat = {
  withAcl: true,
  humanReadable: false,
  timestamp: 'lastModificationTime',
  datePattern: 'MM-dd-yyyy HH:mm:ss:SSS',
};

describe('formatLsLine', () => {
  it('a directory, exactly as facts §5.2', () => {
    const line = formatLsLine(status({isDirectory: true, length: 2}), withAcl);
    expect(line).toBe(
      'drwx------  john           john                         2       PERSISTED 06-14-2019 07:02:45:248  DIR /mnt/s3',
    );
  });

  it('a file, exactly as facts §5.2', () => {
    const line = formatLsLine(status({path: '/mnt/s3/f', name: 'f', length: 80}), withAcl);
    expect(line).toBe(
      '-rwx------  john           john                        80       PERSISTED 06-14-2019 07:02:45:248   0% /mnt/s3/f',
    );
  });

  it('without permission columns (security off), exactly as issue #12372', () => {
    const line = formatLsLine(
      status({
        path: '/nfs/1990',
        isDirectory: true,
        length: 5000,
        lastModificationTime: Date.UTC(2020, 9, 23, 14, 12, 35, 0),
      }),
      {...withAcl, withAcl: false},
    );
    expect(line).toBe('           5000       PERSISTED 10-23-2020 14:12:35:000  DIR /nfs/1990');
  });

  it('column widths: %-12s%-15s%-15s%15s%16s%24s%5s %-5s', () => {
    const line = formatLsLine(
      status({path: '/a', owner: 'o', group: 'g', mode: 0o644, length: 7, inAlluxioPercentage: 100}),
      withAcl,
    );
    expect(line).toBe(
      '-rw-r--r--'.padEnd(12) +
        'o'.padEnd(15) +
        'g'.padEnd(15) +
        '7'.padStart(15) +
        'PERSISTED'.padStart(16) +
        '06-14-2019 07:02:45:248'.padStart(24) +
        '100%'.padStart(5) +
        ' ' +
        '/a   ',
    );
    expect(line).toBe(
      '-rw-r--r--  o              g                            7       PERSISTED 06-14-2019 07:02:45:248 100% /a   ',
    );
  });

  it('empty owner and group print as 15 + 15 spaces', () => {
    const line = formatLsLine(status({owner: '', group: '', length: 1}), withAcl);
    expect(line.slice(0, 42)).toBe('-rwx------  ' + ' '.repeat(30));
    expect(line.slice(42, 57)).toBe('1'.padStart(15));
  });

  it('long owner names are not cut', () => {
    const line = formatLsLine(status({owner: 'a-very-long-owner-name', group: 'g', length: 1}), withAcl);
    expect(line.startsWith('-rwx------  a-very-long-owner-nameg              ')).toBe(true);
  });

  it('shows the other persistence states', () => {
    for (const state of ['NOT_PERSISTED', 'TO_BE_PERSISTED'] as const) {
      const line = formatLsLine(status({persistenceState: state, inAlluxioPercentage: 100, length: 3}), withAcl);
      expect(line).toContain(state.padStart(16) + ' 06-14-2019 07:02:45:248 100% /mnt/s3');
    }
  });

  it('-h makes file sizes human-readable, never directory sizes', () => {
    const h = {...withAcl, humanReadable: true};
    expect(formatLsLine(status({length: 10000}), h)).toContain('-rwx------  john           john' + '9.77KB'.padStart(15 + 11));
    expect(formatLsLine(status({length: 10000}), h).slice(42, 57)).toBe('9.77KB'.padStart(15));
    expect(formatLsLine(status({length: 100}), h).slice(42, 57)).toBe('100B'.padStart(15));
    expect(formatLsLine(status({isDirectory: true, length: 10000}), h).slice(42, 57)).toBe('10000'.padStart(15));
  });

  it('--timestamp picks the time shown', () => {
    const s = status({creationTime: Date.UTC(2001, 0, 1), lastModificationTime: T, lastAccessTime: Date.UTC(2022, 1, 3)});
    expect(formatLsLine(s, {...withAcl, timestamp: 'creationTime'})).toContain('01-01-2001 00:00:00:000');
    expect(formatLsLine(s, {...withAcl, timestamp: 'lastAccessTime'})).toContain('02-03-2022 00:00:00:000');
    expect(formatLsLine(s, {...withAcl, timestamp: 'lastModificationTime'})).toContain('06-14-2019 07:02:45:248');
  });

  it('honours alluxio.user.date.format.pattern', () => {
    expect(formatLsLine(status({}), {...withAcl, datePattern: 'yyyy-MM-dd'})).toContain('0       PERSISTED' + '2019-06-14'.padStart(24));
  });

  it('a path with no time of its own shows a blank time column', () => {
    const line = formatLsLine(status({isDirectory: true, lastModificationTime: undefined}), withAcl);
    expect(line).toBe('drwx------  john           john                         0       PERSISTED' + ' '.repeat(24) + '  DIR /mnt/s3');
  });
});

describe('timestampOf', () => {
  it('lastAccessTime falls back to the modification time', () => {
    const s = status({lastAccessTime: undefined});
    expect(timestampOf(s, 'lastAccessTime')).toBe(T);
    expect(timestampOf(status({creationTime: 5}), 'creationTime')).toBe(5);
    expect(timestampOf(status({creationTime: undefined}), 'creationTime')).toBeUndefined();
  });
});

describe('the ACL marker', () => {
  it("a + follows the mode when there are named entries or a default ACL, as Alluxio's ls prints it", () => {
    const named = {extended: {users: [['bob', 5]] as [string, number][], groups: [], mask: 5}};
    const line = (acl?: FileStatus['acl']) => formatLsLine(status({acl}), withAcl).slice(0, 12);
    expect(line()).toBe('-rwx------  ');
    expect(line(named)).toBe('-rwx------+ ');
    expect(line({defaultAcl: {mode: 0o750}})).toBe('-rwx------+ ');
    // A mask alone (its named entries removed) is no extended ACL.
    expect(line({extended: {users: [], groups: [], mask: 7}})).toBe('-rwx------  ');
  });
});

import {describe, expect, it} from 'vitest';

import {formatMountTable} from '../../../src/cli/mount-format.js';
import type {MountInfo} from '../../../src/fs/types.js';

const s3: MountInfo = {
  alluxioPath: '/mnt/s3',
  ufsUri: 's3://my-bucket/data/',
  ufsType: 's3',
  readOnly: false,
  shared: false,
  properties: {'s3a.accessKeyId': '******', 's3a.secretKey': '******'},
  capacityBytes: -1,
  usedBytes: -1,
};

describe('formatMountTable', () => {
  it('prints the example line of facts §5.1', () => {
    expect(formatMountTable([s3])).toEqual([
      's3://my-bucket/data/  on  /mnt/s3  (s3, capacity=-1B, used=-1B, not read-only, not shared, properties={s3a.accessKeyId=******, s3a.secretKey=******})',
    ]);
  });

  it('pads URIs and paths to the longest, and says read-only / shared', () => {
    const local: MountInfo = {
      alluxioPath: '/',
      ufsUri: '/opt/alluxio/underFSStorage',
      ufsType: 'local',
      readOnly: true,
      shared: true,
      properties: {},
      capacityBytes: 10 * 1024 * 1024 * 1024,
      usedBytes: 3 * 1024 * 1024 * 1024,
    };
    expect(formatMountTable([local, s3])).toEqual([
      '/opt/alluxio/underFSStorage  on  /        (local, capacity=10.00GB, used=3072.00MB(30%), read-only, shared, properties={})',
      's3://my-bucket/data/         on  /mnt/s3  (s3, capacity=-1B, used=-1B, not read-only, not shared, properties={s3a.accessKeyId=******, s3a.secretKey=******})',
    ]);
  });

  it('the used percentage is truncated, as Java\'s (int) (100L * used / capacity)', () => {
    const line = formatMountTable([{...s3, properties: {}, capacityBytes: 3000, usedBytes: 2000}])[0];
    expect(line).toContain('capacity=3000B, used=2000B(66%),');
    const almostFull = formatMountTable([{...s3, properties: {}, capacityBytes: 1000, usedBytes: 999}])[0];
    expect(almostFull).toContain('used=999B(99%),');
  });

  it('no percentage when the capacity is 0 or unknown', () => {
    expect(formatMountTable([{...s3, capacityBytes: 0, usedBytes: 0}])[0]).toContain('capacity=0B, used=0B, ');
  });

  it('an empty table prints nothing', () => {
    expect(formatMountTable([])).toEqual([]);
  });
});

import {describe, expect, it} from 'vitest';
import {
  allKeys,
  canonicalName,
  findKey,
  isCredentialKey,
  nearestKey,
  ROOT_OPTION_PREFIX,
} from '../../../src/conf/property-keys.js';
import {isValidValue} from '../../../src/conf/values.js';

describe('property key registry', () => {
  it('maps aliases to canonical names', () => {
    expect(canonicalName('aws.accessKeyId')).toBe('s3a.accessKeyId');
    expect(canonicalName('aws.secretKey')).toBe('s3a.secretKey');
    expect(canonicalName('alluxio.underfs.s3a.inherit_acl')).toBe('alluxio.underfs.s3.inherit.acl');
    expect(canonicalName('alluxio.underfs.s3a.socket.timeout.ms')).toBe('alluxio.underfs.s3.socket.timeout');
    expect(canonicalName('alluxio.underfs.s3a.socket.timeout')).toBe('alluxio.underfs.s3.socket.timeout');
    expect(canonicalName('alluxio.underfs.s3a.request.timeout.ms')).toBe('alluxio.underfs.s3.request.timeout');
    expect(canonicalName('alluxio.underfs.address')).toBe('alluxio.master.mount.table.root.ufs');
    expect(canonicalName('alluxio.underfs.s3a.default.mode')).toBe('alluxio.underfs.s3.default.mode');
  });

  it('returns unknown names unchanged', () => {
    expect(canonicalName('my.custom.key')).toBe('my.custom.key');
    expect(findKey('my.custom.key')).toBeUndefined();
  });

  it('holds the documented defaults and types', () => {
    const expected: Record<string, [string | undefined, string]> = {
      'alluxio.home': ['/opt/alluxio', 'string'],
      'alluxio.conf.dir': ['${alluxio.home}/conf', 'string'],
      'alluxio.work.dir': ['${alluxio.home}', 'string'],
      'alluxio.master.journal.folder': ['${alluxio.work.dir}/journal', 'string'],
      'alluxio.master.mount.table.root.ufs': ['${alluxio.work.dir}/underFSStorage', 'string'],
      'alluxio.master.mount.table.root.shared': ['false', 'boolean'],
      'alluxio.worker.tieredstore.level0.dirs.path': ['${alluxio.work.dir}/ramdisk', 'string'],
      'alluxio.underfs.s3.default.mode': ['0700', 'mode'],
      'alluxio.underfs.s3.socket.timeout': ['50sec', 'duration'],
      'alluxio.underfs.s3.streaming.upload.partition.size': ['64MB', 'dataSize'],
      'alluxio.user.file.writetype.default': ['ASYNC_THROUGH', 'enum'],
      'alluxio.user.file.readtype.default': ['CACHE', 'enum'],
      'alluxio.security.authorization.permission.umask': ['022', 'mode'],
      'alluxio.underfs.s3.assumerole.session.duration.second': ['3600', 'int'],
      's3a.accessKeyId': [undefined, 'string'],
      'alluxio.underfs.s3.max.error.retry': ['2', 'int'],
    };
    for (const [name, [def, type]] of Object.entries(expected)) {
      expect([name, findKey(name)?.default, findKey(name)?.type]).toEqual([name, def, type]);
    }
  });

  it('has defaults that are valid for their own type', () => {
    for (const key of allKeys()) {
      if (key.default === undefined || key.default.includes('${')) continue;
      expect([key.name, isValidValue(key.default, key)]).toEqual([key.name, true]);
    }
  });

  it('types root mount options like the key they wrap, canonicalizing the wrapped alias', () => {
    const option = findKey(`${ROOT_OPTION_PREFIX}aws.accessKeyId`);
    expect(option?.name).toBe(`${ROOT_OPTION_PREFIX}s3a.accessKeyId`);
    expect(option?.credential).toBe(true);
    expect(findKey(`${ROOT_OPTION_PREFIX}alluxio.underfs.s3.socket.timeout`)?.type).toBe('duration');
    expect(findKey(`${ROOT_OPTION_PREFIX}some.ufs.key`)?.type).toBe('string');
    expect(findKey(ROOT_OPTION_PREFIX)).toBeUndefined();
  });

  it('recognizes credential keys', () => {
    expect(isCredentialKey('s3a.secretKey')).toBe(true);
    expect(isCredentialKey('aws.secretKey')).toBe(true);
    expect(isCredentialKey('s3a.accessKeyId')).toBe(true);
    expect(isCredentialKey('fs.oss.accessKeyId')).toBe(true);
    expect(isCredentialKey('s3a.sessionToken')).toBe(true);
    expect(isCredentialKey(`${ROOT_OPTION_PREFIX}aws.secretKey`)).toBe(true);
    expect(isCredentialKey('alluxio.underfs.s3.endpoint')).toBe(false);
  });

  it('suggests the nearest key for a misspelt name, and nothing for a far one', () => {
    expect(nearestKey('alluxio.underfs.s3.socket.timout')).toBe('alluxio.underfs.s3.socket.timeout');
    expect(nearestKey('alluxio.user.file.writetype.defualt')).toBe('alluxio.user.file.writetype.default');
    expect(nearestKey('alluxio.underfs.s3a.inherit.acl')).toBe('alluxio.underfs.s3.inherit.acl');
    expect(nearestKey('alluxio.x.y')).toBeUndefined();
  });
});

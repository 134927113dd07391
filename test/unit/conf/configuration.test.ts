import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Configuration, type LoadOptions} from '../../../src/conf/configuration.js';
import {parseJavaOpts, shellWords} from '../../../src/conf/system-properties.js';

let root: string;
let install: string;
let home: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-test-'));
  install = path.join(root, 'install');
  home = path.join(root, 'home');
  fs.mkdirSync(path.join(install, 'conf'), {recursive: true});
  fs.mkdirSync(home);
});

afterEach(() => {
  fs.rmSync(root, {recursive: true, force: true});
});

function writeSite(dir: string, text: string): string {
  fs.mkdirSync(dir, {recursive: true});
  const file = path.join(dir, 'alluxio-site.properties');
  fs.writeFileSync(file, text);
  return file;
}

function load(opts: Partial<LoadOptions> = {}): Configuration {
  return Configuration.load({env: {}, installDir: install, homeDir: home, isWritable: () => true, ...opts});
}

describe('defaults and alluxio.home', () => {
  it('derives the layout from the install folder', () => {
    const conf = load();
    expect(conf.get('alluxio.home')).toBe(install);
    expect(conf.source('alluxio.home')).toEqual({source: 'SYSTEM_PROPERTY', detail: 'install folder'});
    expect(conf.get('alluxio.conf.dir')).toBe(`${install}/conf`);
    expect(conf.get('alluxio.work.dir')).toBe(install);
    expect(conf.get('alluxio.master.journal.folder')).toBe(`${install}/journal`);
    expect(conf.get('alluxio.master.mount.table.root.ufs')).toBe(`${install}/underFSStorage`);
    expect(conf.get('alluxio.worker.tieredstore.level0.dirs.path')).toBe(`${install}/ramdisk`);
    expect(conf.source('alluxio.work.dir')).toEqual({source: 'DEFAULT'});
    expect(conf.siteFile).toBeUndefined();
    expect(conf.warnings).toEqual([]);
  });

  it('takes ALLUXIO_HOME over the install folder', () => {
    const conf = load({env: {ALLUXIO_HOME: '/srv/alluxio'}});
    expect(conf.get('alluxio.home')).toBe('/srv/alluxio');
    expect(conf.source('alluxio.home')).toEqual({source: 'SYSTEM_PROPERTY', detail: 'ALLUXIO_HOME'});
  });

  it('falls back to ~/.alluxio as work dir when a checkout is not writable', () => {
    const seen: string[] = [];
    const conf = load({isWritable: (dir) => (seen.push(dir), false)});
    expect(seen).toEqual([install]);
    expect(conf.get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));
    expect(conf.get('alluxio.master.journal.folder')).toBe(path.join(home, '.alluxio', 'journal'));
    expect(conf.source('alluxio.work.dir')).toEqual({source: 'DEFAULT'});
  });

  describe('an installed package (alluxio.home inside node_modules) keeps its state in ~/.alluxio', () => {
    function mkdir(...parts: string[]): string {
      const dir = path.join(root, ...parts);
      fs.mkdirSync(dir, {recursive: true});
      return dir;
    }

    it('even when its folder is writable, as under a global prefix owned by the user', () => {
      const pkg = mkdir('prefix', 'lib', 'node_modules', 'alluxio-s3');
      const conf = load({installDir: pkg, isWritable: () => true});
      expect(conf.get('alluxio.home')).toBe(pkg);
      expect(conf.get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));
      expect(conf.get('alluxio.master.mount.table.root.ufs')).toBe(path.join(home, '.alluxio', 'underFSStorage'));
      expect(conf.get('alluxio.conf.dir')).toBe(path.join(pkg, 'conf'));
    });

    it('inside a scoped or nested node_modules folder, and through ALLUXIO_HOME', () => {
      const nested = mkdir('app', 'node_modules', '@acme', 'tools', 'node_modules', 'alluxio-s3');
      expect(load({installDir: nested}).get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));
      expect(load({env: {ALLUXIO_HOME: nested}}).get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));
    });

    it('judges the path after resolving symlinks', () => {
      const pkg = mkdir('prefix', 'lib', 'node_modules', 'alluxio-s3');
      const viaLink = path.join(root, 'opt-alluxio');
      fs.symlinkSync(pkg, viaLink);
      expect(load({installDir: viaLink}).get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));

      // npm link: the global node_modules entry is a symlink to a checkout, which stays a checkout
      const checkout = mkdir('src', 'alluxio-s3');
      const linked = path.join(mkdir('prefix2', 'lib', 'node_modules'), 'alluxio-s3');
      fs.symlinkSync(checkout, linked);
      expect(load({installDir: fs.realpathSync(linked)}).get('alluxio.work.dir')).toBe(checkout);
    });

    it('only for a whole node_modules segment', () => {
      for (const name of ['my-node_modules', 'node_modules.bak', 'Node_Modules2']) {
        const dir = mkdir(name, 'alluxio-s3');
        expect(load({installDir: dir}).get('alluxio.work.dir'), name).toBe(dir);
      }
    });

    it('yields to a work folder that a site file or a system property names', () => {
      const pkg = mkdir('prefix', 'lib', 'node_modules', 'alluxio-s3');
      writeSite(path.join(pkg, 'conf'), 'alluxio.work.dir=/srv/alluxio\n');
      expect(load({installDir: pkg}).get('alluxio.work.dir')).toBe('/srv/alluxio');
      const props = {'alluxio.work.dir': '/data/alluxio'};
      expect(load({installDir: pkg, commandLineProperties: props}).get('alluxio.work.dir')).toBe('/data/alluxio');
    });
  });

  it('checks writability for real by default', () => {
    const env = {ALLUXIO_HOME: path.join(root, 'missing')};
    const conf = Configuration.load({env, installDir: install, homeDir: home});
    expect(conf.get('alluxio.work.dir')).toBe(path.join(home, '.alluxio'));
    expect(load({isWritable: undefined}).get('alluxio.work.dir')).toBe(install);
  });

  it('reads typed defaults', () => {
    const conf = new Configuration();
    expect(conf.getDurationMs('alluxio.underfs.s3.socket.timeout')).toBe(50_000);
    expect(conf.getBytes('alluxio.user.block.size.bytes.default')).toBe(64 * 2 ** 20);
    expect(conf.getBytes('alluxio.underfs.object.store.multi.range.chunk.size')).toBe(64 * 2 ** 20);
    expect(conf.getMode('alluxio.underfs.s3.default.mode')).toBe(0o700);
    expect(conf.getBoolean('alluxio.underfs.s3.inherit.acl')).toBe(true);
    expect(conf.getInt('alluxio.master.web.port')).toBe(19999);
    expect(conf.getEnum('alluxio.user.file.writetype.default')).toBe('ASYNC_THROUGH');
    expect(conf.getList('alluxio.tmp.dirs')).toEqual(['/tmp']);
    expect(conf.getDurationMs('alluxio.user.file.metadata.sync.interval')).toBe(-1);
  });
});

describe('precedence', () => {
  const key = 'alluxio.underfs.s3.region';

  it('ranks default < site < ALLUXIO_JAVA_OPTS < ALLUXIO_USER_JAVA_OPTS < command line < mount option', () => {
    const site = writeSite(path.join(install, 'conf'), `${key}=site\nalluxio.underfs.s3.endpoint=site`);
    const env = {ALLUXIO_JAVA_OPTS: `-Xmx1g -D${key}=java`, ALLUXIO_USER_JAVA_OPTS: `-D${key}=user`};

    expect(load().getOrUndefined(key)).toBe('site');
    expect(load().source(key)).toEqual({source: 'SITE_PROPERTY', detail: site});
    expect(load({env: {ALLUXIO_JAVA_OPTS: env.ALLUXIO_JAVA_OPTS}}).get(key)).toBe('java');
    expect(load({env: {ALLUXIO_JAVA_OPTS: env.ALLUXIO_JAVA_OPTS}}).source(key)).toEqual({
      source: 'SYSTEM_PROPERTY',
      detail: 'ALLUXIO_JAVA_OPTS',
    });
    const user = load({env});
    expect(user.get(key)).toBe('user');
    expect(user.source(key)).toEqual({source: 'SYSTEM_PROPERTY', detail: 'ALLUXIO_USER_JAVA_OPTS'});
    const cli = load({env, commandLineProperties: {[key]: 'cli'}});
    expect(cli.get(key)).toBe('cli');
    expect(cli.source(key)).toEqual({source: 'SYSTEM_PROPERTY', detail: 'command line'});

    const mount = cli.withMountOptions({[key]: 'mount'}, '/mnt/s3');
    expect(mount.get(key)).toBe('mount');
    expect(mount.source(key)).toEqual({source: 'MOUNT_OPTION', detail: '/mnt/s3'});
    expect(mount.get('alluxio.underfs.s3.endpoint')).toBe('site');
    expect(cli.get(key)).toBe('cli');
  });

  it('places RUNTIME between system properties and mount options', () => {
    const conf = load({commandLineProperties: {[key]: 'cli'}});
    conf.set(key, 'runtime');
    expect(conf.get(key)).toBe('runtime');
    expect(conf.source(key)).toEqual({source: 'RUNTIME'});
    expect(conf.withMountOptions({[key]: 'mount'}, '/m').get(key)).toBe('mount');
  });

  it('reads the root UFS from ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS, below -D options', () => {
    const ufsKey = 'alluxio.master.mount.table.root.ufs';
    writeSite(path.join(install, 'conf'), `${ufsKey}=s3://site/`);
    const both = {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: 's3://env/', ALLUXIO_UNDERFS_ADDRESS: 's3://old/'};
    const fromEnv = load({env: both});
    expect(fromEnv.get(ufsKey)).toBe('s3://env/');
    expect(fromEnv.source(ufsKey)).toEqual({source: 'SYSTEM_PROPERTY', detail: 'ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS'});
    expect(load({env: {ALLUXIO_UNDERFS_ADDRESS: 's3://old/'}}).get(ufsKey)).toBe('s3://old/');
    const env = {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: 's3://env/', ALLUXIO_JAVA_OPTS: `-D${ufsKey}=s3://java/`};
    expect(load({env}).get(ufsKey)).toBe('s3://java/');
  });

  it('canonicalizes aliases from every source', () => {
    writeSite(path.join(install, 'conf'), 'aws.accessKeyId=site-id\nalluxio.underfs.s3a.inherit_acl=false');
    const conf = load({
      env: {ALLUXIO_JAVA_OPTS: '-Dalluxio.underfs.s3a.socket.timeout.ms=10sec'},
      commandLineProperties: {'alluxio.underfs.address': 's3://b/'},
    });
    expect(conf.get('s3a.accessKeyId')).toBe('site-id');
    expect(conf.get('aws.accessKeyId')).toBe('site-id');
    expect(conf.getBoolean('alluxio.underfs.s3.inherit.acl')).toBe(false);
    expect(conf.getDurationMs('alluxio.underfs.s3.socket.timeout')).toBe(10_000);
    expect(conf.get('alluxio.master.mount.table.root.ufs')).toBe('s3://b/');
    const mount = conf.withMountOptions({'aws.secretKey': 's'}, '/m');
    expect(mount.get('s3a.secretKey')).toBe('s');
    expect(conf.warnings).toEqual([]);
  });

  it('honours quotes in JAVA_OPTS and ignores tokens that are not -D', () => {
    const conf = load({env: {ALLUXIO_JAVA_OPTS: `-Xmx2g -Dalluxio.user.date.format.pattern='yyyy MM' "-Dmy.key=a b"`}});
    expect(conf.get('alluxio.user.date.format.pattern')).toBe('yyyy MM');
    expect(conf.lookup('my.key')).toBe('a b');
  });

  it('lets ALLUXIO_CONF_DIR choose the conf folder', () => {
    const other = path.join(root, 'etc-conf');
    const file = writeSite(other, 'alluxio.underfs.s3.region=eu');
    const conf = load({env: {ALLUXIO_CONF_DIR: other}});
    expect(conf.siteFile).toBe(file);
    expect(conf.get('alluxio.conf.dir')).toBe(other);
    expect(conf.source('alluxio.conf.dir')).toEqual({source: 'SYSTEM_PROPERTY', detail: 'ALLUXIO_CONF_DIR'});
  });
});

describe('site file search', () => {
  it('prefers the conf folder over ~/.alluxio, and uses only the first file found', () => {
    const inConf = writeSite(path.join(install, 'conf'), 'alluxio.underfs.s3.region=conf');
    writeSite(path.join(home, '.alluxio'), 'alluxio.underfs.s3.region=home\nalluxio.underfs.s3.endpoint=home');
    const conf = load();
    expect(conf.siteFile).toBe(inConf);
    expect(conf.get('alluxio.underfs.s3.region')).toBe('conf');
    expect(conf.isSet('alluxio.underfs.s3.endpoint')).toBe(false);
  });

  it('falls back to ~/.alluxio', () => {
    const inHome = writeSite(path.join(home, '.alluxio'), 'alluxio.underfs.s3.region=home');
    const conf = load();
    expect(conf.siteFile).toBe(inHome);
    expect(conf.get('alluxio.underfs.s3.region')).toBe('home');
  });

  it('follows alluxio.site.conf.dir when set as a system property', () => {
    const a = path.join(root, 'a');
    const b = writeSite(path.join(root, 'b'), 'alluxio.underfs.s3.region=b');
    const conf = load({commandLineProperties: {'alluxio.site.conf.dir': `${a},${path.join(root, 'b')}`}});
    expect(conf.siteFile).toBe(b);
  });
});

describe('substitution', () => {
  it('resolves nested templates when read', () => {
    writeSite(
      path.join(install, 'conf'),
      'my.base=s3://bucket\nmy.dir=${my.base}/data\nalluxio.master.mount.table.root.ufs=${my.dir}/root',
    );
    const conf = load({commandLineProperties: {'my.base': 's3://other'}});
    expect(conf.get('alluxio.master.mount.table.root.ufs')).toBe('s3://other/data/root');
    conf.set('alluxio.work.dir', '/w');
    expect(conf.get('alluxio.logs.dir')).toBe('/w/logs');
  });

  it('names a cycle with its chain', () => {
    const conf = new Configuration();
    conf.set('a.key', '${b.key}');
    conf.set('b.key', 'x${a.key}');
    expect(() => conf.lookup('a.key')).toThrowError(
      'Circular dependency found while resolving a.key: a.key -> b.key -> a.key',
    );
    expect(() => new Configuration().set('alluxio.logs.dir', '${alluxio.logs.dir}/x')).toThrowError(
      'Circular dependency found while resolving alluxio.logs.dir: alluxio.logs.dir -> alluxio.logs.dir',
    );
  });

  it('rejects unknown keys and unset known keys', () => {
    const conf = new Configuration();
    conf.set('x.key', '${NOT_A_KEY}/a');
    expect(() => conf.lookup('x.key')).toThrowError('Invalid property key NOT_A_KEY in the value of x.key');
    conf.set('y.key', '${alluxio.underfs.s3.endpoint}');
    expect(() => conf.lookup('y.key')).toThrowError('No value set for configuration key alluxio.underfs.s3.endpoint');
    expect(() => conf.get('alluxio.master.hostname')).toThrowError(
      'No value set for configuration key alluxio.master.hostname',
    );
    expect(conf.getOrUndefined('alluxio.master.hostname')).toBeUndefined();
    expect(conf.lookup('not.set.anywhere')).toBeUndefined();
  });

  it('fails at load on a bad template in a known key', () => {
    writeSite(path.join(install, 'conf'), 'alluxio.underfs.s3.endpoint=http://${alluxio.master.hostnam}:9000');
    expect(() => load()).toThrowError(
      'Invalid property key alluxio.master.hostnam in the value of alluxio.underfs.s3.endpoint',
    );
  });
});

describe('validation', () => {
  it('fails at load on badly typed site values with one line naming key, value and file', () => {
    const file = writeSite(path.join(install, 'conf'), 'alluxio.underfs.s3.default.mode=0999');
    expect(() => load()).toThrowError(
      `Invalid value 0999 for alluxio.underfs.s3.default.mode (from ${file}): ` +
        'expected an octal mode such as 0700 or 755',
    );
    writeSite(path.join(install, 'conf'), 'alluxio.underfs.s3.socket.timeout=abc');
    expect(() => load()).toThrowError(
      `Invalid value abc for alluxio.underfs.s3.socket.timeout (from ${file}): ` +
        'expected a duration such as 50sec or 1min',
    );
  });

  it('names the system property source and validates aliases under the canonical name', () => {
    expect(() => load({commandLineProperties: {'alluxio.underfs.s3a.inherit_acl': 'yes'}})).toThrowError(
      'Invalid value yes for alluxio.underfs.s3.inherit.acl (from command line): expected true or false',
    );
    expect(() => load({env: {ALLUXIO_JAVA_OPTS: '-Dalluxio.user.file.readtype.default=FAST'}})).toThrowError(
      'Invalid value FAST for alluxio.user.file.readtype.default (from ALLUXIO_JAVA_OPTS): ' +
        'expected one of CACHE_PROMOTE, CACHE, NO_CACHE',
    );
  });

  it('only checks the value in effect', () => {
    writeSite(path.join(install, 'conf'), 'alluxio.underfs.s3.threads.max=lots');
    const conf = load({commandLineProperties: {'alluxio.underfs.s3.threads.max': '80'}});
    expect(conf.getInt('alluxio.underfs.s3.threads.max')).toBe(80);
  });

  it('validates mount options, root mount options and runtime values', () => {
    const conf = load();
    expect(() => conf.withMountOptions({'alluxio.underfs.s3.upload.threads.max': 'many'}, '/mnt/s3')).toThrowError(
      'Invalid value many for alluxio.underfs.s3.upload.threads.max (from the options of mount /mnt/s3): ' +
        'expected an integer of at least 1',
    );
    expect(() => conf.withMountOptions({'alluxio.underfs.s3.streaming.upload.partition.size': '1PB'}, '/m')).toThrowError(
      'Invalid value 1PB for alluxio.underfs.s3.streaming.upload.partition.size (from the options of mount /m): ' +
        'expected a data size from 5MB to 5GB',
    );
    expect(() => conf.set('alluxio.user.block.size.bytes.default', '64 apples')).toThrowError(
      'Invalid value 64 apples for alluxio.user.block.size.bytes.default (from runtime settings): ' +
        'expected a data size of at least 1B',
    );
    expect(() =>
      load({commandLineProperties: {'alluxio.master.mount.table.root.option.alluxio.underfs.s3.socket.timeout': 'x'}}),
    ).toThrowError(/^Invalid value x for alluxio.master.mount.table.root.option.alluxio.underfs.s3.socket.timeout/);
  });

  it('reports a bad typed read with the source of the key read', () => {
    const conf = load({commandLineProperties: {'my.size': '1MB', 'alluxio.user.block.size.bytes.default': '${my.size}'}});
    conf.set('my.size', 'big');
    expect(() => conf.getBytes('alluxio.user.block.size.bytes.default')).toThrowError(
      'Invalid value big for alluxio.user.block.size.bytes.default (from command line): expected a data size such as 64MB or 1GB',
    );
  });
});

describe('${} substitution limits', () => {
  it('a 5,000-deep chain is one configuration error, no stack overflow', () => {
    const chain = Array.from({length: 5000}, (_, i) => `x.k${i}=\${x.k${i + 1}}`).join('\n');
    writeSite(path.join(install, 'conf'), `alluxio.work.dir=\${x.k0}\n${chain}\nx.k5000=/tmp\n`);
    let error: unknown;
    try {
      load();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({kind: 'CONFIGURATION'});
    expect((error as Error).message).toMatch(/^Too deep \$\{\} substitution while resolving alluxio.work.dir: more than 64 levels/);
  });

  it('a chain of 60 resolves', () => {
    const chain = Array.from({length: 60}, (_, i) => `x.k${i}=\${x.k${i + 1}}`).join('\n');
    writeSite(path.join(install, 'conf'), `alluxio.work.dir=\${x.k0}\n${chain}\nx.k60=/data\n`);
    expect(load().get('alluxio.work.dir')).toBe('/data');
  });

  it('a value doubling at every level is refused quickly, not built', () => {
    const levels = Array.from({length: 40}, (_, i) => `x.k${i}=\${x.k${i + 1}}\${x.k${i + 1}}`).join('\n');
    writeSite(path.join(install, 'conf'), `alluxio.work.dir=\${x.k0}\n${levels}\nx.k40=ab\n`);
    const started = Date.now();
    expect(() => load()).toThrowError(/grows beyond 1048576 characters/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('mount options', () => {
  it('unknown keys, alluxio.* or not, are warned about with a suggestion; known ones are not', () => {
    const conf = load().withMountOptions(
      {'alluxio.underfs.s3.endpoitn': 'http://x', 'colour': 'blue', 'aws.accessKeyId': 'AKIA', 'alluxio.underfs.s3.region': 'r'},
      '/mnt/s3',
    );
    expect(conf.warnings).toEqual([
      'Unrecognized property key alluxio.underfs.s3.endpoitn in the options of mount /mnt/s3: did you mean alluxio.underfs.s3.endpoint?',
      'Unrecognized property key colour in the options of mount /mnt/s3',
    ]);
  });

  it.each([
    ['alluxio.underfs.s3.streaming.upload.partition.size', '1', 'a data size from 5MB to 5GB'],
    ['alluxio.underfs.s3.multipart.upload.partition.size', '6GB', 'a data size from 5MB to 5GB'],
    ['alluxio.underfs.s3.upload.threads.max', '0', 'an integer of at least 1'],
    ['alluxio.underfs.s3.threads.max', '-3', 'an integer of at least 1'],
    ['alluxio.underfs.s3.admin.threads.max', '0', 'an integer of at least 1'],
    ['alluxio.underfs.object.store.service.threads', '0', 'an integer of at least 1'],
  ])('%s=%s is refused: expected %s', (key, value, expected) => {
    expect(() => load().withMountOptions({[key]: value}, '/m')).toThrowError(
      `Invalid value ${value} for ${key} (from the options of mount /m): expected ${expected}`,
    );
  });
});

describe('unknown keys', () => {
  it('warns about unknown alluxio.* keys with a suggestion, and accepts other keys silently', () => {
    const file = writeSite(
      path.join(install, 'conf'),
      'alluxio.underfs.s3.socket.timout=10sec\nalluxio.x.y=1\nfs.custom.key=2\n',
    );
    const conf = load({commandLineProperties: {'alluxio.user.file.writetype.defualt': 'THROUGH'}});
    expect(conf.warnings).toEqual([
      'Unrecognized property key alluxio.user.file.writetype.defualt in command line: ' +
        'did you mean alluxio.user.file.writetype.default?',
      `Unrecognized property key alluxio.underfs.s3.socket.timout in ${file}: ` +
        'did you mean alluxio.underfs.s3.socket.timeout?',
      `Unrecognized property key alluxio.x.y in ${file}`,
    ]);
    expect(conf.lookup('fs.custom.key')).toBe('2');
    expect(conf.lookup('alluxio.x.y')).toBe('1');
  });

  it('keeps mount option warnings on the mount configuration only', () => {
    const conf = load();
    const mount = conf.withMountOptions({'alluxio.underfs.s3.regoin': 'eu'}, '/mnt/s3');
    expect(mount.warnings).toEqual([
      'Unrecognized property key alluxio.underfs.s3.regoin in the options of mount /mnt/s3: ' +
        'did you mean alluxio.underfs.s3.region?',
    ]);
    expect(conf.warnings).toEqual([]);
  });
});

describe('display and listing', () => {
  it('masks credentials in displayValue and entries but returns them from get', () => {
    writeSite(path.join(install, 'conf'), 'aws.accessKeyId=AKIA0001\ns3a.secretKey=topsecret\nmy.sessionToken=tok');
    const conf = load();
    expect(conf.get('s3a.secretKey')).toBe('topsecret');
    expect(conf.displayValue('s3a.secretKey')).toBe('******');
    expect(conf.displayValue('aws.accessKeyId')).toBe('******');
    expect(conf.displayValue('alluxio.underfs.s3.socket.timeout')).toBe('50sec');
    const listed = conf.entries({includeDefaults: false});
    expect(listed.map((e) => [e.key, e.displayValue, e.source.source])).toEqual([
      ['alluxio.home', install, 'SYSTEM_PROPERTY'],
      ['my.sessionToken', '******', 'SITE_PROPERTY'],
      ['s3a.accessKeyId', '******', 'SITE_PROPERTY'],
      ['s3a.secretKey', '******', 'SITE_PROPERTY'],
    ]);
    expect(listed.find((e) => e.key === 's3a.secretKey')?.value).toBe('topsecret');
    expect(JSON.stringify(listed.map((e) => e.displayValue))).not.toContain('topsecret');
  });

  it('lists defaults substituted and sorted when asked', () => {
    const all = load().entries({includeDefaults: true});
    const keys = all.map((e) => e.key);
    expect(keys).toEqual([...keys].sort());
    expect(all.find((e) => e.key === 'alluxio.logs.dir')).toEqual({
      key: 'alluxio.logs.dir',
      value: `${install}/logs`,
      displayValue: `${install}/logs`,
      source: {source: 'DEFAULT'},
    });
    expect(keys).not.toContain('s3a.accessKeyId');
    expect(keys).not.toContain('aws.accessKeyId');
  });

  it('extracts the root mount options under their canonical names', () => {
    const prefix = 'alluxio.master.mount.table.root.option.';
    writeSite(path.join(install, 'conf'), `${prefix}aws.accessKeyId=id\n${prefix}alluxio.underfs.s3.region=eu`);
    const conf = load({commandLineProperties: {[`${prefix}s3a.secretKey`]: 'sec'}});
    expect(conf.rootMountOptions()).toEqual({
      'alluxio.underfs.s3.region': 'eu',
      's3a.accessKeyId': 'id',
      's3a.secretKey': 'sec',
    });
    expect(conf.displayValue(`${prefix}s3a.secretKey`)).toBe('******');
    expect(conf.warnings).toEqual([]);
  });
});

describe('JAVA_OPTS splitting', () => {
  it('splits like a shell', () => {
    expect(shellWords(` a  'b c' "d \\"e\\" \\x" f\\ g ''`, 'X')).toEqual(['a', 'b c', 'd "e" \\x', 'f g', '']);
    expect(() => shellWords(`-Dk='oops`, 'ALLUXIO_JAVA_OPTS')).toThrowError(
      "Unterminated ' quote in ALLUXIO_JAVA_OPTS",
    );
  });

  it('keeps -D properties in order', () => {
    expect(parseJavaOpts('-Da=1 -XX:+UseG1GC -Db -Dc=x=y -D=z -Da=2', 'X')).toEqual([
      ['a', '1'],
      ['b', ''],
      ['c', 'x=y'],
      ['a', '2'],
    ]);
  });
});

describe('credentials in a readable site file', () => {
  const secret = 'not-a-secret-in-this-test';

  it('warns when others can read a site file holding keys, with the fix, never the value', () => {
    const file = writeSite(path.join(install, 'conf'), `s3a.accessKeyId=AKIDEXAMPLE\naws.secretKey=${secret}\n`);
    fs.chmodSync(file, 0o644);
    const warnings = load().warnings.filter((w) => w.includes('other users can read'));
    expect(warnings).toEqual([
      `${file} holds aws.secretKey and other users can read it (mode 0644): run chmod 600 ${file}, or use env:NAME / file:/path values`,
    ]);
    expect(warnings.join('\n')).not.toContain(secret);
  });

  it('is quiet for mode 0600 and for env:/file: references', () => {
    const file = writeSite(path.join(install, 'conf'), `s3a.secretKey=${secret}\n`);
    fs.chmodSync(file, 0o600);
    expect(load().warnings.filter((w) => w.includes('other users can read'))).toEqual([]);
    writeSite(path.join(install, 'conf'), 's3a.accessKeyId=env:KEY_ID\ns3a.secretKey=file:/run/secret\n');
    fs.chmodSync(file, 0o644);
    expect(load().warnings.filter((w) => w.includes('other users can read'))).toEqual([]);
  });
});

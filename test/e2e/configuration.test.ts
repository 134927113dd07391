/** Configuration sources, getConf and site-file errors (facts §7, shell facts §11, DESIGN "Configuration"). */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {lsLine, lsLineNoAcl, parseLsLine} from '../helpers/alluxio-format.js';
import {ME, MY_GROUP, cleanupHomes, crashSigns, describeResult, lines, makeHome, setMtime} from '../helpers/cli.js';
import {expectError, expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const DATE_KEY = 'alluxio.user.date.format.pattern';
const T = Date.UTC(2020, 0, 2, 3, 4, 5, 6);

/** A home whose root UFS holds one file /f (1 byte, 0644, modified at T). */
function homeWithFile(site?: string | Record<string, string>, env?: Record<string, string>) {
  const home = makeHome({site, env});
  mkdirSync(home.ufs, {recursive: true});
  writeFileSync(join(home.ufs, 'f'), 'x');
  chmodSync(join(home.ufs, 'f'), 0o644);
  setMtime(join(home.ufs, 'f'), T);
  return home;
}

const fLine = (time: string) =>
  lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size: 1, state: 'PERSISTED', time, inAlluxio: '0%', path: '/f'});

describe.concurrent('sources and priorities', () => {
  it('site file values take effect', async () => {
    const home = homeWithFile({[DATE_KEY]: 'yyyy/MM/dd', 'alluxio.security.authorization.permission.enabled': 'false'});
    expectSuccess(await home.run(['fs', 'ls', '/']), [
      lsLineNoAcl({size: 1, state: 'PERSISTED', time: '2020/01/02', inAlluxio: '0%', path: '/f'}),
    ]);
  });

  it('the site file can move the root mount', async () => {
    const home = makeHome();
    const root = home.mkdir('elsewhere');
    writeFileSync(join(root, 'here'), 'h');
    home.writeSite({'alluxio.master.mount.table.root.ufs': root});
    const r = await home.run(['fs', 'ls', '/']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).toEqual(['/here']);
    const table = await home.run(['fs', 'mount']);
    expectSuccess(table);
    expect(lines(table.stdout)[0].startsWith(`${root}  on  /  (local, `)).toBe(true);
  });

  it('-Dkey=value on the command line beats ALLUXIO_JAVA_OPTS, which beats the site file', async () => {
    const home = homeWithFile({[DATE_KEY]: 'yyyy'});
    const javaOpts = {ALLUXIO_JAVA_OPTS: `-Xmx1g -D${DATE_KEY}=MM`};
    const [site, opts, cmdBefore, cmdAfter, cmdMiddle] = await Promise.all([
      home.run(['fs', 'ls', '/']),
      home.run(['fs', 'ls', '/'], {env: javaOpts}),
      home.run([`-D${DATE_KEY}=dd`, 'fs', 'ls', '/'], {env: javaOpts}),
      home.run(['fs', 'ls', '/', `-D${DATE_KEY}=dd`], {env: javaOpts}),
      home.run(['fs', `-D${DATE_KEY}=dd`, 'ls', '/'], {env: javaOpts}),
    ]);
    expectSuccess(site, [fLine('2020')]);
    expectSuccess(opts, [fLine('01')]);
    for (const r of [cmdBefore, cmdAfter, cmdMiddle]) expectSuccess(r, [fLine('02')]);
  });

  it('ALLUXIO_USER_JAVA_OPTS is read too', async () => {
    const home = homeWithFile({[DATE_KEY]: 'yyyy'});
    expectSuccess(await home.run(['fs', 'ls', '/'], {env: {ALLUXIO_USER_JAVA_OPTS: `-D${DATE_KEY}=HH`}}), [fLine('03')]);
  });

  it('getConf KEY and getConf --source KEY: SITE_PROPERTY (/path), SYSTEM_PROPERTY, DEFAULT', async () => {
    const home = makeHome({site: {[DATE_KEY]: 'yyyy'}});
    const [value, source, sysValue, sysSource, javaOptsSource, def, defSource, anywhere] = await Promise.all([
      home.run(['getConf', DATE_KEY]),
      home.run(['getConf', '--source', DATE_KEY]),
      home.run(['getConf', `-D${DATE_KEY}=MM`, DATE_KEY]),
      home.run([`-D${DATE_KEY}=MM`, 'getConf', '--source', DATE_KEY]),
      home.run(['getConf', '--source', DATE_KEY], {env: {ALLUXIO_JAVA_OPTS: `-D${DATE_KEY}=MM`}}),
      home.run(['getConf', 'alluxio.user.file.writetype.default']),
      home.run(['getConf', '--source', 'alluxio.user.file.writetype.default']),
      home.run(['getConf', DATE_KEY, `-D${DATE_KEY}=ss`]),
    ]);
    expectSuccess(value, ['yyyy']);
    expectSuccess(source, [`SITE_PROPERTY (${home.siteFile})`]);
    expectSuccess(sysValue, ['MM']);
    expectSuccess(sysSource, ['SYSTEM_PROPERTY']);
    expectSuccess(javaOptsSource, ['SYSTEM_PROPERTY']);
    expectSuccess(def, ['ASYNC_THROUGH']);
    expectSuccess(defSource, ['DEFAULT']);
    expectSuccess(anywhere, ['ss']);
  });

  it('getConf: an unset key prints an empty line; --unit converts; alias names are accepted', async () => {
    const home = makeHome({site: {'alluxio.underfs.s3a.socket.timeout': '10sec'}});
    const [unset, kb, ms, badUnit, alias, canonical] = await Promise.all([
      home.run(['getConf', 'alluxio.master.hostname']),
      home.run(['getConf', '--unit', 'KB', 'alluxio.user.block.size.bytes.default']),
      home.run(['getConf', '--unit', 'ms', 'alluxio.underfs.s3.socket.timeout']),
      home.run(['getConf', '--unit', 'XX', 'alluxio.underfs.s3.socket.timeout']),
      home.run(['getConf', 'alluxio.underfs.s3a.socket.timeout']),
      home.run(['getConf', 'alluxio.underfs.s3.socket.timeout']),
    ]);
    expectSuccess(unset, ['']);
    expectSuccess(kb, ['65536']);
    expectSuccess(ms, ['10000']);
    expect(badUnit.code, describeResult(badUnit)).not.toBe(0);
    expect(lines(badUnit.stderr)[0]).toBe('XX is not a valid unit');
    expectSuccess(alias, ['10sec']);
    expectSuccess(canonical, ['10sec']);
  });

  it('ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS moves the root mount, above the site file', async () => {
    const home = makeHome();
    const siteRoot = home.mkdir('site-root');
    const envRoot = home.mkdir('env-root');
    writeFileSync(join(envRoot, 'from-env'), 'e');
    writeFileSync(join(siteRoot, 'from-site'), 's');
    home.writeSite({'alluxio.master.mount.table.root.ufs': siteRoot});
    const env = {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: envRoot};
    const [ls, value, source] = await Promise.all([
      home.run(['fs', 'ls', '/'], {env}),
      home.run(['getConf', 'alluxio.master.mount.table.root.ufs'], {env}),
      home.run(['getConf', '--source', 'alluxio.master.mount.table.root.ufs'], {env}),
    ]);
    expectSuccess(ls);
    expect(lines(ls.stdout).map((l) => parseLsLine(l).path)).toEqual(['/from-env']);
    expectSuccess(value, [envRoot]);
    expectSuccess(source, ['SYSTEM_PROPERTY']);
  });

  it('site file search: conf dir first, then ~/.alluxio/ (the first found wins)', async () => {
    const home = makeHome();
    const userConf = join(home.userHome, '.alluxio');
    mkdirSync(userConf);
    writeFileSync(join(userConf, 'alluxio-site.properties'), `${DATE_KEY}=from-user-home\n`);
    const fromUser = await home.run(['getConf', '--source', DATE_KEY]);
    expectSuccess(fromUser, [`SITE_PROPERTY (${join(userConf, 'alluxio-site.properties')})`]);
    expectSuccess(await home.run(['getConf', DATE_KEY]), ['from-user-home']);
    home.writeSite(`alluxio.user.file.readtype.default=NO_CACHE\n`);
    // The conf dir's file wins and the search stops: ~/.alluxio's value is not merged in.
    const [pattern, readType] = await Promise.all([home.run(['getConf', DATE_KEY]), home.run(['getConf', 'alluxio.user.file.readtype.default'])]);
    expectSuccess(pattern, ['MM-dd-yyyy HH:mm:ss:SSS']);
    expectSuccess(readType, ['NO_CACHE']);
  });

  it('reads Java .properties syntax: separators, continuations, comments, escapes, ${key} substitution', async () => {
    const home = makeHome({
      site: [
        '# a comment',
        '! another comment',
        `${DATE_KEY} : yyyy-\\`,
        '    MM',
        'alluxio.master.hostname   host\\u0041',
        'alluxio.underfs.s3.endpoint=http://${alluxio.master.hostname}:7480',
        '   alluxio.underfs.s3.region=eu-west-1   ',
        '',
      ].join('\n'),
    });
    const results = await Promise.all([
      home.run(['getConf', DATE_KEY]),
      home.run(['getConf', 'alluxio.master.hostname']),
      home.run(['getConf', 'alluxio.underfs.s3.endpoint']),
      home.run(['getConf', 'alluxio.underfs.s3.region']),
    ]);
    expectSuccess(results[0], ['yyyy-MM']);
    expectSuccess(results[1], ['hostA']);
    expectSuccess(results[2], ['http://hostA:7480']);
    expectSuccess(results[3], ['eu-west-1']);
  });
});

describe.concurrent('getConf listing', () => {
  it('lists every key as key=value, sorted by key, credentials as ******', async () => {
    const secret = 'VerySecretValue99';
    const keyId = 'AKIDLISTING000001';
    const home = makeHome({site: {'s3a.secretKey': secret, 'aws.accessKeyId': keyId, [DATE_KEY]: 'yyyy'}});
    const [all, withSource, one, alias] = await Promise.all([
      home.run(['getConf']),
      home.run(['getConf', '--source']),
      home.run(['getConf', 's3a.secretKey']),
      home.run(['getConf', 'aws.accessKeyId']),
    ]);
    expectSuccess(all);
    const rows = lines(all.stdout);
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect(row).toMatch(/^[\w.-]+=/);
    const keys = rows.map((row) => row.slice(0, row.indexOf('=')));
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows).toContain('s3a.secretKey=******');
    expect(rows).toContain('s3a.accessKeyId=******');
    expect(rows).toContain(`${DATE_KEY}=yyyy`);
    expect(rows).toContain(`alluxio.home=${home.dir}`);
    expect(rows).toContain('alluxio.user.file.writetype.default=ASYNC_THROUGH');

    expectSuccess(withSource);
    const sourced = lines(withSource.stdout);
    expect(sourced).toHaveLength(rows.length);
    expect(sourced).toContain(`${DATE_KEY}=yyyy (SITE_PROPERTY (${home.siteFile}))`);
    expect(sourced).toContain('alluxio.user.file.writetype.default=ASYNC_THROUGH (DEFAULT)');
    for (const row of sourced) expect(row).toMatch(/ \((DEFAULT|SYSTEM_PROPERTY|SITE_PROPERTY \(.+\)|RUNTIME|MOUNT_OPTION|CLUSTER_DEFAULT)\)$/);

    expectSuccess(one, ['******']);
    expectSuccess(alias, ['******']);
    for (const r of [all, withSource, one, alias]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(keyId);
    }
  });

  it('masks the password of a URL value (postgresql://user:password@host) in the listing and for one key', async () => {
    const url = 'postgresql://alice:Hunter2Pw@db.example:5432/ns';
    const home = makeHome({site: {'alluxio.master.metastore.postgres.url': url}});
    const [all, one] = await Promise.all([home.run(['getConf']), home.run(['getConf', 'alluxio.master.metastore.postgres.url'])]);
    expectSuccess(one, ['postgresql://alice:******@db.example:5432/ns']);
    expectSuccess(all);
    expect(lines(all.stdout)).toContain('alluxio.master.metastore.postgres.url=postgresql://alice:******@db.example:5432/ns');
    for (const r of [all, one]) expect(r.stdout + r.stderr).not.toContain('Hunter2Pw');
  });

  it('an unknown key: <key> is not a valid configuration key, non-zero exit', async () => {
    const home = makeHome();
    const [unknown, alluxioUnknown] = await Promise.all([home.run(['getConf', 'foo.bar']), home.run(['getConf', 'alluxio.no.such.key'])]);
    for (const [r, key] of [[unknown, 'foo.bar'], [alluxioUnknown, 'alluxio.no.such.key']] as const) {
      expect(r.code, describeResult(r)).not.toBe(0);
      expect(r.code, describeResult(r)).not.toBeNull();
      expect(lines(r.stderr)[0], describeResult(r)).toBe(`${key} is not a valid configuration key`);
      expect(crashSigns(r)).toEqual([]);
    }
  });
});

describe.concurrent('errors in the site file', () => {
  it('a 5,000-deep ${} chain: one configuration line, no stack, exit 255', async () => {
    const chain = Array.from({length: 5000}, (_, i) => `x.k${i}=\${x.k${i + 1}}\n`).join('');
    const home = makeHome({site: `alluxio.work.dir=\${x.k0}\n${chain}x.k5000=/tmp\n`});
    expectError(await home.run(['fs', 'ls', '/']), /^Too deep \$\{\} substitution while resolving alluxio\.work\.dir: more than 64 levels/, {hint: true});
  });

  it('part sizes outside 5MB-5GB and pools of no thread are refused', async () => {
    const home = makeHome({site: {'alluxio.underfs.s3.streaming.upload.partition.size': '1PB'}});
    expectError(
      await home.run(['fs', 'ls', '/']),
      `Invalid value 1PB for alluxio.underfs.s3.streaming.upload.partition.size (from ${home.siteFile}): expected a data size from 5MB to 5GB`,
    );
    expectError(
      await makeHome().run(['fs', '-Dalluxio.underfs.s3.upload.threads.max=0', 'ls', '/']),
      'Invalid value 0 for alluxio.underfs.s3.upload.threads.max (from command line): expected an integer of at least 1',
    );
  });

  const COMMANDS = [
    ['fs', 'ls', '/'],
    ['fs', 'mkdir', '/x'],
    ['fs', 'mount'],
    ['getConf'],
    ['getConf', 'alluxio.home'],
    ['runTests', '--operation', 'BASIC', '--readType', 'CACHE', '--writeType', 'THROUGH'],
    ['format'],
  ];

  for (const [key, value, commands] of [
    ['alluxio.underfs.s3.default.mode', '0999', COMMANDS],
    ['alluxio.underfs.s3.socket.timeout', 'abc', COMMANDS],
    ['alluxio.worker.tieredstore.level0.dirs.quota', '12XB', COMMANDS.slice(0, 2)],
    ['alluxio.user.file.writetype.default', 'SOMETIMES', COMMANDS.slice(0, 2)],
  ] as const) {
    it(`a bad typed value (${key}=${value}) fails every command with one line naming key, value and file`, async () => {
      const home = makeHome({site: `# comment\n${key}=${value}\n`});
      const results = await Promise.all(commands.map((args) => home.run([...args])));
      for (const r of results) {
        const d = describeResult(r);
        expect(r.code, d).not.toBe(0);
        expect(r.code, d).not.toBeNull();
        expect(r.stdout, d).toBe('');
        const err = lines(r.stderr);
        expect(err.length, d).toBeGreaterThanOrEqual(1);
        expect(err.length, d).toBeLessThanOrEqual(2);
        expect(err[0], d).toContain(key);
        expect(err[0], d).toContain(value);
        expect(err[0], d).toContain(home.siteFile);
        if (err[1] !== undefined) expect(err[1], d).toMatch(/^Hint: /);
        expect(crashSigns(r), d).toEqual([]);
      }
    });
  }

  it('a ${a} / ${b} cycle is a clear error naming the keys', async () => {
    const home = makeHome({
      site: `${DATE_KEY}=\${alluxio.logs.dir}\nalluxio.logs.dir=\${${DATE_KEY}}\n`,
    });
    const [ls, get] = await Promise.all([home.run(['fs', 'ls', '/']), home.run(['getConf', DATE_KEY])]);
    for (const r of [ls, get]) {
      expectError(r, /^Circular dependency found while resolving /);
      expect(lines(r.stderr)[0]).toContain(DATE_KEY);
      expect(lines(r.stderr)[0]).toContain('alluxio.logs.dir');
    }
  });

  it('a ${key} naming no property is a clear error', async () => {
    const home = makeHome({site: 'alluxio.master.hostname=${alluxio.nope}\n'});
    expectError(await home.run(['getConf', 'alluxio.master.hostname']), /alluxio\.nope/);
  });

  it('an unknown alluxio.* key warns with a suggestion on stderr; the command works', async () => {
    const home = homeWithFile(`alluxio.user.date.format.pattren=yyyy\n`);
    const r = await home.run(['fs', 'ls', '/']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout)).toEqual([fLine('01-02-2020 03:04:05:006')]);
    const warnings = lines(r.stderr);
    expect(warnings, describeResult(r)).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN\b/);
    expect(warnings[0]).toContain('alluxio.user.date.format.pattren');
    expect(warnings[0]).toContain(`did you mean ${DATE_KEY}`);
  });

  it('a malformed \\u escape is an error naming the file and the line', async () => {
    const home = makeHome({site: `# line 1\nalluxio.master.hostname=localhost\n${DATE_KEY}=a\\u00zz\n`});
    for (const r of await Promise.all([home.run(['fs', 'ls', '/']), home.run(['getConf', 'alluxio.home'])])) {
      const d = describeResult(r);
      expect(r.code, d).not.toBe(0);
      expect(r.stdout, d).toBe('');
      const err = lines(r.stderr);
      expect(err[0], d).toContain(home.siteFile);
      expect(err[0], d).toMatch(/\bline 3\b/);
      expect(err[0], d).toMatch(/\\u/);
      expect(err.length, d).toBeLessThanOrEqual(2);
      expect(crashSigns(r), d).toEqual([]);
    }
  });
});

/** `alluxio fs mount` / `unmount` over local folders (facts §5.1, §5.5). */
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, type RunResult, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const SIZE = String.raw`(?:\d+B|\d+\.\d\d[KMGTPE]B)`;

interface TableRow {
  ufs: string;
  path: string;
  type: string;
  readOnly: boolean;
  shared: boolean;
  properties: string[];
}

/**
 * Parses `fs mount` output: `<ufs padded>  on  <path padded>  (<type>, capacity=<s>, used=<s>(<p>%), [not ]read-only,
 * [not ]shared, properties={k=v, ...})`, checking the padding: all `on`s and all `(`s line up.
 */
function parseTable(out: string): TableRow[] {
  const rows = lines(out);
  const re = new RegExp(
    String.raw`^(\S+)( +)on  (\S+)( +)\((\w+), capacity=${SIZE}, used=${SIZE}\(\d+%\), (not )?read-only, (not )?shared, properties=\{(.*)\}\)$`,
  );
  const parsed = rows.map((row) => {
    const m = re.exec(row);
    if (!m) throw new Error(`not a mount table line: ${JSON.stringify(row)}`);
    return {m, row};
  });
  const onColumn = new Set(parsed.map(({row}) => row.indexOf('  on  ')));
  const parenColumn = new Set(parsed.map(({m}) => m[1].length + m[2].length + 4 + m[3].length + m[4].length));
  expect(onColumn.size, `"on" column misaligned:\n${out}`).toBe(1);
  expect(parenColumn.size, `"(" column misaligned:\n${out}`).toBe(1);
  for (const {m} of parsed) {
    expect(m[2].length, 'two spaces after the longest UFS URI').toBeGreaterThanOrEqual(2);
    expect(m[4].length, 'two spaces after the longest path').toBeGreaterThanOrEqual(2);
  }
  const minGap = Math.min(...parsed.map(({m}) => m[2].length));
  const minGap2 = Math.min(...parsed.map(({m}) => m[4].length));
  expect(minGap, 'padded to the longest UFS URI, no more').toBe(2);
  expect(minGap2, 'padded to the longest path, no more').toBe(2);
  return parsed.map(({m}) => ({
    ufs: m[1],
    path: m[3],
    type: m[5],
    readOnly: m[6] === undefined,
    shared: m[7] === undefined,
    properties: m[8] === '' ? [] : m[8].split(', ').sort(),
  }));
}

async function mountTable(home: Home): Promise<TableRow[]> {
  const r = await home.run(['fs', 'mount']);
  expectSuccess(r);
  return parseTable(r.stdout);
}

function expectNoSecret(results: RunResult[], secrets: string[]): void {
  for (const r of results) {
    for (const s of secrets) {
      expect(r.stdout.includes(s) || r.stderr.includes(s), `${s} leaked in\n${describeResult(r)}`).toBe(false);
    }
  }
}

describe.concurrent('fs mount', () => {
  it('with no arguments prints the mount table: the root mount on a fresh machine', async () => {
    const home = makeHome();
    const r = await home.run(['fs', 'mount']);
    expectSuccess(r);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(lines(r.stdout)[0]).toMatch(
      new RegExp(
        String.raw`^${home.ufs}  on  /  \(local, capacity=${SIZE}, used=${SIZE}\(\d+%\), not read-only, not shared, properties=\{\}\)$`,
      ),
    );
  });

  it('mounts a local folder: its files appear, writes land in it, the table lists it sorted by path', async () => {
    const home = makeHome();
    const data = home.mkdir('data-folder');
    writeFileSync(join(data, 'existing.txt'), 'was there');
    expectSuccess(await home.run(['fs', 'mount', '/data', data]), [`Mounted ${data} at /data`]);
    expectSuccess(await home.run(['fs', 'mkdir', '/b']));
    const other = home.mkdir('o');
    expectSuccess(await home.run(['fs', 'mount', '/b/other', other]), [`Mounted ${other} at /b/other`]);

    expect(await mountTable(home)).toEqual([
      {ufs: home.ufs, path: '/', type: 'local', readOnly: false, shared: false, properties: []},
      {ufs: other, path: '/b/other', type: 'local', readOnly: false, shared: false, properties: []},
      {ufs: data, path: '/data', type: 'local', readOnly: false, shared: false, properties: []},
    ]);

    const ls = await home.run(['fs', 'ls', '/data']);
    expectSuccess(ls);
    expect(lines(ls.stdout).map((l) => parseLsLine(l).path)).toEqual(['/data/existing.txt']);
    const cat = await home.run(['fs', 'cat', '/data/existing.txt']);
    expect(cat.stdout).toBe('was there');

    expectSuccess(await home.run(['fs', 'touch', '/data/new']), ['/data/new has been created']);
    expect(readdirSync(data).sort()).toEqual(['existing.txt', 'new']);
    // Nothing of the mount leaks into the root folder.
    expect(existsSync(join(home.ufs, 'data'))).toBe(false);
  });

  it('data written under a nested mount lands in that folder, not in the parent mount', async () => {
    const home = makeHome();
    const outer = home.mkdir('outer');
    const inner = home.mkdir('inner');
    const local = join(home.dir, 'payload.txt');
    writeFileSync(local, 'nested payload');
    expectSuccess(await home.run(['fs', 'mount', '/outer', outer]));
    expectSuccess(await home.run(['fs', 'mount', '/outer/inner', inner]));
    expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=CACHE_THROUGH', 'copyFromLocal', local, '/outer/inner/p.txt']));
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/outer/q.txt']));
    expect(readFileSync(join(inner, 'p.txt'), 'utf8')).toBe('nested payload');
    expect(readFileSync(join(outer, 'q.txt'), 'utf8')).toBe('nested payload');
    expect(readdirSync(outer)).toEqual(['q.txt']);
    expect(readdirSync(home.ufs)).toEqual([]);
    const r = await home.run(['fs', 'ls', '-R', '/outer']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).toEqual(['/outer/inner', '/outer/inner/p.txt', '/outer/q.txt']);
  });

  it('--option k=v may be repeated; credentials show as ****** and never appear in any output', async () => {
    const home = makeHome();
    const dir = home.mkdir('creds');
    const secret = 'TopSecretValue42';
    const keyId = 'AKIDSECRET1234567890';
    const mount = await home.run([
      'fs',
      'mount',
      '--option',
      'alluxio.underfs.listing.length=100',
      '--option',
      `s3a.secretKey=${secret}`,
      '--option',
      `aws.accessKeyId=${keyId}`,
      '--option',
      'custom.key=k=v',
      '/creds',
      dir,
    ]);
    // A key no under storage reads is kept, with a warning, as unknown keys of a site file are.
    expect(mount.stderr).toBe('WARN: Unrecognized property key custom.key in the options of mount /creds\n');
    expect(lines(mount.stdout)).toEqual([`Mounted ${dir} at /creds`]);
    expect(mount.code).toBe(0);
    const table = await home.run(['fs', 'mount']);
    expectSuccess(table);
    const rows = parseTable(table.stdout);
    expect(rows[1]).toEqual({
      ufs: dir,
      path: '/creds',
      type: 'local',
      readOnly: false,
      shared: false,
      // Keys print under their canonical names; the value after the first = is kept whole.
      properties: ['alluxio.underfs.listing.length=100', 'custom.key=k=v', 's3a.accessKeyId=******', 's3a.secretKey=******'],
    });
    const others = await Promise.all([
      home.run(['fs', 'mount', '--json']),
      home.run(['fs', 'ls', '/']),
      home.run(['fs', 'stat', '/creds']),
      home.run(['getConf']),
      home.run(['fs', 'mount', '--option', `s3a.secretKey=${secret}`, '/creds', dir]),
      home.run(['fs', 'mount', '--option', `s3a.secretKey=${secret}`, '--option', `aws.accessKeyId=${keyId}`, '/sub', join(dir, 'sub')]),
    ]);
    expect(others[0].code).toBe(0);
    expect(JSON.stringify(JSON.parse(others[0].stdout))).toContain('******');
    expect(others[4].code).toBe(255);
    expect(others[5].code).toBe(255);
    expectNoSecret([mount, table, ...others], [secret, keyId]);
  });

  it('a key file for secrets that cannot be made fails the mount with one line naming it, and stores nothing', async () => {
    const home = makeHome();
    const dir = home.mkdir('sealed');
    const keyFile = join(home.dir, 'not-a-folder', 'secret.key');
    writeFileSync(join(home.dir, 'not-a-folder'), 'a file');
    const r = await home.run([
      'fs', `-Dalluxio.master.metastore.secret.key.file=${keyFile}`, 'mount', '--option', 's3a.secretKey=TopSecretValue42', '/sealed', dir,
    ]);
    expectError(r, `Cannot seal s3a.secretKey with the key file ${keyFile}: not a directory`, {hint: true});
    expectNoSecret([r], ['TopSecretValue42']);
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
  });

  it('--readonly: reads work, every write under it fails with Alluxio\'s text and leaves the folder alone', async () => {
    const home = makeHome();
    const dir = home.mkdir('ro');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a'), 'read me');
    const local = join(home.dir, 'local.txt');
    writeFileSync(local, 'x');
    expectSuccess(await home.run(['fs', 'mount', '--readonly', '/ro', dir]), [`Mounted ${dir} at /ro`]);
    expect((await mountTable(home))[1]).toMatchObject({path: '/ro', readOnly: true, shared: false});
    const cat = await home.run(['fs', 'cat', '/ro/a']);
    expectSuccess(cat);
    expect(cat.stdout).toBe('read me');

    const denied = (path: string) => `A write operation on ${path} under a readonly mount point /ro is not allowed`;
    const results = await Promise.all([
      home.run(['fs', 'touch', '/ro/t']),
      home.run(['fs', 'mkdir', '/ro/d']),
      home.run(['fs', 'rm', '/ro/a']),
      home.run(['fs', 'rm', '-R', '/ro/sub']),
      home.run(['fs', 'chmod', '777', '/ro/a']),
      home.run(['fs', 'chown', 'nobody', '/ro/a']),
      home.run(['fs', 'chgrp', 'daemon', '/ro/a']),
      home.run(['fs', 'copyFromLocal', local, '/ro/c']),
      home.run(['fs', 'mount', '/ro/sub/m', home.mkdir('m')]),
    ]);
    expectError(results[0], denied('/ro/t'));
    expectError(results[1], denied('/ro/d'));
    expectError(results[2], denied('/ro/a'));
    expectError(results[3], denied('/ro/sub'));
    expectError(results[4], denied('/ro/a'));
    expectError(results[5], denied('/ro/a'));
    expectError(results[6], denied('/ro/a'));
    expectError(results[7], denied('/ro/c'));
    expectError(results[8], denied('/ro/sub/m'));
    const mv = await home.run(['fs', 'mv', '/ro/a', '/ro/b']);
    expectError(mv, /^A write operation on \/ro\/[ab] under a readonly mount point \/ro is not allowed$/);
    expect(readdirSync(dir).sort()).toEqual(['a', 'sub']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('read me');
  });

  it('--shared is shown in the table', async () => {
    const home = makeHome();
    const dir = home.mkdir('sh');
    expectSuccess(await home.run(['fs', 'mount', '--shared', '/sh', dir]));
    expect((await mountTable(home))[1]).toMatchObject({path: '/sh', readOnly: false, shared: true});
  });

  it('refuses an existing path, the root, a prefix of another mount either way, and a missing folder', async () => {
    const home = makeHome();
    const dir = home.mkdir('m1');
    mkdirSync(join(dir, 'inside'));
    expectSuccess(await home.run(['fs', 'mount', '/m1', dir]));
    expectSuccess(await home.run(['fs', 'mkdir', '/existing']));
    const results = await Promise.all([
      home.run(['fs', 'mount', '/m1', home.mkdir('m2')]),
      home.run(['fs', 'mount', '/existing', home.mkdir('m3')]),
      home.run(['fs', 'mount', '/', home.mkdir('m4')]),
      home.run(['fs', 'mount', '/inner', join(dir, 'inside')]),
      home.run(['fs', 'mount', '/outer', home.dir]),
      home.run(['fs', 'mount', '/missing', join(home.dir, 'no-such-folder')]),
    ]);
    expectError(results[0], 'Mount point target path /m1 already exists in Alluxio namespace. Try mounting to another path.');
    expectError(results[1], 'Mount point target path /existing already exists in Alluxio namespace. Try mounting to another path.');
    expectError(results[2], 'Mount point target path / already exists in Alluxio namespace. Try mounting to another path.');
    expectError(results[3], `Mount point ${dir} is a prefix of ${join(dir, 'inside')}`);
    // The home folder holds both the root UFS (underFSStorage) and m1.
    expectError(results[4], new RegExp(`^Mount point ${home.dir} is a prefix of ${home.dir}/(underFSStorage|m1)$`));
    expectError(results[5], `Ufs path ${join(home.dir, 'no-such-folder')} does not exist`);
    expect((await mountTable(home)).map((r) => r.path)).toEqual(['/', '/m1']);
  });

  it('refuses --option without =, and a wrong number of arguments', async () => {
    const home = makeHome();
    const dir = home.mkdir('x');
    const [noEq, one, three] = await Promise.all([
      home.run(['fs', 'mount', '--option', 'foo', '/x', dir]),
      home.run(['fs', 'mount', '/x']),
      home.run(['fs', 'mount', '/x', dir, 'extra']),
    ]);
    expectUsageError(noEq, /\bfoo\b/, /^Usage: alluxio fs mount \[--readonly\] \[--shared\] \[--dry-run\] \[--option <key=val>\] <alluxioPath> <ufsURI>$/);
    expectUsageError(one, 'Command mount takes 0 or 2 arguments, not 1', /^Usage: alluxio fs mount /);
    expectUsageError(three, 'Command mount takes 0 or 2 arguments, not 3', /^Usage: alluxio fs mount /);
    expect((await mountTable(home)).map((r) => r.path)).toEqual(['/']);
  });
});

describe.concurrent('fs unmount', () => {
  it('unmounts: the path disappears, the folder is untouched', async () => {
    const home = makeHome();
    const dir = home.mkdir('u');
    writeFileSync(join(dir, 'keep'), 'kept');
    expectSuccess(await home.run(['fs', 'mount', '/u', dir]));
    expectSuccess(await home.run(['fs', 'cat', '/u/keep']));
    expectSuccess(await home.run(['fs', 'unmount', '/u']), ['Unmounted /u']);
    expectError(await home.run(['fs', 'ls', '/u']), 'Path "/u" does not exist.');
    expect(readFileSync(join(dir, 'keep'), 'utf8')).toBe('kept');
    expect((await mountTable(home)).map((r) => r.path)).toEqual(['/']);
  });

  it('refuses the root, a path that is not a mount point, a missing path', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    const [root, notMount, missing, none] = await Promise.all([
      home.run(['fs', 'unmount', '/']),
      home.run(['fs', 'unmount', '/d']),
      home.run(['fs', 'unmount', '/nope']),
      home.run(['fs', 'unmount']),
    ]);
    expectError(root, 'Failed to unmount /. Please ensure the path is an existing mount point and not root.');
    expectError(notMount, 'Failed to unmount /d. Please ensure the path is an existing mount point.');
    expectError(missing, 'Failed to unmount: Path /nope does not exist');
    expectUsageError(none, 'Command unmount takes 1 arguments, not 0', /^Usage: alluxio fs unmount <alluxioPath>$/);
  });
});

/** First use, format / format -s (facts §5.6), unusable journal folders, and a UFS changed behind Alluxio's back. */
import {existsSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, cleanupHomes, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const MUST_CACHE = '-Dalluxio.user.file.writetype.default=MUST_CACHE';

async function paths(home: Home, dir = '/', env?: Record<string, string>): Promise<string[]> {
  const r = await home.run(['fs', 'ls', dir], {env});
  expectSuccess(r);
  return lines(r.stdout).map((l) => parseLsLine(l).path);
}

describe.concurrent('before any format', () => {
  it('the first command initialises the metastore and the root folder', async () => {
    const home = makeHome();
    expect(existsSync(home.journal)).toBe(false);
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
    expect(existsSync(home.metastore)).toBe(true);
    expect(existsSync(home.ufs)).toBe(true);
    expectSuccess(await home.run(['fs', 'mkdir', '/x']), ['Successfully created directory /x']);
    expect(await paths(home)).toEqual(['/x']);
  });

  it('several first commands at once all succeed', async () => {
    const home = makeHome();
    const results = await Promise.all([1, 2, 3, 4].map((i) => home.run(['fs', 'mkdir', `/x${i}`])));
    results.forEach((r, i) => expectSuccess(r, [`Successfully created directory /x${i + 1}`]));
    expect(await paths(home)).toEqual(['/x1', '/x2', '/x3', '/x4']);
  });
});

describe.concurrent('format', () => {
  it('forgets Alluxio metadata (mounts, unpersisted files, attribute changes) and never touches the under storage', async () => {
    const home = makeHome();
    const mounted = home.mkdir('mounted');
    writeFileSync(join(mounted, 'm'), 'm');
    const local = join(home.dir, 'data.txt');
    writeFileSync(local, 'persisted data');
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/kept']));
    expectSuccess(await home.run(['fs', MUST_CACHE, 'copyFromLocal', local, '/cached-only']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/kept']));
    const mount = await home.run(['fs', 'mount', '/mnt', mounted]);

    const r = await home.run(['format']);
    expectSuccess(r);
    const out = lines(r.stdout);
    const host = hostname();
    expect(out).toContain(`Formatting Alluxio Worker @ ${host}`);
    expect(out).toContain(`Formatting Alluxio Master @ ${host}`);
    expect(out).toContain(`Formatting master journal: ${home.journal}`);
    expect(out[out.length - 1]).toBe('Formatting complete');

    expect(await paths(home)).toEqual(['/kept']);
    const kept = await home.run(['fs', 'ls', '/kept']);
    expect(parseLsLine(lines(kept.stdout)[0])).toMatchObject({perm: '-rw-r--r--', state: 'PERSISTED', inAlluxio: '0%'});
    expect(readFileSync(join(home.ufs, 'kept'), 'utf8')).toBe('persisted data');
    expect(readFileSync(join(mounted, 'm'), 'utf8')).toBe('m');
    const table = await home.run(['fs', 'mount']);
    expect(lines(table.stdout)).toHaveLength(1);
    expectSuccess(mount);
  });

  it('format -s with ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS naming an existing local folder formats nothing, exit 0', async () => {
    const home = makeHome();
    const root = home.mkdir('root-ufs');
    const env = {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: root};
    expectSuccess(await home.run(['fs', 'mkdir', '/x'], {env}));
    expectSuccess(await home.run(['fs', MUST_CACHE, 'touch', '/y'], {env}));
    expect(await paths(home, '/', env)).toEqual(['/x', '/y']);

    const skipped = await home.run(['format', '-s'], {env});
    expect(skipped.code, describeResult(skipped)).toBe(0);
    expect(skipped.stdout).not.toContain('Formatting');
    expect(crashSigns(skipped)).toEqual([]);
    expect(await paths(home, '/', env)).toEqual(['/x', '/y']);

    // A non-local root (s3://...) is not formatted either.
    const s3 = await home.run(['format', '-s'], {env: {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: 's3://bucket/dir'}});
    expect(s3.code, describeResult(s3)).toBe(0);
    expect(s3.stdout).not.toContain('Formatting');
    expect(await paths(home, '/', env)).toEqual(['/x', '/y']);

    // Unset: -s formats as format does.
    const formatted = await home.run(['format', '-s']);
    expectSuccess(formatted);
    expect(lines(formatted.stdout)).toContain('Formatting complete');
    expect(await paths(home, '/', env)).toEqual([]);
  });

  it('format -s with ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS naming a missing local folder formats', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', MUST_CACHE, 'touch', '/y']));
    const r = await home.run(['format', '-s'], {env: {ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS: join(home.dir, 'missing')}});
    expectSuccess(r);
    expect(lines(r.stdout)).toContain('Formatting complete');
    expect(await paths(home)).toEqual([]);
  });

  it('any other argument: Usage: alluxio format [-s], exit 2', async () => {
    const home = makeHome();
    for (const r of await Promise.all([
      home.run(['format', '-x']),
      home.run(['format', '-s', '-s']),
      home.run(['format', 'now']),
    ])) {
      const d = describeResult(r);
      expect(r.code, d).toBe(2);
      expect(r.stdout, d).toBe('');
      expect(lines(r.stderr), d).toContain('Usage: alluxio format [-s]');
      expect(crashSigns(r), d).toEqual([]);
    }
    expect(existsSync(home.journal)).toBe(false);
  });
});

describe.concurrent('an unusable journal folder', () => {
  it('below a regular file: one line naming the folder, a Hint, no stack', async () => {
    const home = makeHome();
    const file = join(home.dir, 'a-file');
    writeFileSync(file, '');
    const journal = join(file, 'journal');
    const prop = `-Dalluxio.master.journal.folder=${journal}`;
    const [ls, mkdir] = await Promise.all([home.run(['fs', prop, 'ls', '/']), home.run(['fs', prop, 'mkdir', '/x'])]);
    for (const r of [ls, mkdir]) {
      expectError(r, new RegExp(journal.replaceAll('/', '\\/')), {hint: true});
    }
    const format = await home.run([prop, 'format']);
    const d = describeResult(format);
    expect(format.code, d).toBe(255);
    const err = lines(format.stderr);
    expect(err, d).toHaveLength(2);
    expect(err[0], d).toContain(journal);
    expect(err[1], d).toMatch(/^Hint: /);
    expect(crashSigns(format), d).toEqual([]);
  });

  it('under /proc: an error, not a hang', async () => {
    const home = makeHome();
    const r = await home.run(['fs', '-Dalluxio.master.journal.folder=/proc/alluxio-journal', 'ls', '/'], {timeoutMs: 5000});
    expect(r.timedOut, describeResult(r)).toBe(false);
    expectError(r, /\/proc\/alluxio-journal/, {hint: true});
  });

  it('a metastore that is not a database: one line and a Hint; format repairs it', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/x']));
    for (const f of readdirSync(home.journal)) rmSync(join(home.journal, f));
    writeFileSync(home.metastore, 'this is not sqlite');
    expectError(await home.run(['fs', 'ls', '/']), new RegExp(home.metastore.replaceAll('/', '\\/')), {hint: true});
    expectSuccess(await home.run(['format']));
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
  });
});

describe.concurrent('the under storage changed behind Alluxio\'s back', () => {
  it('a persisted file removed from the UFS disappears from ls without error; an unpersisted one stays', async () => {
    const home = makeHome();
    const local = join(home.dir, 'data.txt');
    writeFileSync(local, 'data');
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/d/gone']));
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/d/kept']));
    expectSuccess(await home.run(['fs', MUST_CACHE, 'copyFromLocal', local, '/d/cache-only']));
    expectSuccess(await home.run(['fs', 'mkdir', '-Dalluxio.user.file.writetype.default=THROUGH', '/d/sub/deeper']));
    expect(await paths(home, '/d')).toEqual(['/d/cache-only', '/d/gone', '/d/kept', '/d/sub']);

    rmSync(join(home.ufs, 'd', 'gone'));
    rmSync(join(home.ufs, 'd', 'sub'), {recursive: true});
    expect(await paths(home, '/d')).toEqual(['/d/cache-only', '/d/kept']);
    const r = await home.run(['fs', 'ls', '-R', '/']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).toEqual(['/d', '/d/cache-only', '/d/kept']);
    const [ls, cat, stat] = await Promise.all([
      home.run(['fs', 'ls', '/d/gone']),
      home.run(['fs', 'cat', '/d/gone']),
      home.run(['fs', 'stat', '/d/sub/deeper']),
    ]);
    expectError(ls, 'Path "/d/gone" does not exist.');
    expectError(cat, 'Path "/d/gone" does not exist.');
    expectError(stat, 'Path "/d/sub/deeper" does not exist.');
    // The name is free again.
    expectSuccess(await home.run(['fs', 'touch', '/d/gone']), ['/d/gone has been created']);
  });

  it('a file added to the UFS appears at once', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
    writeFileSync(join(home.ufs, 'new'), 'fresh');
    expect(await paths(home)).toEqual(['/new']);
    const r = await home.run(['fs', 'cat', '/new']);
    expectSuccess(r);
    expect(r.stdout).toBe('fresh');
  });
});

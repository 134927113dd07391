/** `alluxio fs ls`: Alluxio's line format, flags and errors (facts §5.2). */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {alluxioDate, lsLine, lsLineNoAcl, parseAlluxioDate, parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, ME, setMtime, MY_GROUP, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

// Fixed modification times (UTC), set on the UFS entries behind Alluxio's back.
const T_F = Date.UTC(2019, 5, 14, 7, 2, 45, 248); // 06-14-2019 07:02:45:248
const T_DIR = Date.UTC(2020, 9, 23, 14, 12, 35, 0); // 10-23-2020 14:12:35:000
const T_BIG = Date.UTC(2021, 0, 2, 3, 4, 5, 6);
const T_HUGE = Date.UTC(2021, 11, 31, 23, 59, 59, 999);
const T_SMALL = Date.UTC(2018, 1, 28, 12, 0, 0, 7);
const T_AB = Date.UTC(2022, 6, 4, 9, 30, 0, 123);
const T_X = Date.UTC(2023, 2, 3, 4, 5, 6, 789);

let home: Home;

/**
 * The root UFS holds:
 *   /a        dir 0755                       (T_DIR)
 *   /a/big    5121 bytes, 0644               (T_BIG)
 *   /a/c      dir 0750                       (T_DIR)
 *   /a/c/x    1 byte, 0600                   (T_X)
 *   /a/f      80 bytes, 0640                 (T_F)
 *   /a/huge   6 MiB, 0644                    (T_HUGE)
 *   /a/small  5120 bytes, 0644               (T_SMALL)
 *   /a-b      dir 0755                       (T_AB)
 */
beforeAll(async () => {
  home = makeHome();
  const u = home.ufs;
  mkdirSync(join(u, 'a', 'c'), {recursive: true});
  mkdirSync(join(u, 'a-b'), {recursive: true});
  const file = (rel: string, size: number, mode: number, mtime: number) => {
    writeFileSync(join(u, rel), Buffer.alloc(size, 7));
    chmodSync(join(u, rel), mode);
    setMtime(join(u, rel), mtime);
  };
  file('a/big', 5121, 0o644, T_BIG);
  file('a/c/x', 1, 0o600, T_X);
  file('a/f', 80, 0o640, T_F);
  file('a/huge', 6 * 1024 * 1024, 0o644, T_HUGE);
  file('a/small', 5120, 0o644, T_SMALL);
  chmodSync(join(u, 'a'), 0o755);
  chmodSync(join(u, 'a', 'c'), 0o750);
  chmodSync(join(u, 'a-b'), 0o755);
  for (const [dir, t] of [['a/c', T_DIR], ['a', T_DIR], ['a-b', T_AB]] as const) {
    setMtime(join(u, dir), t);
  }
  // First use initialises the metastore; the listings below only read.
  expectSuccess(await home.run(['fs', 'ls', '/a-b']), []);
});

const line = {
  a: () => lsLine({perm: 'drwxr-xr-x', owner: ME, group: MY_GROUP, size: 0, state: 'PERSISTED', time: alluxioDate(T_DIR), inAlluxio: 'DIR', path: '/a'}),
  ab: () => lsLine({perm: 'drwxr-xr-x', owner: ME, group: MY_GROUP, size: 0, state: 'PERSISTED', time: alluxioDate(T_AB), inAlluxio: 'DIR', path: '/a-b'}),
  big: (size: string | number = 5121) =>
    lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size, state: 'PERSISTED', time: alluxioDate(T_BIG), inAlluxio: '0%', path: '/a/big'}),
  c: () => lsLine({perm: 'drwxr-x---', owner: ME, group: MY_GROUP, size: 0, state: 'PERSISTED', time: alluxioDate(T_DIR), inAlluxio: 'DIR', path: '/a/c'}),
  x: () => lsLine({perm: '-rw-------', owner: ME, group: MY_GROUP, size: 1, state: 'PERSISTED', time: alluxioDate(T_X), inAlluxio: '0%', path: '/a/c/x'}),
  f: (size: string | number = 80) =>
    lsLine({perm: '-rw-r-----', owner: ME, group: MY_GROUP, size, state: 'PERSISTED', time: alluxioDate(T_F), inAlluxio: '0%', path: '/a/f'}),
  huge: (size: string | number = 6291456) =>
    lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size, state: 'PERSISTED', time: alluxioDate(T_HUGE), inAlluxio: '0%', path: '/a/huge'}),
  small: (size: string | number = 5120) =>
    lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size, state: 'PERSISTED', time: alluxioDate(T_SMALL), inAlluxio: '0%', path: '/a/small'}),
};

describe('the line format', () => {
  it('the test helper reproduces the Java format %-12s%-15s%-15s%15s%16s%24s%5s %-5s', () => {
    // Literal lines from facts §5.2, rebuilt with the helper the other tests use.
    expect(
      lsLine({perm: 'drwx------', owner: 'john', group: 'john', size: 2, state: 'PERSISTED', time: '06-14-2019 07:02:45:248', inAlluxio: 'DIR', path: '/mnt/s3'}),
    ).toBe('drwx------  john           john                         2       PERSISTED 06-14-2019 07:02:45:248  DIR /mnt/s3');
    expect(
      lsLine({perm: '-rwx------', owner: 'john', group: 'john', size: 80, state: 'PERSISTED', time: '06-14-2019 07:02:45:248', inAlluxio: '0%', path: '/mnt/s3/f'}),
    ).toBe('-rwx------  john           john                        80       PERSISTED 06-14-2019 07:02:45:248   0% /mnt/s3/f');
    expect(lsLineNoAcl({size: 5000, state: 'PERSISTED', time: '10-23-2020 14:12:35:000', inAlluxio: 'DIR', path: '/nfs/1990'})).toBe(
      '           5000       PERSISTED 10-23-2020 14:12:35:000  DIR /nfs/1990',
    );
    expect(alluxioDate(T_F)).toBe('06-14-2019 07:02:45:248');
  });

  it('lists the children of / in path order, one Alluxio line each', async () => {
    const r = await home.run(['fs', 'ls', '/']);
    expectSuccess(r, [line.a(), line.ab()]);
    // The exact text for the first line, padding and all (short paths are padded to 5).
    expect(lines(r.stdout)[0]).toBe(
      `drwxr-xr-x  ${ME.padEnd(15)}${MY_GROUP.padEnd(15)}              0       PERSISTED 10-23-2020 14:12:35:000  DIR /a   `,
    );
  });

  it('lists a directory: files with their size, mode and modification time MM-dd-yyyy HH:mm:ss:SSS', async () => {
    expectSuccess(await home.run(['fs', 'ls', '/a']), [line.big(), line.c(), line.f(), line.huge(), line.small()]);
  });

  it('lists a file as itself, and several paths one after the other', async () => {
    expectSuccess(await home.run(['fs', 'ls', '/a/f']), [line.f()]);
    expectSuccess(await home.run(['fs', 'ls', '/a/c', '/a-b', '/a/f']), [line.x(), line.f()]);
  });

  it('-R lists the whole subtree in path order ("/a" < "/a-b" < "/a/c")', async () => {
    const expected = [line.a(), line.ab(), line.big(), line.c(), line.x(), line.f(), line.huge(), line.small()];
    expectSuccess(await home.run(['fs', 'ls', '-R', '/']), expected);
    expectSuccess(await home.run(['fs', 'ls', '--recursive', '/']), expected);
  });

  it('-d shows the directory itself', async () => {
    expectSuccess(await home.run(['fs', 'ls', '-d', '/a']), [line.a()]);
    expectSuccess(await home.run(['fs', 'ls', '-d', '/a', '/a-b']), [line.a(), line.ab()]);
  });

  it('-h prints sizes of files > 5120 bytes as 5.00KB, 6.00MB; 5120 and less in bytes; directories raw', async () => {
    expectSuccess(await home.run(['fs', 'ls', '-h', '/a']), [
      line.big('5.00KB'),
      line.c(),
      line.f('80B'),
      line.huge('6.00MB'),
      line.small('5120B'),
    ]);
  });

  it('--sort size -r sorts by size, largest first; --sort size smallest first', async () => {
    const [desc, asc] = await Promise.all([
      home.run(['fs', 'ls', '--sort', 'size', '-r', '/a']),
      home.run(['fs', 'ls', '--sort', 'size', '/a']),
    ]);
    expectSuccess(desc, [line.huge(), line.big(), line.small(), line.f(), line.c()]);
    expectSuccess(asc, [line.c(), line.f(), line.small(), line.big(), line.huge()]);
  });

  it('--sort name, --sort lastModificationTime and --sort path -r', async () => {
    const [name, mtime, pathDesc] = await Promise.all([
      home.run(['fs', 'ls', '--sort', 'name', '/a']),
      home.run(['fs', 'ls', '--sort', 'lastModificationTime', '/a']),
      home.run(['fs', 'ls', '--sort', 'path', '-r', '/a']),
    ]);
    expectSuccess(name, [line.big(), line.c(), line.f(), line.huge(), line.small()]);
    // T_SMALL 2018 < T_F 2019 < T_DIR 2020 < T_BIG 2021-01 < T_HUGE 2021-12
    expectSuccess(mtime, [line.small(), line.f(), line.c(), line.big(), line.huge()]);
    expectSuccess(pathDesc, [line.small(), line.huge(), line.f(), line.c(), line.big()]);
  });

  it('an unknown --sort field is a usage error with Alluxio\'s text', async () => {
    expectUsageError(await home.run(['fs', 'ls', '--sort', 'foo', '/']), 'Invalid sort option `foo` for --sort', /^Usage: alluxio fs ls /);
  });

  it('an unknown --timestamp field is a usage error with Alluxio\'s text', async () => {
    expectUsageError(await home.run(['fs', 'ls', '--timestamp', 'bogus', '/']), 'Unrecognized timestamp option bogus', /^Usage: alluxio fs ls /);
  });

  it('-Dalluxio.security.authorization.permission.enabled=false drops permission, owner and group', async () => {
    const r = await home.run(['-Dalluxio.security.authorization.permission.enabled=false', 'fs', 'ls', '/']);
    expectSuccess(r, [
      lsLineNoAcl({size: 0, state: 'PERSISTED', time: alluxioDate(T_DIR), inAlluxio: 'DIR', path: '/a'}),
      lsLineNoAcl({size: 0, state: 'PERSISTED', time: alluxioDate(T_AB), inAlluxio: 'DIR', path: '/a-b'}),
    ]);
    expect(lines(r.stdout)[0]).toBe('              0       PERSISTED 10-23-2020 14:12:35:000  DIR /a   ');
  });

  it('shows times in the local time zone of the client (TZ)', async () => {
    const r = await home.run(['fs', 'ls', '/a/f'], {env: {TZ: 'Asia/Tokyo'}});
    expectSuccess(r, [
      lsLine({perm: '-rw-r-----', owner: ME, group: MY_GROUP, size: 80, state: 'PERSISTED', time: '06-14-2019 16:02:45:248', inAlluxio: '0%', path: '/a/f'}),
    ]);
  });

  it('alluxio.user.date.format.pattern changes the timestamp column', async () => {
    const r = await home.run(['fs', 'ls', '/a/f', '-Dalluxio.user.date.format.pattern=yyyy/MM/dd HH:mm']);
    expectSuccess(r, [
      lsLine({perm: '-rw-r-----', owner: ME, group: MY_GROUP, size: 80, state: 'PERSISTED', time: '2019/06/14 07:02', inAlluxio: '0%', path: '/a/f'}),
    ]);
  });

  it('--json gives the same entries, parseable, in path order', async () => {
    const r = await home.run(['fs', 'ls', '--json', '/a']);
    expect(r.code, describeResult(r)).toBe(0);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries.map((e) => e.path)).toEqual(['/a/big', '/a/c', '/a/f', '/a/huge', '/a/small']);
    expect(entries[2]).toMatchObject({
      path: '/a/f',
      name: 'f',
      isDirectory: false,
      length: 80,
      owner: ME,
      group: MY_GROUP,
      mode: 0o640,
      persistenceState: 'PERSISTED',
      lastModificationTime: T_F,
    });
    expect(entries[1]).toMatchObject({path: '/a/c', isDirectory: true, mode: 0o750});
  });

  it('a missing path: Path "/nope" does not exist.', async () => {
    expectError(await home.run(['fs', 'ls', '/nope']), 'Path "/nope" does not exist.');
    expectError(await home.run(['fs', 'ls', '-d', '/a/nope']), 'Path "/a/nope" does not exist.');
  });

  it('no path: Alluxio\'s argument-count message and the usage line', async () => {
    expectUsageError(await home.run(['fs', 'ls']), 'Command ls requires at least 1 arguments (0 provided)', /^Usage: alluxio fs ls .*<path>/);
  });
});

describe('entries created through Alluxio', () => {
  it('show the login user, the umask-applied modes, the persistence state and the cached percentage', async () => {
    // /n is made NOT_PERSISTED (default ASYNC_THROUGH); the THROUGH file below it persists it, as in Alluxio.
    const h = makeHome();
    const before = Date.now();
    expectSuccess(await h.run(['fs', 'mkdir', '/n']), ['Successfully created directory /n']);
    expectSuccess(await h.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'touch', '/n/t']), ['/n/t has been created']);
    expectSuccess(await h.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'touch', '/n/u']), ['/n/u has been created']);
    const after = Date.now();
    const r = await h.run(['fs', 'ls', '-R', '/']);
    expectSuccess(r);
    const out = lines(r.stdout);
    expect(out, describeResult(r)).toHaveLength(3);
    const times = out.map((l) => parseLsLine(l).time);
    for (const t of times) {
      const ms = parseAlluxioDate(t);
      expect(ms).toBeGreaterThanOrEqual(before - 1000);
      expect(ms).toBeLessThanOrEqual(after + 1000);
    }
    expect(out).toEqual([
      lsLine({perm: 'drwxr-xr-x', owner: ME, group: MY_GROUP, size: 0, state: 'PERSISTED', time: times[0], inAlluxio: 'DIR', path: '/n'}),
      lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size: 0, state: 'NOT_PERSISTED', time: times[1], inAlluxio: '100%', path: '/n/t'}),
      lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size: 0, state: 'PERSISTED', time: times[2], inAlluxio: '100%', path: '/n/u'}),
    ]);
  });
});

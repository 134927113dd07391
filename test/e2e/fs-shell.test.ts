/**
 * The shell around the fs commands (facts §1, §3.9, §3.11, §3.21): bare `alluxio fs`, `fs help`, the `umount`
 * alias, and rm's -r, -m and texts.
 */
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

describe.concurrent('bare fs and fs help', () => {
  it("bare `alluxio fs` prints Alluxio's usage list of our fs commands, sorted, and exits 255", async () => {
    const r = await makeHome().run(['fs']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(r.stderr).toBe('');
    const out = r.stdout.split('\n').slice(0, -1);
    expect(out[0]).toBe('Usage: alluxio fs [generic options]');
    const rows = out.slice(1);
    for (const row of rows) expect(row).toMatch(/^\t \[.+\] *$/);
    expect(rows).toContain('\t [cat <path>]'.padEnd(60));
    expect(rows).toContain('\t [rm [-R/-r/--recursive] [-U] [--alluxioOnly] [-m/--deleteMountPoint] <path>]');
    expect(rows).toContain('\t [help [<command>]]'.padEnd(60));
    const names = rows.map((row) => /^\t \[(\S+)/.exec(row)?.[1]);
    expect(names).toEqual([...names].sort());
    // Aliases are no commands of their own.
    expect(names.filter((n) => n === 'unmount')).toHaveLength(1);
    expect(names).not.toContain('umount');
  });

  it('an unknown fs command is named as typed, exit 2', async () => {
    const home = makeHome();
    const [one, two] = await Promise.all([home.run(['fs', 'nosuch']), home.run(['fs', 'nosuch', '/x'])]);
    for (const r of [one, two]) {
      expectUsageError(r, 'nosuch is an unknown command.', 'fs <command> [<args>] ("alluxio fs --help" lists the commands)');
    }
  });

  it('an unknown command names the nearest command on the same line, wherever it is typed', async () => {
    const home = makeHome();
    const [fsCmd, fsHelp, top, topic, fsadmin, caseOnly, far] = await Promise.all([
      home.run(['fs', 'copyFromLocl', '/a', '/b']),
      home.run(['fs', 'help', 'cpoyToLocal']),
      home.run(['runTest']),
      home.run(['fss', 'ls', '/']),
      home.run(['fsadmin', 'reprt']),
      home.run(['getconf']),
      home.run(['fs', 'nosuch']),
    ]);
    const fsUsage = 'fs <command> [<args>] ("alluxio fs --help" lists the commands)';
    const usage = '<command> [<args>] ("alluxio --help" lists the commands)';
    expectUsageError(fsCmd, 'copyFromLocl is an unknown command. Did you mean copyFromLocal?', fsUsage);
    expectUsageError(fsHelp, 'cpoyToLocal is an unknown command. Did you mean copyToLocal?', 'fs help [<command>]');
    expectUsageError(top, 'runTest is an unknown command. Did you mean runTests?', usage);
    expectUsageError(topic, 'fss is an unknown command. Did you mean fs?', usage);
    expectUsageError(fsadmin, 'reprt is an unknown command. Did you mean report?', 'fsadmin <command> [<args>] ("alluxio fsadmin --help" lists the commands)');
    expectUsageError(caseOnly, 'getconf is an unknown command. Did you mean getConf?', usage);
    expectUsageError(far, 'nosuch is an unknown command.', fsUsage);
  });

  it('fs help <command>: the description, usage line and option table of that command', async () => {
    const r = await makeHome().run(['fs', 'help', 'rm']);
    expectSuccess(r);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^rm: \S/);
    for (const line of out) expect(line.length).toBeLessThanOrEqual(80 + 40);
    const usage = out.indexOf('usage: rm [-R/-r/--recursive] [-U] [--alluxioOnly] [-m/--deleteMountPoint] <path>');
    expect(usage).toBeGreaterThan(0);
    // Commons CLI's table: sorted by option key, the long-only option padded as if it had a short one.
    expect(out.slice(usage + 1, -1).map((l) => /^ *(-\S+)/.exec(l)?.[1])).toEqual([
      '--alluxioOnly',
      '-m,--deleteMountPoint',
      '--quiet',
      '-R,--recursive',
      '-U,--unchecked',
    ]);
    expect(out.slice(usage + 1)[0]).toMatch(/^ {4}--alluxioOnly {8}\S/);
    expect(r.stdout.endsWith('\n\n')).toBe(true);
  });

  it('fs help with no argument: a block per command, each ending in an empty line; an option that takes a value shows <arg>', async () => {
    const r = await makeHome().run(['fs', 'help']);
    expectSuccess(r);
    const blocks = r.stdout.split('\n\n').filter((b) => b !== '\n' && b !== '');
    const names = blocks.map((b) => /^(\S+):/.exec(b)?.[1]);
    expect(names).toContain('cat');
    expect(names).toContain('help');
    expect(names).toEqual([...names].sort());
    expect(r.stdout).toMatch(/^ -f,--format <arg> {3}\S/m);
  });

  it('fs help refuses an unknown command and more than one argument', async () => {
    const home = makeHome();
    const [unknown, two] = await Promise.all([home.run(['fs', 'help', 'nosuch']), home.run(['fs', 'help', 'rm', 'ls'])]);
    expectUsageError(unknown, 'nosuch is an unknown command.', 'fs help [<command>]');
    expectUsageError(two, 'Command help requires at most 1 arguments (2 provided)', 'fs help [<command>]');
  });
});

describe.concurrent('fs umount', () => {
  it('is unmount under another name', async () => {
    const home = makeHome();
    const ufs = home.mkdir('other');
    expectSuccess(await home.run(['fs', 'mount', '/m', ufs]));
    expectSuccess(await home.run(['fs', 'umount', '/m']), ['Unmounted /m']);
    expectError(await home.run(['fs', 'umount', '/m']), 'Failed to unmount: Path /m does not exist');
  });
});

describe.concurrent('fs rm', () => {
  it('-r and --recursive remove a directory as -R does', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/a/x', '/b/y']));
    expectSuccess(await home.run(['fs', 'rm', '-r', '/a']), ['/a has been removed']);
    expectSuccess(await home.run(['fs', 'rm', '--recursive', '/b']), ['/b has been removed']);
    expect(existsSync(join(home.ufs, 'a'))).toBe(false);
    expect(existsSync(join(home.ufs, 'b'))).toBe(false);
  });

  it('refuses a mount point, or a directory holding one, without -m; with -m unmounts it and keeps its storage', async () => {
    const home = makeHome();
    const ufs = home.mkdir('other');
    writeFileSync(join(ufs, 'kept'), 'data');
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    expectSuccess(await home.run(['fs', 'mount', '/d/m', ufs]));
    const [dir, mountPoint] = await Promise.all([home.run(['fs', 'rm', '-R', '/d']), home.run(['fs', 'rm', '-R', '/d/m'])]);
    expectError(dir, 'Cannot delete path /d which is or contains a mount point without --deleteMountPoint/-m option specified');
    expectError(mountPoint, 'Cannot delete path /d/m which is or contains a mount point without --deleteMountPoint/-m option specified');
    expectSuccess(await home.run(['fs', 'rm', '-R', '-m', '/d']), ['/d has been removed']);
    expect(existsSync(join(ufs, 'kept'))).toBe(true);
    expect(existsSync(join(home.ufs, 'd'))).toBe(false);
    expectSuccess(await home.run(['fs', 'mount']));
    expect((await home.run(['fs', 'mount'])).stdout).not.toContain('/d/m');
    expectSuccess(await home.run(['fs', 'mount', '/m2', ufs]));
    expectSuccess(await home.run(['fs', 'rm', '-r', '--deleteMountPoint', '/m2']), ['/m2 has been removed']);
    expect(existsSync(join(ufs, 'kept'))).toBe(true);
  });
});

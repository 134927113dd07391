/**
 * Wildcards on the local default under storage (alluxio-shell-facts.md §2): every command that expands them, in
 * path order, with per-path errors collected and printed together after the work on the others (exit 255),
 * `<pattern> does not exist.` when nothing matches, and `*` left literal where Alluxio does not expand it.
 */
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

let home: Home;

/** Files written straight into the root UFS folder (below folders Alluxio did not create): they list as PERSISTED. */
function ufsFiles(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(home.ufs, rel, '..'), {recursive: true});
    writeFileSync(join(home.ufs, rel), text);
  }
}

/** /w: a.txt, b.txt, c.csv, x(1).txt, sub/deep.txt, emptydir/; /u (for du, never read, so never cached) */
beforeAll(() => {
  home = makeHome();
  mkdirSync(join(home.ufs, 'w', 'emptydir'), {recursive: true});
  ufsFiles({'w/a.txt': 'alpha\n', 'w/b.txt': 'bravo\n', 'w/c.csv': 'c,s,v\n', 'w/x(1).txt': 'paren\n', 'w/sub/deep.txt': 'deep\n'});
  ufsFiles({'u/a.txt': 'alpha\n', 'u/b.csv': 'bee\n', 'u/sub/deep.txt': 'deep\n', 'u/sub/more.txt': 'more\n'});
});

describe.concurrent('commands that expand a pattern, on its matches in path order', () => {
  it('cat, head and tail print the matches one after the other, with nothing between them', async () => {
    const [cat, head, tail] = await Promise.all([
      home.run(['fs', 'cat', '/w/*.txt']),
      home.run(['fs', 'head', '-c', '2', '/w/*.txt']),
      home.run(['fs', 'tail', '-c', '2', '/w/*.txt']),
    ]);
    expectSuccess(cat);
    expect(cat.stdout).toBe('alpha\nbravo\nparen\n');
    expectSuccess(head);
    expect(head.stdout).toBe('albrpa');
    expectSuccess(tail);
    expect(tail.stdout).toBe('a\no\nn\n');
  });

  it('checksum prints only md5sum lines, each followed by a blank line', async () => {
    expectSuccess(await home.run(['fs', 'checksum', '/w/*.txt']), [
      `md5sum: ${md5('alpha\n')}`, '', `md5sum: ${md5('bravo\n')}`, '', `md5sum: ${md5('paren\n')}`, '',
    ]);
  });

  it('du prints its header once, then the lines of each match; -s one total per match', async () => {
    expectSuccess(await home.run(['fs', 'du', '/u/*']), [
      'File Size     In Alluxio       Path',
      '6             0 (0%)           /u/a.txt',
      '4             0 (0%)           /u/b.csv',
      '5             0 (0%)           /u/sub/deep.txt',
      '5             0 (0%)           /u/sub/more.txt',
    ]);
    expectSuccess(await home.run(['fs', 'du', '-s', '/u/*']), [
      'File Size     In Alluxio       Path',
      '6             0 (0%)           /u/a.txt',
      '4             0 (0%)           /u/b.csv',
      '10            0 (0%)           /u/sub',
    ]);
    const none = await home.run(['fs', 'du', '/u/*.nope']);
    expect([none.code, none.stdout, none.stderr], describeResult(none)).toEqual([255, 'File Size     In Alluxio       Path\n', '/u/*.nope does not exist.\n']);
  });

  it('ls lists each match (a folder by its children), each argument expanded on its own', async () => {
    const r = await home.run(['fs', 'ls', '/w/*', '/w/a*']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => l.split(' ').pop())).toEqual([
      '/w/a.txt', '/w/b.txt', '/w/c.csv', '/w/sub/deep.txt', '/w/x(1).txt', '/w/a.txt',
    ]);
  });

  it('stat runs per match; --json gives an array for a pattern and the object for a plain path', async () => {
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N %z', '/w/*.txt']), ['a.txt 6', 'b.txt 6', 'x(1).txt 6']);
    const [many, one] = await Promise.all([
      home.run(['fs', 'stat', '--json', '/w/a*']),
      home.run(['fs', 'stat', '--json', '/w/a.txt']),
    ]);
    expectSuccess(many);
    expect((JSON.parse(many.stdout) as {path: string}[]).map((s) => s.path)).toEqual(['/w/a.txt']);
    expectSuccess(one);
    expect((JSON.parse(one.stdout) as {path: string}).path).toBe('/w/a.txt');
  });

  it('? [ ( are regex syntax next to a *, literal without one', async () => {
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N', '/w/[ab]*']), ['a.txt', 'b.txt']);
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N', '/w/x\\(1\\)*']), ['x(1).txt']);
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N', '/w/x(1).txt']), ['x(1).txt']);
    expectError(await home.run(['fs', 'stat', '-f', '%N', '/w/x(1).txt*']), '/w/x(1).txt* does not exist.');
  });

  it('echoes an alluxio:// pattern\'s head on each match', async () => {
    expectSuccess(await home.run(['fs', 'free', 'alluxio://localhost:19998/w/*.csv']), [
      'alluxio://localhost:19998/w/c.csv was successfully freed from Alluxio space.',
    ]);
  });

  it('says "<pattern> does not exist." when nothing matches, the listing\'s message when the folder is missing', async () => {
    for (const cmd of ['cat', 'head', 'tail', 'checksum', 'stat', 'touch', 'rm', 'free', 'unmount', 'umount']) {
      expectError(await home.run(['fs', cmd, '/w/*.nope']), '/w/*.nope does not exist.', {hint: false});
    }
    expectError(await home.run(['fs', 'ls', '/nope/*']), 'Path "/nope" does not exist.');
  });

  it('refuses an invalid regex as a usage error, before doing anything', async () => {
    expectUsageError(await home.run(['fs', 'rm', '/w/x(1*']), 'Invalid wildcard pattern /w/x(1*: Unterminated group', 'fs rm [-R/-r/--recursive] [-U] [--alluxioOnly] [-m/--deleteMountPoint] <path>');
    expect(existsSync(join(home.ufs, 'w/x(1).txt'))).toBe(true);
  });

  it('leaves * literal in count, test and mkdir', async () => {
    expectError(await home.run(['fs', 'count', '/w/*']), 'Path "/w/*" does not exist.');
    const test = await home.run(['fs', 'test', '-e', '/w/*']);
    expect(test.code, describeResult(test)).toBe(3);
    expectSuccess(await home.run(['fs', 'mkdir', '/lit/a*b']), ['Successfully created directory /lit/a*b']);
    const literal = await home.run(['fs', 'test', '-d', '/lit/a*b']);
    expect(literal.code, describeResult(literal)).toBe(0);
  });

  it('persist expands its own way: a pattern matching nothing adds nothing', async () => {
    expectSuccess(await home.run(['fs', 'persist', '/w/*.nope']), ['Found 0 files to persist.']);
  });
});

describe('errors of several matches are collected and printed together', () => {
  it('rm removes the files, then prints one line per folder it refused, exit 255', async () => {
    ufsFiles({'r/f1': '1', 'r/f2': '2', 'r/d1/x': 'x', 'r/d2/y': 'y'});
    const r = await home.run(['fs', 'rm', '/r/*']);
    const d = describeResult(r);
    expect(r.code, d).toBe(255);
    expect(lines(r.stdout), d).toEqual(['/r/f1 has been removed', '/r/f2 has been removed']);
    expect(lines(r.stderr), d).toEqual([
      '/r/d1 is a directory, to remove it, please use "rm -R/-r/--recursive <path>"',
      '/r/d2 is a directory, to remove it, please use "rm -R/-r/--recursive <path>"',
    ]);
    expect(['f1', 'f2', 'd1/x', 'd2/y'].map((f) => existsSync(join(home.ufs, 'r', f)))).toEqual([false, false, true, true]);
  });

  it('--json: the successes as an array on stdout, the failures in one error object on stderr', async () => {
    ufsFiles({'j/f1': '1', 'j/d1/x': 'x', 'j/d2/y': 'y'});
    const r = await home.run(['fs', 'rm', '--json', '/j/*']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(JSON.parse(r.stdout)).toEqual([{path: '/j/f1', alluxioOnly: false}]);
    const error = JSON.parse(r.stderr) as {error: {kind: string; errors: {path: string; kind: string}[]}};
    expect(error.error.kind).toBe('MULTIPLE');
    expect(error.error.errors.map((e) => [e.path, e.kind])).toEqual([['/j/d1', 'FAILED_PRECONDITION'], ['/j/d2', 'FAILED_PRECONDITION']]);
  });

  it('touch of existing matches fails on each; ls goes on with its next argument', async () => {
    const touch = await home.run(['fs', 'touch', '/w/*.csv']);
    expectError(touch, 'Not allowed to create file because path already exists: /w/c.csv');
    const ls = await home.run(['fs', 'ls', '/nope*', '/w/c.csv']);
    expect(ls.code, describeResult(ls)).toBe(255);
    expect(lines(ls.stdout).map((l) => l.split(' ').pop())).toEqual(['/w/c.csv']);
    expect(lines(ls.stderr)).toEqual(['/nope* does not exist.']);
  });

  it('unmount of /mnt/* unmounts the mount points and refuses the plain folder', async () => {
    const [m1, m2] = [home.mkdir('ufs-m1'), home.mkdir('ufs-m2')];
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt/plain']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/m1', m1]));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/m2', m2]));
    const r = await home.run(['fs', 'umount', '/mnt/*']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(lines(r.stdout)).toEqual(['Unmounted /mnt/m1', 'Unmounted /mnt/m2']);
    expect(lines(r.stderr)).toEqual(['Failed to unmount /mnt/plain. Please ensure the path is an existing mount point.']);
    expectSuccess(await home.run(['fs', 'mount']));
    expect(lines((await home.run(['fs', 'mount'])).stdout).some((l) => l.includes('/mnt/m'))).toBe(false);
  });
});

describe('copyFromLocal with a local pattern', () => {
  it('copies the matches into the destination folder, one file as a file, none as a missing path', async () => {
    const src = home.mkdir('local-src');
    for (const [name, text] of Object.entries({'f1.txt': 'one', 'f2.txt': 'two', 'g.csv': 'gee', 'sub/h.txt': 'aitch'})) {
      mkdirSync(join(src, name, '..'), {recursive: true});
      writeFileSync(join(src, name), text);
    }
    const many = await home.run(['fs', 'copyFromLocal', `${src}/*.txt`, '/cp']);
    expectSuccess(many);
    expect(lines(many.stdout).sort()).toEqual([
      `Copied file://${src}/*.txt to /cp`,
      `Copied file://${src}/f1.txt to /cp/f1.txt`,
      `Copied file://${src}/f2.txt to /cp/f2.txt`,
    ]);
    expectSuccess(await home.run(['fs', 'cat', '/cp/*']));
    expect((await home.run(['fs', 'cat', '/cp/*'])).stdout).toBe('onetwo');

    const folders = await home.run(['fs', 'copyFromLocal', `${src}/s*`, '/cpdir']);
    expectSuccess(folders);
    expect((await home.run(['fs', 'cat', '/cpdir/h.txt'])).stdout).toBe('aitch');

    expectSuccess(await home.run(['fs', 'copyFromLocal', `${src}/g*`, '/single.csv']), [`Copied file://${src}/g* to /single.csv`]);
    expect((await home.run(['fs', 'cat', '/single.csv'])).stdout).toBe('gee');

    expectError(await home.run(['fs', 'copyFromLocal', `${src}/*.nope`, '/none']), `Path "file://${src}/*.nope" does not exist.`);
    expectError(await home.run(['fs', 'stat', '/none']), 'Path "/none" does not exist.');
  });
});

describe('cp, getfacl and setfacl with an Alluxio pattern', () => {
  it('cp copies every match into the destination folder, made when missing; a folder match needs -R', async () => {
    const r = await home.run(['fs', 'cp', '/w/*', '/wcopy']);
    expect(r.code, describeResult(r)).toBe(255);
    // Files go --thread at a time, so their lines come as the copies end.
    expect([lines(r.stdout)[0], ...lines(r.stdout).slice(1).sort()]).toEqual([
      'Created directory: /wcopy',
      'Copied /w/a.txt to /wcopy/a.txt',
      'Copied /w/b.txt to /wcopy/b.txt',
      'Copied /w/c.csv to /wcopy/c.csv',
      'Copied /w/x(1).txt to /wcopy/x(1).txt',
    ]);
    expect(lines(r.stderr)).toEqual([
      '/w/emptydir is a directory, to copy it please use "cp -R/-r/--recursive <src> <dst>"',
      '/w/sub is a directory, to copy it please use "cp -R/-r/--recursive <src> <dst>"',
    ]);
    expectSuccess(await home.run(['fs', 'cp', '-R', '/w/s*', '/wcopy']));
    expect((await home.run(['fs', 'cat', '/wcopy/sub/deep.txt'])).stdout).toBe('deep\n');
    expectError(await home.run(['fs', 'cp', '/w/*.txt', '/wcopy/a.txt']), 'The destination cannot be an existing file when the source is a directory or a list of files.');
    expectError(await home.run(['fs', 'cp', '/w/*.nope', '/wnone']), 'Path "/w/*.nope" does not exist.');
    expectError(await home.run(['fs', 'stat', '/wnone']), 'Path "/wnone" does not exist.');
  });

  it('cp to file:// makes the local folder ("Create directory:") and copies the matches into it', async () => {
    const out = join(home.mkdir('wild-out'), 'got');
    const r = await home.run(['fs', 'cp', '/w/*.txt', `file://${out}`]);
    expectSuccess(r);
    expect([lines(r.stdout)[0], ...lines(r.stdout).slice(1).sort()]).toEqual([
      `Create directory: file://${out}`,
      `Copied /w/a.txt to file://${out}/a.txt`,
      `Copied /w/b.txt to file://${out}/b.txt`,
      `Copied /w/x(1).txt to file://${out}/x(1).txt`,
    ]);
    expect(existsSync(join(out, 'x(1).txt'))).toBe(true);
  });

  it('cp copies a match whose name holds a * as it is, never expanding it again', async () => {
    ufsFiles({'star/a*': 'star\n', 'star/ab': 'ab\n'});
    const r = await home.run(['fs', 'cp', '/star/a*', '/starcopy']);
    expectSuccess(r);
    expect(lines(r.stdout).sort()).toEqual(['Copied /star/a* to /starcopy/a*', 'Copied /star/ab to /starcopy/ab', 'Created directory: /starcopy']);
    expect(lines((await home.run(['fs', 'ls', '/starcopy'])).stdout)).toHaveLength(2);
    const out = join(home.mkdir('star-out'), 'got');
    expectSuccess(await home.run(['fs', 'cp', '/star/a*', `file://${out}`]));
    expect(existsSync(join(out, 'a*')) && existsSync(join(out, 'ab'))).toBe(true);
  });

  it('setfacl changes every match and getfacl prints each in path order', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/acl']));
    expectSuccess(await home.run(['fs', 'touch', '/acl/f1']));
    expectSuccess(await home.run(['fs', 'touch', '/acl/f2']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r--', '/acl/f*']), []);
    const r = await home.run(['fs', 'getfacl', '/acl/*']);
    expectSuccess(r);
    expect(lines(r.stdout).filter((l) => l.startsWith('# file:') || l.startsWith('user:presto'))).toEqual([
      '# file: /acl/f1', 'user:presto:r--', '# file: /acl/f2', 'user:presto:r--',
    ]);
    expectError(await home.run(['fs', 'getfacl', '/acl/*.nope']), '/acl/*.nope does not exist.');
  });
});

describe('chmod, chown and chgrp expand a pattern, as Alluxio does', () => {
  it('change every match, one line each', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/perm']));
    expectSuccess(await home.run(['fs', 'touch', '/perm/p1']));
    expectSuccess(await home.run(['fs', 'touch', '/perm/p2']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/perm/p*']), ['Changed permission of /perm/p1 to 600', 'Changed permission of /perm/p2 to 600']);
    expectSuccess(await home.run(['fs', 'chgrp', 'daemon', '/perm/*']), ['Changed group of /perm/p1 to daemon', 'Changed group of /perm/p2 to daemon']);
    expectSuccess(await home.run(['fs', 'chown', 'presto', '/perm/*']), ['Changed owner of /perm/p1 to presto', 'Changed owner of /perm/p2 to presto']);
    const ls = lines((await home.run(['fs', 'ls', '/perm'])).stdout).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(ls).toEqual(['-rw------- presto daemon', '-rw------- presto daemon']);
    expectError(await home.run(['fs', 'chmod', '600', '/perm/q*']), '/perm/q* does not exist.');
  });
});

/**
 * The fs commands' success lines and Alluxio's error texts (/tmp/alluxio-shell-facts.md §0-§8, §13), with the
 * output contract of DESIGN: errors on stderr, exit 255 (2 for usage errors), never a stack trace.
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {alluxioDate, lsLine, parseLsLine} from '../helpers/alluxio-format.js';
import {ME, MY_GROUP, cleanupHomes, describeResult, lines, makeHome, setMtime} from '../helpers/cli.js';
import {expectError, expectNoCrash, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

/** The permission column of `fs ls -d <path>`. */
async function permOf(home: ReturnType<typeof makeHome>, path: string): Promise<ReturnType<typeof parseLsLine>> {
  const r = await home.run(['fs', 'ls', '-d', path]);
  expectSuccess(r);
  return parseLsLine(lines(r.stdout)[0]);
}

describe.concurrent('fs mkdir', () => {
  it('creates each directory with its parents and prints one line per path as typed', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/a', '/b/c/d', '/e']), [
      'Successfully created directory /a',
      'Successfully created directory /b/c/d',
      'Successfully created directory /e',
    ]);
    const r = await home.run(['fs', 'ls', '-R', '/']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).toEqual(['/a', '/b', '/b/c', '/b/c/d', '/e']);
  });

  it('refuses an existing path, the root, and a file in the way; stops at the first failure', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/a']));
    expectSuccess(await home.run(['fs', 'touch', '/f']));
    const [exists, file, root, comp] = await Promise.all([
      home.run(['fs', 'mkdir', '/a']),
      home.run(['fs', 'mkdir', '/f']),
      home.run(['fs', 'mkdir', '/']),
      home.run(['fs', 'mkdir', '/f/x']),
    ]);
    expectError(exists, 'Not allowed to create directory because path already exists: /a');
    expectError(file, 'Not allowed to create directory because path already exists: /f');
    expectError(root, 'Not allowed to create existing root path: /');
    expectError(comp, 'Could not traverse to parent directory of path /f/x. Component f is not a directory.');

    const partial = await home.run(['fs', 'mkdir', '/x', '/a', '/y']);
    expect(partial.code, describeResult(partial)).toBe(255);
    expect(lines(partial.stdout)).toEqual(['Successfully created directory /x']);
    expect(lines(partial.stderr)[0]).toBe('Not allowed to create directory because path already exists: /a');
    expectNoCrash(partial);
    expectError(await home.run(['fs', 'ls', '/y']), 'Path "/y" does not exist.');
  });

  it('without arguments: Command mkdir requires at least 1 arguments (0 provided)', async () => {
    const home = makeHome();
    expectUsageError(await home.run(['fs', 'mkdir']), 'Command mkdir requires at least 1 arguments (0 provided)', /^Usage: alluxio fs mkdir /);
  });
});

describe.concurrent('fs touch', () => {
  it('creates a 0-byte file in the under storage, with missing parents', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'touch', '/p/q/r']), ['/p/q/r has been created']);
    expect(statSync(join(home.ufs, 'p', 'q', 'r')).size).toBe(0);
    const f = await permOf(home, '/p/q/r');
    expect(f).toMatchObject({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size: '0', state: 'PERSISTED'});
  });

  it('refuses an existing path, and needs exactly one argument', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'touch', '/t']));
    const [again, none, two] = await Promise.all([
      home.run(['fs', 'touch', '/t']),
      home.run(['fs', 'touch']),
      home.run(['fs', 'touch', '/u', '/v']),
    ]);
    expectError(again, 'Not allowed to create file because path already exists: /t');
    expectUsageError(none, 'Command touch takes 1 arguments, not 0', /^Usage: alluxio fs touch <path>$/);
    expectUsageError(two, 'Command touch takes 1 arguments, not 2', /^Usage: alluxio fs touch <path>$/);
  });

  it('refuses a relative path: Path "rel" is invalid.', async () => {
    const home = makeHome();
    expectError(await home.run(['fs', 'touch', 'rel']), 'Path "rel" is invalid.');
  });
});

describe.concurrent('fs rm', () => {
  it('removes a file and, with -R, a directory tree, from Alluxio and the under storage', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d/e']));
    expectSuccess(await home.run(['fs', 'touch', '/d/e/f']));
    expectSuccess(await home.run(['fs', 'touch', '/g']));
    expectSuccess(await home.run(['fs', 'rm', '/g']), ['/g has been removed']);
    expect(existsSync(join(home.ufs, 'g'))).toBe(false);
    expectSuccess(await home.run(['fs', 'rm', '-R', '/d']), ['/d has been removed']);
    expect(existsSync(join(home.ufs, 'd'))).toBe(false);
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
  });

  it('refuses a directory without -R, the root, and a missing path', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    const [dir, rootR, root, missing] = await Promise.all([
      home.run(['fs', 'rm', '/d']),
      home.run(['fs', 'rm', '-R', '/']),
      home.run(['fs', 'rm', '/']),
      home.run(['fs', 'rm', '/nope']),
    ]);
    expectError(dir, '/d is a directory, to remove it, please use "rm -R/-r/--recursive <path>"');
    expectError(rootR, 'Cannot delete the root directory');
    expectError(root, '/ is a directory, to remove it, please use "rm -R/-r/--recursive <path>"');
    expectError(missing, 'Path "/nope" does not exist.');
    expectSuccess(await home.run(['fs', 'ls', '-d', '/d']));
  });

  it('--alluxioOnly keeps the under storage file and drops the cached data', async () => {
    const home = makeHome();
    const local = join(home.dir, 'local.txt');
    writeFileSync(local, 'keep me');
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/k']));
    expect(parseLsLine(lines((await home.run(['fs', 'ls', '/k'])).stdout)[0]).inAlluxio).toBe('100%');
    expectSuccess(await home.run(['fs', 'rm', '--alluxioOnly', '/k']), ['/k has been removed only from Alluxio space']);
    expect(readFileSync(join(home.ufs, 'k'), 'utf8')).toBe('keep me');
    // Loaded again from the under storage, with nothing cached.
    const r = await home.run(['fs', 'ls', '/k']);
    expectSuccess(r);
    expect(parseLsLine(lines(r.stdout)[0])).toMatchObject({size: '7', state: 'PERSISTED', inAlluxio: '0%'});
  });
});

describe.concurrent('fs mv', () => {
  it('renames a file and a directory, in the under storage too', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '-Dalluxio.user.file.writetype.default=THROUGH', '/d']));
    expectSuccess(await home.run(['fs', 'touch', '/d/f']));
    expectSuccess(await home.run(['fs', 'mv', '/d/f', '/d/g']), ['Renamed /d/f to /d/g']);
    expectSuccess(await home.run(['fs', 'mv', '/d', '/e']), ['Renamed /d to /e']);
    expect(readdirSync(home.ufs)).toEqual(['e']);
    expect(readdirSync(join(home.ufs, 'e'))).toEqual(['g']);
    const r = await home.run(['fs', 'ls', '-R', '/']);
    expect(lines(r.stdout).map((l) => parseLsLine(l).path)).toEqual(['/e', '/e/g']);
  });

  it("refuses with Alluxio's texts: destination exists, own subdirectory, root, missing source", async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/a/sub', '/c']));
    const results = await Promise.all([
      home.run(['fs', 'mv', '/a', '/c']),
      home.run(['fs', 'mv', '/a', '/a/sub/x']),
      home.run(['fs', 'mv', '/', '/x']),
      home.run(['fs', 'mv', '/a', '/']),
      home.run(['fs', 'mv', '/nope', '/x']),
      home.run(['fs', 'mv', '/a']),
    ]);
    expectError(results[0], 'Cannot rename because destination already exists. src: /a dst: /c');
    expectError(results[1], 'Cannot rename because /a is a prefix of /a/sub/x');
    expectError(results[2], 'The root directory cannot be renamed');
    expectError(results[3], 'Cannot rename a path to the root directory');
    expectError(results[4], 'Path "/nope" does not exist.');
    expectUsageError(results[5], 'Command mv takes 2 arguments, not 1', /^Usage: alluxio fs mv <src> <dst>$/);
  });
});

describe.concurrent('fs cat', () => {
  it('prints the raw bytes, adding nothing', async () => {
    const home = makeHome();
    const local = join(home.dir, 'bin.dat');
    const data = Buffer.from([0, 1, 2, 255, 10, 13, 0x41]);
    writeFileSync(local, data);
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/bin.dat']));
    writeFileSync(join(home.ufs, 'text'), 'no newline');
    const [bin, text] = await Promise.all([home.run(['fs', 'cat', '/bin.dat']), home.run(['fs', 'cat', '/text'])]);
    expect(bin.code, describeResult(bin)).toBe(0);
    expect(bin.stderr).toBe('');
    expect(bin.stdoutBytes.equals(data)).toBe(true);
    expectSuccess(text);
    expect(text.stdout).toBe('no newline');
  });

  it('refuses a directory (Path "/d" must be a file.) and a missing path', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    const [dir, missing] = await Promise.all([home.run(['fs', 'cat', '/d']), home.run(['fs', 'cat', '/x'])]);
    expectError(dir, 'Path "/d" must be a file.');
    expectError(missing, 'Path "/x" does not exist.');
  });
});

describe.concurrent('fs stat', () => {
  it('describes a directory and a file in URIStatus form; -f formats fields', async () => {
    const home = makeHome();
    mkdirSync(join(home.ufs, 'd'), {recursive: true});
    writeFileSync(join(home.ufs, 'd', 'f'), 'x'.repeat(42));
    const t = Date.UTC(2019, 5, 14, 7, 2, 45, 248);
    setMtime(join(home.ufs, 'd', 'f'), t);
    const [dir, file, fmt, fmtDir, missing] = await Promise.all([
      home.run(['fs', 'stat', '/d']),
      home.run(['fs', 'stat', '/d/f']),
      home.run(['fs', 'stat', '-f', '%N|%z|%u|%g|%y|%Y|%x', '/d/f']),
      home.run(['fs', 'stat', '-f', '%N %z %b', '/d']),
      home.run(['fs', 'stat', '/nope']),
    ]);
    expectSuccess(dir);
    const d = lines(dir.stdout);
    expect(d).toHaveLength(2);
    expect(d[0]).toBe('/d is a directory path.');
    expect(d[1]).toMatch(/^URIStatus\{info=FileInfo\{fileId=-?\d+, fileIdentifier=null, name=d, path=\/d, ufsPath=\S+, length=0, blockSizeBytes=0, creationTimeMs=\d+, completed=true, folder=true, pinned=false, pinnedlocation=\[\], cacheable=\w+, persisted=true, blockIds=\[\], inMemoryPercentage=0, lastModificationTimesMs=\d+, ttl=-1, lastAccessTimesMs=\d+, ttlAction=\w+, owner=\S+, group=\S+, mode=493, persistenceState=PERSISTED, mountPoint=false, replicationMax=-1, replicationMin=0, fileBlockInfos=\[.*\], mountId=-?\d+, inAlluxioPercentage=0, ufsFingerprint=.*, acl=user::rwx,group::r-x,other::r-x, defaultAcl=\}, cacheContext=null\}$/);

    expectSuccess(file);
    const f = lines(file.stdout);
    expect(f[0]).toBe('/d/f is a file path.');
    expect(f[1]).toMatch(/^URIStatus\{info=FileInfo\{fileId=-?\d+, fileIdentifier=null, name=f, path=\/d\/f, ufsPath=\S+, length=42, /);
    expect(f[1]).toContain(`, lastModificationTimesMs=${t}, `);
    expect(f[1]).toContain(', folder=false, ');
    expect(f[1]).toContain(', persistenceState=PERSISTED, ');
    expect(f[1]).toContain(`, owner=${ME}, group=${MY_GROUP}, mode=420, `);
    expect(f[1]).toMatch(/, acl=user::rw-,group::r--,other::r--, defaultAcl=\}, cacheContext=null\}$/);
    expect(f[2] === 'This file does not contain any blocks.' || f[2] === 'Containing the following blocks: ').toBe(true);

    expectSuccess(fmt, [`f|42|${ME}|${MY_GROUP}|2019-06-14 07:02:45|${t}|%x`]);
    expectSuccess(fmtDir, ['d NA NA']);
    expectError(missing, 'Path "/nope" does not exist.');
  });
});

describe.concurrent('fs chmod / chown / chgrp', () => {
  it('chmod takes octal and symbolic modes and prints the octal mode', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    expectSuccess(await home.run(['fs', 'chmod', '750', '/d']), ['Changed permission of /d to 750']);
    expect((await permOf(home, '/d')).perm).toBe('drwxr-x---');
    expectSuccess(await home.run(['fs', 'chmod', 'u=rwx,g=r,o=x', '/d']), ['Changed permission of /d to 741']);
    expect((await permOf(home, '/d')).perm).toBe('drwxr----x');
    expectSuccess(await home.run(['fs', 'chmod', 'a=rx', '/d']), ['Changed permission of /d to 555']);
    // Only the low 9 bits of an octal mode are kept.
    expectSuccess(await home.run(['fs', 'chmod', '1777', '/d']), ['Changed permission of /d to 777']);
    expect((await permOf(home, '/d')).perm).toBe('drwxrwxrwx');
  });

  it('chmod -R changes the whole subtree', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d/e']));
    expectSuccess(await home.run(['fs', 'touch', '/d/e/f']));
    expectSuccess(await home.run(['fs', 'chmod', '-R', '700', '/d']), ['Changed permission of /d to 700']);
    const r = await home.run(['fs', 'ls', '-R', '/d']);
    expectSuccess(r);
    expect(lines(r.stdout).map((l) => [parseLsLine(l).path, parseLsLine(l).perm])).toEqual([
      ['/d/e', 'drwx------'],
      ['/d/e/f', '-rwx------'],
    ]);
    expect((await permOf(home, '/d')).perm).toBe('drwx------');
  });

  it("chmod refuses bad modes with Alluxio's texts, and a wrong argument count with a Usage line", async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'mkdir', '/d']));
    const results = await Promise.all([
      home.run(['fs', 'chmod', '999', '/d']),
      home.run(['fs', 'chmod', 'u=rwz', '/d']),
      home.run(['fs', 'chmod', 'x=r', '/d']),
      home.run(['fs', 'chmod', 'u:rwx', '/d']),
      home.run(['fs', 'chmod', 'u=rw,q=r', '/d']),
      home.run(['fs', 'chmod', '755']),
      home.run(['fs', 'chmod', '755', '/nope']),
    ]);
    expectError(results[0], 'Invalid mode 999 - contains invalid segment 999');
    expectError(results[1], 'Invalid mode u=rwz - contains invalid segment u=rwz which has invalid permissions rwz');
    expectError(results[2], 'Invalid mode x=r - contains invalid segment x=r which has invalid targets x');
    expectError(results[3], 'Invalid mode u:rwx - contains invalid segment u:rwx');
    expectError(results[4], 'Invalid mode u=rw,q=r - contains invalid segment q=r which has invalid targets q');
    expectUsageError(results[5], 'Command chmod takes 2 arguments, not 1', /^Usage: alluxio fs chmod .*<mode> <path>$/);
    expectError(results[6], 'Path "/nope" does not exist.');
    expect((await permOf(home, '/d')).perm).toBe('drwxr-xr-x');
  });

  it('chown sets the owner, or owner and group; chgrp the group', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'touch', '/f']));
    expectSuccess(await home.run(['fs', 'chown', 'nobody', '/f']), ['Changed owner of /f to nobody']);
    expect(await permOf(home, '/f')).toMatchObject({owner: 'nobody', group: MY_GROUP});
    expectSuccess(await home.run(['fs', 'chgrp', 'daemon', '/f']), ['Changed group of /f to daemon']);
    expect(await permOf(home, '/f')).toMatchObject({owner: 'nobody', group: 'daemon'});
    expectSuccess(await home.run(['fs', 'chown', 'nobody:nogroup', '/f']), ['Changed owner:group of /f to nobody:nogroup.']);
    expect(await permOf(home, '/f')).toMatchObject({owner: 'nobody', group: 'nogroup'});
  });

  it('chown refuses what is not user[:group], and a wrong argument count', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'touch', '/f']));
    const [space, colon, none] = await Promise.all([
      home.run(['fs', 'chown', 'bad name', '/f']),
      home.run(['fs', 'chown', 'a:b:c', '/f']),
      home.run(['fs', 'chown', 'nobody']),
    ]);
    expectError(space, 'Failed to parse bad name as user or user:group');
    expectError(colon, 'Failed to parse a:b:c as user or user:group');
    expectUsageError(none, 'Command chown takes 2 arguments, not 1', /^Usage: alluxio fs chown .*<owner>\[:<group>\] <path>$/);
    expect((await permOf(home, '/f')).owner).toBe(ME);
  });
});

describe.concurrent('fs copyFromLocal / copyToLocal', () => {
  it('copies a file in, into an existing directory, and back out, byte for byte', async () => {
    const home = makeHome();
    const local = join(home.dir, 'data.bin');
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
    writeFileSync(local, data);
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/data.bin']), [`Copied file://${local} to /data.bin`]);
    expect(readFileSync(join(home.ufs, 'data.bin')).equals(data)).toBe(true);

    expectSuccess(await home.run(['fs', 'mkdir', '/dir']));
    // Into an existing directory: the file lands as <dst>/<name>; the line shows dst as typed.
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/dir']), [`Copied file://${local} to /dir`]);
    expect(readFileSync(join(home.ufs, 'dir', 'data.bin')).equals(data)).toBe(true);

    const out = join(home.dir, 'out.bin');
    expectSuccess(await home.run(['fs', 'copyToLocal', '/data.bin', out]), [`Copied /data.bin to file://${out}`]);
    expect(readFileSync(out).equals(data)).toBe(true);
    const outDir = home.mkdir('outdir');
    expectSuccess(await home.run(['fs', 'copyToLocal', '/dir/data.bin', outDir]), [`Copied /dir/data.bin to file://${outDir}/data.bin`]);
    expect(readFileSync(join(outDir, 'data.bin')).equals(data)).toBe(true);
    // No temporary file left behind.
    expect(readdirSync(outDir)).toEqual(['data.bin']);
  });

  it('a relative source is printed as its absolute file:// URI', async () => {
    const home = makeHome();
    writeFileSync(join(home.dir, 'rel.txt'), 'relative');
    expectSuccess(await home.run(['fs', 'copyFromLocal', 'rel.txt', '/rel.txt'], {cwd: home.dir}), [
      `Copied file://${home.dir}/rel.txt to /rel.txt`,
    ]);
    const r = await home.run(['fs', 'cat', '/rel.txt']);
    expectSuccess(r);
    expect(r.stdout).toBe('relative');
  });

  it('copies a folder in (one line per file, then the final line) and out (Create directory: lines)', async () => {
    const home = makeHome();
    const src = home.mkdir('src');
    mkdirSync(join(src, 'sub'));
    writeFileSync(join(src, 'a'), 'one');
    writeFileSync(join(src, 'b'), 'two');
    writeFileSync(join(src, 'sub', 'c'), 'three');
    const r = await home.run(['fs', 'copyFromLocal', src, '/dst']);
    expectSuccess(r);
    const out = lines(r.stdout);
    // Alluxio copies files in parallel: the per-file lines come in any order, the final line last.
    expect(out.slice(0, -1).sort()).toEqual([
      `Copied file://${src}/a to /dst/a`,
      `Copied file://${src}/b to /dst/b`,
      `Copied file://${src}/sub/c to /dst/sub/c`,
    ]);
    expect(out[out.length - 1]).toBe(`Copied file://${src} to /dst`);
    expect(readFileSync(join(home.ufs, 'dst', 'sub', 'c'), 'utf8')).toBe('three');

    const back = join(home.dir, 'back');
    const r2 = await home.run(['fs', 'copyToLocal', '/dst', back]);
    expectSuccess(r2);
    expect(lines(r2.stdout).sort()).toEqual(
      [
        `Create directory: file://${back}`,
        `Copied /dst/a to file://${back}/a`,
        `Copied /dst/b to file://${back}/b`,
        `Create directory: file://${back}/sub`,
        `Copied /dst/sub/c to file://${back}/sub/c`,
      ].sort(),
    );
    expect(readFileSync(join(back, 'sub', 'c'), 'utf8')).toBe('three');
    expect(readFileSync(join(back, 'a'), 'utf8')).toBe('one');
  });

  it('a pipe inside a copied folder is spooled like a pipe given alone: its bytes are copied, no cache key shows', async () => {
    const home = makeHome();
    const src = home.mkdir('src');
    writeFileSync(join(src, 'a'), 'one');
    const pipe = join(src, 'pipe');
    execFileSync('mkfifo', [pipe]);
    const copy = home.run(['fs', 'copyFromLocal', src, '/dst'], {timeoutMs: 20_000});
    // Opening the pipe for writing waits for the copy to open it for reading.
    writeFileSync(pipe, 'through the pipe');
    const r = await copy;
    expectSuccess(r);
    expect(lines(r.stdout).sort()).toEqual(
      [`Copied file://${src}/a to /dst/a`, `Copied file://${src}/pipe to /dst/pipe`, `Copied file://${src} to /dst`].sort(),
    );
    expect(readFileSync(join(home.ufs, 'dst', 'pipe'), 'utf8')).toBe('through the pipe');
  });

  it('copies from standard input: printf ... | alluxio fs copyFromLocal /dev/stdin /stdin.txt', async () => {
    const home = makeHome();
    const r = await home.run(['fs', 'copyFromLocal', '/dev/stdin', '/stdin.txt'], {input: 'from a pipe\n', shellPipe: true});
    expectSuccess(r, ['Copied file:///dev/stdin to /stdin.txt']);
    expect(readFileSync(join(home.ufs, 'stdin.txt'), 'utf8')).toBe('from a pipe\n');
  });

  it('a local source that cannot be opened gives an error line, not a crash', async () => {
    const home = makeHome();
    // Node's stdin pipe is a socket: open("/dev/stdin") fails with ENXIO.
    const r = await home.run(['fs', 'copyFromLocal', '/dev/stdin', '/sock.txt'], {input: 'data'});
    expectNoCrash(r);
    if (r.code !== 0) expectError(r, /\S/);
  });

  it('refuses an existing destination file, a folder onto a file, a missing source, and a wrong argument count', async () => {
    const home = makeHome();
    const local = join(home.dir, 'x.txt');
    writeFileSync(local, 'x');
    const src = home.mkdir('two');
    writeFileSync(join(src, 'a'), 'a');
    writeFileSync(join(src, 'b'), 'b');
    expectSuccess(await home.run(['fs', 'copyFromLocal', local, '/x.txt']));
    const results = await Promise.all([
      home.run(['fs', 'copyFromLocal', local, '/x.txt']),
      home.run(['fs', 'copyFromLocal', src, '/x.txt']),
      home.run(['fs', 'copyFromLocal', join(home.dir, 'nope'), '/y']),
      home.run(['fs', 'copyFromLocal', local]),
      home.run(['fs', 'copyToLocal', '/nope', join(home.dir, 'z')]),
      home.run(['fs', 'copyToLocal', '/x.txt']),
    ]);
    expectError(results[0], 'Not allowed to create file because path already exists: /x.txt');
    expectError(results[1], 'The destination cannot be an existing file when the source is a directory or a list of files.');
    const missing = join(home.dir, 'nope');
    expectError(results[2], new RegExp(`^(Path "file://${missing}" does not exist\\.|${missing} \\(No such file or directory\\))$`));
    expectUsageError(results[3], 'Command cp takes 2 arguments, not 1', /^Usage: alluxio fs copyFromLocal .*<src> <remoteDst>$/);
    expectError(results[4], 'Path "/nope" does not exist.');
    expectUsageError(results[5], 'Command cp takes 2 arguments, not 1', /^Usage: alluxio fs copyToLocal .*<src> <localDst>$/);
    expect(existsSync(join(home.dir, 'z'))).toBe(false);
    expectError(await home.run(['fs', 'ls', '/y']), 'Path "/y" does not exist.');
  });
});

describe.concurrent('the shell', () => {
  it('an unknown command: <cmd> is an unknown command. (named as typed), a usage error: exit 2', async () => {
    const home = makeHome();
    const [fsFoo, foo, withArgs, extra] = await Promise.all([
      home.run(['fs', 'foo']),
      home.run(['foo']),
      home.run(['fs', 'headx', '/x']),
      home.run(['version', 'extra']),
    ]);
    expectUsageError(fsFoo, 'foo is an unknown command.', /^Usage: alluxio fs <command> /);
    expectUsageError(foo, 'foo is an unknown command.', /^Usage: alluxio <command> /);
    expectUsageError(withArgs, 'headx is an unknown command. Did you mean head?', /^Usage: alluxio fs <command> /);
    expectUsageError(extra, 'Unexpected argument: extra', 'version');
  });

  it('--json and --debug before the command name work as after it', async () => {
    const home = makeHome();
    const [before, after] = await Promise.all([home.run(['fs', '--json', 'ls', '/']), home.run(['fs', 'ls', '--json', '/'])]);
    // after the listings, which must see an empty root
    const debug = await home.run(['--debug', 'fs', 'mkdir', '/d']);
    expectSuccess(before);
    expect(before.stdout).toBe(after.stdout);
    expect(JSON.parse(before.stdout)).toEqual([]);
    expect(debug.code, describeResult(debug)).toBe(0);
    expect(debug.stdout).toBe('Successfully created directory /d\n');
  });

  it('extra arguments are refused by commands that take one path, and nothing is done', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'touch', '/a']));
    const [cat, rm, free] = await Promise.all([
      home.run(['fs', 'cat', '/a', '/b', 'extra']),
      home.run(['fs', 'rm', '/a', 'extra']),
      home.run(['fs', 'free', '/a', '/b']),
    ]);
    expectUsageError(cat, 'Command cat takes 1 arguments, not 3', 'fs cat <path>');
    expectUsageError(rm, 'Command rm takes 1 arguments, not 2', /^Usage: alluxio fs rm /);
    expectUsageError(free, 'Command free takes 1 arguments, not 2', /^Usage: alluxio fs free /);
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N', '/a']), ['a']);
  });

  it('bad numbers for flags: one line naming the flag, then Usage, exit 2', async () => {
    const home = makeHome();
    const [persist, thread, buffer] = await Promise.all([
      home.run(['fs', 'persist', '-p', 'abc', '/']),
      home.run(['fs', 'copyFromLocal', '--thread', 'abc', home.siteFile, '/x']),
      home.run(['fs', 'copyToLocal', '--buffersize', '-1', '/x', join(home.dir, 'x')]),
    ]);
    expectUsageError(persist, 'Invalid value "abc" for --parallelism: expected an integer from 1 to 1024', /^Usage: alluxio fs persist /);
    expectUsageError(thread, 'Invalid value "abc" for --thread: expected an integer from 1 to 1024', /^Usage: alluxio fs copyFromLocal /);
    expectUsageError(buffer, 'Invalid value "-1" for --buffersize: expected an integer of at least 1', /^Usage: alluxio fs copyToLocal /);
  });

  it('names with control characters are refused on create and printed escaped when the UFS has them', async () => {
    const home = makeHome();
    const [mkdir, touch] = await Promise.all([home.run(['fs', 'mkdir', '/a\nb']), home.run(['fs', 'touch', '/e\u001b[31m'])]);
    const controls = 'names cannot hold control characters (U+0000 to U+001F, U+007F)';
    expectUsageError(mkdir, `Path "/a\\nb" is invalid: ${controls}`, /^Usage: alluxio fs mkdir /);
    expectUsageError(touch, `Path "/e\\x1b[31m" is invalid: ${controls}`, /^Usage: alluxio fs touch /);
    mkdirSync(join(home.ufs, 'd'), {recursive: true});
    writeFileSync(join(home.ufs, 'd', 'x\ny'), '');
    const ls = await home.run(['fs', 'ls', '/d']);
    expect(ls.code, describeResult(ls)).toBe(0);
    expect(lines(ls.stdout)).toHaveLength(1);
    expect(lines(ls.stdout)[0]).toMatch(/ \/d\/x\\ny\s*$/);
    const stat = await home.run(['fs', 'stat', '/d/x\ny']);
    expect(stat.stdout).not.toMatch(/x\ny/);
    expect(stat.stdout.split('\n')[0]).toBe('/d/x\\ny is a file path.');
  });

  it('chmod above 7777 and chgrp to an empty group are refused', async () => {
    const home = makeHome();
    const [chmod, chgrp] = await Promise.all([home.run(['fs', 'chmod', '10000', '/']), home.run(['fs', 'chgrp', '', '/'])]);
    expectUsageError(chmod, 'Invalid mode 10000: an octal mode is 0 to 7777, such as 755', /^Usage: alluxio fs chmod /);
    expectUsageError(
      chgrp,
      'Invalid group name "": a group name is not blank and holds no control characters',
      /^Usage: alluxio fs chgrp /,
    );
  });

  it('an unknown option is a usage error', async () => {
    const home = makeHome();
    const r = await home.run(['fs', 'ls', '--bogus', '/']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)[0]).toContain('--bogus');
    expect(lines(r.stderr).some((l) => l.startsWith('Usage: alluxio fs ls ')), describeResult(r)).toBe(true);
    expectNoCrash(r);
  });

  it('version prints the version alone', async () => {
    const home = makeHome();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
    expectSuccess(await home.run(['version']), [pkg.version]);
  });

  it('-D properties may stand anywhere on the line', async () => {
    const home = makeHome();
    expectSuccess(await home.run(['fs', 'ls', '/'])); // initialises the root folder
    writeFileSync(join(home.ufs, 'f'), 'x');
    chmodSync(join(home.ufs, 'f'), 0o644);
    setMtime(join(home.ufs, 'f'), Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    const expected = lsLine({perm: '-rw-r--r--', owner: ME, group: MY_GROUP, size: 1, state: 'PERSISTED', time: '2020', inAlluxio: '0%', path: '/f'});
    const d = '-Dalluxio.user.date.format.pattern=yyyy';
    const results = await Promise.all([
      home.run([d, 'fs', 'ls', '/']),
      home.run(['fs', d, 'ls', '/']),
      home.run(['fs', 'ls', d, '/']),
      home.run(['fs', 'ls', '/', d]),
    ]);
    for (const r of results) expectSuccess(r, [expected]);
    expect(alluxioDate(Date.UTC(2020, 0, 2, 3, 4, 5, 6))).toBe('01-02-2020 03:04:05:006');
  });
});

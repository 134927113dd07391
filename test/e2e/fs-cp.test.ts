/**
 * `fs cp` on the local default under storage, against alluxio-shell-facts.md §3.12: Alluxio to Alluxio (file,
 * into a folder, -R/-r into a new and an existing folder), file:// in both directions, Alluxio's messages
 * (`Copied`, `Created directory:`, `Create directory:`, the is-a-directory and destination-cannot-be-file texts,
 * the schemes text, `ERRORS:`), and bad input: output and exit code as DESIGN's error table, nothing changed.
 */
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const USAGE = 'fs cp [-R/-r/--recursive] [--buffersize <bytes>] <src> <dst>';

let home: Home;
let local: string;

const cat = async (path: string) => {
  const r = await home.run(['fs', 'cat', path]);
  expect(r.code, describeResult(r)).toBe(0);
  return r.stdout;
};
const sortedLines = (text: string) => lines(text).sort();

/** /src/a.txt, /src/sub/b.txt (MUST_CACHE: only in the cache), /src/sub/deeper/c.txt; a local folder tree. */
beforeAll(async () => {
  home = makeHome();
  local = home.mkdir('local');
  writeFileSync(join(local, 'a.txt'), 'alpha\n');
  mkdirSync(join(local, 'sub', 'deeper'), {recursive: true});
  writeFileSync(join(local, 'sub', 'b.txt'), 'bravo\n');
  writeFileSync(join(local, 'sub', 'deeper', 'c.txt'), 'charlie\n');
  expectSuccess(await home.run(['fs', 'mkdir', '/src/sub/deeper', '/existing']));
  expectSuccess(await home.run(['fs', 'copyFromLocal', join(local, 'a.txt'), '/src/a.txt']));
  expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'copyFromLocal', join(local, 'sub', 'b.txt'), '/src/sub/b.txt']));
  expectSuccess(await home.run(['fs', 'copyFromLocal', join(local, 'sub', 'deeper', 'c.txt'), '/src/sub/deeper/c.txt']));
});

describe('fs cp, Alluxio to Alluxio', () => {
  it('copies a file to a new path, and into an existing folder under its own name', async () => {
    expectSuccess(await home.run(['fs', 'cp', '/src/a.txt', '/a-copy.txt']), ['Copied /src/a.txt to /a-copy.txt']);
    expectSuccess(await home.run(['fs', 'cp', '/src/a.txt', '/existing']), ['Copied /src/a.txt to /existing/a.txt']);
    expect(await cat('/a-copy.txt')).toBe('alpha\n');
    expect(await cat('/existing/a.txt')).toBe('alpha\n');
  });

  it('copies data only the cache holds (MUST_CACHE) from the cache', async () => {
    expectSuccess(await home.run(['fs', 'cp', '/src/sub/b.txt', '/b-copy.txt']), ['Copied /src/sub/b.txt to /b-copy.txt']);
    expect(await cat('/b-copy.txt')).toBe('bravo\n');
  });

  it('refuses a folder without -R, with Alluxio\'s text, and copies nothing', async () => {
    expectError(await home.run(['fs', 'cp', '/src', '/nocopy']), '/src is a directory, to copy it please use "cp -R/-r/--recursive <src> <dst>"');
    expectError(await home.run(['fs', 'stat', '/nocopy']), 'Path "/nocopy" does not exist.');
  });

  it('-R copies a tree to a new folder, printing each folder made and each file copied', async () => {
    const r = await home.run(['fs', 'cp', '-R', '/src', '/tree']);
    expectSuccess(r);
    expect(sortedLines(r.stdout)).toEqual([
      'Copied /src/a.txt to /tree/a.txt',
      'Copied /src/sub/b.txt to /tree/sub/b.txt',
      'Copied /src/sub/deeper/c.txt to /tree/sub/deeper/c.txt',
      'Created directory: /tree',
      'Created directory: /tree/sub',
      'Created directory: /tree/sub/deeper',
    ]);
    expect(lines(r.stdout)[0]).toBe('Created directory: /tree');
    expect([await cat('/tree/a.txt'), await cat('/tree/sub/b.txt'), await cat('/tree/sub/deeper/c.txt')]).toEqual(['alpha\n', 'bravo\n', 'charlie\n']);
  });

  it('-r into an existing folder copies to <dst>/<name>; --thread 1 copies one at a time', async () => {
    const r = await home.run(['fs', 'cp', '-r', '--thread', '1', '/src/sub', '/existing']);
    expectSuccess(r, [
      'Created directory: /existing/sub',
      'Copied /src/sub/b.txt to /existing/sub/b.txt',
      'Created directory: /existing/sub/deeper',
      'Copied /src/sub/deeper/c.txt to /existing/sub/deeper/c.txt',
    ]);
  });

  it('a folder onto an existing file, a folder into itself, and an existing destination file are refused', async () => {
    expectError(
      await home.run(['fs', 'cp', '-R', '/src', '/a-copy.txt']),
      'The destination cannot be an existing file when the source is a directory or a list of files.',
    );
    expectError(await home.run(['fs', 'cp', '-R', '/src', '/src/sub/inside']), 'Cannot copy /src to /src/sub/inside: the destination is inside the source');
    expectError(await home.run(['fs', 'cp', '/src/a.txt', '/a-copy.txt']), 'Not allowed to create file because path already exists: /a-copy.txt');
    expectError(await home.run(['fs', 'cp', '/nope', '/x']), 'Path "/nope" does not exist.');
    expectError(await home.run(['fs', 'stat', '/src/sub/inside']), 'Path "/src/sub/inside" does not exist.');
  });

  it('-R into a folder that holds some of the files copies the others, then lists each failure (exit 255)', async () => {
    expectSuccess(await home.run(['fs', 'mkdir', '/partial']));
    expectSuccess(await home.run(['fs', 'cp', '-R', '/src/sub', '/partial']));
    expectSuccess(await home.run(['fs', 'rm', '/partial/sub/b.txt']));
    const r = await home.run(['fs', 'cp', '-R', '/src/sub', '/partial']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(lines(r.stdout)).toEqual(['Copied /src/sub/b.txt to /partial/sub/b.txt']);
    expect(lines(r.stderr)).toEqual(['Not allowed to create file because path already exists: /partial/sub/deeper/c.txt']);
    expect(await cat('/partial/sub/b.txt')).toBe('bravo\n');
  });

  it('-p gives the copy the source\'s mode', async () => {
    expectSuccess(await home.run(['fs', 'chmod', '600', '/src/a.txt']));
    expectSuccess(await home.run(['fs', 'cp', '-p', '/src/a.txt', '/preserved.txt']));
    expectSuccess(await home.run(['fs', 'cp', '/src/a.txt', '/plain.txt']));
    const mode = async (path: string) => (await home.run(['fs', 'ls', path])).stdout.split(/\s+/)[0];
    expect([await mode('/preserved.txt'), await mode('/plain.txt')]).toEqual(['-rw-------', '-rw-r--r--']);
  });

  it('-p replaces the copy\'s ACL with the source\'s, including a default ACL it inherited', async () => {
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r--', '/src/a.txt']));
    expectSuccess(await home.run(['fs', 'mkdir', '/inherits']));
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'default:group:daemon:rw-', '/inherits']));
    expectSuccess(await home.run(['fs', 'cp', '-p', '/src/a.txt', '/inherits/acl.txt']));
    expectSuccess(await home.run(['fs', 'cp', '-p', '/src/sub', '/inherits/sub', '-R']));
    const facl = async (path: string) => lines((await home.run(['fs', 'getfacl', path])).stdout).slice(3);
    expect(await facl('/inherits/acl.txt')).toEqual(await facl('/src/a.txt'));
    expect(await facl('/inherits/acl.txt')).toContain('user:presto:r--');
    expect(await facl('/inherits/sub')).toEqual(await facl('/src/sub'));
    expect((await facl('/inherits/sub')).some((l) => l.startsWith('default:'))).toBe(false);
  });
});

describe('fs cp with file://', () => {
  it('copies a local file in, and a local folder in whole without -R, ending with the arguments', async () => {
    const file = `file://${join(local, 'a.txt')}`;
    expectSuccess(await home.run(['fs', 'cp', file, '/in-a.txt']), [`Copied ${file} to /in-a.txt`]);
    expect(await cat('/in-a.txt')).toBe('alpha\n');
    const dir = `file://${join(local, 'sub')}`;
    const r = await home.run(['fs', 'cp', dir, '/in-dir']);
    expectSuccess(r);
    expect(sortedLines(r.stdout)).toEqual([
      `Copied ${dir} to /in-dir`,
      `Copied file://${join(local, 'sub', 'b.txt')} to /in-dir/b.txt`,
      `Copied file://${join(local, 'sub', 'deeper', 'c.txt')} to /in-dir/deeper/c.txt`,
    ].sort());
    expect(lines(r.stdout).at(-1)).toBe(`Copied ${dir} to /in-dir`);
    expect(await cat('/in-dir/deeper/c.txt')).toBe('charlie\n');
  });

  it('a local folder whose files partly exist in Alluxio copies the rest, then prints Alluxio\'s ERRORS: block (exit 255)', async () => {
    const dir = home.mkdir('clash');
    writeFileSync(join(dir, 'new.txt'), 'new\n');
    writeFileSync(join(dir, 'taken.txt'), 'taken\n');
    expectSuccess(await home.run(['fs', 'mkdir', '/clash']));
    expectSuccess(await home.run(['fs', 'touch', '/clash/taken.txt']));
    const r = await home.run(['fs', 'cp', `file://${dir}`, '/clash']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(lines(r.stdout)).toEqual([`Copied file://${join(dir, 'new.txt')} to /clash/new.txt`]);
    expect(lines(r.stderr)).toEqual([
      'ERRORS:',
      `Failed to copy file://${join(dir, 'taken.txt')} to /clash/taken.txt: Not allowed to create file because path already exists: /clash/taken.txt`,
    ]);
    expect(await cat('/clash/new.txt')).toBe('new\n');
  });

  it('copies a file and a tree out, under temporary names renamed into place', async () => {
    const out = home.mkdir('out');
    expectSuccess(await home.run(['fs', 'cp', '/src/a.txt', `file://${out}`]), [`Copied /src/a.txt to file://${join(out, 'a.txt')}`]);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('alpha\n');
    const tree = join(out, 'tree');
    const r = await home.run(['fs', 'cp', '/src', `file://${tree}`]);
    expectSuccess(r);
    expect(lines(r.stdout).filter((l) => l.startsWith('Create directory:'))).toEqual([
      `Create directory: file://${tree}`,
      `Create directory: file://${join(tree, 'sub')}`,
      `Create directory: file://${join(tree, 'sub', 'deeper')}`,
    ]);
    expect(readFileSync(join(tree, 'sub', 'deeper', 'c.txt'), 'utf8')).toBe('charlie\n');
    expect(readdirSync(join(tree, 'sub')).sort()).toEqual(['b.txt', 'deeper']);
  });
});

describe('fs cp and the namespace rules', () => {
  it('a readonly mount refuses the copy with the existing text; a source the user may not read is refused', async () => {
    const ro = home.mkdir('ro-ufs');
    expectSuccess(await home.run(['fs', 'mount', '--readonly', '/ro', ro]));
    expectError(await home.run(['fs', 'cp', '/src/a.txt', '/ro/a.txt']), 'A write operation on /ro/a.txt under a readonly mount point /ro is not allowed', {hint: true});
    expect(readdirSync(ro)).toEqual([]);
    expectSuccess(await home.run(['fs', 'copyFromLocal', join(local, 'a.txt'), '/private.txt']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/private.txt']));
    const denied = await home.run(['fs', '-Dalluxio.security.login.username=bob', 'cp', '/private.txt', '/bobs.txt']);
    expectError(denied, /^Permission denied: user=bob, access=r--, path=\/private.txt/);
    expectError(await home.run(['fs', 'stat', '/bobs.txt']), 'Path "/bobs.txt" does not exist.');
  });

  it('two copies racing to one destination: one writes it, the other is refused', async () => {
    const results = await Promise.all([home.run(['fs', 'cp', '/src/a.txt', '/race.txt']), home.run(['fs', 'cp', '/src/sub/b.txt', '/race.txt'])]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 255]);
    const loser = results.find((r) => r.code === 255)!;
    expectError(loser, 'Not allowed to create file because path already exists: /race.txt');
    const winner = results.findIndex((r) => r.code === 0);
    expect(await cat('/race.txt')).toBe(['alpha\n', 'bravo\n'][winner]);
  });

  it('bare fs lists cp with Alluxio\'s usage line; fs help cp shows its options', async () => {
    const bare = await home.run(['fs']);
    expect(lines(bare.stdout)).toContain(`\t [${USAGE.slice('fs '.length)}]`);
    const help = await home.run(['fs', 'help', 'cp']);
    expectSuccess(help);
    expect(lines(help.stdout)).toContain(`usage: ${USAGE.slice('fs '.length)}`);
    expect(lines(help.stdout).map((l) => /^ *(-\S+)/.exec(l)?.[1]).filter(Boolean)).toEqual(['-p,--preserve', '--quiet', '-R,--recursive', '--thread']);
  });
});

describe('fs cp bad input', () => {
  it('wrong argument counts, bad --thread, unknown options (--buffersize too, as in Alluxio) are usage errors', async () => {
    const [none, three, zero, abc, unknown, buffer] = await Promise.all([
      home.run(['fs', 'cp', '/src/a.txt']),
      home.run(['fs', 'cp', '/src/a.txt', '/b1', '/b2']),
      home.run(['fs', 'cp', '--thread', '0', '/src/a.txt', '/b3']),
      home.run(['fs', 'cp', '--thread=abc', '/src/a.txt', '/b4']),
      home.run(['fs', 'cp', '--foo', '/src/a.txt', '/b5']),
      home.run(['fs', 'cp', '--buffersize', '1024', '/src/a.txt', '/b6']),
    ]);
    expectUsageError(none, 'Command cp takes 2 arguments, not 1', USAGE);
    expectUsageError(three, 'Command cp takes 2 arguments, not 3', USAGE);
    expectUsageError(zero, 'Invalid value "0" for --thread: expected an integer from 1 to 1024', USAGE);
    expectUsageError(abc, 'Invalid value "abc" for --thread: expected an integer from 1 to 1024', USAGE);
    expectUsageError(unknown, /--foo/, USAGE);
    expectUsageError(buffer, /--buffersize/, USAGE);
    for (const n of [1, 2, 3, 4, 5, 6]) expectError(await home.run(['fs', 'stat', `/b${n}`]), `Path "/b${n}" does not exist.`);
  });

  it('two local paths or another scheme: Alluxio\'s schemes text, exit 255, nothing written', async () => {
    const text = 'Schemes must be either file or alluxio, and at most one file scheme is allowed.';
    const target = join(home.dir, 'never');
    expectError(await home.run(['fs', 'cp', `file://${join(local, 'a.txt')}`, `file://${target}`]), text);
    expectError(await home.run(['fs', 'cp', 's3://bucket/key', '/s3-copy']), text);
    expectError(await home.run(['fs', 'cp', '/src/a.txt', 'hdfs://nn/x']), text);
    expect(existsSync(target)).toBe(false);
    expectError(await home.run(['fs', 'stat', '/s3-copy']), 'Path "/s3-copy" does not exist.');
  });

  it('alluxio:// paths are Alluxio paths', async () => {
    expectSuccess(await home.run(['fs', 'cp', 'alluxio://localhost:19998/src/a.txt', '/scheme.txt']), [
      'Copied alluxio://localhost:19998/src/a.txt to /scheme.txt',
    ]);
  });
});

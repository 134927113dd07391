/**
 * `fs head`, `tail`, `checksum`, `du`, `count` and `test` on the local default under storage, against Alluxio's
 * usage lines, format strings, messages and exit codes (alluxio-shell-facts.md §1, §3.2-§3.6), with the output
 * contract of DESIGN: errors on stderr, 255 (2 for usage errors), `fs test` silent with 0/1/2/3.
 */
import {createHash, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const TEXT = 'The quick brown fox jumps over the lazy dog\n';
const BIG = randomBytes(21243);
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

let home: Home;

/**
 * /d/text.txt (TEXT, THROUGH: not cached), /d/sub/big.bin (21243 random bytes, CACHE_THROUGH: cached),
 * /d/sub/cached.txt (MUST_CACHE: only in the cache), /d/empty (0 bytes), /d/emptydir, /lonely (an empty folder).
 */
beforeAll(async () => {
  home = makeHome();
  const text = join(home.dir, 'text.txt');
  const big = join(home.dir, 'big.bin');
  writeFileSync(text, TEXT);
  writeFileSync(big, BIG);
  expectSuccess(await home.run(['fs', 'mkdir', '/d/sub', '/d/emptydir', '/lonely']));
  expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'copyFromLocal', text, '/d/text.txt']));
  expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=CACHE_THROUGH', 'copyFromLocal', big, '/d/sub/big.bin']));
  expectSuccess(await home.run(['fs', '-Dalluxio.user.file.writetype.default=MUST_CACHE', 'copyFromLocal', text, '/d/sub/cached.txt']));
  expectSuccess(await home.run(['fs', 'touch', '/d/empty']));
});

describe.concurrent('fs head / tail', () => {
  it('print the first / last 1024 bytes by default, -c with Alluxio units, the whole file when shorter', async () => {
    const [head, tail, head5, tail1k, headKib, cached, empty] = await Promise.all([
      home.run(['fs', 'head', '/d/sub/big.bin']),
      home.run(['fs', 'tail', '/d/sub/big.bin']),
      home.run(['fs', 'head', '-c', '5', '/d/text.txt']),
      home.run(['fs', 'tail', '-c', '1k', '/d/text.txt']),
      home.run(['fs', 'head', '-c', '2KiB', '/d/sub/big.bin']),
      home.run(['fs', 'tail', '-c', '4', '/d/sub/cached.txt']),
      home.run(['fs', 'head', '/d/empty']),
    ]);
    for (const r of [head, tail, head5, tail1k, headKib, cached, empty]) expect(r.code, describeResult(r)).toBe(0);
    expect(head.stdoutBytes.equals(BIG.subarray(0, 1024))).toBe(true);
    expect(tail.stdoutBytes.equals(BIG.subarray(BIG.length - 1024))).toBe(true);
    expect(head5.stdout).toBe('The q');
    expect(tail1k.stdout).toBe(TEXT);
    expect(headKib.stdoutBytes.equals(BIG.subarray(0, 2048))).toBe(true);
    expect(cached.stdout).toBe('dog\n');
    expect(empty.stdoutBytes.length).toBe(0);
  });

  it('bad -c, a directory, a missing path, wrong arguments: Alluxio\'s messages', async () => {
    const usage = 'fs head [-c <bytes>] <path>';
    const [zero, negative, word, dir, missing, none, two, unknown] = await Promise.all([
      home.run(['fs', 'head', '-c', '0', '/d/text.txt']),
      home.run(['fs', 'head', '-c=-3', '/d/text.txt']),
      home.run(['fs', 'head', '-c', '12q', '/d/text.txt']),
      home.run(['fs', 'head', '/d']),
      home.run(['fs', 'tail', '/d/nope']),
      home.run(['fs', 'head']),
      home.run(['fs', 'tail', '/d/text.txt', '/d/empty']),
      home.run(['fs', 'head', '-n', '3', '/d/text.txt']),
    ]);
    expectUsageError(zero, 'specified bytes must be > 0', usage);
    expectUsageError(negative, 'specified bytes must be > 0', usage);
    expectUsageError(word, 'Fail to parse 12q to bytes', usage);
    expectError(dir, 'Path "/d" must be a file.');
    expectError(missing, 'Path "/d/nope" does not exist.');
    expectUsageError(none, 'Command head takes 1 arguments, not 0', usage);
    expectUsageError(two, 'Command tail takes 1 arguments, not 2', 'fs tail [-c <bytes>] <path>');
    expect(unknown.code, describeResult(unknown)).toBe(2);
  });
});

describe.concurrent('fs checksum', () => {
  it('prints md5sum: <hex> and a blank line, for persisted, cached and empty files', async () => {
    const [big, text, cached, empty] = await Promise.all(
      ['/d/sub/big.bin', '/d/text.txt', '/d/sub/cached.txt', '/d/empty'].map((p) => home.run(['fs', 'checksum', p])),
    );
    expectSuccess(big, [`md5sum: ${md5(BIG)}`, '']);
    expectSuccess(text, [`md5sum: ${md5(TEXT)}`, '']);
    expectSuccess(cached, [`md5sum: ${md5(TEXT)}`, '']);
    expectSuccess(empty, [`md5sum: ${md5('')}`, '']);
  });

  it('--json: {path, md5}; a directory, a missing path, wrong arguments', async () => {
    const [json, dir, missing, none] = await Promise.all([
      home.run(['fs', 'checksum', '--json', '/d/text.txt']),
      home.run(['fs', 'checksum', '/d/sub']),
      home.run(['fs', 'checksum', '/nope']),
      home.run(['fs', 'checksum']),
    ]);
    expectSuccess(json);
    expect(JSON.parse(json.stdout)).toEqual({path: '/d/text.txt', md5: md5(TEXT)});
    expectError(dir, 'Path "/d/sub" must be a file.');
    expectError(missing, 'Path "/nope" does not exist.');
    expectUsageError(none, 'Command checksum takes 1 arguments, not 0', 'fs checksum <Alluxio path>');
  });
});

const TEXT_LEN = Buffer.byteLength(TEXT);

describe.concurrent('fs du', () => {
  it('one line per file in path order, folders skipped; In Alluxio from the cache state', async () => {
    expectSuccess(await home.run(['fs', 'du', '/d']), [
      'File Size     In Alluxio       Path',
      '0             0 (0%)           /d/empty',
      '21243         21243 (100%)     /d/sub/big.bin',
      `${String(TEXT_LEN).padEnd(13)} ${`${TEXT_LEN} (100%)`.padEnd(16)} /d/sub/cached.txt`,
      `${String(TEXT_LEN).padEnd(13)} ${'0 (0%)'.padEnd(16)} /d/text.txt`,
    ]);
  });

  it('-s -h: one line of totals for the path as typed; -m adds In Memory; -g the worker lines', async () => {
    const total = 21243 + 2 * TEXT_LEN;
    const cached = 21243 + TEXT_LEN;
    const pct = Math.floor((cached * 100) / total);
    const [summary, memory, grouped, file] = await Promise.all([
      home.run(['fs', 'du', '-s', '-h', '/d/']),
      home.run(['fs', 'du', '-s', '--memory', '/d']),
      home.run(['fs', 'du', '-sg', '/d']),
      home.run(['fs', 'du', '-s', '/d/text.txt']),
    ]);
    expectSuccess(summary, ['File Size     In Alluxio       Path', `${'20.83KB'.padEnd(13)} ${`20.79KB (${pct}%)`.padEnd(16)} /d/`]);
    expectSuccess(memory, [
      'File Size     In Alluxio       In Memory        Path',
      `${String(total).padEnd(13)} ${`${cached} (${pct}%)`.padEnd(16)} ${`${cached} (${pct}%)`.padEnd(16)} /d`,
    ]);
    expectSuccess(grouped);
    const g = lines(grouped.stdout);
    expect(g[0]).toBe('File Size     In Alluxio       Worker Host Name          Path');
    expect(g[1]).toBe(`${String(total).padEnd(13)} ${`${cached} (${pct}%)`.padEnd(16)} ${'total'.padEnd(25)} /d`);
    expect(g[2]).toMatch(new RegExp(`^ {13} ${String(cached).padEnd(16)} \\S+ +$`));
    expect(g).toHaveLength(3);
    expectSuccess(file, ['File Size     In Alluxio       Path', `${String(TEXT_LEN).padEnd(13)} ${'0 (0%)'.padEnd(16)} /d/text.txt`]);
  });

  it('an empty folder: the header only; --json: one object per line', async () => {
    const [empty, json] = await Promise.all([home.run(['fs', 'du', '/lonely']), home.run(['fs', 'du', '--json', '-s', '/d'])]);
    expectSuccess(empty, ['File Size     In Alluxio       Path']);
    expectSuccess(json);
    const [row] = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({path: '/d', sizeBytes: 21243 + 2 * TEXT_LEN, inAlluxioBytes: 21243 + TEXT_LEN, inMemoryBytes: 21243 + TEXT_LEN});
    expect(Object.values(row.workers as Record<string, number>)).toEqual([21243 + TEXT_LEN]);
  });

  it('a missing path: the header, then Path "<p>" does not exist. (255); wrong arguments: usage errors', async () => {
    const [missing, none, unknown] = await Promise.all([
      home.run(['fs', 'du', '/nope']),
      home.run(['fs', 'du', '-s']),
      home.run(['fs', 'du', '-x', '/d']),
    ]);
    expect(missing.code, describeResult(missing)).toBe(255);
    expect(lines(missing.stdout)).toEqual(['File Size     In Alluxio       Path']);
    expect(lines(missing.stderr)).toEqual(['Path "/nope" does not exist.']);
    expectUsageError(none, 'Command du takes 1 arguments, not 0', 'fs du [-h|-s|-g|-m] <path>');
    expect(unknown.code, describeResult(unknown)).toBe(2);
  });
});

describe.concurrent('fs count', () => {
  it("Alluxio's header and values: the path itself not counted, a file as one file, -h sizes", async () => {
    const header = 'File Count               Folder Count             Folder Size    ';
    const row = (a: number, b: number, c: string) => `${String(a).padEnd(25)}${String(b).padEnd(25)}${c.padEnd(15)}`;
    const [dir, human, file, empty, json] = await Promise.all([
      home.run(['fs', 'count', '/d']),
      home.run(['fs', 'count', '-h', '/d/sub']),
      home.run(['fs', 'count', '/d/text.txt']),
      home.run(['fs', 'count', '/lonely']),
      home.run(['fs', 'count', '--json', '/d']),
    ]);
    expectSuccess(dir, [header, row(4, 2, String(21243 + 2 * TEXT_LEN))]);
    expectSuccess(human, [header, row(2, 0, '20.79KB')]);
    expectSuccess(file, [header, row(1, 0, String(TEXT_LEN))]);
    expectSuccess(empty, [header, row(0, 0, '0')]);
    expect(JSON.parse(json.stdout)).toEqual({path: '/d', files: 4, folders: 2, bytes: 21243 + 2 * TEXT_LEN});
  });

  it('a missing path, wrong arguments', async () => {
    const [missing, two] = await Promise.all([home.run(['fs', 'count', '/nope']), home.run(['fs', 'count', '/d', '/lonely'])]);
    expectError(missing, 'Path "/nope" does not exist.');
    expectUsageError(two, 'Command count takes 1 arguments, not 2', 'fs count [-h] <path>');
  });
});

describe.concurrent('fs test', () => {
  it("prints nothing; exit 0 true, 1 false, 3 when the path does not exist (Alluxio's TestCommand)", async () => {
    const paths = ['/d', '/d/text.txt', '/d/empty', '/lonely', '/d/sub/cached.txt', '/nope'];
    const options = ['-d', '-e', '-f', '-s', '-z'];
    const runs = await Promise.all(paths.flatMap((p) => options.map((o) => home.run(['fs', 'test', o, p]))));
    const table: Record<string, string> = {};
    runs.forEach((r, i) => {
      expect(r.stdout + r.stderr, describeResult(r)).toBe('');
      const path = paths[Math.floor(i / options.length)];
      table[path] = (table[path] ?? '') + String(r.code);
    });
    //                 -d -e -f -s -z
    expect(table).toEqual({
      '/d': '00101',
      '/d/text.txt': '10011',
      '/d/empty': '10010',
      '/lonely': '00111',
      '/d/sub/cached.txt': '10011',
      '/nope': '33333',
    });
  });

  it('no option, two options, an unknown one, wrong arguments: usage errors (exit 2)', async () => {
    const usage = 'fs test [-d|-f|-e|-s|-z] <path>';
    const [none, both, unknown, noPath] = await Promise.all([
      home.run(['fs', 'test', '/d']),
      home.run(['fs', 'test', '-d', '-f', '/d']),
      home.run(['fs', 'test', '-q', '/d']),
      home.run(['fs', 'test', '-d']),
    ]);
    expectUsageError(none, 'Command test takes exactly one of -d, -e, -f, -s, -z (none given)', usage);
    expectUsageError(both, 'Command test takes exactly one of -d, -e, -f, -s, -z (given -d -f)', usage);
    expect(unknown.code, describeResult(unknown)).toBe(2);
    expectUsageError(noPath, 'Command test takes 1 arguments, not 0', usage);
  });
});

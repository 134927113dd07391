/** Write types, persistence and the worker cache (DESIGN "Worker cache"). */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterAll, describe, expect, it} from 'vitest';
import {parseLsLine} from '../helpers/alluxio-format.js';
import {type Home, cleanupHomes, collect, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectNoCrash, expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const WRITE = (type: string) => `-Dalluxio.user.file.writetype.default=${type}`;
const QUOTA = (q: string) => `-Dalluxio.worker.tieredstore.level0.dirs.quota=${q}`;

async function entry(home: Home, path: string): Promise<ReturnType<typeof parseLsLine>> {
  const r = await home.run(['fs', 'ls', '-d', path]);
  expectSuccess(r);
  return parseLsLine(lines(r.stdout)[0]);
}

function localFile(home: Home, name: string, size: number): {path: string; data: Buffer} {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + size) % 251;
  const path = join(home.dir, name);
  writeFileSync(path, data);
  return {path, data};
}

describe.concurrent('write types', () => {
  it('MUST_CACHE: NOT_PERSISTED, nothing in the under storage; fs persist then persists it', async () => {
    const home = makeHome();
    const {path, data} = localFile(home, 'mc.bin', 1000);
    expectSuccess(await home.run(['fs', WRITE('MUST_CACHE'), 'copyFromLocal', path, '/mc']), [`Copied file://${path} to /mc`]);
    expect(await entry(home, '/mc')).toMatchObject({size: '1000', state: 'NOT_PERSISTED', inAlluxio: '100%'});
    expect(existsSync(join(home.ufs, 'mc'))).toBe(false);
    const cat = await home.run(['fs', 'cat', '/mc']);
    expect(cat.stdoutBytes.equals(data)).toBe(true);
    // A file only the cache holds cannot be freed.
    expectError(await home.run(['fs', 'free', '/mc']), 'Cannot free file /mc which is not persisted');

    expectSuccess(await home.run(['fs', 'persist', '/mc']), ['Found 1 files to persist.', '(1/1) Successfully persisted file: /mc']);
    expect(await entry(home, '/mc')).toMatchObject({size: '1000', state: 'PERSISTED', inAlluxio: '100%'});
    expect(readFileSync(join(home.ufs, 'mc')).equals(data)).toBe(true);
    expectSuccess(await home.run(['fs', 'persist', '/mc']), ['Found 0 files to persist.']);
  });

  it('fs persist of a directory persists every waiting file below it', async () => {
    const home = makeHome();
    const {path} = localFile(home, 'x.bin', 10);
    expectSuccess(await home.run(['fs', WRITE('MUST_CACHE'), 'copyFromLocal', path, '/d/a']));
    expectSuccess(await home.run(['fs', WRITE('MUST_CACHE'), 'copyFromLocal', path, '/d/e/b']));
    expectSuccess(await home.run(['fs', WRITE('THROUGH'), 'copyFromLocal', path, '/d/c']));
    const r = await home.run(['fs', 'persist', '/d']);
    expectSuccess(r);
    const out = lines(r.stdout);
    expect(out[0]).toBe('Found 2 files to persist.');
    expect(out.slice(1).map((l) => l.replace(/^\(\d\/2\) /, '')).sort()).toEqual([
      'Successfully persisted file: /d/a',
      'Successfully persisted file: /d/e/b',
    ]);
    expect(out.slice(1).map((l) => l.slice(0, 6)).sort()).toEqual(['(1/2) ', '(2/2) ']);
    expect(existsSync(join(home.ufs, 'd', 'a'))).toBe(true);
    expect(existsSync(join(home.ufs, 'd', 'e', 'b'))).toBe(true);
  });

  it('ASYNC_THROUGH (the default): PERSISTED once the command has exited', async () => {
    const home = makeHome();
    const {path, data} = localFile(home, 'at.bin', 4096);
    const [byDefault, explicit] = await Promise.all([
      home.run(['fs', 'copyFromLocal', path, '/default']),
      home.run(['fs', WRITE('ASYNC_THROUGH'), 'copyFromLocal', path, '/explicit']),
    ]);
    expectSuccess(byDefault);
    expectSuccess(explicit);
    for (const name of ['default', 'explicit']) {
      expect(readFileSync(join(home.ufs, name)).equals(data)).toBe(true);
      expect(await entry(home, `/${name}`)).toMatchObject({size: '4096', state: 'PERSISTED', inAlluxio: '100%'});
    }
  });

  it('CACHE_THROUGH: persisted and cached; THROUGH: persisted, not cached', async () => {
    const home = makeHome();
    const {path, data} = localFile(home, 'ct.bin', 2048);
    expectSuccess(await home.run(['fs', WRITE('CACHE_THROUGH'), 'copyFromLocal', path, '/ct']));
    expectSuccess(await home.run(['fs', WRITE('THROUGH'), 'copyFromLocal', path, '/th']));
    expect(await entry(home, '/ct')).toMatchObject({state: 'PERSISTED', inAlluxio: '100%'});
    expect(await entry(home, '/th')).toMatchObject({state: 'PERSISTED', inAlluxio: '0%'});
    expect(readFileSync(join(home.ufs, 'ct')).equals(data)).toBe(true);
    expect(readFileSync(join(home.ufs, 'th')).equals(data)).toBe(true);
  });
});

describe.concurrent('the cache', () => {
  it('fs free drops the cached percentage to 0%; reading with CACHE caches again, NO_CACHE does not', async () => {
    const home = makeHome();
    const {path, data} = localFile(home, 'f.bin', 3000);
    expectSuccess(await home.run(['fs', 'copyFromLocal', path, '/dir/f']));
    expectSuccess(await home.run(['fs', 'copyFromLocal', path, '/dir/g']));
    expect(await entry(home, '/dir/f')).toMatchObject({inAlluxio: '100%'});
    expectSuccess(await home.run(['fs', 'free', '/dir/f']), ['/dir/f was successfully freed from Alluxio space.']);
    expect(await entry(home, '/dir/f')).toMatchObject({state: 'PERSISTED', inAlluxio: '0%'});
    expect(await entry(home, '/dir/g')).toMatchObject({inAlluxio: '100%'});

    const noCache = await home.run(['fs', '-Dalluxio.user.file.readtype.default=NO_CACHE', 'cat', '/dir/f']);
    expect(noCache.stdoutBytes.equals(data)).toBe(true);
    expect(await entry(home, '/dir/f')).toMatchObject({inAlluxio: '0%'});
    const cached = await home.run(['fs', 'cat', '/dir/f']);
    expect(cached.stdoutBytes.equals(data)).toBe(true);
    expect(await entry(home, '/dir/f')).toMatchObject({inAlluxio: '100%'});

    // A directory is freed recursively.
    expectSuccess(await home.run(['fs', 'free', '/dir']), ['/dir was successfully freed from Alluxio space.']);
    const r = await home.run(['fs', 'ls', '/dir']);
    expect(lines(r.stdout).map((l) => parseLsLine(l).inAlluxio)).toEqual(['0%', '0%']);
    expectError(await home.run(['fs', 'free', '/nope']), 'Path "/nope" does not exist.');
  });

  it('a tiny quota: MUST_CACHE of a larger file fails clearly; CACHE_THROUGH falls back to THROUGH with a WARN line', async () => {
    const home = makeHome();
    const {path, data} = localFile(home, 'big.bin', 1000);
    const [mustCache, cacheThrough] = await Promise.all([
      home.run(['fs', QUOTA('100B'), WRITE('MUST_CACHE'), 'copyFromLocal', path, '/q1']),
      home.run(['fs', QUOTA('100B'), WRITE('CACHE_THROUGH'), 'copyFromLocal', path, '/q2']),
    ]);
    expectError(mustCache, /^Cannot write \/q1 with MUST_CACHE\b.*\b1000 bytes\b/);
    expectError(await home.run(['fs', 'ls', '/q1']), 'Path "/q1" does not exist.');
    expect(existsSync(join(home.ufs, 'q1'))).toBe(false);

    expect(cacheThrough.code, describeResult(cacheThrough)).toBe(0);
    expect(lines(cacheThrough.stdout)).toEqual([`Copied file://${path} to /q2`]);
    const warn = lines(cacheThrough.stderr);
    expect(warn, describeResult(cacheThrough)).toHaveLength(1);
    expect(warn[0]).toMatch(/^WARN\b.*\/q2\b.*\bTHROUGH\b/);
    expectNoCrash(cacheThrough);
    expect(readFileSync(join(home.ufs, 'q2')).equals(data)).toBe(true);
    expect(await entry(home, '/q2')).toMatchObject({state: 'PERSISTED', inAlluxio: '0%'});
  });

  it('a file changed in the under storage is never served stale from the cache', async () => {
    const home = makeHome();
    const {path} = localFile(home, 'v1.bin', 64);
    expectSuccess(await home.run(['fs', 'copyFromLocal', path, '/v']));
    expect(await entry(home, '/v')).toMatchObject({inAlluxio: '100%'});
    const v2 = Buffer.alloc(64, 0x42);
    writeFileSync(join(home.ufs, 'v'), v2);
    const r = await home.run(['fs', 'cat', '/v']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stdoutBytes.equals(v2)).toBe(true);
  });
});

describe('recovery of ASYNC_THROUGH files', () => {
  it('a TO_BE_PERSISTED file left by a process killed with SIGKILL is persisted by a later command once its lease expired', async () => {
    const home = makeHome();
    const src = home.mkdir('src');
    writeFileSync(join(src, 'a'), 'persist me');
    // The copy writes "a", then blocks forever opening the FIFO "b" (nobody writes to it).
    execFileSync('mkfifo', [join(src, 'b')]);
    const leaseMs = 5000;
    const args = ['fs', `-Dalluxio.user.file.persistence.lease.duration=${leaseMs}ms`, 'copyFromLocal', src, '/dst'];
    const child = home.start(args);
    const done = collect(child, args, {timeoutMs: 30_000});
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 15_000;
    while (!out.includes(`Copied file://${src}/a to /dst/a`) && Date.now() < deadline) await sleep(20);
    expect(out, 'the copy of /dst/a never finished').toContain(`Copied file://${src}/a to /dst/a`);
    const leaseTaken = Date.now();
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');

    // While the dead writer's lease runs, nobody takes the file over.
    const early = await home.run(['fs', 'ls', '/dst/a']);
    const earlyAt = Date.now();
    expectSuccess(early);
    expect(earlyAt - leaseTaken, 'the machine is too slow for this test').toBeLessThan(leaseMs - 500);
    expect(parseLsLine(lines(early.stdout)[0])).toMatchObject({path: '/dst/a', state: 'TO_BE_PERSISTED', inAlluxio: '100%'});
    expect(existsSync(join(home.ufs, 'dst', 'a'))).toBe(false);

    // Once it expired, the next command persists it.
    await sleep(Math.max(0, leaseTaken + leaseMs + 300 - Date.now()));
    expectSuccess(await home.run(['fs', 'ls', '/']));
    expect(readFileSync(join(home.ufs, 'dst', 'a'), 'utf8')).toBe('persist me');
    expect(await entry(home, '/dst/a')).toMatchObject({state: 'PERSISTED', inAlluxio: '100%'});
  });
});

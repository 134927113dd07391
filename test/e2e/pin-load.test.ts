/**
 * `fs updateMount`, `load`, `pin`/`unpin`, `stat %i` / `--file-id`, and what pins change in `free`, `ls -p`, `stat`
 * and the web UI's Pin column, on the local default under storage, against Alluxio's usage lines, messages and exit
 * codes (alluxio-shell-facts.md §3.7, §3.8, §3.11, §3.15-§3.17), with DESIGN's output contract: errors on stderr,
 * 255 (2 for usage errors), nothing changed on error.
 */
import {randomBytes} from 'node:crypto';
import {mkdirSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Configuration} from '../../src/conf/configuration.js';
import {type MasterLog, openMasterLog} from '../../src/master/master-log.js';
import type {LeaderJobs} from '../../src/master/jobs.js';
import {type RunningWebServer, startWebServer} from '../../src/master/web-server.js';
import type {MountPointUiInfo, WebUiBrowse} from '../../src/master/webui/types.js';
import {type Home, type RunResult, cleanupHomes, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const TEXT = 'The quick brown fox jumps over the lazy dog\n';

/** Writes `content` into the home's root UFS folder at `rel` (data only the UFS has: nothing cached). */
function ufsFile(home: Home, rel: string, content: string | Buffer): void {
  const full = join(home.ufs, rel);
  mkdirSync(join(full, '..'), {recursive: true});
  writeFileSync(full, content);
}

/** The percentage column of an `ls` row and its path. */
function cachedPercent(home: Home, path: string): Promise<string> {
  return home.run(['fs', 'ls', path]).then((r) => {
    expect(r.code, describeResult(r)).toBe(0);
    return /\s(\d+%|DIR) \S+$/.exec(lines(r.stdout)[0] ?? '')?.[1] ?? `no row: ${r.stdout}`;
  });
}

function paths(r: RunResult): string[] {
  expect(r.code, describeResult(r)).toBe(0);
  // the path column is padded to 5 characters
  return lines(r.stdout).map((l) => l.trimEnd().split(' ').at(-1) as string);
}

describe('fs load', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    ufsFile(home, 'd/a.txt', TEXT);
    ufsFile(home, 'd/sub/b.txt', TEXT);
    ufsFile(home, 'd/sub/deeper/c.txt', TEXT);
    ufsFile(home, 'd/empty', '');
    ufsFile(home, 'one.txt', TEXT);
  });

  it('a file: "loaded", then "already in Alluxio fully"; ls shows it cached', async () => {
    expect(await cachedPercent(home, '/one.txt')).toBe('0%');
    expectSuccess(await home.run(['fs', 'load', '/one.txt']), ['/one.txt loaded']);
    expect(await cachedPercent(home, '/one.txt')).toBe('100%');
    expectSuccess(await home.run(['fs', 'load', '--local', '/one.txt']), ['/one.txt already in Alluxio fully']);
  });

  it('a folder: every file below it, each folder after its contents, the path echoed as typed', async () => {
    expectSuccess(await home.run(['fs', 'load', '/d/']), [
      '/d/a.txt loaded',
      '/d/empty already in Alluxio fully',
      '/d/sub/b.txt loaded',
      '/d/sub/deeper/c.txt loaded',
      '/d/sub/deeper loaded',
      '/d/sub loaded',
      '/d/ loaded',
    ]);
    expect(await cachedPercent(home, '/d/sub/deeper/c.txt')).toBe('100%');
    const again = await home.run(['fs', 'load', '/d/sub']);
    expectSuccess(again, ['/d/sub/b.txt already in Alluxio fully', '/d/sub/deeper/c.txt already in Alluxio fully', '/d/sub/deeper loaded', '/d/sub loaded']);
  });

  it('--json: one event per line of text', async () => {
    ufsFile(home, 'j/x.txt', TEXT);
    const r = await home.run(['fs', 'load', '--json', '/j']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      loaded: [
        {path: '/j/x.txt', isDirectory: false, loaded: true, top: false},
        {path: '/j', isDirectory: true, loaded: true, top: true},
      ],
    });
  });

  it('bad input: Alluxio\'s texts, nothing loaded', async () => {
    const usage = 'fs load [--local] <path>';
    ufsFile(home, 'untouched.txt', TEXT);
    const [none, two, missing, unknown] = await Promise.all([
      home.run(['fs', 'load']),
      home.run(['fs', 'load', '/untouched.txt', '/one.txt']),
      home.run(['fs', 'load', '/nope']),
      home.run(['fs', 'load', '--remote', '/untouched.txt']),
    ]);
    expectUsageError(none, 'Command load takes 1 arguments, not 0', usage);
    expectUsageError(two, 'Command load takes 1 arguments, not 2', usage);
    expectError(missing, 'Path "/nope" does not exist.');
    expect(unknown.code, describeResult(unknown)).toBe(2);
    expect(await cachedPercent(home, '/untouched.txt')).toBe('0%');
  });

  it('a file larger than the cache: one clear line, exit 255, nothing cached', async () => {
    const small = makeHome({site: {'alluxio.worker.tieredstore.level0.dirs.quota': '4KB'}});
    ufsFile(small, 'big.bin', randomBytes(10_000));
    expectError(
      await small.run(['fs', 'load', '/big.bin']),
      /^Failed to load \/big\.bin: its 10000 bytes do not fit in the Alluxio worker cache \(4096 bytes/,
      {hint: true},
    );
    expect(await cachedPercent(small, '/big.bin')).toBe('0%');
  });
});

describe('fs pin / unpin', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    ufsFile(home, 'p/a.txt', TEXT);
    ufsFile(home, 'p/sub/b.txt', TEXT);
    ufsFile(home, 'q.txt', TEXT);
  });

  it('pin a file: Alluxio\'s text, stat says pinned, ls -p lists it; unpin undoes all of it', async () => {
    expectSuccess(await home.run(['fs', 'pin', '/q.txt']), ["File '/q.txt' was successfully pinned."]);
    expect((await home.run(['fs', 'stat', '/q.txt'])).stdout).toMatch(/, pinned=true, pinnedlocation=\[\], /);
    expect(paths(await home.run(['fs', 'ls', '-p', '/']))).toEqual(['/q.txt']);
    expectSuccess(await home.run(['fs', 'unpin', '/q.txt']), ["File '/q.txt' was successfully unpinned."]);
    expect((await home.run(['fs', 'stat', '/q.txt'])).stdout).toMatch(/, pinned=false, pinnedlocation=\[\], /);
    expectSuccess(await home.run(['fs', 'ls', '-p', '/']), []);
  });

  it('pin a folder: recursive, also for what is added later; unpin of one file below it unpins that file only', async () => {
    expectSuccess(await home.run(['fs', 'pin', '/p', 'MEM', 'SSD']), ["File '/p' was successfully pinned."]);
    expectSuccess(await home.run(['fs', 'touch', '/p/sub/later']));
    expect(paths(await home.run(['fs', 'ls', '-R', '-p', '/']))).toEqual(['/p', '/p/a.txt', '/p/sub', '/p/sub/b.txt', '/p/sub/later']);
    expect((await home.run(['fs', 'stat', '/p/sub/b.txt'])).stdout).toMatch(/, pinned=true, pinnedlocation=\[MEM, SSD\], /);
    expectSuccess(await home.run(['fs', 'unpin', '/p/sub/b.txt']));
    expect(paths(await home.run(['fs', 'ls', '-R', '-p', '/p']))).toEqual(['/p/a.txt', '/p/sub', '/p/sub/later']);
    expectSuccess(await home.run(['fs', 'unpin', '/p']));
    expectSuccess(await home.run(['fs', 'ls', '-R', '-p', '/']), []);
  });

  it('a pinned path renamed stays pinned; a removed one leaves no pin for what is created there next', async () => {
    expectSuccess(await home.run(['fs', 'touch', '/r1']));
    expectSuccess(await home.run(['fs', 'pin', '/r1']));
    expectSuccess(await home.run(['fs', 'mv', '/r1', '/r2']));
    expect(paths(await home.run(['fs', 'ls', '-p', '/']))).toEqual(['/r2']);
    expectSuccess(await home.run(['fs', 'rm', '/r2']));
    expectSuccess(await home.run(['fs', 'touch', '/r2']));
    expectSuccess(await home.run(['fs', 'ls', '-p', '/']), []);
    expectSuccess(await home.run(['fs', 'rm', '/r2']));
  });

  it('free refuses a pinned file without -f with Alluxio\'s text and frees nothing; -f frees and unpins it', async () => {
    expectSuccess(await home.run(['fs', 'load', '/p']));
    expectSuccess(await home.run(['fs', 'pin', '/p/sub']));
    expectError(
      await home.run(['fs', 'free', '/p']),
      'Cannot free file /p/sub/b.txt which is pinned. Please unpin it first or set the "forced" flag of free operation to true',
    );
    // checked before anything is freed: the unpinned file before it in the listing is still cached
    expect(await cachedPercent(home, '/p/a.txt')).toBe('100%');
    expectSuccess(await home.run(['fs', 'free', '-f', '/p']), ['/p was successfully freed from Alluxio space.']);
    expect(await cachedPercent(home, '/p/sub/b.txt')).toBe('0%');
    expectSuccess(await home.run(['fs', 'ls', '-R', '-p', '/']), []);
  });

  it('pinned data survives eviction while unpinned data is evicted', async () => {
    const small = makeHome({site: {'alluxio.worker.tieredstore.level0.dirs.quota': '10KB'}});
    for (const name of ['keep', 'x', 'y', 'z']) ufsFile(small, `${name}.bin`, randomBytes(4000));
    expectSuccess(await small.run(['fs', 'load', '/keep.bin']));
    expectSuccess(await small.run(['fs', 'pin', '/keep.bin']));
    // pinned after it was cached, and loaded first (least recently used): still never evicted
    for (const name of ['x', 'y', 'z']) expectSuccess(await small.run(['fs', 'load', `/${name}.bin`]));
    expect(await cachedPercent(small, '/keep.bin')).toBe('100%');
    expect(await cachedPercent(small, '/x.bin')).toBe('0%');
    expect(await cachedPercent(small, '/z.bin')).toBe('100%');
    // unpinned, it is the least recently used and goes first
    expectSuccess(await small.run(['fs', 'unpin', '/keep.bin']));
    expectSuccess(await small.run(['fs', 'load', '/x.bin']));
    expect(await cachedPercent(small, '/keep.bin')).toBe('0%');
  });

  it('data cached later for a pinned path is pinned too', async () => {
    const small = makeHome({site: {'alluxio.worker.tieredstore.level0.dirs.quota': '10KB'}});
    for (const name of ['keep', 'x', 'y', 'z']) ufsFile(small, `${name}.bin`, randomBytes(4000));
    expectSuccess(await small.run(['fs', 'pin', '/keep.bin']));
    expectSuccess(await small.run(['fs', 'cat', '/keep.bin']).then((r) => ({...r, stdout: ''})));
    for (const name of ['x', 'y', 'z']) expectSuccess(await small.run(['fs', 'load', `/${name}.bin`]));
    expect(await cachedPercent(small, '/keep.bin')).toBe('100%');
  });

  it('bad input: Alluxio\'s texts, nothing pinned', async () => {
    const [badMedia, none, unpinNone, unpinTwo, missing, unpinMissing] = await Promise.all([
      home.run(['fs', 'pin', '/q.txt', 'MEM', 'TAPE', 'NVME']),
      home.run(['fs', 'pin']),
      home.run(['fs', 'unpin']),
      home.run(['fs', 'unpin', '/q.txt', '/p']),
      home.run(['fs', 'pin', '/nope']),
      home.run(['fs', 'unpin', '/nope']),
    ]);
    expectError(badMedia, 'Invalid medium to pin the file. TAPE,NVME are invalid. MEM,SSD,HDD are valid medium types');
    expectUsageError(none, 'Command pin requires at least 1 arguments (0 provided)', 'fs pin <path> media1 media2 media3 ...');
    expectUsageError(unpinNone, 'Command unpin takes 1 arguments, not 0', 'fs unpin <path>');
    expectUsageError(unpinTwo, 'Command unpin takes 1 arguments, not 2', 'fs unpin <path>');
    expectError(missing, 'Path "/nope" does not exist.');
    expectError(unpinMissing, 'Path "/nope" does not exist.');
    expectSuccess(await home.run(['fs', 'ls', '-R', '-p', '/']), []);
  });

  it('the media come from alluxio.master.tieredstore.global.mediumtype', async () => {
    const r = await home.run(['fs', '-Dalluxio.master.tieredstore.global.mediumtype=MEM,NVME', 'pin', '/q.txt', 'SSD']);
    expectError(r, 'Invalid medium to pin the file. SSD are invalid. MEM,NVME are valid medium types');
    expectSuccess(await home.run(['fs', '-Dalluxio.master.tieredstore.global.mediumtype=MEM,NVME', 'pin', '/q.txt', 'NVME']));
    expect((await home.run(['fs', 'stat', '-f', '%N', '/q.txt'])).stdout).toBe('q.txt\n');
    expect((await home.run(['fs', 'stat', '/q.txt'])).stdout).toMatch(/pinnedlocation=\[NVME\]/);
    expectSuccess(await home.run(['fs', 'unpin', '/q.txt']));
  });
});

describe('fs stat %i and --file-id', () => {
  let home: Home;
  beforeAll(async () => {
    home = makeHome();
    ufsFile(home, 's/f.txt', TEXT);
  });

  it('%i is the fileId of the full form; --file-id finds the path and says which it is', async () => {
    const full = await home.run(['fs', 'stat', '/s/f.txt']);
    const id = /fileId=(\d+),/.exec(full.stdout)?.[1];
    expect(id, describeResult(full)).toBeDefined();
    expectSuccess(await home.run(['fs', 'stat', '-f', '%i %N %z', '/s/f.txt']), [`${id} f.txt 44`]);
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N %z', '--file-id', id as string]), [
      `The specified file ID ${id} is /s/f.txt`,
      'f.txt 44',
    ]);
    const byId = await home.run(['fs', 'stat', '--file-id', id as string]);
    expect(lines(byId.stdout).slice(0, 2)).toEqual([`The specified file ID ${id} is /s/f.txt`, '/s/f.txt is a file path.']);
  });

  it('unknown ids: one line, 255; a non-number: a usage error; format wipes the map', async () => {
    const usage = 'fs stat [-f <format>] <path> or stat [-f <format>] --file-id <file-id>';
    const id = (await home.run(['fs', 'stat', '-f', '%i', '/s'])).stdout.trim();
    const [unrecorded, negative, word, none] = await Promise.all([
      home.run(['fs', 'stat', '--file-id', '12345']),
      home.run(['fs', 'stat', '--file-id', '-5']),
      home.run(['fs', 'stat', '--file-id', 'abc']),
      home.run(['fs', 'stat', '--file-id']),
    ]);
    expectError(unrecorded, 'inodeId 12345 does not exist', {hint: true});
    expectError(negative, 'inodeId -5 does not exist', {hint: true});
    expectUsageError(word, 'Invalid file ID abc: it is not a number', usage);
    expectUsageError(none, 'Command stat takes 1 arguments, not 0', usage);
    expectSuccess(await home.run(['fs', 'stat', '-f', '%N', '--file-id', id]), [`The specified file ID ${id} is /s`, 's']);
    expectSuccess(await home.run(['format']).then((r) => ({...r, stdout: ''})));
    expectError(await home.run(['fs', 'stat', '--file-id', id]), `inodeId ${id} does not exist`, {hint: true});
  });

  it('the id of a path removed since is unknown', async () => {
    ufsFile(home, 'gone.txt', TEXT);
    const id = (await home.run(['fs', 'stat', '-f', '%i', '/gone.txt'])).stdout.trim();
    expectSuccess(await home.run(['fs', 'rm', '/gone.txt']));
    expectError(await home.run(['fs', 'stat', '--file-id', id]), `inodeId ${id} does not exist`, {hint: true});
  });
});

describe('fs updateMount', () => {
  let home: Home;
  let ufs: string;
  const usage = 'fs updateMount [--readonly] [--shared] [--option <key=val>] <alluxioPath>';
  // the mount's row, but for the space figures of the disk, which other tests change meanwhile
  const table = async () =>
    lines((await home.run(['fs', 'mount'])).stdout)
      .find((l) => l.includes(' on  /m '))
      ?.replace(/capacity=\S+, used=\S+, /, '');

  beforeAll(async () => {
    home = makeHome();
    ufs = home.mkdir('ext');
    expectSuccess(await home.run(['fs', 'mount', '--option', 'alluxio.user.block.size.bytes.default=32MB', '/m', ufs]));
    expectSuccess(await home.run(['fs', 'touch', '/m/x']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/m/x']));
  });

  it('--readonly: writes refused; without it: writable again; options replaced; metadata kept', async () => {
    expectSuccess(await home.run(['fs', 'updateMount', '--readonly', '--shared', '/m']), ['Updated mount point options at /m']);
    expect(await table()).toMatch(/\(local, read-only, shared, properties=\{\}\)$/);
    expectError(
      await home.run(['fs', 'touch', '/m/y']),
      'A write operation on /m/y under a readonly mount point /m is not allowed',
      {hint: true},
    );
    expectSuccess(await home.run(['fs', 'updateMount', '--option', 'alluxio.user.block.size.bytes.default=16MB', '/m']));
    expect(await table()).toMatch(/, not read-only, not shared, properties=\{alluxio\.user\.block\.size\.bytes\.default=16MB\}\)$/);
    expectSuccess(await home.run(['fs', 'touch', '/m/y']));
    // the mode set through Alluxio is metadata of the namespace: it survives the update
    expect((await home.run(['fs', 'stat', '-f', '%N', '/m/x'])).stdout).toBe('x\n');
    expect(lines((await home.run(['fs', 'ls', '/m/x'])).stdout)[0]).toMatch(/^-rw------- /);
  });

  it('not a mount point, the root, wrong arguments, bad options: Alluxio\'s texts, nothing changed', async () => {
    const before = await table();
    const [dir, missing, root, none, two, badForm, badValue] = await Promise.all([
      home.run(['fs', 'updateMount', '--readonly', '/m/y']),
      home.run(['fs', 'updateMount', '/nope']),
      home.run(['fs', 'updateMount', '--readonly', '/']),
      home.run(['fs', 'updateMount']),
      home.run(['fs', 'updateMount', '/m', '/x']),
      home.run(['fs', 'updateMount', '--readonly', '--option', 'novalue', '/m']),
      home.run(['fs', 'updateMount', '--readonly', '--option', 'alluxio.user.block.size.bytes.default=lots', '/m']),
    ]);
    expectError(dir, 'Failed to update mount properties for /m/y. Please ensure the path is an existing mount point.', {hint: false});
    expectError(missing, 'Failed to update mount properties for /nope. Please ensure the path is an existing mount point.', {hint: false});
    expectError(root, 'Failed to update mount properties for /. Please ensure the path is an existing mount point and not root.', {hint: true});
    expectUsageError(none, 'Command updateMount takes 1 argument, not 0', usage);
    expectUsageError(two, 'Command updateMount takes 1 argument, not 2', usage);
    expectUsageError(badForm, 'Invalid --option novalue: expected key=value', usage);
    expectError(badValue, /^Invalid value lots for alluxio\.user\.block\.size\.bytes\.default/);
    expect(await table()).toBe(before);
    expectSuccess(await home.run(['fs', 'touch', '/m/z']));
  });

  it('an under storage that is gone fails as mount does, and changes nothing', async () => {
    const before = await table();
    renameSync(ufs, `${ufs}.away`);
    try {
      expectError(await home.run(['fs', 'updateMount', '--readonly', '/m']), `Ufs path ${ufs} does not exist`, {hint: true});
    } finally {
      renameSync(`${ufs}.away`, ufs);
    }
    expect(await table()).toBe(before);
  });
});

describe('the master sees pins and mount updates at its next request', () => {
  let home: Home;
  let server: RunningWebServer;
  let log: MasterLog;
  let base: string;
  const jobs: LeaderJobs = {status: () => [], stop: async () => {}};

  beforeAll(async () => {
    home = makeHome();
    ufsFile(home, 'w/hot.txt', TEXT);
    ufsFile(home, 'w/cold.txt', TEXT);
    expectSuccess(await home.run(['fs', 'mount', '/ext', home.mkdir('ext')]));
    const conf = Configuration.load({env: home.env, installDir: home.dir, homeDir: home.userHome});
    conf.set('alluxio.master.web.port', '0');
    log = openMasterLog(conf);
    server = await startWebServer({conf, log, jobs, startedAt: Date.now()});
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  async function get<T>(path: string): Promise<T> {
    const r = await fetch(base + path);
    expect(r.status).toBe(200);
    return (await r.json()) as T;
  }

  it("the Browse page's Pin column", async () => {
    const pinnedOf = async () =>
      Object.fromEntries((await get<WebUiBrowse>('/api/v1/master/webui_browse?path=/w')).fileInfos!.map((f) => [f.name, f.pinned]));
    expect(await pinnedOf()).toEqual({'cold.txt': false, 'hot.txt': false});
    expectSuccess(await home.run(['fs', 'pin', '/w/hot.txt']));
    expect(await pinnedOf()).toEqual({'cold.txt': false, 'hot.txt': true});
  });

  it('the mount table', async () => {
    const readOnly = async () =>
      (await get<{mountPointInfos: MountPointUiInfo[]}>('/api/v1/master/webui_mounttable')).mountPointInfos.find(
        (m) => m.mountPoint === '/ext',
      )?.readOnly;
    expect(await readOnly()).toBe(false);
    expectSuccess(await home.run(['fs', 'updateMount', '--readonly', '/ext']));
    expect(await readOnly()).toBe(true);
  });
});

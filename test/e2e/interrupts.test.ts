/**
 * Interrupted and killed writers (local under storage): SIGINT/SIGTERM take back the temporaries of the work under
 * way and exit 130/143 with one line; what SIGKILL leaves in the worker cache counts against the quota while its
 * writer could still run and is removed by the next command once it is gone. Modes of the cache and of the logs.
 */
import type {ChildProcess} from 'node:child_process';
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, utimesSync, watch, writeFileSync, writeSync, closeSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

import {type Home, type RunResult, cleanupHomes, collect, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectError, expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const MB = 1024 * 1024;

/** A home whose system temp folder is its own, so that spools left or removed can be seen. */
function homeWithTmp(site: Record<string, string> = {}): {home: Home; tmp: string} {
  const home = makeHome({site});
  const tmp = home.mkdir('tmp');
  home.env.TMPDIR = tmp;
  return {home, tmp};
}

const cacheDir = (home: Home) => join(home.dir, 'ramdisk', 'alluxioworker');
const cacheTemps = (home: Home) => readdirSync(join(cacheDir(home), '.tmp'));

function bigFile(home: Home, name: string, bytes: number): string {
  const file = join(home.dir, name);
  writeFileSync(file, Buffer.alloc(bytes, 7));
  return file;
}

/** Resolves once a file appears in `dir` (created or renamed in), then runs `then` at once. */
function onFileIn(dir: string, then: () => void): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      watcher.close();
      then();
      resolve();
    });
  });
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  expect(child.kill(name), `could not send ${name}`).toBe(true);
}

/** Ended by the signal (a shell shows $? = 130 for SIGINT, 143 for SIGTERM), with exactly one line on stderr. */
function expectInterrupted(r: RunResult, signal: NodeJS.Signals, line: string): void {
  const d = describeResult(r);
  expect(r.timedOut, d).toBe(false);
  expect(r.signal, d).toBe(signal);
  expect(lines(r.stderr), d).toEqual([line]);
}

describe('an interrupted copyFromLocal of a pipe (spooled to the temp folder first)', () => {
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    it(`${name}: ends with one line, leaving no spool and no file`, async () => {
      const {home, tmp} = homeWithTmp();
      const fifo = join(home.dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const child = home.start(['fs', 'copyFromLocal', fifo, '/piped.bin']);
      const result = collect(child, ['copyFromLocal']);
      const spooled = onFileIn(tmp, () => undefined);
      // Opening the fifo for writing waits for the CLI to open it for reading.
      const writer = openSync(fifo, 'w');
      writeSync(writer, Buffer.alloc(MB, 1));
      await spooled;
      // The spool is being filled: the writer keeps the pipe open, so the copy cannot end by itself.
      await new Promise((r) => setTimeout(r, 200));
      expect(readdirSync(tmp)).toHaveLength(1);
      signal(child, name);
      const r = await result;
      closeSync(writer);
      expectInterrupted(r, name, 'Interrupted: removed 1 temporary file');
      expect(readdirSync(tmp)).toEqual([]);
      expectSuccess(await home.run(['fs', 'ls', '/']), []);
    });
  }
});

describe('an interrupted cache write', () => {
  it('CACHE_THROUGH to the local under storage: SIGINT removes the cache temporary, nothing is left', async () => {
    const {home} = homeWithTmp();
    const file = bigFile(home, 'big.bin', 48 * MB);
    expectSuccess(await home.run(['format']));
    mkdirSync(join(cacheDir(home), '.tmp'), {recursive: true});
    const child = home.start(['fs', '-Dalluxio.user.file.writetype.default=CACHE_THROUGH', 'copyFromLocal', file, '/big.bin']);
    const result = collect(child, ['copyFromLocal']);
    // Frozen as soon as its temporary exists, so the interrupt lands in the middle of the write (or even before
    // the open that made the temporary has returned to the writer).
    await onFileIn(join(cacheDir(home), '.tmp'), () => signal(child, 'SIGSTOP'));
    signal(child, 'SIGINT');
    signal(child, 'SIGCONT');
    expectInterrupted(await result, 'SIGINT', 'Interrupted: removed 1 temporary file');
    expect(cacheTemps(home)).toEqual([]);
    expect(readdirSync(cacheDir(home)).filter((n) => n !== '.tmp')).toEqual([]);
    expect(readdirSync(home.ufs)).toEqual([]);
    expectSuccess(await home.run(['fs', 'ls', '/']), []);
    // The interrupted write gave its path back: writing it again at once is no "already exists".
    expectSuccess(await home.run(['fs', 'copyFromLocal', file, '/big.bin']), [`Copied file://${file} to /big.bin`]);
  });
});

describe('a writer killed (SIGKILL) during a cache write', () => {
  it('leaves a temporary that counts against the quota while its process runs, and that the next command removes', async () => {
    const {home} = homeWithTmp({'alluxio.worker.tieredstore.level0.dirs.quota': '64MB', 'alluxio.user.file.writetype.default': 'MUST_CACHE'});
    const first = bigFile(home, 'first.bin', 48 * MB);
    const second = bigFile(home, 'second.bin', 24 * MB);
    expectSuccess(await home.run(['format']));
    mkdirSync(join(cacheDir(home), '.tmp'), {recursive: true});
    const writer = home.start(['fs', 'copyFromLocal', first, '/first.bin']);
    const killed = collect(writer, ['copyFromLocal']);
    await onFileIn(join(cacheDir(home), '.tmp'), () => signal(writer, 'SIGSTOP'));

    // 48 MB being written + 24 MB > 64 MB: the second write does not fit while the first may still finish.
    const refused = await home.run(['fs', 'copyFromLocal', second, '/second.bin']);
    expectError(refused, /^Cannot write \/second\.bin with MUST_CACHE: 25165824 bytes do not fit in the Alluxio worker cache$/);
    expect(cacheTemps(home)).toHaveLength(1);

    signal(writer, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    const [left] = cacheTemps(home);
    expect(left, 'SIGKILL cleans nothing up').toMatch(/^50331648\.\d+@[A-Za-z0-9-]*-[0-9a-f]{12}\.tmp$/);

    expectSuccess(await home.run(['fs', 'copyFromLocal', second, '/second.bin']), [`Copied file://${second} to /second.bin`]);
    expect(cacheTemps(home)).toEqual([]);
  });
});

describe('modes', () => {
  it('the cache folder is 0700 and its files 0600, also after an older format left the folder 1777', async () => {
    const {home} = homeWithTmp({'alluxio.user.file.writetype.default': 'MUST_CACHE'});
    const file = bigFile(home, 'small.bin', 1000);
    expectSuccess(await home.run(['format']));
    expect(statSync(cacheDir(home)).mode & 0o7777).toBe(0o700);
    chmodSync(cacheDir(home), 0o1777);
    expectSuccess(await home.run(['fs', 'copyFromLocal', file, '/small.bin']));
    expect(statSync(cacheDir(home)).mode & 0o7777).toBe(0o700);
    const cached = readdirSync(cacheDir(home)).filter((n) => n !== '.tmp');
    expect(cached).toHaveLength(1);
    expect(statSync(join(cacheDir(home), cached[0]!)).mode & 0o7777).toBe(0o600);
  });
});

describe('fs cleanup', () => {
  it('--older-than takes Alluxio durations; anything else is a usage error', async () => {
    const {home, tmp} = homeWithTmp();
    // Its own temporary folder: a killed writer's leftovers in the shared /tmp would be reported too.
    home.writeSite({'alluxio.tmp.dirs': tmp});
    expectSuccess(await home.run(['fs', 'cleanup', '--older-than', '10min']), ['/: skipped (local under storage keeps no intermediate uploads)']);
    for (const bad of ['soon', '-5', '10 lightyears', '']) {
      expectUsageError(
        await home.run(['fs', 'cleanup', '--older-than', bad]),
        `Invalid duration for --older-than: ${JSON.stringify(bad)} (give e.g. 0, 30s, 10min, 1h or 3day)`,
        'fs cleanup [--dry-run] [--whole-bucket] [--older-than <duration>] [<mountPoint> ...]',
      );
    }
  });

  it("removes the spool and staging files of killed writers, another host's past --older-than, never a running writer's", async () => {
    const {home, tmp} = homeWithTmp();
    const staging = home.mkdir('staging');
    home.writeSite({'alluxio.tmp.dirs': staging});
    const gone = execFileSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'}).trim();
    const host = execFileSync('hostname', {encoding: 'utf8'}).trim().replace(/[^A-Za-z0-9-]/g, '-');
    const deadSpool = join(tmp, `alluxio-copy-${gone}@${host}-0123456789ab`);
    mkdirSync(deadSpool);
    writeFileSync(join(deadSpool, 'data'), 'x');
    const deadPart = join(staging, `alluxio-part-${gone}@${host}-0123456789ab`);
    const livePart = join(staging, `alluxio-part-${process.pid}@${host}-0123456789ab`);
    const remotePart = join(staging, `alluxio-part-${process.pid}@other-host-0123456789ab`);
    const other = join(staging, 'unrelated');
    for (const f of [deadPart, livePart, remotePart, other]) writeFileSync(f, 'x');
    // A running writer's spool folder keeps its mtime while the data inside grows.
    const liveSpool = join(tmp, `alluxio-copy-${process.pid}@${host}-0123456789ab`);
    mkdirSync(liveSpool);
    writeFileSync(join(liveSpool, 'data'), 'x');
    for (const f of [livePart, liveSpool]) utimesSync(f, 1000, 1000);

    const dry = await home.run(['fs', 'cleanup', '--dry-run']);
    expectSuccess(dry);
    expect(lines(dry.stdout).filter((l) => l.includes('temporary')).sort()).toEqual(
      [`Would remove abandoned temporary file ${deadPart}`, `Would remove abandoned temporary file ${deadSpool}`].sort(),
    );
    expect(existsSync(deadPart) && existsSync(deadSpool)).toBe(true);

    expectSuccess(await home.run(['fs', 'cleanup']));
    expect(existsSync(deadPart) || existsSync(deadSpool)).toBe(false);
    expect([livePart, liveSpool, remotePart, other].every((f) => existsSync(f))).toBe(true);

    const r = await home.run(['fs', 'cleanup', '--older-than', '0']);
    expectSuccess(r);
    expect(lines(r.stdout).filter((l) => l.includes('temporary'))).toEqual([`Removed abandoned temporary file ${remotePart}`]);
    expect([livePart, liveSpool, other].every((f) => existsSync(f))).toBe(true);
  });
});

describe('an interrupted credential_process', () => {
  it('SIGINT stops it and what it started, though it runs in a process group of its own', async () => {
    const home = makeHome();
    const pidFile = join(home.dir, 'helper.pid');
    const helper = join(home.dir, 'hang.sh');
    writeFileSync(helper, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 1000\n`, {mode: 0o755});
    const profiles = join(home.dir, 'credentials');
    writeFileSync(profiles, `[default]\ncredential_process = ${helper}\n`);
    home.env.AWS_SHARED_CREDENTIALS_FILE = profiles;
    home.env.AWS_CONFIG_FILE = join(home.dir, 'no-config');
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    const args = ['fs', 'mount', '--option', 'alluxio.underfs.s3.endpoint=http://127.0.0.1:9', '/mnt/s3', 's3://bucket/'];
    const child = home.start(args);
    const result = collect(child, args);
    const started = Date.now();
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
      expect(Date.now() - started, 'the credential_process did not start').toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(running(sleeper)).toBe(true);
      signal(child, 'SIGINT');
      expectInterrupted(await result, 'SIGINT', 'Interrupted');
      await new Promise((r) => setTimeout(r, 200));
      expect(running(sleeper), `sleep (pid ${sleeper}) outlived the interrupted command`).toBe(false);
    } finally {
      if (running(sleeper)) process.kill(sleeper, 'SIGKILL');
    }
  });
});

/** Whether `pid` runs (a zombie waiting for its parent to reap it does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

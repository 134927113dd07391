/**
 * Runs `bin/alluxio` as a subprocess, exactly as a user types it, in an isolated environment: its own
 * ALLUXIO_HOME (with conf/), its own HOME (so ~/.alluxio never leaks in), no AWS instance metadata, TZ=UTC.
 *
 *   const home = makeHome({site: {'alluxio.user.date.format.pattern': 'yyyy'}});
 *   const r = await home.run(['fs', 'ls', '/']);      // {stdout, stderr, code, signal, timedOut}
 *
 * Nothing of the parent's environment leaks in but PATH (and the locale): a stray ALLUXIO_* or AWS_* variable of
 * the developer's shell would otherwise change what the tests see.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The CLI under test: this checkout's bin/alluxio, or another build (an installed package) via ALLUXIO_E2E_BIN. */
export const BIN = process.env.ALLUXIO_E2E_BIN ?? join(REPO_DIR, 'bin', 'alluxio');

if (!process.env.ALLUXIO_E2E_BIN && !existsSync(join(REPO_DIR, 'dist', 'cli', 'argv.js'))) {
  throw new Error(`${REPO_DIR}/dist is missing: run "npm run build" before the e2e tests`);
}

export interface RunResult {
  stdout: string;
  /** stdout as bytes, for binary output (cat). */
  stdoutBytes: Buffer;
  stderr: string;
  /** Exit status; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the runner killed the process because it ran past `timeoutMs`. */
  timedOut: boolean;
  /** The command line, for failure messages. */
  command: string;
}

export interface RunOptions {
  /** Environment variables on top of the isolated base environment (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** Written to the process's stdin, which is then closed. */
  input?: string | Buffer;
  cwd?: string;
  /** Kill the process (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /**
   * Feed `input` through a real pipe, as `printf ... | alluxio ...` in a shell does (Node's own stdin pipes are
   * sockets, on which opening /dev/stdin fails with ENXIO).
   */
  shellPipe?: boolean;
}

/** The environment every run starts from: nothing from the parent but PATH and a neutral locale. */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The isolated base environment with `extra` on top (undefined removes a variable). */
export function mergeEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = baseEnv();
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts `bin/alluxio args` (the bin file itself, through its node shebang) without waiting for it. */
export function start(args: string[], opts: RunOptions = {}): ChildProcess {
  const env = mergeEnv(opts.env);
  if (!env.ALLUXIO_HOME || !env.HOME) {
    throw new Error('run(): pass the env of a makeHome() home, so that the checkout and ~ are never touched');
  }
  const cwd = opts.cwd ?? env.ALLUXIO_HOME;
  if (opts.shellPipe) {
    const input = opts.input === undefined ? '' : opts.input.toString();
    const script = 'printf %s "$ALLUXIO_E2E_INPUT" | "$0" "$@"';
    return spawn('/bin/sh', ['-c', script, BIN, ...args], {env: {...env, ALLUXIO_E2E_INPUT: input}, cwd, stdio: ['pipe', 'pipe', 'pipe']});
  }
  return spawn(BIN, args, {env, cwd, stdio: ['pipe', 'pipe', 'pipe']});
}

/** Runs `bin/alluxio args` to completion. */
export function run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const child = start(args, opts);
  return collect(child, args, opts);
}

/** Waits for a started process, collecting its output. */
export function collect(child: ChildProcess, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const command = `alluxio ${args.map(quote).join(' ')}`;
  return new Promise((resolvePromise, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolvePromise({
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
        timedOut,
        command,
      });
    });
    child.stdin?.on('error', () => undefined);
    if (opts.input !== undefined && !opts.shellPipe) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Lines of an output, without the final empty one. */
export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

let rootDir: string | undefined;

/** All homes of this test process live under one folder, removed by cleanupHomes() (KEEP_E2E_HOMES=1 keeps it). */
function homesRoot(): string {
  rootDir ??= mkdtempSync(join(tmpdir(), 'alluxio-e2e-'));
  return rootDir;
}

export function cleanupHomes(): void {
  if (rootDir && !process.env.KEEP_E2E_HOMES) rmSync(rootDir, {recursive: true, force: true});
  rootDir = undefined;
}

export interface HomeOptions {
  /** Content of conf/alluxio-site.properties: raw text, or key/value pairs written as key=value lines. */
  site?: string | Record<string, string>;
  /** Extra environment variables for every run of this home. */
  env?: Record<string, string | undefined>;
}

export class Home {
  /** ALLUXIO_HOME. */
  readonly dir: string;
  /** ALLUXIO_CONF_DIR (= <dir>/conf). */
  readonly confDir: string;
  /** HOME of the user (an empty folder). */
  readonly userHome: string;
  /** The site file path (it exists only when written). */
  readonly siteFile: string;
  readonly env: Record<string, string | undefined>;

  constructor(dir: string, env: Record<string, string | undefined> = {}) {
    this.dir = dir;
    this.confDir = join(dir, 'conf');
    this.userHome = join(dir, 'userhome');
    this.siteFile = join(this.confDir, 'alluxio-site.properties');
    mkdirSync(this.confDir, {recursive: true});
    mkdirSync(this.userHome, {recursive: true});
    // A system temp folder of its own: what a killed run leaves there (a copy spool) is not swept up, and
    // reported, by another test's `fs cleanup` running at the same time.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, {recursive: true});
    this.env = {ALLUXIO_HOME: dir, ALLUXIO_CONF_DIR: this.confDir, HOME: this.userHome, TMPDIR: tmp, ...env};
  }

  /** The default root under storage: <ALLUXIO_HOME>/underFSStorage. */
  get ufs(): string {
    return join(this.dir, 'underFSStorage');
  }

  get journal(): string {
    return join(this.dir, 'journal');
  }

  get metastore(): string {
    return join(this.journal, 'metastore.db');
  }

  /** A fresh folder inside the home (for local files, UFS folders to mount...). */
  mkdir(...parts: string[]): string {
    const p = join(this.dir, ...parts);
    mkdirSync(p, {recursive: true});
    return p;
  }

  writeSite(site: string | Record<string, string>): void {
    const text =
      typeof site === 'string'
        ? site
        : Object.entries(site)
            .map(([k, v]) => `${k}=${v}\n`)
            .join('');
    writeFileSync(this.siteFile, text);
    // As an operator keeps a site file with secrets; a readable one makes every command warn.
    chmodSync(this.siteFile, 0o600);
  }

  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(args, {...opts, env: {...this.env, ...opts.env}});
  }

  start(args: string[], opts: RunOptions = {}): ChildProcess {
    return start(args, {...opts, env: {...this.env, ...opts.env}});
  }
}

/** A fresh, isolated ALLUXIO_HOME with conf/ (and an alluxio-site.properties when `site` is given). */
export function makeHome(options: HomeOptions = {}): Home {
  const dir = mkdtempSync(join(homesRoot(), 'home-'));
  const home = new Home(dir, options.env);
  if (options.site !== undefined) home.writeSite(options.site);
  return home;
}

/** The OS user running the tests (the superuser of every fresh home) and its primary group. */
export const ME = userInfo().username;
export const MY_GROUP = execFileSync('id', ['-gn'], {encoding: 'utf8'}).trim();

/**
 * Sets a file's access and modification times to exactly `ms` (fs.utimes goes through a float of seconds and
 * may land a nanosecond short of the millisecond, which truncates to the one before).
 */
export function setMtime(path: string, ms: number): void {
  const seconds = Math.floor(ms / 1000);
  const frac = String(ms - seconds * 1000).padStart(3, '0');
  execFileSync('touch', ['-h', '-d', `@${seconds}.${frac}`, path]);
}

/** Signs that the CLI crashed instead of reporting an error: stack frames, oclif's bug marker, Node internals. */
const CRASH_PATTERNS = [
  /^\s+at .+:\d+:\d+\)?$/m,
  /^\s+at (?:async )?[\w.<>]+ \(/m,
  /Unexpected error/,
  /This is a bug in alluxio-s3/,
  /node:internal/,
  /\bError: .*\n\s+at /,
  /UnhandledPromiseRejection/,
];

export function crashSigns(result: RunResult): string[] {
  const text = `${result.stdout}\n${result.stderr}`;
  return CRASH_PATTERNS.filter((p) => p.test(text)).map(String);
}

/** A compact description of a result, for assertion messages. */
export function describeResult(r: RunResult): string {
  return `${r.command}\n  exit: ${r.code}${r.signal ? ` signal ${r.signal}` : ''}${r.timedOut ? ' (timed out)' : ''}\n  stdout: ${JSON.stringify(r.stdout)}\n  stderr: ${JSON.stringify(r.stderr)}`;
}

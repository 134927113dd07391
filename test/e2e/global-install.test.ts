/**
 * A global install as a user makes it: `npm pack` of this (already built) checkout, `npm i -g` of the tarball into
 * a temporary prefix, then the installed commands from an unrelated folder, with HOME a fresh folder and no
 * ALLUXIO_* variable. The package must bring everything it loads, find itself through npm's bin symlinks and
 * keep every byte of state in ~/.alluxio.
 *
 * The build is not run here: other test files run bin/alluxio from dist/ at the same time, and the build starts by
 * removing dist/. better-sqlite3's own install script (prebuild-install) is offered the module this checkout
 * compiled as a local prebuild, as it would take a downloaded one; without it (another version resolved) the
 * install compiles the module from source, which takes minutes on 2 cores.
 */
import {execFile, spawn} from 'node:child_process';
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {REPO_DIR, type RunResult, collect, crashSigns, describeResult, lines} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';
import {alive, freePort, httpStatus, kill} from '../helpers/master.js';

const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 170_000;
const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as {name: string; version: string};

const root = mkdtempSync(join(tmpdir(), 'alluxio-global-'));
const prefix = join(root, 'prefix');
const userHome = join(root, 'home');
const workDir = join(userHome, '.alluxio');
const cwd = join(root, 'elsewhere');
const installed = join(prefix, 'lib', 'node_modules', pkg.name);
let packageFiles: string[] = [];
let webPort = 0;

/** Every path under `dir` with its size and modification time, to tell that nothing was added or changed. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: false}) as string[]) {
    const stat = lstatSync(join(dir, entry));
    out.push(`${entry} ${stat.isDirectory() ? 'dir' : `${stat.size} ${stat.mtimeMs}`}`);
  }
  return out.sort();
}

/** The environment of a user who just installed the package: nothing of ours, nothing of the test runner's. */
function userEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    HOME: userHome,
    TMPDIR: join(root, 'tmp'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs an installed command through its link in <prefix>/bin, from the unrelated folder. */
function installedCommand(name: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  const child = spawn(join(prefix, 'bin', name), args, {cwd, env: userEnv(), stdio: ['pipe', 'pipe', 'pipe']});
  return collect(child, [name, ...args], {timeoutMs});
}

const alluxio = (...args: string[]) => installedCommand('alluxio', args);

/** better-sqlite3's prebuild-install reads `local-prebuilds` from a .prebuild-installrc in a parent folder. */
async function offerLocalPrebuild(): Promise<void> {
  const moduleDir = join(REPO_DIR, 'node_modules', 'better-sqlite3');
  const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) return;
  const {version} = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')) as {version: string};
  const prebuilds = join(root, 'prebuilds');
  const staging = join(prebuilds, 'staging');
  mkdirSync(join(staging, 'build', 'Release'), {recursive: true});
  writeFileSync(join(staging, 'build', 'Release', 'better_sqlite3.node'), readFileSync(binary));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', join(prebuilds, name), '-C', staging, 'build']);
  rmSync(staging, {recursive: true});
  writeFileSync(join(root, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
}

/** npm's cache and user configuration (registry, nodedir for node-gyp) are the developer's, as for any install. */
async function npmSettings(): Promise<Record<string, string>> {
  const get = async (key: string) => (await run('npm', ['config', 'get', key], {cwd: REPO_DIR})).stdout.trim();
  return {npm_config_cache: await get('cache'), npm_config_userconfig: await get('userconfig')};
}

beforeAll(async () => {
  for (const dir of [userHome, cwd, join(root, 'tmp'), join(root, 'pack')]) mkdirSync(dir, {recursive: true});
  await offerLocalPrebuild();
  const npmEnv = {...userEnv(), ...(await npmSettings())};
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', join(root, 'pack')], {cwd: REPO_DIR});
  const tarball = join(root, 'pack', (JSON.parse(packed.stdout) as {filename: string}[])[0]!.filename);
  await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball],
    {cwd, env: npmEnv, timeout: INSTALL_TIMEOUT_MS - 10_000, maxBuffer: 16 << 20},
  );
  packageFiles = snapshot(installed);
  // A port of its own for the master, through the site file that an installed package reads from ~/.alluxio.
  webPort = await freePort();
  mkdirSync(workDir, {recursive: true});
  writeFileSync(join(workDir, 'alluxio-site.properties'), `alluxio.master.web.port=${webPort}\n`);
  chmodSync(join(workDir, 'alluxio-site.properties'), 0o600);
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  const pid = masterPid();
  if (pid !== undefined && alive(pid)) kill(pid, 'SIGKILL');
  if (!process.env.KEEP_E2E_HOMES) rmSync(root, {recursive: true, force: true});
});

function masterPid(): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(workDir, 'master.pid'), 'utf8')) as {pid: number}).pid;
  } catch {
    return undefined;
  }
}

describe.sequential('npm i -g of the packed tarball', () => {
  it('links the three commands into <prefix>/bin and ships no sources or tests', () => {
    for (const name of ['alluxio', 'alluxio-start.sh', 'alluxio-stop.sh']) {
      expect(lstatSync(join(prefix, 'bin', name)).isSymbolicLink(), name).toBe(true);
    }
    const top = readdirSync(installed).sort();
    expect(top).toEqual(['README.md', 'bin', 'conf', 'dist', 'node_modules', 'oclif.manifest.json', 'package.json', 'schemas']);
    // Only the shipped templates: a checkout's own site file (its keys, its ports) never goes into the package.
    expect(readdirSync(join(installed, 'conf')).sort()).toEqual(['alluxio-site.properties.template', 'log4j.properties']);
  });

  it('version, and the work folder in ~/.alluxio with the site file found there', async () => {
    expectSuccess(await alluxio('version'), [pkg.version]);
    expectSuccess(await alluxio('getConf', 'alluxio.work.dir'), [workDir]);
    expectSuccess(await alluxio('getConf', 'alluxio.master.journal.folder'), [join(workDir, 'journal')]);
    expectSuccess(await alluxio('getConf', 'alluxio.master.web.port'), [String(webPort)]);
  });

  it('format, runTests (24 pass) and fs ls /, with the namespace in ~/.alluxio', async () => {
    const format = await alluxio('format');
    expectSuccess(format);
    expect(format.stdout).toContain(`Formatting master journal: ${join(workDir, 'journal')}`);
    expect(existsSync(join(workDir, 'journal', 'metastore.db'))).toBe(true);

    const tests = await installedCommand('alluxio', ['runTests'], 120_000);
    expectSuccess(tests);
    expect(lines(tests.stdout).filter((l) => l === '\u001b[32mPassed the test!\u001b[0m')).toHaveLength(24);
    expect(readdirSync(join(workDir, 'underFSStorage', 'default_tests_files'))).toHaveLength(18);

    const ls = await alluxio('fs', 'ls', '/');
    expectSuccess(ls);
    expect(ls.stdout).toMatch(/ \/default_tests_files\n$/);
  }, 150_000);

  it('alluxio-start.sh local and alluxio-stop.sh local, through their links, run the installed master', async () => {
    const start = await installedCommand('alluxio-start.sh', ['local']);
    expect(start.code, describeResult(start)).toBe(0);
    const pid = masterPid();
    expect(pid, describeResult(start)).toBeDefined();
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(join(installed, 'bin', 'alluxio'));
    expect(await httpStatus(`http://127.0.0.1:${webPort}/api/v1/master/info`)).toBe(200);

    const stop = await installedCommand('alluxio-stop.sh', ['local']);
    expect(stop.code, describeResult(stop)).toBe(0);
    expect(alive(pid!)).toBe(false);
  });

  it('doctor s3 loads the S3 modules of the installed package and fails cleanly on a closed endpoint', async () => {
    const closed = await freePort();
    const r = await alluxio(
      'doctor', 's3', 's3://alluxio-install-probe/',
      `-Dalluxio.underfs.s3.endpoint=http://127.0.0.1:${closed}`,
      '-Dalluxio.underfs.s3.disable.dns.buckets=true',
      '-Ds3a.accessKeyId=AKIAINSTALLPROBE0001',
      '-Ds3a.secretKey=install-probe-secret',
    );
    expect([1, 255], describeResult(r)).toContain(r.code);
    expect(crashSigns(r), describeResult(r)).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)|install-probe-secret/);
    expect(r.stdout).toMatch(/^\s+FAIL\s+list\s+HTTP - ECONNREFUSED$/m);
  });

  it('left the installed package untouched and every piece of state in ~/.alluxio', () => {
    expect(snapshot(installed)).toEqual(packageFiles);
    expect(readdirSync(userHome)).toEqual(['.alluxio']);
    expect(readdirSync(workDir).sort()).toEqual(['alluxio-site.properties', 'journal', 'logs', 'ramdisk', 'underFSStorage']);
    expect(readdirSync(cwd)).toEqual([]);
    expect(statSync(join(workDir, 'journal', 'metastore.db')).mode & 0o777).toBe(0o600);
    expect(relative(installed, workDir).startsWith('..')).toBe(true);
  });
});

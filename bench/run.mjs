#!/usr/bin/env node
// npm run bench: whole-process timings of the CLI on the local default, against `node -e 0`, a bare oclif command
// and GNU ls as floors. Medians of interleaved runs; peak RSS and client CPU from the process itself. Not part of CI.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'alluxio');
const probe = join(root, 'bench', 'rss-probe.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 10);
const files = Number(process.env.BENCH_FILES ?? 10_000);

const home = mkdtempSync(join(tmpdir(), 'alluxio-bench-'));
mkdirSync(join(home, 'conf'));
const env = {...process.env, ALLUXIO_HOME: home, ALLUXIO_CONF_DIR: join(home, 'conf'), AWS_EC2_METADATA_DISABLED: 'true'};

/** Runs a command once; returns wall ms, and for node processes peak RSS (MiB) and CPU seconds. */
function measure(command, args, {node = false} = {}) {
  const usageFile = join(home, 'usage.json');
  rmSync(usageFile, {force: true});
  const started = process.hrtime.bigint();
  const result = node
    ? spawnSync(process.execPath, ['--import', probe, command, ...args], {env: {...env, BENCH_USAGE_FILE: usageFile}, stdio: ['ignore', 'ignore', 'pipe']})
    : spawnSync(command, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  if (!node) return {wallMs};
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return {wallMs, rssMiB: usage.maxRssKb / 1024, cpuS: usage.cpuUs / 1e6};
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Interleaves the cases run by run so that machine noise hits them alike; ratios and differences are to `base`. */
function compare(title, cases, n, base = 0) {
  const samples = cases.map(() => []);
  for (let i = 0; i < n; i++) cases.forEach((c, j) => samples[j].push(c.run()));
  const rows = cases.map((c, j) => {
    const s = samples[j];
    return {
      case: c.name,
      wallMs: median(s.map((x) => x.wallMs)),
      cpuS: s[0].cpuS === undefined ? undefined : median(s.map((x) => x.cpuS)),
      rssMiB: s[0].rssMiB === undefined ? undefined : Math.max(...s.map((x) => x.rssMiB)),
    };
  });
  const floor = rows[base];
  console.log(`\n## ${title} (median of ${n} runs)`);
  console.log(`| case | wall ms | ratio to ${floor.case} | ms over it | client CPU s | peak RSS MiB |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const over = r.wallMs - floor.wallMs;
    console.log(
      `| ${r.case} | ${r.wallMs.toFixed(0)} | ${(r.wallMs / floor.wallMs).toFixed(2)} | ${over >= 0 ? '+' : ''}${over.toFixed(0)} | ` +
        `${r.cpuS?.toFixed(2) ?? '-'} | ${r.rssMiB?.toFixed(0) ?? '-'} |`,
    );
  }
}

/** The floor of any oclif CLI: one command that prints a line, found through its manifest as ours are. */
function bareOclifCli() {
  const dir = join(home, 'bare-oclif');
  mkdirSync(join(dir, 'commands'), {recursive: true});
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'bare', version: '1.0.0', type: 'module', files: ['bin', 'commands'], oclif: {bin: 'bare', commands: './commands'},
  }));
  writeFileSync(join(dir, 'commands', 'hello.js'), [
    "import {Command} from '@oclif/core';",
    'export default class Hello extends Command {',
    "  async run() { this.log('hello'); }",
    '}',
  ].join('\n'));
  writeFileSync(join(dir, 'bin', 'bare'), "import {execute} from '@oclif/core';\nawait execute({dir: import.meta.url});\n");
  execFileSync(join(root, 'node_modules', '.bin', 'oclif'), ['manifest'], {cwd: dir, stdio: 'ignore'});
  return join(dir, 'bin', 'bare');
}

execFileSync(bin, ['format'], {env, stdio: 'ignore'});
const alluxio = (...args) => () => measure(bin, args, {node: true});

const bare = bareOclifCli();
compare('Start-up on the local default', [
  {name: 'node -e 0', run: () => measure('-e', ['0'], {node: true})},
  {name: 'bare oclif command', run: () => measure(bare, ['hello'], {node: true})},
  {name: 'alluxio version', run: alluxio('version')},
  {name: 'alluxio fs ls /', run: alluxio('fs', 'ls', '/')},
], runs, 1);

compare('runTests on the local default (24 tests)', [{name: 'alluxio runTests', run: alluxio('runTests')}], Math.max(3, runs >> 1));

const ufs = join(home, 'underFSStorage', 'many');
function makeTree(count) {
  rmSync(ufs, {recursive: true, force: true});
  for (let d = 0; d < count / 100; d++) {
    const dir = join(ufs, `d${String(d).padStart(4, '0')}`);
    mkdirSync(dir, {recursive: true});
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}`), '');
  }
}
for (const count of [files, files * 2]) {
  makeTree(count);
  compare(`fs ls -R over ${count} files in the local UFS`, [
    {name: `alluxio fs ls -R /many`, run: alluxio('fs', 'ls', '-R', '/many')},
    {name: 'GNU ls -lR (floor)', run: () => measure('ls', ['-lR', ufs])},
  ], 3);
}
rmSync(home, {recursive: true, force: true});

/**
 * Runs the leader jobs in a process of their own (test/helpers/leader-jobs-main.ts, bundled with esbuild into
 * test-output/ so that its external packages resolve from this checkout), for tests that kill it with SIGKILL.
 *
 *   const jobs = await startLeaderJobsProcess(home);      // resolves once it printed `started`
 *   jobs.child.kill('SIGKILL');
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'esbuild';
import type {Home} from './cli.js';
import {REPO_DIR} from './cli.js';

let bundled: Promise<string> | undefined;

export function leaderJobsScript(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(REPO_DIR, 'test-output');
    mkdirSync(dir, {recursive: true});
    const outfile = join(dir, `leader-jobs-${process.pid}.mjs`);
    await build({
      entryPoints: [join(REPO_DIR, 'test', 'helpers', 'leader-jobs-main.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile,
      external: ['@oclif/core', 'better-sqlite3', 'http-proxy-agent', 'https-proxy-agent', 'fastify'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

export interface RunningJobs {
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when it exited. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

export async function startLeaderJobsProcess(home: Home, env: Record<string, string> = {}): Promise<RunningJobs> {
  const script = await leaderJobsScript();
  const child = spawn(process.execPath, [script], {
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', AWS_EC2_METADATA_DISABLED: 'true', ...home.env, ...env} as NodeJS.ProcessEnv,
    cwd: home.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  );
  const deadline = Date.now() + 20_000;
  while (!out.includes('started\n')) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the leader jobs process did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {child, output: () => out, exited};
}

/**
 * vitest globalSetup of the `pg` project (and of the `s3` project, for S3 mounts with the namespace in PostgreSQL):
 * one throw-away PostgreSQL 15 (test/servers/postgres.mjs) on a free loopback port in a fresh temp folder for the
 * whole run; tests read it with pgEnv() (test/helpers/pg-env.ts).
 * The server stops and its folder goes when the teardown runs, and also when this process ends without one (the
 * script stops when its stdin, a pipe from this process, closes). Missing binaries are an error, never a skip.
 */
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import type {TestProject} from 'vitest/node';

import type {PgEnv} from '../../helpers/pg-env.js';

const SCRIPT = fileURLToPath(new URL('../../servers/postgres.mjs', import.meta.url));
const START_TIMEOUT_MS = 120_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alluxio-s3-pg-'));
  const child = spawn(process.execPath, [SCRIPT, dir], {stdio: ['pipe', 'pipe', 'pipe']});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, {recursive: true, force: true});
  };
  try {
    const env = await new Promise<PgEnv>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /^PG_READY (.+)$/m.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(JSON.parse(m[1]!) as PgEnv);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited ${code ?? signal}`));
      });
    });
    console.log(`[pg setup] PostgreSQL ${env.url}: ready in ${env.startSeconds.toFixed(1)} s (${dir})`);
    project.provide('pg', env);
    return stop;
  } catch (err) {
    await stop();
    throw new Error(
      `Could not start PostgreSQL (${SCRIPT}): ${(err as Error).message}\n${stderr.trim()}\n` +
        'Run .ci/run (it installs the Debian package postgresql), or: sudo apt-get install -y postgresql',
    );
  }
}

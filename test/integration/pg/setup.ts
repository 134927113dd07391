/**
 * vitest globalSetup of the `pg` project (and of the `s3` project, for S3 mounts with the namespace in PostgreSQL):
 * one throw-away PostgreSQL 15 (test/servers/postgres.mjs) on a free loopback port in a fresh temp folder for the
 * whole run; tests read it with pgEnv() (test/helpers/pg-env.ts).
 * The server stops and its folder goes when the teardown runs, and also when this process ends without one (the
 * script stops when its stdin, a pipe from this process, closes). Missing binaries are an error, never a skip.
 */
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import type {TestProject} from 'vitest/node';

import type {PgEnv} from '../../helpers/pg-env.js';
import {startServerChild} from '../../helpers/server-child.js';

const SCRIPT = fileURLToPath(new URL('../../servers/postgres.mjs', import.meta.url));
const START_TIMEOUT_MS = 120_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alluxio-s3-pg-'));
  try {
    const {ready, stop} = await startServerChild({
      args: [SCRIPT, dir],
      dir,
      readyLine: /^PG_READY (.+)$/m,
      timeoutMs: START_TIMEOUT_MS,
      killAfterMs: 15_000,
    });
    const env = JSON.parse(ready) as PgEnv;
    console.log(`[pg setup] PostgreSQL ${env.url}: ready in ${env.startSeconds.toFixed(1)} s (${dir})`);
    project.provide('pg', env);
    return stop;
  } catch (err) {
    throw new Error(
      `Could not start PostgreSQL (${SCRIPT}): ${(err as Error).message}\n` +
        'Run .ci/run (it installs the Debian package postgresql), or: sudo apt-get install -y postgresql',
    );
  }
}

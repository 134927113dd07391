#!/usr/bin/env node
// A throw-away PostgreSQL 15 (Debian's binaries, no system service) on a free loopback port, its files in DIR.
// Usage: node test/servers/postgres.mjs DIR
// Prints `PG_READY <json>` once the database accepts logins: {url, password, user, database, host, port, dataDir,
// socketDir, runAs, bin, startSeconds}. Clients log in with scram-sha-256 over TCP; the socket in DIR trusts its
// local user (the setup's own administration only).
// Stops the server and removes DIR on SIGTERM or SIGINT, and when its stdin closes: whoever started it holds that
// pipe, so however that process ends (even by SIGKILL) the server ends with it.
// initdb and postgres refuse to run as root: as root they run as the `postgres` system user, owning DIR.
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {chownSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {promisify} from 'node:util';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const USER = 'alluxio';
const DATABASE = 'alluxio';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: postgres.mjs DIR\n');
  process.exit(2);
}
const runAs = process.getuid?.() === 0 ? 'postgres' : undefined;
const dataDir = path.join(dir, 'data');
const run = promisify(execFile);

/** Runs one of PostgreSQL's programs, as the `postgres` user when we are root. */
function pg(program, args) {
  const file = path.join(BIN, program);
  const [cmd, argv] = runAs ? ['runuser', ['-u', runAs, '--', file, ...args]] : [file, args];
  return run(cmd, argv, {timeout: 120_000, maxBuffer: 16 << 20});
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let started = false;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (started) await pg('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']).catch(() => undefined);
  rmSync(dir, {recursive: true, force: true});
  process.exit(code);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();

try {
  const t0 = performance.now();
  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(dir, 'pwfile');
  mkdirSync(dir, {recursive: true, mode: 0o700});
  writeFileSync(pwfile, `${password}\n`, {mode: 0o600});
  if (runAs) {
    const {stdout} = await run('id', ['-u', runAs]);
    const {stdout: gid} = await run('id', ['-g', runAs]);
    chownSync(dir, Number(stdout), Number(gid));
    chownSync(pwfile, Number(stdout), Number(gid));
  }
  await pg('initdb', [
    '-D', dataDir, '-U', USER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust',
    '-E', 'UTF8', '--locale=C', '--no-sync',
  ]);
  rmSync(pwfile);
  // Another process may take the port between freePort() and the bind: try again with another one.
  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    // Durability is not under test; fsync off spares the shared disk.
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
    try {
      started = true;
      await pg('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(dir, 'server.log'), '-o', options]);
      break;
    } catch (e) {
      started = false;
      if (attempt >= 3) throw e;
    }
  }
  await pg('createdb', ['-h', dir, '-p', String(port), '-U', USER, DATABASE]);
  const startSeconds = (performance.now() - t0) / 1000;
  const url = `postgresql://${USER}@127.0.0.1:${port}/${DATABASE}`;
  const ready = {url, password, user: USER, database: DATABASE, host: '127.0.0.1', port, dataDir, socketDir: dir, runAs, bin: BIN, startSeconds};
  process.stdout.write(`PG_READY ${JSON.stringify(ready)}\n`);
} catch (e) {
  process.stderr.write(`${e.stderr ?? ''}${e.message}\n`);
  await stop(1);
}

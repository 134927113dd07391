// A throw-away PostgreSQL for the benchmarks (test/servers/postgres.mjs on loopback, its files in a temp folder that
// the server removes when it stops).
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Starts the server; returns its PG_READY fields (url, password, user, host, port, database) and how to stop it. */
export async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'alluxio-bench-pg-'));
  const server = spawn(process.execPath, [join(root, 'test/servers/postgres.mjs'), dir], {stdio: ['pipe', 'pipe', 'inherit']});
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /^PG_READY (.+)$/m.exec(out);
      if (m) resolve(JSON.parse(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`test/servers/postgres.mjs exited ${code}`)));
  });
  const stop = async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
  };
  return {ready, stop};
}

#!/usr/bin/env node
// s3rver (an independent S3 implementation, npm package `s3rver`) on a free loopback port, its data in DIR.
// Usage: node --openssl-legacy-provider test/servers/s3rver.mjs DIR
// (s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in that provider.)
// Prints `S3RVER_ENDPOINT=http://127.0.0.1:<port>` once it listens; its only keys are S3RVER / S3RVER.
// Stops (removing DIR) on SIGTERM or SIGINT, and when its stdin closes: whoever started it holds that pipe, so however that
// process ends (even by SIGKILL) this server ends with it.
import {rmSync} from 'node:fs';
import S3rver from 's3rver';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: s3rver.mjs DIR\n');
  process.exit(2);
}
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory: dir});
const {port} = await server.run();
process.stdout.write(`S3RVER_ENDPOINT=http://127.0.0.1:${port}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => undefined);
  // Also when whoever started it was killed and could not remove the folder itself.
  rmSync(dir, {recursive: true, force: true});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

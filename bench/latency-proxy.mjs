#!/usr/bin/env node
// A loopback TCP proxy that adds a fixed one-way delay (BENCH_LATENCY_MS, default 10 ms) to every chunk in each
// direction, so that a local radosgw shows the round-trip cost of a remote S3 endpoint.
//
// Each direction of each connection keeps a queue of (chunk, due time): a chunk is written when its due time
// comes, in arrival order, so a large body keeps streaming at full speed and only arrives `delay` later (a
// sleep per chunk would cap the throughput at one chunk per delay). A new connection also costs one round trip
// before its first byte goes on (the TCP handshake over a real link); a client that reuses connections saves it.
// Half-closes (FIN) travel through the queues like data; a reset or error destroys both sides at once.
//
// In a process that blocks its event loop (spawnSync), run the proxy in a child: startLatencyProxy() does that.
//   node bench/latency-proxy.mjs <target host:port> [delay ms]     prints "PORT=<n>" once listening
import {spawn} from 'node:child_process';
import {createConnection, createServer} from 'node:net';
import {fileURLToPath} from 'node:url';

const HIGH_WATER = 8 * 2 ** 20; // bytes queued in one direction before the source is paused

/** Forwards `src` to `dst`, each chunk `delayMs` after it arrived, none earlier than `notBefore` + `delayMs`. */
function delayedPipe(src, dst, delayMs, notBefore) {
  const queue = [];
  let head = 0;
  let queued = 0;
  let timer;
  let waitingForDrain = false;
  const flush = () => {
    timer = undefined;
    const now = Date.now();
    while (head < queue.length && queue[head].due <= now && !waitingForDrain) {
      const item = queue[head];
      queue[head++] = undefined;
      if (dst.destroyed) return;
      if (item.end) {
        dst.end();
        continue;
      }
      queued -= item.chunk.length;
      if (!dst.write(item.chunk)) waitingForDrain = true;
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head > 1024) {
      queue.splice(0, head);
      head = 0;
    }
    if (queued < HIGH_WATER && !waitingForDrain && src.isPaused() && !src.destroyed) src.resume();
    schedule();
  };
  const schedule = () => {
    if (timer || waitingForDrain || head === queue.length) return;
    timer = setTimeout(flush, Math.max(0, queue[head].due - Date.now()));
  };
  const push = (item) => {
    item.due = Math.max(Date.now(), notBefore) + delayMs;
    queue.push(item);
    schedule();
  };
  dst.on('drain', () => {
    waitingForDrain = false;
    flush();
  });
  src.on('data', (chunk) => {
    queued += chunk.length;
    push({chunk});
    if (queued >= HIGH_WATER || waitingForDrain) src.pause();
  });
  src.on('end', () => push({end: true}));
}

/** Starts the proxy in this process. Resolves to {port, close()}. */
export function createLatencyProxy({targetHost = '127.0.0.1', targetPort, delayMs = 10, port = 0}) {
  const sockets = new Set();
  const server = createServer({allowHalfOpen: true, noDelay: true}, (client) => {
    const opened = Date.now();
    const upstream = createConnection({host: targetHost, port: targetPort, allowHalfOpen: true, noDelay: true});
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', (hadError) => {
        sockets.delete(s);
        if (hadError) (s === client ? upstream : client).destroy();
      });
    }
    // Nothing goes upstream before the emulated handshake round trip is over.
    delayedPipe(client, upstream, delayMs, opened + 2 * delayMs);
    delayedPipe(upstream, client, delayMs, 0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Starts the proxy in a child process (so that it keeps forwarding while the caller blocks in spawnSync).
 * Resolves to {port, url, pid, stop()}; stop() is synchronous and safe to call twice or from an exit hook.
 */
export function startLatencyProxy({target, delayMs = 10}) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), target, String(delayMs)], {stdio: ['pipe', 'pipe', 'inherit']});
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`latency proxy exited (${code}) before listening`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT=(\d+)/.exec(out);
      if (!m) return;
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      // Neither end keeps the caller's event loop alive; the child ends with the caller (stdin closes).
      child.unref();
      child.stdin.unref?.();
      child.stdout.unref?.();
      child.stdin._handle?.unref?.();
      child.stdout._handle?.unref?.();
      const port = Number(m[1]);
      resolve({port, url: `http://127.0.0.1:${port}`, pid: child.pid, stop});
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [target, delay] = process.argv.slice(2);
  const m = /^(?:(.*):)?(\d+)$/.exec(target ?? '');
  if (!m) {
    console.error('usage: latency-proxy.mjs <host:port> [delay ms]');
    process.exit(2);
  }
  const delayMs = Number(delay ?? process.env.BENCH_LATENCY_MS ?? 10);
  const proxy = await createLatencyProxy({targetHost: m[1] || '127.0.0.1', targetPort: Number(m[2]), delayMs});
  process.stdout.write(`PORT=${proxy.port}\n`);
  // The parent closing our stdin (it exited, even by a crash) ends the proxy too.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
}

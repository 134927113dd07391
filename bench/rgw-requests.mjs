// Counts the S3 requests a benchmarked client sent, from the access log of the radosgw started by
// test/servers/ceph-rgw-start.sh. At `debug rgw = 1` radosgw writes one beast access line per request when it
// completes, through an asynchronous log thread (the same lines test/helpers/s3.ts requestLog() reads):
//   ... beast: 0x7f..: 127.0.0.1 - user1 [26/Nov/2026:09:50:44.526 +0000] "PUT /b/k HTTP/1.1" 200 2 - ...
// A run's requests are the lines written between the log's size before it and an anonymous marker request sent
// after it (straight to the gateway), whose own line shows that everything answered before it is in.
import {execFileSync} from 'node:child_process';
import {Buffer} from 'node:buffer';
import {randomBytes} from 'node:crypto';
import {closeSync, openSync, readSync, statSync} from 'node:fs';

const RGW_LINE = /\sbeast: \S+ \S+ - \S+ \[[^\]]*\] "([A-Z]+) (\S+) HTTP\/[\d.]+" \d{3} /;

/** The log's size now: the offset to count from. */
export function logSize(logFile) {
  try {
    return statSync(logFile).size;
  } catch {
    return 0;
  }
}

function readFrom(file, offset) {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Requests logged since `offset`: {total, byMethod: {PUT: n, ...}, lines: ['GET /b?list-type=2...', ...]}. */
export function requestsSince(logFile, endpoint, offset) {
  const marker = `bench-log-marker-${randomBytes(6).toString('hex')}`;
  execFileSync('curl', ['-s', '-o', '/dev/null', '--max-time', '10', `${endpoint}/${marker}`]);
  for (let i = 0; i < 400; i++) {
    const text = readFrom(logFile, offset);
    if (text.includes(`/${marker} `)) {
      const byMethod = {};
      const lines = [];
      for (const line of text.split('\n')) {
        const m = RGW_LINE.exec(line);
        if (!m || m[2].startsWith(`/${marker}`)) continue;
        byMethod[m[1]] = (byMethod[m[1]] ?? 0) + 1;
        lines.push(`${m[1]} ${m[2]}`);
      }
      return {total: lines.length, byMethod, lines};
    }
    sleep(25);
  }
  throw new Error(`the marker request never appeared in ${logFile}`);
}

#!/usr/bin/env bash
# Runs Debian's tinyproxy as a plain HTTP forward proxy on 127.0.0.1:PROXY_PORT, with its files in DIR.
# LogLevel Info writes one line per proxied request to DIR/tinyproxy.log, e.g.
#   INFO      Nov 26 10:00:00.000 [1234]: Request (file descriptor 7): PUT http://127.0.0.1:7480/b/k HTTP/1.1
# (test/helpers/s3.ts requestLog({kind: 'proxy', file}) counts them by method).
# Usage: proxy-start.sh [DIR]       Env: PROXY_PORT (8888)       Stop with proxy-stop.sh DIR
# Output: PROXY_DIR=, HTTP_PROXY=, PROXY_LOG= lines, also written to DIR/env.
set -euo pipefail
command -v tinyproxy >/dev/null || {
  echo "proxy-start: tinyproxy not found. Run .ci/run, or: apt-get install -y --no-install-recommends tinyproxy" >&2
  exit 127
}
D=${1:-$(mktemp -d "${TMPDIR:-/tmp}/tinyproxy.XXXXXX")}
mkdir -p "$D"
D=$(cd "$D" && pwd)
PORT=${PROXY_PORT:-8888}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy "$PORT"; then echo "proxy-start: 127.0.0.1:$PORT is already taken" >&2; exit 1; fi
cat >"$D/tinyproxy.conf" <<CONF
Port $PORT
Listen 127.0.0.1
Timeout 600
LogFile "$D/tinyproxy.log"
LogLevel Info
MaxClients 50
Allow 127.0.0.1
DisableViaHeader Yes
CONF
: >"$D/tinyproxy.log"
tinyproxy -d -c "$D/tinyproxy.conf" </dev/null >"$D/stdout" 2>&1 &
echo $! >"$D/tinyproxy.pid"
for _ in $(seq 1 100); do port_busy "$PORT" && break; sleep 0.1; done
if ! port_busy "$PORT"; then
  echo "proxy-start: tinyproxy did not listen on :$PORT; see $D/stdout" >&2
  "$(dirname "$0")/proxy-stop.sh" "$D" --keep
  exit 1
fi
printf 'PROXY_DIR=%s\nHTTP_PROXY=http://127.0.0.1:%s\nPROXY_LOG=%s\n' "$D" "$PORT" "$D/tinyproxy.log" | tee "$D/env"

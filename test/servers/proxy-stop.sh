#!/usr/bin/env bash
# Stops the tinyproxy that proxy-start.sh started in DIR (by its pid file), then deletes DIR.
# Usage: proxy-stop.sh DIR [--keep]
set -u
D=${1:?usage: proxy-stop.sh DIR [--keep]}
[ -d "$D" ] || exit 0
if [ -f "$D/tinyproxy.pid" ]; then
  pid=$(cat "$D/tinyproxy.pid")
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = tinyproxy ]; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$D/tinyproxy.pid"
fi
[ "${2:-}" = --keep ] || rm -rf "$D"
exit 0

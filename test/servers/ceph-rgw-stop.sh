#!/usr/bin/env bash
# Stops everything ceph-rgw-start.sh launched in DIR, using only the pid files it wrote there
# (never by process name: other clusters may be running on the same machine), then deletes DIR.
# Without --keep the cluster's data and logs are deleted anyway: every daemon gets SIGKILL at once (instant).
# With --keep the daemons get SIGTERM so that their logs end cleanly, in the order that avoids waits: gateways
# (they need the OSD to shut down), then the OSD (it waits up to 5 s for the monitor's ack), then the monitor;
# whatever still runs STOP_WAIT seconds (10) after its SIGTERM gets SIGKILL.
# Usage: ceph-rgw-stop.sh DIR [--keep]      --keep: leave DIR (and its logs) in place
set -u
D=${1:?usage: ceph-rgw-stop.sh DIR [--keep]}
[ -d "$D" ] || exit 0
STOP_WAIT=${STOP_WAIT:-10}
# term_and_wait SIGNAL PIDFILE...: signal all at once, wait up to STOP_WAIT s, then SIGKILL what is left
term_and_wait() {
  local sig=$1; shift
  local f pid pids=() alive
  for f in "$@"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null)
    rm -f "$f"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
    # a recycled pid would belong to some other program: leave that alone
    case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
      ceph-mon | ceph-osd | radosgw) ;;
      *) echo "ceph-rgw-stop: pid $pid from $f is not a ceph daemon any more; left alone" >&2; continue ;;
    esac
    kill "-$sig" "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 1 $((STOP_WAIT * 10))); do
    alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    pids=("${alive[@]}")
    [ ${#pids[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
}
if [ "${2:-}" = --keep ]; then
  term_and_wait TERM "$D"/run/rgw.pidfg "$D"/run/rgw-sts.pidfg
  term_and_wait TERM "$D"/run/osd.*.pidfg
  term_and_wait TERM "$D"/run/mon.*.pidfg
else
  term_and_wait KILL "$D"/run/*.pidfg
fi
[ "${2:-}" = --keep ] || rm -rf "$D"
exit 0

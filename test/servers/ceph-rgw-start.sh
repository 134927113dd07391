#!/usr/bin/env bash
# Brings up a disposable Ceph cluster on 127.0.0.1 for the S3 integration tests: one monitor, one OSD
# (memstore by default, so nothing touches the disk beyond DIR) and two radosgw (beast) gateways:
#   - the main gateway on RGW_PORT, with STS auth OFF, so bad keys/secrets get the real S3 error codes;
#   - an STS gateway on RGW_STS_PORT (sts + iam APIs on), plus role arn:aws:iam:::role/S3Access for user1.
# Every file (config, mon/osd data, logs, pid files) lives in DIR.
#
# Debian 12 packages: ceph-mon ceph-osd radosgw ceph-common curl (see .ci/run).
#
# Usage: ceph-rgw-start.sh [DIR]          DIR: created if absent; default: a fresh mktemp -d
# Env (all optional; the vitest global setup passes free ports):
#   RGW_PORT (7480)  RGW_STS_PORT (7481)  MON_PORT_V2 (3300)  MON_PORT_V1 (6789)
#   STS=1|0 (1)                  start the STS gateway and create the role
#   OSD_STORE=memstore|bluestore (memstore)
#   MEMSTORE_BYTES (1073741824)  capacity of the memstore OSD; raise it for large benchmarks
#   RGW_ACCESS_KEY / RGW_SECRET_KEY    keys of user1 ("User One")
#   RGW_ACCESS_KEY2 / RGW_SECRET_KEY2  keys of user2 ("User Two")
#   RGW_STS_KEY                        16 characters (the AES-128 key rgw uses for session tokens)
# Output: KEY=VALUE lines, written to DIR/env and echoed on stdout. Stop with ceph-rgw-stop.sh DIR.
set -Eeuo pipefail   # -E: the ERR trap below also fires inside functions

D=${1:-$(mktemp -d "${TMPDIR:-/tmp}/ceph-rgw.XXXXXX")}
mkdir -p "$D"
D=$(cd "$D" && pwd)
RGW_PORT=${RGW_PORT:-7480}
RGW_STS_PORT=${RGW_STS_PORT:-7481}
MON_PORT_V2=${MON_PORT_V2:-3300}
MON_PORT_V1=${MON_PORT_V1:-6789}
STS=${STS:-1}
OSD_STORE=${OSD_STORE:-memstore}
MEMSTORE_BYTES=${MEMSTORE_BYTES:-1073741824}
AK1=${RGW_ACCESS_KEY:-AKIAUSER1TEST0000001}
SK1=${RGW_SECRET_KEY:-user1secretkey0000000000000000000000001}
AK2=${RGW_ACCESS_KEY2:-AKIAUSER2TEST0000002}
SK2=${RGW_SECRET_KEY2:-user2secretkey0000000000000000000000002}
STS_KEY=${RGW_STS_KEY:-abcdefghijklmnop}
[ ${#STS_KEY} -eq 16 ] || { echo "RGW_STS_KEY must be exactly 16 characters" >&2; exit 2; }

T0=$(date +%s.%N)
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "[ceph-rgw-start $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T0}")s] $*" >>"$D/log/setup.log"; }

for b in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool curl; do
  if ! command -v "$b" >/dev/null; then
    echo "ceph-rgw-start: '$b' not found. Run .ci/run, or: apt-get install -y --no-install-recommends" \
      "ceph-mon ceph-osd radosgw ceph-common curl" >&2
    exit 127
  fi
done
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORTS="$RGW_PORT $MON_PORT_V2 $MON_PORT_V1"
[ "$STS" = 1 ] && PORTS="$PORTS $RGW_STS_PORT"
for p in $PORTS; do
  if port_busy "$p"; then echo "ceph-rgw-start: 127.0.0.1:$p is already taken" >&2; exit 1; fi
done

mkdir -p "$D"/{run,log,crash,mon/a,osd/0}
# From here on, a failure stops whatever already runs (by pid file) and keeps DIR so its logs can be read.
trap 'rc=$?; echo "ceph-rgw-start: failed (exit $rc) near line $LINENO; logs in $D/log" >&2; "$HERE/ceph-rgw-stop.sh" "$D" --keep; exit $rc' ERR

FSID=$(cat /proc/sys/kernel/random/uuid)
cat >"$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv6 = false
# No cephx at all. Daemons (radosgw included) default to "secure" messenger mode towards the monitor,
# which cannot be negotiated without cephx: radosgw then retries forever with
# "get_initial_auth_request returned -13". Every messenger mode is therefore pinned to crc.
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
keyring = $D/keyring
crash dir = $D/crash
mon data = $D/mon/\$id
osd data = $D/osd/\$id
osd objectstore = $OSD_STORE
memstore device bytes = $MEMSTORE_BYTES
bluestore block create = true
bluestore block size = 2147483648
bluestore fsck on mount = false
bluestore cache autotune = false
bluestore cache size = 67108864
osd memory target = 939524096
# a single OSD: one replica, few placement groups, no rebalancing, no health warnings about it
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon osd auto mark out = false
mon osd down out interval = 0
# the monitor batches map changes for paxos_propose_interval (1 s) before proposing them; rgw creates its
# pools one command at a time on first start, so the default costs ~10 s of idle waiting
paxos propose interval = 0.05
# long S3 keys (up to 1024 bytes) must fit in a RADOS object name
osd max object name len = 460
osd max object namespace len = 64
osd op num shards = 1
osd op num threads per shard = 2
[client]
rgw dns name = localhost
rgw thread pool size = 64
rgw enable usage log = false
# level 1 puts one access line per request in the gateway log (read by test/helpers/s3.ts requestLog())
debug rgw = 1
# plain-HTTP requests carrying x-amz-server-side-encryption: AES256 are refused (400 InvalidRequest) unless
# this is off; radosgw 16 then accepts the header without encrypting or echoing it
rgw crypt require ssl = false
[client.rgw.gw]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw s3 auth use sts = false
[client.rgw.sts]
rgw frontends = beast endpoint=127.0.0.1:$RGW_STS_PORT
rgw s3 auth use sts = true
rgw sts key = $STS_KEY
rgw enable apis = s3, s3website, admin, sts, iam
CONF
C=(-c "$D/ceph.conf")
# One-shot admin commands get a deadline: against a stuck cluster (a full memstore OSD, say) they would
# otherwise wait forever, and a killed script would leave them behind.
CMD_TIMEOUT=${CMD_TIMEOUT:-60}
CEPH_BIN=$(command -v ceph)
ceph() { timeout "$CMD_TIMEOUT" "$CEPH_BIN" "$@"; }
radosgw_admin() { timeout "$CMD_TIMEOUT" radosgw-admin "$@"; }

# wait_for PIDFILE TRIES INTERVAL COMMAND...: retry COMMAND until it succeeds; give up early if the daemon
# whose pid is in PIDFILE has exited (a port taken meanwhile, a bad option: no point in waiting)
wait_for() {
  local pidfile=$1 n=$2 dt=$3; shift 3
  for _ in $(seq 1 "$n"); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "$(basename "$pidfile" .pidfg) exited during start" >&2; return 1; }
    sleep "$dt"
  done
  "$@" >/dev/null 2>&1 && return 0
  return 1
}
http_up() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
osd_up() { ceph "${C[@]}" --connect-timeout 5 osd dump 2>/dev/null | grep -q "^osd.$1 up"; }

# monitor
say "monitor"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]" \
  "$D/monmap" >>"$D/log/setup.log" 2>&1
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" >>"$D/log/setup.log" 2>&1
ceph-mon "${C[@]}" -i a -f </dev/null >>"$D/log/mon.a.stdout" 2>&1 &
echo $! >"$D/run/mon.a.pidfg"
wait_for "$D/run/mon.a.pidfg" 120 0.25 ceph "${C[@]}" --connect-timeout 2 mon stat || { echo "monitor did not answer" >&2; false; }

# OSD
say "osd"
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph "${C[@]}" osd new "$OSD_UUID" 2>>"$D/log/setup.log")
ceph-osd "${C[@]}" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >>"$D/log/setup.log" 2>&1
ceph-osd "${C[@]}" -i "$OSD_ID" -f </dev/null >>"$D/log/osd.$OSD_ID.stdout" 2>&1 &
echo $! >"$D/run/osd.$OSD_ID.pidfg"
wait_for "$D/run/osd.$OSD_ID.pidfg" 240 0.25 osd_up "$OSD_ID" || { echo "OSD $OSD_ID did not come up" >&2; false; }

# gateways (the first one creates rgw's pools; the STS one starts after it to avoid racing on them)
say "radosgw"
radosgw "${C[@]}" -n client.rgw.gw -f </dev/null >>"$D/log/rgw.stdout" 2>&1 &
echo $! >"$D/run/rgw.pidfg"
wait_for "$D/run/rgw.pidfg" 480 0.25 http_up "$RGW_PORT" || { echo "radosgw did not answer on :$RGW_PORT" >&2; false; }
if [ "$STS" = 1 ]; then
  say "radosgw sts"
  radosgw "${C[@]}" -n client.rgw.sts -f </dev/null >>"$D/log/rgw-sts.stdout" 2>&1 &
  echo $! >"$D/run/rgw-sts.pidfg"
fi

# users (while the STS gateway boots)
say "users"
radosgw_admin "${C[@]}" user create --uid=user1 --display-name="User One" --email=user1@example.com \
  --access-key="$AK1" --secret-key="$SK1" >"$D/user1.json" 2>>"$D/log/setup.log"
radosgw_admin "${C[@]}" user create --uid=user2 --display-name="User Two" \
  --access-key="$AK2" --secret-key="$SK2" >"$D/user2.json" 2>>"$D/log/setup.log"
if [ "$STS" = 1 ]; then
  # user1 may manage roles and assume S3Access, whose policy allows all of S3
  radosgw_admin "${C[@]}" caps add --uid=user1 --caps="roles=*" >/dev/null 2>>"$D/log/setup.log"
  radosgw_admin "${C[@]}" role create --role-name=S3Access --path=/ \
    --assume-role-policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/user1"]},"Action":["sts:AssumeRole"]}]}' \
    >"$D/role.json" 2>>"$D/log/setup.log"
  radosgw_admin "${C[@]}" role-policy put --role-name=S3Access --policy-name=AllS3 \
    --policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::*"}]}' \
    >/dev/null 2>>"$D/log/setup.log"
  wait_for "$D/run/rgw-sts.pidfg" 480 0.25 http_up "$RGW_STS_PORT" || { echo "STS radosgw did not answer on :$RGW_STS_PORT" >&2; false; }
fi
say "ready"
T1=$(date +%s.%N)

{
  echo "CEPH_DIR=$D"
  echo "CEPH_CONF=$D/ceph.conf"
  echo "S3_ENDPOINT=http://127.0.0.1:$RGW_PORT"
  echo "S3_ACCESS_KEY=$AK1"
  echo "S3_SECRET_KEY=$SK1"
  echo "S3_USER_ID=user1"
  echo "S3_USER_NAME=User One"
  echo "S3_ACCESS_KEY2=$AK2"
  echo "S3_SECRET_KEY2=$SK2"
  echo "S3_USER2_ID=user2"
  echo "S3_USER2_NAME=User Two"
  echo "RGW_LOG=$D/log/client.rgw.gw.log"
  if [ "$STS" = 1 ]; then
    echo "S3_STS_ENDPOINT=http://127.0.0.1:$RGW_STS_PORT"
    echo "S3_ROLE_ARN=arn:aws:iam:::role/S3Access"
    echo "RGW_STS_LOG=$D/log/client.rgw.sts.log"
  fi
  echo "START_SECONDS=$(awk "BEGIN{printf \"%.1f\", $T1 - $T0}")"
} >"$D/env"
trap - ERR
cat "$D/env"

#!/usr/bin/env bash
# Weir large-state checkpoint runner (issue 4, bar 2): builds ~1 GB of window state, then times
#   1. a full checkpoint of it (POST /checkpoint, GET /checkpoints: duration_ms, size_bytes, phases_ms),
#   2. a checkpoint with nothing changed, and one after a few keys changed (incremental),
#   3. a restart that restores it: process start -> "restored K keys" (each operator) and
#      -> "checkpoints: restored checkpoint N".
#
#   perf/state/checkpoint-1gb.sh --jar /tmp/weir-bench.jar [--backend rocksdb|memory] [--keep]
#
# State: the 10 M-event JSONL files of perf/e2e/run.sh --source file --events 10000000 (10,000
# keys, one hour of event time; generate them once with that command) are COPIED into a
# temporary directory (they are appended to later) and read by an UNBOUNDED file source (the
# files are tailed, so the process stays up with all its state). Tumbling 1 s windows and a
# watermark delay of 10 days: no window ever fires, and nearly every event opens its own key
# window (~0.28 events per key and second): ~8.7 M key windows of ~102 serialised bytes
# (window bounds, flags and the count/sum/min/max/avg accumulator), ~0.89 GB, ~89 KB per key;
# with RocksDB one store entry per key window (written behind every second) plus one timer-index
# entry per key.
# checkpoint_interval is 100000 s: only the checkpoints this script triggers run (plus the one
# at shutdown).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
JAR="$REPO/target/weir.jar"
BACKEND=rocksdb
KEEP=0
JAVA_OPTS="-Xmx8g"
EVENTS=10000000
DATA="${TMPDIR:-/tmp}/weir-e2e-data/jsonl-n10000000-k10000-p2-r2777.78-j1000-s42-t1704067200000"
SIZE_MS=1000
CHANGED_KEYS=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR=$2; shift 2 ;;
    --backend) BACKEND=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --size-ms) SIZE_MS=$2; shift 2 ;;
    --changed-keys) CHANGED_KEYS=$2; shift 2 ;;
    --java-opts) JAVA_OPTS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    *) echo "checkpoint-1gb.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f "$DATA/.complete" ]] || { echo "no data at $DATA: run perf/e2e/run.sh --source file --events $EVENTS once" >&2; exit 1; }
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "needs curl and python3" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weir-ckpt1gb.XXXXXX")
JAVA_PID=""
cleanup() {
  if [[ -n "$JAVA_PID" ]] && kill -0 "$JAVA_PID" 2>/dev/null; then kill -TERM "$JAVA_PID" 2>/dev/null || true; fi
  if (( KEEP )); then echo "kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/data"
cp "$DATA"/part-*.jsonl "$WORK/data/"

cat >"$WORK/stream.yaml" <<YAML
# Written by perf/state/checkpoint-1gb.sh
app_name: weir-ckpt
api: { host: 127.0.0.1, port: 0 }
metrics: { enabled: true, host: 127.0.0.1, port: 0 }
processing: { parallelism: 2, checkpoint_interval: 100000 }
state: { backend: $BACKEND, dir: $WORK/state, checkpoint_dir: $WORK/checkpoints }
watermarks: { delay_ms: 864000000 }
sources:
  - { id: big, type: file, path: "$WORK/data/part-*.jsonl", format: jsonl, bounded: false, poll_interval_ms: 200 }
pipelines:
  - id: big
    source: big
    window: { type: tumbling, size_ms: $SIZE_MS }
    aggregations: [count, sum, min, max, avg]
    sinks: [results]
sinks:
  - { id: results, type: file, path: $WORK/out/results.jsonl }
YAML

now() { date +%s.%N; }
# seconds of the day of the first log line matching $2 in log $1 (logback HH:mm:ss.SSS, local time)
log_time() { grep -m1 -E "$2" "$1" | awk '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] }'; }
sod() { date -d "@$1" +%H:%M:%S.%N | awk '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] }'; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$JAVA_PID/status" 2>/dev/null || echo "?"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$JAVA_PID/status" 2>/dev/null || echo "?"; }

launch() { # $1 = log file
  (cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --config "$WORK/stream.yaml" >"$WORK/stdout-$(basename "$1").txt" 2>"$1") &
  JAVA_PID=$!
  API=""; MET=""
  for _ in $(seq 1 1200); do
    API=$(grep -m1 -oE 'REST listening on http://[^ ]+' "$1" 2>/dev/null | sed 's#.*http://##' || true)
    MET=$(grep -m1 -oE 'Prometheus endpoint on http://[^ ]+' "$1" 2>/dev/null | sed 's#.*http://##' || true)
    [[ -n "$API" && -n "$MET" ]] && break
    kill -0 "$JAVA_PID" 2>/dev/null || { echo "the jar exited; log:" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.1
  done
}
processed() { curl -fsS "http://$MET" | awk '/^stream_events_processed_total\{/ { s += $NF } END { printf "%.0f", s }'; }
wait_processed() { # $1 = events
  while :; do
    local n; n=$(processed || echo 0)
    [[ "$n" -ge "$1" ]] && break
    sleep 0.5
  done
}
checkpoint() { # POST /checkpoint, wait, print the figures; $1 = label
  local id
  id=$(curl -fsS -X POST "http://$API/checkpoint" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local t0; t0=$(now)
  while :; do
    local st
    st=$(curl -fsS "http://$API/checkpoints" | python3 -c '
import json,sys
id=int(sys.argv[1])
for c in json.load(sys.stdin)["checkpoints"]:
    if c["id"]==id: print(c["status"]); break
' "$id")
    [[ "$st" != in_progress ]] && break
    sleep 0.1
  done
  local t1; t1=$(now)
  curl -fsS "http://$API/checkpoints" | python3 -c '
import json,sys
id=int(sys.argv[1]); label=sys.argv[2]; seen=sys.argv[3]
for c in json.load(sys.stdin)["checkpoints"]:
    if c["id"]==id:
        print("%-26s checkpoint %d %s: duration_ms %s, size_bytes %s (%.0f MB), phases_ms %s; seen by the poller after %s s" % (
            label, id, c["status"], c["duration_ms"], c["size_bytes"], (c["size_bytes"] or 0)/1e6, json.dumps(c["phases_ms"]), seen))
        if c.get("error"): print("  error:", c["error"])
' "$id" "$1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}
state_info() {
  curl -fsS "http://$API/state" | python3 -c '
import json,sys
d=json.load(sys.stdin)
print("GET /state:", json.dumps(d)[:600])'
}

echo "== weir 1 GB checkpoint runner $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "jar:       $JAR (sha256 $(sha256sum "$JAR" | cut -c1-12)); repo HEAD $(git -C "$REPO" rev-parse --short HEAD)"
echo "backend:   $BACKEND; java opts $JAVA_OPTS; tumbling ${SIZE_MS} ms, delay 10 days, $EVENTS events from $DATA"
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. build the state, checkpoint it --------------------------------------------------------
T0=$(now)
launch "$WORK/run1.log"
wait_processed "$EVENTS"
T1=$(now)
echo "state built: $EVENTS events in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }') s from launch; RSS $(rss_mb) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
checkpoint "full (first)"
echo "  RSS $(rss_mb) MB, peak $(hwm_mb) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
state_info
checkpoint "nothing changed"
checkpoint "nothing changed (again)"
# a few events for $CHANGED_KEYS distinct keys, appended to partition 0's file (keys of partition 0 are even)
python3 - "$WORK/data/part-0000.jsonl" "$CHANGED_KEYS" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "a") as f:
    for i in range(n):
        f.write('{"id":"x-%d","key":"key-%d","timestamp":%d,"value":1.5}\n' % (i, 2 * i, 1704067200000 + 3600000 - 1000))
PY
wait_processed $((EVENTS + CHANGED_KEYS))
checkpoint "$CHANGED_KEYS keys changed"
echo "  RSS $(rss_mb) MB, peak $(hwm_mb) MB"
du -sh "$WORK/checkpoints"/chk-* 2>/dev/null | sed 's/^/  du: /'
TS=$(now)
kill -TERM "$JAVA_PID"; wait "$JAVA_PID" || echo "  exit code $?"
JAVA_PID=""
echo "shutdown (SIGTERM to exit): $(awk -v a="$TS" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') s"
grep -E 'CheckpointCoordinator - checkpoint [0-9]+ \(' "$WORK/run1.log" | sed 's/^/  log: /'

# ---- 2. restart: restore --------------------------------------------------------------------------
sync
echo "restart: load $(cut -d' ' -f1-3 /proc/loadavg)"
T0=$(now)
launch "$WORK/run2.log"
while ! grep -qE 'checkpoints: restored checkpoint|no checkpoint' "$WORK/run2.log"; do
  kill -0 "$JAVA_PID" 2>/dev/null || { echo "exited"; tail "$WORK/run2.log"; exit 1; }
  sleep 0.05
done
S0=$(sod "$T0")
for pat in 'Weir|Starting|starting' 'state .*: restored column family|restored column family' 'restored [0-9]+ keys' 'checkpoints: restored checkpoint'; do
  t=$(log_time "$WORK/run2.log" "$pat" || true)
  [[ -n "$t" ]] && printf "  %-45s %6.2f s after process start\n" "$pat" "$(awk -v a="$S0" -v b="$t" 'BEGIN { d = b - a; if (d < -43200) d += 86400; print d }')"
done
grep -E 'restored [0-9]+ keys|restored checkpoint|restored column family' "$WORK/run2.log" | sed 's/^/  log: /'
echo "  RSS $(rss_mb) MB, peak $(hwm_mb) MB"
# A lazy restore defers reading the state: one event for every key makes each operator read
# every key's windows back from RocksDB (keys key-0..key-9999; even keys are in part-0).
python3 - "$WORK/data/part-0000.jsonl" "$WORK/data/part-0001.jsonl" <<'PY'
import sys
for p, path in enumerate(sys.argv[1:3]):
    with open(path, "a") as f:
        for i in range(p, 10000, 2):
            f.write('{"id":"y-%d","key":"key-%d","timestamp":%d,"value":2.5}\n' % (i, i, 1704067200000 + 3600000 - 1000))
PY
TR=$(now)
wait_processed 10000
echo "read back every key (one event for each of 10,000 keys): $(awk -v a="$TR" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') s; RSS $(rss_mb) MB"
curl -fsS "http://$API/state" | python3 -c 'import json,sys; print("  cache:", json.dumps(json.load(sys.stdin)["pipelines"][0]["cache"]))'
checkpoint "after restore"
kill -TERM "$JAVA_PID"; wait "$JAVA_PID" || true
JAVA_PID=""
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

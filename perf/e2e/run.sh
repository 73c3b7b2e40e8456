#!/usr/bin/env bash
# Weir end-to-end runner: the fat jar, a seeded mock source, one pipeline, a file sink.
#
#   perf/e2e/run.sh [--jar PATH] [--build] [options]          # replay (bounded) throughput
#   perf/e2e/run.sh --live SECONDS [--rate R] [options]        # live (unbounded) latency
#
# Replay mode (default): every source is bounded (max_events), so the jar runs in replay mode:
# the source emits N events, the final watermark fires every window, the sinks flush and the
# process exits 0. Prints events, wall seconds (JVM start to exit), processing seconds (source
# start to "shutting down", from the log), events/s for both, result lines, the sum of the
# result counts (a check that no event was lost), late events and peak RSS.
#
# Live mode (--live SECONDS): an unbounded mock source paced at --rate events/s, tumbling 1 s
# windows, watermark delay 0 and jitter 0. After a warm-up it scrapes /metrics twice and reports
# the percentiles of stream_processing_duration_seconds (operator time per input batch, from the
# histogram's cumulative buckets, over the interval between the scrapes), events/s from
# stream_events_processed_total, watermark lag and backpressure; then sends SIGTERM and reports
# peak RSS.
#
# The mock source's event time is SYNTHETIC: event i of partition p has time
#   start_time + floor(i * partitions * 1000 / rate_per_sec) - jitter
# so it depends only on the index, the rate and start_time, never on when the event is emitted.
# Keep start_time (and the seed) fixed, as this script does in replay mode, and two runs see the
# same events and produce the same results. It also means rate_per_sec sets BOTH the emission
# pace (the mock source emits at most rate_per_sec events per second of wall-clock time, see
# io.weir.source.MockSource#tick) AND the event-time span of the run: N events cover
# N / rate_per_sec seconds of event time. A replay at full speed (rate 1e9) therefore covers
# only a few milliseconds of event time (2,000,000 events: 2 ms, so with 60 s windows every key
# has one or two windows); to exercise many windows at full speed, shrink the windows instead
# (e.g. --rate 2e7 --size-ms 1: 100 ms of event time, ~100 windows). See perf/README.md.
#
# --source file replays the same kind of events from JSONL files instead (one file per partition,
# generated once by this script with awk into --data-dir and reused): the file source is not
# paced, so there rate_per_sec only spaces the event times (default: N events over one hour of
# event time, 60 one-minute windows per key), and the replay runs at full speed over many windows.
# It also exercises what the mock skips: reading and parsing JSON lines.
#
# Nothing is built unless --build is given (then `mvn -q -DskipTests package` at the repo root).
# Long runs: copy the jar first (cp target/weir.jar /tmp/weir-bench.jar; --jar /tmp/weir-bench.jar),
# target/ may be rebuilt by someone else meanwhile.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)

usage() {
  cat <<EOF
usage: $(basename "$0") [options]
  --jar PATH          fat jar to run (default: $REPO/target/weir.jar)
  --build             run 'mvn -q -DskipTests package' at the repo root first
  --events N          events to replay (default 2000000; replay mode)
  --keys K            distinct keys (default 10000)
  --window TYPE       tumbling | sliding | session (default tumbling)
  --size-ms MS        window size (default 60000; live mode 1000)
  --slide-ms MS       slide of sliding windows (default 10000; live mode 500)
  --gap-ms MS         session gap (default 30000; live mode 1000)
  --rate R            mock rate_per_sec (default 1e9 in replay mode = not paced; 200000 live)
  --parallelism P     processing.parallelism (default 2)
  --partitions P      mock source partitions = operator input channels (default 2)
  --queue-size Q      processing.queue_size, events in flight (default 10000, the product default)
  --batch-size B      processing.batch_size (default 1000)
  --jitter-ms MS      mock max_out_of_order_ms (default 1000; live mode 0)
  --delay-ms MS       watermarks.delay_ms (default 2000; live mode 0)
  --seed S            mock seed (default 42)
  --start-time MS     mock start_time, epoch ms (default 1704067200000 = 2024-01-01T00:00:00Z;
                      live mode: null = wall clock at start, so the watermark lag means something)
  --source TYPE       mock (default) | file: replay generated JSONL files through the file source
                      (replay mode only; --rate then only spaces event times, default N/3600)
  --data-dir DIR      where --source file keeps its generated files (default \${TMPDIR:-/tmp}/weir-e2e-data)
  --live SECONDS      live mode: unbounded source, scrape /metrics after SECONDS, then SIGTERM
  --warmup SECONDS    live mode: first scrape after this long; the percentiles and events/s are
                      over the interval between the two scrapes (default 5; 0 = whole run)
  --backend B         state.backend: memory (default) | rocksdb
  --checkpoint-interval S
                      processing.checkpoint_interval in seconds (default: not set = the
                      product default, 30 s); e.g. 100000 = no periodic checkpoint during a
                      replay (the end-of-input and shutdown checkpoints still run)
  --java-opts OPTS    JVM options, e.g. "-Xmx1g" (default: none, JVM ergonomics)
  --keep              keep the temporary directory (config, log, results)
  -h, --help          this help
EOF
}

JAR="$REPO/target/weir.jar"
BUILD=0
EVENTS=2000000
KEYS=10000
WINDOW=tumbling
SIZE_MS=""
SLIDE_MS=""
GAP_MS=""
RATE=""
PARALLELISM=2
PARTITIONS=2
QUEUE_SIZE=10000
BATCH_SIZE=1000
JITTER_MS=""
DELAY_MS=""
SEED=42
START_TIME=""
LIVE=""
SOURCE=mock
DATA_DIR="${TMPDIR:-/tmp}/weir-e2e-data"
WARMUP=5
JAVA_OPTS=""
KEEP=0
BACKEND=memory
CHECKPOINT_INTERVAL=""

need_arg() { [[ $# -ge 2 && -n "$2" ]] || { echo "run.sh: $1 needs a value" >&2; usage >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) need_arg "$@"; JAR=$2; shift 2 ;;
    --build) BUILD=1; shift ;;
    --events) need_arg "$@"; EVENTS=$2; shift 2 ;;
    --keys) need_arg "$@"; KEYS=$2; shift 2 ;;
    --window) need_arg "$@"; WINDOW=$2; shift 2 ;;
    --size-ms) need_arg "$@"; SIZE_MS=$2; shift 2 ;;
    --slide-ms) need_arg "$@"; SLIDE_MS=$2; shift 2 ;;
    --gap-ms) need_arg "$@"; GAP_MS=$2; shift 2 ;;
    --rate) need_arg "$@"; RATE=$2; shift 2 ;;
    --parallelism) need_arg "$@"; PARALLELISM=$2; shift 2 ;;
    --partitions) need_arg "$@"; PARTITIONS=$2; shift 2 ;;
    --queue-size) need_arg "$@"; QUEUE_SIZE=$2; shift 2 ;;
    --batch-size) need_arg "$@"; BATCH_SIZE=$2; shift 2 ;;
    --jitter-ms) need_arg "$@"; JITTER_MS=$2; shift 2 ;;
    --delay-ms) need_arg "$@"; DELAY_MS=$2; shift 2 ;;
    --seed) need_arg "$@"; SEED=$2; shift 2 ;;
    --start-time) need_arg "$@"; START_TIME=$2; shift 2 ;;
    --live) need_arg "$@"; LIVE=$2; shift 2 ;;
    --source) need_arg "$@"; SOURCE=$2; shift 2 ;;
    --data-dir) need_arg "$@"; DATA_DIR=$2; shift 2 ;;
    --warmup) need_arg "$@"; WARMUP=$2; shift 2 ;;
    --java-opts) need_arg "$@"; JAVA_OPTS=$2; shift 2 ;;
    --backend) need_arg "$@"; BACKEND=$2; shift 2 ;;
    --checkpoint-interval) need_arg "$@"; CHECKPOINT_INTERVAL=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for v in EVENTS KEYS PARALLELISM PARTITIONS QUEUE_SIZE BATCH_SIZE SEED WARMUP; do
  is_uint "${!v}" || { echo "run.sh: $v must be a non-negative integer, got '${!v}'" >&2; exit 2; }
done
case "$WINDOW" in tumbling|sliding|session) ;; *) echo "run.sh: --window must be tumbling, sliding or session" >&2; exit 2 ;; esac
case "$SOURCE" in mock|file) ;; *) echo "run.sh: --source must be mock or file" >&2; exit 2 ;; esac
case "$BACKEND" in memory|rocksdb) ;; *) echo "run.sh: --backend must be memory or rocksdb" >&2; exit 2 ;; esac
if [[ -n "$CHECKPOINT_INTERVAL" && ! "$CHECKPOINT_INTERVAL" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
  echo "run.sh: --checkpoint-interval must be a number of seconds, got '$CHECKPOINT_INTERVAL'" >&2; exit 2
fi
if [[ "$SOURCE" == file && -n "$LIVE" ]]; then echo "run.sh: --source file is for replays; --live uses the mock source" >&2; exit 2; fi
if [[ "$SOURCE" == file && -z "$RATE" ]]; then
  RATE=$(awk -v n="$EVENTS" 'BEGIN { r = n / 3600; printf "%.6g", (r > 0 ? r : 1) }')
fi
if [[ -n "$LIVE" ]]; then
  is_uint "$LIVE" && (( LIVE > 0 )) || { echo "run.sh: --live needs a number of seconds > 0" >&2; exit 2; }
  (( WARMUP < LIVE )) || WARMUP=0
  MODE=live
  : "${RATE:=200000}" "${SIZE_MS:=1000}" "${SLIDE_MS:=500}" "${GAP_MS:=1000}" "${JITTER_MS:=0}" "${DELAY_MS:=0}"
  : "${START_TIME:=null}"
else
  MODE=replay
  : "${RATE:=1e9}" "${SIZE_MS:=60000}" "${SLIDE_MS:=10000}" "${GAP_MS:=30000}" "${JITTER_MS:=1000}" "${DELAY_MS:=2000}"
  : "${START_TIME:=1704067200000}"
fi
for v in SIZE_MS SLIDE_MS GAP_MS JITTER_MS DELAY_MS; do
  is_uint "${!v}" || { echo "run.sh: $v must be a non-negative integer, got '${!v}'" >&2; exit 2; }
done
[[ "$RATE" =~ ^[0-9]+(\.[0-9]+)?([eE][0-9]+)?$ ]] || { echo "run.sh: --rate must be a number, got '$RATE'" >&2; exit 2; }

if (( BUILD )); then
  echo "building: (cd $REPO && mvn -q -DskipTests package)" >&2
  (cd "$REPO" && mvn -q -DskipTests package)
fi
[[ -f "$JAR" ]] || { echo "run.sh: no jar at $JAR (build it with --build, or give --jar PATH)" >&2; exit 1; }
command -v java >/dev/null || { echo "run.sh: java not found" >&2; exit 1; }
command -v curl >/dev/null || [[ "$MODE" == replay ]] || { echo "run.sh: live mode needs curl" >&2; exit 1; }

TIME_BIN=""
# E2E_NO_GNU_TIME=1 forces the /proc VmHWM fallback (to test it).
if [[ "${E2E_NO_GNU_TIME:-0}" != 1 && -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
  TIME_BIN=/usr/bin/time
else
  echo "note: GNU time not available (apt-get install -y time); peak RSS is read from /proc/<pid>/status VmHWM" >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weir-e2e.XXXXXX")
JAVA_PID=""
LAUNCH_PID=""
cleanup() {
  # Only the JVM this script started, by its pid.
  if [[ -n "$JAVA_PID" ]] && kill -0 "$JAVA_PID" 2>/dev/null; then
    kill -TERM "$JAVA_PID" 2>/dev/null || true
  fi
  if (( KEEP )); then
    echo "kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# ---- config ---------------------------------------------------------------------------------
case "$WINDOW" in
  tumbling) WINDOW_YAML="{ type: tumbling, size_ms: $SIZE_MS }" ;;
  sliding) WINDOW_YAML="{ type: sliding, size_ms: $SIZE_MS, slide_ms: $SLIDE_MS }" ;;
  session) WINDOW_YAML="{ type: session, gap_ms: $GAP_MS }" ;;
esac
if [[ "$MODE" == replay ]]; then MAX_EVENTS=$EVENTS; else MAX_EVENTS=null; fi

# JSONL input for --source file: event i of partition p (file part-p.jsonl) gets the mock
# source's time, start + floor(i * partitions * 1000 / rate) - jitter, a key of partition p
# (key k lives in partition k mod partitions) and a value in [0, 100). Seeded, so the same
# parameters give the same files; generated once and reused.
generate_jsonl() {
  local dir=$1
  [[ -f "$dir/.complete" ]] && return 0
  echo "generating $EVENTS events into $dir (once) ..." >&2
  rm -rf "$dir" && mkdir -p "$dir"
  local p
  for ((p = 0; p < PARTITIONS; p++)); do
    awk -v n="$EVENTS" -v parts="$PARTITIONS" -v p="$p" -v keys="$KEYS" -v rate="$RATE" \
        -v jit="$JITTER_MS" -v start="$START_TIME" -v seed="$SEED" '
      BEGIN {
        srand(seed * 1024 + p)
        count = int(n / parts) + (p < n % parts ? 1 : 0)
        pkeys = int((keys - p + parts - 1) / parts)
        interval = parts * 1000 / rate
        for (i = 0; i < count; i++) {
          k = p + parts * int(rand() * pkeys)
          j = jit > 0 ? int(rand() * (jit + 1)) : 0
          printf "{\"id\":\"e-%d-%.0f\",\"key\":\"key-%d\",\"timestamp\":%.0f,\"value\":%.2f}\n", \
            p, i, k, start + int(i * interval) - j, int(rand() * 10000) / 100
        }
      }' >"$dir/part-$(printf '%04d' "$p").jsonl"
  done
  touch "$dir/.complete"
}

if [[ "$SOURCE" == file ]]; then
  [[ "$START_TIME" =~ ^[0-9]+$ ]] || { echo "run.sh: --source file needs a numeric --start-time" >&2; exit 2; }
  (( KEYS >= PARTITIONS )) || { echo "run.sh: --keys must be >= --partitions" >&2; exit 2; }
  DATA="$DATA_DIR/jsonl-n$EVENTS-k$KEYS-p$PARTITIONS-r$RATE-j$JITTER_MS-s$SEED-t$START_TIME"
  generate_jsonl "$DATA"
  SOURCE_YAML="  - { id: bench, type: file, path: \"$DATA/part-*.jsonl\", format: jsonl, bounded: true }"
else
  SOURCE_YAML="  - id: bench
    type: mock
    rate_per_sec: $RATE
    keys: $KEYS
    partitions: $PARTITIONS
    seed: $SEED
    max_out_of_order_ms: $JITTER_MS
    start_time: $START_TIME
    max_events: $MAX_EVENTS"
fi
CONFIG="$WORK/stream.yaml"
cat >"$CONFIG" <<EOF
# Written by perf/e2e/run.sh ($MODE mode).
app_name: weir-bench
api: { host: 127.0.0.1, port: 0 }
metrics: { enabled: true, host: 127.0.0.1, port: 0 }
processing: { parallelism: $PARALLELISM, queue_size: $QUEUE_SIZE, batch_size: $BATCH_SIZE${CHECKPOINT_INTERVAL:+, checkpoint_interval: $CHECKPOINT_INTERVAL} }
state: { backend: $BACKEND, dir: $WORK/state, checkpoint_dir: $WORK/checkpoints }
watermarks: { delay_ms: $DELAY_MS }
sources:
$SOURCE_YAML
pipelines:
  - id: bench
    source: bench
    window: $WINDOW_YAML
    aggregations: [count, sum, min, max, avg]
    sinks: [results]
    late_sink: late
sinks:
  - { id: results, type: file, path: $WORK/out/results.jsonl }
  - { id: late, type: file, path: $WORK/out/late.jsonl }
EOF

LOG="$WORK/weir.log"
TIME_OUT="$WORK/time.txt"
HWM_KB=0

# WEIR_* environment variables override the config (and unknown ones stop the jar): the
# benchmark's config must be exactly the file written above, so they are not passed on.
WEIR_VARS=$(compgen -e | grep '^WEIR_' || true)
if [[ -n "$WEIR_VARS" ]]; then
  echo "note: not passing these environment variables to the jar: $(echo $WEIR_VARS)" >&2
  for v in $WEIR_VARS; do unset "$v"; done
fi

# Starts the jar in the background (under GNU time when available); sets JAVA_PID.
launch() {
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of words on purpose
  if [[ -n "$TIME_BIN" ]]; then
    (cd "$WORK" && exec "$TIME_BIN" -v -o "$TIME_OUT" java $JAVA_OPTS -jar "$JAR" --config "$CONFIG" >"$WORK/stdout.txt" 2>"$LOG") &
    LAUNCH_PID=$!
    for _ in $(seq 1 100); do
      JAVA_PID=$(ps -o pid= --ppid "$LAUNCH_PID" 2>/dev/null | head -n1 | tr -d ' ') || true
      [[ -n "$JAVA_PID" ]] && break
      sleep 0.05
    done
    [[ -n "$JAVA_PID" ]] || { echo "run.sh: the JVM did not start" >&2; exit 1; }
  else
    (cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --config "$CONFIG" >"$WORK/stdout.txt" 2>"$LOG") &
    LAUNCH_PID=$!
    JAVA_PID=$LAUNCH_PID
  fi
}

# Waits for the launched process; polls VmHWM when GNU time is not there. Sets EXIT_CODE.
wait_exit() {
  if [[ -z "$TIME_BIN" ]]; then
    while kill -0 "$JAVA_PID" 2>/dev/null; do
      local kb
      kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$JAVA_PID/status" 2>/dev/null || true)
      [[ -n "$kb" ]] && HWM_KB=$kb
      sleep 0.2
    done
  fi
  EXIT_CODE=0
  wait "$LAUNCH_PID" || EXIT_CODE=$?
  JAVA_PID=""
}

peak_rss_mb() {
  local kb=$HWM_KB
  if [[ -n "$TIME_BIN" && -f "$TIME_OUT" ]]; then
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TIME_OUT")
    local status
    status=$(awk -F': ' '/Exit status/ {print $2}' "$TIME_OUT")
    [[ -n "$status" ]] && EXIT_CODE=$status
  fi
  awk -v kb="${kb:-0}" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# Seconds of the day of a logback "HH:mm:ss.SSS" timestamp on the first log line matching $1.
log_time() {
  grep -m1 -E "$1" "$LOG" | awk '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] }'
}

# Checkpoint figures from the log lines
#   CheckpointCoordinator - checkpoint N (TRIGGER) completed in X ms, B bytes, phases {k=v, ...}
# (the same figures as GET /checkpoints): count, duration min/median/max, bytes, the largest
# alignment and snapshot phases, and one line per checkpoint.
checkpoint_stats() {
  local failed
  failed=$(grep -c 'CheckpointCoordinator - checkpoint [0-9]* failed' "$LOG" || true)
  grep -E 'CheckpointCoordinator - checkpoint [0-9]+ \([a-z_]+\) completed in' "$LOG" | awk -v failed="${failed:-0}" '
    {
      s = $0; sub(/.*checkpoint /, "", s)
      split(s, a, " "); id = a[1]; trig = a[2]; gsub(/[()]/, "", trig)
      ms = s; sub(/.*completed in /, "", ms); sub(/ ms.*/, "", ms)
      by = s; sub(/.* ms, /, "", by); sub(/ bytes.*/, "", by)
      ph = s; sub(/.*phases \{/, "", ph); sub(/\}.*/, "", ph)
      n++; d[n] = ms + 0; total += ms; bytes[n] = by + 0
      al = ph; if (sub(/.*alignment=/, "", al)) { sub(/[,}].*/, "", al); al += 0 } else al = 0
      sn = ph; if (sub(/.*snapshot=/, "", sn)) { sub(/[,}].*/, "", sn); sn += 0 } else sn = 0
      if (al > maxal) maxal = al; if (sn > maxsn) maxsn = sn
      line[n] = sprintf("  #%s %-9s %6d ms %12d bytes  {%s}", id, trig, ms, by, ph)
    }
    END {
      if (n == 0) { printf "checkpoints: none completed (%d failed)\n", failed; exit }
      for (i = 1; i <= n; i++) s2[i] = d[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s2[j] < s2[i]) { t = s2[i]; s2[i] = s2[j]; s2[j] = t }
      med = (n % 2) ? s2[(n + 1) / 2] : (s2[n / 2] + s2[n / 2 + 1]) / 2
      printf "checkpoints: %d completed, %d failed; duration ms min %d / median %g / max %d, total %d; last %d bytes; max alignment %d ms, max snapshot %d ms\n", \
        n, failed, s2[1], med, s2[n], total, bytes[n], maxal, maxsn
      for (i = 1; i <= n; i++) print line[i]
    }'
}

nproc_n=$(nproc 2>/dev/null || echo "?")
echo "== weir e2e ($MODE) $(date -u +%Y-%m-%dT%H:%M:%SZ)"
JAR_INFO=$(stat -c '%y' "$JAR" 2>/dev/null | cut -d. -f1 || echo "?")
JAR_SUM=$( (sha256sum "$JAR" 2>/dev/null || echo "?") | cut -c1-12)
echo "jar:         $JAR (modified $JAR_INFO, sha256 $JAR_SUM)"
echo "java:        $(java -version 2>&1 | head -n1)"
# The repository HEAD now; the jar may have been built from another commit (see --jar).
echo "repo HEAD:   $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "cpus:        $nproc_n; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workload:    source $SOURCE, window $WINDOW_YAML, keys $KEYS, rate_per_sec $RATE, partitions $PARTITIONS, parallelism $PARALLELISM, queue_size $QUEUE_SIZE, batch_size $BATCH_SIZE, jitter ${JITTER_MS} ms, delay ${DELAY_MS} ms, seed $SEED"
echo "state:       backend $BACKEND, checkpoint_interval ${CHECKPOINT_INTERVAL:-30 (default)} s"

# ---- replay ---------------------------------------------------------------------------------
if [[ "$MODE" == replay ]]; then
  SPAN_MS=$(awk -v n="$EVENTS" -v r="$RATE" 'BEGIN { printf "%.3f", n * 1000 / r }')
  echo "events:      $EVENTS (event-time span $SPAN_MS ms + jitter up to $JITTER_MS ms)"
  T0=$(date +%s.%N)
  launch
  wait_exit
  T1=$(date +%s.%N)
  RSS=$(peak_rss_mb)
  WALL=$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.2f", b - a }')
  STARTED=$(log_time '(mock source .* started|file source .* reading)' || true)
  ENDED=$(log_time '(mock source .* ended all partitions|file source .* reached the end of every file)' || true)
  FINISHED=$(log_time 'weir-bench: shutting down' || true)
  RESULTS="$WORK/out/results.jsonl"
  LATE_FILE="$WORK/out/late.jsonl"
  LINES=$( [[ -f "$RESULTS" ]] && wc -l <"$RESULTS" || echo 0)
  LATE=$( [[ -f "$LATE_FILE" ]] && wc -l <"$LATE_FILE" || echo 0)
  # Sum of "count" over first firings (is_update false): every accepted event once per window.
  COUNT_SUM=$( [[ -f "$RESULTS" ]] && awk '
    /"is_update":false/ { s = $0; sub(/.*"count":/, "", s); sub(/,.*/, "", s); total += s }
    END { printf "%.0f", total }' "$RESULTS" || echo 0)
  WINDOWS=$( [[ -f "$RESULTS" ]] && awk -F'"window_end":' '{ split($2, a, ","); seen[a[1]] = 1 } END { print length(seen) }' "$RESULTS" || echo 0)
  echo "exit code:   $EXIT_CODE"
  echo "wall s:      $WALL (JVM start to exit)"
  echo "events/s:    $(awk -v n="$EVENTS" -v w="$WALL" 'BEGIN { printf "%.0f", n / w }') (over wall time)"
  if [[ -n "$STARTED" && -n "$FINISHED" ]]; then
    PROC=$(awk -v a="$STARTED" -v b="$FINISHED" 'BEGIN { d = b - a; if (d < 0) d += 86400; printf "%.2f", d }')
    SRC=$(awk -v a="$STARTED" -v b="${ENDED:-$FINISHED}" 'BEGIN { d = b - a; if (d < 0) d += 86400; printf "%.2f", d }')
    echo "processing s: $PROC (source start to all windows fired and flushed; source read/emitted for $SRC s)"
    echo "events/s:    $(awk -v n="$EVENTS" -v w="$PROC" 'BEGIN { if (w > 0) printf "%.0f", n / w; else print "n/a" }') (over processing time)"
  fi
  echo "result lines: $LINES in $WINDOWS distinct window ends; sum of counts (first firings) $COUNT_SUM; late events $LATE"
  case "$WINDOW" in
    sliding) FACTOR=$(( SIZE_MS / SLIDE_MS )) ;;
    *) FACTOR=1 ;;
  esac
  if [[ "$WINDOW" != sliding || $(( SIZE_MS % SLIDE_MS )) -eq 0 ]]; then
    EXPECTED=$(( (EVENTS - LATE) * FACTOR ))
    if [[ "$COUNT_SUM" == "$EXPECTED" ]]; then
      echo "check:       OK (sum of counts = (events - late) x $FACTOR = $EXPECTED)"
    else
      echo "check:       MISMATCH: sum of counts $COUNT_SUM, expected (events - late) x $FACTOR = $EXPECTED"
    fi
  fi
  checkpoint_stats
  echo "peak RSS MB: $RSS"
  echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ "$EXIT_CODE" != 0 ]]; then
    echo "run.sh: the jar exited with $EXIT_CODE; last log lines:" >&2
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  exit 0
fi

# ---- live -----------------------------------------------------------------------------------
echo "duration:    $LIVE s (first scrape after $WARMUP s)"
launch
PORT=""
for _ in $(seq 1 600); do
  PORT=$(grep -m1 -oE 'metrics: Prometheus endpoint on http://[^ ]+:[0-9]+/metrics' "$LOG" 2>/dev/null \
    | sed -E 's#.*:([0-9]+)/metrics#\1#' || true)
  [[ -n "$PORT" ]] && break
  kill -0 "$JAVA_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$PORT" ]]; then
  echo "run.sh: no 'metrics: Prometheus endpoint on ...' line in the log; last lines:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
fi
URL="http://127.0.0.1:$PORT/metrics"
echo "metrics:     $URL"

scrape() { curl -fsS --max-time 10 "$URL" >"$1"; date +%s.%N; }

if (( WARMUP > 0 )); then
  sleep "$WARMUP"
  TA=$(scrape "$WORK/metrics-a.txt")
else
  : >"$WORK/metrics-a.txt"
  TA=$(date +%s.%N)
fi
sleep $(( LIVE - WARMUP ))
TB=$(scrape "$WORK/metrics-b.txt")
kill -TERM "$JAVA_PID"
wait_exit
RSS=$(peak_rss_mb)

# Prometheus text -> percentiles of the histogram delta between the two scrapes.
awk -v ta="$TA" -v tb="$TB" -v target="$RATE" '
  function val(line) { n = split(line, f, " "); return f[n] + 0 }
  function le(line) { s = line; sub(/.*le="/, "", s); sub(/".*/, "", s); return s }
  { file = (FILENAME == ARGV[1]) ? 1 : 2 }
  /^stream_processing_duration_seconds_bucket\{/ {
    b = le($0); if (!(b in seen)) { seen[b] = 1; order[++nb] = b }
    if (file == 1) a_b[b] += val($0); else b_b[b] += val($0)
  }
  /^stream_processing_duration_seconds_count\{/ { if (file == 1) a_cnt += val($0); else b_cnt += val($0) }
  /^stream_processing_duration_seconds_sum\{/ { if (file == 1) a_sum += val($0); else b_sum += val($0) }
  /^stream_processing_duration_seconds_max\{/ { if (file == 2) mx = val($0) }
  /^stream_events_processed_total\{/ { if (file == 1) a_ev += val($0); else b_ev += val($0) }
  /^stream_backpressure_seconds_total\{/ { if (file == 1) a_bp += val($0); else b_bp += val($0) }
  /^stream_watermark_lag_seconds\{/ { if (file == 2) { lag += val($0); nlag++ } }
  /^stream_late_events_total\{/ { if (file == 2) late += val($0) }
  /^stream_results_emitted_total\{/ { if (file == 1) a_res += val($0); else b_res += val($0) }
  function q(p,    i, target_n, prev_c, prev_le, c, u) {
    target_n = p * total; prev_c = 0; prev_le = 0
    for (i = 1; i <= nb; i++) {
      c = b_b[order[i]] - a_b[order[i]]
      if (c >= target_n) {
        if (order[i] == "+Inf") return prev_le
        u = order[i] + 0
        if (c == prev_c) return u
        return prev_le + (u - prev_le) * (target_n - prev_c) / (c - prev_c)
      }
      prev_c = c; prev_le = (order[i] == "+Inf") ? prev_le : order[i] + 0
    }
    return prev_le
  }
  END {
    # Sort bucket bounds numerically (+Inf last).
    for (i = 1; i <= nb; i++) for (j = i + 1; j <= nb; j++) {
      x = (order[i] == "+Inf") ? 1e308 : order[i] + 0; y = (order[j] == "+Inf") ? 1e308 : order[j] + 0
      if (y < x) { t = order[i]; order[i] = order[j]; order[j] = t }
    }
    dt = tb - ta; total = b_cnt - a_cnt
    printf "interval s:  %.2f\n", dt
    printf "events/s:    %.0f (target rate %s; %.0f events in the interval)\n", (b_ev - a_ev) / dt, target, b_ev - a_ev
    printf "results/s:   %.0f\n", (b_res - a_res) / dt
    if (total > 0) {
      printf "batches:     %.0f (%.0f events per batch on average)\n", total, (b_ev - a_ev) / total
      printf "batch time:  p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, mean %.3f ms, max %.3f ms (recent max)\n", \
        q(0.50) * 1000, q(0.95) * 1000, q(0.99) * 1000, (b_sum - a_sum) / total * 1000, mx * 1000
    } else {
      print "batch time:  no batches recorded in the interval"
    }
    printf "backpressure s: %.2f over the interval (source waiting for capacity)\n", b_bp - a_bp
    if (nlag > 0) printf "watermark lag s: %.3f (wall clock - partition watermark, mean over %d partitions, at the last scrape)\n", lag / nlag, nlag
    printf "late events: %.0f\n", late
  }' "$WORK/metrics-a.txt" "$WORK/metrics-b.txt"
echo "exit code:   $EXIT_CODE (after SIGTERM)"
checkpoint_stats
echo "peak RSS MB: $RSS"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

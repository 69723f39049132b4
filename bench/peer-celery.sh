#!/usr/bin/env bash
# End-to-end throughput of FaceObject and of the Python seed design (../shared/peers/celery: Flask under gunicorn +
# Celery prefork workers + Redis broker and result backend + OpenCV DNN), in one run, driven by the same load generator
# (FaceObject.LoadGen) at the seed's load: 16 closed-loop clients, each submitting the test images in turn and polling
# GET /api/task/{id} every 20 ms until the task ends.
#
# Models, by our key -> the peer's path segment (same ONNX files, ../shared/models, see its MODELS.md):
#   object  -> object  YOLOX-nano, yolox_nano.onnx (416x416, COCO 80)
#   face320 -> face    UltraFace version-RFB-320.onnx (320x240). Our `face` key is RFB-640, which the peer has no
#                      counterpart for, so it is not measured here.
# Both APIs have the same paths (POST /api/detect/{model}/image, multipart `file` -> 202 {task_id}; GET
# /api/task/{id} -> status ... completed|failed), so LoadGen drives both unchanged; only the path segment differs.
#
# What makes the comparison like for like:
#   - same machine, same images (../shared/testdata/images), same load generator, client count and poll interval;
#   - the systems run one after the other, never at the same time: per model, ours then the peer, each on a fresh
#     stack (its own redis-server) that is stopped before the next one starts;
#   - the same warm-up (--warmup seconds of the same load, unmeasured, its tasks drained) and the same measured window
#     (--seconds; LoadGen stops submitting at its end and waits for the tasks in flight, for both);
#   - only the model under test has a worker, in both systems: one worker process for that model's queue;
#   - the same number of inference threads per model: ours Worker__WorkerCount=N Hangfire worker threads (each running
#     ONNX Runtime with one intra-op thread when N >= cores), the peer --concurrency N prefork children, each with
#     OpenCV at one thread (--cv-threads 1); N defaults to our default, 2 per core (ProcessingOptions).
# Left as each design has it (printed in summary.txt): the peer's web tier is gunicorn 2 processes x 8 threads, ours
# one ASP.NET Core process; the peer acknowledges a task when it is received (its default, see its README), ours when
# it ends; the peer carries the image base64 inside the Celery message, ours stores it in Redis beside the task.
#
# Results: bench/results/peer-celery-<UTC time>/: load-<system>-<model>.json (LoadGen's report for the measured window),
# summary.txt (tasks/s of each, ours/peer, end-to-end p50/p99, failed+lost, CPU seconds the system's processes used
# in the measured window), logs of both systems. Everything binds 127.0.0.1 and is stopped on exit.
# Usage: bench/peer-celery.sh [--models object,face320] [--systems ours,peer] [--seconds 20] [--warmup 20]
#                             [--concurrency 16] [--poll-ms 20] [--threads N] [--peer-concurrency N] [--no-build]
#   --peer-concurrency: the peer's prefork children per worker when it should differ from --threads.
#   --no-build: use the Release builds already there (API, worker, LoadGen).
# The peer's packages come from its own `run.sh install` (apt, as root), once per machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
models="object,face320"
systems="ours,peer"
seconds=20
warmup=20
concurrency=16
poll_ms=20
threads=$((2 * $(nproc)))
peer_concurrency=""
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --systems) systems="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --poll-ms) poll_ms="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --peer-concurrency) peer_concurrency="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
peer_concurrency="${peer_concurrency:-$threads}"
for model in ${models//,/ }; do
  [[ "$model" == object || "$model" == face320 ]] || { echo "--models: object and/or face320 (the peer has no RFB-640)" >&2; exit 2; }
done
for system in ${systems//,/ }; do
  [[ "$system" == ours || "$system" == peer ]] || { echo "--systems: ours and/or peer" >&2; exit 2; }
done

peer="$shared/peers/celery"
/usr/bin/python3 -c 'import celery, cv2, flask, gunicorn, redis' 2>/dev/null \
  || { echo "the peer's packages are missing: run $peer/run.sh install (as root)" >&2; exit 2; }

out="$root/bench/results/peer-celery-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
peer_state=""
# run.sh stop signals exactly the PIDs its start recorded (gunicorn and celery take their children with them).
stop_peer() {
  if [[ -n "$peer_state" && -s "$peer_state/pids" ]]; then PEER_STATE="$peer_state" "$peer/run.sh" stop >/dev/null || true; fi
}
trap 'stop_peer; cleanup' EXIT
trap 'exit 130' INT TERM

if [[ "$build" == 1 ]]; then
  echo "peer-celery: building the API, the worker and the load generator (Release)"
  for project in src/FaceObject.Api src/FaceObject.Worker bench/FaceObject.LoadGen; do
    dotnet build "$root/$project/$(basename "$project").csproj" -c Release -v quiet -nologo >/dev/null
  done
fi

peer_key() { [[ "$1" == face320 ]] && echo face || echo "$1"; }

# CPU seconds (user + system) used so far by the given processes and all their descendants.
tree_cpu() {
  python3 - "$@" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
stat = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stat[int(p)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
todo, seen, ticks = [int(p) for p in sys.argv[1:]], set(), 0
while todo:
    p = todo.pop()
    if p in seen or p not in stat:
        continue
    seen.add(p)
    ticks += stat[p][1]
    todo += [c for c, (ppid, _) in stat.items() if ppid == p]
print(f"{ticks / hz:.2f}")
PY
}

loadgen() { dotnet "$(bin bench/FaceObject.LoadGen)" --images "$shared/testdata/images" --concurrency "$concurrency" --poll-ms "$poll_ms" "$@"; }

# measure SYSTEM MODEL SERVER PATH_SEGMENT PIDS...: warm-up, then the measured window; writes load-SYSTEM-MODEL.json
# and cpu-SYSTEM-MODEL.txt (CPU seconds of PIDS and their children during the window).
measure() {
  local system="$1" model="$2" server="$3" segment="$4"; shift 4
  echo "peer-celery: $system $model: warm-up ${warmup}s"
  loadgen --server "$server" --model "$segment" --seconds "$warmup" >"$out/warmup-$system-$model.json" || true
  echo "peer-celery: $system $model: measuring ${seconds}s"
  local before after
  before="$(tree_cpu "$@")"
  loadgen --server "$server" --model "$segment" --seconds "$seconds" --out "$out/load-$system-$model.json" >/dev/null || true
  after="$(tree_cpu "$@")"
  python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$before" "$after" >"$out/cpu-$system-$model.txt"
}

run_ours() {
  local model="$1"
  start_redis "$out/ours-$model-redis.log"
  export_model_settings
  start_worker "$model" "$out/ours-$model-worker.log" Worker__WorkerCount="$threads" Worker__MetricsHost=127.0.0.1 \
    Logging__LogLevel__FaceObject.Processing.Models.ModelLoader=Information
  start_enqueue_api "$out/ours-$model-api.log"
  wait_warmed_up "$out/ours-$model-worker.log"
  grep -q "warmed up" "$out/ours-$model-worker.log" || { echo "our $model worker did not warm up; see $out/ours-$model-worker.log" >&2; exit 1; }
  measure ours "$model" "$api" "$model" "$redis_pid" "$api_pid" "$worker_pid"
  cleanup
  pids=()
}

run_peer() {
  local model="$1" key face=0 object=0
  key="$(peer_key "$model")"
  [[ "$key" == face ]] && face=1 || object=1
  peer_state="$out/peer-$model"
  local port
  port="$(free_port)"
  PEER_STATE="$peer_state" MODELS_DIR="$shared/models" "$peer/run.sh" start --port "$port" --redis-port "$(free_port)" \
    --face-workers "$face" --object-workers "$object" --concurrency "$peer_concurrency" --cv-threads 1 \
    >"$out/peer-$model-start.txt"
  # shellcheck disable=SC2046 # one PID a line
  measure peer "$model" "http://127.0.0.1:$port" "$key" $(cat "$peer_state/pids")
  stop_peer
  peer_state=""
}

for model in ${models//,/ }; do
  for system in ${systems//,/ }; do
    "run_$system" "$model"
  done
done

{
  echo "peer-celery $(date -u +%FT%TZ), commit $(git -C "$root" rev-parse --short HEAD), cores=$(nproc)"
  echo "load: $concurrency closed-loop clients, polls every ${poll_ms} ms, warm-up ${warmup} s, measured ${seconds} s, images $shared/testdata/images"
  echo "ours: redis + enqueue-only API (1 process) + 1 worker process for the model's queue, Worker__WorkerCount=$threads"
  echo "peer: $(grep -h '^peer up' "$out"/peer-*-start.txt 2>/dev/null | head -1 | sed 's/^peer up: //' || true)"
} >"$out/summary.txt"
python3 - "$out" "$models" "$systems" <<'PY' | tee -a "$out/summary.txt"
import json, os, sys
out, models, systems = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")

def load(system, model):
    path = f"{out}/load-{system}-{model}.json"
    if not os.path.exists(path):
        return None
    report = json.load(open(path))
    report["cpu"] = open(f"{out}/cpu-{system}-{model}.txt").read().strip()
    return report

def cells(r):
    if r is None:
        return ["-"] * 5
    e2e = r["end_to_end_ms"]
    return [f'{r["throughput_per_s"]:.1f}', f'{e2e["p50"]:.0f}', f'{e2e["p99"]:.0f}', f'{r["failed"] + r["lost"]}', r["cpu"]]

head = ["model", "ours/s", "peer/s", "ours/peer", "ours p50 ms", "ours p99 ms", "peer p50 ms", "peer p99 ms",
        "failed+lost ours/peer", "server cpu_s ours/peer"]
print("  ".join(head))
for model in models:
    ours, peer = load("ours", model), load("peer", model)
    o, p = cells(ours), cells(peer)
    ratio = f'{ours["throughput_per_s"] / peer["throughput_per_s"]:.2f}' if ours and peer and peer["throughput_per_s"] else "-"
    row = [model, o[0], p[0], ratio, o[1], o[2], p[1], p[2], f"{o[3]}/{p[3]}", f"{o[4]}/{p[4]}"]
    print("  ".join(f"{v:>{len(h)}}" for v, h in zip(row, head)))
PY
echo "results in $out" | tee -a "$out/summary.txt"

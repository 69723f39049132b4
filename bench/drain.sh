#!/usr/bin/env bash
# The processing pipeline's own ceiling: --count tasks are queued while no worker runs, then one worker starts and
# drains the queue with no client polling and the API idle. Throughput = tasks / (last completed - first started),
# read from the task records, so the worker's start-up and model warm-up are not counted.
# Usage: bench/drain.sh [--model object] [--count 2000] [--threads 0]   (--threads: Worker:WorkerCount, 0 = default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model=object
count=2000
threads=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp -d /tmp/faceobject-drain-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
start_redis "$out/redis.log"
export_model_settings
start_enqueue_api "$out/api.log"

prefill "$model" "$count" "$out/ids.txt"
echo "drain: $count $model tasks queued; starting the worker"
start_worker "$model" "$out/worker.log" Worker__WorkerCount="$threads"
python3 - "$api" "$out/ids.txt" "$model" <<'PY'
import http.client, json, sys, time, urllib.parse
from datetime import datetime
base, ids, model = sys.argv[1], [l.strip() for l in open(sys.argv[2])], sys.argv[3]
url = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(url.hostname, url.port)
def get(task_id, wait=""):
    c.request("GET", f"/api/task/{task_id}{wait}"); return json.loads(c.getresponse().read())
while get(ids[-1], "?wait=10s")["status"] not in ("completed", "failed"):
    pass
tasks = [get(t) for t in ids]
bad = [t for t in tasks if t["status"] != "completed"]
started = min(datetime.fromisoformat(t["started_at"]) for t in tasks)
ended = max(datetime.fromisoformat(t["completed_at"]) for t in tasks)
seconds = (ended - started).total_seconds()
processing = sorted(t["processing_time_ms"] for t in tasks if t["processing_time_ms"] is not None)
print(f"drain {model}: {len(tasks)} tasks ({len(bad)} not completed) in {seconds:.1f} s = {len(tasks) / seconds:.1f} tasks/s; "
      f"processing_time_ms p50 {processing[len(processing) // 2]:.1f}")
PY

#!/usr/bin/env bash
# Does a worker's memory stay flat? Redis + the API (enqueue only) + one worker, then --count tasks (10,000 by
# default) from 16 long-polling clients, with the worker's resident memory sampled every 5 s. Prints the samples
# and the first, last and highest value. Everything runs on 127.0.0.1 and is stopped at the end.
# Usage: bench/worker-memory.sh [--model object] [--count 10000]   (builds Release first)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model=object
count=10000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$root/bench/results/memory-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
start_redis "$out/redis.log"
export_model_settings
start_worker "$model" "$out/worker.log"
worker=$worker_pid
start_enqueue_api "$out/api.log"
wait_warmed_up "$out/worker.log"

rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$worker/status"; }
echo "worker RSS after warm-up: $(rss) MB" | tee "$out/rss.txt"
dotnet "$(bin bench/FaceObject.LoadGen)" --server "$api" --images "$shared/testdata/images" \
  --model "$model" --concurrency 16 --count "$count" --long-poll --out "$out/load.json" >/dev/null &
loadgen=$!
while kill -0 "$loadgen" 2>/dev/null; do echo "$(date +%s) $(rss)" >>"$out/rss.txt"; sleep 5; done
wait "$loadgen"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
samples = [int(line.split()[1]) for line in open(f"{out}/rss.txt") if line[0].isdigit()]
load = json.load(open(f"{out}/load.json"))
print(f'{load["completed"]} completed, {load["failed"]} failed, {load["lost"]} lost; worker RSS MB: first {samples[0]}, '
      f'last {samples[-1]}, max {max(samples)}, samples {samples}')
PY

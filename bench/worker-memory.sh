#!/usr/bin/env bash
# Does a worker's memory stay flat? Redis + the API (enqueue only) + one worker, then --count tasks (10,000 by
# default) from 16 long-polling clients, with the worker's resident memory sampled every 5 s. Prints the samples
# and the first, last and highest value. Everything runs on 127.0.0.1 and is stopped at the end.
# Usage: bench/worker-memory.sh [--model object] [--count 10000]   (builds Release first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=object
count=10000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
shared="${FACEOBJECT_SHARED:-$root/../shared}"
out="$root/bench/results/memory-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
bin() { echo "$root/$1/bin/Release/net10.0/$(basename "$1").dll"; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
redis_port="$(free_port)"; api_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$out/redis.log" 2>&1 & pids+=($!)
sleep 0.5
export ConnectionStrings__Redis="127.0.0.1:$redis_port" Models__face__Path="$shared/models/version-RFB-640.onnx" \
  Models__object__Path="$shared/models/yolox_nano.onnx" Models__object__Labels="$shared/models/coco.names" \
  Models__face320__Type=ultraface Models__face320__Path="$shared/models/version-RFB-320.onnx" \
  Logging__LogLevel__Default=Warning DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
Api__RunWorkers=false Api__RateLimit__PermitsPerSecond=0 Api__MaxQueuedPerQueue=1000000 \
  dotnet "$(bin src/FaceObject.Api)" --urls "http://127.0.0.1:$api_port" >"$out/api.log" 2>&1 & pids+=($!)
dotnet "$(bin src/FaceObject.Worker)" --queues "$model" >"$out/worker.log" 2>&1 &
worker=$!; pids+=($worker)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$api_port/livez" >/dev/null && grep -q "warmed up" "$out/worker.log" && break; sleep 0.5; done

rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$worker/status"; }
echo "worker RSS after warm-up: $(rss) MB" | tee "$out/rss.txt"
dotnet "$(bin bench/FaceObject.LoadGen)" --server "http://127.0.0.1:$api_port" --images "$shared/testdata/images" \
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

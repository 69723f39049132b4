#!/usr/bin/env bash
# Measures video tasks on this machine: the all-in-one API (built Release or Debug, whichever exists; one worker
# thread per queue) and the real slideshow.mp4 (6 s, 10 fps, 640x480, 60 frames), every frame sampled.
#   - worker time per task (the result's processing_time_ms: decode + inference on every sampled frame) and per frame
#   - end to end (submit, then long-poll until completed)
# for the object model (yolox_nano) and the face model (UltraFace RFB-640). Compare the per-frame time with the model
# run alone from bench/run.sh. Runs on 127.0.0.1 only, N sequential tasks per model (default 10), stops what it started.
# Usage: bench/video.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10}"
shared="${FACEOBJECT_SHARED:-$root/../shared}"
video="$shared/testdata/videos/slideshow.mp4"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
dll=""
for c in Release Debug; do
  [[ -f "$root/src/FaceObject.Api/bin/$c/net10.0/FaceObject.Api.dll" ]] && { dll="$root/src/FaceObject.Api/bin/$c/net10.0/FaceObject.Api.dll"; break; }
done
[[ -n "$dll" ]] || { echo "build src/FaceObject.Api first" >&2; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

api_port="$(free_port)"
(cd "$(dirname "$dll")" && Models__face__Path="$shared/models/version-RFB-640.onnx" \
  Models__object__Path="$shared/models/yolox_nano.onnx" Models__object__Labels="$shared/models/coco.names" \
  Worker__WorkerCount=1 Logging__LogLevel__Default=Warning \
  exec dotnet "$dll" --urls "http://127.0.0.1:$api_port" >/dev/null 2>&1) & pids+=($!)
api="http://127.0.0.1:$api_port"
for _ in $(seq 1 120); do curl -fs "$api/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
echo "$(basename "$(dirname "$(dirname "$dll")")") build, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One task: prints "worker_ms frames end_to_end_ms".
run_one() {
  local model="$1" start end id
  start=$(date +%s.%N)
  id=$(curl -s -F "file=@$video" -F sample_fps=10 "$api/api/detect/$model/video" | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])')
  until curl -s "$api/api/task/$id?wait=10s" > /tmp/faceobject-bench-video.json && grep -q '"status":"completed"' /tmp/faceobject-bench-video.json; do :; done
  end=$(date +%s.%N)
  python3 -c "import json; r=json.load(open('/tmp/faceobject-bench-video.json'))['result']; print(r['processing_time_ms'], r['summary']['frames_processed'], ($end - $start) * 1000)"
}

for model in object face; do
  run_one "$model" >/dev/null  # warm up
  for _ in $(seq "$n"); do run_one "$model"; done | python3 -c "
import sys, statistics as s
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
worker = sorted(r[0] for r in rows); frames = rows[0][1]; e2e = sorted(r[2] for r in rows)
print(f'$model: worker {s.median(worker):.0f} ms per video, {s.median(worker) / frames:.1f} ms per frame ({frames:.0f} frames); end to end {s.median(e2e):.0f} ms (median of {len(rows)})')"
done

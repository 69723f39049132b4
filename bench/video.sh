#!/usr/bin/env bash
# Measures video tasks on this machine: the all-in-one host (built Release or Debug, whichever exists; one worker
# thread per queue) and the real slideshow.mp4 (6 s, 10 fps, 640x480, 60 frames), every frame sampled.
#   - worker time per task (the result's processing_time_ms: decode + inference on every sampled frame) and per frame
#   - end to end (submit, then long-poll until completed)
# for the object model (yolox_nano) and the face model (UltraFace RFB-640). Compare the per-frame time with the model
# run alone from bench/run.sh. Runs on 127.0.0.1 only, N sequential tasks per model (default 10), stops what it started.
# Usage: bench/video.sh [N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-10}"
video="$shared/testdata/videos/slideshow.mp4"
dll="$(built_all_in_one_dll)"

start_all_in_one_api "$dll" Worker__WorkerCount=1
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

#!/usr/bin/env bash
# End-to-end time of a crop-and-classify pipeline run (vehicle-attributes: detect on the object queue, then the car
# crop classified on the vehicle queue, with the coordinator's moves on the pipelines queue), against a plain object
# detection of the same image, on Redis with one worker per queue. Runs one at a time (latency, not throughput):
# --count runs of each, and prints the median and p90 of completed_at - created_at and of each stage's own time.
# Usage: bench/pipeline.sh [--count 30]   (configuration=Debug bench/pipeline.sh: use the Debug build as it is)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp -d /tmp/faceobject-pipeline-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

[[ "${configuration:-Release}" == Release ]] && dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
start_redis "$out/redis.log"
export_model_settings
models="$root/models"
export Models__vehicle__Type=classifier Models__vehicle__Path="$models/vehicle-attributes-recognition-barrier-0039.onnx" \
  Models__vehicle__HeadLabels__type="$models/vehicle-attributes-recognition-barrier-0039.type.txt" \
  Models__vehicle__HeadLabels__color="$models/vehicle-attributes-recognition-barrier-0039.color.txt"
start_enqueue_api "$out/api.log"
start_worker object "$out/object.log"
start_worker vehicle "$out/vehicle.log"
wait_warmed_up "$out/object.log"
wait_warmed_up "$out/vehicle.log"
python3 - "$api" "$count" "$shared/testdata/images/dog.jpg" <<'PY'
import json, statistics, sys, time, urllib.request, uuid
api, count, image = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()

def post(path):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dog.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(api + path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return json.load(urllib.request.urlopen(request))["task_id"]

def finish(task_id):
    while True:
        task = json.load(urllib.request.urlopen(f"{api}/api/task/{task_id}?wait=30s"))
        if task["status"] in ("completed", "failed"):
            return task

def ms(a, b):
    from datetime import datetime
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() * 1000

def report(name, values):
    values = sorted(values)
    print(f"{name:<34} median {statistics.median(values):7.1f} ms   p90 {values[int(len(values) * 0.9) - 1]:7.1f} ms")

for label, path in (("detect only (object)", "/api/detect/object/image"), ("vehicle-attributes pipeline", "/api/pipelines/vehicle-attributes/image")):
    finish(post(path))  # warm-up
    totals, stages = [], {}
    for _ in range(count):
        task = finish(post(path))
        assert task["status"] == "completed", task
        totals.append(ms(task["created_at"], task["completed_at"]))
        for stage in task.get("stages", []):
            stages.setdefault(stage["stage"], []).append(stage["duration_ms"] or 0)
    report(f"{label}: end to end", totals)
    for stage, values in stages.items():
        report(f"  stage {stage} (model time)", values)
PY

#!/usr/bin/env bash
# Time of one task through Storage:Kind=s3, upload versus by-key, against a local s3rver and redis-server:
# the API (enqueue only) and one object worker as separate processes, one client submitting one task at a time
# and long-polling it to the end. Prints p50/p90 of submit (202) and submit-to-completed, per path.
# Then uploads one large video (an MP4 header and zeros, --video-mb) and prints the API's peak resident memory
# before and after: the upload streams from ASP.NET's request buffer to the bucket, so the peak should not grow by
# the video's size.
# Usage: bench/s3-roundtrip.sh [--count 30] [--video-mb 150] [--configuration Release]   (run scripts/test.sh or a build first)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=30
video_mb=150
configuration=Release
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --video-mb) video_mb="$2"; shift 2 ;;
    --configuration) configuration="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp -d /tmp/faceobject-s3bench-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

[[ -d "$root/tests/s3rver/node_modules" ]] || (cd "$root/tests/s3rver" && npm ci --no-audit --no-fund --loglevel=error)
start_redis "$out/redis.log"
s3_port="$(free_port)"
mkdir -p "$out/s3"
node "$root/tests/s3rver/node_modules/s3rver/bin/s3rver.js" -d "$out/s3" -a 127.0.0.1 -p "$s3_port" --silent \
  --no-vhost-buckets --configure-bucket faceobject >"$out/s3rver.log" 2>&1 &
started $!

export_model_settings
export Storage__Kind=s3 Storage__S3__ServiceUrl="http://127.0.0.1:$s3_port" Storage__S3__Bucket=faceobject \
  Storage__S3__ForcePathStyle=true Storage__S3__AccessKey=S3RVER Storage__S3__SecretKey=S3RVER Worker__WorkerCount=1
start_worker object "$out/worker.log"
start_enqueue_api "$out/api.log"
wait_warmed_up "$out/worker.log"

python3 - "$api" "$shared/testdata/images/dog.jpg" "$count" <<'PY'
import json, statistics, sys, time, urllib.request, uuid
base, image, count = sys.argv[1], open(sys.argv[2], "rb").read(), int(sys.argv[3])

def post(body, content_type):
    request = urllib.request.Request(base + "/api/detect/object/image", data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["task_id"]

def upload():
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dog.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
    return post(body, "multipart/form-data; boundary=" + boundary)

def by_key(key):
    return lambda: post(json.dumps({"image_key": key}).encode(), "application/json")

def run(submit):
    started = time.perf_counter(); task_id = submit(); accepted = time.perf_counter()
    while True:
        with urllib.request.urlopen(f"{base}/api/task/{task_id}?wait=10s") as response:
            task = json.load(response)
        if task["status"] in ("completed", "failed"):
            break
    assert task["status"] == "completed", task
    return (accepted - started) * 1000, (time.perf_counter() - started) * 1000, task

def pct(values, p): return sorted(values)[min(len(values) - 1, int(len(values) * p))]

_, _, first = run(upload)  # warms both paths' connections; its original is the by-key object
key = first["storage"]["original"]
print(f"{'path':8} {'n':>4} {'submit_p50':>11} {'submit_p90':>11} {'e2e_p50':>9} {'e2e_p90':>9}  (ms, one task at a time)")
for name, submit in (("upload", upload), ("by-key", by_key(key))):
    samples = [run(submit) for _ in range(count)]
    s = [x[0] for x in samples]; e = [x[1] for x in samples]
    print(f"{name:8} {count:>4} {pct(s, .5):>11.1f} {pct(s, .9):>11.1f} {pct(e, .5):>9.1f} {pct(e, .9):>9.1f}")
PY

peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$api_pid/status"; }
python3 - "$out/video.mp4" "$video_mb" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
    f.truncate(int(sys.argv[2]) * 1024 * 1024)
PY
before="$(peak_mb)"
status="$(curl -s -o "$out/video.json" -w '%{http_code}' -F "file=@$out/video.mp4;type=video/mp4" "$api/api/detect/object/video")"
echo "video upload of ${video_mb} MB: HTTP $status; API peak RSS ${before} MB before, $(peak_mb) MB after"

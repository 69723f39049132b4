#!/usr/bin/env bash
# Measures what image URLs and callbacks cost, on this machine: the all-in-one host (built Release or Debug, whichever
# exists) with Fetch:AllowedHosts=127.0.0.1, a local file server (python3 -m http.server) holding dog.jpg, and curl.
#   - submit latency (time to 202): multipart upload of dog.jpg vs JSON {"image_url": ...}
#   - end to end (submit, then long-poll until completed): upload vs URL (the worker fetches first)
# Runs on 127.0.0.1 only, N sequential requests each (default 30), and stops what it started.
# Usage: bench/inputs.sh [N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-30}"
dll="$(built_all_in_one_dll)"

files_port="$(free_port)"
(cd "$shared/testdata/images" && exec python3 -m http.server "$files_port" --bind 127.0.0.1 >/dev/null 2>&1) &
started $!
start_all_in_one_api "$dll" Fetch__AllowedHosts__0=127.0.0.1
image="$shared/testdata/images/dog.jpg"
url_body="{\"image_url\": \"http://127.0.0.1:$files_port/dog.jpg\"}"

submit_upload() { curl -s -o /tmp/faceobject-bench-202 -w '%{time_total}' -F "file=@$image" "$api/api/detect/object/image"; }
submit_url() { curl -s -o /tmp/faceobject-bench-202 -w '%{time_total}' -H 'Content-Type: application/json' -d "$url_body" "$api/api/detect/object/image"; }
end_to_end() {
  local start end id
  start=$(date +%s.%N); "$1" >/dev/null
  id=$(python3 -c 'import json; print(json.load(open("/tmp/faceobject-bench-202"))["task_id"])')
  until curl -s "$api/api/task/$id?wait=5s" | grep -q '"status":"completed"'; do :; done
  end=$(date +%s.%N); python3 -c "print($end - $start)"
}
stats() { python3 -c 'import sys,statistics as s; v=sorted(float(x)*1000 for x in sys.stdin.read().split()); print(f"median {s.median(v):.1f} ms, p90 {v[int(len(v)*0.9)-1]:.1f} ms, n={len(v)}")'; }

for _ in 1 2 3; do end_to_end submit_upload >/dev/null; end_to_end submit_url >/dev/null; done  # warm up
echo "submit (time to 202), upload:   $(for _ in $(seq "$n"); do submit_upload; echo; sleep 0.05; done | stats)"
echo "submit (time to 202), image_url: $(for _ in $(seq "$n"); do submit_url; echo; sleep 0.05; done | stats)"
sleep 2
echo "end to end, upload:              $(for _ in $(seq "$n"); do end_to_end submit_upload; done | stats)"
echo "end to end, image_url:           $(for _ in $(seq "$n"); do end_to_end submit_url; done | stats)"

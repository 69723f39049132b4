#!/usr/bin/env bash
# Live camera streams on this machine: N cameras at once, each a 640x360 H.264 clip at 15 fps from the local RTSP
# server (tests/FaceObject.Testing/Cameras/rtsp_server.py), detected at 5 fps with the object model (yolox_nano) by
# the all-in-one host (Release), each followed by its own WebSocket client (bench/FaceObject.LoadGen streams). Per N,
# over a window of --seconds after --warmup seconds:
#   - processed fps per stream (mean and min over the streams), from the imageDetection messages received;
#   - camera fps and skipped frames a second per stream: frames the reader received and dropped for a newer one, from
#     the frame numbers the messages carry (15 fps in and 5 detected leaves 10 skipped a second by design);
#   - frame-to-WebSocket latency p50/p95/p99: the frame's capture time (payload.timestamp, when the host had the
#     decoded frame) to its message's receipt by the client, same clock;
#   - lag trend: latency p95 of the window's last third minus its first third (a growing lag is a large positive value);
#   - CPU over the window in % of one core (nproc x 100 = the whole machine): the host process (detection, tracking,
#     the API), its ffmpeg children (RTSP and H.264 decoding), the RTSP server (encoding, a real camera's cost) and
#     the client.
# The clip: ../shared/testdata/videos/slideshow.mp4 at 15 fps, panning slowly over a 720-wide scale (every frame
# differs, as from a real camera), cropped to 640x360; 6 s, looped. All streams read one RTSP mount (one encoder on
# this machine), each at its own URL (?stream=i), so the host reads each as a camera of its own. One host serves every
# N in turn; a round's streams end when its clients disconnect, and the next round starts once the host reads none.
# The first round warms up for --first-warmup seconds instead (as bench/run.sh: .NET's tiered JIT is still recompiling
# hot code for about the first minute). Everything listens on 127.0.0.1 and is stopped at the end; results go to
# bench/results/streams-<timestamp>/.
# Usage: bench/streams.sh [--streams "1 4 8 12"] [--seconds 60] [--warmup 10] [--first-warmup 40]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
streams="1 4 8 12"
seconds=60
warmup=10
first_warmup=40
while [[ $# -gt 0 ]]; do
  case "$1" in
    --streams) streams="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --first-warmup) first_warmup="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
camera_fps=15
detect_fps=5
out="$root/bench/results/streams-$(date -u +%Y%m%dT%H%M%SZ)"
frames="$(mktemp -d /tmp/faceobject-streams-XXXXXX)"
mkdir -p "$out"
trap 'cleanup; rm -rf "$frames"' EXIT

echo "streams: building (Release)"
dotnet build "$root/src/FaceObject.AllInOne" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/FaceObject.LoadGen" -c Release -v quiet -nologo >/dev/null

ffmpeg -hide_banner -loglevel error -i "$shared/testdata/videos/slideshow.mp4" \
  -vf "fps=$camera_fps,scale=720:-2,crop=640:360:x='40+40*sin(2*PI*t/6)':y='(ih-360)/2+20*sin(2*PI*t/3)'" \
  -q:v 3 -start_number 0 "$frames/frame%05d.jpg"

# The RTSP server needs Debian's python3 (python3-gi); it prints READY once listening.
rtsp_port="$(free_port)"
/usr/bin/python3 "$root/tests/FaceObject.Testing/Cameras/rtsp_server.py" "$rtsp_port" "$camera_fps" "cam=$frames/frame%05d.jpg" \
  >"$out/rtsp.log" 2>&1 &
rtsp_pid=$!; started "$rtsp_pid"
for _ in $(seq 1 40); do grep -q READY "$out/rtsp.log" && break; sleep 0.5; done
grep -q READY "$out/rtsp.log" || { echo "the RTSP server did not start; see $out/rtsp.log" >&2; exit 1; }

api_log="$out/host.log" start_all_in_one_api "$(bin src/FaceObject.AllInOne)" Streams__AllowedSources__0=127.0.0.1 \
  DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
curl -fs "$api/readyz" >/dev/null || { echo "the host did not become ready; see $out/host.log" >&2; exit 1; }

# Until the host reads no stream and has no ffmpeg child left (30 s at most).
wait_idle() {
  for _ in $(seq 1 60); do
    [[ "$(curl -fs "$api/api/streams")" == "[]" ]] && ! pgrep -P "$api_pid" -x ffmpeg >/dev/null && return
    sleep 0.5
  done
  echo "streams: the host still reads streams from the last round" >&2
}

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "streams: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg); ${camera_fps} fps 640x360 in, detected at ${detect_fps} fps (object); ${warmup} s warm-up (${first_warmup} s the first), ${seconds} s measured per N"
round_warmup="$first_warmup"
for n in $streams; do
  wait_idle
  echo "streams: N=$n"
  dotnet "$(bin bench/FaceObject.LoadGen)" streams --server "$api" --rtsp "rtsp://127.0.0.1:$rtsp_port/cam" --streams "$n" \
    --model object --fps "$detect_fps" --warmup "$round_warmup" --seconds "$seconds" --host-pid "$api_pid" --other-pids "$rtsp_pid" \
    --out "$out/streams-$n.json" >/dev/null 2>"$out/streams-$n.err" &
  loadgen_pid=$!; started "$loadgen_pid"
  wait "$loadgen_pid" || echo "streams: N=$n failed: $(tail -n 3 "$out/streams-$n.err")" >&2
  round_warmup="$warmup"
done

python3 - "$out" "$machine" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" $streams <<'PY' | tee "$out/summary.txt"
import json, os, sys
out, machine, load, cores, ns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
head = ("N", "fps/stream", "min", "camera", "skipped/s", "p50_ms", "p95_ms", "p99_ms", "lag_trend_ms", "host_cpu%", "ffmpeg_cpu%", "rtsp_cpu%", "client_cpu%", "not_live")
print("%3s %10s %6s %7s %9s %7s %7s %7s %12s %9s %11s %9s %11s %8s" % head)
for n in ns:
    path = os.path.join(out, f"streams-{n}.json")
    if not os.path.exists(path):
        print(f"{n:>3} failed: see {os.path.join(out, f'streams-{n}.err')}")
        continue
    r = json.load(open(path)); lat = r["latency_ms"]; cpu = r["cpu_percent_of_one_core"]
    print(f'{n:>3} {r["processed_fps"]["mean"]:>10.2f} {r["processed_fps"]["min"]:>6.2f} {r["camera_fps_mean"]:>7.2f} {r["skipped_fps_mean"]:>9.2f} '
          f'{lat["p50"]:>7.0f} {lat["p95"]:>7.0f} {lat["p99"]:>7.0f} {r["lag_trend_p95_ms"]:>+12.0f} {cpu["host"]:>9.0f} {cpu["ffmpeg"]:>11.0f} '
          f'{cpu["others"]:>9.0f} {cpu["loadgen"]:>11.0f} {r["not_live"]:>8}'
          + (f'  errors: {"; ".join(r["errors"])}' if r["errors"] else "")
          + (f'  reconnects: {r["reconnects"]}' if r["reconnects"] else ""))
print(f"machine: {machine}; load average at the end {load}; CPU in % of one core ({cores * 100}% = all); results in {out}")
PY

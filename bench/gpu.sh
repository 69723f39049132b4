#!/usr/bin/env bash
# The GPU benchmark, unattended, on a machine with an NVIDIA GPU, from a clean checkout with only the .NET SDK and
# ../shared beside it (under 10 minutes):
#   1. checks the GPU (nvidia-smi) and installs what is missing (libgtk-3-0 for OpenCV, redis-server, python3-onnx
#      for the dynamic-batch models) with apt;
#   2. fills models/ with the models and their .dynamic.onnx copies (scripts/fetch-models.sh);
#   3. builds the Gpu flavour (-p:OnnxRuntimeFlavor=Gpu) of the worker, the API and the benchmarks into
#      artifacts/gpu-bench, apart from the Cpu build;
#   4. checks that CUDA really runs: the models load with Device=cuda, which refuses to fall back to the CPU
#      (exit 3 with the reason, e.g. a CUDA library of another major, when it cannot start);
#   5. raw inference throughput by batch size (1, 8, 32, 64) of the object and face models, images/s;
#   6. end to end through Redis + the API + one worker process (Device=cuda, MaxBatch 32, 64 worker threads) with the
#      load generator (64 closed-loop clients, long-polling), for the object and face models.
# Results go to bench/results/gpu-<timestamp>/ (summary.txt).
#
#   bench/gpu.sh                 on the GPU machine
#   bench/gpu.sh --cpu-dry-run   the same steps with Device=cpu and short runs, to prove the script on a CPU machine
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

device=cuda
seconds=6         # each raw case
e2e_seconds=15    # each end-to-end run
warmup=10         # end-to-end warm-up, unmeasured
batches="1,8,32,64"
max_batch=32
concurrency=64
worker_threads=64
if [[ "${1:-}" == "--cpu-dry-run" ]]; then
  device=cpu seconds=2 e2e_seconds=3 warmup=2 batches="1,8" max_batch=4 concurrency=8 worker_threads=4
elif [[ $# -gt 0 ]]; then
  echo "usage: bench/gpu.sh [--cpu-dry-run]" >&2
  exit 2
fi
out="$root/bench/results/gpu-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ "$device" == cuda ]]; then
  if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >"$out/gpu.txt" 2>&1; then
    echo "gpu.sh: no NVIDIA GPU visible (nvidia-smi missing or failing): run it on a GPU machine, or pass --cpu-dry-run" >&2
    exit 3
  fi
  echo "gpu.sh: $(head -n 1 "$out/gpu.txt"); driver $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n 1)"
fi

# 1. System packages, only those missing.
"$root/scripts/install-deps.sh"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
/usr/bin/python3 -c 'import onnx, numpy' >/dev/null 2>&1 || missing+=(python3-onnx python3-numpy)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  echo "gpu.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Models, with the dynamic-batch copies.
"$root/scripts/fetch-models.sh"
for model in yolox_nano version-RFB-640; do
  [[ -f "$root/models/$model.dynamic.onnx" ]] || { echo "gpu.sh: models/$model.dynamic.onnx was not written" >&2; exit 1; }
done

# 3. The Gpu flavour, apart from the Cpu build (its own obj/ and bin/ under artifacts/gpu-bench).
artifacts="$root/artifacts/gpu-bench"
echo "gpu.sh: building the Gpu flavour into $artifacts"
for project in src/FaceObject.Worker src/FaceObject.Api bench/FaceObject.Bench.Inference bench/FaceObject.LoadGen; do
  dotnet build "$root/$project" -c Release -p:OnnxRuntimeFlavor=Gpu --artifacts-path "$artifacts" -v quiet -nologo >"$out/build.log" 2>&1 \
    || { tail -n 30 "$out/build.log" >&2; echo "gpu.sh: building $project failed" >&2; exit 1; }
done
bin() { echo "$artifacts/bin/$(basename "$1")/release/$(basename "$1").dll"; }

# 4 + 5. Raw throughput; the models load with Device=cuda, so CUDA must really start (exit 3 otherwise).
echo "gpu.sh: raw inference (device $device)"
rc=0
dotnet "$(bin bench/FaceObject.Bench.Inference)" --models "$shared/models" --dynamic-models "$root/models" \
  --images "$shared/testdata/images" --only object,face640 --device "$device" --seconds "$seconds" \
  --threads "1,$worker_threads" --max-batch "$max_batch" --batches "$batches" --out "$out/raw.json" 2>&1 | tee "$out/raw.txt" || rc=$?
if [[ $rc -eq 3 ]]; then
  echo "gpu.sh: CUDA does not run here (the reason is above): check the driver (CUDA 13 needs 580+) and that the CUDA 13 and cuDNN 9 libraries are on the library path (LD_LIBRARY_PATH)" >&2
  exit 3
elif [[ $rc -ne 0 ]]; then
  echo "gpu.sh: the raw benchmark failed (exit $rc)" >&2
  exit 1
fi
grep -q ": $device\$" "$out/raw.txt" || { echo "gpu.sh: the detectors do not report device $device" >&2; exit 3; }

# 6. End to end: Redis + API + one worker per model, each batching its concurrent jobs.
echo "gpu.sh: end to end (API + Redis + one worker, MaxBatch $max_batch, $worker_threads worker threads, $concurrency clients)"
start_redis "$out/redis.log"
export_model_settings
start_enqueue_api "$out/api.log"
loadgen() { dotnet "$(bin bench/FaceObject.LoadGen)" --server "$api" --images "$shared/testdata/images" "$@"; }
for model in object face; do
  file=yolox_nano; [[ "$model" == face ]] && file=version-RFB-640
  : >"$out/worker-$model.log"   # wait_warmed_up reads it before the worker has opened it
  start_worker "$model" "$out/worker-$model.log" Worker__WorkerCount="$worker_threads" \
    "Models__${model}__Path=$root/models/$file.dynamic.onnx" "Models__${model}__Device=$device" \
    "Models__${model}__MaxBatch=$max_batch" "Models__${model}__MaxDelayMicroseconds=2000"
  wait_warmed_up "$out/worker-$model.log"
  if ! kill -0 "$worker_pid" 2>/dev/null; then
    echo "gpu.sh: the $model worker stopped at start:" >&2; tail -n 5 "$out/worker-$model.log" >&2; exit 3
  fi
  loadgen --model "$model" --concurrency "$concurrency" --seconds "$warmup" --long-poll >/dev/null
  loadgen --model "$model" --concurrency "$concurrency" --seconds "$e2e_seconds" --long-poll --out "$out/e2e-$model.json" \
    >"$out/e2e-$model.txt"
  kill "$worker_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
done

{
  echo "device=$device $(head -n 1 "$out/gpu.txt" 2>/dev/null || echo "(no GPU)")"
  /usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
raw = json.load(open(f"{out}/raw.json"))
print("raw inference, images/s (one Run of B images of the .dynamic.onnx model):")
for r in raw:
    if r["case"].startswith("run_batch_"):
        print(f'  {r["model"]:<8} batch {r["case"][len("run_batch_"):]:>3}: {r["per_second"]:9.1f}/s  p50 {r["p50_ms"]:.2f} ms per Run')
print("full detection in one process (decode + pre-process + Run + NMS), images/s, by callers:")
for r in raw:
    if r["case"] == "full_detection" or r["case"].startswith("batched_"):
        how = "unbatched" if r["case"] == "full_detection" else "MaxBatch " + r["case"][len("batched_"):]
        print(f'  {r["model"]:<8} {r["threads"]:>3} callers, {how:<12} {r["per_second"]:9.1f}/s')
print("end to end through the API, Redis and one worker, tasks/s:")
for model in ("object", "face"):
    e = json.load(open(f"{out}/e2e-{model}.json"))
    print(f'  {model:<8} {e["throughput_per_s"]:9.1f}/s  end-to-end p50 {e["end_to_end_ms"]["p50"]:.1f} ms  submit p99 {e["submit_ms"]["p99"]:.1f} ms')
print("reading: run_batch is the GPU alone; batched full detection adds decoding and pre-processing on the CPU;")
print("end to end adds the job path (HTTP, Redis, Hangfire). The drop from one line to the next is what each costs.")
PY
  echo "results in $out"
} | tee "$out/summary.txt"

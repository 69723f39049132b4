#!/usr/bin/env bash
# Fills models/ with the default ONNX models and labels.
# Takes them from ../shared/models (or $FACEOBJECT_SHARED/models) when present; otherwise downloads the upstream
# files named in docs/models.md and checks their SHA-256. Model files are never committed (models/ is git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${FACEOBJECT_MODELS_DIR:-$root/models}"
shared="${FACEOBJECT_SHARED:-$root/../shared}/models"
mkdir -p "$dest"

# file | sha256 | upstream URL
manifest=(
  "yolox_nano.onnx|e8af074932d4ed7e232278e3055cefcdea3edf178874a3694ae292649fb464dd|https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx"
  "version-RFB-640.onnx|8f4c659275977e7a3bfbfa339a9c769ad793df50f9c0baa8c14b11baa1646430|https://raw.githubusercontent.com/Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB/master/models/onnx/version-RFB-640.onnx"
  "version-RFB-320.onnx|34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017|https://raw.githubusercontent.com/Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB/master/models/onnx/version-RFB-320.onnx"
  "coco.names|634a1132eb33f8091d60f2c346ababe8b905ae08387037aed883953b7329af84|https://raw.githubusercontent.com/pjreddie/darknet/master/data/coco.names"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

for entry in "${manifest[@]}"; do
  IFS='|' read -r file sum url <<<"$entry"
  target="$dest/$file"
  if [[ -f "$target" && "$(sha "$target")" == "$sum" ]]; then
    continue
  fi
  if [[ -f "$shared/$file" ]]; then
    cp "$shared/$file" "$target.tmp" && mv "$target.tmp" "$target"
    echo "models: $file from $shared"
  else
    echo "models: downloading $file from $url"
    curl -fsSL --retry 3 -o "$target.tmp" "$url"
    mv "$target.tmp" "$target"
  fi
  actual="$(sha "$target")"
  if [[ "$actual" != "$sum" ]]; then
    # The yolox_nano copy we verified came from a mirror of the release; the worker's start-up check of the
    # model's input and output shapes is what finally decides whether a file is usable.
    echo "models: WARNING: $file has SHA-256 $actual, expected $sum (upstream file differs from the verified copy)" >&2
  fi
done
# Dynamic-batch copies (X.dynamic.onnx) for Models:{key}:MaxBatch above 1, rewritten from the files above by
# scripts/make_dynamic_batch.py; needs Debian's python3-onnx (scripts/install-deps.sh --with-redis installs it).
dynamic=()
for model in yolox_nano version-RFB-320 version-RFB-640; do
  [[ "$dest/$model.dynamic.onnx" -nt "$dest/$model.onnx" ]] || dynamic+=("$dest/$model.onnx")
done
if [[ ${#dynamic[@]} -gt 0 ]]; then
  if /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
    /usr/bin/python3 "$root/scripts/make_dynamic_batch.py" "${dynamic[@]}" | sed 's/^/models: /'
  else
    echo "models: no python3-onnx: dynamic-batch copies not written (apt-get install -y python3-onnx)" >&2
  fi
fi
echo "models: ready in $dest"

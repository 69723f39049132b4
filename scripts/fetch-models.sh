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

# The crop-and-classify models (type classifier, docs/models.md). Intel publishes the first two as OpenVINO IR only;
# the ONNX files were made by ../shared/models/tools/ir2onnx.py (numpy and python3-onnx), squeezenet by
# tools/fp16_to_fp32.py. A machine without ../shared gets them like this, then re-runs this script to check the hashes:
#   OMZ=https://storage.openvinotoolkit.org/repositories/open_model_zoo
#   curl -O $OMZ/2021.4/models_bin/3/vehicle-attributes-recognition-barrier-0039/FP32/vehicle-attributes-recognition-barrier-0039.{xml,bin}
#   curl -O $OMZ/2020.2/models_bin/1/age-gender-recognition-retail-0013/FP16-INT8/age-gender-recognition-retail-0013.{xml,bin}
#   (check xml/bin against the sha256/sha384 in OMZ's models/intel/<name>/model.yml), then
#   python3 ir2onnx.py <name>.xml <name>.bin models/<name>.onnx 11
#   curl -O https://raw.githubusercontent.com/microsoft/Windows-Machine-Learning/master/SharedContent/models/SqueezeNet_fp16.onnx
#   python3 fp16_to_fp32.py SqueezeNet_fp16.onnx models/squeezenet1.1-fp32.onnx
# The label files are short lists written from OMZ's model descriptions (type: car bus truck van; colour: white gray
# yellow red green blue black; gender: female male) and the ImageNet-1k synset names; the hashes below are theirs.
# Without them the classifier tests fail with the missing file's name; nothing else needs them.
classifiers=(
  "vehicle-attributes-recognition-barrier-0039.onnx|b1192360d546722d571e825dbf739b4adfa12da95bf78c30bcf17f08fcfe8598"
  "vehicle-attributes-recognition-barrier-0039.type.txt|91e06a0e0768245c11c729802412ac6455eb018262d5be79585dcb6f03e85e80"
  "vehicle-attributes-recognition-barrier-0039.color.txt|9a7df7afd7570a4209b4f5799ee79cdb62c9b42da733a5eda53507996a3dff29"
  "age-gender-recognition-retail-0013.onnx|0bab05376ad0187fee46e96642c0c203e7b1b588ec18255eb5ebd7f8702ec16c"
  "age-gender-recognition-retail-0013.gender.txt|a3f9910841660f1b9f5f9f6f051fb294eee00fef4bc430abc6dd7f2c927d4ffb"
  "squeezenet1.1-fp32.onnx|7d1096331db98c1ece4b5c37be6c97d5885cae6dab7dca8b8c8f28f7562dd23f"
  "imagenet_labels.txt|4eb3da435cf544e4a6f390f62c84cb9c9bb68cf8b14e97f8a063452382e5efd2"
)
for entry in "${classifiers[@]}"; do
  IFS='|' read -r file sum <<<"$entry"
  target="$dest/$file"
  if [[ ! -f "$target" || "$(sha "$target")" != "$sum" ]]; then
    if [[ -f "$shared/$file" ]]; then
      cp "$shared/$file" "$target.tmp" && mv "$target.tmp" "$target"
      echo "models: $file from $shared"
    else
      echo "models: WARNING: $file is missing; see the comment above 'classifiers=' in $0 for how to make it" >&2
      continue
    fi
  fi
  if [[ "$(sha "$target")" != "$sum" ]]; then
    echo "models: ERROR: $file has SHA-256 $(sha "$target"), expected $sum" >&2
    exit 1
  fi
done
echo "models: ready in $dest"

#!/usr/bin/env bash
# How the images build the .NET apps, in one place: the Dockerfiles run this script and scripts/check-deploy.sh
# runs it outside Docker, so the two cannot drift apart.
#
#   publish.sh restore PROJECT [dotnet args...]        restore for the image's runtime identifier
#   publish.sh publish PROJECT OUT [dotnet args...]    framework-dependent publish to OUT (after restore)
#   publish.sh strip-inference OUT                     drop the native inference libraries (API image)
#
# Extra arguments go to both restore and publish and must be the same for both, e.g. -p:OnnxRuntimeFlavor=Gpu
# (the package switch changes what restore resolves).
set -euo pipefail

# linux-x64 only: OpenCvSharp's official native runtime package ships no arm64 build.
rid=linux-x64

cmd="${1:?usage: publish.sh restore|publish|strip-inference ...}"
shift
case "$cmd" in
  restore)
    project="${1:?project}"; shift
    dotnet restore "$project" -r "$rid" -nologo "$@"
    ;;
  publish)
    project="${1:?project}"; out="${2:?output folder}"; shift 2
    # Framework-dependent: the base image brings the runtime, so images share its layers.
    # No apphost: the entry point is `dotnet X.dll`. English only: Hangfire's satellite resources are not needed.
    dotnet publish "$project" --no-restore -nologo -c Release -r "$rid" --self-contained false \
      -p:UseAppHost=false -p:SatelliteResourceLanguages=en -o "$out" "$@"
    ;;
  strip-inference)
    out="${1:?output folder}"
    # The API references Processing (for Api:RunWorkers=true) and so carries OpenCV and ONNX Runtime natives,
    # about 140 MB that an enqueue-only API never loads. The managed wrappers stay: they load natives lazily.
    found=0
    for lib in "$out"/libOpenCvSharpExtern.so "$out"/libonnxruntime*.so; do
      [[ -e "$lib" ]] || continue
      rm -f "$lib"
      found=$((found + 1))
    done
    if [[ $found -eq 0 ]]; then
      echo "publish.sh: no native inference library found in $out (renamed by a package update?)" >&2
      exit 1
    fi
    ;;
  *)
    echo "publish.sh: unknown command '$cmd'" >&2
    exit 2
    ;;
esac

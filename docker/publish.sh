#!/usr/bin/env bash
# How the images build the .NET apps, in one place: the Dockerfiles run this script and scripts/check-deploy.sh
# runs it outside Docker, so the two cannot drift apart.
#
#   publish.sh restore PROJECT [dotnet args...]        restore for the image's runtime identifier, locked (Cpu)
#   publish.sh publish PROJECT OUT [dotnet args...]    framework-dependent publish to OUT (after restore)
#
# Extra arguments go to both restore and publish and must be the same for both, e.g. -p:OnnxRuntimeFlavor=Gpu
# (the package switch changes what restore resolves).
set -euo pipefail

# linux-x64 only: OpenCvSharp's official native runtime package ships no arm64 build.
rid=linux-x64

cmd="${1:?usage: publish.sh restore|publish ...}"
shift
case "$cmd" in
  restore)
    project="${1:?project}"; shift
    # Locked to the committed packages.lock.json files (the Dockerfiles copy them beside the project files): a
    # graph that differs from them fails the build instead of publishing other packages than the ones tested.
    # Not the Gpu flavour: it swaps the ONNX Runtime package, and the lock files hold the Cpu graph only.
    locked=(--locked-mode)
    for arg in "$@"; do
      case "$arg" in
        [-/]p:OnnxRuntimeFlavor=Gpu | [-/]property:OnnxRuntimeFlavor=Gpu) locked=() ;;
      esac
    done
    dotnet restore "$project" -r "$rid" -nologo "${locked[@]}" "$@"
    ;;
  publish)
    project="${1:?project}"; out="${2:?output folder}"; shift 2
    # Framework-dependent: the base image brings the runtime, so images share its layers.
    # No apphost: the entry point is `dotnet X.dll`. English only: Hangfire's satellite resources are not needed.
    dotnet publish "$project" --no-restore -nologo -c Release -r "$rid" --self-contained false \
      -p:UseAppHost=false -p:SatelliteResourceLanguages=en -o "$out" "$@"
    ;;
  *)
    echo "publish.sh: unknown command '$cmd'" >&2
    exit 2
    ;;
esac

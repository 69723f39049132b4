#!/usr/bin/env bash
# Installs the system packages FaceObject needs on Debian/Ubuntu, only those that are missing:
# libgtk-3-0 (OpenCvSharp's native runtime links it), ffmpeg (live streams read RTSP and HTTP cameras through it) and,
# with --with-redis (everything the tests need): python3-gi with gst-rtsp-server and the GStreamer plugins (the tests'
# real RTSP camera, tests/FaceObject.Testing/Cameras/rtsp_server.py),
# redis-server, postgresql (the pipeline-record tests initdb their own server), rabbitmq-server (the message-ingestion tests start their own broker), chromium (the browser tests of the try-it page) and Node.js with npm (they drive it; the S3 tests'
# s3rver runs on it too), and python3-onnx + python3-numpy (the format tests build tiny Ultralytics/RT-DETR-shaped
# ONNX graphs with tests/FaceObject.Inference.Tests/FormatModels/make_format_models.py).
set -euo pipefail
packages=()
dpkg -s libgtk-3-0 >/dev/null 2>&1 || packages+=(libgtk-3-0)
command -v ffmpeg >/dev/null 2>&1 || packages+=(ffmpeg)
if [[ "${1:-}" == "--with-redis" ]]; then
  for package in python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly; do
    dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
  done
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  # The tests run Debian 12's PostgreSQL 15 binaries from /usr/lib/postgresql/15/bin (tests/FaceObject.Testing/PostgresServer.cs).
  [[ -x /usr/lib/postgresql/15/bin/postgres ]] || packages+=(postgresql)
  dpkg -s rabbitmq-server >/dev/null 2>&1 || packages+=(rabbitmq-server)
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  # The deployment checks (scripts/check-deploy.sh): promtool tests the alert rules, amtool checks the Alertmanager routes.
  command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
  command -v amtool >/dev/null 2>&1 || packages+=(prometheus-alertmanager)
  # readelf: the GPU image's check of the CUDA libraries its ONNX Runtime provider links (skipped without it).
  command -v readelf >/dev/null 2>&1 || packages+=(binutils)
  for package in python3-onnx python3-numpy; do
    dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
  done
fi
[[ ${#packages[@]} -eq 0 ]] && exit 0

sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
echo "deps: installing ${packages[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

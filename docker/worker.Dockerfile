# syntax=docker/dockerfile:1
# FaceObject worker (CPU): a Hangfire server for the queues in Worker__QueueList (e.g. "face"; empty serves every
# model queue). It loads only those queues' models at start, runs a warm-up inference, then takes jobs.
# Build from the repository root:
#
#   docker build -f docker/worker.Dockerfile -t faceobject/worker .
#   docker build -f docker/worker.Dockerfile --build-arg BAKE_MODELS=true -t faceobject/worker:baked .
#
# Models: /app/models is empty for a volume to mount over (read-only is enough), unless BAKE_MODELS=true copies
# ./models from the build context (fill it with scripts/fetch-models.sh). Baked images suit Kubernetes: the model
# version then travels with the image tag.
# Metrics and liveness: http://:9091/metrics and /livez (Worker__MetricsPort).

ARG DOTNET_VERSION=10.0
ARG BAKE_MODELS=false

# ---- build: restore on the project files alone, so a source change reuses the restore layer ----
# Each project comes with its packages.lock.json: publish.sh restores in locked mode, so the image gets exactly
# the committed package graph, or the build fails.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /src
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY docker/publish.sh docker/
COPY src/Directory.Build.targets src/
# Every project the worker references, directly or not (scripts/check-deploy.sh checks this list).
COPY src/FaceObject.Core/FaceObject.Core.csproj src/FaceObject.Core/packages.lock.json src/FaceObject.Core/
COPY src/FaceObject.Storage/FaceObject.Storage.csproj src/FaceObject.Storage/packages.lock.json src/FaceObject.Storage/
COPY src/FaceObject.Inference/FaceObject.Inference.csproj src/FaceObject.Inference/packages.lock.json src/FaceObject.Inference/
COPY src/FaceObject.SafeHttp/FaceObject.SafeHttp.csproj src/FaceObject.SafeHttp/packages.lock.json src/FaceObject.SafeHttp/
COPY src/FaceObject.Processing/FaceObject.Processing.csproj src/FaceObject.Processing/packages.lock.json src/FaceObject.Processing/
COPY src/FaceObject.Tracking/FaceObject.Tracking.csproj src/FaceObject.Tracking/packages.lock.json src/FaceObject.Tracking/
COPY src/FaceObject.Streaming/FaceObject.Streaming.csproj src/FaceObject.Streaming/packages.lock.json src/FaceObject.Streaming/
COPY src/FaceObject.ServiceDefaults/FaceObject.ServiceDefaults.csproj src/FaceObject.ServiceDefaults/packages.lock.json src/FaceObject.ServiceDefaults/
COPY src/FaceObject.Worker/FaceObject.Worker.csproj src/FaceObject.Worker/packages.lock.json src/FaceObject.Worker/
RUN docker/publish.sh restore src/FaceObject.Worker/FaceObject.Worker.csproj
COPY src/ src/
RUN docker/publish.sh publish src/FaceObject.Worker/FaceObject.Worker.csproj /app

# ---- models: empty by default (a volume mounts over /app/models), or ./models with BAKE_MODELS=true ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS models-false
RUN mkdir -p /models

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS models-true
COPY models/ /models/
RUN ls /models/*.onnx >/dev/null 2>&1 \
 || { echo "BAKE_MODELS=true but ./models holds no .onnx file: run scripts/fetch-models.sh first" >&2; exit 1; }

FROM models-${BAKE_MODELS} AS models

# ---- runtime ----
# linux/amd64 only: the published app carries x64 natives (see docker/publish.sh).
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble AS final
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="faceobject-worker" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# OpenCV's native library links GTK and friends even though nothing here opens a window. The list is the
# NEEDED entries of libOpenCvSharpExtern.so outside the base image, as Ubuntu 24.04 packages; apt brings the
# rest. scripts/check-deploy.sh fails when a package update adds a library this list does not cover.
# ffmpeg: stream workers read RTSP and MJPEG cameras through it as a child process (OpenCV's bundled FFmpeg has no
# network protocols).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgtk-3-0t64 libfreetype6 libharfbuzz0b libdrm2 libatomic1 libx11-6 ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Owned by root and read-only for the app user: the process cannot rewrite its own code or models.
COPY --from=build /app ./
COPY --from=models /models/ ./models/
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
ENV Worker__MetricsPort=9091
# APP_UID (1654) is the non-root "app" user the .NET images provide.
USER $APP_UID
EXPOSE 9091
# On SIGTERM (docker stop, Kubernetes) the worker stops fetching and lets the job in hand finish within
# Worker__ShutdownTimeout (30 s): give the container a longer stop grace period than that.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "9091", "/livez"]
ENTRYPOINT ["dotnet", "FaceObject.Worker.dll"]

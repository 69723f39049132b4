# syntax=docker/dockerfile:1
# FaceObject worker for NVIDIA GPUs: the same worker built with -p:OnnxRuntimeFlavor=Gpu (the
# Microsoft.ML.OnnxRuntime.Gpu package, CUDA execution provider) on an NVIDIA CUDA + cuDNN runtime base.
#
#   docker build -f docker/worker-gpu.Dockerfile -t faceobject/worker-gpu .
#   docker run --gpus all -e Worker__QueueList=object -e ConnectionStrings__Redis=... faceobject/worker-gpu
#
# The host needs an NVIDIA driver new enough for CUDA_IMAGE's CUDA version (580+ for CUDA 13) and the NVIDIA
# Container Toolkit. CUDA_IMAGE must match the CUDA and cuDNN majors the ONNX Runtime GPU package links: the 1.32
# NuGet package's CUDA provider needs libcudart.so.13 and libcublas.so.13, its TensorRT one libcudnn.so.9, so CUDA
# 13.x with cuDNN 9 (any CUDA 13 minor works, another major does not). scripts/check-deploy.sh compares the
# published provider's libraries with this tag; check them whenever Microsoft.ML.OnnxRuntime.Gpu is bumped.
# 13.1.1-cudnn-runtime-ubuntu24.04 is a published Docker Hub tag (NVIDIA's -cudnn-runtime- naming, the same Ubuntu
# 24.04 as Microsoft's noble .NET images); pin its digest (@sha256:...) in production builds.
# Models: as in worker.Dockerfile (volume at /app/models, or BAKE_MODELS=true).

ARG DOTNET_VERSION=10.0
ARG BAKE_MODELS=false
ARG CUDA_IMAGE=nvidia/cuda:13.1.1-cudnn-runtime-ubuntu24.04

# ---- build: restore on the project files alone, so a source change reuses the restore layer ----
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /src
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY docker/publish.sh docker/
COPY src/Directory.Build.targets src/
# Every project the worker references, directly or not (scripts/check-deploy.sh checks this list).
# No packages.lock.json: the lock files hold the Cpu graph (Microsoft.ML.OnnxRuntime), and this flavour resolves
# Microsoft.ML.OnnxRuntime.Gpu instead, so publish.sh restores it unlocked; the version is still the one pinned in
# Directory.Packages.props, exactly (NU1603 is an error).
COPY src/FaceObject.Core/FaceObject.Core.csproj src/FaceObject.Core/
COPY src/FaceObject.Storage/FaceObject.Storage.csproj src/FaceObject.Storage/
COPY src/FaceObject.Inference/FaceObject.Inference.csproj src/FaceObject.Inference/
COPY src/FaceObject.SafeHttp/FaceObject.SafeHttp.csproj src/FaceObject.SafeHttp/
COPY src/FaceObject.Processing/FaceObject.Processing.csproj src/FaceObject.Processing/
COPY src/FaceObject.Tracking/FaceObject.Tracking.csproj src/FaceObject.Tracking/
COPY src/FaceObject.Streaming/FaceObject.Streaming.csproj src/FaceObject.Streaming/
COPY src/FaceObject.ServiceDefaults/FaceObject.ServiceDefaults.csproj src/FaceObject.ServiceDefaults/
COPY src/FaceObject.Worker/FaceObject.Worker.csproj src/FaceObject.Worker/
# The flavour switch changes which package restore resolves, so restore and publish both get it.
RUN docker/publish.sh restore src/FaceObject.Worker/FaceObject.Worker.csproj -p:OnnxRuntimeFlavor=Gpu
COPY src/ src/
RUN docker/publish.sh publish src/FaceObject.Worker/FaceObject.Worker.csproj /app -p:OnnxRuntimeFlavor=Gpu

# ---- models: empty by default (a volume mounts over /app/models), or ./models with BAKE_MODELS=true ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS models-false
RUN mkdir -p /models

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS models-true
COPY models/ /models/
RUN ls /models/*.onnx >/dev/null 2>&1 \
 || { echo "BAKE_MODELS=true but ./models holds no .onnx file: run scripts/fetch-models.sh first" >&2; exit 1; }

FROM models-${BAKE_MODELS} AS models

# The ASP.NET Core runtime (the worker serves its probes and metrics over HTTP) comes from Microsoft's image of the same Ubuntu release (24.04) as the CUDA base, so the
# files match the system libraries they load; no package feed is needed.
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble AS dotnet

# ---- runtime ----
FROM --platform=linux/amd64 ${CUDA_IMAGE} AS final
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="faceobject-worker-gpu" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# .NET's own needs (certificates, OpenSSL, time zones; no ICU: the apps run globalization-invariant), then the
# libraries OpenCV's native library links (see worker.Dockerfile).
# ffmpeg: stream workers read RTSP and MJPEG cameras through it as a child process (OpenCV's bundled FFmpeg has no
# network protocols).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata \
      libgtk-3-0t64 libfreetype6 libharfbuzz0b libdrm2 libatomic1 libx11-6 ffmpeg \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app \
 && useradd --uid 1654 --gid app --shell /usr/sbin/nologin --create-home app
WORKDIR /app
COPY --from=build /app ./
COPY --from=models /models/ ./models/
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
# Device=cuda: on a node where CUDA does not start, fail at start-up with a clear message instead of quietly
# running on the CPU ("auto" would fall back). Override per model with Models__{key}__Device.
ENV DOTNET_RUNNING_IN_CONTAINER=true \
    APP_UID=1654 \
    Worker__MetricsPort=9091 \
    Models__face__Device=cuda \
    Models__object__Device=cuda \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 1654
EXPOSE 9091
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "9091", "/livez"]
ENTRYPOINT ["dotnet", "FaceObject.Worker.dll"]

# syntax=docker/dockerfile:1
# FaceObject API (src/FaceObject.Api): validates uploads, enqueues on the model's Hangfire queue, serves task status,
# the Hangfire dashboard, OpenAPI and /metrics. It references no inference code, so the image carries no ONNX Runtime
# or OpenCV. Build from the repository root:
#
#   docker build -f docker/api.Dockerfile -t faceobject/api .
#
# Build arguments:
#   ALL_IN_ONE=true   publish the all-in-one host (src/FaceObject.AllInOne) instead, with the inference libraries'
#                     system packages: a single container that also processes the queues (a trial, not the scalable
#                     setup; in memory unless ConnectionStrings__Redis is set); it needs models, mounted at
#                     /app/models or baked in.
#   BAKE_MODELS=true  copy ./models (fill it with scripts/fetch-models.sh) into /app/models; only useful with ALL_IN_ONE.
# The default image only enqueues and needs ConnectionStrings__Redis: workers run from docker/worker.Dockerfile.

ARG DOTNET_VERSION=10.0
ARG BAKE_MODELS=false
ARG ALL_IN_ONE=false

# ---- build: restore on the project files alone, so a source change reuses the restore layer ----
# Each project comes with its packages.lock.json: publish.sh restores in locked mode, so the image gets exactly
# the committed package graph, or the build fails.
# build-false (the default) publishes the API; build-true the all-in-one host. BuildKit builds only the one chosen.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build-false
WORKDIR /src
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY docker/publish.sh docker/
COPY src/Directory.Build.targets src/
# Every project the API references, directly or not, and no other (scripts/check-deploy.sh checks this list).
COPY src/FaceObject.Core/FaceObject.Core.csproj src/FaceObject.Core/packages.lock.json src/FaceObject.Core/
COPY src/FaceObject.Storage/FaceObject.Storage.csproj src/FaceObject.Storage/packages.lock.json src/FaceObject.Storage/
COPY src/FaceObject.SafeHttp/FaceObject.SafeHttp.csproj src/FaceObject.SafeHttp/packages.lock.json src/FaceObject.SafeHttp/
COPY src/FaceObject.ServiceDefaults/FaceObject.ServiceDefaults.csproj src/FaceObject.ServiceDefaults/packages.lock.json src/FaceObject.ServiceDefaults/
COPY src/FaceObject.Tracking/FaceObject.Tracking.csproj src/FaceObject.Tracking/packages.lock.json src/FaceObject.Tracking/
COPY src/FaceObject.Api/FaceObject.Api.csproj src/FaceObject.Api/packages.lock.json src/FaceObject.Api/
RUN docker/publish.sh restore src/FaceObject.Api/FaceObject.Api.csproj
COPY src/ src/
RUN docker/publish.sh publish src/FaceObject.Api/FaceObject.Api.csproj /app

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build-true
WORKDIR /src
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY docker/publish.sh docker/
COPY src/Directory.Build.targets src/
# Every project the all-in-one host references, directly or not (scripts/check-deploy.sh checks this list too).
COPY src/FaceObject.Core/FaceObject.Core.csproj src/FaceObject.Core/packages.lock.json src/FaceObject.Core/
COPY src/FaceObject.Storage/FaceObject.Storage.csproj src/FaceObject.Storage/packages.lock.json src/FaceObject.Storage/
COPY src/FaceObject.SafeHttp/FaceObject.SafeHttp.csproj src/FaceObject.SafeHttp/packages.lock.json src/FaceObject.SafeHttp/
COPY src/FaceObject.ServiceDefaults/FaceObject.ServiceDefaults.csproj src/FaceObject.ServiceDefaults/packages.lock.json src/FaceObject.ServiceDefaults/
COPY src/FaceObject.Api/FaceObject.Api.csproj src/FaceObject.Api/packages.lock.json src/FaceObject.Api/
COPY src/FaceObject.Inference/FaceObject.Inference.csproj src/FaceObject.Inference/packages.lock.json src/FaceObject.Inference/
COPY src/FaceObject.Processing/FaceObject.Processing.csproj src/FaceObject.Processing/packages.lock.json src/FaceObject.Processing/
COPY src/FaceObject.Tracking/FaceObject.Tracking.csproj src/FaceObject.Tracking/packages.lock.json src/FaceObject.Tracking/
COPY src/FaceObject.Streaming/FaceObject.Streaming.csproj src/FaceObject.Streaming/packages.lock.json src/FaceObject.Streaming/
COPY src/FaceObject.AllInOne/FaceObject.AllInOne.csproj src/FaceObject.AllInOne/packages.lock.json src/FaceObject.AllInOne/
RUN docker/publish.sh restore src/FaceObject.AllInOne/FaceObject.AllInOne.csproj
COPY src/ src/
RUN docker/publish.sh publish src/FaceObject.AllInOne/FaceObject.AllInOne.csproj /app

FROM build-${ALL_IN_ONE} AS build

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
ARG ALL_IN_ONE
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="faceobject-api" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# OpenCV's native library links GTK and friends even though nothing here opens a window; only the all-in-one
# image loads it. The list comes from readelf on libOpenCvSharpExtern.so (Ubuntu 24.04 package names).
# The all-in-one image also reads cameras, through ffmpeg as a child process.
RUN if [ "$ALL_IN_ONE" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends libgtk-3-0t64 libfreetype6 libharfbuzz0b libdrm2 libatomic1 libx11-6 ffmpeg \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
# Owned by root and read-only for the app user: the process cannot rewrite its own code.
COPY --from=build /app ./
COPY --from=models /models/ ./models/
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
ENV ASPNETCORE_HTTP_PORTS=8080 \
    FACEOBJECT_ALL_IN_ONE=${ALL_IN_ONE}
# APP_UID (1654) is the non-root "app" user the .NET images provide.
USER $APP_UID
EXPOSE 8080
# Liveness, not readiness: a Redis outage makes /readyz fail on every replica, and restarting them cannot help.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "8080", "/livez"]
# The shell only picks the host that was published and execs it: dotnet is PID 1 and gets SIGTERM.
ENTRYPOINT ["/bin/sh", "-c", "[ \"$FACEOBJECT_ALL_IN_ONE\" = true ] && exec dotnet FaceObject.AllInOne.dll \"$@\"; exec dotnet FaceObject.Api.dll \"$@\"", "faceobject"]

#!/usr/bin/env python3
"""Static checks of FaceObject's deployment files, called by scripts/check-deploy.sh.

Each command prints one "ok: ..." line per passed check and one "FAIL: ..." line per failure, and exits 1 when
anything failed. Needs PyYAML (Debian: python3-yaml).

  check_deploy.py context ROOT DEST              copy the Docker build context (as .dockerignore filters it) to DEST
  check_deploy.py dockerfiles ROOT               Dockerfile structure, COPY sources, restore-layer project files
  check_deploy.py publish-commands DOCKERFILE    the docker/publish.sh lines the Dockerfile runs, output as "$OUT"
  check_deploy.py publish-output KIND DIR ROOT   what a publish produced (KIND: api, worker or worker-gpu)
  check_deploy.py compose ROOT SMALL SCALABLE    rendered `docker-compose config` output of both files
  check_deploy.py k8s ROOT [NAME=RENDERED ...]   the manifests, and the kustomize builds of the overlays
                                                 (NAME+ingest: built with the ingest components)
  check_deploy.py monitoring ROOT                metric names in the Grafana dashboard and the alert rules
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

failures = 0


def ok(message: str) -> None:
    print(f"ok: {message}")


def fail(message: str) -> None:
    global failures
    failures += 1
    print(f"FAIL: {message}")


def check(condition: bool, message: str, detail: str = "") -> bool:
    if condition:
        ok(message)
    else:
        fail(f"{message}{': ' + detail if detail else ''}")
    return condition


# The metric contract of docs/operations.md; histograms also expose _bucket, _sum and _count.
COUNTERS = {"faceobject_tasks_submitted_total", "faceobject_tasks_completed_total", "faceobject_tasks_failed_total",
            "faceobject_ingest_messages_total"}
HISTOGRAMS = {"faceobject_queue_wait_seconds", "faceobject_inference_seconds", "faceobject_end_to_end_seconds"}
GAUGES = {"faceobject_queue_depth", "faceobject_queue_processing", "faceobject_workers", "faceobject_model_info"}
KNOWN_METRICS = COUNTERS | GAUGES | {h + s for h in HISTOGRAMS for s in ("_bucket", "_sum", "_count")}

MODEL_QUEUES = ("face", "object")
WORKER_METRICS_PORT = 9091

# NEEDED entries of the native inference libraries -> the Ubuntu 24.04 package the worker image installs for it.
# Libraries GTK depends on come with libgtk-3-0t64; "base" ones are in every .NET runtime image.
NATIVE_PACKAGES = {
    "libfreetype.so.6": "libfreetype6",
    "libharfbuzz.so.0": "libharfbuzz0b",
    "libgtk-3.so.0": "libgtk-3-0t64",
    "libgdk-3.so.0": "libgtk-3-0t64",
    "libpangocairo-1.0.so.0": "libgtk-3-0t64",
    "libpango-1.0.so.0": "libgtk-3-0t64",
    "libatk-1.0.so.0": "libgtk-3-0t64",
    "libcairo-gobject.so.2": "libgtk-3-0t64",
    "libcairo.so.2": "libgtk-3-0t64",
    "libgdk_pixbuf-2.0.so.0": "libgtk-3-0t64",
    "libgio-2.0.so.0": "libgtk-3-0t64",
    "libgobject-2.0.so.0": "libgtk-3-0t64",
    "libglib-2.0.so.0": "libgtk-3-0t64",
    "libdrm.so.2": "libdrm2",
    "libatomic.so.1": "libatomic1",
    "libX11.so.6": "libx11-6",
}
BASE_LIBS = {"libm.so.6", "librt.so.1", "libpthread.so.0", "libdl.so.2", "libstdc++.so.6", "libgcc_s.so.1",
             "libc.so.6", "ld-linux-x86-64.so.2"}

DOCKERFILES = {"api": "docker/api.Dockerfile", "worker": "docker/worker.Dockerfile",
               "worker-gpu": "docker/worker-gpu.Dockerfile"}
PROJECTS = {"api": "src/FaceObject.Api/FaceObject.Api.csproj", "worker": "src/FaceObject.Worker/FaceObject.Worker.csproj",
            "worker-gpu": "src/FaceObject.Worker/FaceObject.Worker.csproj"}
# What docker/api.Dockerfile publishes with ALL_IN_ONE=true (its build-true stage).
ALL_IN_ONE_PROJECT = "src/FaceObject.AllInOne/FaceObject.AllInOne.csproj"
# The images docker/publish.sh restores in locked mode (the Cpu flavour); worker-gpu's graph is not in the lock files.
LOCKED_KINDS = ("api", "worker")


def lock_file(project: str) -> str:
    return f"{os.path.dirname(project)}/packages.lock.json"


def is_variant_stage(stage: dict) -> bool:
    """A stage chosen by a build argument set to true (build-true, models-true): not on the default build's path."""
    return bool(stage["name"]) and stage["name"].endswith("-true")


# ---------------------------------------------------------------- Docker build context (.dockerignore)

def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def dockerignore_rules(root: Path) -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in (root / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip("/"))
        rules.append((negate, _pattern_regex(pattern)))
    return rules


def in_context(rel: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: the last matching pattern wins, and a pattern matching a parent folder matches its files."""
    parts = rel.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    included = True
    for negate, regex in rules:
        if any(regex.match(c) for c in candidates):
            included = negate
    return included


def context_files(root: Path) -> list[str]:
    rules = dockerignore_rules(root)
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if in_context(rel, rules):
                files.append(rel)
    return sorted(files)


def cmd_context(root: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    files = context_files(root)
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
    secrets = [f for f in files if f == ".env" or f.startswith(".git/")]
    check(not secrets, "the build context leaves out .env and .git", ", ".join(secrets))
    check(not any(re.search(r"(^|/)(bin|obj)/", f) for f in files), "the build context leaves out bin/ and obj/")
    ok(f"build context: {len(files)} files copied to {dest}")


# ---------------------------------------------------------------- Dockerfiles

def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions = []
    pending = ""
    for raw in path.read_text().splitlines():
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        line = pending + stripped
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def run_commands(path: Path) -> list[str]:
    return [rest for keyword, rest in dockerfile_instructions(path) if keyword == "RUN"]


def stages(instructions: list[tuple[str, str]]) -> list[dict]:
    result = []
    for keyword, rest in instructions:
        if keyword == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append({"image": words[0], "name": name, "instructions": []})
        elif result:
            result[-1]["instructions"].append((keyword, rest))
    return result


def copy_sources(rest: str) -> tuple[list[str], bool]:
    words = shlex.split(rest)
    from_stage = any(w.startswith("--from") for w in words)
    paths = [w for w in words if not w.startswith("--")]
    return paths[:-1], from_stage


def project_closure(root: Path, project: str) -> set[str]:
    seen: set[str] = set()
    todo = [project]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        path = root / current
        if not path.exists():
            continue
        for include in re.findall(r'<ProjectReference\s+Include="([^"]+)"', path.read_text()):
            ref = os.path.normpath(os.path.join(os.path.dirname(current), include.replace("\\", "/")))
            todo.append(ref.replace(os.sep, "/"))
    return seen


def cmd_dockerfiles(root: Path) -> None:
    files = set(context_files(root))
    dirs = {"/".join(f.split("/")[:i]) for f in files for i in range(1, f.count("/") + 1)}
    for kind, rel in DOCKERFILES.items():
        path = root / rel
        if not check(path.exists(), f"{rel} exists"):
            continue
        instructions = dockerfile_instructions(path)
        all_stages = stages(instructions)
        final = all_stages[-1]
        final_keywords = [k for k, _ in final["instructions"]]
        check(len(all_stages) >= 2 and any("/dotnet/sdk:" in s["image"] for s in all_stages),
              f"{rel}: multi-stage, built in the .NET SDK image")
        users = [r for k, r in final["instructions"] if k == "USER"]
        check(bool(users) and users[-1] not in ("root", "0", "0:0"), f"{rel}: the final stage runs as a non-root user",
              f"USER {users[-1] if users else '(none)'}")
        check("HEALTHCHECK" in final_keywords, f"{rel}: the final stage has a HEALTHCHECK")
        entry = [r for k, r in final["instructions"] if k == "ENTRYPOINT"]
        check(bool(entry) and entry[-1].startswith("["), f"{rel}: exec-form ENTRYPOINT (the app is PID 1 and gets SIGTERM)")
        check("/dotnet/sdk:" not in final["image"], f"{rel}: the final image is not the SDK")
        check(any(k == "COPY" and "--from=models" in r for k, r in final["instructions"]) and
              any(s["name"] == "models-true" for s in all_stages) and any(s["name"] == "models-false" for s in all_stages),
              f"{rel}: models from a volume by default, baked with BAKE_MODELS=true")

        missing = []
        copied_projects = set()
        default_projects = set()
        # Lock files count only when copied before the stage's restore: `COPY src/ src/` after it is too late.
        copied_locks = set()
        default_locks = set()
        for stage in all_stages:
            restored = False
            for keyword, rest in stage["instructions"]:
                if keyword == "RUN" and re.search(r"publish\.sh\s+restore\b", rest):
                    restored = True
                if keyword not in ("COPY", "ADD"):
                    continue
                sources, from_stage = copy_sources(rest)
                if from_stage:
                    continue
                for source in sources:
                    clean = source.rstrip("/")
                    if clean.endswith(".csproj"):
                        copied_projects.add(clean)
                        if not is_variant_stage(stage):
                            default_projects.add(clean)
                    if clean.endswith("/packages.lock.json") and not restored:
                        copied_locks.add(clean)
                        if not is_variant_stage(stage):
                            default_locks.add(clean)
                    if clean.startswith("models"):
                        continue  # only sent with BAKE_MODELS=true; the models-true stage checks it has files
                    if clean not in files and clean not in dirs:
                        missing.append(source)
        check(not missing, f"{rel}: every COPY source is in the build context (.dockerignore)", ", ".join(missing))
        closure = project_closure(root, PROJECTS[kind])
        absent = sorted(closure - default_projects)
        check(not absent, f"{rel}: the restore layer copies every project {PROJECTS[kind].split('/')[-1]} references",
              "missing " + ", ".join(absent))
        if kind == "api":
            extra = sorted(default_projects - closure)
            check(not extra, f"{rel}: the API's restore layer copies only the projects the API references",
                  "also copies " + ", ".join(extra))
            all_in_one = project_closure(root, ALL_IN_ONE_PROJECT)
            absent = sorted(all_in_one - copied_projects)
            check(not absent, f"{rel}: with ALL_IN_ONE=true the restore layer copies every project {ALL_IN_ONE_PROJECT.split('/')[-1]} references",
                  "missing " + ", ".join(absent))
            closure |= all_in_one
        unknown = sorted(p for p in closure if not (root / p).exists())
        check(not unknown, f"{rel}: every referenced project exists in src/", ", ".join(unknown))
        if kind in LOCKED_KINDS:
            # publish.sh restores these in locked mode, which needs each project's lock file beside it.
            lock_files = {lock_file(p) for p in project_closure(root, PROJECTS[kind])}
            absent = sorted(lock_files - default_locks)
            if kind == "api":
                absent += sorted({lock_file(p) for p in project_closure(root, ALL_IN_ONE_PROJECT)} - copied_locks)
            check(not absent, f"{rel}: the restore layer copies the packages.lock.json of every project it restores",
                  "missing " + ", ".join(sorted(set(absent))))
            unknown = sorted(f for f in lock_files if not (root / f).exists())
            check(not unknown, f"{rel}: every restored project has a committed packages.lock.json", ", ".join(unknown))
        else:
            copied = sorted(copied_locks)
            check(not copied, f"{rel}: copies no lock file (the Gpu flavour restores unlocked)", ", ".join(copied))
        if kind == "worker-gpu":
            runs = run_commands(path)
            restore = next((m for r in runs if (m := re.search(r"publish\.sh restore [^&;|]*", r))), None)
            publish = next((m for r in runs if (m := re.search(r"publish\.sh publish [^&;|]*", r))), None)
            check(bool(restore and publish and "-p:OnnxRuntimeFlavor=Gpu" in restore.group(0)
                       and "-p:OnnxRuntimeFlavor=Gpu" in publish.group(0)),
                  f"{rel}: restore and publish both pass -p:OnnxRuntimeFlavor=Gpu")
            check("cuda" in final["image"].lower() or "CUDA_IMAGE" in final["image"],
                  f"{rel}: runs on the NVIDIA CUDA base")
            check(any(k == "COPY" and "--from=dotnet" in r for k, r in final["instructions"]),
                  f"{rel}: brings the .NET runtime from Microsoft's runtime image")


def check_locked_restore(root: Path) -> None:
    """publish.sh's restore is locked unless the Gpu flavour is asked for, and the CPU images do not ask for it."""
    script = (root / "docker/publish.sh").read_text()
    check("--locked-mode" in script and "OnnxRuntimeFlavor=Gpu" in script,
          "docker/publish.sh restores in locked mode (all but the Gpu flavour)")
    for kind in LOCKED_KINDS:
        runs = run_commands(root / DOCKERFILES[kind])
        gpu = [r for r in runs if re.search(r"publish\.sh\s+restore\b", r) and "OnnxRuntimeFlavor=Gpu" in r]
        check(not gpu, f"{DOCKERFILES[kind]}: its restore is the locked (Cpu) one", "; ".join(gpu))


def cmd_publish_commands(dockerfile: Path) -> None:
    """The publish.sh calls of the default build (build arguments at their defaults), to run outside Docker."""
    runs = [rest for stage in stages(dockerfile_instructions(dockerfile)) if not is_variant_stage(stage)
            for keyword, rest in stage["instructions"] if keyword == "RUN"]
    for run in runs:
        for match in re.finditer(r"docker/publish\.sh\s+(restore|publish)\s+([^&;|]*)", run):
            words = shlex.split(match.group(2))
            words = ['"$OUT"' if w == "/app" else shlex.quote(w) for w in words]
            print(" ".join(["docker/publish.sh", match.group(1)] + words))


# ---------------------------------------------------------------- publish output

def runtime_frameworks(dockerfile: Path) -> set[str]:
    images = " ".join(s["image"] for s in stages(dockerfile_instructions(dockerfile)))
    allowed = {"Microsoft.NETCore.App"}
    if "/dotnet/aspnet:" in images:
        allowed.add("Microsoft.AspNetCore.App")
    return allowed


def needed_libraries(library: Path) -> list[str]:
    output = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", output)


def apt_packages(dockerfile: Path) -> set[str]:
    packages: set[str] = set()
    for run in run_commands(dockerfile):
        for match in re.finditer(r"apt-get install ([^&;|]*)", run):
            packages.update(w for w in match.group(1).split() if not w.startswith("-"))
    return packages


def cmd_publish_output(kind: str, out: Path, root: Path) -> None:
    name = "FaceObject.Api" if kind == "api" else "FaceObject.Worker"
    expected = [f"{name}.dll", f"{name}.runtimeconfig.json", f"{name}.deps.json", "faceobject.defaults.json",
                "FaceObject.Core.dll", "FaceObject.Storage.dll", "FaceObject.ServiceDefaults.dll"]
    if kind in ("worker", "worker-gpu"):
        expected += ["FaceObject.Processing.dll", "FaceObject.Inference.dll", "Microsoft.ML.OnnxRuntime.dll",
                     "OpenCvSharp.dll", "libOpenCvSharpExtern.so", "libonnxruntime.so"]
    if kind == "worker-gpu":
        expected += ["libonnxruntime_providers_cuda.so", "libonnxruntime_providers_shared.so"]
    missing = [f for f in expected if not (out / f).exists()]
    check(not missing, f"{kind} publish output has {', '.join(expected)}", "missing " + ", ".join(missing))
    check(not (out / "runtimes").exists(), f"{kind} publish output is for linux-x64 only (no runtimes/ folder)")
    check(not (out / name).exists(), f"{kind} publish output has no apphost (the image runs `dotnet {name}.dll`)")

    config = json.loads((out / f"{name}.runtimeconfig.json").read_text())["runtimeOptions"]
    frameworks = {f["name"] for f in config.get("frameworks", [])} | (
        {config["framework"]["name"]} if "framework" in config else set())
    dockerfiles = ["api"] if kind == "api" else ["worker", "worker-gpu"]
    for df in dockerfiles:
        allowed = runtime_frameworks(root / DOCKERFILES[df])
        check(frameworks <= allowed, f"{DOCKERFILES[df]}: its runtime image provides {', '.join(sorted(frameworks))}",
              f"needs {sorted(frameworks)}, image has {sorted(allowed)}")

    if kind == "api":
        big = [p.name for p in out.glob("*.so*") if p.stat().st_size > 5_000_000]
        check(not big, "api publish output has no native inference libraries (the API references no inference code)",
              ", ".join(big))
        inference = [f for f in ("FaceObject.Processing.dll", "FaceObject.Inference.dll", "Microsoft.ML.OnnxRuntime.dll",
                                 "OpenCvSharp.dll") if (out / f).exists()]
        check(not inference, "api publish output has no Processing, Inference, ONNX Runtime or OpenCvSharp assembly",
              ", ".join(inference))
        return

    if shutil.which("readelf") is None:
        print("skip: readelf not found (binutils): native library dependencies not checked")
        return
    for lib in ("libOpenCvSharpExtern.so", "libonnxruntime.so"):
        needed = needed_libraries(out / lib)
        unknown = [n for n in needed if n not in NATIVE_PACKAGES and n not in BASE_LIBS]
        check(not unknown, f"{lib}: every NEEDED library is known ({len(needed)})",
              "add to docker/*Dockerfile and NATIVE_PACKAGES: " + ", ".join(unknown))
        required = {NATIVE_PACKAGES[n] for n in needed if n in NATIVE_PACKAGES}
        for df in ("worker", "worker-gpu"):
            installed = apt_packages(root / DOCKERFILES[df])
            absent = sorted(required - installed)
            check(not absent, f"{DOCKERFILES[df]} installs the packages {lib} links ({', '.join(sorted(required)) or 'none'})",
                  "missing " + ", ".join(absent))
    if kind == "worker-gpu":
        check_cuda_image(out, root / DOCKERFILES["worker-gpu"])
    api_packages = apt_packages(root / DOCKERFILES["api"])
    worker_packages = apt_packages(root / DOCKERFILES["worker"])
    check(worker_packages <= api_packages, "docker/api.Dockerfile (ALL_IN_ONE) installs the worker's native packages",
          "missing " + ", ".join(sorted(worker_packages - api_packages)))


def check_cuda_image(out: Path, dockerfile: Path) -> None:
    """The CUDA and cuDNN majors the published ONNX Runtime providers link against are the ones CUDA_IMAGE has."""
    image = next((rest.split("=", 1)[1] for keyword, rest in dockerfile_instructions(dockerfile)
                  if keyword == "ARG" and rest.startswith("CUDA_IMAGE=")), "")
    tag = re.search(r"nvidia/cuda:(\d+)\.[\d.]*-cudnn(\d*)-", image)
    cuda_provider = out / "libonnxruntime_providers_cuda.so"
    needed = [n for lib in sorted(out.glob("libonnxruntime_providers_*.so")) for n in needed_libraries(lib)]
    # The CUDA runtime and cuBLAS carry the toolkit's major in their soname (libcurand has its own numbering).
    cuda = sorted({m.group(1) for n in needed if (m := re.fullmatch(r"lib(?:cudart|cublas|cublasLt)\.so\.(\d+)", n))})
    cudnn = sorted({m.group(1) for n in needed if (m := re.fullmatch(r"libcudnn\.so\.(\d+)", n))})
    check(cuda_provider.exists() and any(n.startswith("libcudart.so.") for n in needed_libraries(cuda_provider)),
          f"{cuda_provider.name} links the CUDA runtime (its NEEDED entries are what this check compares)")
    check(bool(tag) and cuda == [tag.group(1)],
          f"{dockerfile.name}: CUDA_IMAGE ({image}) has the CUDA major the ONNX Runtime providers link "
          f"(libcudart, libcublas, libcublasLt: {', '.join(cuda) or 'none'})")
    check(bool(tag) and (not cudnn or tag.group(2) in ("", *cudnn)),
          f"{dockerfile.name}: CUDA_IMAGE has cuDNN, of the major the providers link ({', '.join(cudnn) or 'none'})")


# ---------------------------------------------------------------- compose

def parse_duration(value) -> float:
    """Compose durations (45s, 1m30s) and .NET TimeSpans (00:00:30) in seconds."""
    text = str(value)
    if re.fullmatch(r"\d+:\d+:\d+(\.\d+)?", text):
        h, m, s = text.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s|us)", text):
        total += float(amount) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000001}[unit]
    return total


def code_default_shutdown(root: Path) -> float:
    text = (root / "src/FaceObject.Processing/Hosting/ProcessingOptions.cs").read_text()
    match = re.search(r"ShutdownTimeout \{ get; set; \} = TimeSpan\.FromSeconds\((\d+)\)", text)
    return float(match.group(1)) if match else 30.0


def code_default_prefix(root: Path) -> str:
    text = (root / "src/FaceObject.Storage/Hangfire/HangfireStorageOptions.cs").read_text()
    match = re.search(r'Prefix \{ get; set; \} = "([^"]*)"', text)
    return match.group(1) if match else "{hangfire}:"


def code_default_ingest(root: Path) -> dict[str, str]:
    """The ingest stream, its group and the RabbitMQ queue the API reads by default (IngestOptions.cs)."""
    text = (root / "src/FaceObject.Api/Ingestion/IngestOptions.cs").read_text()
    found = {}
    for name in ("Stream", "Group", "Queue"):
        match = re.search(name + r' \{ get; set; \} = "([^"]*)"', text)
        found[name] = match.group(1) if match else "?"
    return found


def check_api_ingest(label: str, so: dict, api: dict | None, env: dict[str, str], authentications: set[str], root: Path) -> None:
    """The API's ScaledObject (components/ingest-scaling): it scales on what the API reads, as the API reads it."""
    defaults = code_default_ingest(root)
    name = so["metadata"]["name"]
    triggers = {t.get("type"): t for t in so["spec"]["triggers"]}
    check(api is not None, f"{label}: {name} targets the api Deployment")
    stream = triggers.get("redis-streams", {}).get("metadata", {})
    check((stream.get("stream"), stream.get("consumerGroup")) == (defaults["Stream"], defaults["Group"]),
          f"{label}: {name} watches the stream and group the API reads ({defaults['Stream']}, {defaults['Group']})",
          str((stream.get("stream"), stream.get("consumerGroup"))))
    check(stream.get("addressFromEnv") in env, f"{label}: {name} reads the Redis address from the API's environment")
    check(env.get("Ingest__Redis__Enabled") == "true", f"{label}: {name}: the API reads the stream (Ingest__Redis__Enabled)")
    check(all(t.get("authenticationRef", {}).get("name") in authentications for t in so["spec"]["triggers"] if "authenticationRef" in t),
          f"{label}: {name} authenticates with existing TriggerAuthentications")
    if "rabbitmq" in triggers:
        queue = triggers["rabbitmq"].get("metadata", {}).get("queueName")
        check(queue == defaults["Queue"], f"{label}: {name} watches the RabbitMQ queue the API reads ({defaults['Queue']})", str(queue))
        check(env.get("Ingest__RabbitMq__Enabled") == "true" and "Ingest__RabbitMq__Url" in env,
              f"{label}: {name}: the API consumes RabbitMQ (Ingest__RabbitMq__Enabled and the URL from the Secret)")


def cmd_compose(root: Path, small_path: Path, scalable_path: Path) -> None:
    shutdown_default = code_default_shutdown(root)
    for label, path in (("docker-compose.yml", small_path), ("docker-compose.scalable.yml", scalable_path)):
        services = yaml.safe_load(path.read_text())["services"]
        check({"redis", "api", "face-worker", "object-worker"} <= set(services), f"{label}: redis, api, face-worker, object-worker")
        redis = services["redis"]
        command = " ".join(redis.get("command") or []) if isinstance(redis.get("command"), list) else str(redis.get("command"))
        check("--appendonly yes" in command and "noeviction" in command, f"{label}: Redis keeps an AOF and never evicts")
        check(any(re.search(r":/data(:|$)", str(v)) or (isinstance(v, dict) and v.get("target") == "/data") for v in redis.get("volumes", [])),
              f"{label}: Redis data on a volume")
        api = services["api"]
        env = api.get("environment", {})
        check("Api__RunWorkers" not in env and "ConnectionStrings__Redis" in env,
              f"{label}: the API only enqueues, into Redis (ConnectionStrings__Redis; Api__RunWorkers is gone)")
        check(env.get("Dashboard__Username") == os.environ.get("FACEOBJECT_DASHBOARD_USER") and
              env.get("Dashboard__Password") == os.environ.get("FACEOBJECT_DASHBOARD_PASSWORD"),
              f"{label}: dashboard credentials come from the environment")
        for name, service in services.items():
            # The monitoring profile's services (Prometheus, Alertmanager, Grafana, exporters) are not FaceObject's.
            if "monitoring" in service.get("profiles", []):
                continue
            check("healthcheck" in service, f"{label}: {name} has a health check")
            if name not in ("redis", "rabbitmq", "postgres"):  # the broker and the database are third-party servers, like Redis itself
                depends = service.get("depends_on", {})
                check(isinstance(depends, dict) and depends.get("redis", {}).get("condition") == "service_healthy",
                      f"{label}: {name} waits for a healthy Redis")
                check(f"password={os.environ.get('REDIS_PASSWORD')}" in service["environment"].get("ConnectionStrings__Redis", ""),
                      f"{label}: {name} connects to Redis with the password from the environment")
        workers = {n: s for n, s in services.items() if "Worker__QueueList" in s.get("environment", {})}
        check({"face-worker", "object-worker"} <= set(workers), f"{label}: one worker service per model queue")
        for name, worker in workers.items():
            env = worker["environment"]
            check(env["Worker__QueueList"] in MODEL_QUEUES, f"{label}: {name} serves queue {env['Worker__QueueList']}")
            shutdown = parse_duration(env.get("Worker__ShutdownTimeout", shutdown_default))
            grace = parse_duration(worker.get("stop_grace_period", "10s"))
            check(grace > shutdown, f"{label}: {name} stop_grace_period {grace:g}s > Worker__ShutdownTimeout {shutdown:g}s")
            mounts = worker.get("volumes", [])
            check(any(isinstance(m, dict) and m.get("target") == "/app/models" and m.get("read_only") for m in mounts),
                  f"{label}: {name} mounts the models read-only at /app/models")
            check(str(WORKER_METRICS_PORT) in " ".join(map(str, worker["healthcheck"]["test"])),
                  f"{label}: {name}'s health check probes port {WORKER_METRICS_PORT}")
            if label == "docker-compose.scalable.yml":
                check("ports" not in worker, f"{label}: {name} publishes no host port (so it can scale)")
        if label == "docker-compose.scalable.yml":
            named = [n for n, s in services.items() if "container_name" in s]
            check(not named, f"{label}: no container_name", ", ".join(named))
            for name, service in services.items():
                limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
                check("cpus" in limits and "memory" in limits, f"{label}: {name} has CPU and memory limits")
                check(service.get("restart") in ("always", "unless-stopped", "on-failure"), f"{label}: {name} has a restart policy")
            gpu = services.get("object-worker-gpu", {})
            devices = gpu.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])
            check("gpu" in gpu.get("profiles", []) and any("gpu" in d.get("capabilities", []) for d in devices),
                  f"{label}: object-worker-gpu reserves a GPU under the gpu profile")
            check(gpu.get("build", {}).get("dockerfile") == "docker/worker-gpu.Dockerfile" and
                  gpu.get("environment", {}).get("Worker__QueueList") == "object",
                  f"{label}: object-worker-gpu serves the object queue from the GPU image")
        else:
            named = [n for n, s in services.items() if "container_name" in s]
            check(not named, f"{label}: no container_name (the project name keeps containers apart)", ", ".join(named))

    used = set()
    for name in ("docker-compose.yml", "docker-compose.scalable.yml"):
        used |= set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (root / name).read_text()))
    documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", (root / ".env.example").read_text(), re.M))
    check(used <= documented, ".env.example documents every variable the compose files use", ", ".join(sorted(used - documented)))
    check(documented <= used, "every variable in .env.example is used by a compose file", ", ".join(sorted(documented - used)))


# ---------------------------------------------------------------- Kubernetes

def load_documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def containers(doc: dict) -> list[dict]:
    return doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])


def container_env(container: dict, configmaps: dict[str, dict]) -> dict[str, str]:
    env = {}
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef", {}).get("name")
        if ref in configmaps:
            env.update(configmaps[ref])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
        else:
            env[item["name"]] = "<from " + ",".join(item.get("valueFrom", {}).keys()) + ">"
    return env


def probe_port(probe: dict | None, container: dict) -> int | None:
    if not probe or "httpGet" not in probe:
        return None
    port = probe["httpGet"].get("port")
    if isinstance(port, int):
        return port
    for declared in container.get("ports", []):
        if declared.get("name") == port:
            return declared.get("containerPort")
    return None


def check_k8s_set(label: str, docs: list[dict], root: Path, profile: tuple[int, int, str, str, str] | None,
                  secret_expected: bool) -> None:
    by_kind: dict[str, list[dict]] = {}
    for doc in docs:
        by_kind.setdefault(doc.get("kind", "?"), []).append(doc)
    configmaps = {d["metadata"]["name"]: {k: str(v) for k, v in (d.get("data") or {}).items()} for d in by_kind.get("ConfigMap", [])}
    secrets = {d["metadata"]["name"] for d in by_kind.get("Secret", [])}
    deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])}
    workloads = by_kind.get("Deployment", []) + by_kind.get("StatefulSet", [])
    templates = [w["spec"]["template"]["metadata"].get("labels", {}) for w in workloads]

    check({"Namespace", "ConfigMap", "StatefulSet", "Service", "Deployment", "ScaledObject", "TriggerAuthentication"} <= set(by_kind),
          f"{label}: namespace, config, Redis StatefulSet, Services, Deployments and KEDA objects present")
    stray = [f"{d['kind']}/{d['metadata']['name']}" for d in docs
             if d.get("kind") not in ("Namespace", "ClusterRole", "ClusterRoleBinding") and d["metadata"].get("namespace") != "faceobject"]
    if label != "base":  # the base's files leave the namespace to its kustomization
        check(not stray, f"{label}: every namespaced resource is in namespace faceobject", ", ".join(stray))
    check(("faceobject-secrets" in secrets) == secret_expected,
          f"{label}: example Secret {'included' if secret_expected else 'left out (created out of band)'}")

    for workload in workloads:
        name = f"{workload['kind']}/{workload['metadata']['name']}"
        selector = workload["spec"]["selector"]["matchLabels"]
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        check(selector.items() <= labels.items(), f"{label}: {name} selector matches its pod labels")
        pod = workload["spec"]["template"]["spec"]
        check(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"{label}: {name} runs as non-root")
        for container in pod["containers"]:
            check("memory" in container.get("resources", {}).get("limits", {}), f"{label}: {name} has a memory limit")
            for ref in [s.get("configMapRef", {}).get("name") for s in container.get("envFrom", [])]:
                if ref:
                    check(ref in configmaps, f"{label}: {name} ConfigMap {ref} exists")
    for service in by_kind.get("Service", []):
        selector = service["spec"].get("selector", {})
        check(any(selector.items() <= t.items() for t in templates), f"{label}: Service {service['metadata']['name']} selects pods")

    config = configmaps.get("faceobject-config", {})
    prefix = config.get("Hangfire__Prefix", code_default_prefix(root))
    check(prefix == code_default_prefix(root), f"{label}: Hangfire__Prefix '{prefix}' is the code's default",
          f"code default is '{code_default_prefix(root)}'")
    shutdown_default = code_default_shutdown(root)

    worker_queue: dict[str, tuple[str, dict]] = {}
    for name, deployment in deployments.items():
        for container in containers(deployment):
            env = container_env(container, configmaps)
            if "Worker__QueueList" not in env:
                continue
            queue = env["Worker__QueueList"]
            worker_queue[name] = (queue, env)
            shutdown = parse_duration(env.get("Worker__ShutdownTimeout", shutdown_default))
            grace = deployment["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
            check(grace > shutdown, f"{label}: {name} terminationGracePeriodSeconds {grace} > Worker__ShutdownTimeout {shutdown:g}s")
            ports = {p.get("containerPort") for p in container.get("ports", [])}
            check(WORKER_METRICS_PORT in ports, f"{label}: {name} declares metrics port {WORKER_METRICS_PORT}")
            for probe in ("readinessProbe", "livenessProbe"):
                check(probe_port(container.get(probe), container) == WORKER_METRICS_PORT,
                      f"{label}: {name} {probe} on port {WORKER_METRICS_PORT}")
            check("ConnectionStrings__Redis" in env and "$(REDIS_PASSWORD)" in env["ConnectionStrings__Redis"],
                  f"{label}: {name} builds its Redis connection from the Secret")
    check(set(q for q, _ in worker_queue.values()) == set(MODEL_QUEUES), f"{label}: one worker Deployment per model queue",
          str(sorted(q for q, _ in worker_queue.values())))

    scaled = {}
    authentications = {a["metadata"]["name"] for a in by_kind.get("TriggerAuthentication", [])}
    for so in by_kind.get("ScaledObject", []):
        name = so["metadata"]["name"]
        target = so["spec"]["scaleTargetRef"]["name"]
        scaled[target] = so
        if target == "api":
            api = deployments.get("api")
            env = container_env(containers(api)[0], configmaps) if api else {}
            check_api_ingest(label, so, api, env, authentications, root)
            continue
        if not check(target in worker_queue, f"{label}: ScaledObject {name} targets a worker Deployment", target):
            continue
        queue, env = worker_queue[target]
        triggers = {t.get("name"): t for t in so["spec"]["triggers"]}
        redis_triggers = [t for t in so["spec"]["triggers"] if t.get("name") in ("waiting", "in-flight")]
        check(list(triggers) == ["waiting", "in-flight", "memory", "cpu"],
              f"{label}: {name} scales on the queue first, then memory and CPU, in one ScaledObject", str(list(triggers)))
        check(all(triggers.get(r, {}).get("type") == r and triggers.get(r, {}).get("metricType") == "Utilization" for r in ("memory", "cpu")),
              f"{label}: {name} memory and CPU triggers are utilization targets")
        waiting = triggers.get("waiting", {}).get("metadata", {})
        inflight = triggers.get("in-flight", {}).get("metadata", {})
        check(all(t["type"] == "redis" for t in redis_triggers), f"{label}: {name} uses KEDA's redis scaler for the queue")
        check(waiting.get("listName") == f"{prefix}queue:{queue}",
              f"{label}: {name} watches listName '{waiting.get('listName')}' = Hangfire's list for queue {queue}",
              f"expected '{prefix}queue:{queue}'")
        check(inflight.get("listName") == f"{prefix}queue:{queue}:dequeued",
              f"{label}: {name} in-flight trigger watches '{prefix}queue:{queue}:dequeued'")
        check(inflight.get("listLength") == env.get("Worker__WorkerCount"),
              f"{label}: {name} in-flight listLength equals Worker__WorkerCount ({env.get('Worker__WorkerCount')})")
        check(all(t.get("metadata", {}).get("addressFromEnv") in env for t in redis_triggers),
              f"{label}: {name} reads the Redis address from the worker's environment")
        check(all(t.get("authenticationRef", {}).get("name") in {a["metadata"]["name"] for a in by_kind.get("TriggerAuthentication", [])}
                  for t in redis_triggers), f"{label}: {name} authenticates with an existing TriggerAuthentication")
        if profile:
            lo, hi, per_pod, memory, cpu = profile
            got = (so["spec"].get("minReplicaCount"), so["spec"].get("maxReplicaCount"), waiting.get("listLength"),
                   triggers.get("memory", {}).get("metadata", {}).get("value"), triggers.get("cpu", {}).get("metadata", {}).get("value"))
            check(got == profile, f"{label}: {name} scales {lo}-{hi} pods, {per_pod} waiting tasks per pod, {memory}% memory, {cpu}% CPU", str(got))
    check(set(scaled) - {"api"} == set(worker_queue), f"{label}: every worker pool has a ScaledObject")
    for workload in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []):
        check(workload["spec"]["template"]["spec"].get("automountServiceAccountToken") is False,
              f"{label}: {workload['metadata']['name']} mounts no service account token")
    for account in by_kind.get("ServiceAccount", []):
        check(account.get("automountServiceAccountToken") is False, f"{label}: ServiceAccount {account['metadata']['name']} mounts no token by default")
    for role in by_kind.get("Role", []) + by_kind.get("ClusterRole", []):
        check(role["kind"] == "Role" and all("*" not in r.get("verbs", []) + r.get("resources", []) for r in role.get("rules", [])),
              f"{label}: {role['metadata']['name']} is a namespaced Role with no wildcard")
    hpa_targets = {h["spec"]["scaleTargetRef"]["name"] for h in by_kind.get("HorizontalPodAutoscaler", [])}
    check(not (hpa_targets & set(scaled)), f"{label}: no HPA on a KEDA-scaled Deployment", ", ".join(sorted(hpa_targets & set(scaled))))
    for deployment in deployments.values():
        annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
        check(annotations.get("prometheus.io/scrape") == "true",
              f"{label}: {deployment['metadata']['name']} pods carry Prometheus scrape annotations")


# Seed 000's profiles: pods min-max, waiting tasks per pod, memory and CPU utilization targets (%).
PROFILES = {"development": (1, 5, "3", "75", "60"), "production": (2, 12, "2", "70", "50"), "testing": (1, 3, "5", "80", "70")}


def cmd_k8s(root: Path, rendered: list[str]) -> None:
    k8s = root / "docker/k8s"
    files = sorted(k8s.rglob("*.yaml")) + sorted(k8s.rglob("*.yml"))
    base_docs = []
    for path in files:
        rel = path.relative_to(root)
        try:
            docs = load_documents(path)
        except yaml.YAMLError as error:
            fail(f"{rel} does not parse: {error}")
            continue
        if path.name == "kustomization.yaml":
            kind = "Component" if path.parent.parent.name == "components" else "Kustomization"
            check(docs and docs[0].get("kind") == kind, f"{rel} is a {kind}")
            continue
        bad = [i for i, d in enumerate(docs) if not (d.get("apiVersion") and d.get("kind") and d.get("metadata", {}).get("name"))]
        check(not bad, f"{rel} parses: {len(docs)} resources with apiVersion, kind and name", f"documents {bad}")
        if path.parent.name == "base":
            base_docs += docs
        if path.parent.name == "optional" and path.name.startswith("hpa"):
            targets = {d["spec"]["scaleTargetRef"]["name"] for d in docs}
            check(targets == {"face-worker", "object-worker"}, f"{rel}: CPU fallback HPAs for both worker pools")
            check("DO NOT apply" in path.read_text(), f"{rel}: says not to combine it with KEDA")
    check_k8s_set("base", base_docs, root, PROFILES["development"], secret_expected=True)
    for item in rendered:
        # NAME is an overlay, or OVERLAY+ingest: that overlay with components/ingest-scaling and ingest-rabbitmq.
        name, _, path = item.partition("=")
        overlay, _, with_components = name.partition("+")
        docs = load_documents(Path(path))
        check_k8s_set(f"overlay {name}", docs, root, PROFILES.get(overlay), secret_expected=(overlay != "production"))
        if with_components:
            check(any(d.get("kind") == "ScaledObject" and d["spec"]["scaleTargetRef"]["name"] == "api" for d in docs),
                  f"overlay {name}: the ingest components add the API's ScaledObject")


# ---------------------------------------------------------------- monitoring

def cmd_monitoring(root: Path) -> None:
    dashboard = json.loads((root / "docs/monitoring/grafana-dashboard.json").read_text())
    exprs = []
    ids = []
    for panel in dashboard["panels"]:
        ids.append(panel["id"])
        exprs += [t["expr"] for t in panel.get("targets", [])]
    exprs += [v["query"]["query"] for v in dashboard.get("templating", {}).get("list", []) if isinstance(v.get("query"), dict)]
    used = set(re.findall(r"faceobject_[a-z_]+", " ".join(exprs)))
    check(used <= KNOWN_METRICS, "grafana-dashboard.json uses only FaceObject's metric names", ", ".join(sorted(used - KNOWN_METRICS)))
    wanted = {m for m in COUNTERS | GAUGES} | {h + "_bucket" for h in HISTOGRAMS}
    check(wanted <= used, "grafana-dashboard.json shows every metric", ", ".join(sorted(wanted - used)))
    check(len(ids) == len(set(ids)), "grafana-dashboard.json panel ids are unique")

    rules = yaml.safe_load((root / "docs/monitoring/prometheus-alerts.yml").read_text())
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}
    used = set(re.findall(r"faceobject_[a-z_]+", " ".join(r["expr"] for r in alerts.values())))
    check(used <= KNOWN_METRICS, "prometheus-alerts.yml uses only FaceObject's metric names", ", ".join(sorted(used - KNOWN_METRICS)))
    for required in ("FaceObjectQueueBacklog", "FaceObjectTaskFailures", "FaceObjectThroughputLow", "FaceObjectNoWorkers",
                     "FaceObjectMemoryNearLimit", "FaceObjectCpuSaturated", "FaceObjectRedisMemoryNearMax", "FaceObjectRedisDown"):
        check(required in alerts, f"prometheus-alerts.yml has {required}")
    check(alerts.get("FaceObjectQueueBacklog", {}).get("for") == "5m", "queue backlog alert waits 5 minutes")
    for name, rule in alerts.items():
        check("severity" in rule.get("labels", {}) and "summary" in rule.get("annotations", {}),
              f"{name} has a severity and a summary")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    command, args = argv[1], argv[2:]
    if command == "context":
        cmd_context(Path(args[0]), Path(args[1]))
    elif command == "dockerfiles":
        cmd_dockerfiles(Path(args[0]))
        check_locked_restore(Path(args[0]))
    elif command == "publish-commands":
        cmd_publish_commands(Path(args[0]))
    elif command == "publish-output":
        cmd_publish_output(args[0], Path(args[1]), Path(args[2]))
    elif command == "compose":
        cmd_compose(Path(args[0]), Path(args[1]), Path(args[2]))
    elif command == "k8s":
        cmd_k8s(Path(args[0]), args[1:])
    elif command == "monitoring":
        cmd_monitoring(Path(args[0]))
    else:
        print(__doc__)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

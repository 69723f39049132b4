#!/usr/bin/env bash
# Rewrites every project's NuGet lock file (packages.lock.json) after a package or project reference changed.
# The test command restores in locked mode and fails until this has been run and the lock files committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet restore FaceObject.sln --force-evaluate -nologo
git status --short -- '*packages.lock.json'

#!/usr/bin/env bash
# Rewrites every .nfproj's Compile list to the files its sibling .csproj compiles.
# Run after adding, moving or deleting a .cs file under shared-protocol/ or firmware/.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project tools/SmartSeal.Portability -- sync-nfproj "$@"
